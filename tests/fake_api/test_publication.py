"""Late and out-of-order publication, scheduled revisions, and the fake's clock under freezer."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import aiohttp
from freezegun.api import FrozenDateTimeFactory

from fake_octopus import DEMO_EXPORT_MPAN, DEMO_IMPORT_MPAN, FakeOctopus
from fake_octopus.publication import LatePublication, RevisionPlan

from .conftest import IMPORT_PATH, follow_pages

LONDON = ZoneInfo("Europe/London")
FIRST = date(2024, 3, 20)
DAYS = [FIRST + timedelta(days=n) for n in range(60)]  # spans the March clock change


def _midnight(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, tzinfo=LONDON).astimezone(UTC)


def test_days_are_published_one_to_five_days_late_and_out_of_order() -> None:
    plan = LatePublication(seed=4, first_day=FIRST)
    delays = [(plan.published_at(day) - _midnight(day)).days for day in DAYS]
    assert min(delays) >= 1
    assert max(delays) <= 5
    assert len(set(delays)) == 5  # every delay occurs over 60 days
    order = sorted(DAYS, key=plan.published_at)
    assert order != DAYS  # some day appears before the one before it
    # Before the plan's first day, the usual rule: 10:00 local the next day.
    earlier = FIRST - timedelta(days=3)
    assert plan.published_at(earlier) == _midnight(earlier) + timedelta(days=1, hours=10)
    assert LatePublication(seed=4, first_day=FIRST).published_at(DAYS[9]) == plan.published_at(
        DAYS[9]
    )


def test_available_half_hours_follow_the_days_published() -> None:
    plan = LatePublication(seed=9, first_day=FIRST)
    now = _midnight(FIRST + timedelta(days=12)) + timedelta(hours=13)
    low, high = int(_midnight(FIRST).timestamp()) // 1800, plan.edge(now)
    available = plan.available(low, high, now)
    assert available == sorted(set(available))
    by_day: dict[date, int] = {}
    for index in available:
        day = datetime.fromtimestamp(index * 1800, UTC).astimezone(LONDON).date()
        by_day[day] = by_day.get(day, 0) + 1
    for day in DAYS[:12]:
        expected = (_midnight(day + timedelta(days=1)) - _midnight(day)) // timedelta(minutes=30)
        assert by_day.get(day, 0) == (expected if plan.published_at(day) <= now else 0)
    assert by_day[date(2024, 3, 31)] == 46  # the spring-forward day, when out
    assert plan.available(high, low, now) == []


def test_revisions_come_after_publication_within_a_week_some_twice() -> None:
    publication = LatePublication(seed=2, first_day=FIRST)
    plan = RevisionPlan(seed=2, first_day=FIRST, publication=publication, share=0.5)
    revised = twice = 0
    for day in DAYS:
        for mpan in (DEMO_IMPORT_MPAN, DEMO_EXPORT_MPAN):
            revisions = plan.revisions(mpan, day)
            revised += bool(revisions)
            twice += len(revisions) == 2
            for revision in revisions:
                assert publication.published_at(day) < revision.at < _midnight(day) + timedelta(7)
                day_start = int(_midnight(day).timestamp()) // 1800
                day_end = int(_midnight(day + timedelta(days=1)).timestamp()) // 1800
                assert day_start <= revision.first
                assert revision.first + revision.count <= day_end
            assert [r.at for r in revisions] == sorted(r.at for r in revisions)
    assert 30 <= revised <= 90
    assert twice >= 5
    assert plan.revisions(DEMO_IMPORT_MPAN, FIRST - timedelta(days=1)) == ()


def test_values_change_at_each_revision_only() -> None:
    publication = LatePublication(seed=3, first_day=FIRST)
    plan = RevisionPlan(seed=3, first_day=FIRST, publication=publication, share=1.0, twice_share=1)
    day = next(d for d in DAYS if len(plan.revisions(DEMO_IMPORT_MPAN, d)) == 2)
    first, second = plan.revisions(DEMO_IMPORT_MPAN, day)

    def base(_mpan: str, _index: int) -> float:
        return 1.0

    index = first.first
    before = plan.value_at(base, first.at - timedelta(seconds=1), DEMO_IMPORT_MPAN, index)
    once = plan.value_at(base, first.at, DEMO_IMPORT_MPAN, index)
    after = plan.value_at(base, second.at, DEMO_IMPORT_MPAN, index)
    assert before == 1.0
    assert once == first.revise(1.0)
    inside_second = second.first <= index < second.first + second.count
    assert after == (second.revise(once) if inside_second else once)
    outside = first.first - 1
    assert plan.value_at(base, second.at, DEMO_IMPORT_MPAN, outside) in {1.0, second.revise(1.0)}
    assert plan.made_until((DEMO_IMPORT_MPAN,), day, second.at) >= 2
    assert plan.made_until((DEMO_IMPORT_MPAN,), day, first.at - timedelta(days=30)) == 0


async def test_endpoint_serves_the_plans_and_follows_the_frozen_clock(
    socket_enabled: None, freezer: FrozenDateTimeFactory
) -> None:
    """With no fixed `now`, the fake follows freezer's clock; the consumption endpoint serves
    exactly `served_readings`, gaps of late days and revisions included."""
    start = _midnight(FIRST)
    freezer.move_to(start + timedelta(days=9, hours=15))
    async with FakeOctopus(history_start=start - timedelta(days=2)) as fake:
        assert fake.now == start + timedelta(days=9, hours=15)
        fake.publication = LatePublication(seed=7, first_day=FIRST)
        fake.revisions = RevisionPlan(7, FIRST, fake.publication, share=0.8)
        headers = {"Authorization": aiohttp.encode_basic_auth(fake.api_key, "")}
        async with aiohttp.ClientSession(fake.url, headers=headers) as client:
            params = {"period_from": start.isoformat(), "order_by": "period", "page_size": "200"}
            rows, _, _ = await follow_pages(client, IMPORT_PATH, params)
            truth = fake.served_readings(DEMO_IMPORT_MPAN)
            served = {
                datetime.fromisoformat(r["interval_start"]).astimezone(UTC): r["consumption"]
                for r in rows
            }
            expected = {t: v for t, v in truth.items() if t >= start - timedelta(minutes=30)}
            assert served == expected
            gaps = [b - a for a, b in zip(sorted(served), sorted(served)[1:], strict=False)]
            assert max(gaps) > timedelta(minutes=30)  # a late day is missing
            freezer.tick(timedelta(days=7))
            assert fake.now == start + timedelta(days=16, hours=15)
            later = fake.served_readings(DEMO_IMPORT_MPAN)
            assert set(truth) < set(later)  # the late days came in
            assert any(later[t] != v for t, v in truth.items())  # and some were revised
            assert fake.consumption_kwh(DEMO_IMPORT_MPAN, next(iter(later))) == next(
                iter(later.values())
            )
