"""Rate intervals and their column form (pure Python, no Home Assistant).

Instants are UTC epoch seconds inside, with NEG_INF / POS_INF standing for open ends, and
aware UTC datetimes at the edges (RateInterval).
"""

from __future__ import annotations

from array import array
from bisect import bisect_right
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal
from typing import Final, overload

from .money import RATE_SCALE, Units, int_column, rescaled, scale_of, to_decimal, to_units

NEG_INF: Final = -(2**62)
POS_INF: Final = 2**62


@dataclass(frozen=True, slots=True, kw_only=True)
class RateInterval:
    """A value in force over [start, end); end None means open-ended (UTC instants)."""

    start: datetime
    end: datetime | None
    value: Decimal


# Intervals as objects (custom tariffs, tests) or as columns (API tariffs).
type Intervals = tuple[RateInterval, ...] | RateSeries


def to_epoch(instant: datetime | None, open_value: int) -> int:
    """An aware datetime as whole epoch seconds; None maps to the given open sentinel."""
    if instant is None:
        return open_value
    if instant.tzinfo is None:
        raise ValueError(f"naive datetime {instant.isoformat()} (aware UTC expected)")
    return int(instant.timestamp())


def from_epoch(seconds: int) -> datetime:
    """Epoch seconds as an aware UTC datetime."""
    return datetime.fromtimestamp(seconds, UTC)


class DecimalView(Sequence[Decimal]):
    """Integer units read as Decimals, one made per access (the rate API's edge)."""

    __slots__ = ("scale", "units")

    def __init__(self, units: Units, scale: int) -> None:
        """View `units` of 10**-scale."""
        self.units, self.scale = units, scale

    def __len__(self) -> int:
        """Number of values."""
        return len(self.units)

    @overload
    def __getitem__(self, index: int) -> Decimal: ...
    @overload
    def __getitem__(self, index: slice) -> list[Decimal]: ...
    def __getitem__(self, index: int | slice) -> Decimal | list[Decimal]:
        """One value, or a list of them."""
        if isinstance(index, slice):
            return [to_decimal(units, self.scale) for units in self.units[index]]
        return to_decimal(self.units[index], self.scale)


class RateSeries:
    """Sorted, non-overlapping intervals as parallel columns (epoch seconds, POS_INF for an
    open end, rates as integer units of 10**-scale) for bisection.

    API tariffs (years of Agile half-hours) are built straight from these columns: no object
    per interval, not even a Decimal. Read as a sequence, it gives RateInterval objects, made
    on demand.
    """

    __slots__ = ("ends", "scale", "starts", "units")

    def __init__(
        self, starts: Sequence[int], ends: Sequence[int], values: Sequence[Decimal], owner: str
    ) -> None:
        """Validate the columns: every interval non-empty, sorted, none overlapping."""
        scale = scale_of(values, RATE_SCALE)
        self._init(starts, ends, int_column([to_units(v, scale) for v in values]), scale, owner)

    @classmethod
    def from_units(
        cls, starts: Sequence[int], ends: Sequence[int], units: Units, scale: int, owner: str
    ) -> RateSeries:
        """From rates already in integer units of 10**-scale (at least RATE_SCALE is kept)."""
        series = cls.__new__(cls)
        least = max(scale, RATE_SCALE)
        series._init(starts, ends, rescaled(units, scale, least), least, owner)
        return series

    def _init(
        self, starts: Sequence[int], ends: Sequence[int], units: Units, scale: int, owner: str
    ) -> None:
        self.starts = starts if isinstance(starts, array) else array("q", starts)
        self.ends = ends if isinstance(ends, array) else array("q", ends)
        self.units, self.scale = units, scale
        if not len(self.starts) == len(self.ends) == len(units):
            raise ValueError(f"{owner}: interval columns differ in length")
        previous_end = NEG_INF
        for index, (start, end) in enumerate(zip(self.starts, self.ends, strict=True)):
            if start >= end:
                raise ValueError(f"{owner}: interval {index} ends before it starts")
            if index and start < previous_end:
                raise ValueError(f"{owner}: intervals overlap or are not sorted at {index}")
            previous_end = end

    @classmethod
    def of(cls, intervals: Intervals, owner: str) -> RateSeries:
        """The series of intervals given either way."""
        if isinstance(intervals, RateSeries):
            return intervals
        starts = [to_epoch(i.start, NEG_INF) for i in intervals]
        ends = [to_epoch(i.end, POS_INF) for i in intervals]
        return cls(starts, ends, [i.value for i in intervals], owner)

    @property
    def values(self) -> DecimalView:
        """The rates as Decimals (made on access)."""
        return DecimalView(self.units, self.scale)

    def units_at(self, scale: int) -> Units:
        """The rates in units of 10**-scale (scale at least this series' own)."""
        return rescaled(self.units, self.scale, scale)

    def __len__(self) -> int:
        """Number of intervals."""
        return len(self.starts)

    def __getitem__(self, index: int) -> RateInterval:
        """One interval as an object."""
        end = self.ends[index]
        return RateInterval(
            start=from_epoch(self.starts[index]),
            end=None if end >= POS_INF else from_epoch(end),
            value=to_decimal(self.units[index], self.scale),
        )

    def __iter__(self) -> Iterator[RateInterval]:
        """The intervals as objects."""
        return (self[index] for index in range(len(self)))

    def __eq__(self, other: object) -> bool:
        """Same intervals (a tuple of RateInterval compares by its items)."""
        if isinstance(other, RateSeries):
            scale = max(self.scale, other.scale)
            return (
                self.starts == other.starts
                and self.ends == other.ends
                and list(self.units_at(scale)) == list(other.units_at(scale))
            )
        if isinstance(other, tuple):
            return tuple(self) == other
        return NotImplemented

    def __hash__(self) -> int:
        """Consistent with equality (equal series have equal lengths and ends)."""
        return hash((len(self), tuple(self.starts[:1]), tuple(self.ends[-1:])))

    def value_at(self, seconds: int) -> Decimal | None:
        """The rate in force at an instant (None in a gap)."""
        index = bisect_right(self.starts, seconds) - 1
        if index >= 0 and seconds < self.ends[index]:
            return to_decimal(self.units[index], self.scale)
        return None
