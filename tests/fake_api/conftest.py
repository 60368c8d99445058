"""Fixtures for the fake Octopus API tests: a running fake and an authenticated client session."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime
from typing import Any

import aiohttp
import pytest

from fake_octopus import DEMO_API_KEY, DEMO_IMPORT_MPAN, DEMO_SERIAL, FakeOctopus

# 12:00 UTC on a GMT day: readings up to 2025-11-20T00:00Z, Agile published to 23:00 tonight.
NOW = datetime(2025, 11, 20, 12, 0, tzinfo=UTC)
IMPORT_PATH = f"/v1/electricity-meter-points/{DEMO_IMPORT_MPAN}/meters/{DEMO_SERIAL}/consumption/"
AUTH = {"Authorization": aiohttp.encode_basic_auth(DEMO_API_KEY, "")}


@pytest.fixture
async def fake(socket_enabled: None) -> AsyncIterator[FakeOctopus]:
    """A fake API on a free loopback port, with a fixed clock.

    The HA test plugin blocks socket creation; `socket_enabled` (pytest-socket) lifts that for
    the test, while connections stay limited to loopback.
    """
    async with FakeOctopus(now=NOW) as running:
        yield running


@pytest.fixture
async def session(fake: FakeOctopus) -> AsyncIterator[aiohttp.ClientSession]:
    """A client session on the fake's base URL, sending the demo API key."""
    async with aiohttp.ClientSession(fake.url, headers=AUTH) as client:
        yield client


async def get_json(
    session: aiohttp.ClientSession, url: str, params: dict[str, Any] | None = None
) -> tuple[int, Any]:
    """GET a URL and return (status, decoded JSON), checking the content type is JSON."""
    async with session.get(url, params=params) as response:
        assert response.content_type == "application/json"
        return response.status, await response.json()


async def follow_pages(
    session: aiohttp.ClientSession, url: str, params: dict[str, Any] | None = None
) -> tuple[list[dict[str, Any]], int, int]:
    """Walk `next` links from a first page: (all rows, count reported, number of pages)."""
    status, body = await get_json(session, url, params)
    assert status == 200, body
    rows = list(body["results"])
    count, pages = body["count"], 1
    while body["next"] is not None:
        status, body = await get_json(session, body["next"])
        assert status == 200, body
        assert body["count"] == count
        rows.extend(body["results"])
        pages += 1
    return rows, count, pages
