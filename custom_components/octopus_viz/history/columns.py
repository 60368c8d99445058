"""Pure steps of an update: merge fetched readings, (re)price, find what changed, sum hours.

The coordinator runs these in the executor (they touch tens of thousands of rows) and keeps
only the Home Assistant glue for itself. No Home Assistant import here.
"""

from __future__ import annotations

from array import array
from bisect import bisect_left
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from ..api.local_time import HALF_HOUR_SECONDS
from ..api.models import HalfHourReadings
from ..tariffs.money import MoneyColumn, concat

HOUR_SECONDS = 2 * HALF_HOUR_SECONDS

# Prices half-hours given their starts (UTC epoch seconds) and kWh. A MoneyColumn (exact
# integers) is what the cache keeps; Decimals (None = unpriced) are accepted and converted.
type PriceFn = Callable[[Sequence[int], Sequence[float]], MoneyColumn | Sequence[Decimal | None]]
type StandingFn = Callable[[date], Decimal | None]


class Columns:
    """One meter's half-hours as parallel typed columns, sorted by start, one per start (merge
    keeps both true; the hourly sums rely on them): starts (UTC epoch seconds, int64), kWh
    (float64) and money (exact integers, see tariffs.money).

    No Python object per half-hour: three years of import and export are a few MB that the
    garbage collector never walks. `values` gives Decimals for the edges that want them.
    """

    __slots__ = ("kwh", "money", "starts")

    def __init__(
        self,
        starts: Sequence[int],
        kwh: Sequence[float],
        money: MoneyColumn | Sequence[Decimal | None],
    ) -> None:
        """Wrap (or convert to) typed columns of the same length."""
        self.starts = starts if isinstance(starts, array) else array("q", starts)
        self.kwh = kwh if isinstance(kwh, array) else array("d", kwh)
        self.money = money if isinstance(money, MoneyColumn) else MoneyColumn.from_decimals(money)
        if not len(self.starts) == len(self.kwh) == len(self.money):
            raise ValueError("columns differ in length")

    @classmethod
    def empty(cls) -> Columns:
        """No data yet."""
        return cls(array("q"), array("d"), MoneyColumn.empty())

    def __len__(self) -> int:
        """Number of half-hours."""
        return len(self.starts)

    def __eq__(self, other: object) -> bool:
        """Same half-hours, energies and money."""
        if not isinstance(other, Columns):
            return NotImplemented
        return (self.starts, self.kwh, self.money) == (other.starts, other.kwh, other.money)

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        """Size, for test failures."""
        return f"Columns({len(self)} half-hours)"

    @property
    def values(self) -> list[Decimal | None]:
        """Money of each half-hour as Decimals (an edge: one object per half-hour)."""
        return self.money.decimals()

    @property
    def last_start(self) -> int | None:
        """Start of the newest half-hour."""
        return self.starts[-1] if self.starts else None

    def pick(self, indexes: Sequence[int]) -> Columns:
        """The half-hours at the given indexes (ascending)."""
        starts, kwh = self.starts, self.kwh
        return Columns(
            array("q", [starts[i] for i in indexes]),
            array("d", [kwh[i] for i in indexes]),
            self.money.pick(indexes),
        )


@dataclass(slots=True)
class Hourly:
    """Sums per UTC hour as columns: hour starts (UTC epoch seconds) and values."""

    hours: list[int]
    values: list[float]

    def __len__(self) -> int:
        """Number of hours."""
        return len(self.hours)


def _priced(price: PriceFn | None, starts: Sequence[int], kwh: Sequence[float]) -> MoneyColumn:
    if price is None:
        return MoneyColumn.unpriced(len(starts))
    money = price(starts, kwh)
    return money if isinstance(money, MoneyColumn) else MoneyColumn.from_decimals(money)


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
        new = Columns(starts, kwh, _priced(price, starts, kwh))
        merged = Columns(
            columns.starts + new.starts, columns.kwh + new.kwh, concat([columns.money, new.money])
        )
        return merged, len(columns.starts), new
    cut = bisect_left(columns.starts, starts[0])
    # Everything before `cut` is untouched; only the tail is rebuilt (a re-fetch window).
    tail = {start: offset for offset, start in enumerate(columns.starts[cut:], cut)}
    old_kwh = columns.kwh
    changed_starts: list[int] = []
    changed_kwh: list[float] = []
    for start, energy in zip(starts, kwh, strict=True):
        if (kept := tail.get(start)) is None or old_kwh[kept] != energy:
            changed_starts.append(start)
            changed_kwh.append(energy)
    if not changed_starts:
        return columns, None, Columns.empty()
    changed = Columns(changed_starts, changed_kwh, _priced(price, changed_starts, changed_kwh))
    # Both the old rows and the changed ones, then the tail's rows picked by start: the old
    # row's index, or (replacing it) the changed row's, after the old ones.
    both = Columns(
        columns.starts + changed.starts,
        columns.kwh + changed.kwh,
        concat([columns.money, changed.money]),
    )
    size = len(columns)
    tail.update((start, size + i) for i, start in enumerate(changed_starts))
    picked = both.pick([tail[start] for start in sorted(tail)])
    merged = Columns(
        columns.starts[:cut] + picked.starts,
        columns.kwh[:cut] + picked.kwh,
        concat([both.money.slice(0, cut), picked.money]),
    )
    first = bisect_left(merged.starts, changed_starts[0])
    return merged, first, changed


