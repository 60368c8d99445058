"""An immutable, indexed series of half-hours of one meter, built once and queried often.

Pure Python, no Home Assistant import. Input is three parallel columns sorted by start: the
start (aware, on :00/:30), the energy (kWh float) and the money (exact integers in a
`MoneyColumn`, or Decimals converted to one: cost for an import meter, revenue for an export
meter; unpriced when the half-hour could not be priced).

Every column is a typed array (int64, float64, bytes): no Python object per half-hour, so
years of history add nothing for the garbage collector to walk. Building precomputes what the
queries in aggregation.py need so that each is a bisect plus sums over slices run in C:
- per reading: Unix seconds (for bisect), its grid cell (local day and slot, see `_cells_of`),
  money units (0 when unpriced) and a priced mask;
- a dense grid of local days x 48 local slots over the days the series spans, each cell holding
  the kWh, the money units and the number of (priced) readings that fell in it. The October
  repeated hour lands twice in slots 2 and 3, which is the required folding.

Updates rebuild: `merged` returns a new series. A full build of three years (52,560 rows) takes
about 15 ms (see benchmarks/aggregation_bench.py), cheaper and simpler than incremental
patching; a re-pricing (`with_money`) shares the index and the energy grid and sums only the
money again.
"""

from __future__ import annotations

from array import array
from bisect import bisect_left
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime
from decimal import Decimal
import math

from ..api.local_time import (
    DAY_SECONDS,
    HALF_HOUR_SECONDS,
    SLOTS_PER_DAY,
    date_of_day_number,
    utc_day_offsets,
    utc_from_epoch,
)
from ..api.models import Reading
from ..tariffs.money import MONEY_SCALE, MoneyColumn, concat, int_column, rescaled, to_decimal

ZERO = Decimal(0)


@dataclass(frozen=True, slots=True)
class Window:
    """Grid cells of a run of local days, padded with empty cells outside the series.

    Flat columns of `days * 48` cells, day-major: cell `d * 48 + slot`. Money is in integer
    units of 10**-scale (tariffs.money).
    """

    first_day: int
    days: int
    kwh: Sequence[float]
    value: Sequence[int]
    count: Sequence[int]
    priced: Sequence[int]
    scale: int = MONEY_SCALE

    def at_scale(self, scale: int) -> Window:
        """The same cells with money at a larger scale."""
        if scale == self.scale:
            return self
        value = rescaled(int_column(self.value), self.scale, scale)
        return replace(self, value=value, scale=scale)


