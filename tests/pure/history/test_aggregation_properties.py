"""Property tests: every query agrees with a brute-force reference and with the others.

Series are drawn around clock changes (and ordinary days), with gaps, unpriced and negative
money. The reference places each reading with zoneinfo, independently of periods.py.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
import math
from zoneinfo import ZoneInfo

from hypothesis import given, settings, strategies as st
import pytest

from custom_components.octopus_viz.history.aggregation import (
    kwh_heatmap,
    profile,
    totals,
    value_heatmap,
)
from custom_components.octopus_viz.history.columns import (
    Columns,
    hourly_energy,
    hourly_money,
)
from custom_components.octopus_viz.history.periods import iter_dates
from custom_components.octopus_viz.history.series import HalfHourSeries

LONDON = ZoneInfo("Europe/London")
HALF_HOUR = timedelta(minutes=30)
# Local noon two days before each change, so drawn spans cross it; plus plain days.
ANCHORS = [
    datetime(2025, 3, 28, 12, tzinfo=UTC),
    datetime(2025, 10, 24, 12, tzinfo=UTC),
    datetime(2024, 3, 29, 12, tzinfo=UTC),
    datetime(2024, 10, 25, 12, tzinfo=UTC),
    datetime(2024, 12, 30, 0, tzinfo=UTC),
    datetime(2025, 7, 14, 0, tzinfo=UTC),
]
SPAN = 6 * 48  # half-hours a drawn series may cover
MONEY = st.none() | st.decimals(-500, 500, places=4, allow_nan=False, allow_infinity=False)
KWH = st.integers(0, 5000).map(lambda milli: milli / 1000)

type Rows = list[tuple[datetime, float, Decimal | None]]


@st.composite
def rows_near(draw: st.DrawFn, anchor: datetime) -> Rows:
    """Sorted half-hours (with gaps) within SPAN of an anchor."""
    offsets = sorted(draw(st.sets(st.integers(0, SPAN - 1), max_size=SPAN)))
    return [(anchor + i * HALF_HOUR, draw(KWH), draw(MONEY)) for i in offsets]


@st.composite
def scenario(draw: st.DrawFn) -> tuple[Rows, Rows, date, date]:
    """An import and an export series near the same anchor, and a period around them."""
    anchor = draw(st.sampled_from(ANCHORS))
    first = anchor.astimezone(LONDON).date() - timedelta(days=1)
    start = first + timedelta(days=draw(st.integers(0, 4)))
    end = start + timedelta(days=draw(st.integers(-1, 5)))  # -1: an empty period
    return draw(rows_near(anchor)), draw(rows_near(anchor)), start, end


def build(rows: Rows) -> HalfHourSeries:
    return HalfHourSeries.from_columns(
        [r[0] for r in rows], [r[1] for r in rows], [r[2] for r in rows]
    )


def reference_cells(rows: Rows) -> dict[tuple[date, int], list[tuple[float, Decimal | None]]]:
    """Readings grouped by local (date, slot), computed with zoneinfo per reading."""
    cells: dict[tuple[date, int], list[tuple[float, Decimal | None]]] = defaultdict(list)
    for start, kwh, value in rows:
        local = start.astimezone(LONDON)
        cells[local.date(), local.hour * 2 + local.minute // 30].append((kwh, value))
    return cells


def priced_sum(values: list[Decimal | None]) -> Decimal:
    return sum((v for v in values if v is not None), Decimal(0))


@settings(max_examples=150, deadline=None)
@given(scenario())
def test_profile_and_heatmap_match_the_reference(case: tuple[Rows, Rows, date, date]) -> None:
    rows, _, start, end = case
    series = build(rows)
    cells = reference_cells(rows)
    days = iter_dates(start, end)
    slots = profile(series, start, end).slots
    kwh_grid = kwh_heatmap(series, start, end)
    money_grid = value_heatmap(series, start, end)
    assert kwh_grid.dates == tuple(days)
    assert len(kwh_grid.cells) == len(days)
    for slot in range(48):
        found = [cells[d, slot] for d in days if (d, slot) in cells]
        readings = [r for cell in found for r in cell]
        stat = slots[slot]
        assert stat.days == len(found)
        assert stat.unpriced == sum(1 for _, v in readings if v is None)
        if readings:
            assert stat.kwh_sum is not None
            assert stat.kwh_sum == pytest.approx(math.fsum(k for k, _ in readings), abs=1e-9)
            assert stat.kwh_mean == pytest.approx(stat.kwh_sum / len(found))
        else:
            assert stat.kwh_sum is None
        priced = [v for _, v in readings if v is not None]
        assert stat.value_sum == (sum(priced, Decimal(0)) if priced else None)
        for row, day in enumerate(days):
            cell = cells.get((day, slot), [])
            kwh_cell, money_cell = kwh_grid.cells[row][slot], money_grid.cells[row][slot]
            if cell:
                assert kwh_cell == pytest.approx(math.fsum(k for k, _ in cell), abs=1e-12)
            else:
                assert kwh_cell is None
            cell_priced = [v for _, v in cell if v is not None]
            assert money_cell == (sum(cell_priced, Decimal(0)) if cell_priced else None)


@settings(max_examples=150, deadline=None)
@given(scenario())
def test_profile_and_heatmap_sums_equal_period_totals(case: tuple[Rows, Rows, date, date]) -> None:
    imp_rows, exp_rows, start, end = case
    imported, exported = build(imp_rows), build(exp_rows)
    total_i, total_e = totals(imported, start, end), totals(exported, start, end)
    for plus, minus, kwh, value in (
        (imported, None, total_i.kwh, total_i.value),
        (imported, exported, total_i.kwh - total_e.kwh, total_i.value - total_e.value),
    ):
        slots = profile(plus, start, end, minus=minus).slots
        assert math.fsum(s.kwh_sum or 0.0 for s in slots) == pytest.approx(kwh, abs=1e-9)
        assert sum((s.value_sum or Decimal(0) for s in slots), Decimal(0)) == value
        grid = kwh_heatmap(plus, start, end, minus=minus)
        flat = [c for row in grid.cells for c in row if c is not None]
        assert math.fsum(flat) == pytest.approx(kwh, abs=1e-9)
        if flat:
            assert (grid.minimum, grid.maximum) == (min(flat), max(flat))
        money = value_heatmap(plus, start, end, minus=minus)
        assert sum((c or Decimal(0) for row in money.cells for c in row), Decimal(0)) == value
    unpriced = sum(s.unpriced for s in profile(imported, start, end).slots)
    assert unpriced == total_i.unpriced


@settings(max_examples=150, deadline=None)
@given(scenario(), st.integers(0, 6))
def test_totals_of_adjacent_periods_add_up(case: tuple[Rows, Rows, date, date], cut: int) -> None:
    rows, _, start, end = case
    series = build(rows)
    split = min(start + timedelta(days=cut), end)  # left part: start..split
    standing = {d: Decimal(d.day) for d in iter_dates(start, end)}

    def charge(day: date) -> Decimal | None:
        return standing[day] if day.day % 5 else None  # some days unknown

    whole = totals(series, start, end, charge)
    left = totals(series, start, split, charge)
    right = totals(series, split + timedelta(days=1), end, charge)
    assert left.kwh + right.kwh == pytest.approx(whole.kwh, abs=1e-9)
    assert left.value + right.value == whole.value
    assert left.count + right.count == whole.count
    assert left.unpriced + right.unpriced == whole.unpriced
    assert left.standing + right.standing == whole.standing
    assert left.standing_days + right.standing_days == whole.standing_days
    assert left.standing_unknown + right.standing_unknown == whole.standing_unknown
    assert whole.first_start == (left.first_start or right.first_start)
    assert whole.last_end == (right.last_end or left.last_end)
    # Each reading of the period counted on exactly one local day.
    per_day = [totals(series, d, d) for d in iter_dates(start, end)]
    assert sum(t.count for t in per_day) == whole.count
    assert whole.standing_days == sum(1 for t in per_day if t.count)


@settings(max_examples=150, deadline=None)
@given(st.sampled_from(ANCHORS).flatmap(rows_near))
def test_hourly_statistics_add_up_to_the_total(rows: Rows) -> None:
    """The hours written to the statistics (across clock changes) hold every half-hour once."""
    columns = Columns(
        [int(r[0].timestamp()) for r in rows], [r[1] for r in rows], [r[2] for r in rows]
    )
    energy, money = hourly_energy(columns, 0), hourly_money(columns, 0)
    assert energy.hours == money.hours == sorted(set(energy.hours))
    assert all(hour % 3600 == 0 for hour in energy.hours)
    assert {int(r[0].timestamp()) // 3600 * 3600 for r in rows} == set(energy.hours)
    assert math.fsum(energy.values) == pytest.approx(math.fsum(r[1] for r in rows))
    assert math.fsum(money.values) == pytest.approx(float(priced_sum([r[2] for r in rows])))
    for hour, kwh in zip(energy.hours, energy.values, strict=True):
        inside = [r[1] for r in rows if hour <= r[0].timestamp() < hour + 3600]
        assert kwh == pytest.approx(math.fsum(inside))


@settings(max_examples=60, deadline=None)
@given(scenario(), scenario())
def test_merged_equals_building_from_the_combined_rows(
    first: tuple[Rows, Rows, date, date], second: tuple[Rows, Rows, date, date]
) -> None:
    old, new = first[0], second[0]
    merged = build(old).merged(build(new))
    combined = {r[0]: r for r in old} | {r[0]: r for r in new}
    expected = build([combined[k] for k in sorted(combined)])
    assert merged.epochs == expected.epochs
    assert merged.kwh == expected.kwh
    assert merged.values == expected.values
    start, end = first[2], first[3]
    assert profile(merged, start, end) == profile(expected, start, end)


@settings(max_examples=100, deadline=None)
@given(scenario(), st.data())
def test_a_repriced_series_equals_one_built_anew(
    case: tuple[Rows, Rows, date, date], data: st.DataObject
) -> None:
    """`with_money` (the re-pricing path) answers every query as a full build would."""
    rows, _, start, end = case
    new_rows = [(when, kwh, data.draw(MONEY)) for when, kwh, _ in rows]
    fresh = build(new_rows)
    repriced = build(rows).with_money(fresh.money)
    assert repriced.values == fresh.values
    assert profile(repriced, start, end) == profile(fresh, start, end)
    assert totals(repriced, start, end) == totals(fresh, start, end)
    assert value_heatmap(repriced, start, end) == value_heatmap(fresh, start, end)
    assert kwh_heatmap(repriced, start, end) == kwh_heatmap(fresh, start, end)


def test_a_series_is_repriced_only_with_money_for_each_half_hour() -> None:
    series = build([(ANCHORS[0], 1.0, Decimal(1)), (ANCHORS[0] + HALF_HOUR, 2.0, None)])
    with pytest.raises(ValueError, match="differ in length"):
        series.with_money(build([(ANCHORS[0], 1.0, Decimal(2))]).money)
