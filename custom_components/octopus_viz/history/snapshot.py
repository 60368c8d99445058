"""Immutable snapshots that entities, services and websocket commands read (no HA import)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime

from ..api.models import Direction, MeterConfig
from ..tariffs.source import PriceSource
from .series import HalfHourSeries


@dataclass(frozen=True, slots=True)
class MeterSnapshot:
    """One meter: its half-hours (with prices) and the price source in force."""

    config: MeterConfig
    series: HalfHourSeries
    source: PriceSource | None
    currency: str = "GBP"
    data_until: datetime | None = None


@dataclass(frozen=True, slots=True)
class OctopusData:
    """The account's meters, as of the last update."""

    meters: Mapping[str, MeterSnapshot]
    currency: str = "GBP"
    updated_at: datetime | None = None

    def by_direction(self, direction: Direction) -> list[MeterSnapshot]:
        """Snapshots of the meters measuring one direction."""
        return [m for m in self.meters.values() if m.config.direction is direction]
