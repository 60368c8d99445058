"""Hourly external statistics for the Energy dashboard.

Per electricity meter: `octopus_viz:electricity_{mpan}_import` (kWh) and `..._import_cost`
(currency) for an import meter, `..._export` and `..._export_revenue` for an export meter. Per
gas meter: `octopus_viz:gas_{mprn}_energy` (kWh), `..._cost` and, for meters reporting cubic
metres, `..._volume` (m³, unit_class "volume": the Energy dashboard's gas section takes either).
Rows are hourly running sums. Continuity rule: a write starts at the first hour
that changed and is anchored on the sum stored just before it, so sums never jump where new
rows meet old ones, nothing is counted twice after a restart, and untouched history is never
rewritten.
"""

from __future__ import annotations

from array import array
import asyncio
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from itertools import accumulate
from typing import overload

from homeassistant.components.recorder.models import (
    StatisticData,
    StatisticMeanType,
    StatisticMetaData,
)
from homeassistant.components.recorder.statistics import (
    async_add_external_statistics,
    statistics_during_period,
)
from homeassistant.const import UnitOfEnergy, UnitOfVolume
from homeassistant.core import HomeAssistant
from homeassistant.helpers.recorder import get_instance

from .api.models import Direction
from .const import DOMAIN
from .history.columns import Hourly

HOUR = timedelta(hours=1)
WRITE_CHUNK = 2_000
# How far back to look for the stored sum before a write, widening until a row is found.
_ANCHOR_WINDOWS = (timedelta(days=2), timedelta(days=40), timedelta(days=400), None)


@dataclass(frozen=True, slots=True)
class StatisticIds:
    """The energy and money statistic ids of one meter."""

    energy: str
    money: str
    volume: str | None = None  # gas meters reporting m³


def statistic_ids(mpan: str, direction: Direction) -> StatisticIds:
    """Ids as documented: import/import_cost or export/export_revenue."""
    base = f"{DOMAIN}:electricity_{mpan}_{direction.value}"
    money = "cost" if direction is Direction.IMPORT else "revenue"
    return StatisticIds(energy=base, money=f"{base}_{money}")


def gas_statistic_ids(mprn: str, *, volume: bool) -> StatisticIds:
    """gas_{mprn}_energy and _cost, and _volume when the meter reports m³."""
    base = f"{DOMAIN}:gas_{mprn}"
    return StatisticIds(
        energy=f"{base}_energy", money=f"{base}_cost", volume=f"{base}_volume" if volume else None
    )


def _metadata(stat_id: str, name: str, unit: str, unit_class: str | None) -> StatisticMetaData:
    return StatisticMetaData(
        mean_type=StatisticMeanType.NONE,
        has_sum=True,
        name=name,
        source=DOMAIN,
        statistic_id=stat_id,
        unit_class=unit_class,
        unit_of_measurement=unit,
    )


def energy_metadata(stat_id: str, name: str) -> StatisticMetaData:
    """Metadata of a kWh statistic (unit_class energy: listed by the Energy dashboard)."""
    return _metadata(stat_id, name, UnitOfEnergy.KILO_WATT_HOUR, "energy")


def volume_metadata(stat_id: str, name: str) -> StatisticMetaData:
    """Metadata of a gas m³ statistic (unit_class volume: the gas section lists it too)."""
    return _metadata(stat_id, name, UnitOfVolume.CUBIC_METERS, "volume")


def money_metadata(stat_id: str, name: str, currency: str) -> StatisticMetaData:
    """Metadata of a cost/revenue statistic (no unit class; picked as 'total costs')."""
    return _metadata(stat_id, name, currency, None)


def running_sums(values: Sequence[float], anchor: float) -> array[float]:
    """The running sum after each hour, continuing from `anchor`."""
    return array("d", accumulate(values, initial=anchor))[1:]


