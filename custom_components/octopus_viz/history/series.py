"""An immutable, indexed series of half-hours of one meter, built once and queried often.

Pure Python, no Home Assistant import. Input is three parallel columns sorted by start: the
start (aware, on :00/:30), the energy (kWh float) and the money (`Decimal`, cost for an import
meter, revenue for an export meter; None when the half-hour could not be priced).

Building precomputes what the queries in aggregation.py need so that each is a bisect plus sums
over slices run in C:
- per reading: Unix seconds (for bisect), local day number, priced money with 0 for unpriced,
  and a running count of unpriced half-hours;
- a dense grid of local days x 48 local slots over the days the series spans, each cell holding
  the kWh, the priced money and the number of (priced) readings that fell in it. The October
  repeated hour lands twice in slots 2 and 3, which is the required folding.

Updates rebuild: `merged` returns a new series. A full build of three years (52,560 rows) takes
a few tens of ms (see benchmarks/aggregation_bench.py), cheaper and simpler than
incremental patching.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
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

ZERO = Decimal(0)


@dataclass(frozen=True, slots=True)
class Window:
    """Grid cells of a run of local days, padded with empty cells outside the series.

    Flat lists of `days * 48` cells, day-major: cell `d * 48 + slot`.
    """

    first_day: int
    days: int
    kwh: list[float]
    value: list[Decimal]
    count: list[int]
    priced: list[int]


class HalfHourSeries:
    """Half-hours of one meter, sorted by start, one per start. Immutable."""

    __slots__ = (
        "_day0",
        "_days",
        "_epochs",
        "_g_count",
        "_g_kwh",
        "_g_priced",
        "_g_value",
        "_kwh",
        "_local_days",
        "_ndays",
        "_priced",
        "_unpriced_before",
        "_values",
    )

    def __init__(
        self, epochs: Sequence[int], kwh: Sequence[float], values: Sequence[Decimal | None]
    ) -> None:
        """Build from Unix seconds (sorted, unique, on half-hours); prefer the factories."""
        if not len(epochs) == len(kwh) == len(values):
            raise ValueError("columns differ in length")
        self._epochs = tuple(epochs)
        self._kwh = tuple(float(k) for k in kwh)
        self._values = tuple(values)
        self._priced = tuple(ZERO if v is None else v for v in self._values)
        unpriced_before = [0]
        running = 0
        for value in self._values:
            running += value is None
            unpriced_before.append(running)
        self._unpriced_before = tuple(unpriced_before)
        self._build_local_index()

    def _build_local_index(self) -> None:
        """Local day and slot of every reading, then the day x slot grid."""
        days: list[int] = []
        slots: list[int] = []
        current_utc_day = None
        offsets: tuple[int, ...] = ()
        # Inlined `periods.local_position`: this loop is most of the build time.
        for seconds in self._epochs:
            utc_day, in_day = divmod(seconds, DAY_SECONDS)
            if utc_day != current_utc_day:
                current_utc_day = utc_day
                offsets = utc_day_offsets(utc_day)
            local_day, local_in_day = divmod(
                seconds + offsets[in_day // HALF_HOUR_SECONDS], DAY_SECONDS
            )
            days.append(local_day)
            slots.append(local_in_day // HALF_HOUR_SECONDS)
        self._local_days = tuple(days)
        self._day0 = days[0] if days else 0
        self._ndays = days[-1] - self._day0 + 1 if days else 0
        cells = self._ndays * SLOTS_PER_DAY
        g_kwh = [0.0] * cells
        g_value = [ZERO] * cells
        g_count = [0] * cells
        g_priced = [0] * cells
        base = self._day0 * SLOTS_PER_DAY
        for day, slot, kwh, value in zip(days, slots, self._kwh, self._values, strict=True):
            cell = day * SLOTS_PER_DAY + slot - base
            g_kwh[cell] += kwh
            g_count[cell] += 1
            if value is not None:
                # The first price of a cell is shared, not added to zero: a new Decimal per
                # cell would be another object for the garbage collector to walk, forever.
                g_value[cell] = value if not g_priced[cell] else g_value[cell] + value
                g_priced[cell] += 1
        self._g_kwh, self._g_value = g_kwh, g_value
        self._g_count, self._g_priced = g_count, g_priced

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
        return cls((), (), ())

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
                self._values + other._values,
            )
        rows = dict(zip(self._epochs, zip(self._kwh, self._values, strict=True), strict=True))
        rows.update(zip(other._epochs, zip(other._kwh, other._values, strict=True), strict=True))
        ordered = sorted(rows)
        return HalfHourSeries(ordered, [rows[e][0] for e in ordered], [rows[e][1] for e in ordered])

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
    def epochs(self) -> tuple[int, ...]:
        """Unix seconds of each start."""
        return self._epochs

    @property
    def kwh(self) -> tuple[float, ...]:
        """Energy of each half-hour."""
        return self._kwh

    @property
    def values(self) -> tuple[Decimal | None, ...]:
        """Money of each half-hour (None = unpriced)."""
        return self._values

    @property
    def first_day(self) -> date | None:
        """Local date of the first half-hour."""
        return date_of_day_number(self._local_days[0]) if self._epochs else None

    @property
    def last_day(self) -> date | None:
        """Local date of the last half-hour."""
        return date_of_day_number(self._local_days[-1]) if self._epochs else None

    def start_of(self, index: int) -> datetime:
        """UTC start of a half-hour."""
        return utc_from_epoch(self._epochs[index])

    def end_of(self, index: int) -> datetime:
        """UTC end of a half-hour."""
        return utc_from_epoch(self._epochs[index] + HALF_HOUR_SECONDS)

    def local_days_with_data(self, lo: int, hi: int) -> list[int]:
        """Distinct local day numbers, ascending, of half-hours lo..hi-1."""
        return sorted(set(self._local_days[lo:hi]))

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
        return sum(self._priced[lo:hi], ZERO)

    def unpriced_count(self, lo: int, hi: int) -> int:
        """How many of half-hours lo..hi-1 are unpriced."""
        return self._unpriced_before[hi] - self._unpriced_before[lo]

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

        def cut[T](grid: list[T], empty: T) -> list[T]:
            inside = grid[lo * SLOTS_PER_DAY : hi * SLOTS_PER_DAY]
            if not pad_before and not pad_after:
                return inside
            return (
                [empty] * (pad_before * SLOTS_PER_DAY)
                + inside
                + [empty] * (pad_after * SLOTS_PER_DAY)
            )

        return Window(
            first_day=first_day,
            days=days,
            kwh=cut(self._g_kwh, 0.0),
            value=cut(self._g_value, ZERO),
            count=cut(self._g_count, 0),
            priced=cut(self._g_priced, 0),
        )
