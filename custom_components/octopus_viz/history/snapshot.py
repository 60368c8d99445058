"""Immutable snapshots that entities, services and websocket commands read (no HA import)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime

from ..api.models import Direction, Fuel, MeterConfig
from ..tariffs.timeline import Timeline
from .series import HalfHourSeries


@dataclass(frozen=True, slots=True)
class MeterSnapshot:
    """One meter: its half-hours (with prices) and its tariffs (None until they are known).

    The timeline is immutable (a new one is built when tariffs change), so readers need no
    wrapper and no lock.
    """

    config: MeterConfig
    series: HalfHourSeries
    timeline: Timeline | None
    currency: str = "GBP"
    data_until: datetime | None = None
    # Where the prices come from and how that went (for diagnostics): "account" or "custom",
    # why there is no timeline, and a counter that moves whenever the timeline is rebuilt.
    tariff_source: str = ""
    tariff_error: str | None = None
    tariff_version: int = 0
    # A gas meter reporting m³: the cubic metres of the same half-hours (kWh are in `series`).
    volume: HalfHourSeries | None = None


@dataclass(frozen=True, slots=True)
class OctopusData:
    """The account's meters, as of the last update."""

    meters: Mapping[str, MeterSnapshot]
    currency: str = "GBP"
    updated_at: datetime | None = None

    def electricity(self, direction: Direction) -> list[MeterSnapshot]:
        """Snapshots of the electricity meters of one direction (a gas meter is an import too)."""
        return [
            m
            for m in self.meters.values()
            if m.config.direction is direction and m.config.fuel is Fuel.ELECTRICITY
        ]
