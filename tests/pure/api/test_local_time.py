"""UK local time: slots, local midnight and epoch conversions, checked against zoneinfo."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

from hypothesis import given, strategies as st
import pytest

from custom_components.octopus_viz.api.local_time import (
    HALF_HOUR,
    HALF_HOUR_SECONDS,
    epoch_seconds,
    local_date_of,
    local_midnight,
    local_midnight_epoch,
    local_slot,
    utc_day_offsets,
    utc_from_epoch,
)

LONDON = ZoneInfo("Europe/London")


def utc(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=UTC)


@pytest.mark.parametrize(
    ("start", "expected"),
    [
        (utc(2025, 1, 1, 0, 0), (date(2025, 1, 1), 0)),
        (utc(2025, 1, 1, 23, 30), (date(2025, 1, 1), 47)),
        # Summer: local = UTC + 1, so 23:00 UTC is midnight of the next local day.
        (utc(2025, 6, 1, 22, 30), (date(2025, 6, 1), 47)),
        (utc(2025, 6, 1, 23, 0), (date(2025, 6, 2), 0)),
        # October change day: 01:00 and 01:30 local happen twice, both fold into slots 2, 3.
        (utc(2025, 10, 25, 23, 0), (date(2025, 10, 26), 0)),
        (utc(2025, 10, 26, 0, 0), (date(2025, 10, 26), 2)),
        (utc(2025, 10, 26, 0, 30), (date(2025, 10, 26), 3)),
        (utc(2025, 10, 26, 1, 0), (date(2025, 10, 26), 2)),
        (utc(2025, 10, 26, 1, 30), (date(2025, 10, 26), 3)),
        (utc(2025, 10, 26, 2, 0), (date(2025, 10, 26), 4)),
        # March change day: 01:00 UTC is 02:00 BST, slots 2 and 3 are skipped.
        (utc(2025, 3, 30, 0, 30), (date(2025, 3, 30), 1)),
        (utc(2025, 3, 30, 1, 0), (date(2025, 3, 30), 4)),
        (utc(2025, 3, 30, 22, 30), (date(2025, 3, 30), 47)),
    ],
)
def test_local_slot_examples(start: datetime, expected: tuple[date, int]) -> None:
    assert local_slot(start) == expected


def test_local_slot_accepts_other_offsets_and_rejects_bad_input() -> None:
    plus_two = timezone(timedelta(hours=2))
    assert local_slot(datetime(2025, 1, 1, 2, 0, tzinfo=plus_two)) == (date(2025, 1, 1), 0)
    with pytest.raises(ValueError, match="naive"):
        local_slot(datetime(2025, 1, 1))
    with pytest.raises(ValueError, match="half-hour"):
        local_slot(utc(2025, 1, 1, 0, 15))
    with pytest.raises(ValueError, match="half-hour"):
        local_slot(utc(2025, 1, 1, 0, 0).replace(microsecond=5))


@given(st.integers(0, 4_000_000_000))
def test_epoch_round_trip(seconds: int) -> None:
    """utc_from_epoch and epoch_seconds are inverse; the datetime is aware UTC."""
    instant = utc_from_epoch(seconds)
    assert instant.tzinfo is UTC
    assert epoch_seconds(instant) == seconds
    assert instant == datetime.fromtimestamp(seconds, UTC)


def test_epoch_seconds_refuses_naive_datetimes() -> None:
    with pytest.raises(ValueError, match="naive"):
        epoch_seconds(datetime(2025, 1, 1))


@given(st.dates(date(1990, 1, 1), date(2080, 12, 31)))
def test_local_midnight_agrees_with_zoneinfo(day: date) -> None:
    """Local midnight exists once every day, also on clock-change days."""
    expected = datetime(day.year, day.month, day.day, tzinfo=LONDON)
    assert local_midnight(day) == expected
    assert local_midnight_epoch(day) == int(expected.timestamp())
    assert local_date_of(local_midnight_epoch(day)) == day
    assert local_date_of(local_midnight_epoch(day) - 1) == day - timedelta(days=1)


@pytest.mark.parametrize(
    ("utc_day", "changes_at"),
    [
        (date(2025, 3, 30), 2),  # BST starts at 01:00 UTC: the third half-hour on
        (date(2025, 10, 26), 2),  # BST ends at 01:00 UTC
        (date(2025, 7, 1), None),
    ],
)
def test_utc_day_offsets_follow_the_clock_changes(utc_day: date, changes_at: int | None) -> None:
    base = int(datetime(utc_day.year, utc_day.month, utc_day.day, tzinfo=UTC).timestamp())
    offsets = utc_day_offsets(base // 86_400)

    def offset(seconds: int) -> int:
        delta = utc_from_epoch(seconds).astimezone(LONDON).utcoffset()
        assert delta is not None
        return int(delta.total_seconds())

    expected = [offset(base + i * HALF_HOUR_SECONDS) for i in range(48)]
    assert list(offsets) == expected
    if changes_at is None:
        assert len(set(offsets)) == 1
    else:
        assert offsets[changes_at - 1] != offsets[changes_at]
    assert timedelta(seconds=HALF_HOUR_SECONDS) == HALF_HOUR
