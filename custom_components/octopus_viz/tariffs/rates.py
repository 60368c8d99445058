"""Rate intervals and their column form (pure Python, no Home Assistant).

Instants are UTC epoch seconds inside, with NEG_INF / POS_INF standing for open ends, and
aware UTC datetimes at the edges (RateInterval).
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal
from typing import Final

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


class RateSeries:
    """Sorted, non-overlapping intervals as parallel lists (epoch seconds, POS_INF for an open
    end, values) for bisection.

    API tariffs (years of Agile half-hours) are built straight from these columns: no object
    per interval. Read as a sequence, it gives RateInterval objects, made on demand.
    """

    __slots__ = ("ends", "starts", "values")

    def __init__(self, starts: list[int], ends: list[int], values: list[Decimal], owner: str):
        """Validate the columns: every interval non-empty, sorted, none overlapping."""
        self.starts, self.ends, self.values = starts, ends, values
        for index, (start, end) in enumerate(zip(starts, ends, strict=True)):
            if start >= end:
                raise ValueError(f"{owner}: interval {index} ends before it starts")
            if index and start < ends[index - 1]:
                raise ValueError(f"{owner}: intervals overlap or are not sorted at {index}")

    @classmethod
    def of(cls, intervals: Intervals, owner: str) -> RateSeries:
        """The series of intervals given either way."""
        if isinstance(intervals, RateSeries):
            return intervals
        starts = [to_epoch(i.start, NEG_INF) for i in intervals]
        ends = [to_epoch(i.end, POS_INF) for i in intervals]
        return cls(starts, ends, [i.value for i in intervals], owner)

    def __len__(self) -> int:
        """Number of intervals."""
        return len(self.starts)

    def __getitem__(self, index: int) -> RateInterval:
        """One interval as an object."""
        end = self.ends[index]
        return RateInterval(
            start=from_epoch(self.starts[index]),
            end=None if end >= POS_INF else from_epoch(end),
            value=self.values[index],
        )

    def __iter__(self) -> Iterator[RateInterval]:
        """The intervals as objects."""
        return (self[index] for index in range(len(self)))

    def __eq__(self, other: object) -> bool:
        """Same intervals (a tuple of RateInterval compares by its items)."""
        if isinstance(other, RateSeries):
            return (self.starts, self.ends, self.values) == (other.starts, other.ends, other.values)
        if isinstance(other, tuple):
            return tuple(self) == other
        return NotImplemented

    def __hash__(self) -> int:
        """Consistent with equality (equal series have equal lengths and ends)."""
        return hash((len(self), tuple(self.starts[:1]), tuple(self.ends[-1:])))

    def value_at(self, seconds: int) -> Decimal | None:
        index = bisect_right(self.starts, seconds) - 1
        if index >= 0 and seconds < self.ends[index]:
            return self.values[index]
        return None
