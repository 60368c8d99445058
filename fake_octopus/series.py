"""Rate row series: ordered, non-overlapping runs of published rows, sliced without materialising.

Agile publishes a row per half hour and Flux five per day, so a series computes its rows on
demand from a position; only the rows of the requested page are ever built.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal
from typing import Protocol

from .clock import ceil_index, from_index, local_date, local_wall_to_utc, to_index

VAT_RATE = Decimal("1.05")
_FOUR_PLACES = Decimal("0.0001")
_NEG_INF = float("-inf")
_POS_INF = float("inf")


def inc_vat(value_exc_vat: Decimal) -> Decimal:
    """The published inc-VAT value: 5% VAT, rounded half-up to 4 decimals."""
    return (value_exc_vat * VAT_RATE).quantize(_FOUR_PLACES, rounding=ROUND_HALF_UP)


@dataclass(frozen=True, slots=True)
class RateEntry:
    """One published row (unit rate in p/kWh or standing charge in p/day), exc and inc VAT."""

    valid_from: datetime | None
    valid_to: datetime | None
    value_exc_vat: Decimal
    value_inc_vat: Decimal
    payment_method: str | None = None

    @classmethod
    def make(
        cls,
        valid_from: datetime | None,
        valid_to: datetime | None,
        value_exc_vat: Decimal,
        payment_method: str | None = None,
    ) -> RateEntry:
        """Build a row, deriving the inc-VAT value."""
        return cls(valid_from, valid_to, value_exc_vat, inc_vat(value_exc_vat), payment_method)

    def in_force(self, at: datetime) -> bool:
        """Whether the row covers an instant."""
        return (self.valid_from is None or self.valid_from <= at) and (
            self.valid_to is None or at < self.valid_to
        )


class RateSeries(Protocol):
    """Rows in ascending time order; both valid_from and valid_to are non-decreasing."""

    def __len__(self) -> int:
        """Number of rows."""
        ...

    def entry(self, position: int) -> RateEntry:
        """The row at a position (0 = oldest)."""
        ...

    def span(self, start: datetime | None, end: datetime | None) -> range:
        """Positions of the rows overlapping [start, end) (None = unbounded)."""
        ...


class ListSeries:
    """A short, fully built list of rows (quarterly prices, fixed tariffs)."""

    def __init__(self, entries: Sequence[RateEntry]) -> None:
        """Index the rows by their edges for bisecting."""
        self._entries = list(entries)
        # Float timestamps keep sub-second precision for the comparisons.
        self._starts = [
            _NEG_INF if e.valid_from is None else e.valid_from.timestamp() for e in entries
        ]
        self._ends = [_POS_INF if e.valid_to is None else e.valid_to.timestamp() for e in entries]

    def __len__(self) -> int:
        """Number of rows."""
        return len(self._entries)

    def entry(self, position: int) -> RateEntry:
        """The row at a position."""
        return self._entries[position]

    def span(self, start: datetime | None, end: datetime | None) -> range:
        """Rows with valid_to > start and valid_from < end."""
        low = 0 if start is None else bisect_right(self._ends, start.timestamp())
        high = len(self._entries) if end is None else bisect_left(self._starts, end.timestamp())
        return range(low, max(low, high))


class HalfHourlySeries:
    """One row per half hour from `first` (inclusive) to `end` (exclusive) indices (Agile)."""

    def __init__(
        self, first: int, end: int, price: Callable[[int], Decimal], payment_method: str | None
    ) -> None:
        """`price(index)` gives the exc-VAT value of the half hour starting at that index."""
        self._first = first
        self._end = max(first, end)
        self._price = price
        self._payment_method = payment_method

    def __len__(self) -> int:
        """Number of rows."""
        return self._end - self._first

    def entry(self, position: int) -> RateEntry:
        """The row of the position-th half hour."""
        index = self._first + position
        return RateEntry.make(
            from_index(index), from_index(index + 1), self._price(index), self._payment_method
        )

    def span(self, start: datetime | None, end: datetime | None) -> range:
        """Half hours overlapping the period."""
        low = 0 if start is None else _clamp(to_index(start) - self._first, len(self))
        high = len(self) if end is None else _clamp(ceil_index(end) - self._first, len(self))
        return range(low, max(low, high))


@dataclass(frozen=True, slots=True)
class Band:
    """A part of a local day, by wall-clock hours (end 24 = midnight after; 5.5 = 05:30)."""

    start_hour: float
    end_hour: float
    name: str


class LocalDayBandSeries:
    """Rows for the same bands of every UK local day from `first_day` to `last_day` (Flux).

    Band edges are local wall-clock times, so in UTC they move by an hour across clock changes.
    """

    def __init__(
        self,
        first_day: date,
        last_day: date,
        bands: Sequence[Band],
        price: Callable[[date, Band], Decimal],
        payment_method: str | None = None,
    ) -> None:
        """`price(day, band)` gives the exc-VAT value of a band on a local day."""
        self._first_day = first_day
        self._days = max(0, (last_day - first_day).days + 1)
        self._bands = tuple(bands)
        self._price = price
        self._payment_method = payment_method

    def __len__(self) -> int:
        """Number of rows."""
        return self._days * len(self._bands)

    def _bounds(self, position: int) -> tuple[date, Band, datetime, datetime]:
        day_offset, band_number = divmod(position, len(self._bands))
        day = self._first_day + timedelta(days=day_offset)
        band = self._bands[band_number]
        return (
            day,
            band,
            _wall(day, band.start_hour),
            _wall(day, band.end_hour),
        )

    def entry(self, position: int) -> RateEntry:
        """The row of a band on a day."""
        day, band, start, end = self._bounds(position)
        return RateEntry.make(start, end, self._price(day, band), self._payment_method)

    def _first_position_of(self, moment: datetime) -> int:
        days = (local_date(moment) - self._first_day).days
        return _clamp(days * len(self._bands), len(self))

    def span(self, start: datetime | None, end: datetime | None) -> range:
        """Rows overlapping the period: start from the local day, then step over whole bands."""
        size = len(self)
        low = 0
        if start is not None:
            low = self._first_position_of(start)
            while low < size and self._bounds(low)[3] <= start:
                low += 1
        high = size
        if end is not None:
            high = self._first_position_of(end)
            while high < size and self._bounds(high)[2] < end:
                high += 1
        return range(low, max(low, high))


def _wall(day: date, hours: float) -> datetime:
    whole = int(hours)
    return local_wall_to_utc(day, whole, round((hours - whole) * 60))


def _clamp(value: int, size: int) -> int:
    return min(max(value, 0), size)
