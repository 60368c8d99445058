"""Listings of many pages: asked for together when the first page says how many there are."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable
from datetime import UTC, datetime, timedelta
from typing import Any

from aiohttp import web
from aiohttp.test_utils import TestServer
from homeassistant.core import HomeAssistant
from homeassistant.helpers.aiohttp_client import async_get_clientsession
import pytest

from custom_components.octopus_viz.api.client import OctopusClient
from custom_components.octopus_viz.api.errors import OctopusResponseError

pytestmark = pytest.mark.usefixtures("socket_enabled")

START = datetime(2025, 1, 1, tzinfo=UTC)
RATES = "/v1/products/P/electricity-tariffs/T/standard-unit-rates/"


def _row(index: int) -> dict[str, Any]:
    begin = START + timedelta(minutes=30 * index)
    return {
        "value_exc_vat": index,
        "value_inc_vat": index * 1.05,
        "valid_from": begin.isoformat(),
        "valid_to": (begin + timedelta(minutes=30)).isoformat(),
        "payment_method": None,
    }


class Listing:
    """`rows` rows served `size` per page, DRF style; `mutate` may change a response."""

    def __init__(self, rows: int, size: int) -> None:
        self.rows = [_row(i) for i in range(rows)]
        self.size = size
        self.pages_asked: list[int] = []
        self.in_flight = 0
        self.most_in_flight = 0
        self.mutate: Callable[[int, dict[str, Any]], None] = lambda _n, _body: None

    async def handler(self, request: web.Request) -> web.Response:
        number = int(request.query.get("page", "1"))
        self.pages_asked.append(number)
        self.in_flight += 1
        self.most_in_flight = max(self.most_in_flight, self.in_flight)
        try:
            # Let the other requests arrive: shows how many are in flight together.
            for _ in range(5):
                await _yield()
            pages = -(-len(self.rows) // self.size)
            if number > pages:
                return web.json_response({"detail": "Invalid page."}, status=404)
            chunk = self.rows[(number - 1) * self.size : number * self.size]
            next_url = (
                str(request.url.update_query(page=str(number + 1))) if number < pages else None
            )
            body = {"count": len(self.rows), "next": next_url, "results": chunk}
            self.mutate(number, body)
            return web.json_response(body)
        finally:
            self.in_flight -= 1


async def _yield() -> None:
    await asyncio.sleep(0)


@pytest.fixture
async def served(hass: HomeAssistant) -> AsyncIterator[tuple[Listing, OctopusClient]]:
    listing = Listing(rows=23, size=5)
    app = web.Application()
    app.router.add_get(RATES, listing.handler)
    server = TestServer(app)
    await server.start_server()
    client = OctopusClient(
        async_get_clientsession(hass), "k", base_url=str(server.make_url("")), max_retries=0
    )
    yield listing, client
    await server.close()


async def _rates(client: OctopusClient) -> list[int]:
    rows = await client.async_get_unit_rates("P", "T", "standard", START, START + timedelta(days=1))
    return [int(exc_vat) for exc_vat, *_ in rows]


async def test_pages_after_the_first_are_asked_for_together(
    served: tuple[Listing, OctopusClient],
) -> None:
    listing, client = served
    assert await _rates(client) == list(range(23))
    # Five pages, each asked for once; after page 1, at most four at a time.
    assert sorted(listing.pages_asked) == [1, 2, 3, 4, 5]
    assert listing.pages_asked[0] == 1
    assert listing.most_in_flight == 4


async def test_without_a_count_the_next_links_are_followed(
    served: tuple[Listing, OctopusClient],
) -> None:
    listing, client = served

    def no_count(_number: int, body: dict[str, Any]) -> None:
        del body["count"]

    listing.mutate = no_count
    assert await _rates(client) == list(range(23))
    assert listing.pages_asked == [1, 2, 3, 4, 5]
    assert listing.most_in_flight == 1


async def test_a_listing_that_grows_meanwhile_is_read_again(
    served: tuple[Listing, OctopusClient],
) -> None:
    """A row published between page 1 and the others shifts the pages: nothing is lost."""
    listing, client = served

    def grow(number: int, body: dict[str, Any]) -> None:
        if number == 1 and len(listing.rows) == 23:
            listing.rows.insert(0, _row(-1))

    listing.mutate = grow
    assert await _rates(client) == list(range(-1, 23))
    # Page 1, then pages 2-5 together, then the whole listing again one page after another.
    assert listing.pages_asked[:1] == [1]
    assert sorted(listing.pages_asked[1:5]) == [2, 3, 4, 5]
    assert listing.pages_asked[5:] == [1, 2, 3, 4, 5]


async def test_a_broken_page_fails_the_listing(served: tuple[Listing, OctopusClient]) -> None:
    listing, client = served

    def break_page_3(number: int, body: dict[str, Any]) -> None:
        if number == 3:
            body.pop("results")

    listing.mutate = break_page_3
    with pytest.raises(OctopusResponseError, match="results"):
        await _rates(client)


async def test_a_count_beyond_the_page_limit_is_refused(
    served: tuple[Listing, OctopusClient],
) -> None:
    listing, client = served

    def huge(_number: int, body: dict[str, Any]) -> None:
        body["count"] = 10**9

    listing.mutate = huge
    with pytest.raises(OctopusResponseError, match="pagination"):
        await _rates(client)