def _cells_of(epochs: Sequence[int]) -> tuple[int, array[int]]:
    """The first reading's local day number, and each reading's grid cell counted from that
    day's first slot: (local day - first day) * 48 + local slot.

    With the UTC offset `o` of its instant, a reading at Unix time `e` is in local half-hour
    (e + o) // 1800 since the epoch, so the cell is that minus the first day's. The offset
    changes twice a year, so the readings are taken one UTC day at a time: a complete day
    is a run of 48 cells (made in C), a day with gaps one subtraction per reading, and only
    the two clock-change days look up each half-hour's offset. The October repeated hour
    lands twice in local slots 2 and 3, which is the required folding.
    """
    cells: array[int] = array("i")
    if not epochs:
        return 0, cells
    first = epochs[0]
    first_offsets = utc_day_offsets(first // DAY_SECONDS)
    day0 = (first + first_offsets[first % DAY_SECONDS // HALF_HOUR_SECONDS]) // DAY_SECONDS
    base = day0 * SLOTS_PER_DAY
    size, index = len(epochs), 0
    while index < size:
        utc_day = epochs[index] // DAY_SECONDS
        end = bisect_left(epochs, (utc_day + 1) * DAY_SECONDS, index)
        offsets = utc_day_offsets(utc_day)
        offset = offsets[0]
        if offsets[-1] != offset:  # a clock change
            cells.extend(
                (e + offsets[e % DAY_SECONDS // HALF_HOUR_SECONDS]) // HALF_HOUR_SECONDS - base
                for e in epochs[index:end]
            )
        elif end - index == SLOTS_PER_DAY:  # every half-hour of the day
            cell = (epochs[index] + offset) // HALF_HOUR_SECONDS - base
            cells.extend(range(cell, cell + SLOTS_PER_DAY))
        else:
            cells.extend([(e + offset) // HALF_HOUR_SECONDS - base for e in epochs[index:end]])
        index = end
    return day0, cells


class HalfHourSeries:
    """Half-hours of one meter, sorted by start, one per start. Immutable."""

    __slots__ = (
        "_cells",
        "_day0",
        "_epochs",
        "_g_count",
        "_g_kwh",
        "_g_priced",
        "_g_value",
        "_kwh",
        "_money",
        "_ndays",
    )

    def __init__(
        self,
        epochs: Sequence[int],
        kwh: Sequence[float],
        values: MoneyColumn | Sequence[Decimal | None],
    ) -> None:
        """Build from Unix seconds (sorted, unique, on half-hours); prefer the factories.

        Money is a MoneyColumn (exact integers) or Decimals (None = unpriced), converted.
        """
        if not len(epochs) == len(kwh) == len(values):
            raise ValueError("columns differ in length")
        # Typed columns: no object per half-hour (arrays given are shared, never changed).
        self._epochs = epochs if isinstance(epochs, array) else array("q", epochs)
        self._kwh = kwh if isinstance(kwh, array) else array("d", map(float, kwh))
        self._money = (
            values if isinstance(values, MoneyColumn) else MoneyColumn.from_decimals(values)
        )
        self._build_local_index()

    def _build_local_index(self) -> None:
        """The grid cell of every reading, then the day x slot grid's energy and counts."""
        self._day0, self._cells = _cells_of(self._epochs)
        self._ndays = self._cells[-1] // SLOTS_PER_DAY + 1 if self._cells else 0
        cells = self._ndays * SLOTS_PER_DAY
        # Lists while summing (faster to index than arrays), typed columns once done.
        g_kwh = [0.0] * cells
        g_count = [0] * cells
        for cell, kwh in zip(self._cells, self._kwh, strict=True):
            g_kwh[cell] += kwh
            g_count[cell] += 1
        self._g_kwh = array("d", g_kwh)
        self._g_count = array("B", g_count)
        self._money_grid()

    def _money_grid(self) -> None:
        """The grid's money cells: units and the number of priced readings."""
        money = self._money
        cells = self._ndays * SLOTS_PER_DAY
        g_value = [0] * cells
        if money.priced.count(0) == 0:  # everything priced (the usual case): counted above
            for cell, units in zip(self._cells, money.units, strict=True):
                g_value[cell] += units
            self._g_priced = self._g_count
        else:
            g_priced = [0] * cells
            for cell, units, priced in zip(self._cells, money.units, money.priced, strict=True):
                g_value[cell] += units  # 0 when unpriced
                g_priced[cell] += priced
            self._g_priced = array("B", g_priced)
        self._g_value = int_column(g_value)

    def with_money(self, money: MoneyColumn) -> HalfHourSeries:
        """The same half-hours with other prices (a re-pricing): only the money is summed
        again, the local index and the energy grid are shared (they are never changed)."""
        if len(money) != len(self._epochs):
            raise ValueError("columns differ in length")
        series = object.__new__(HalfHourSeries)
        for name in ("_cells", "_day0", "_epochs", "_g_count", "_g_kwh", "_kwh", "_ndays"):
            setattr(series, name, getattr(self, name))
        series._money = money
        series._money_grid()
        return series

    @classmethod
    def from_columns(
        cls,
        starts: Sequence[datetime],
        kwh: Sequence[float],
        values: Sequence[Decimal | None] | None = None,
    ) -> HalfHourSeries:
        """Build from parallel columns; `values` None means nothing is priced.

        Raises ValueError if a start is naive, not on :00/:30, or starts are not strictly
        increasing (use `merged` to combine overlapping data).
        """
        epochs: list[int] = []
        previous = -math.inf
        for start in starts:
            if start.tzinfo is None:
                raise ValueError(f"naive datetime not accepted: {start!r}")
            stamp = start.timestamp()
            seconds = int(stamp)
            if seconds != stamp or seconds % HALF_HOUR_SECONDS:
                raise ValueError(f"not the start of a half-hour: {start.isoformat()}")
            if seconds <= previous:
                raise ValueError(f"starts not strictly increasing at {start.isoformat()}")
            previous = seconds
            epochs.append(seconds)
        if values is None:
            values = [None] * len(epochs)
        return cls(epochs, kwh, values)

    @classmethod
    def from_readings(
        cls, readings: Iterable[Reading], values: Sequence[Decimal | None] | None = None
    ) -> HalfHourSeries:
        """Build from `models.Reading`s (sorted by start) and their money, in the same order."""
        readings = list(readings)
        return cls.from_columns([r.start for r in readings], [r.kwh for r in readings], values)

    @classmethod
    def empty(cls) -> HalfHourSeries:
        """A series without readings."""
        return cls(array("q"), array("d"), MoneyColumn.empty())

    def merged(self, other: HalfHourSeries) -> HalfHourSeries:
        """A new series with `other`'s half-hours added, replacing those with the same start.

        Appending newer data (the usual daily case) skips the dictionary merge.
        """
        if not other._epochs:
            return self
        if not self._epochs or other._epochs[0] > self._epochs[-1]:
            return HalfHourSeries(
                self._epochs + other._epochs,
                self._kwh + other._kwh,
                concat([self._money, other._money]),
            )
        size = len(self)
        rows = {epoch: index for index, epoch in enumerate(self._epochs)}
        rows.update((epoch, size + index) for index, epoch in enumerate(other._epochs))
        order = [rows[epoch] for epoch in sorted(rows)]
        kwh = self._kwh + other._kwh
        return HalfHourSeries(
            array("q", sorted(rows)),
            array("d", [kwh[i] for i in order]),
            concat([self._money, other._money]).pick(order),
        )

    def __len__(self) -> int:
        """Number of half-hours."""
        return len(self._epochs)

    def __repr__(self) -> str:
        """Size and span, for logs and test failures."""
        if not self._epochs:
            return "HalfHourSeries(empty)"
        return (
            f"HalfHourSeries({len(self)} half-hours, {self.start_of(0).isoformat()}"
            f" .. {self.end_of(len(self) - 1).isoformat()})"
        )

    @property
    def epochs(self) -> Sequence[int]:
        """Unix seconds of each start."""
        return self._epochs

    @property
    def kwh(self) -> Sequence[float]:
        """Energy of each half-hour."""
        return self._kwh

    @property
    def values(self) -> tuple[Decimal | None, ...]:
        """Money of each half-hour (None = unpriced), as Decimals (an edge)."""
        return tuple(self._money.decimals())

    @property
    def money(self) -> MoneyColumn:
        """Money of each half-hour as exact integers."""
        return self._money

    @property
    def first_day(self) -> date | None:
        """Local date of the first half-hour."""
        return date_of_day_number(self._day0) if self._epochs else None

    @property
    def last_day(self) -> date | None:
        """Local date of the last half-hour."""
        return date_of_day_number(self._day0 + self._ndays - 1) if self._epochs else None

    def start_of(self, index: int) -> datetime:
        """UTC start of a half-hour."""
        return utc_from_epoch(self._epochs[index])

    def end_of(self, index: int) -> datetime:
        """UTC end of a half-hour."""
        return utc_from_epoch(self._epochs[index] + HALF_HOUR_SECONDS)

    def local_days_with_data(self, lo: int, hi: int) -> list[int]:
        """Distinct local day numbers, ascending, of half-hours lo..hi-1."""
        day0 = self._day0
        return sorted({day0 + cell // SLOTS_PER_DAY for cell in self._cells[lo:hi]})

    def index_range(self, start_seconds: int, end_seconds: int) -> tuple[int, int]:
        """[lo, hi) indexes of the half-hours starting in [start, end) Unix seconds."""
        return (
            bisect_left(self._epochs, start_seconds),
            bisect_left(self._epochs, end_seconds),
        )

    def kwh_sum(self, lo: int, hi: int) -> float:
        """Energy of half-hours lo..hi-1 (fsum: no drift over a year of small floats)."""
        return math.fsum(self._kwh[lo:hi])

    def value_sum(self, lo: int, hi: int) -> Decimal:
        """Money of the priced half-hours among lo..hi-1."""
        return to_decimal(self._money.total(lo, hi), self._money.scale)

    def unpriced_count(self, lo: int, hi: int) -> int:
        """How many of half-hours lo..hi-1 are unpriced."""
        return self._money.unpriced_count(lo, hi)

    def window(self, first_day: int, days: int) -> Window:
        """Grid cells of `days` local days from day number `first_day`, empty outside data."""
        # Overlap of the wanted days with the days the grid covers; the rest is padding.
        overlap_lo = max(first_day, self._day0)
        overlap_hi = min(first_day + days, self._day0 + self._ndays)
        if overlap_hi <= overlap_lo:
            lo = hi = pad_after = 0
            pad_before = days
        else:
            lo, hi = overlap_lo - self._day0, overlap_hi - self._day0
            pad_before = overlap_lo - first_day
            pad_after = first_day + days - overlap_hi

        def cut[T](grid: Sequence[T], empty: T) -> Sequence[T]:
            inside = grid[lo * SLOTS_PER_DAY : hi * SLOTS_PER_DAY]
            if not pad_before and not pad_after:
                return inside
            return [
                *([empty] * (pad_before * SLOTS_PER_DAY)),
                *inside,
                *([empty] * (pad_after * SLOTS_PER_DAY)),
            ]

        return Window(
            first_day=first_day,
            days=days,
            kwh=cut(self._g_kwh, 0.0),
            value=cut(self._g_value, 0),
            count=cut(self._g_count, 0),
            priced=cut(self._g_priced, 0),
            scale=self._money.scale,
        )
