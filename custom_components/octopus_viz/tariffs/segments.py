"""Turn one tariff into contiguous rate segments over a span of epoch seconds.

A segment is `(start, end, rate)`: the rate (or None, unpriced) in force on [start, end).
Generation is lazy, so a span may be open-ended (POS_INF) and callers stop when they have
seen enough (next rate change) or walk it alongside sorted readings (pricing).

Bands are local wall-clock times. On an ordinary UK day local time is UTC plus a constant,
so each band is one segment computed by arithmetic. On the two clock-change days that is not
true (in October 01:00-02:00 local happens twice; in March it does not exist), so those days are
walked half-hour by half-hour, each UTC half-hour priced by the band holding its local time.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterator, Sequence
from datetime import datetime, timedelta
from decimal import Decimal

from ..api.local_time import (
    DAY_SECONDS,
    HALF_HOUR_SECONDS,
    LOCAL_TZ,
    local_date_of,
    local_midnight_epoch,
)
from .model import Tariff

type Segment = tuple[int, int, Decimal | None]
# The same with the rate in integer units of 10**-Tariff.rate_scale (what pricing reads).
type UnitSegment = tuple[int, int, int | None]

_ONE_DAY = timedelta(days=1)


def tariff_segments(tariff: Tariff, lo: int, hi: int) -> Iterator[Segment]:
    """Segments covering exactly [lo, hi) for the tariff (lo finite, hi may be POS_INF).

    The caller clips [lo, hi) to the tariff's validity first.
    """
    bands = tuple(band.rate for band in tariff.bands)
    return _segments(tariff, lo, hi, bands, tariff.day_series.values, tariff.night_series.values)


def tariff_unit_segments(tariff: Tariff, lo: int, hi: int) -> Iterator[UnitSegment]:
    """`tariff_segments` with integer rates (units of 10**-tariff.rate_scale)."""
    day, night = tariff.day_series.units, tariff.night_series.units
    return _segments(tariff, lo, hi, tariff.band_units, day, night)


def _segments[T](
    tariff: Tariff,
    lo: int,
    hi: int,
    bands: Sequence[T],
    day: Sequence[T],
    night: Sequence[T],
) -> Iterator[tuple[int, int, T | None]]:
    """Segments of the tariff, rates read from `bands` (by band index) or the day and night
    series' values given in the form wanted."""
    if lo >= hi:
        return
    if tariff.bands:
        if tariff.is_flat:  # one rate all day: a single segment
            yield (lo, hi, bands[0])
        else:
            yield from _band_segments(tariff, bands, lo, hi)
    elif tariff.night_intervals:
        yield from _economy7_segments(tariff, day, night, lo, hi)
    else:
        series = tariff.day_series
        yield from series_segments(series.starts, series.ends, day, lo, hi)


def series_segments[T](
    starts: Sequence[int], ends: Sequence[int], values: Sequence[T], lo: int, hi: int
) -> Iterator[tuple[int, int, T | None]]:
    """Segments of sorted non-overlapping intervals over [lo, hi), gaps yielded as None."""
    index = bisect_right(starts, lo) - 1
    if index < 0 or ends[index] <= lo:
        index += 1  # lo is in a gap (or before everything): start from the next interval
    cursor = lo
    count = len(starts)
    while cursor < hi:
        if index >= count:
            yield (cursor, hi, None)
            return
        start, end = starts[index], ends[index]
        if start > cursor:
            gap_end = min(start, hi)
            yield (cursor, gap_end, None)
            cursor = gap_end
            continue
        seg_end = min(end, hi)
        yield (cursor, seg_end, values[index])
        cursor = seg_end
        index += 1


def _band_segments[T](
    tariff: Tariff, rates: Sequence[T], lo: int, hi: int
) -> Iterator[tuple[int, int, T]]:
    day = local_date_of(lo)
    while True:
        day_start = local_midnight_epoch(day)
        if day_start >= hi:
            return
        next_day = day + _ONE_DAY
        day_end = local_midnight_epoch(next_day)  # > lo: the first day is the one holding lo
        parts = (
            _ordinary_day(tariff, rates, day_start)
            if day_end - day_start == DAY_SECONDS
            else _clock_change_day(tariff, rates, day_start, day_end)
        )
        for part_start, part_end, rate in parts:
            start, end = max(part_start, lo), min(part_end, hi)
            if start < end:
                yield (start, end, rate)
        day = next_day


def _ordinary_day[T](
    tariff: Tariff, rates: Sequence[T], day_start: int
) -> Iterator[tuple[int, int, T]]:
    for index in tariff.band_order:
        band = tariff.bands[index]
        yield (day_start + band.start_minute * 60, day_start + band.end_minute * 60, rates[index])


def _clock_change_day[T](
    tariff: Tariff, rates: Sequence[T], day_start: int, day_end: int
) -> Iterator[tuple[int, int, T]]:
    run_start = day_start
    run_band = -1
    for instant in range(day_start, day_end, HALF_HOUR_SECONDS):
        local = datetime.fromtimestamp(instant, LOCAL_TZ)
        band = tariff.slot_bands[(local.hour * 60 + local.minute) // 30]
        if band != run_band:
            if run_band >= 0:
                yield (run_start, instant, rates[run_band])
            run_start, run_band = instant, band
    yield (run_start, day_end, rates[run_band])


def _economy7_segments[T](
    tariff: Tariff, day: Sequence[T], night: Sequence[T], lo: int, hi: int
) -> Iterator[tuple[int, int, T | None]]:
    """Day/night windows on the UTC day, each filled from its register's intervals."""
    night_start = tariff.night_window[0] * 60
    night_end = tariff.night_window[1] * 60
    day_start = lo - lo % DAY_SECONDS
    day_series, night_series = tariff.day_series, tariff.night_series
    while day_start < hi:
        windows = (
            (day_start, day_start + night_start, day_series, day),
            (day_start + night_start, day_start + night_end, night_series, night),
            (day_start + night_end, day_start + DAY_SECONDS, day_series, day),
        )
        for window_start, window_end, series, values in windows:
            start, end = max(window_start, lo), min(window_end, hi)
            if start < end:
                yield from series_segments(series.starts, series.ends, values, start, end)
        day_start += DAY_SECONDS
