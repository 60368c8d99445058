"""Diagnostics: settings, cache and pricing state, with the key and personal data redacted."""

from __future__ import annotations

from typing import Any

from homeassistant.components.diagnostics import async_redact_data
from homeassistant.const import CONF_API_KEY
from homeassistant.core import HomeAssistant

from .api.models import CONF_MPAN, CONF_SERIAL
from .const import CONF_ACCOUNT_NUMBER
from .coordinator import OctopusVizConfigEntry
from .tariffs.keys import CONF_TARIFF_SOURCE

# The tariff-source option maps MPAN -> source: its keys identify the meters. Each meter's
# source is reported below by meter number instead.
TO_REDACT = {
    CONF_API_KEY,
    CONF_ACCOUNT_NUMBER,
    CONF_MPAN,
    CONF_SERIAL,
    CONF_TARIFF_SOURCE,
    "title",
    "unique_id",
}


async def async_get_config_entry_diagnostics(
    hass: HomeAssistant, entry: OctopusVizConfigEntry
) -> dict[str, Any]:
    """What support needs, with nothing that identifies the user or their meters."""
    coordinator = entry.runtime_data
    meters: list[dict[str, Any]] = []
    for index, updater in enumerate(coordinator.updaters.values()):
        snapshot = updater.snapshot
        source = updater.source
        timeline = source.timeline
        meters.append(
            {
                # Meters are numbered, not named: an MPAN identifies a home.
                "meter": index,
                "direction": updater.meter.direction.value,
                "agreements": [a.tariff_code for a in updater.meter.agreements],
                "half_hours_cached": len(updater.columns),
                "data_until": snapshot.data_until.isoformat() if snapshot.data_until else None,
                "tariff_source": type(source).__name__,
                "tariffs": [t.name for t in timeline.tariffs] if timeline else [],
                "tariff_error": source.error,
                "tariff_version": source.version,
                "unpriced_half_hours": sum(v is None for v in updater.columns.values),
            }
        )
    return {
        "entry": async_redact_data(entry.as_dict(), TO_REDACT),
        "last_update_success": coordinator.last_update_success,
        "last_exception": type(coordinator.last_exception).__name__
        if coordinator.last_exception
        else None,
        "meters": meters,
    }
