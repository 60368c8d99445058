"""A meter's tariff timeline: at most one tariff in force at every instant.

Rules:
- tariffs are for one direction and their validity ranges may not overlap (the error names
  both tariffs); consecutive ranges meet exactly, so a boundary instant belongs to the later
  tariff ([valid_from, valid_to) on each);
- an instant covered by no tariff, or by an interval tariff without a rate row for it, is
  unpriced: None, never zero;
- the standing charge of a local day is the one in force at the day's local midnight
  (00:00 Europe/London), i.e. the tariff and standing-charge row valid at that instant.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Final

from ..api.local_time import local_midnight_epoch
from ..api.models import Direction
from .model import Tariff, TariffConfigError, TariffIssue
from .money import RATE_SCALE
from .rates import NEG_INF, POS_INF, from_epoch, to_epoch
from .segments import Segment, UnitSegment, tariff_segments, tariff_unit_segments

# How far next_change looks before concluding the rate never changes (a flat open tariff
# would otherwise be walked forever, e.g. an Economy 7 tariff whose two rates are equal).
NEXT_CHANGE_HORIZON: Final = timedelta(days=400)


@dataclass(frozen=True, slots=True)
class RateSegment:
    """A rate (None = unpriced) in force over [start, end)."""

    start: datetime
    end: datetime
    rate: Decimal | None


class Timeline:
    """Tariffs of one direction in time order, answering "what does a kWh cost at t"."""

    def __init__(self, tariffs: Iterable[Tariff], direction: Direction | None = None) -> None:
        """Sort and validate the tariffs (raises TariffConfigError on overlap or mixed use)."""
        ordered = sorted(tariffs, key=lambda t: t.span)
        issues: list[TariffIssue] = []
        if direction is None and ordered:
            direction = ordered[0].direction
        for tariff in ordered:
            if tariff.direction != direction:
                issues.append(
                    TariffIssue(
                        key="direction_mismatch",
                        tariff=tariff.name,
                        message=f"Tariff {tariff.name} is for {tariff.direction}, not {direction}",
                    )
                )
        # Track the tariff reaching furthest so far: a long tariff overlapping several later
        # ones is reported against each of them.
        reach: Tariff | None = None
        for tariff in ordered:
            if reach is not None and reach.span[1] > tariff.span[0]:
                issues.append(
                    TariffIssue(
                        key="tariffs_overlap",
                        tariff=tariff.name,
                        other_tariff=reach.name,
                        message=f"Tariffs {reach.name} and {tariff.name} overlap in time",
                    )
                )
            if reach is None or tariff.span[1] > reach.span[1]:
                reach = tariff
        if issues:
            raise TariffConfigError(issues)
        self._direction = direction
        self._tariffs = tuple(ordered)
        self._starts = [t.span[0] for t in ordered]
        self._rate_scale = max((t.rate_scale for t in ordered), default=RATE_SCALE)

    @property
    def direction(self) -> Direction | None:
        """The direction priced (None for an empty timeline)."""
        return self._direction

    @property
    def tariffs(self) -> tuple[Tariff, ...]:
        """The tariffs in time order."""
        return self._tariffs

    def _index_at(self, seconds: int) -> int | None:
        index = bisect_right(self._starts, seconds) - 1
        if index >= 0 and self._tariffs[index].covers(seconds):
            return index
        return None

    def tariff_at(self, instant: datetime) -> Tariff | None:
        """The tariff in force at the instant, if any."""
        index = self._index_at(to_epoch(instant, NEG_INF))
        return None if index is None else self._tariffs[index]

    def rate_at(self, instant: datetime) -> Decimal | None:
        """The unit rate (currency/kWh) at the instant, None when unpriced."""
        seconds = to_epoch(instant, NEG_INF)
        index = self._index_at(seconds)
        return None if index is None else self._tariffs[index].rate_at_epoch(seconds)

    def standing_charge_for_day(self, day: date) -> Decimal | None:
        """The standing charge (currency/day) in force at the local day's midnight."""
        seconds = local_midnight_epoch(day)
        index = self._index_at(seconds)
        return None if index is None else self._tariffs[index].standing_charge_at_epoch(seconds)

    @property
    def rate_scale(self) -> int:
        """Scale of the integer rates of `iter_unit_segments_epoch` (that of the finest)."""
        return self._rate_scale

    def iter_segments_epoch(self, lo: int, hi: int) -> Iterator[Segment]:
        """Contiguous segments exactly covering [lo, hi) in epoch seconds (hi may be POS_INF)."""
        return self._walk(lo, hi, tariff_segments)

    def iter_unit_segments_epoch(self, lo: int, hi: int) -> Iterator[UnitSegment]:
        """`iter_segments_epoch` with integer rates in units of 10**-rate_scale."""
        scale = self._rate_scale
        for tariff_scale, segments in self._walk_tariffs(lo, hi, tariff_unit_segments):
            if tariff_scale == scale:
                yield from segments
            else:
                factor = 10 ** (scale - tariff_scale)
                for start, end, rate in segments:
                    yield (start, end, None if rate is None else rate * factor)

    def _walk[T](
        self, lo: int, hi: int, segments_of: Callable[[Tariff, int, int], Iterator[T]]
    ) -> Iterator[T]:
        for _scale, segments in self._walk_tariffs(lo, hi, segments_of):
            yield from segments

    def _walk_tariffs[T](
        self, lo: int, hi: int, segments_of: Callable[[Tariff, int, int], Iterator[T]]
    ) -> Iterator[tuple[int, Iterator[T]]]:
        """Runs of segments (each with the rate scale of its tariff) covering [lo, hi)."""
        gap: Callable[[int, int], Iterator[T]] = _gap  # type: ignore[assignment]
        cursor = lo
        index = max(bisect_right(self._starts, lo) - 1, 0)
        for tariff in self._tariffs[index:]:
            if cursor >= hi:
                return
            start, end = tariff.span
            if end <= cursor:
                continue
            if start > cursor:
                gap_end = min(start, hi)
                yield (self._rate_scale, gap(cursor, gap_end))
                cursor = gap_end
                if cursor >= hi:
                    return
            seg_end = min(end, hi)
            yield (tariff.rate_scale, segments_of(tariff, cursor, seg_end))
            cursor = seg_end
        if cursor < hi:
            yield (self._rate_scale, gap(cursor, hi))

    def segments(self, start: datetime, end: datetime) -> Iterator[RateSegment]:
        """Rate segments exactly covering [start, end), adjacent equal rates merged."""
        lo, hi = to_epoch(start, NEG_INF), to_epoch(end, POS_INF)
        for seg_start, seg_end, rate in _merged(self.iter_segments_epoch(lo, hi)):
            yield RateSegment(from_epoch(seg_start), from_epoch(seg_end), rate)

    def next_change(
        self, instant: datetime, horizon: timedelta = NEXT_CHANGE_HORIZON
    ) -> tuple[datetime, Decimal | None] | None:
        """The next instant after `instant` where the rate changes, with the new rate.

        Looks across band edges, interval rows, tariff boundaries and clock changes; a change
        to "unpriced" (e.g. past the last published Agile row) is reported with None. Returns
        None when nothing changes within `horizon` (the walk is bounded so that an open-ended
        flat tariff ends the search).
        """
        lo = to_epoch(instant, NEG_INF)
        hi = lo + int(horizon.total_seconds())
        segments = _merged(self.iter_segments_epoch(lo, hi))
        next(segments, None)  # the segment holding `instant`
        for seg_start, _seg_end, rate in segments:
            # Adjacent equal rates are merged, so the second segment is the change.
            return from_epoch(seg_start), rate
        return None

    def unpriced_ranges(self, start: datetime, end: datetime) -> list[tuple[datetime, datetime]]:
        """Maximal sub-ranges of [start, end) without a rate."""
        return [
            (from_epoch(lo), from_epoch(hi))
            for lo, hi, rate in _merged(
                self.iter_segments_epoch(to_epoch(start, NEG_INF), to_epoch(end, POS_INF))
            )
            if rate is None
        ]


def _gap(lo: int, hi: int) -> Iterator[tuple[int, int, None]]:
    yield (lo, hi, None)


def _merged(segments: Iterator[Segment]) -> Iterator[Segment]:
    """Join adjacent segments with equal rates (None equals only None)."""
    pending: Segment | None = None
    for segment in segments:
        if pending is not None and pending[2] == segment[2] and pending[1] == segment[0]:
            pending = (pending[0], segment[1], pending[2])
            continue
        if pending is not None:
            yield pending
        pending = segment
    if pending is not None:
        yield pending
