"""Seeded random faults, the new fault kinds, key rotation, page caps and request listeners."""

from __future__ import annotations

import asyncio
import time

import aiohttp
import pytest

from fake_octopus import DEMO_ACCOUNT_NUMBER, DEMO_API_KEY, FakeOctopus, RecordedRequest
from fake_octopus.chaos import DEFAULT_WEIGHTS, NEXT_PAGE_KIND, RandomFaults

from .conftest import IMPORT_PATH, NOW, follow_pages

ACCOUNT_PATH = f"/v1/accounts/{DEMO_ACCOUNT_NUMBER}/"


def _sequence(seed: int, rate: float, n: int = 400, **kwargs: float) -> list[str | None]:
    plan = RandomFaults(seed, rate, **kwargs)
    out: list[str | None] = []
    for position in range(n):
        draw = plan.draw({"page": str(1 + position % 3)})
        out.append(None if draw is None else draw.counted_as)
    return out


def test_same_seed_same_faults_and_rate_is_respected() -> None:
    first = _sequence(7, 0.2, next_page_rate=0.1)
    assert first == _sequence(7, 0.2, next_page_rate=0.1)
    assert first != _sequence(8, 0.2, next_page_rate=0.1)
    failed = [kind for kind in first if kind is not None]
    # 400 draws at 20% (+10% of the later pages): well inside these bounds for any seed.
    assert 80 <= len(failed) <= 190
    assert NEXT_PAGE_KIND in failed
    assert set(failed) - {NEXT_PAGE_KIND} <= set(DEFAULT_WEIGHTS)


def test_counts_by_kind_and_weights() -> None:
    plan = RandomFaults(3, 1.0, {"server_error": 1, "hang": 0})
    for _ in range(50):
        draw = plan.draw({})
        assert draw is not None
        assert draw.kind == "server_error"
    assert plan.counts == {"server_error": 50}
    assert plan.total == 50


def test_disabled_plan_draws_nothing_but_keeps_its_sequence() -> None:
    plan = RandomFaults(5, 0.5)
    plan.enabled = False
    assert all(plan.draw({}) is None for _ in range(20))
    plan.enabled = True
    reference = RandomFaults(5, 0.5)
    for _ in range(20):
        reference.draw({})
    drawn = [plan.draw({}) for _ in range(30)]
    assert drawn == [reference.draw({}) for _ in range(30)]
    assert plan.total == sum(d is not None for d in drawn)  # nothing counted while disabled


def test_first_pages_never_fail_as_next_pages() -> None:
    plan = RandomFaults(1, 0.0, next_page_rate=1.0)
    assert plan.draw({}) is None
    assert plan.draw({"page": "1"}) is None
    draw = plan.draw({"page": "2"})
    assert draw is not None
    assert (draw.kind, draw.counted_as) == ("server_error", NEXT_PAGE_KIND)


