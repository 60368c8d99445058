"""Property tests (hypothesis): band coverage, additivity, flat tariffs, consecutive tariffs."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import MAX_PREC, Decimal, localcontext
import itertools

from hypothesis import given, settings, strategies as st

from custom_components.octopus_viz.api.models import Direction
from custom_components.octopus_viz.tariffs import (
    Band,
    RateInterval,
    Tariff,
    Timeline,
    tariff_from_dict,
)
from custom_components.octopus_viz.tariffs.model import band_issues
from custom_components.octopus_viz.tariffs.pricing import price_half_hours

from .helpers import FLUX_IMPORT, flat

HALF = timedelta(minutes=30)
YEAR_START = datetime(2024, 1, 1, tzinfo=UTC)
YEAR_HALF_HOURS = 366 * 48  # 2024 is a leap year

rates = st.decimals(min_value=-1, max_value=2, places=5, allow_nan=False, allow_infinity=False)
# Meters report kWh with 3 decimals; floats of those values are what the cache holds.
kwh_values = st.decimals(min_value=0, max_value=10, places=3).map(float)


@st.composite
def partitions(draw: st.DrawFn) -> list[Band]:
    """A valid band set: the day cut at random half-hour points."""
    cuts = sorted(draw(st.sets(st.integers(1, 47), max_size=10)))
    edges = [0, *cuts, 48]
    return [
        Band(start_minute=a * 30, end_minute=b * 30, rate=draw(rates))
        for a, b in itertools.pairwise(edges)
    ]


@st.composite
def arbitrary_bands(draw: st.DrawFn) -> list[Band]:
    """Any band list on a 15-minute grid (mostly invalid)."""
    count = draw(st.integers(1, 6))
    result = []
    for _ in range(count):
        start = draw(st.integers(0, 96)) * 15
        end = draw(st.integers(0, 96)) * 15
        result.append(Band(start_minute=start, end_minute=end, rate=Decimal(1)))
    return result


def brute_force_valid(bands: list[Band]) -> bool:
    """Every 15-minute slot of the day covered exactly once, half-hour edges, non-empty."""
    if any(
        b.start_minute % 30 or b.end_minute % 30 or b.start_minute >= b.end_minute for b in bands
    ):
        return False
    counts = [0] * 96
    for band in bands:
        for slot in range(band.start_minute // 15, band.end_minute // 15):
            counts[slot] += 1
    return all(count == 1 for count in counts)


@settings(max_examples=100, deadline=None)
@given(partitions())
def test_valid_band_sets_accepted(bands: list[Band]) -> None:
    assert band_issues(bands, "t") == []
    tariff = Tariff(name="t", direction=Direction.IMPORT, bands=tuple(bands))
    assert len(tariff.slot_bands) == 48


@settings(max_examples=100, deadline=None)
@given(arbitrary_bands())
def test_band_validation_matches_brute_force(bands: list[Band]) -> None:
    assert (band_issues(bands, "t") == []) is brute_force_valid(bands)


@st.composite
def readings(draw: st.DrawFn) -> tuple[list[datetime], list[float]]:
    """Up to 5 days of half-hours starting anywhere in 2025 (clock-change days included)."""
    day = draw(
        st.sampled_from([datetime(2025, 3, 29), datetime(2025, 10, 25), datetime(2025, 6, 1)])
    )
    start = day.replace(tzinfo=UTC) + HALF * draw(st.integers(0, 96))
    count = draw(st.integers(1, 240))
    return [start + HALF * i for i in range(count)], draw(
        st.lists(kwh_values, min_size=count, max_size=count)
    )


def mixed_timeline() -> Timeline:
    """Flux until mid-2025-10-26, a gap, then Agile-like intervals with holes."""
    switch = datetime(2025, 10, 26, 12, tzinfo=UTC)
    flux = tariff_from_dict(
        {**FLUX_IMPORT, "valid_until": "2025-10-26T12:00:00+00:00"}, name="flux"
    )
    agile_start = switch + timedelta(hours=3)
    agile = Tariff(
        name="agile",
        direction=Direction.IMPORT,
        valid_from=agile_start,
        intervals=tuple(
            RateInterval(
                start=agile_start + HALF * i,
                end=agile_start + HALF * (i + 1),
                value=Decimal(i % 7 - 2).scaleb(-2),
            )
            for i in range(200)
            if i % 13
        ),
    )
    assert flux.valid_to == switch
    return Timeline([flux, agile])


TIMELINE = mixed_timeline()


@settings(max_examples=80, deadline=None)
@given(readings(), st.data())
def test_cost_of_period_is_sum_of_parts(
    series: tuple[list[datetime], list[float]], data: st.DataObject
) -> None:
    starts, kwh = series
    whole = price_half_hours(TIMELINE, starts, kwh)
    cut = data.draw(st.integers(0, len(starts)))
    left = price_half_hours(TIMELINE, starts[:cut], kwh[:cut])
    right = price_half_hours(TIMELINE, starts[cut:], kwh[cut:])
    assert whole.costs == left.costs + right.costs
    assert whole.total == left.total + right.total
    # Every half-hour agrees with the point lookup.
    for start, energy, cost in zip(starts, kwh, whole.costs, strict=True):
        rate = TIMELINE.rate_at(start)
        assert cost == (None if rate is None else Decimal(repr(energy)) * rate)


@settings(max_examples=100, deadline=None)
@given(st.lists(st.floats(0, 10, allow_nan=False) | kwh_values, min_size=1, max_size=50), rates)
def test_flat_tariff_costs_kwh_times_rate(kwh: list[float], rate: Decimal) -> None:
    timeline = Timeline([flat("f", str(rate))])
    starts = [YEAR_START + HALF * i for i in range(len(kwh))]
    result = price_half_hours(timeline, starts, kwh)
    assert result.costs == [Decimal(repr(k)) * rate for k in kwh]
    with localcontext(prec=MAX_PREC):  # any float, so the expectation is computed exactly too
        assert result.total == sum((Decimal(repr(k)) for k in kwh), Decimal(0)) * rate


@settings(max_examples=25, deadline=None)
@given(st.sets(st.integers(1, YEAR_HALF_HOURS - 1), min_size=1, max_size=8))
def test_consecutive_tariffs_price_every_half_hour_once(cuts: set[int]) -> None:
    edges = [0, *sorted(cuts), YEAR_HALF_HOURS]
    tariffs = [
        # Alternate flat tariffs and Flux so band tariffs meet interval boundaries too.
        flat(f"t{i}", f"0.{i + 1}", YEAR_START + HALF * a, YEAR_START + HALF * b)
        if i % 2 == 0
        else tariff_from_dict(
            {
                **FLUX_IMPORT,
                "valid_from": (YEAR_START + HALF * a).isoformat(),
                "valid_until": (YEAR_START + HALF * b).isoformat(),
            },
            name=f"t{i}",
        )
        for i, (a, b) in enumerate(itertools.pairwise(edges))
    ]
    timeline = Timeline(reversed(tariffs))
    starts = [YEAR_START + HALF * i for i in range(YEAR_HALF_HOURS)]
    result = price_half_hours(timeline, starts, [1.0] * YEAR_HALF_HOURS)
    assert result.unpriced == []
    owner = 0
    for index, (start, cost) in enumerate(zip(starts, result.costs, strict=True)):
        while index >= edges[owner + 1]:
            owner += 1
        covering = [t for t in tariffs if t.covers(int(start.timestamp()))]
        assert covering == [tariffs[owner]]
        assert cost == tariffs[owner].rate_at_epoch(int(start.timestamp()))
    # Outside the year nothing is priced.
    outside = [YEAR_START - HALF, YEAR_START + HALF * YEAR_HALF_HOURS]
    assert price_half_hours(timeline, outside, [1.0, 1.0]).costs == [None, None]
