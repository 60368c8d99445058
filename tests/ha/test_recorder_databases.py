"""The same history on SQLite, MariaDB and PostgreSQL gives identical statistics.

One Home Assistant per database, one after the other, each with the real recorder on a fresh
database and its own fake API: the first backfill (inserts), a corrected half-hour and the
standing-charges option (updates of stored hours) run the same on each. Every hourly row
(start, state, running sum) and every daily change of the four statistics is read back; the
three databases must agree exactly, not within a tolerance, and agree with the fake's figures.
Short windows around the days where storage could go wrong keep it quick: both clock changes
(23 and 25 hours) and the switch from Flux to Agile at local midnight.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
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

from .conftest import entry_data, settle
from .stats_helpers import expected_day, tariff_code_at

IMPORT = f"{DOMAIN}:electricity_{DEMO_IMPORT_MPAN}_import"
IMPORT_COST = f"{IMPORT}_cost"
EXPORT = f"{DOMAIN}:electricity_{DEMO_EXPORT_MPAN}_export"
STATISTICS = (IMPORT, IMPORT_COST, EXPORT, f"{EXPORT}_revenue")
# The day checked, with its number of hours; the history starts the day before and ends with
# the day after.
DAYS = {
    "spring-forward": (date(2025, 3, 30), 23),
    "flux-to-agile": (date(2025, 6, 1), 24),
    "fall-back": (date(2025, 10, 26), 25),
}


@pytest.fixture
def auto_enable() -> None:
    """Replaces the folder's autouse fixture: the test makes one Home Assistant per database."""


class Window:
    """The history of one run: from the UK midnight before `day` to the fake's last reading."""

    def __init__(self, day: date, day_hours: int) -> None:
        self.day = day
        self.day_hours = day_hours
        self.history_from = day - timedelta(days=1)
        self.first_hour = day_bounds(self.history_from)[0]
        # The fake publishes readings up to the UK midnight before its `now`.
        self.end = day_bounds(day + timedelta(days=2))[0]
        self.fake_now = self.end + timedelta(hours=12)
        self.corrected = datetime.combine(day, time(18, 30), UTC)

    @property
    def hours(self) -> int:
        return (self.end - self.first_hour) // timedelta(hours=1)


async def _read(hass: HomeAssistant, window: Window, period: str, types: set[str]) -> Any:
    return await get_instance(hass).async_add_executor_job(
        statistics_during_period,
        hass,
        window.first_hour,
        window.end,
        set(STATISTICS),
        period,
        None,
        types,
    )


def _check_against_the_fake(fake: FakeOctopus, window: Window, hourly: Any, daily: Any) -> None:
    """The day's hours, energy and cost (with its standing charge) are the fake's figures."""
    start, end = day_bounds(window.day)
    inside = [row for row in hourly[IMPORT] if start.timestamp() <= row["start"] < end.timestamp()]
    assert len(inside) == window.day_hours
    kwh, money = expected_day(fake, DEMO_IMPORT_MPAN, window.day)
    standing = fake.standing_charge_pence(tariff_code_at(DEMO_IMPORT_MPAN, start), start)
    assert standing is not None
    [energy] = [row for row in daily[IMPORT] if row["start"] == start.timestamp()]
    [cost] = [row for row in daily[IMPORT_COST] if row["start"] == start.timestamp()]
    assert energy["change"] == pytest.approx(kwh, abs=1e-6)
    assert cost["change"] == pytest.approx(float(money + standing / 100), abs=1e-6)


async def _history_on(
    db_url: str,
    window: Window,
    config_dir: Path,
    recorder: Any,
    monkeypatch: pytest.MonkeyPatch,
) -> dict[str, Any]:
    """Backfill, a correction, a re-pricing option; the statistics as the recorder returns them."""
    async with (
        FakeOctopus(now=window.fake_now) as fake,
        async_test_home_assistant(config_dir=str(config_dir)) as hass,
    ):
        monkeypatch.setenv(ENV_API_URL, fake.url)
        hass.data.pop(loader.DATA_CUSTOM_COMPONENTS, None)  # our custom integration is found
        await hass.config.async_set_time_zone("Europe/London")  # daily rows are UK days
        # As the plugin's own recorder fixture: commit at once, not every 5 s.
        async with recorder(hass, {"db_url": db_url, "commit_interval": 0}):
            entry = MockConfigEntry(
                domain=DOMAIN,
                unique_id=DEMO_ACCOUNT_NUMBER,
                data=entry_data(window.history_from.isoformat()),
            )
            entry.add_to_hass(hass)
            assert await hass.config_entries.async_setup(entry.entry_id)
            await settle(hass)

            fake.revise(DEMO_IMPORT_MPAN, window.corrected, 2.5)
            await entry.runtime_data.async_refresh()
            await settle(hass)
            hass.config_entries.async_update_entry(
                entry, options={CONF_STANDING_CHARGES_IN_COST: True}
            )
            await settle(hass)

            hourly = await _read(hass, window, "hour", {"state", "sum"})
            daily = await _read(hass, window, "day", {"change", "sum"})
            _check_against_the_fake(fake, window, hourly, daily)
            assert await hass.config_entries.async_unload(entry.entry_id)
        await hass.async_stop(force=True)
    return {"hourly": hourly, "daily": daily}


@pytest.mark.parametrize(("day", "day_hours"), DAYS.values(), ids=DAYS.keys())
@pytest.mark.usefixtures("socket_enabled")
async def test_identical_statistics_on_every_database(
    day: date,
    day_hours: int,
    database_servers: DatabaseServers,
    async_test_recorder: Any,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Hourly states and sums and daily changes (energy, costs, revenue) match exactly."""
    window = Window(day, day_hours)
    results = {
        backend: await _history_on(
            database_servers.db_url(backend, tmp_path, "identical"),
            window,
            tmp_path / backend,
            async_test_recorder,
            monkeypatch,
        )
        for backend in BACKENDS
    }
    reference = results[SQLITE]
    for statistic in STATISTICS:
        assert len(reference["hourly"][statistic]) == window.hours, statistic
    for backend in BACKENDS:
        for kind in ("hourly", "daily"):
            for statistic in STATISTICS:
                assert results[backend][kind][statistic] == reference[kind][statistic], (
                    backend,
                    kind,
                    statistic,
                )
