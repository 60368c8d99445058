"""The Octopus client against tiny purpose-built servers: headers, odd statuses and rows."""

from __future__ import annotations

import base64
from datetime import UTC, datetime
import logging

from aiohttp import web
from aiohttp.test_utils import TestServer
from homeassistant.core import HomeAssistant
from homeassistant.helpers.aiohttp_client import async_get_clientsession
import pytest

from custom_components.octopus_viz.api.client import OctopusClient
from custom_components.octopus_viz.api.const import VERSION
from custom_components.octopus_viz.api.errors import (
    OctopusConnectionError,
    OctopusResponseError,
)
from fake_octopus import DEMO_ACCOUNT_NUMBER, DEMO_API_KEY

from .test_api import SleepRecorder

# The servers listen on loopback.
pytestmark = pytest.mark.usefixtures("socket_enabled")


async def test_connection_refused_is_connection_error(hass: HomeAssistant) -> None:
    # A port nothing listens on: start and stop a server to get one.
    server = TestServer(web.Application())
    await server.start_server()
    url = str(server.make_url(""))
    await server.close()
    client = OctopusClient(
        async_get_clientsession(hass), DEMO_API_KEY, base_url=url, max_retries=1, backoff=0
    )
    with pytest.raises(OctopusConnectionError):
        await client.async_get_account(DEMO_ACCOUNT_NUMBER)


async def test_headers_user_agent_and_basic_auth(hass: HomeAssistant) -> None:
    seen: list[dict[str, str]] = []

    async def handler(request: web.Request) -> web.Response:
        seen.append(dict(request.headers))
        return web.json_response({"code": "P", "display_name": "Product P"})

    app = web.Application()
    app.router.add_get("/v1/products/P/", handler)
    server = TestServer(app)
    await server.start_server()
    try:
        client = OctopusClient(
            async_get_clientsession(hass), "sk_key", base_url=str(server.make_url(""))
        )
        product = await client.async_get_product("P")
    finally:
        await server.close()
    assert product.display_name == "Product P"
    assert seen[0]["User-Agent"].startswith(f"octopus_viz/{VERSION} aiohttp/")
    assert seen[0]["Authorization"] == "Basic " + base64.b64encode(b"sk_key:").decode()


async def test_odd_statuses_and_links(hass: HomeAssistant) -> None:
    """A 400 is not retried; `next` is followed on our host only; endless pagination ends."""
    hits: list[str] = []

    async def bad_request(request: web.Request) -> web.Response:
        hits.append(request.path)
        return web.json_response({"period_from": ["Enter a valid date/time."]}, status=400)

    async def looping(request: web.Request) -> web.Response:
        hits.append(f"{request.host}|{request.query.get('page', '1')}")
        row = {"consumption": 0.5, "interval_start": "2024-06-01T00:00:00Z"}
        # Points at another host, and at page 2 again and again.
        nxt = f"https://elsewhere.example{request.path}?page=2"
        return web.json_response({"next": nxt, "results": [row]})

    app = web.Application()
    app.router.add_get("/v1/products/BAD/", bad_request)
    app.router.add_get("/v1/electricity-meter-points/{mpan}/meters/{serial}/consumption/", looping)
    server = TestServer(app)
    await server.start_server()
    host = f"{server.host}:{server.port}"
    try:
        client = OctopusClient(
            async_get_clientsession(hass), "k", base_url=str(server.make_url("")), backoff=0
        )
        with pytest.raises(OctopusResponseError, match="HTTP 400"):
            await client.async_get_product("BAD")
        with pytest.raises(OctopusResponseError, match="pagination"):
            await client.async_get_consumption("1", "S", datetime(2024, 6, 1, tzinfo=UTC))
    finally:
        await server.close()
    assert hits == ["/v1/products/BAD/", f"{host}|1", f"{host}|2"]


async def test_some_bad_rows_skipped_with_one_warning(
    hass: HomeAssistant, caplog: pytest.LogCaptureFixture
) -> None:
    rows = [
        {"consumption": 0.5, "interval_start": "2024-06-01T01:00:00+01:00"},
        {"consumption": -0.1, "interval_start": "2024-06-01T00:30:00Z"},
        {"consumption": "lots", "interval_start": "2024-06-01T01:00:00Z"},
        {"consumption": 0.7, "interval_start": "2024-06-01T01:15:00Z"},
        {"consumption": 0.9, "interval_start": "2024-06-01T02:30:00+0100"},
    ]

    async def handler(request: web.Request) -> web.Response:
        return web.json_response({"count": 5, "next": None, "results": rows})

    app = web.Application()
    app.router.add_get("/v1/electricity-meter-points/{mpan}/meters/{serial}/consumption/", handler)
    server = TestServer(app)
    await server.start_server()
    try:
        client = OctopusClient(
            async_get_clientsession(hass), "k", base_url=str(server.make_url(""))
        )
        got = await client.async_get_consumption(
            "1900000000001", "S", datetime(2024, 6, 1, tzinfo=UTC)
        )
    finally:
        await server.close()
    midnight = int(datetime(2024, 6, 1, tzinfo=UTC).timestamp())
    assert (got.starts, got.kwh) == ([midnight, midnight + 5400], [0.5, 0.9])
    warnings = [r for r in caplog.records if r.levelno == logging.WARNING]
    assert len(warnings) == 1
    assert "3 rows skipped" in warnings[0].getMessage()
    assert "1 x negative consumption" in warnings[0].getMessage()


async def test_retry_after_forms_and_odd_probe_rows(hass: HomeAssistant) -> None:
    """Retry-After: seconds are capped at 60 s, an HTTP date falls back to back-off."""
    answers = [
        web.json_response({}, status=429, headers={"Retry-After": "3600"}),
        web.json_response({}, status=503, headers={"Retry-After": "Wed, 21 Oct 2015 07:28:00 GMT"}),
        web.json_response({"results": [{"consumption": 1, "interval_start": "junk"}]}),
        web.json_response({"results": []}),
    ]

    async def handler(request: web.Request) -> web.Response:
        return answers.pop(0)

    app = web.Application()
    app.router.add_get("/v1/electricity-meter-points/{mpan}/meters/{serial}/consumption/", handler)
    server = TestServer(app)
    await server.start_server()
    sleeps = SleepRecorder()
    try:
        client = OctopusClient(
            async_get_clientsession(hass),
            "k",
            base_url=str(server.make_url("")),
            backoff=0.5,
            sleep=sleeps,
        )
        # An unusable newest row means "no usable data", not a crash.
        assert await client.async_get_latest_reading_start("1", "S") is None
        assert await client.async_get_latest_reading_start("1", "S") is None
    finally:
        await server.close()
    assert sleeps.delays == [60.0, 1.0]
