"""Local time rules: slots, local days, clock changes and named periods."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from hypothesis import given, strategies as st
import pytest

from custom_components.octopus_viz.api.local_time import (
    local_position,
    local_slot,
    local_today,
    slot_label,
)
from custom_components.octopus_viz.history.periods import (
    PeriodKind,
    day_bounds,
    half_hours_in_day,
    iter_dates,
    period_bounds,
    period_dates,
)

LONDON = ZoneInfo("Europe/London")
HALF_HOUR = timedelta(minutes=30)


def utc(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=UTC)


def test_day_bounds_and_half_hours_on_clock_change_days() -> None:
    assert day_bounds(date(2025, 1, 15)) == (utc(2025, 1, 15), utc(2025, 1, 16))
    assert day_bounds(date(2025, 7, 15)) == (utc(2025, 7, 14, 23), utc(2025, 7, 15, 23))
    assert day_bounds(date(2025, 3, 30)) == (utc(2025, 3, 30), utc(2025, 3, 30, 23))
    assert day_bounds(date(2025, 10, 26)) == (utc(2025, 10, 25, 23), utc(2025, 10, 27))
    assert half_hours_in_day(date(2025, 3, 30)) == 46
    assert half_hours_in_day(date(2025, 10, 26)) == 50
    assert half_hours_in_day(date(2025, 3, 31)) == 48
    assert half_hours_in_day(date(2024, 10, 27)) == 50
    assert period_bounds(date(2025, 3, 1), date(2025, 3, 31)) == (
        utc(2025, 3, 1),
        utc(2025, 3, 31, 23),
    )


def test_slot_labels_iter_dates_and_today() -> None:
    assert [slot_label(s) for s in (0, 1, 2, 3, 47)] == [
        "00:00",
        "00:30",
        "01:00",
        "01:30",
        "23:30",
    ]
    assert iter_dates(date(2024, 2, 28), date(2024, 3, 1)) == [
        date(2024, 2, 28),
        date(2024, 2, 29),
        date(2024, 3, 1),
    ]
    assert iter_dates(date(2024, 3, 1), date(2024, 2, 28)) == []
    assert local_today(utc(2025, 6, 30, 23, 30)) == date(2025, 7, 1)
    assert local_today(utc(2025, 12, 31, 23, 30)) == date(2025, 12, 31)


WEDNESDAY_NEW_YEAR = date(2025, 1, 1)  # 2025-01-01 is a Wednesday
MONDAY_NEW_YEAR = date(2024, 1, 1)  # 2024-01-01 is a Monday


@pytest.mark.parametrize(
    ("kind", "today", "expected"),
    [
        (PeriodKind.TODAY, WEDNESDAY_NEW_YEAR, ("2025-01-01", "2025-01-01")),
        (PeriodKind.YESTERDAY, WEDNESDAY_NEW_YEAR, ("2024-12-31", "2024-12-31")),
        (PeriodKind.THIS_WEEK, WEDNESDAY_NEW_YEAR, ("2024-12-30", "2025-01-01")),
        (PeriodKind.LAST_WEEK, WEDNESDAY_NEW_YEAR, ("2024-12-23", "2024-12-29")),
        (PeriodKind.THIS_MONTH, WEDNESDAY_NEW_YEAR, ("2025-01-01", "2025-01-01")),
        (PeriodKind.LAST_MONTH, WEDNESDAY_NEW_YEAR, ("2024-12-01", "2024-12-31")),
        (PeriodKind.THIS_YEAR, WEDNESDAY_NEW_YEAR, ("2025-01-01", "2025-01-01")),
        (PeriodKind.LAST_7_DAYS, WEDNESDAY_NEW_YEAR, ("2024-12-25", "2024-12-31")),
        (PeriodKind.LAST_30_DAYS, WEDNESDAY_NEW_YEAR, ("2024-12-02", "2024-12-31")),
        (PeriodKind.LAST_90_DAYS, WEDNESDAY_NEW_YEAR, ("2024-10-03", "2024-12-31")),
        (PeriodKind.THIS_WEEK, MONDAY_NEW_YEAR, ("2024-01-01", "2024-01-01")),
        (PeriodKind.LAST_WEEK, MONDAY_NEW_YEAR, ("2023-12-25", "2023-12-31")),
        (PeriodKind.YESTERDAY, MONDAY_NEW_YEAR, ("2023-12-31", "2023-12-31")),
        (PeriodKind.LAST_MONTH, MONDAY_NEW_YEAR, ("2023-12-01", "2023-12-31")),
        (PeriodKind.THIS_WEEK, date(2024, 1, 7), ("2024-01-01", "2024-01-07")),  # Sunday
        (PeriodKind.LAST_MONTH, date(2024, 3, 1), ("2024-02-01", "2024-02-29")),  # leap
        (PeriodKind.LAST_MONTH, date(2025, 3, 31), ("2025-02-01", "2025-02-28")),
        (PeriodKind.THIS_MONTH, date(2025, 3, 31), ("2025-03-01", "2025-03-31")),
        (PeriodKind.THIS_YEAR, date(2025, 12, 31), ("2025-01-01", "2025-12-31")),
    ],
)
def test_period_dates(kind: PeriodKind, today: date, expected: tuple[str, str]) -> None:
    start, end = period_dates(kind, today)
    assert (start.isoformat(), end.isoformat()) == expected


@given(st.sampled_from(list(PeriodKind)), st.dates(date(2000, 1, 1), date(2099, 12, 31)))
def test_period_dates_are_well_formed(kind: PeriodKind, today: date) -> None:
    start, end = period_dates(kind, today)
    assert start <= end <= today
    if kind in (PeriodKind.THIS_WEEK, PeriodKind.LAST_WEEK):
        assert start.weekday() == 0
    if kind is PeriodKind.LAST_WEEK:
        assert (end - start).days == 6
    if kind.value.startswith("last_") and kind.value.endswith("_days"):
        assert end == today - timedelta(days=1)
        assert (end - start).days + 1 == int(kind.value.split("_")[1])


@given(st.integers(0, 60 * 365 * 48))
def test_every_half_hour_lands_in_exactly_one_local_day_and_slot(index: int) -> None:
    start = utc(1995, 1, 1) + index * HALF_HOUR
    local = start.astimezone(LONDON)
    day, slot = local_slot(start)
    # The wall-clock rule, computed independently with zoneinfo.
    assert day == local.date()
    assert slot == local.hour * 2 + local.minute // 30
    # And the instant lies in that day's bounds, not in the neighbours'.
    begin, end = day_bounds(day)
    assert begin <= start < end
    assert local_position(int(start.timestamp()))[1] == slot


@given(st.dates(date(1996, 1, 1), date(2060, 12, 31)))
def test_half_hours_of_a_day_cover_its_slots(day: date) -> None:
    begin, end = day_bounds(day)
    count = half_hours_in_day(day)
    starts = [begin + i * HALF_HOUR for i in range(count)]
    assert begin + count * HALF_HOUR == end
    slots = [local_slot(s) for s in starts]
    assert {d for d, _ in slots} == {day}
    taken = sorted(s for _, s in slots)
    if count == 48:
        assert taken == list(range(48))
    elif count == 46:
        assert taken == [s for s in range(48) if s not in (2, 3)]
    else:
        assert count == 50
        assert taken == sorted([*range(48), 2, 3])