@pytest.mark.parametrize(
    ("weights", "rate", "message"),
    [
        ({"unauthorized": 1}, 0.1, "cannot be drawn"),
        ({"server_error": -1}, 0.1, "non-negative"),
        ({}, 0.1, "non-negative"),
        (None, 1.5, "between 0 and 1"),
    ],
)
def test_plan_validation(weights: dict[str, float] | None, rate: float, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        RandomFaults(1, rate, weights)


async def test_random_faults_reach_the_wire(
    fake: FakeOctopus, session: aiohttp.ClientSession
) -> None:
    fake.chaos = RandomFaults(11, 1.0, {"service_unavailable": 1})
    async with session.get(ACCOUNT_PATH) as response:
        assert response.status == 503
        assert response.headers["Retry-After"] == "2"
        assert "503" in await response.text()
    # Queued faults come first.
    fake.fail("bad_gateway")
    async with session.get(ACCOUNT_PATH) as response:
        assert response.status == 502
    fake.chaos = None
    async with session.get(ACCOUNT_PATH) as response:
        assert response.status == 200


async def test_not_json_is_a_200_html_page(
    fake: FakeOctopus, session: aiohttp.ClientSession
) -> None:
    fake.fail("not_json")
    async with session.get(IMPORT_PATH) as response:
        assert response.status == 200
        assert response.content_type == "text/html"
        assert "maintenance" in await response.text()


async def test_hang_outlasts_a_client_timeout_and_ends_when_the_fake_stops(
    socket_enabled: None,
) -> None:
    fake = FakeOctopus()
    await fake.start()
    headers = {"Authorization": aiohttp.encode_basic_auth(DEMO_API_KEY, "")}
    async with aiohttp.ClientSession(fake.url, headers=headers) as client:
        fake.fail("hang")
        with pytest.raises(asyncio.TimeoutError):
            async with client.get(ACCOUNT_PATH, timeout=aiohttp.ClientTimeout(total=0.2)):
                pass
        fake.fail("hang")
        waiting = asyncio.ensure_future(client.get(ACCOUNT_PATH))
        await asyncio.sleep(0.1)
        started = time.monotonic()
        await fake.stop()  # lets the held request go instead of waiting HANG_SECONDS
        assert time.monotonic() - started < 5
        waiting.cancel()


async def test_random_slow_uses_the_plans_delay(
    fake: FakeOctopus, session: aiohttp.ClientSession
) -> None:
    fake.chaos = RandomFaults(2, 1.0, {"slow": 1}, slow_delay=0.3)
    with pytest.raises(asyncio.TimeoutError):
        async with session.get(ACCOUNT_PATH, timeout=aiohttp.ClientTimeout(total=0.1)):
            pass
    assert fake.chaos.counts == {"slow": 1}


async def test_rotated_key_revokes_the_old_one(fake: FakeOctopus) -> None:
    fake.set_api_key("sk_live_rotated_0001")
    old = {"Authorization": aiohttp.encode_basic_auth(DEMO_API_KEY, "")}
    new = {"Authorization": aiohttp.encode_basic_auth("sk_live_rotated_0001", "")}
    async with aiohttp.ClientSession(fake.url) as client:
        async with client.get(ACCOUNT_PATH, headers=old) as response:
            assert response.status == 401
            assert (await response.json())["detail"] == "Invalid API key."
        async with client.get(ACCOUNT_PATH, headers=new) as response:
            assert response.status == 200


async def test_consumption_page_cap_makes_next_links(socket_enabled: None) -> None:
    async with FakeOctopus(now=NOW, consumption_page_max=100) as fake:
        headers = {"Authorization": aiohttp.encode_basic_auth(DEMO_API_KEY, "")}
        async with aiohttp.ClientSession(fake.url, headers=headers) as client:
            params = {"period_from": "2025-11-10T00:00:00Z", "page_size": "25000"}
            rows, count, pages = await follow_pages(client, IMPORT_PATH, params)
    assert count == len(rows) == 10 * 48 + 1
    assert pages == -(-count // 100)
    with pytest.raises(ValueError, match="between 1 and"):
        FakeOctopus(consumption_page_max=0)


async def test_listeners_see_every_request(
    fake: FakeOctopus, session: aiohttp.ClientSession
) -> None:
    seen: list[RecordedRequest] = []
    unsubscribe = fake.on_request(seen.append)
    fake.fail("server_error")
    for _ in range(2):
        async with session.get(ACCOUNT_PATH):
            pass
    unsubscribe()
    async with session.get(ACCOUNT_PATH):
        pass
    assert [r.path for r in seen] == [ACCOUNT_PATH, ACCOUNT_PATH]
    assert fake.count(ACCOUNT_PATH) == 3


async def test_served_bodies_replace_answers_once_in_order(
    fake: FakeOctopus, session: aiohttp.ClientSession
) -> None:
    fake.serve_body(b'{"results": "not a list"}', path_contains="/consumption/")
    fake.serve_body(b"[1, 2")
    async with session.get(ACCOUNT_PATH) as response:  # not consumption: the second body
        assert await response.read() == b"[1, 2"
    async with session.get(IMPORT_PATH) as response:
        assert response.status == 200
        assert response.content_type == "application/json"
        assert await response.read() == b'{"results": "not a list"}'
    async with session.get(IMPORT_PATH) as response:
        assert isinstance((await response.json())["results"], list)  # served normally again