def reprice(
    columns: Columns, price: PriceFn, begin: int = 0
) -> tuple[Columns, int | None, Columns]:
    """Price the half-hours from index `begin` again.

    Returns the new columns, the index of the first price that differs from the stored one
    (what lets a tariff edit rewrite statistics only from the first affected hour) and the
    half-hours from the first to the last changed price with their new prices, to persist.
    """
    if begin >= len(columns):
        return columns, None, Columns.empty()
    starts = columns.starts
    new = _priced(price, starts[begin:], columns.kwh[begin:])
    old = columns.money.slice(begin)
    scale = max(new.scale, old.scale)
    new_units, old_units = new.at_scale(scale).units, old.at_scale(scale).units
    span = _differing_span(old_units, new_units, old.priced, new.priced)
    if span is None:
        return columns, None, Columns.empty()
    first, last = begin + span[0], begin + span[1]
    repriced = Columns(starts, columns.kwh, concat([columns.money.slice(0, begin), new]))
    # The run from the first to the last changed price: unchanged ones inside it are
    # stored again, which costs less than finding each one in Python.
    stop = last + 1
    money = repriced.money.slice(first, stop)
    changed = Columns(starts[first:stop], columns.kwh[first:stop], money)
    return repriced, first, changed


_CHUNK = 512  # half-hours compared at once in C before looking inside


def _differing_span(
    old: Sequence[int], new: Sequence[int], old_priced: Sequence[int], new_priced: Sequence[int]
) -> tuple[int, int] | None:
    """First and last index where two money columns differ (None when equal); slices are
    compared in C, only the chunks holding the ends are searched one by one."""

    if type(old) is not type(new):  # an int64 array and a list (a huge price) never compare
        old, new = list(old), list(new)

    def differs(lo: int, hi: int) -> bool:
        return old[lo:hi] != new[lo:hi] or old_priced[lo:hi] != new_priced[lo:hi]

    size = len(new)
    chunks = range(0, size, _CHUNK)
    head = next((lo for lo in chunks if differs(lo, lo + _CHUNK)), None)
    if head is None:
        return None
    tail = next(lo for lo in reversed(chunks) if differs(lo, lo + _CHUNK))
    first = next(i for i in range(head, min(head + _CHUNK, size)) if differs(i, i + 1))
    last = next(i for i in reversed(range(tail, min(tail + _CHUNK, size))) if differs(i, i + 1))
    return first, last


def hour_floor(epoch: int) -> int:
    """The UTC hour containing an instant."""
    return epoch - epoch % HOUR_SECONDS


def hourly_energy(columns: Columns, first: int) -> Hourly:
    """kWh per UTC hour for the hours from the one containing index `first` on."""
    sums = _hourly(columns.starts, columns.kwh, first)
    return Hourly(sums.hours, sums.values)


def hourly_money(
    columns: Columns,
    first: int,
    standing: StandingFn | None = None,
    local_day: Callable[[int], date | None] | None = None,
) -> Hourly:
    """Money per UTC hour (unpriced half-hours add nothing; they are reported elsewhere).

    Each hour is summed exactly in integers, then made a float (the statistics' rows). With
    `standing` and `local_day`, each local day's standing charge is added to the hour in
    which that day starts (`local_day(hour_start)` returns the date starting in that hour).
    """
    money = columns.money
    hourly = _hourly(columns.starts, money.units, first)
    divisor = 10**money.scale
    values = [units / divisor for units in hourly.values]
    if standing is not None and local_day is not None:
        for index, hour in enumerate(hourly.hours):
            day = local_day(hour)
            charge = standing(day) if day is not None else None
            if charge is not None:
                values[index] += float(charge)
    return Hourly(hourly.hours, values)


def _hourly[T: (int, float)](starts: Sequence[int], values: Sequence[T], first: int) -> _Sums[T]:
    out = _Sums[T]([], [])
    if first >= len(starts):
        return out
    # Start at the first half-hour of the hour containing `first`, so that hour is whole.
    begin = bisect_left(starts, hour_floor(starts[first]))
    if (paired := _paired(starts, values, begin)) is not None:
        return paired
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


def _paired[T: (int, float)](
    starts: Sequence[int], values: Sequence[T], begin: int
) -> _Sums[T] | None:
    """The hourly sums when the half-hours from `begin` on have no gap (the usual case): each
    hour is the sum of one pair, added in the loop's order. None when there is a gap."""
    count = len(starts) - begin
    first = starts[begin]
    # Starts are distinct half-hours in order (the columns' invariant), so `count` of them
    # spanning exactly `count` half-hours leave no gap.
    if first % HOUR_SECONDS or starts[-1] - first != (count - 1) * HALF_HOUR_SECONDS:
        return None  # the first hour's :00 half-hour is missing, or there is a gap
    tail = values[begin:]
    totals = [a + b for a, b in zip(tail[0::2], tail[1::2], strict=False)]
    if count % 2:
        totals.append(tail[-1])  # the newest hour has one half-hour so far
    return _Sums[T](list(range(first, first + len(totals) * HOUR_SECONDS, HOUR_SECONDS)), totals)


@dataclass(slots=True)
class _Sums[T: (int, float)]:
    hours: list[int]
    values: list[T]


def first_index_at_or_after(columns: Columns, epoch: int) -> int:
    """Index of the first half-hour starting at or after `epoch`."""
    return bisect_left(columns.starts, epoch)
