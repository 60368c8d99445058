"""Rates change every half hour on Agile; none of that churn reaches the logbook by default.

The logbook leaves out sensors with a unit, a state class or a numeric device class. The
rate sensors have a unit; the time of the next change is a timestamp, which the logbook
lists, so that sensor is disabled by default (shown here by enabling it).
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from freezegun.api import FrozenDateTimeFactory
from homeassistant.core import HomeAssistant
from homeassistant.helpers import entity_registry as er
from homeassistant.setup import async_setup_component
from homeassistant.util import dt as dt_util
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
    async_fire_time_changed,
)
from pytest_homeassistant_custom_component.typing import (
    MockHAClientWebSocket,
    WebSocketGenerator,
)

from custom_components.octopus_viz.const import DOMAIN
from fake_octopus import DEMO_ACCOUNT_NUMBER, DEMO_IMPORT_MPAN, FakeOctopus

from .conftest import FAKE_NOW, entry_data, settle


async def _half_hours(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory, first: int, count: int
) -> set[str]:
    """Step through half-hour ticks; the import meter's current rates seen on the way."""
    rate_id = f"sensor.import_meter_{DEMO_IMPORT_MPAN}_current_rate"
    seen: set[str] = set()
    for step in range(first, first + count):
        freezer.move_to(FAKE_NOW + timedelta(minutes=30 * step))
        async_fire_time_changed(hass)
        await settle(hass)
        state = hass.states.get(rate_id)
        assert state is not None
        seen.add(state.state)
    return seen


async def _logged(
    hass: HomeAssistant, client: MockHAClientWebSocket, entry: MockConfigEntry
) -> list[dict[str, Any]]:
    """Logbook entries of the entry's entities since the frozen start."""
    registry = er.async_get(hass)
    ours = {e.entity_id for e in er.async_entries_for_config_entry(registry, entry.entry_id)}
    await client.send_json_auto_id(
        {
            "type": "logbook/get_events",
            "start_time": FAKE_NOW.isoformat(),
            "end_time": (dt_util.utcnow() + timedelta(minutes=1)).isoformat(),
        }
    )
    response = await client.receive_json()
    assert response["success"], response
    return [row for row in response["result"] if row.get("entity_id") in ours]


async def test_rate_changes_stay_out_of_the_logbook(
    hass: HomeAssistant,
    fake_api: FakeOctopus,
    freezer: FrozenDateTimeFactory,
    hass_ws_client: WebSocketGenerator,
) -> None:
    assert await async_setup_component(hass, "logbook", {})
    assert await async_setup_component(hass, DOMAIN, {})  # the card is served before http starts
    # Connected before the clock goes back to the fake's "now" (the token is issued today).
    client = await hass_ws_client(hass)
    freezer.move_to(FAKE_NOW)
    config_entry = MockConfigEntry(domain=DOMAIN, unique_id=DEMO_ACCOUNT_NUMBER, data=entry_data())
    config_entry.add_to_hass(hass)
    assert await hass.config_entries.async_setup(config_entry.entry_id)
    await settle(hass)

    rates = await _half_hours(hass, freezer, 1, 4)
    assert len(rates) > 1  # Agile: the rates did change, every half hour
    assert await _logged(hass, client, config_entry) == []

    # Enabled, the next change's time is logged at each change: why it is off by default.
    registry = er.async_get(hass)
    change_id = f"sensor.import_meter_{DEMO_IMPORT_MPAN}_next_rate_change"
    assert registry.async_get(change_id) is not None
    registry.async_update_entity(change_id, disabled_by=None)
    assert await hass.config_entries.async_reload(config_entry.entry_id)
    await settle(hass)
    rates = await _half_hours(hass, freezer, 5, 4)
    assert len(rates) > 1
    logged = await _logged(hass, client, config_entry)
    # One entry per change (the reload also logs the timestamps coming back, "Data until"
    # included, which otherwise changes about once a day, when readings arrive).
    assert len([row for row in logged if row["entity_id"] == change_id]) >= len(rates)
    await client.close()