class StatisticRows(Sequence[StatisticData]):
    """Statistic rows of consecutive hours, each made when it is read.

    The recorder takes an iterable of rows, validates it in the event loop when it is queued
    and reads it again in its own thread when it imports it, which may be minutes later during
    a first backfill. A list would keep one dict per hour alive all that time: 180,000 objects
    for 3 years, each surviving young collections until enough of them make Python run a
    full collection, which stops every thread (the event loop too) for a few hundred ms. Here
    a queued chunk is three typed arrays, and each read makes a dict that lives until the
    next one. Starts are UTC already (the recorder would convert them), so a row read twice
    is the same row.
    """

    __slots__ = ("_hours", "_states", "_sums")

    def __init__(
        self, hours: Sequence[int], states: Sequence[float], sums: Sequence[float]
    ) -> None:
        """Parallel columns: hour starts (UTC epoch seconds), states and running sums."""
        if not len(hours) == len(states) == len(sums):
            raise ValueError("columns differ in length")
        self._hours = hours if isinstance(hours, array) else array("q", hours)
        self._states = states if isinstance(states, array) else array("d", states)
        self._sums = sums if isinstance(sums, array) else array("d", sums)

    def __len__(self) -> int:
        """Number of hours."""
        return len(self._hours)

    @overload
    def __getitem__(self, index: int) -> StatisticData: ...

    @overload
    def __getitem__(self, index: slice) -> StatisticRows: ...

    def __getitem__(self, index: int | slice) -> StatisticData | StatisticRows:
        """One row, made now, or the rows of a slice (sharing nothing mutable)."""
        if isinstance(index, slice):
            return StatisticRows(self._hours[index], self._states[index], self._sums[index])
        return _row(self._hours[index], self._states[index], self._sums[index])

    def __iter__(self) -> Iterator[StatisticData]:
        """Every row, each made as it is reached."""
        for hour, state, total in zip(self._hours, self._states, self._sums, strict=True):
            yield _row(hour, state, total)


def _row(hour: int, state: float, total: float) -> StatisticData:
    # A plain dict literal: StatisticData is a TypedDict, and calling it costs ~3x.
    return {"start": datetime.fromtimestamp(hour, UTC), "state": state, "sum": total}


def statistic_rows(hourly: Hourly, sums: Sequence[float], begin: int, end: int) -> StatisticRows:
    """Rows of the hours in [begin, end), made when the recorder reads them."""
    end = min(end, len(hourly.hours))
    return StatisticRows(hourly.hours[begin:end], hourly.values[begin:end], sums[begin:end])


async def async_sum_before(hass: HomeAssistant, stat_id: str, when: datetime) -> float:
    """The running sum stored in the last row before `when` (0 when there is none)."""
    for window in _ANCHOR_WINDOWS:
        start = datetime.fromtimestamp(0, tz=UTC) if window is None else when - window
        result = await get_instance(hass).async_add_executor_job(
            statistics_during_period,
            hass,
            start,
            when,
            {stat_id},
            "hour",
            None,
            {"sum"},
        )
        rows = result.get(stat_id)
        if rows:
            return float(rows[-1].get("sum") or 0.0)
    return 0.0


async def async_write_statistic(
    hass: HomeAssistant,
    metadata: StatisticMetaData,
    hourly: Hourly,
) -> int:
    """Write hours (all at or after the first changed hour), anchored on the stored sum.

    Returns the number of rows queued for the recorder.
    """
    if not hourly.hours:
        return 0
    first = datetime.fromtimestamp(hourly.hours[0], UTC)
    anchor = await async_sum_before(hass, metadata["statistic_id"], first)
    sums = await hass.async_add_executor_job(running_sums, hourly.values, anchor)
    # The recorder validates rows in the event loop as they are queued: hand them over in
    # chunks so years of hours never stall the loop (each chunk is an upsert of its own,
    # and its rows are made only as the recorder reads them: StatisticRows).
    for index in range(0, len(sums), WRITE_CHUNK):
        rows = statistic_rows(hourly, sums, index, index + WRITE_CHUNK)
        async_add_external_statistics(hass, metadata, rows)
        await asyncio.sleep(0)
    return len(sums)
