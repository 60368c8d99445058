"""Long-term statistics: exact day values, clock changes, switches, corrections, restarts.

The tests marked `on_every_database` run on SQLite, MariaDB and PostgreSQL (throwaway servers,
see tests/databases): what they check depends on how the recorder rewrites stored rows. The
values of whole days on all three: test_recorder_databases.py (the backfill here is SQLite's).
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from homeassistant.components.recorder.statistics import async_list_statistic_ids
from homeassistant.core import HomeAssistant
from homeassistant.helpers import issue_registry as ir
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.octopus_viz import meter as engine_module
from custom_components.octopus_viz.const import (
    CONF_STANDING_CHARGES_IN_COST,
    DOMAIN,
)
from custom_components.octopus_viz.history.periods import day_bounds
from custom_components.octopus_viz.tariffs.keys import (
    CONF_CUSTOM_TARIFFS,
    CONF_TARIFF_SOURCE,
)
from fake_octopus import DEMO_EXPORT_MPAN, DEMO_IMPORT_MPAN, FakeOctopus

from .conftest import entry_data, on_every_database, settle
from .stats_helpers import day_change, expected_day, hourly_rows, tariff_code_at

IMPORT = f"{DOMAIN}:electricity_{DEMO_IMPORT_MPAN}_import"
IMPORT_COST = f"{IMPORT}_cost"
EXPORT = f"{DOMAIN}:electricity_{DEMO_EXPORT_MPAN}_export"
EXPORT_REVENUE = f"{EXPORT}_revenue"

DAYS = [
    date(2025, 3, 30),  # spring forward: 46 half-hours
    date(2025, 5, 31),  # last day of Flux
    date(2025, 6, 1),  # first day of Agile (switch at local midnight)
    date(2025, 10, 26),  # fall back: 50 half-hours
    date(2025, 11, 10),
]


def _entry(hass: HomeAssistant, history_from: str, **options: object) -> MockConfigEntry:
    entry = MockConfigEntry(
        domain=DOMAIN,
        title="Octopus demo",
        unique_id="demo",
        data=entry_data(history_from),
        options=dict(options),
    )
    entry.add_to_hass(hass)
    return entry


async def test_backfill_values_of_known_days(hass: HomeAssistant, fake_api: FakeOctopus) -> None:
    """Energy and money of whole days match the fake's data and published rates."""
    entry = _entry(hass, "2025-03-25")
    assert await hass.config_entries.async_setup(entry.entry_id)
    await settle(hass)

    listed = {
        s["statistic_id"]: s for s in await async_list_statistic_ids(hass, statistic_type="sum")
    }
    assert listed[IMPORT]["unit_class"] == "energy"
    assert listed[IMPORT]["statistics_unit_of_measurement"] == "kWh"
    assert listed[IMPORT_COST]["unit_class"] is None
    assert listed[IMPORT_COST]["statistics_unit_of_measurement"] == "GBP"
    assert listed[EXPORT_REVENUE]["statistics_unit_of_measurement"] == "GBP"
    assert listed[IMPORT]["source"] == DOMAIN

    for day in DAYS:
        for mpan, energy_id, money_id in (
            (DEMO_IMPORT_MPAN, IMPORT, IMPORT_COST),
            (DEMO_EXPORT_MPAN, EXPORT, EXPORT_REVENUE),
        ):
            kwh, money = expected_day(fake_api, mpan, day)
            states, change = await day_change(hass, energy_id, day)
            assert states == pytest.approx(kwh, abs=1e-6), (day, energy_id)
            assert change == pytest.approx(kwh, abs=1e-6), (day, energy_id)
            states, change = await day_change(hass, money_id, day)
            assert states == pytest.approx(float(money), abs=1e-6), (day, money_id)
            assert change == pytest.approx(float(money), abs=1e-6), (day, money_id)

    # Hour rows are on the hour; the clock-change days have 23 and 25 of them.
    for day, hours in ((date(2025, 3, 30), 23), (date(2025, 10, 26), 25)):
        start, end = day_bounds(day)
        assert len(await hourly_rows(hass, IMPORT, start, end)) == hours


