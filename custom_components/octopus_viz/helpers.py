"""Finding the config entry a service call or websocket command is about."""

from __future__ import annotations

from homeassistant.config_entries import ConfigEntryState
from homeassistant.core import HomeAssistant

from .const import DOMAIN
from .coordinator import OctopusVizConfigEntry
from .history.queries import QueryError


def resolve_entry(hass: HomeAssistant, entry_id: str | None) -> OctopusVizConfigEntry:
    """The entry asked for, or the only loaded one when none is named.

    Raises QueryError (translated by the caller) when it does not exist, is not loaded, or
    several accounts make the choice ambiguous.
    """
    if entry_id:
        entry = hass.config_entries.async_get_entry(entry_id)
        if entry is None or entry.domain != DOMAIN:
            raise QueryError("entry_not_found", entry_id=entry_id)
        if entry.state is not ConfigEntryState.LOADED:
            raise QueryError("entry_not_loaded", entry_id=entry_id)
        return entry
    loaded = hass.config_entries.async_loaded_entries(DOMAIN)
    if not loaded:
        raise QueryError("no_entry")
    if len(loaded) > 1:
        raise QueryError("entry_required")
    return loaded[0]
