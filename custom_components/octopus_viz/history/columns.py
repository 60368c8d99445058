"""Pure steps of an update: merge fetched readings, (re)price, find what changed, sum hours.

The coordinator runs these in the executor (they touch tens of thousands of rows) and keeps
only the Home Assistant glue for itself. No Home Assistant import here.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from ..api.local_time import HALF_HOUR_SECONDS
from ..api.models import HalfHourReadings

HOUR_SECONDS = 2 * HALF_HOUR_SECONDS

# Prices half-hours given their starts (UTC epoch seconds) and kWh; None = unpriced.
type PriceFn = Callable[[Sequence[int], Sequence[float]], list[Decimal | None]]
type StandingFn = Callable[[date], Decimal | None]


@dataclass(slots=True)
class Columns:
    """One meter's half-hours as parallel columns, sorted by start (UTC epoch seconds)."""

    starts: list[int]
    kwh: list[float]
    values: list[Decimal | None]

    @classmethod
    def empty(cls) -> Columns:
        """No data yet."""
        return cls([], [], [])

    def __len__(self) -> int:
        """Number of half-hours."""
        return len(self.starts)

    @property
    def last_start(self) -> int | None:
        """Start of the newest half-hour."""
        return self.starts[-1] if self.starts else None


@dataclass(slots=True)
class Hourly:
    """Sums per UTC hour as columns: hour starts (UTC epoch seconds) and values."""

    hours: list[int]
    values: list[float]

    def __len__(self) -> int:
        """Number of hours."""
        return len(self.hours)


def _priced(price: PriceFn | None, starts: list[int], kwh: list[float]) -> list[Decimal | None]:
    return price(starts, kwh) if price is not None else [None] * len(starts)


def merge(
    columns: Columns, fetched: HalfHourReadings, price: PriceFn | None = None
) -> tuple[Columns, int | None, Columns]:
    """Add or replace readings, pricing the changed ones with `price` when given.

    Returns the new columns, the index of the first change (None when nothing changed) and
    the changed half-hours (with their prices) to persist. Unchanged readings keep their
    price. Readings newer than every cached one (backfills, polls) are appended without
    building any per-row object.
    """
    starts, kwh = fetched.starts, fetched.kwh
    if not starts:
        return columns, None, Columns.empty()
    if not columns.starts or starts[0] > columns.starts[-1]:
        values = _priced(price, starts, kwh)
        merged = Columns(columns.starts + starts, columns.kwh + kwh, columns.values + values)
        return merged, len(columns.starts), Columns(starts, kwh, values)
    cut = bisect_left(columns.starts, starts[0])
    # Everything before `cut` is untouched; only the tail is rebuilt.
    old = zip(columns.kwh[cut:], columns.values[cut:], strict=True)
    tail = dict(zip(columns.starts[cut:], old, strict=True))
    changed_starts: list[int] = []
    changed_kwh: list[float] = []
    for start, energy in zip(starts, kwh, strict=True):
        if (kept := tail.get(start)) is None or kept[0] != energy:
            changed_starts.append(start)
            changed_kwh.append(energy)
    if not changed_starts:
        return columns, None, Columns.empty()
    values = _priced(price, changed_starts, changed_kwh)
    for start, energy, value in zip(changed_starts, changed_kwh, values, strict=True):
        tail[start] = (energy, value)
    ordered = sorted(tail.items())
    merged = Columns(
        columns.starts[:cut] + [s for s, _ in ordered],
        columns.kwh[:cut] + [v[0] for _, v in ordered],
        columns.values[:cut] + [v[1] for _, v in ordered],
    )
    first = bisect_left(merged.starts, changed_starts[0])
    return merged, first, Columns(changed_starts, changed_kwh, values)


def reprice(
    columns: Columns, price: PriceFn, begin: int = 0
) -> tuple[Columns, int | None, dict[int, Decimal | None]]:
    """Price the half-hours from index `begin` again.

    Returns the new columns, the index of the first price that differs from the stored one
    (what lets a tariff edit rewrite statistics only from the first affected hour) and every
    changed price by start, to persist.
    """
    if begin >= len(columns):
        return columns, None, {}
    starts = columns.starts
    values = price(starts[begin:], columns.kwh[begin:])
    changed = {
        starts[begin + offset]: new
        for offset, (old, new) in enumerate(zip(columns.values[begin:], values, strict=True))
        if old != new
    }
    if not changed:
        return columns, None, {}
    first = bisect_left(starts, next(iter(changed)))
    return Columns(starts, columns.kwh, columns.values[:begin] + values), first, changed


def hour_floor(epoch: int) -> int:
    """The UTC hour containing an instant."""
    return epoch - epoch % HOUR_SECONDS


def hourly_energy(columns: Columns, first: int) -> Hourly:
    """kWh per UTC hour for the hours from the one containing index `first` on."""
    return _hourly(columns.starts, columns.kwh, first)


def hourly_money(
    columns: Columns,
    first: int,
    standing: StandingFn | None = None,
    local_day: Callable[[int], date | None] | None = None,
) -> Hourly:
    """Money per UTC hour (unpriced half-hours add nothing; they are reported elsewhere).

    With `standing` and `local_day`, each local day's standing charge is added to the hour in
    which that day starts (`local_day(hour_start)` returns the date starting in that hour).
    """
    priced = [float(v) if v is not None else 0.0 for v in columns.values]
    hourly = _hourly(columns.starts, priced, first)
    if standing is None or local_day is None:
        return hourly
    values = hourly.values
    for index, hour in enumerate(hourly.hours):
        day = local_day(hour)
        charge = standing(day) if day is not None else None
        if charge is not None:
            values[index] += float(charge)
    return hourly


def _hourly(starts: Sequence[int], values: Sequence[float], first: int) -> Hourly:
    out = Hourly([], [])
    if first >= len(starts):
        return out
    # Start at the first half-hour of the hour containing `first`, so that hour is whole.
    begin = bisect_left(starts, hour_floor(starts[first]))
    hours, totals = out.hours, out.values
    current = -1
    for start, value in zip(starts[begin:], values[begin:], strict=True):
        hour = start - start % HOUR_SECONDS
        if hour != current:
            hours.append(hour)
            totals.append(value)
            current = hour
        else:
            totals[-1] += value
    return out


def first_index_at_or_after(columns: Columns, epoch: int) -> int:
    """Index of the first half-hour starting at or after `epoch`."""
    return bisect_left(columns.starts, epoch)
