"""Injected faults, request recording and counting."""

from __future__ import annotations

import asyncio
import json
import time

import aiohttp
import pytest

from fake_octopus import DEMO_ACCOUNT_NUMBER, FAULT_KINDS, FakeOctopus

from .conftest import IMPORT_PATH

ACCOUNT_PATH = f"/v1/accounts/{DEMO_ACCOUNT_NUMBER}/"


@pytest.mark.parametrize(
    ("kind", "status", "content_type"),
    [
        ("unauthorized", 401, "application/json"),
        ("forbidden_html", 403, "text/html"),
        ("rate_limited", 429, "application/json"),
        ("server_error", 500, "text/html"),
        ("bad_gateway", 502, "text/html"),
        ("not_found", 404, "application/json"),
    ],
)
async def test_error_faults_then_recovery(
    fake: FakeOctopus,
    session: aiohttp.ClientSession,
    kind: str,
    status: int,
    content_type: str,
) -> None:
    fake.fail(kind, times=2)
    for _ in range(2):
        async with session.get(ACCOUNT_PATH) as response:
            assert response.status == status
            assert response.content_type == content_type
            body = await response.text()
            if content_type == "application/json":
                assert "detail" in json.loads(body)
            else:
                assert "<html" in body.lower()
            if kind == "rate_limited":
                assert response.headers["Retry-After"] == "1"
    async with session.get(ACCOUNT_PATH) as response:
        assert response.status == 200
    assert fake.count(ACCOUNT_PATH) == 3


async def test_forbidden_page_is_not_an_auth_error(
    fake: FakeOctopus, session: aiohttp.ClientSession
) -> None:
    fake.fail("forbidden_html")
    async with session.get(ACCOUNT_PATH) as response:
        assert response.status == 403
        assert "cloudfront" in (await response.text()).lower()
        assert "WWW-Authenticate" not in response.headers


async def test_malformed_json(fake: FakeOctopus, session: aiohttp.ClientSession) -> None:
    fake.fail("malformed_json", path_contains="/consumption/")
    async with session.get(IMPORT_PATH) as response:
        assert response.status == 200
        assert response.content_type == "application/json"
        with pytest.raises(json.JSONDecodeError):
            json.loads(await response.text())


async def test_missing_fields(fake: FakeOctopus, session: aiohttp.ClientSession) -> None:
    fake.fail("missing_fields", times=3)
    async with session.get(IMPORT_PATH) as response:
        rows = (await response.json())["results"]
        assert rows
        assert all("interval_start" not in row and "consumption" in row for row in rows)
    rates = (
        "/v1/products/AGILE-24-10-01/electricity-tariffs/E-1R-AGILE-24-10-01-C/standard-unit-rates/"
    )
    async with session.get(rates) as response:
        rows = (await response.json())["results"]
        assert rows
        assert all("valid_from" not in row and "value_inc_vat" in row for row in rows)
    async with session.get(ACCOUNT_PATH) as response:
        assert "properties" not in await response.json()


async def test_slow_delays_then_answers(fake: FakeOctopus, session: aiohttp.ClientSession) -> None:
    fake.fail("slow", delay=0.3)
    started = time.monotonic()
    async with session.get(ACCOUNT_PATH) as response:
        assert response.status == 200
    assert time.monotonic() - started >= 0.3
    # A client timeout shorter than the delay sees a timeout.
    fake.fail("slow", delay=0.5)
    with pytest.raises(asyncio.TimeoutError):
        async with session.get(ACCOUNT_PATH, timeout=aiohttp.ClientTimeout(total=0.1)):
            pass


async def test_path_filter_and_order(fake: FakeOctopus, session: aiohttp.ClientSession) -> None:
    fake.fail("server_error", path_contains="/products/")
    fake.fail("bad_gateway")
    # The account request skips the products-only fault and takes the catch-all one.
    async with session.get(ACCOUNT_PATH) as response:
        assert response.status == 502
    async with session.get("/v1/products/AGILE-24-10-01/") as response:
        assert response.status == 500
    async with session.get("/v1/products/AGILE-24-10-01/") as response:
        assert response.status == 200


async def test_requests_are_recorded_and_counted(
    fake: FakeOctopus, session: aiohttp.ClientSession
) -> None:
    fake.fail("server_error")
    params = {"page_size": "5", "period_from": "2025-07-01T00:00:00+01:00"}
    async with session.get(IMPORT_PATH, params=params) as response:
        assert response.status == 500
    async with session.get(IMPORT_PATH, params=params) as response:
        assert response.status == 200
    async with session.get(ACCOUNT_PATH):
        pass

    assert fake.count() == 3
    assert fake.count("/consumption/") == 2
    assert fake.count("/accounts/") == 1
    first = fake.requests[0]
    assert first.method == "GET"
    assert first.path == IMPORT_PATH
    assert first.query == params
    fake.reset_counts()
    assert fake.count() == 0
    assert fake.requests == []


def test_fail_validates_arguments() -> None:
    fake = FakeOctopus()
    with pytest.raises(ValueError, match="unknown fault kind"):
        fake.fail("teapot")
    with pytest.raises(ValueError, match="at least 1"):
        fake.fail("slow", times=0)
    assert "forbidden_html" in FAULT_KINDS


async def test_public_endpoint_rejects_wrong_key(fake: FakeOctopus) -> None:
    headers = {"Authorization": aiohttp.encode_basic_auth("sk_live_wrong", "")}
    async with aiohttp.ClientSession(fake.url) as anonymous:
        async with anonymous.get("/v1/products/AGILE-24-10-01/") as response:
            assert response.status == 200  # public without credentials
        async with anonymous.get("/v1/products/AGILE-24-10-01/", headers=headers) as response:
            assert response.status == 401  # but a wrong key is still rejected


async def test_start_stop_and_double_start(socket_enabled: None) -> None:
    fake = FakeOctopus()
    await fake.start()
    try:
        assert fake.url.startswith("http://127.0.0.1:")
        assert not fake.url.endswith("/")
        with pytest.raises(RuntimeError, match="already running"):
            await fake.start()
    finally:
        await fake.stop()
    await fake.stop()  # idempotent


async def test_clear_faults(fake: FakeOctopus, session: aiohttp.ClientSession) -> None:
    fake.fail("server_error", times=5)
    fake.clear_faults()
    async with session.get(ACCOUNT_PATH) as response:
        assert response.status == 200


async def test_consumption_requires_auth(fake: FakeOctopus) -> None:
    async with (
        aiohttp.ClientSession(fake.url) as anonymous,
        anonymous.get(IMPORT_PATH) as response,
    ):
        assert response.status == 401


async def test_port_in_use_raises(fake: FakeOctopus) -> None:
    port = int(fake.url.rsplit(":", 1)[1])
    second = FakeOctopus()
    with pytest.raises(OSError):  # noqa: PT011 - the OS decides the exact error
        await second.start(port=port)
    with pytest.raises(RuntimeError):
        _ = second.url
