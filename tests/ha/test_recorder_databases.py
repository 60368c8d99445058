"""The same history on SQLite, MariaDB and PostgreSQL gives identical statistics.

One Home Assistant per database, one after the other, each with the real recorder on a fresh
database and its own fake API: the first backfill (inserts), a corrected half-hour and the
standing-charges option (updates of stored hours) run the same on each. Every hourly row
(start, state, running sum) and every daily change of the four statistics is read back; the
three databases must agree exactly, not within a tolerance, and agree with the fake's figures.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from homeassistant import loader
from homeassistant.components.recorder.statistics import statistics_during_period
from homeassistant.core import HomeAssistant
from homeassistant.helpers.recorder import get_instance
import pytest
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
    async_test_home_assistant,
)

from custom_components.octopus_viz.api.const import ENV_API_URL
from custom_components.octopus_viz.const import CONF_STANDING_CHARGES_IN_COST, DOMAIN
from custom_components.octopus_viz.history.periods import day_bounds
from fake_octopus import DEMO_ACCOUNT_NUMBER, DEMO_EXPORT_MPAN, DEMO_IMPORT_MPAN, FakeOctopus
from tests.databases import BACKENDS, SQLITE, DatabaseServers

from .conftest import FAKE_NOW, entry_data, settle
from .stats_helpers import expected_day

IMPORT = f"{DOMAIN}:electricity_{DEMO_IMPORT_MPAN}_import"
EXPORT = f"{DOMAIN}:electricity_{DEMO_EXPORT_MPAN}_export"
STATISTICS = (IMPORT, f"{IMPORT}_cost", EXPORT, f"{EXPORT}_revenue")
# The history of the folder's entry (from 2025-10-20 UK time, the October clock change in it)
# up to the fake's last reading.
FIRST_HOUR = datetime(2025, 10, 19, 23, tzinfo=UTC)
END = datetime(2025, 11, 20, tzinfo=UTC)
HOURS = int((END - FIRST_HOUR).total_seconds()) // 3600
CORRECTED = datetime(2025, 11, 15, 18, 30, tzinfo=UTC)
PLAIN_DAY = date(2025, 11, 10)


@pytest.fixture
def auto_enable() -> None:
    """Replaces the folder's autouse fixture: the test makes one Home Assistant per database."""


async def _read(hass: HomeAssistant, period: str, types: set[str]) -> dict[str, Any]:
    rows: dict[str, Any] = await get_instance(hass).async_add_executor_job(
        statistics_during_period, hass, FIRST_HOUR, END, set(STATISTICS), period, None, types
    )
    return rows


async def _history_on(
    db_url: str,
    config_dir: Path,
    recorder: Any,
    monkeypatch: pytest.MonkeyPatch,
) -> dict[str, Any]:
    """Backfill, a correction, a re-pricing option; the statistics as the recorder returns them."""
    async with (
        FakeOctopus(now=FAKE_NOW) as fake,
        async_test_home_assistant(config_dir=str(config_dir)) as hass,
    ):
        monkeypatch.setenv(ENV_API_URL, fake.url)
        hass.data.pop(loader.DATA_CUSTOM_COMPONENTS, None)  # our custom integration is found
        await hass.config.async_set_time_zone("Europe/London")  # daily rows are UK days
        # As the plugin's own recorder fixture: commit at once, not every 5 s.
        async with recorder(hass, {"db_url": db_url, "commit_interval": 0}):
            entry = MockConfigEntry(domain=DOMAIN, unique_id=DEMO_ACCOUNT_NUMBER, data=entry_data())
            entry.add_to_hass(hass)
            assert await hass.config_entries.async_setup(entry.entry_id)
            await settle(hass)

            fake.revise(DEMO_IMPORT_MPAN, CORRECTED, 2.5)
            await entry.runtime_data.async_refresh()
            await settle(hass)
            hass.config_entries.async_update_entry(
                entry, options={CONF_STANDING_CHARGES_IN_COST: True}
            )
            await settle(hass)

            hourly = await _read(hass, "hour", {"state", "sum"})
            daily = await _read(hass, "day", {"change", "sum"})
            # The fake's own figures for a plain day: the comparison is not between empties.
            kwh, _money = expected_day(fake, DEMO_IMPORT_MPAN, PLAIN_DAY)
            midnight = day_bounds(PLAIN_DAY)[0].timestamp()
            [day] = [row for row in daily[IMPORT] if row["start"] == midnight]
            assert day["change"] == pytest.approx(kwh, abs=1e-6)
            assert await hass.config_entries.async_unload(entry.entry_id)
        await hass.async_stop(force=True)
    return {"hourly": hourly, "daily": daily}


@pytest.mark.usefixtures("socket_enabled")
async def test_identical_statistics_on_every_database(
    database_servers: DatabaseServers,
    async_test_recorder: Any,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Hourly states and sums and daily changes (energy, costs, revenue) match exactly."""
    results = {
        backend: await _history_on(
            database_servers.db_url(backend, tmp_path, "identical"),
            tmp_path / backend,
            async_test_recorder,
            monkeypatch,
        )
        for backend in BACKENDS
    }
    reference = results[SQLITE]
    for statistic in STATISTICS:
        assert len(reference["hourly"][statistic]) == HOURS, statistic
        assert reference["hourly"][statistic][-1]["sum"] > 0, statistic
    for backend in BACKENDS:
        for kind in ("hourly", "daily"):
            for statistic in STATISTICS:
                assert results[backend][kind][statistic] == reference[kind][statistic], (
                    backend,
                    kind,
                    statistic,
                )
