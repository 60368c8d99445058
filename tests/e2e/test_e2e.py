"""End to end: a real `hass` process (two releases), the fake Octopus API, a real browser.

The integration is added as a user would (onboarding, then the config flow over the REST API
the UI uses); the checks go through the websocket API and Debian's chromium. Home Assistant
keeps the real clock while the fake's clock is fixed at FAKE_NOW (2025-11-20 12:00 UTC), so
values are compared on known historic days.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest

from custom_components.octopus_viz.const import DOMAIN
from custom_components.octopus_viz.frontend_registration import CARD_URL
from custom_components.octopus_viz.sensor import STALE_AFTER
from fake_octopus import (
    DEMO_ACCOUNT_NUMBER,
    DEMO_EXPORT_MPAN,
    DEMO_IMPORT_MPAN,
    DEMO_OLD_SERIAL,
    DEMO_SERIAL,
)

from .checks import (
    EXPORT,
    EXPORT_REVENUE,
    IMPORT,
    IMPORT_COST,
    KNOWN_DAYS,
    STATISTICS,
    day_changes,
    expected_figures,
    grid_source,
    save_energy_prefs,
    wait_for_backfill,
)
from .conftest import E2E, HISTORY_FROM

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.asyncio(loop_scope="module"),
    pytest.mark.usefixtures("socket_enabled"),
]

DATA_UNTIL = "2025-11-20T00:00:00+00:00"  # end of the fake's readings at FAKE_NOW


async def test_config_flow_offers_live_meters(e2e: E2E) -> None:
    """The flow validated the key, preselected the live meters and created a loaded entry."""
    user, meters, created = e2e.flow.steps
    assert user["type"] == "form"
    assert user["step_id"] == "user"
    assert {field["name"] for field in user["data_schema"]} == {"api_key", "account_number"}
    field = next(f for f in meters["data_schema"] if f["name"] == "meters")
    offered = {option["value"] for option in field["selector"]["select"]["options"]}
    # The replaced meter on the import MPAN is offered too, but not preselected.
    assert offered == {
        f"{DEMO_IMPORT_MPAN}/{DEMO_SERIAL}",
        f"{DEMO_IMPORT_MPAN}/{DEMO_OLD_SERIAL}",
        f"{DEMO_EXPORT_MPAN}/{DEMO_SERIAL}",
    }
    assert sorted(field["description"]["suggested_value"]) == [
        f"{DEMO_IMPORT_MPAN}/{DEMO_SERIAL}",
        f"{DEMO_EXPORT_MPAN}/{DEMO_SERIAL}",
    ]
    assert created["title"] == f"Octopus {DEMO_ACCOUNT_NUMBER}"

    entries = await e2e.rest.get(f"/api/config/config_entries/entry?domain={DOMAIN}")
    assert [(entry["title"], entry["state"]) for entry in entries] == [
        (f"Octopus {DEMO_ACCOUNT_NUMBER}", "loaded")
    ]
    assert entries[0]["entry_id"] == e2e.flow.entry["entry_id"]
    assert HISTORY_FROM  # the backfill start chosen in the flow (checked through statistics)


async def test_statistics_of_known_days(e2e: E2E) -> None:
    """The four statistics exist with the right metadata and exact day totals."""
    await wait_for_backfill(e2e)
    listed = {
        item["statistic_id"]: item
        for item in await e2e.ws.call("recorder/list_statistic_ids", statistic_type="sum")
    }
    for statistic in STATISTICS:
        assert statistic in listed, sorted(listed)
        assert listed[statistic]["source"] == DOMAIN
    for statistic in (IMPORT, EXPORT):
        assert listed[statistic]["statistics_unit_of_measurement"] == "kWh"
        assert listed[statistic]["unit_class"] == "energy"
    for statistic in (IMPORT_COST, EXPORT_REVENUE):
        assert listed[statistic]["statistics_unit_of_measurement"] == "GBP"

    for day in KNOWN_DAYS:
        expected = expected_figures(e2e.fake, day)
        changes = await day_changes(e2e.ws, day)
        for statistic in STATISTICS:
            states, change, hours = changes[statistic]
            assert states == pytest.approx(expected[statistic], abs=1e-6), (day, statistic)
            assert change == pytest.approx(expected[statistic], abs=1e-6), (day, statistic)
            assert hours == (25 if day.month == 10 else 24), (day, statistic)
        assert expected[IMPORT] > 1  # a real day of use, not an empty one
        assert expected[IMPORT_COST] > 0


async def test_energy_dashboard_accepts_the_statistics(e2e: E2E) -> None:
    """The Energy dashboard saves them as a grid connection and validates them clean."""
    await wait_for_backfill(e2e)
    saved = await save_energy_prefs(e2e)
    prefs = await e2e.ws.call("energy/get_prefs")
    assert prefs == saved
    wanted = grid_source()
    [grid] = [source for source in prefs["energy_sources"] if source["type"] == "grid"]
    assert {key: grid.get(key) for key in wanted} == wanted

    validation = await e2e.ws.call("energy/validate")
    # One list of issues per source, in the order of the saved sources.
    assert validation["energy_sources"] == [[]], validation


def _by_key(registry: list[dict[str, Any]], entry_id: str, suffix: str) -> dict[str, Any]:
    matches = [
        item
        for item in registry
        if item["config_entry_id"] == entry_id and item["unique_id"].endswith(suffix)
    ]
    assert len(matches) == 1, (suffix, [m["unique_id"] for m in matches])
    return matches[0]


async def test_sensors(e2e: E2E) -> None:
    """Sensors exist with their units; their states follow the data's age on HA's clock.

    Home Assistant's clock is the real one, a year or more after the fake's data: the period
    totals (yesterday, this week...) are then `unavailable` because the newest reading is older
    than STALE_AFTER; "Data until" shows exactly where the fake's readings end.
    """
    await wait_for_backfill(e2e)
    entry_id = e2e.flow.entry["entry_id"]
    registry = await e2e.ws.call("config/entity_registry/list")
    states = {state["entity_id"]: state for state in await e2e.ws.call("get_states")}

    for mpan in (DEMO_IMPORT_MPAN, DEMO_EXPORT_MPAN):
        data_until = states[_by_key(registry, entry_id, f"_{mpan}_data_until")["entity_id"]]
        assert data_until["state"] == DATA_UNTIL
        assert data_until["attributes"]["device_class"] == "timestamp"

    stale = datetime.now(UTC) - datetime.fromisoformat(DATA_UNTIL) > STALE_AFTER
    checks = (
        (DEMO_IMPORT_MPAN, "energy_yesterday", "kWh", "energy"),
        (DEMO_IMPORT_MPAN, "cost_this_month", "GBP", "monetary"),
        (DEMO_EXPORT_MPAN, "energy_this_week", "kWh", "energy"),
        (DEMO_EXPORT_MPAN, "revenue_yesterday", "GBP", "monetary"),
    )
    for mpan, key, unit, device_class in checks:
        item = _by_key(registry, entry_id, f"_{mpan}_{key}")
        assert item["entity_id"].startswith("sensor.")
        state = states[item["entity_id"]]
        if stale:
            assert state["state"] == "unavailable", (key, state)
        else:  # a machine whose clock is near FAKE_NOW: the totals are live numbers
            float(state["state"])
            assert state["attributes"]["unit_of_measurement"] == unit, (key, state)
            assert state["attributes"]["device_class"] == device_class, (key, state)
    for mpan in (DEMO_IMPORT_MPAN, DEMO_EXPORT_MPAN):
        rate = states[_by_key(registry, entry_id, f"_{mpan}_current_rate")["entity_id"]]
        assert rate["attributes"]["unit_of_measurement"] == "GBP/kWh"
    # Disabled by default: the long periods (registry only, no state).
    last_month = _by_key(registry, entry_id, f"_{DEMO_IMPORT_MPAN}_energy_last_month")
    assert last_month["disabled_by"] == "integration"
    assert last_month["entity_id"] not in states


async def test_card_module_is_served_and_loaded(e2e: E2E) -> None:
    """The frontend's page loads the card's module (no Lovelace resource needed)."""
    page = await e2e.rest.get_text("/")
    assert f"{CARD_URL}?v=" in page
    script = await e2e.rest.get_text(CARD_URL)
    assert 'customElements.define("octopus-viz-card"' in script


async def test_no_integration_errors_in_log(e2e: E2E) -> None:
    """Home Assistant logged no error from or about the integration."""
    errors = e2e.hass.integration_errors(DOMAIN)
    assert not errors, "\n\n".join(errors)