@on_every_database
async def test_correction_rewrites_only_from_that_hour(
    hass: HomeAssistant, fake_api: FakeOctopus, config_entry: MockConfigEntry
) -> None:
    """A revised half-hour changes that hour's state and later sums, nothing before it."""
    assert await hass.config_entries.async_setup(config_entry.entry_id)
    await settle(hass)
    start, end = datetime(2025, 11, 10, tzinfo=UTC), datetime(2025, 11, 20, tzinfo=UTC)
    before = await hourly_rows(hass, IMPORT, start, end)

    corrected = datetime(2025, 11, 15, 18, 30, tzinfo=UTC)
    old = fake_api.consumption_kwh(DEMO_IMPORT_MPAN, corrected)
    fake_api.revise(DEMO_IMPORT_MPAN, corrected, old + 1.5)
    fake_api.reset_counts()
    await config_entry.runtime_data.async_refresh()
    await settle(hass)
    # An idle poll: one consumption request per meter (inside the re-fetch window).
    assert fake_api.count("/consumption/") == 2

    after = await hourly_rows(hass, IMPORT, start, end)
    assert len(after) == len(before)
    hour = corrected.replace(minute=0).timestamp()
    for old_row, new_row in zip(before, after, strict=True):
        if old_row["start"] < hour:
            assert new_row == old_row
        elif old_row["start"] == hour:
            assert new_row["state"] == pytest.approx(old_row["state"] + 1.5)
            assert new_row["sum"] == pytest.approx(old_row["sum"] + 1.5)
        else:
            assert new_row["state"] == pytest.approx(old_row["state"])
            assert new_row["sum"] == pytest.approx(old_row["sum"] + 1.5)


async def test_idle_poll_rewrites_nothing(
    hass: HomeAssistant, fake_api: FakeOctopus, config_entry: MockConfigEntry
) -> None:
    """Nothing new: one request per meter, no statistic written."""
    assert await hass.config_entries.async_setup(config_entry.entry_id)
    await settle(hass)
    coordinator = config_entry.runtime_data
    fake_api.reset_counts()
    await coordinator.async_refresh()
    await settle(hass)
    assert fake_api.count("/consumption/") == 2
    assert all(not v["rows_written"] for v in coordinator.last_update_summary.values())


