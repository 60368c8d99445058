"""Consumption endpoint: pagination, ordering, offsets, periods, availability and revisions."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
import itertools
from zoneinfo import ZoneInfo

import aiohttp
import pytest

from fake_octopus import (
    DEMO_EXPORT_MPAN,
    DEMO_IMPORT_MPAN,
    DEMO_OLD_PROPERTY_MPAN,
    DEMO_OLD_PROPERTY_SERIAL,
    DEMO_OLD_SERIAL,
    DEMO_SERIAL,
    FakeOctopus,
)

from .conftest import IMPORT_PATH, NOW, follow_pages, get_json

LONDON = ZoneInfo("Europe/London")
EXPORT_PATH = f"/v1/electricity-meter-points/{DEMO_EXPORT_MPAN}/meters/{DEMO_SERIAL}/consumption/"


def parse(text: str) -> datetime:
    """Parse a result timestamp the way a client must (all three offset forms)."""
    return datetime.fromisoformat(text).astimezone(UTC)


def local_day(day: date) -> dict[str, str]:
    """Query parameters for one UK local day, written as naive local times."""
    return {
        "period_from": f"{day.isoformat()}T00:00:00",
        "period_to": f"{(day + timedelta(days=1)).isoformat()}T00:00:00",
        "order_by": "period",
    }


async def test_pagination_chains_cover_every_half_hour_once(session: aiohttp.ClientSession) -> None:
    params = {
        "period_from": "2025-10-20T00:00:00Z",
        "period_to": "2025-11-03T00:00:00Z",
        "page_size": 97,
    }
    newest_first, count, pages = await follow_pages(session, IMPORT_PATH, params)
    oldest_first, _, _ = await follow_pages(session, IMPORT_PATH, {**params, "order_by": "period"})

    # 14 days plus the extra half hour before period_from.
    assert count == 14 * 48 + 1 == len(newest_first) == len(oldest_first)
    assert pages == -(-count // 97)
    starts = [parse(row["interval_start"]) for row in oldest_first]
    assert starts == sorted(set(starts))
    assert all(b - a == timedelta(minutes=30) for a, b in itertools.pairwise(starts))
    assert starts[0] == datetime(2025, 10, 19, 23, 30, tzinfo=UTC)
    assert newest_first == list(reversed(oldest_first))
    for row in oldest_first:
        assert parse(row["interval_end"]) - parse(row["interval_start"]) == timedelta(minutes=30)


async def test_default_order_is_newest_first_and_default_page_size_100(
    session: aiohttp.ClientSession,
) -> None:
    status, body = await get_json(session, IMPORT_PATH)
    assert status == 200
    assert len(body["results"]) == 100
    assert body["previous"] is None
    # The newest reading ends at local midnight starting "today" (now is 12:00).
    assert parse(body["results"][0]["interval_end"]) == datetime(2025, 11, 20, tzinfo=UTC)
    starts = [parse(row["interval_start"]) for row in body["results"]]
    assert starts == sorted(starts, reverse=True)


async def test_page_size_is_capped_and_links_are_full_urls(
    fake: FakeOctopus, session: aiohttp.ClientSession
) -> None:
    status, body = await get_json(session, IMPORT_PATH, {"page_size": 40_000, "order_by": "period"})
    assert status == 200
    assert len(body["results"]) == 25_000
    assert body["next"].startswith(f"{fake.url}{IMPORT_PATH}?")
    assert "page_size=40000" in body["next"]
    assert "order_by=period" in body["next"]
    assert "page=2" in body["next"]

    status, second = await get_json(session, body["next"])
    assert status == 200
    # DRF drops the page parameter from the link back to the first page.
    assert second["previous"] is not None
    assert "page=" not in second["previous"]
    assert second["results"][0]["interval_start"] != body["results"][-1]["interval_start"]
    assert parse(second["results"][0]["interval_start"]) - parse(
        body["results"][-1]["interval_start"]
    ) == timedelta(minutes=30)


async def test_third_page_links_back_with_page_number(session: aiohttp.ClientSession) -> None:
    params = {"page_size": 10, "page": 3}
    status, body = await get_json(session, IMPORT_PATH, params)
    assert status == 200
    assert "page=2" in body["previous"]
    assert "page=4" in body["next"]


@pytest.mark.parametrize("page", ["0", "999999", "abc"])
async def test_invalid_page_is_404(session: aiohttp.ClientSession, page: str) -> None:
    status, body = await get_json(session, IMPORT_PATH, {"page": page})
    assert status == 404
    assert body == {"detail": "Invalid page."}


@pytest.mark.parametrize("page_size", ["0", "-5", "lots"])
async def test_odd_page_sizes_fall_back_to_default(
    session: aiohttp.ClientSession, page_size: str
) -> None:
    status, body = await get_json(session, IMPORT_PATH, {"page_size": page_size})
    assert status == 200
    assert len(body["results"]) == 100


@pytest.mark.parametrize(
    ("day", "expected", "first_start"),
    [
        (date(2025, 3, 30), 46, "2025-03-30T00:00:00Z"),  # spring forward: 23 hours
        (date(2025, 10, 26), 50, "2025-10-26T00:00:00+01:00"),  # fall back: 25 hours
        (date(2025, 6, 15), 48, "2025-06-15T00:00:00+01:00"),
    ],
)
async def test_local_days_across_clock_changes(
    session: aiohttp.ClientSession, day: date, expected: int, first_start: str
) -> None:
    rows, count, _ = await follow_pages(session, IMPORT_PATH, local_day(day))
    # Drop the quirk row (it ends where the requested period starts).
    start = datetime.combine(day, datetime.min.time(), tzinfo=LONDON)
    rows = [row for row in rows if parse(row["interval_start"]) >= start]
    assert count == expected + 1
    assert len(rows) == expected
    assert rows[0]["interval_start"] == first_start
    assert parse(rows[-1]["interval_end"]) == datetime.combine(
        day + timedelta(days=1), datetime.min.time(), tzinfo=LONDON
    )


async def test_offset_forms_follow_local_time_and_era(session: aiohttp.ClientSession) -> None:
    async def first_row(period_from: str) -> dict[str, object]:
        params = {"period_from": period_from, "order_by": "period", "page_size": 2}
        _, body = await get_json(session, IMPORT_PATH, params)
        row: dict[str, object] = body["results"][1]  # [0] is the quirk row
        return row

    assert (await first_row("2023-07-01T12:00:00Z"))["interval_start"] == "2023-07-01T13:00:00+0100"
    assert (await first_row("2024-07-01T12:00:00Z"))[
        "interval_start"
    ] == "2024-07-01T13:00:00+01:00"
    assert (await first_row("2024-12-01T12:00:00Z"))["interval_start"] == "2024-12-01T12:00:00Z"
    # Across the October change the same local wall time appears twice, with different offsets.
    fall_back = await first_row("2025-10-26T00:30:00Z")
    assert fall_back["interval_start"] == "2025-10-26T01:30:00+01:00"
    assert fall_back["interval_end"] == "2025-10-26T01:00:00Z"


@pytest.mark.parametrize(
    "period_from",
    [
        "2025-07-01T10:00:00Z",
        "2025-07-01T11:00:00+01:00",
        "2025-07-01T11:00:00+0100",
        "2025-07-01T11:00:00",  # naive = Europe/London (BST here)
        "2025-07-01T10:00:00+00:00",
    ],
)
async def test_period_from_forms_are_equivalent(
    session: aiohttp.ClientSession, period_from: str
) -> None:
    params = {"period_from": period_from, "period_to": "2025-07-01T12:00:00Z", "order_by": "period"}
    status, body = await get_json(session, IMPORT_PATH, params)
    assert status == 200
    starts = [parse(row["interval_start"]) for row in body["results"]]
    # 10:00-12:00Z is 4 half hours, plus the one just before period_from.
    assert starts[0] == datetime(2025, 7, 1, 9, 30, tzinfo=UTC)
    assert starts[-1] == datetime(2025, 7, 1, 11, 30, tzinfo=UTC)
    assert body["count"] == 5


async def test_naive_period_in_winter_is_gmt(session: aiohttp.ClientSession) -> None:
    params = {"period_from": "2025-01-10T08:00:00", "period_to": "2025-01-10T09:00:00"}
    _, body = await get_json(session, IMPORT_PATH, {**params, "order_by": "period"})
    assert [row["interval_start"] for row in body["results"]] == [
        "2025-01-10T07:30:00Z",
        "2025-01-10T08:00:00Z",
        "2025-01-10T08:30:00Z",
    ]


async def test_period_to_only_has_no_extra_row(session: aiohttp.ClientSession) -> None:
    params = {"period_to": "2023-01-15T02:00:00Z", "order_by": "period"}
    _, body = await get_json(session, IMPORT_PATH, params)
    # History starts at 2023-01-15T00:00Z: exactly four half hours, nothing before.
    assert body["count"] == 4
    assert body["results"][0]["interval_start"] == "2023-01-15T00:00:00Z"


async def test_empty_period_returns_nothing(session: aiohttp.ClientSession) -> None:
    params = {"period_from": "2025-07-01T10:00:00Z", "period_to": "2025-07-01T10:00:00Z"}
    _, body = await get_json(session, IMPORT_PATH, params)
    assert body["count"] == 0
    assert body["results"] == []


@pytest.mark.parametrize(
    ("params", "key"),
    [
        ({"period_from": "yesterday"}, "period_from"),
        ({"period_to": "2025-07-01 10:00:00 01:00"}, "period_to"),  # an unencoded '+'
        ({"order_by": "consumption"}, "order_by"),
        ({"group_by": "day"}, "detail"),
    ],
)
async def test_bad_parameters_are_400(
    session: aiohttp.ClientSession, params: dict[str, str], key: str
) -> None:
    status, body = await get_json(session, IMPORT_PATH, params)
    assert status == 400
    assert key in body


@pytest.mark.parametrize(
    ("now", "last_end"),
    [
        # 09:59 BST: yesterday is not in yet, data ends at the start of yesterday.
        (datetime(2025, 7, 10, 8, 59, tzinfo=UTC), datetime(2025, 7, 8, 23, 0, tzinfo=UTC)),
        # 10:00 BST: data ends at the start of today.
        (datetime(2025, 7, 10, 9, 0, tzinfo=UTC), datetime(2025, 7, 9, 23, 0, tzinfo=UTC)),
        # 00:30 GMT: still before 10:00.
        (datetime(2025, 11, 20, 0, 30, tzinfo=UTC), datetime(2025, 11, 19, tzinfo=UTC)),
    ],
)
async def test_availability_edge_follows_now(
    fake: FakeOctopus, session: aiohttp.ClientSession, now: datetime, last_end: datetime
) -> None:
    fake.now = now
    _, body = await get_json(session, IMPORT_PATH, {"page_size": 1})
    assert parse(body["results"][0]["interval_end"]) == last_end


async def test_history_starts_and_export_starts_later(session: aiohttp.ClientSession) -> None:
    _, imports = await get_json(session, IMPORT_PATH, {"order_by": "period", "page_size": 1})
    _, exports = await get_json(session, EXPORT_PATH, {"order_by": "period", "page_size": 1})
    assert imports["results"][0]["interval_start"] == "2023-01-15T00:00:00Z"
    assert exports["results"][0]["interval_start"] == "2023-03-01T00:00:00Z"


@pytest.mark.usefixtures("socket_enabled")
async def test_custom_history_start() -> None:
    async with (
        FakeOctopus(now=NOW, history_start=datetime(2025, 1, 1, tzinfo=UTC)) as fake,
        aiohttp.ClientSession(fake.url, headers=_auth()) as session,
    ):
        _, body = await get_json(session, EXPORT_PATH, {"order_by": "period", "page_size": 1})
        assert body["results"][0]["interval_start"] == "2025-01-01T00:00:00Z"


def _auth() -> dict[str, str]:
    from .conftest import AUTH

    return AUTH


@pytest.mark.parametrize(
    ("mpan", "serial", "status"),
    [
        (DEMO_IMPORT_MPAN, DEMO_OLD_SERIAL, 200),  # replaced meter: known, but no data
        (DEMO_OLD_PROPERTY_MPAN, DEMO_OLD_PROPERTY_SERIAL, 200),
        (DEMO_EXPORT_MPAN, DEMO_OLD_SERIAL, 404),
        ("1900000000999", DEMO_SERIAL, 404),
    ],
)
async def test_meters_without_data(
    session: aiohttp.ClientSession, mpan: str, serial: str, status: int
) -> None:
    code, body = await get_json(
        session, f"/v1/electricity-meter-points/{mpan}/meters/{serial}/consumption/"
    )
    assert code == status
    if status == 200:
        assert body == {"count": 0, "next": None, "previous": None, "results": []}
    else:
        assert body == {"detail": "Not found."}


async def test_values_match_helper_and_revisions(
    fake: FakeOctopus, session: aiohttp.ClientSession
) -> None:
    start = datetime(2025, 8, 1, 17, 30, tzinfo=UTC)
    params = {"period_from": start.isoformat(), "period_to": "2025-08-01T18:00:00Z"}
    _, body = await get_json(session, IMPORT_PATH, params)
    served = body["results"][0]
    assert parse(served["interval_start"]) == start
    assert served["consumption"] == fake.consumption_kwh(DEMO_IMPORT_MPAN, start)

    fake.revise(DEMO_IMPORT_MPAN, start, 1.23456)
    _, body = await get_json(session, IMPORT_PATH, params)
    assert body["results"][0]["consumption"] == 1.235
    assert fake.consumption_kwh(DEMO_IMPORT_MPAN, start) == 1.235
    # The neighbour is untouched.
    assert body["results"][1]["consumption"] == fake.consumption_kwh(
        DEMO_IMPORT_MPAN, start - timedelta(minutes=30)
    )


def test_helper_rejects_bad_arguments() -> None:
    fake = FakeOctopus(now=NOW)
    with pytest.raises(ValueError, match="half hour"):
        fake.consumption_kwh(DEMO_IMPORT_MPAN, datetime(2025, 1, 1, 0, 15, tzinfo=UTC))
    with pytest.raises(ValueError, match="aware"):
        fake.consumption_kwh(DEMO_IMPORT_MPAN, datetime(2025, 1, 1))
    with pytest.raises(ValueError, match="not a demo MPAN"):
        fake.consumption_kwh(DEMO_OLD_PROPERTY_MPAN, datetime(2025, 1, 1, tzinfo=UTC))
    with pytest.raises(ValueError, match="negative"):
        fake.revise(DEMO_IMPORT_MPAN, datetime(2025, 1, 1, tzinfo=UTC), -1)
    with pytest.raises(ValueError, match="aware"):
        FakeOctopus(now=datetime(2025, 1, 1))
    with pytest.raises(RuntimeError, match="not been started"):
        _ = fake.url


def test_default_now_follows_the_clock() -> None:
    fake = FakeOctopus()
    before = datetime.now(UTC)
    assert before - timedelta(seconds=1) <= fake.now <= datetime.now(UTC)
    fake.now = datetime(2025, 1, 1, 12, tzinfo=ZoneInfo("Europe/Paris"))
    assert fake.now == datetime(2025, 1, 1, 11, tzinfo=UTC)
    assert fake.now.tzinfo is UTC
