"""Time helpers: the BST table against zoneinfo, timestamp forms and parameter parsing."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from fake_octopus.clock import (
    format_local,
    format_utc,
    local_wall_to_utc,
    parse_api_datetime,
    utc_offset_seconds,
)

LONDON = ZoneInfo("Europe/London")


def zoneinfo_offset(epoch: int) -> int:
    offset = datetime.fromtimestamp(epoch, UTC).astimezone(LONDON).utcoffset()
    assert offset is not None
    return int(offset.total_seconds())


def test_bst_table_matches_zoneinfo_every_half_hour() -> None:
    start = int(datetime(2022, 12, 1, tzinfo=UTC).timestamp())
    end = int(datetime(2026, 12, 1, tzinfo=UTC).timestamp())
    for epoch in range(start, end, 1800):
        assert utc_offset_seconds(epoch) == zoneinfo_offset(epoch), epoch


@pytest.mark.parametrize("year", [1990, 2150])
def test_offsets_outside_the_table_use_zoneinfo(year: int) -> None:
    summer = int(datetime(year, 7, 1, tzinfo=UTC).timestamp())
    winter = int(datetime(year, 1, 1, tzinfo=UTC).timestamp())
    assert utc_offset_seconds(summer) == zoneinfo_offset(summer)
    assert utc_offset_seconds(winter) == zoneinfo_offset(winter) == 0


@pytest.mark.parametrize(
    ("moment", "text"),
    [
        (datetime(2023, 7, 1, 12, tzinfo=UTC), "2023-07-01T13:00:00+0100"),
        (datetime(2024, 7, 1, 12, 30, tzinfo=UTC), "2024-07-01T13:30:00+01:00"),
        (datetime(2024, 1, 1, tzinfo=UTC), "2024-01-01T00:00:00Z"),
        (datetime(2025, 10, 26, 0, 30, tzinfo=UTC), "2025-10-26T01:30:00+01:00"),
        (datetime(2025, 10, 26, 1, 30, tzinfo=UTC), "2025-10-26T01:30:00Z"),
        (datetime(2025, 3, 30, 1, 0, tzinfo=UTC), "2025-03-30T02:00:00+01:00"),
    ],
)
def test_format_local(moment: datetime, text: str) -> None:
    assert format_local(int(moment.timestamp())) == text
    assert datetime.fromisoformat(text) == moment


def test_format_utc() -> None:
    assert format_utc(None) is None
    assert format_utc(datetime(2025, 7, 1, 0, tzinfo=LONDON)) == "2025-06-30T23:00:00Z"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2025-07-01T10:00:00Z", datetime(2025, 7, 1, 10, tzinfo=UTC)),
        ("2025-07-01T11:00:00+01:00", datetime(2025, 7, 1, 10, tzinfo=UTC)),
        ("2025-07-01T11:00:00+0100", datetime(2025, 7, 1, 10, tzinfo=UTC)),
        ("2025-07-01T11:00:00", datetime(2025, 7, 1, 10, tzinfo=UTC)),
        ("2025-01-01T11:00:00", datetime(2025, 1, 1, 11, tzinfo=UTC)),
        ("2025-01-01", datetime(2025, 1, 1, tzinfo=UTC)),
    ],
)
def test_parse_api_datetime(text: str, expected: datetime) -> None:
    parsed = parse_api_datetime(text)
    assert parsed == expected
    assert parsed.tzinfo is UTC


@pytest.mark.parametrize("text", ["", "tomorrow", "2025-13-01T00:00:00Z", "2025-07-01T11:00 01:00"])
def test_parse_api_datetime_rejects(text: str) -> None:
    with pytest.raises(ValueError):  # noqa: PT011 - any parse failure
        parse_api_datetime(text)


def test_local_wall_to_utc_on_change_days() -> None:
    assert local_wall_to_utc(date(2025, 3, 30), 2) == datetime(2025, 3, 30, 1, tzinfo=UTC)
    assert local_wall_to_utc(date(2025, 10, 26), 2) == datetime(2025, 10, 26, 2, tzinfo=UTC)
    assert local_wall_to_utc(date(2025, 10, 25), 24) == datetime(2025, 10, 25, 23, tzinfo=UTC)
    day = local_wall_to_utc(date(2025, 10, 26), 24) - local_wall_to_utc(date(2025, 10, 26), 0)
    assert day == timedelta(hours=25)
