"""The octopus_viz integration: Octopus Energy half-hourly history, costs and profiles."""

from __future__ import annotations

from homeassistant.const import Platform
from homeassistant.core import HomeAssistant
from homeassistant.helpers import config_validation as cv
from homeassistant.helpers.typing import ConfigType

from .card import async_register_card, async_remove_resource
from .comparison import async_setup_comparison
from .const import DOMAIN
from .coordinator import OctopusVizConfigEntry, async_create_coordinator, cache_path
from .history.cache import remove_cache_file
from .services import async_setup_services
from .websocket import async_setup_websocket

PLATFORMS: list[Platform] = [Platform.SENSOR]
CONFIG_SCHEMA = cv.config_entry_only_config_schema(DOMAIN)


async def async_setup(hass: HomeAssistant, config: ConfigType) -> bool:
    """Services, websocket commands and the card exist once, whatever the entries."""
    async_setup_services(hass)
    async_setup_websocket(hass)
    await async_register_card(hass)
    return True


async def async_setup_entry(hass: HomeAssistant, entry: OctopusVizConfigEntry) -> bool:
    """Wire the account, set up the sensors, then read the cache and backfill in the background."""
    coordinator = await async_create_coordinator(hass, entry)
    entry.runtime_data = coordinator
    await async_setup_comparison(hass, entry)
    await hass.config_entries.async_forward_entry_setups(entry, PLATFORMS)
    coordinator.async_start_in_background()
    return True


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
