"""Examples for series building, totals, summaries, profiles, heatmaps and hourly sums."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest

from custom_components.octopus_viz.api.models import Reading
from custom_components.octopus_viz.history.aggregation import (
    kwh_heatmap,
    profile,
    summary,
    totals,
    value_heatmap,
)
from custom_components.octopus_viz.history.jsonable import to_json
from custom_components.octopus_viz.history.periods import PeriodKind, day_bounds
from custom_components.octopus_viz.history.series import HalfHourSeries

HALF_HOUR = timedelta(minutes=30)
MARCH_CHANGE = date(2025, 3, 30)
OCTOBER_CHANGE = date(2025, 10, 26)
D = Decimal
TWO = D("2")


def utc(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=UTC)


def whole_days(
    first: date, last: date, kwh: float = 1.0, value: Decimal | None = TWO
) -> HalfHourSeries:
    """Every half-hour of local days first..last with the same kWh and money."""
    begin, end = day_bounds(first)[0], day_bounds(last)[1]
    count = int((end - begin) / HALF_HOUR)
    starts = [begin + i * HALF_HOUR for i in range(count)]
    return HalfHourSeries.from_columns(starts, [kwh] * count, [value] * count)


# --- building -------------------------------------------------------------------------------


def test_from_columns_validates_input() -> None:
    with pytest.raises(ValueError, match="naive"):
        HalfHourSeries.from_columns([datetime(2025, 1, 1)], [1.0])
    with pytest.raises(ValueError, match="half-hour"):
        HalfHourSeries.from_columns([utc(2025, 1, 1, 0, 10)], [1.0])
    with pytest.raises(ValueError, match="increasing"):
        HalfHourSeries.from_columns([utc(2025, 1, 1, 1), utc(2025, 1, 1, 0, 30)], [1.0, 1.0])
    with pytest.raises(ValueError, match="increasing"):
        HalfHourSeries.from_columns([utc(2025, 1, 1, 1), utc(2025, 1, 1, 1)], [1.0, 1.0])
    with pytest.raises(ValueError, match="length"):
        HalfHourSeries.from_columns([utc(2025, 1, 1, 1)], [1.0, 2.0])


def test_from_readings_and_accessors() -> None:
    readings = [
        Reading(start=utc(2025, 1, 1, 0, 30), kwh=0.5),
        Reading(start=utc(2025, 1, 1, 1), kwh=1),
    ]
    series = HalfHourSeries.from_readings(readings, [D("1.5"), None])
    assert len(series) == 2
    assert tuple(series.kwh) == (0.5, 1.0)
    assert series.values == (D("1.5"), None)
    assert series.start_of(0) == utc(2025, 1, 1, 0, 30)
    assert series.end_of(1) == utc(2025, 1, 1, 1, 30)
    assert series.first_day == series.last_day == date(2025, 1, 1)
    assert "2 half-hours" in repr(series)
    unpriced = HalfHourSeries.from_readings(readings)
    assert unpriced.values == (None, None)
    empty = HalfHourSeries.empty()
    assert len(empty) == 0
    assert empty.first_day is None
    assert empty.last_day is None
    assert repr(empty) == "HalfHourSeries(empty)"


def test_merged_appends_and_replaces_revised_readings() -> None:
    old = HalfHourSeries.from_columns(
        [utc(2025, 1, 1, 0), utc(2025, 1, 1, 0, 30), utc(2025, 1, 1, 1)], [1.0, 2.0, 3.0]
    )
    appended = old.merged(HalfHourSeries.from_columns([utc(2025, 1, 2, 0)], [4.0], [D(1)]))
    assert tuple(appended.kwh) == (1.0, 2.0, 3.0, 4.0)
    assert appended.values == (None, None, None, D(1))
    revised = old.merged(
        HalfHourSeries.from_columns([utc(2024, 12, 31, 23, 30), utc(2025, 1, 1, 0, 30)], [9.0, 8.0])
    )
    assert [revised.start_of(i) for i in range(len(revised))] == [
        utc(2024, 12, 31, 23, 30),
        utc(2025, 1, 1, 0),
        utc(2025, 1, 1, 0, 30),
        utc(2025, 1, 1, 1),
    ]
    assert tuple(revised.kwh) == (9.0, 1.0, 8.0, 3.0)
    assert totals(revised, date(2025, 1, 1), date(2025, 1, 1)).kwh == 12.0
    assert old.merged(HalfHourSeries.empty()) is old
    assert HalfHourSeries.empty().merged(old).kwh == old.kwh


# --- totals and summary ---------------------------------------------------------------------


def test_totals_of_a_clock_change_day_count_its_half_hours() -> None:
    series = whole_days(date(2025, 3, 29), date(2025, 3, 31))
    march = totals(series, MARCH_CHANGE, MARCH_CHANGE)
    assert (march.count, march.kwh, march.value) == (46, 46.0, D(92))
    assert march.first_start == utc(2025, 3, 30)
    assert march.last_end == utc(2025, 3, 30, 23)
    series = whole_days(date(2025, 10, 25), date(2025, 10, 27))
    october = totals(series, OCTOBER_CHANGE, OCTOBER_CHANGE)
    assert (october.count, october.kwh, october.value) == (50, 50.0, D(100))
    assert october.first_start == utc(2025, 10, 25, 23)
    assert october.last_end == utc(2025, 10, 27)


def test_totals_count_unpriced_half_hours() -> None:
    series = HalfHourSeries.from_columns(
        [utc(2025, 1, 1, 0), utc(2025, 1, 1, 0, 30), utc(2025, 1, 1, 1)],
        [1.0, 2.0, 4.0],
        [D("1.25"), None, D("0.75")],
    )
    result = totals(series, date(2025, 1, 1), date(2025, 1, 1))
    assert (result.kwh, result.value, result.count, result.unpriced) == (7.0, D("2.00"), 3, 1)


def test_totals_of_an_empty_period() -> None:
    series = whole_days(date(2025, 1, 1), date(2025, 1, 2))
    for start, end in ((date(2025, 2, 1), date(2025, 2, 28)), (date(2025, 1, 2), date(2025, 1, 1))):
        result = totals(series, start, end, lambda _day: D(50))
        assert (result.kwh, result.value, result.count, result.unpriced) == (0.0, D(0), 0, 0)
        assert result.first_start is None
        assert result.last_end is None
        assert (result.standing, result.standing_days) == (D(0), 0)


def test_standing_charges_only_for_days_with_data() -> None:
    # Data for 3..10 January with the 6th missing; the month total is asked on the 12th.
    series = whole_days(date(2025, 1, 3), date(2025, 1, 5)).merged(
        whole_days(date(2025, 1, 7), date(2025, 1, 10))
    )
    asked: list[date] = []

    def standing(day: date) -> Decimal | None:
        asked.append(day)
        return None if day == date(2025, 1, 9) else D("50.5")

    result = totals(series, date(2025, 1, 1), date(2025, 1, 12), standing)
    # Nothing before the first reading, for the missing day, nor after the last reading;
    # the 9th has no known charge.
    metered = [date(2025, 1, d) for d in (3, 4, 5, 7, 8, 9, 10)]
    assert asked == metered
    assert result.standing_days == 7
    assert result.standing_unknown == 1
    assert result.standing == D("50.5") * 6
    assert result.last_end == day_bounds(date(2025, 1, 10))[1]
    # A day with a single reading is a day with data.
    partial = HalfHourSeries.from_columns([day_bounds(date(2025, 1, 20))[1] - HALF_HOUR], [1.0])
    assert totals(partial, date(2025, 1, 1), date(2025, 1, 31), standing).standing_days == 1
    assert totals(series, date(2025, 1, 1), date(2025, 1, 31)).standing_days == 0


def test_summary_combines_import_and_export() -> None:
    imported = whole_days(date(2025, 5, 1), date(2025, 5, 3), kwh=2.0, value=D("0.5"))
    exported = whole_days(date(2025, 5, 1), date(2025, 5, 2), kwh=1.0, value=D("0.1"))
    result = summary(
        date(2025, 5, 1),
        date(2025, 5, 31),
        import_series=imported,
        export_series=exported,
        standing_for_day=lambda _day: D("40"),
    )
    assert result.import_kwh == 288.0
    assert result.export_kwh == 96.0
    assert result.import_cost == D("72.0")
    assert result.export_revenue == D("9.6")
    assert (result.standing, result.standing_days) == (D(120), 3)
    assert result.net == D("72.0") + D(120) - D("9.6")
    # Both meters are metered up to the end of 2 May (the earlier of the two).
    assert result.data_until == day_bounds(date(2025, 5, 2))[1]
    import_only = summary(date(2025, 5, 1), date(2025, 5, 31), import_series=imported)
    assert import_only.export_kwh == 0.0
    assert import_only.net == D("72.0")
    assert import_only.data_until == day_bounds(date(2025, 5, 3))[1]
    assert summary(date(2025, 5, 1), date(2025, 5, 31)).data_until is None


# --- profile and heatmap --------------------------------------------------------------------


def test_profile_over_clock_change_days_counts_days_per_slot() -> None:
    # Local days 2025-03-29 .. 2025-03-31 with the March change, and the October change day.
    spring = whole_days(date(2025, 3, 29), date(2025, 3, 31))
    slots = profile(spring, date(2025, 3, 1), date(2025, 3, 31)).slots
    assert [s.days for s in slots[:5]] == [3, 3, 2, 2, 3]
    assert slots[2].kwh_sum == 2.0
    assert slots[2].kwh_mean == 1.0
    assert slots[2].value_mean == D(2)
    assert slots[5].label == "02:30"
    autumn = whole_days(OCTOBER_CHANGE, OCTOBER_CHANGE)
    slots = profile(autumn, OCTOBER_CHANGE, OCTOBER_CHANGE).slots
    assert [s.days for s in slots] == [1] * 48
    assert [s.kwh_sum for s in slots[:5]] == [1.0, 1.0, 2.0, 2.0, 1.0]
    assert slots[3].value_sum == D(4)
    assert slots[3].kwh_mean == 2.0


def test_profile_slots_without_data_are_none_and_net_subtracts() -> None:
    day = date(2025, 6, 1)
    start = day_bounds(day)[0]
    imported = HalfHourSeries.from_columns([start, start + HALF_HOUR], [1.5, 0.5], [D("0.3"), None])
    exported = HalfHourSeries.from_columns([start + 4 * HALF_HOUR], [2.0], [D("0.2")])
    plain = profile(imported, day, day).slots
    assert (plain[0].kwh_sum, plain[0].value_sum, plain[0].days) == (1.5, D("0.3"), 1)
    assert (plain[1].kwh_sum, plain[1].value_sum, plain[1].unpriced) == (0.5, None, 1)
    assert plain[1].value_mean is None
    assert (plain[2].kwh_sum, plain[2].value_sum, plain[2].days, plain[2].kwh_mean) == (
        None,
        None,
        0,
        None,
    )
    net = profile(imported, day, day, minus=exported).slots
    assert (net[0].kwh_sum, net[0].value_sum) == (1.5, D("0.3"))
    assert (net[4].kwh_sum, net[4].value_sum, net[4].days) == (-2.0, D("-0.2"), 1)
    assert net[5].kwh_sum is None
    assert profile(HalfHourSeries.empty(), day, day).slots[0].kwh_sum is None


def test_heatmap_folds_october_and_leaves_march_gaps() -> None:
    series = whole_days(MARCH_CHANGE, MARCH_CHANGE).merged(
        whole_days(OCTOBER_CHANGE, OCTOBER_CHANGE)
    )
    march = kwh_heatmap(series, MARCH_CHANGE, date(2025, 3, 31))
    assert march.dates == (MARCH_CHANGE, date(2025, 3, 31))
    assert march.cells[0][:5] == (1.0, 1.0, None, None, 1.0)
    assert march.cells[1] == (None,) * 48
    assert (march.minimum, march.maximum) == (1.0, 1.0)
    october = value_heatmap(series, OCTOBER_CHANGE, OCTOBER_CHANGE)
    assert october.cells[0][:5] == (D(2), D(2), D(4), D(4), D(2))
    assert (october.minimum, october.maximum) == (D(2), D(4))
    empty = kwh_heatmap(series, date(2025, 1, 1), date(2025, 1, 2))
    assert empty.cells == ((None,) * 48, (None,) * 48)
    assert (empty.minimum, empty.maximum) == (None, None)


def test_net_heatmap_and_unpriced_cells() -> None:
    day = date(2025, 1, 10)
    start = day_bounds(day)[0]
    imported = HalfHourSeries.from_columns([start, start + HALF_HOUR], [1.0, 3.0], [D(1), None])
    exported = HalfHourSeries.from_columns(
        [start + HALF_HOUR, start + 2 * HALF_HOUR], [0.5, 2.0], [D("0.1"), D("0.4")]
    )
    net = kwh_heatmap(imported, day, day, minus=exported)
    assert net.cells[0][:4] == (1.0, 2.5, -2.0, None)
    assert (net.minimum, net.maximum) == (-2.0, 2.5)
    money = value_heatmap(imported, day, day)
    assert money.cells[0][:2] == (D(1), None)  # the second half-hour is unpriced
    net_money = value_heatmap(imported, day, day, minus=exported)
    assert net_money.cells[0][:4] == (D(1), D("-0.1"), D("-0.4"), None)


def test_net_money_of_series_at_different_scales_is_exact() -> None:
    """A finer price on one side (more decimals than the usual unit) is not rounded away."""
    day = date(2025, 1, 10)
    start = day_bounds(day)[0]
    fine = D("0.0000000000001")  # 10**-13: finer than the default 10**-11
    imported = HalfHourSeries.from_columns([start], [1.0], [D("0.25")])
    exported = HalfHourSeries.from_columns([start], [1.0], [fine])
    assert value_heatmap(imported, day, day, minus=exported).cells[0][0] == D("0.25") - fine
    profile_net = profile(imported, day, day, minus=exported).slots[0]
    assert profile_net.value_sum == D("0.25") - fine
    assert totals(exported, day, day).value == fine
    both = imported.merged(HalfHourSeries.from_columns([start + HALF_HOUR], [2.0], [fine]))
    assert both.values == (D("0.25"), fine)


# --- JSON -----------------------------------------------------------------------------------


def test_to_json_converts_results() -> None:
    series = whole_days(date(2025, 1, 1), date(2025, 1, 1), kwh=0.5, value=D("1.25"))
    result = to_json(totals(series, date(2025, 1, 1), date(2025, 1, 1), lambda _d: D("45.5")))
    assert result == {
        "start_date": "2025-01-01",
        "end_date": "2025-01-01",
        "kwh": 24.0,
        "value": 60.0,
        "count": 48,
        "unpriced": 0,
        "first_start": "2025-01-01T00:00:00+00:00",
        "last_end": "2025-01-02T00:00:00+00:00",
        "standing": 45.5,
        "standing_days": 1,
        "standing_unknown": 0,
    }
    grid = to_json(kwh_heatmap(series, date(2025, 1, 1), date(2025, 1, 2)))
    assert isinstance(grid, dict)
    assert grid["cells"] == [[0.5] * 48, [None] * 48]
    slots = to_json(profile(series, date(2025, 1, 1), date(2025, 1, 1)))
    assert isinstance(slots, dict)
    assert isinstance(slots["slots"], list)
    assert slots["slots"][47] == {
        "slot": 47,
        "label": "23:30",
        "kwh_sum": 0.5,
        "value_sum": 1.25,
        "days": 1,
        "kwh_mean": 0.5,
        "value_mean": 1.25,
        "unpriced": 0,
    }
    assert to_json([PeriodKind.LAST_7_DAYS, True, 3, "x"]) == ["last_7_days", True, 3, "x"]
    with pytest.raises(TypeError, match="set"):
        to_json({1, 2})
