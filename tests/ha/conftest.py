"""Fixtures for tests that run a Home Assistant instance (with the real recorder)."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from datetime import UTC, datetime
import logging
from pathlib import Path
from typing import Any
from unittest.mock import patch

from freezegun.api import FrozenDateTimeFactory
from homeassistant.const import CONF_API_KEY
from homeassistant.core import HomeAssistant
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry
from pytest_homeassistant_custom_component.components.recorder.common import (
    async_wait_recording_done,
)
from pytest_homeassistant_custom_component.syrupy import HomeAssistantSnapshotExtension
from syrupy.assertion import SnapshotAssertion

import custom_components.octopus_viz as package
from custom_components.octopus_viz import coordinator as coordinator_module
from custom_components.octopus_viz.api import client as api_module
from custom_components.octopus_viz.api.const import ENV_API_URL
from custom_components.octopus_viz.api.models import (
    CONF_DIRECTION,
    CONF_MPAN,
    CONF_SERIAL,
)
from custom_components.octopus_viz.const import (
    CONF_ACCOUNT_NUMBER,
    CONF_HISTORY_FROM,
    CONF_METERS,
    DOMAIN,
)
from fake_octopus import (
    DEMO_ACCOUNT_NUMBER,
    DEMO_API_KEY,
    DEMO_EXPORT_MPAN,
    DEMO_IMPORT_MPAN,
    DEMO_SERIAL,
    FakeOctopus,
)
from tests.databases import BACKENDS, SQLITE, DatabaseServers

# A fixed "now" so data availability and Agile publication are deterministic.
FAKE_NOW = datetime(2025, 11, 20, 12, 0, tzinfo=UTC)
HISTORY_FROM = "2025-10-20"  # covers the October clock change, keeps backfills small

# For the tests whose outcome depends on the recorder's database: SQLite, MariaDB, PostgreSQL.
on_every_database = pytest.mark.parametrize("recorder_backend", BACKENDS)


@pytest.fixture
def recorder_backend() -> str:
    """The recorder's database (SQLite unless a test asks for `on_every_database`)."""
    return SQLITE


@pytest.fixture
def recorder_db_url(
    recorder_db_url: str, recorder_backend: str, request: pytest.FixtureRequest
) -> str:
    """The HA test plugin's URL (in-memory SQLite), or a new database on a private server."""
    if recorder_backend == SQLITE:
        return recorder_db_url
    servers: DatabaseServers = request.getfixturevalue("database_servers")
    return servers.get(recorder_backend).create_database()


@pytest.fixture(autouse=True)
def auto_enable(recorder_mock: object, enable_custom_integrations: None) -> None:
    """Every test here gets the real recorder (a dependency) and our custom integration.

    recorder_mock must be requested before anything that creates `hass`.
    """


@pytest.fixture(autouse=True)
def cache_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Each test keeps its caches in its own folder.

    The test plugin's config folder is shared by every run on the machine (it lives in the
    venv), so caches written there outlive the test and a fixed entry id would read another
    run's file. A restart inside one test still finds its cache (same folder).
    """
    folder = tmp_path / "octopus_viz"

    def _cache_path(_hass: HomeAssistant, entry_id: str) -> Path:
        return folder / f"{entry_id}.sqlite3"

    monkeypatch.setattr(coordinator_module, "cache_path", _cache_path)
    monkeypatch.setattr(package, "cache_path", _cache_path)
    return folder


@pytest.fixture
def snapshot(snapshot: SnapshotAssertion) -> SnapshotAssertion:
    """Snapshots in Home Assistant's format, under snapshots/ (as core's tests keep them)."""
    return snapshot.use_extension(HomeAssistantSnapshotExtension)


@pytest.fixture(autouse=True)
def quiet_sql() -> Iterator[None]:
    """Silence the recorder's SQL echo (INFO from the test plugin): it costs a third of a run."""
    logger = logging.getLogger("sqlalchemy.engine")
    level = logger.level
    logger.setLevel(logging.WARNING)
    yield
    logger.setLevel(level)


@pytest.fixture(autouse=True)
def no_retry_wait() -> Iterator[None]:
    """The client's back-off between retries is skipped (failures are injected here)."""

    async def _no_sleep(_delay: float) -> None:
        return None

    with patch.object(api_module, "_backoff_sleep", _no_sleep):
        yield


@pytest.fixture
async def fake_api(
    socket_enabled: None, monkeypatch: pytest.MonkeyPatch
) -> AsyncIterator[FakeOctopus]:
    """The project's fake Octopus API on loopback; the client is pointed at it."""
    async with FakeOctopus(now=FAKE_NOW) as fake:
        monkeypatch.setenv(ENV_API_URL, fake.url)
        yield fake


def entry_data(history_from: str | None = HISTORY_FROM, **extra: Any) -> dict[str, Any]:
    """Config entry data for the demo account, following import and export."""
    return {
        CONF_API_KEY: DEMO_API_KEY,
        CONF_ACCOUNT_NUMBER: DEMO_ACCOUNT_NUMBER,
        CONF_METERS: [
            {CONF_MPAN: DEMO_IMPORT_MPAN, CONF_SERIAL: DEMO_SERIAL, CONF_DIRECTION: "import"},
            {CONF_MPAN: DEMO_EXPORT_MPAN, CONF_SERIAL: DEMO_SERIAL, CONF_DIRECTION: "export"},
        ],
        CONF_HISTORY_FROM: history_from,
        **extra,
    }


@pytest.fixture
def config_entry(hass: HomeAssistant) -> MockConfigEntry:
    """The demo account's entry, added to hass (not set up)."""
    entry = MockConfigEntry(
        domain=DOMAIN,
        title=f"Octopus {DEMO_ACCOUNT_NUMBER}",
        unique_id=DEMO_ACCOUNT_NUMBER,
        data=entry_data(),
    )
    entry.add_to_hass(hass)
    return entry


async def settle(hass: HomeAssistant) -> None:
    """Let background updates finish and the recorder write everything."""
    await hass.async_block_till_done(wait_background_tasks=True)
    await async_wait_recording_done(hass)


@pytest.fixture
async def loaded_entry(
    hass: HomeAssistant, fake_api: FakeOctopus, config_entry: MockConfigEntry
) -> MockConfigEntry:
    """The demo entry set up against the fake API, first backfill done."""
    assert await hass.config_entries.async_setup(config_entry.entry_id)
    await settle(hass)
    return config_entry


@pytest.fixture
async def entry_at_fake_now(
    hass: HomeAssistant,
    fake_api: FakeOctopus,
    config_entry: MockConfigEntry,
    freezer: FrozenDateTimeFactory,
) -> MockConfigEntry:
    """The demo entry loaded at the fake's "now" (today is 2025-11-20 in London)."""
    freezer.move_to(FAKE_NOW)
    assert await hass.config_entries.async_setup(config_entry.entry_id)
    await settle(hass)
    return config_entry
