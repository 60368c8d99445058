"""One real Home Assistant per tested release and recorder database, onboarded and with the
integration added through its config flow against the fake Octopus API; the tests of tests/e2e
share it.

Run alone with `.venv/bin/pytest tests/e2e -q` (or `-m e2e`). The instance is module-scoped
and parametrized over TARGETS, so pytest runs every test against one target before starting
the next one: the pinned release on SQLite, MariaDB and PostgreSQL (throwaway servers of
tests/databases), the current release on SQLite. Everything runs on the module's event
loop: the fake API (in-process, with a fixed `now`), the aiohttp client and Playwright.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
import shutil
from typing import Any

import aiohttp
import pytest
import pytest_asyncio
import pytest_socket

from custom_components.octopus_viz.const import DOMAIN
from fake_octopus import DEMO_ACCOUNT_NUMBER, DEMO_API_KEY, FakeOctopus
from tests.databases import MARIADB, POSTGRESQL, SQLITE, DatabaseServers

from .ha_client import RestClient, WsClient, confirm_http_config, onboard, websocket
from .hass_instance import CURRENT, OUTPUT_ROOT, PINNED, HassProcess, HaVersion

# The fake's clock. Home Assistant keeps the real clock (later), so the checks compare known
# historic days rather than "yesterday"; the fake serves readings up to 2025-11-20 00:00 UTC.
FAKE_NOW = datetime(2025, 11, 20, 12, 0, tzinfo=UTC)
HISTORY_FROM = "2025-10-01"  # a short backfill, still spanning the October clock change
# (release, recorder database): the databases on the pinned release, the current one on SQLite.
TARGETS = [(PINNED, SQLITE), (PINNED, MARIADB), (PINNED, POSTGRESQL), (CURRENT, SQLITE)]


def pytest_configure(config: pytest.Config) -> None:
    """Register the marker (pyproject need not know about it)."""
    config.addinivalue_line("markers", "e2e: end-to-end test with a real Home Assistant process")


@dataclass
class FlowRecord:
    """What the config flow showed and returned, for the tests to check."""

    steps: list[dict[str, Any]] = field(default_factory=list)
    entry: dict[str, Any] = field(default_factory=dict)


@dataclass
class E2E:
    """A running, onboarded instance with the demo account added."""

    version: HaVersion
    backend: str  # the recorder's database
    hass: HassProcess
    fake: FakeOctopus
    session: aiohttp.ClientSession
    token: str
    rest: RestClient
    ws: WsClient
    flow: FlowRecord
    output: Path  # this release's screenshots and logs (test-output/e2e/ha-<version>)
    done: set[str] = field(default_factory=set)  # shared steps already performed


async def add_integration(rest: RestClient) -> FlowRecord:
    """The user's path through the config flow, over the same REST API the UI uses."""
    record = FlowRecord()
    step = await rest.post(
        "/api/config/config_entries/flow", {"handler": DOMAIN, "show_advanced_options": False}
    )
    record.steps.append(step)
    flow_id = step["flow_id"]
    step = await rest.post(
        f"/api/config/config_entries/flow/{flow_id}",
        {"api_key": DEMO_API_KEY, "account_number": DEMO_ACCOUNT_NUMBER},
    )
    record.steps.append(step)
    assert step.get("step_id") == "meters", step
    # Select what the form preselects: the meters discovery found live (the test checks them).
    meters_field = next(f for f in step["data_schema"] if f["name"] == "meters")
    selected = meters_field["description"]["suggested_value"]
    step = await rest.post(
        f"/api/config/config_entries/flow/{flow_id}",
        {"meters": selected, "history": "date", "add_manual": False},
    )
    record.steps.append(step)
    assert step.get("step_id") == "history_date", step
    step = await rest.post(
        f"/api/config/config_entries/flow/{flow_id}", {"history_from": HISTORY_FROM}
    )
    record.steps.append(step)
    assert step.get("type") == "create_entry", step
    record.entry = step["result"]
    return record


@pytest.fixture(scope="module", params=TARGETS, ids=lambda t: f"ha{t[0].label}-{t[1]}")
def e2e_target(request: pytest.FixtureRequest) -> tuple[HaVersion, str]:
    """The Home Assistant release and recorder database under test."""
    target: tuple[HaVersion, str] = request.param
    return target


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def e2e(
    e2e_target: tuple[HaVersion, str],
    database_servers: DatabaseServers,
    tmp_path_factory: pytest.TempPathFactory,
) -> AsyncIterator[E2E]:
    """Fake API + Home Assistant subprocess + onboarding + config flow; all stopped after."""
    ha_version, backend = e2e_target
    # The HA test plugin blocks sockets for every test (each e2e test re-enables them through
    # `socket_enabled`); this module-wide setup runs before any function fixture, so it enables
    # them itself.
    pytest_socket.enable_socket()
    name = ha_version.label if backend == SQLITE else f"{ha_version.label}-{backend}"
    output = OUTPUT_ROOT / f"ha-{name}"
    shutil.rmtree(output, ignore_errors=True)
    output.mkdir(parents=True)
    config_dir = tmp_path_factory.mktemp(f"hass-{name}")
    # SQLite: the recorder's default file in the config dir; else a database on the server.
    db_url = None if backend == SQLITE else database_servers.get(backend).create_database("e2e")
    async with (
        FakeOctopus(now=FAKE_NOW) as fake,
        aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=60)) as session,
    ):
        hass = HassProcess(ha_version, config_dir, fake.url, output, db_url)
        try:
            await hass.start()
            await hass.wait_until_serving(session)
            token = await onboard(session, hass.url)
            rest = RestClient(session, hass.url, token)
            config = await rest.get("/api/config")
            assert config["version"] == ha_version.label, "the venv holds another release"
            flow = await add_integration(rest)
            async with websocket(session, hass.url, token) as ws:
                http = await confirm_http_config(ws)
                assert http["revert_at"] is None, http
                yield E2E(ha_version, backend, hass, fake, session, token, rest, ws, flow, output)
        finally:
            await hass.stop()
