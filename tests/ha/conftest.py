"""Fixtures for tests that run a Home Assistant instance (with the real recorder)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime

import pytest

from custom_components.octopus_viz.const import ENV_API_URL
from fake_octopus import FakeOctopus

# A fixed "now" so data availability and Agile publication are deterministic.
FAKE_NOW = datetime(2025, 11, 20, 12, 0, tzinfo=UTC)


@pytest.fixture(autouse=True)
def auto_enable(recorder_mock: object, enable_custom_integrations: None) -> None:
    """Every test here gets the real recorder (a dependency) and our custom integration.

    recorder_mock must be requested before anything that creates `hass`.
    """


@pytest.fixture
async def fake_api(monkeypatch: pytest.MonkeyPatch) -> AsyncIterator[FakeOctopus]:
    """The project's fake Octopus API on loopback; the client is pointed at it."""
    async with FakeOctopus(now=FAKE_NOW) as fake:
        monkeypatch.setenv(ENV_API_URL, fake.url)
        yield fake
