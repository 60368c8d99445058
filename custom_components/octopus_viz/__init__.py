"""The octopus_viz integration: Octopus Energy half-hourly history, costs and profiles."""

from __future__ import annotations

from datetime import date, datetime
import logging
from pathlib import Path

from homeassistant.const import CONF_API_KEY, Platform
from homeassistant.core import HomeAssistant, callback
from homeassistant.exceptions import ConfigEntryAuthFailed, ConfigEntryNotReady
from homeassistant.helpers import config_validation as cv
from homeassistant.helpers.aiohttp_client import async_get_clientsession
from homeassistant.helpers.event import async_track_utc_time_change
from homeassistant.helpers.typing import ConfigType

from .account import async_load_agreements
from .api.client import OctopusClient
from .api.errors import OctopusAuthError, OctopusError
from .api.models import MeterConfig
from .card import async_register_card, async_remove_resource
from .const import CONF_ACCOUNT_NUMBER, CONF_HISTORY_FROM, DOMAIN
from .coordinator import OctopusVizConfigEntry, OctopusVizCoordinator
from .history.cache import ReadingCache, remove_cache_file
from .meter import MeterUpdater
from .services import async_setup_services
from .tariffs.account_loader import AccountTariffLoader
from .tariffs.source import PriceSource, price_source_for
from .websocket import async_setup_websocket

_LOGGER = logging.getLogger(__name__)

PLATFORMS: list[Platform] = [Platform.SENSOR]
CONFIG_SCHEMA = cv.config_entry_only_config_schema(DOMAIN)


async def async_setup(hass: HomeAssistant, config: ConfigType) -> bool:
    """Services, websocket commands and the card exist once, whatever the entries."""
    async_setup_services(hass)
    async_setup_websocket(hass)
    await async_register_card(hass)
    return True


def cache_path(hass: HomeAssistant, entry_id: str) -> Path:
    """Where an entry's half-hour cache lives (inside HA's .storage, backed up with it)."""
    return Path(hass.config.path(".storage", DOMAIN, f"{entry_id}.sqlite3"))


async def async_setup_entry(hass: HomeAssistant, entry: OctopusVizConfigEntry) -> bool:
    """Load the cache, start the background backfill/poll, set up the sensors."""
    client = OctopusClient(async_get_clientsession(hass), entry.data[CONF_API_KEY])
    cache = ReadingCache(cache_path(hass, entry.entry_id))
    try:
        meters = await async_load_agreements(hass, client, cache, entry)
    except OctopusError as err:
        # Nothing is set up: the cache must not stay open until the retry.
        await hass.async_add_executor_job(cache.close)
        if isinstance(err, OctopusAuthError):
            raise ConfigEntryAuthFailed(
                translation_domain=DOMAIN, translation_key="auth_failed"
            ) from err
        raise ConfigEntryNotReady(
            translation_domain=DOMAIN,
            translation_key="setup_failed",
            translation_placeholders={"account": entry.data[CONF_ACCOUNT_NUMBER]},
        ) from err
    history = entry.data.get(CONF_HISTORY_FROM)
    history_from = date.fromisoformat(history) if history else None
    updaters = [
        MeterUpdater(
            hass,
            client,
            cache,
            meter,
            _price_source(hass, entry, client, cache, meter),
            history_from,
        )
        for meter in meters
    ]
    coordinator = OctopusVizCoordinator(hass, entry, client, cache, updaters)
    entry.runtime_data = coordinator
    await hass.config_entries.async_forward_entry_setups(entry, PLATFORMS)

    @callback
    def _half_hour_tick(_now: datetime) -> None:
        coordinator.async_update_listeners()

    # Periods roll over and rates change on half-hours: refresh entity states then (no I/O).
    entry.async_on_unload(
        async_track_utc_time_change(hass, _half_hour_tick, minute=(0, 30), second=0)
    )
    entry.async_on_unload(entry.add_update_listener(_async_options_updated))
    # Reading years of cached half-hours and the first backfill take a while: neither may
    # hold up Home Assistant's start. Entities are unavailable until the cache is read.
    entry.async_create_background_task(
        hass, coordinator.async_start(), name=f"{DOMAIN} first update {entry.title}"
    )
    return True


def _price_source(
    hass: HomeAssistant,
    entry: OctopusVizConfigEntry,
    client: OctopusClient,
    cache: ReadingCache,
    meter: MeterConfig,
) -> PriceSource:
    return price_source_for(
        meter,
        entry.options,
        lambda: AccountTariffLoader(client),
        cache,
        hass.async_add_executor_job,
    )


async def _async_options_updated(hass: HomeAssistant, entry: OctopusVizConfigEntry) -> None:
    """Options changed: tariff edits re-price the cached history in place, no reload."""
    coordinator = entry.runtime_data
    sources: dict[str, PriceSource] = {}
    for updater in coordinator.updaters.values():
        source = _price_source(hass, entry, coordinator.client, coordinator.cache, updater.meter)
        # A meter whose tariffs did not change keeps its source: nothing to re-price.
        if not source.same_as(updater.source):
            sources[updater.meter.mpan] = source
    await coordinator.async_apply_options(sources)


async def async_unload_entry(hass: HomeAssistant, entry: OctopusVizConfigEntry) -> bool:
    """Unload the sensors and close the cache."""
    unloaded = await hass.config_entries.async_unload_platforms(entry, PLATFORMS)
    if unloaded:
        await hass.async_add_executor_job(entry.runtime_data.cache.close)
    return unloaded


async def async_remove_entry(hass: HomeAssistant, entry: OctopusVizConfigEntry) -> None:
    """The account was removed: delete its cache file (statistics stay in the recorder)."""
    await hass.async_add_executor_job(remove_cache_file, cache_path(hass, entry.entry_id))
    others = [e for e in hass.config_entries.async_entries(DOMAIN) if e.entry_id != entry.entry_id]
    if not others:
        await async_remove_resource(hass)
