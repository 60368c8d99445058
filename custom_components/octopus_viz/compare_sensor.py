"""The account sensor "Cheapest tariff, last 30 days", read from the latest comparison.

The comparison runs in the executor when data or candidate rates change (see comparison.py);
this entity only reads its result, so a state write costs nothing.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from homeassistant.components.sensor import SensorEntity
from homeassistant.core import HomeAssistant

from .comparison import TariffComparison, comparison_of
from .coordinator import OctopusVizCoordinator
from .entity import AccountEntity
from .history.compare import CandidateResult
from .history.queries import money

KEY = "cheapest_tariff"


class CheapestTariffSensor(AccountEntity, SensorEntity):
    """The candidate with the lowest net over the last 30 days (fully covered ones only)."""

    _attr_translation_key = KEY
    _unrecorded_attributes = frozenset({"candidates", "start", "end"})

    def __init__(self, hass: HomeAssistant, coordinator: OctopusVizCoordinator) -> None:
        """An account entity enabled by default."""
        super().__init__(coordinator, KEY)
        self._comparison: TariffComparison = comparison_of(hass, coordinator.config_entry)

    def _cheapest(self) -> CandidateResult | None:
        latest = self._comparison.latest
        if latest is None:
            return None
        ranked = [c for c in latest.candidates if c.available and not c.uncovered_days]
        return ranked[0] if ranked else None  # ranked by net already

    @property
    def available(self) -> bool:
        """Available once a comparison of the period has been made."""
        return super().available and self._cheapest() is not None

    @property
    def native_value(self) -> str | None:
        """The cheapest candidate's name (your own tariffs when nothing beats them)."""
        cheapest = self._cheapest()
        return None if cheapest is None else cheapest.name

    @property
    def extra_state_attributes(self) -> Mapping[str, Any] | None:
        """What it would save against the actual net, and every candidate's net."""
        latest, cheapest = self._comparison.latest, self._cheapest()
        if latest is None or cheapest is None:
            return None
        # Partly covered candidates are left out: their net misses the uncovered days.
        complete = [c for c in latest.candidates if c.available and not c.uncovered_days]
        saving = None if cheapest.net is None else latest.actual.net - cheapest.net
        return {
            "saving": money(saving),
            "currency": latest.currency,
            "key": cheapest.key,
            "start": latest.start.isoformat(),
            "end": latest.end.isoformat(),
            "candidates": {c.name: money(c.net) for c in complete},
        }
