"""Diagnostics: settings and each meter's data and pricing state, from the coordinator's data,
with the key and personal data redacted."""

from __future__ import annotations

from typing import Any

from homeassistant.components.diagnostics import async_redact_data
from homeassistant.const import CONF_API_KEY
from homeassistant.core import HomeAssistant

from .api.models import CONF_MPAN, CONF_SERIAL
from .const import CONF_ACCOUNT_NUMBER
from .coordinator import OctopusVizConfigEntry
from .tariffs.calorific import CONF_CALORIFIC_VALUES, calorific_text, calorific_values_for
from .tariffs.keys import CONF_TARIFF_SOURCE

# The tariff-source and calorific-value options map MPAN/MPRN -> setting: their keys identify
# the meters. Each meter's source and calorific values are reported below by meter number.
TO_REDACT = {
    CONF_API_KEY,
    CONF_ACCOUNT_NUMBER,
    CONF_MPAN,
    CONF_SERIAL,
    CONF_TARIFF_SOURCE,
    CONF_CALORIFIC_VALUES,
    "title",
    "unique_id",
}


async def async_get_config_entry_diagnostics(
    hass: HomeAssistant, entry: OctopusVizConfigEntry
) -> dict[str, Any]:
    """What support needs, with nothing that identifies the user or their meters."""
    coordinator = entry.runtime_data
    meters: list[dict[str, Any]] = []
    for index, snapshot in enumerate(coordinator.data.meters.values()):
        timeline = snapshot.timeline
        config = snapshot.config
        gas: dict[str, Any] = {}
        if config.is_gas:
            calorific = calorific_values_for(entry.options, config.mpan)
            gas = {"unit": config.unit.value, "calorific_values": calorific_text(calorific)}
        meters.append(
            {
                # Meters are numbered, not named: an MPAN identifies a home.
                "meter": index,
                "direction": config.flow,
                **gas,
                "agreements": [a.tariff_code for a in snapshot.config.agreements],
                "half_hours_cached": len(snapshot.series),
                "data_until": snapshot.data_until.isoformat() if snapshot.data_until else None,
                "tariff_source": snapshot.tariff_source,
                "tariffs": [t.name for t in timeline.tariffs] if timeline else [],
                "tariff_error": snapshot.tariff_error,
                "tariff_version": snapshot.tariff_version,
                "unpriced_half_hours": snapshot.series.unpriced_count(0, len(snapshot.series)),
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
