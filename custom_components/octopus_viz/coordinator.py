"""One coordinator per account: fetch new half-hours, cache, price, write statistics.

Flow of an update (see `_async_update_data`): refresh the account's agreements (daily), fetch
each meter from its newest cached half-hour minus a re-fetch window (one request per meter when
idle; 500-day windows while backfilling, each committed to the cache before the next), refresh
account tariffs when due, then re-price and write statistics only from the first hour that
changed. CPU-heavy steps run in the executor so the event loop stays responsive.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime, timedelta
import logging
from pathlib import Path
from typing import Any

from homeassistant.config_entries import ConfigEntry
from homeassistant.const import CONF_API_KEY
from homeassistant.core import HomeAssistant, callback
from homeassistant.exceptions import ConfigEntryAuthFailed, ConfigEntryNotReady, HomeAssistantError
from homeassistant.helpers.aiohttp_client import async_get_clientsession
from homeassistant.helpers.event import async_track_utc_time_change
from homeassistant.helpers.update_coordinator import DataUpdateCoordinator, UpdateFailed
from homeassistant.util import dt as dt_util

from .account import (
    META_KEY as AGREEMENTS_KEY,
    agreements_due,
    async_fetch_agreements,
    async_load_agreements,
    meters_with_agreements,
)
from .api.client import OctopusClient
from .api.concurrency import run_together
from .api.errors import OctopusAuthError, OctopusError
from .api.models import MeterConfig
from .const import CONF_ACCOUNT_NUMBER, CONF_HISTORY_FROM, CONF_STANDING_CHARGES_IN_COST, DOMAIN
from .gas_meter import GasMeterUpdater
from .history.cache import ReadingCache
from .history.snapshot import OctopusData
from .meter import MeterUpdater
from .statistics import async_write_statistic, energy_metadata, money_metadata, volume_metadata
from .tariffs.account_loader import AccountTariffLoader
from .tariffs.calorific import calorific_values_for
from .tariffs.source import AccountPriceSource, PriceSource, price_source_for

_LOGGER = logging.getLogger(__name__)

UPDATE_INTERVAL = timedelta(hours=1)
EVENT_DATA_UPDATED = f"{DOMAIN}_data_updated"

type OctopusVizConfigEntry = ConfigEntry[OctopusVizCoordinator]


def cache_path(hass: HomeAssistant, entry_id: str) -> Path:
    """Where an entry's half-hour cache lives (inside HA's .storage, backed up with it)."""
    return Path(hass.config.path(".storage", DOMAIN, f"{entry_id}.sqlite3"))


def _price_source(
    hass: HomeAssistant,
    entry: OctopusVizConfigEntry,
    client: OctopusClient,
    cache: ReadingCache,
    meter: MeterConfig,
) -> PriceSource:
    """The meter's price source as the entry's options choose it."""
    return price_source_for(
        meter,
        entry.options,
        lambda: AccountTariffLoader(client),
        cache,
        hass.async_add_executor_job,
    )


async def async_create_coordinator(
    hass: HomeAssistant, entry: OctopusVizConfigEntry
) -> OctopusVizCoordinator:
    """Wire an entry's client, cache, meters and price sources (the agreements are read from
    the cache when fresh, else asked for: a refused key or an unreachable API ends setup)."""
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
    updaters = [_updater(hass, entry, client, cache, meter, history_from) for meter in meters]
    return OctopusVizCoordinator(hass, entry, client, cache, updaters)


def _updater(
    hass: HomeAssistant,
    entry: OctopusVizConfigEntry,
    client: OctopusClient,
    cache: ReadingCache,
    meter: MeterConfig,
    history_from: date | None,
) -> MeterUpdater:
    source = _price_source(hass, entry, client, cache, meter)
    if not meter.is_gas:
        return MeterUpdater(hass, client, cache, meter, source, history_from)
    calorific = calorific_values_for(entry.options, meter.mpan)
    return GasMeterUpdater(hass, client, cache, meter, source, history_from, calorific)


class OctopusVizCoordinator(DataUpdateCoordinator[OctopusData]):
    """Keeps an account's cache, prices and statistics current."""

    config_entry: OctopusVizConfigEntry

    def __init__(
        self,
        hass: HomeAssistant,
        entry: OctopusVizConfigEntry,
        client: OctopusClient,
        cache: ReadingCache,
        updaters: list[MeterUpdater],
    ) -> None:
        """Create the coordinator; `async_load` must run before the first refresh."""
        super().__init__(
            hass,
            _LOGGER,
            config_entry=entry,
            name=f"{DOMAIN} {entry.title}",
            update_interval=UPDATE_INTERVAL,
            always_update=False,
        )
        self.client = client
        self.cache = cache
        self.updaters = {updater.meter.mpan: updater for updater in updaters}
        self.last_update_summary: dict[str, Any] = {}
        self._agreements: dict[str, Any] | None = None
        self.include_standing = bool(entry.options.get(CONF_STANDING_CHARGES_IN_COST))
        self.data = OctopusData(meters={})  # until the cache is read

    @property
    def meters(self) -> list[MeterConfig]:
        """The followed meters."""
        return [updater.meter for updater in self.updaters.values()]

    def async_start_in_background(self) -> None:
        """Keep states current on every half hour, apply option changes in place, and read the
        cache and backfill in a background task: neither may hold up Home Assistant's start
        (entities are unavailable until the cache is read)."""
        entry = self.config_entry

        @callback
        def _half_hour_tick(_now: datetime) -> None:
            self.async_update_listeners()

        # Periods roll over and rates change on half-hours: refresh entity states then (no I/O).
        entry.async_on_unload(
            async_track_utc_time_change(self.hass, _half_hour_tick, minute=(0, 30), second=0)
        )
        entry.async_on_unload(entry.add_update_listener(_async_options_updated))
        entry.async_create_background_task(
            self.hass, self.async_start(), name=f"{DOMAIN} first update {entry.title}"
        )

    async def async_start(self) -> None:
        """Read the cache, show it, then fetch what is new (run as a background task)."""
        await self.async_load()
        self.async_update_listeners()
        await self.async_refresh()

    async def async_load(self) -> None:
        """Read the cache (no network); readings of meters no longer followed are dropped."""
        await self.hass.async_add_executor_job(self.cache.delete_meters, list(self.updaters))
        self._agreements = await self.hass.async_add_executor_job(
            self.cache.get_meta, AGREEMENTS_KEY
        )
        for updater in self.updaters.values():
            await updater.async_load()
        self.data = self._snapshot()

    def _snapshot(self) -> OctopusData:
        meters = {mpan: updater.snapshot for mpan, updater in self.updaters.items()}
        currency = next((m.currency for m in meters.values() if m.currency), "GBP")
        return OctopusData(meters=meters, currency=currency, updated_at=dt_util.utcnow())

    async def _async_update_data(self) -> OctopusData:
        """Fetch, cache, price and write statistics for every meter."""
        now = dt_util.utcnow()
        try:
            if agreements_due(self._agreements, now):
                self._agreements = await async_fetch_agreements(
                    self.hass, self.client, self.cache, self.config_entry, now
                )
                for meter in meters_with_agreements(self.config_entry, self._agreements):
                    self.updaters[meter.mpan].set_meter(meter)
            # Meters are independent, so their requests overlap.
            await run_together(updater.async_update(now) for updater in self.updaters.values())
        except OctopusAuthError as err:
            raise ConfigEntryAuthFailed(
                translation_domain=DOMAIN, translation_key="auth_failed"
            ) from err
        except OctopusError as err:
            raise UpdateFailed(
                translation_domain=DOMAIN,
                translation_key="update_failed",
                translation_placeholders={"error": type(err).__name__},
            ) from err
        for updater in self.updaters.values():
            await self._async_publish(updater)
        return self._snapshot()

    async def async_refresh_from(self, start: datetime) -> None:
        """Re-fetch everything from `start` and rewrite what changed (the refresh service)."""
        for updater in self.updaters.values():
            updater.refetch_from = start
        await self.async_refresh()
        if not self.last_update_success:
            raise HomeAssistantError(
                translation_domain=DOMAIN, translation_key="refresh_failed"
            ) from self.last_exception

    async def async_apply_options(self, sources: Mapping[str, PriceSource]) -> None:
        """New options: edited tariffs (`sources` of the meters whose tariffs changed), gas
        calorific values, and/or standing charges in or out of the cost statistic.

        The cached history is re-priced (gas converted again) with no consumption request;
        only the hours from the first changed price (or kWh) are rewritten (all of them when
        the standing-charge setting changed).
        """
        touched = set(sources)
        for mpan, updater in self.updaters.items():
            if isinstance(updater, GasMeterUpdater):
                calorific = calorific_values_for(self.config_entry.options, mpan)
                if await updater.async_set_calorific(calorific):
                    touched.add(mpan)
        standing = bool(self.config_entry.options.get(CONF_STANDING_CHARGES_IN_COST))
        if standing != self.include_standing:
            self.include_standing = standing
            for updater in self.updaters.values():
                updater.mark_money_dirty()
            touched = set(self.updaters)
        for mpan in touched:
            updater = self.updaters[mpan]
            if (source := sources.get(mpan)) is not None:
                await updater.async_set_source(source)
                if isinstance(source, AccountPriceSource):
                    await updater.async_refresh_tariffs(dt_util.utcnow())
            await self._async_publish(updater)
        self.async_set_updated_data(self._snapshot())

    async def _async_publish(self, updater: MeterUpdater) -> None:
        """Price what changed, write statistics from the first changed hour, tell listeners."""
        work = await updater.async_process(include_standing=self.include_standing)
        ids = updater.statistic_ids
        written: dict[str, int] = {}
        if work.energy_hours:
            written[ids.energy] = await async_write_statistic(
                self.hass,
                energy_metadata(ids.energy, updater.statistic_name(False)),
                work.energy_hours,
            )
        if work.money_hours:
            written[ids.money] = await async_write_statistic(
                self.hass,
                money_metadata(ids.money, updater.statistic_name(True), updater.snapshot.currency),
                work.money_hours,
            )
        if work.volume_hours and ids.volume is not None and isinstance(updater, GasMeterUpdater):
            written[ids.volume] = await async_write_statistic(
                self.hass,
                volume_metadata(ids.volume, updater.volume_statistic_name()),
                work.volume_hours,
            )
        await updater.async_commit()
        updater.report_unpriced(self.hass, self.config_entry.entry_id)
        if work.first_new is not None and work.last_new is not None:
            self.hass.bus.async_fire(
                EVENT_DATA_UPDATED,
                {
                    "entry_id": self.config_entry.entry_id,
                    "mpan": updater.meter.mpan,
                    "direction": updater.meter.flow,
                    "first_interval_start": work.first_new.isoformat(),
                    "last_interval_end": work.last_new.isoformat(),
                },
            )
        self.last_update_summary[updater.meter.mpan] = {
            "rows_written": written,
            "first_new": work.first_new.isoformat() if work.first_new else None,
        }


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
