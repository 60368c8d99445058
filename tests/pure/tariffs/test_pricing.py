"""Pricing half-hours: exact Decimal costs, unpriced runs, input checks, speed."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest

from custom_components.octopus_viz.api.local_time import LOCAL_TZ
from custom_components.octopus_viz.api.models import Direction
from custom_components.octopus_viz.tariffs import (
    RateInterval,
    Tariff,
    Timeline,
    tariff_from_dict,
)
from custom_components.octopus_viz.tariffs.pricing import (
    bench,
    daily_standing_charges,
    price_epochs,
    price_half_hours,
)

from .helpers import BASE, FLUX_IMPORT, LOW, PEAK, flat, utc

HALF = timedelta(minutes=30)


def half_hours(start: datetime, count: int) -> list[datetime]:
    return [start + HALF * i for i in range(count)]


def test_costs_are_exact_decimal_products() -> None:
    timeline = Timeline([flat("f", "0.2450")])
    result = price_half_hours(timeline, half_hours(utc(2024, 1, 1), 3), [0.123, 0.1, 2.0])
    assert result.costs == [Decimal("0.0301350"), Decimal("0.02450"), Decimal("0.4900")]
    assert result.unpriced == []
    assert result.total == Decimal("0.5446350")


def test_flux_day_priced_across_fall_back() -> None:
    timeline = Timeline([tariff_from_dict(FLUX_IMPORT, name="flux")])
    # UTC arithmetic: adding to a Europe/London datetime would step in wall-clock time.
    start = datetime(2025, 10, 26, tzinfo=LOCAL_TZ).astimezone(UTC)
    starts = half_hours(start, 50)  # the 25-hour day
    result = price_half_hours(timeline, starts, [1.0] * 50)
    local_times = [
        (s.astimezone(LOCAL_TZ).strftime("%H:%M"), c)
        for s, c in zip(starts, result.costs, strict=True)
    ]
    assert local_times[:6] == [
        ("00:00", BASE),
        ("00:30", BASE),
        ("01:00", BASE),
        ("01:30", BASE),
        ("01:00", BASE),  # second occurrence (GMT)
        ("01:30", BASE),
    ]
    assert local_times[6] == ("02:00", LOW)
    assert [c for _t, c in local_times].count(LOW) == 6
    assert [c for _t, c in local_times].count(PEAK) == 6
    assert local_times[-1] == ("23:30", BASE)


def test_unpriced_half_hours_are_none_and_merged() -> None:
    start = utc(2024, 1, 1)
    timeline = Timeline(
        [flat("a", "0.1", end=start + HALF * 2), flat("b", "0.2", start=start + HALF * 4)]
    )
    starts = [*half_hours(start, 6), start + HALF * 8]
    result = price_half_hours(timeline, starts, [1.0] * 7)
    assert result.costs == [
        Decimal("0.1"),
        Decimal("0.1"),
        None,
        None,
        Decimal("0.2"),
        Decimal("0.2"),
        Decimal("0.2"),
    ]
    assert result.unpriced == [(start + HALF * 2, start + HALF * 4)]
    # Readings that are not adjacent give separate unpriced runs.
    empty = Timeline([])
    separate = price_half_hours(empty, [start, start + HALF * 2], [1.0, 1.0])
    assert separate.unpriced == [(start, start + HALF), (start + HALF * 2, start + HALF * 3)]
    assert separate.total == Decimal(0)


def test_agile_intervals_with_negative_rates() -> None:
    start = utc(2024, 1, 1)
    tariff = Tariff(
        name="agile",
        direction=Direction.IMPORT,
        intervals=tuple(
            RateInterval(start=s, end=s + HALF, value=Decimal(i - 2).scaleb(-2))
            for i, s in enumerate(half_hours(start, 4))
        ),
    )
    starts = half_hours(start, 5)
    result = price_half_hours(Timeline([tariff]), starts, [2.5] * 5)
    expected = [Decimal("-0.050"), Decimal("-0.025"), Decimal("0.000"), Decimal("0.025"), None]
    assert result.costs == expected
    assert result.unpriced == [(start + HALF * 4, start + HALF * 5)]
    # The cache's columns are priced from epoch seconds, to the same costs.
    stamps = [int(s.timestamp()) for s in starts]
    assert price_epochs(Timeline([tariff]), stamps, [2.5] * 5) == expected


def test_duplicate_starts_allowed_and_empty_input() -> None:
    timeline = Timeline([flat("f", "0.5")])
    assert price_half_hours(timeline, [utc(2024, 1, 1)] * 2, [1.0, 2.0]).costs == [
        Decimal("0.5"),
        Decimal("1.0"),
    ]
    assert price_half_hours(timeline, [], []).costs == []


@pytest.mark.parametrize(
    ("starts", "kwh", "message"),
    [
        ([utc(2024, 1, 1)], [1.0, 2.0], "1 starts but 2"),
        ([datetime(2024, 1, 1)], [1.0], "aware"),
        ([utc(2024, 1, 2), utc(2024, 1, 1)], [1.0, 1.0], "sorted"),
        ([utc(2024, 1, 1)], [float("nan")], "finite"),
    ],
)
def test_bad_input_rejected(starts: list[datetime], kwh: list[float], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        price_half_hours(Timeline([flat("f", "0.5")]), starts, kwh)


def test_daily_standing_charges() -> None:
    tariff = Tariff(
        name="f",
        direction=Direction.IMPORT,
        valid_from=utc(2024, 1, 2),
        bands=flat("x", "0.2").bands,
        standing_charge=Decimal("0.48"),
    )
    charges = daily_standing_charges(Timeline([tariff]), date(2024, 1, 1), date(2024, 1, 3))
    assert charges == {
        date(2024, 1, 1): None,
        date(2024, 1, 2): Decimal("0.48"),
        date(2024, 1, 3): Decimal("0.48"),
    }


def test_pricing_bench_runs() -> None:
    """The pricing benchmark (`python -m ...tariffs.pricing`) runs both cases and reports
    seconds; the figures are printed for reading, speed is scripts/benchmark's business."""
    figures = bench()
    print(f"pricing 3 years x 2 meters: {figures}")
    assert set(figures) == {"bands", "agile"}
    assert all(seconds > 0 for seconds in figures.values())