@on_every_database
async def test_restart_in_the_middle_of_a_backfill(
    hass: HomeAssistant, fake_api: FakeOctopus, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A backfill cut by failures resumes after a restart without counting anything twice."""
    monkeypatch.setattr(engine_module, "BACKFILL_WINDOW", timedelta(days=20))
    entry = _entry(hass, "2025-08-01")
    # The fourth window of the export meter fails (after retries): the first update stops.
    fake_api.fail("server_error", times=50, path_contains=f"{DEMO_EXPORT_MPAN}/meters")
    assert await hass.config_entries.async_setup(entry.entry_id)
    await settle(hass)
    assert not entry.runtime_data.last_update_success

    assert await hass.config_entries.async_unload(entry.entry_id)
    fake_api.faults.clear()
    assert await hass.config_entries.async_setup(entry.entry_id)
    await settle(hass)
    assert entry.runtime_data.last_update_success

    for day in (date(2025, 8, 1), date(2025, 9, 15), date(2025, 10, 26), date(2025, 11, 19)):
        for mpan, energy_id in ((DEMO_IMPORT_MPAN, IMPORT), (DEMO_EXPORT_MPAN, EXPORT)):
            kwh, _ = expected_day(fake_api, mpan, day)
            _, change = await day_change(hass, energy_id, day)
            assert change == pytest.approx(kwh, abs=1e-6), (day, energy_id)
    # The running sum at the end equals everything fetched: no double counting.
    rows = await hourly_rows(
        hass, EXPORT, datetime(2025, 7, 31, tzinfo=UTC), datetime(2025, 11, 21, tzinfo=UTC)
    )
    snapshot = entry.runtime_data.data.meters[DEMO_EXPORT_MPAN]
    assert rows[-1]["sum"] == pytest.approx(sum(snapshot.series.kwh), abs=1e-6)


@on_every_database
async def test_tariff_edit_reprices_without_requests(
    hass: HomeAssistant, fake_api: FakeOctopus, config_entry: MockConfigEntry
) -> None:
    """Switching the import meter to a custom flat tariff rewrites the cost statistic."""
    assert await hass.config_entries.async_setup(config_entry.entry_id)
    await settle(hass)
    day = date(2025, 11, 10)
    kwh, _ = expected_day(fake_api, DEMO_IMPORT_MPAN, day)
    flat = {
        "name": "Flat 30p",
        "unit": "electricity_importing_kwh",
        "currency": "GBP",
        "rates": [{"interval_start": "00:00", "interval_end": "24:00", "rate": 0.30}],
    }
    fake_api.reset_counts()
    hass.config_entries.async_update_entry(
        config_entry,
        options={
            CONF_TARIFF_SOURCE: {DEMO_IMPORT_MPAN: "custom"},
            CONF_CUSTOM_TARIFFS: [flat],
        },
    )
    await settle(hass)
    assert fake_api.count() == 0
    _, change = await day_change(hass, IMPORT_COST, day)
    assert change == pytest.approx(kwh * 0.30, abs=1e-6)
    # Energy is untouched by a price change.
    energy_states, _ = await day_change(hass, IMPORT, day)
    assert energy_states == pytest.approx(kwh, abs=1e-6)
    # The export meter kept the account's tariffs.
    _, revenue = expected_day(fake_api, DEMO_EXPORT_MPAN, day)
    _, change = await day_change(hass, EXPORT_REVENUE, day)
    assert change == pytest.approx(float(revenue), abs=1e-6)


async def test_standing_charges_option_rewrites_costs(
    hass: HomeAssistant, fake_api: FakeOctopus, config_entry: MockConfigEntry
) -> None:
    """With the option on, each local day's standing charge is in the cost statistic."""
    assert await hass.config_entries.async_setup(config_entry.entry_id)
    await settle(hass)
    day = date(2025, 11, 10)
    midnight = day_bounds(day)[0]
    _, money = expected_day(fake_api, DEMO_IMPORT_MPAN, day)
    standing = fake_api.standing_charge_pence(tariff_code_at(DEMO_IMPORT_MPAN, midnight), midnight)
    assert standing is not None
    fake_api.reset_counts()
    hass.config_entries.async_update_entry(
        config_entry, options={CONF_STANDING_CHARGES_IN_COST: True}
    )
    await settle(hass)
    assert fake_api.count("/consumption/") == 0
    _, change = await day_change(hass, IMPORT_COST, day)
    assert change == pytest.approx(float(money + standing / 100), abs=1e-6)
    # Energy and export revenue are untouched.
    _, revenue = expected_day(fake_api, DEMO_EXPORT_MPAN, day)
    _, change = await day_change(hass, EXPORT_REVENUE, day)
    assert change == pytest.approx(float(revenue), abs=1e-6)


async def test_unpriced_half_hours_raise_a_repair_issue_until_covered(
    hass: HomeAssistant, fake_api: FakeOctopus, config_entry: MockConfigEntry
) -> None:
    """A custom tariff that starts after the history leaves days unpriced: a repair issue
    names them (UK days, inclusive) until a tariff covers them."""

    def flat(valid_from: str) -> dict[str, object]:
        return {
            "name": "Flat 30p",
            "unit": "electricity_importing_kwh",
            "currency": "GBP",
            "valid_from": valid_from,
            "rates": [{"interval_start": "00:00", "interval_end": "24:00", "rate": 0.30}],
        }

    def options(valid_from: str) -> dict[str, object]:
        return {
            CONF_TARIFF_SOURCE: {DEMO_IMPORT_MPAN: "custom"},
            CONF_CUSTOM_TARIFFS: [flat(valid_from)],
        }

    hass.config_entries.async_update_entry(config_entry, options=options("2025-11-01"))
    assert await hass.config_entries.async_setup(config_entry.entry_id)
    await settle(hass)
    issue_id = f"unpriced_{config_entry.entry_id}_{DEMO_IMPORT_MPAN}"
    issue = ir.async_get(hass).async_get_issue(DOMAIN, issue_id)
    assert issue is not None
    assert issue.translation_key == "unpriced_periods"
    assert issue.severity is ir.IssueSeverity.WARNING
    # The history starts on 2025-10-20 (UK); the tariff on 2025-11-01.
    assert issue.translation_placeholders == {
        "mpan": DEMO_IMPORT_MPAN,
        "direction": "import",
        "periods": "2025-10-20 to 2025-10-31",
    }
    # Unpriced days add nothing to the cost (they are not counted as zero-cost elsewhere).
    _, change = await day_change(hass, IMPORT_COST, date(2025, 10, 25))
    assert change == 0
    # A tariff covering the whole history clears the issue.
    hass.config_entries.async_update_entry(config_entry, options=options("2025-01-01"))
    await settle(hass)
    assert ir.async_get(hass).async_get_issue(DOMAIN, issue_id) is None
    kwh, _ = expected_day(fake_api, DEMO_IMPORT_MPAN, date(2025, 10, 25))
    _, change = await day_change(hass, IMPORT_COST, date(2025, 10, 25))
    assert change == pytest.approx(kwh * 0.30, abs=1e-6)
