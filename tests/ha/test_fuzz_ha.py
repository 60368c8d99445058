"""Fuzzing through Home Assistant: hostile API pages reach the coordinator, arbitrary arguments
reach the services and websocket commands.

The coordinator never lets anything but a translated UpdateFailed out and stores nothing absurd
(statistics stay finite, non-negative and continuous); services answer or raise a translated
error (or Home Assistant's own schema error); websocket commands answer or send an error with a
code, never "unknown_error" (an exception that escaped).
"""

from __future__ import annotations

from datetime import timedelta
import json
import logging
import math
from pathlib import Path
from typing import Any

from homeassistant.core import HomeAssistant
from homeassistant.exceptions import HomeAssistantError
from homeassistant.helpers.update_coordinator import UpdateFailed
from hypothesis import HealthCheck, given, settings, strategies as st
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry
from pytest_homeassistant_custom_component.typing import WebSocketGenerator
import voluptuous as vol

from fake_octopus import FakeOctopus
from tests.api_strategies import bodies, consumption_rows

from .conftest import FAKE_NOW, settle
from .season_truth import STATISTICS, statistic_rows

DOMAIN = "octopus_viz"
STRINGS = json.loads(
    (Path(__file__).parents[2] / "custom_components/octopus_viz/strings.json").read_text()
)
# Each example is a refresh or a call on a running Home Assistant: a few dozen, not hundreds
# (the pure fuzz tests send hundreds of pages through the client itself).
HA_FIXTURES = settings(
    max_examples=12,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
# Around the poll's re-fetch window (the week before FAKE_NOW).
WINDOW = FAKE_NOW - timedelta(days=8)


class _Escaped(logging.Handler):
    """Records what the coordinator logs as an unexpected error (an exception that escaped)."""

    def __init__(self) -> None:
        super().__init__(logging.ERROR)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        if "Unexpected error" in record.getMessage():
            self.messages.append(record.getMessage())


@HA_FIXTURES
@given(body=bodies(consumption_rows(WINDOW)))
async def test_hostile_pages_reach_the_coordinator(
    hass: HomeAssistant, fake_api: FakeOctopus, loaded_entry: MockConfigEntry, body: bytes
) -> None:
    coordinator = loaded_entry.runtime_data
    escaped = _Escaped()
    logging.getLogger().addHandler(escaped)
    try:
        fake_api.serve_body(body, path_contains="/consumption/")
        await coordinator.async_refresh()
        await settle(hass)
    finally:
        logging.getLogger().removeHandler(escaped)
    assert escaped.messages == []
    error = coordinator.last_exception
    if not coordinator.last_update_success:
        assert isinstance(error, UpdateFailed), repr(error)
        assert error.translation_key == "update_failed"
    ids = {stat_id for pair in STATISTICS.values() for stat_id in pair}
    rows = await statistic_rows(hass, ids, FAKE_NOW - timedelta(days=40), FAKE_NOW)
    energy_ids = {energy for energy, _money in STATISTICS.values()}
    for stat_id in ids & set(rows):
        previous = 0.0
        for row in rows[stat_id]:
            state, running = row["state"], row["sum"]
            assert math.isfinite(state)
            assert math.isfinite(running)
            # Two half-hours of at most 1,000 kWh; money may be negative (Agile pays at times).
            low = 0 if stat_id in energy_ids else -2_000
            assert low <= state < 2_000
            assert running - previous == pytest.approx(state, abs=1e-6)
            previous = running


_VALUES = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(10**6), 10**6),
    st.floats(allow_nan=True, allow_infinity=True),
    st.sampled_from(
        [
            "today",
            "yesterday",
            "last_30_days",
            "this_year",
            "2025-11-01",
            "2025-11-19",
            "2099-01-01",
            "1900-01-01",
            "2025-02-30",
            "1900000000001",
            "",
        ]
    ),
    st.text(max_size=10),
    st.lists(st.sampled_from(["1900000000001", "x", ""]), max_size=3),
    st.dictionaries(st.text(max_size=3), st.integers(), max_size=2),
)
_KEYS = st.sampled_from(
    ["period", "start", "end", "meters", "config_entry_id", "from", "direction", "unit", "zz"]
)
ARGUMENTS = st.dictionaries(_KEYS, _VALUES, max_size=4)


@HA_FIXTURES
@given(
    service=st.sampled_from(["get_summary", "get_half_hour_profile", "refresh"]),
    data=ARGUMENTS,
)
async def test_service_arguments(
    hass: HomeAssistant, loaded_entry: MockConfigEntry, service: str, data: dict[str, Any]
) -> None:
    try:
        response = await hass.services.async_call(
            DOMAIN, service, data, blocking=True, return_response=service != "refresh"
        )
    except vol.Invalid:
        return  # Home Assistant's own schema check, with its own translated message
    except HomeAssistantError as err:
        _assert_translated(err)
        return
    assert response is None or isinstance(response, dict)
    await settle(hass)


def _assert_translated(err: HomeAssistantError) -> None:
    assert err.translation_domain == DOMAIN, repr(err)
    assert err.translation_key in STRINGS["exceptions"], err.translation_key


@HA_FIXTURES
@given(
    command=st.sampled_from(["profile", "heatmap", "entries"]),
    data=ARGUMENTS,
)
async def test_websocket_arguments(
    hass: HomeAssistant,
    loaded_entry: MockConfigEntry,
    hass_ws_client: WebSocketGenerator,
    command: str,
    data: dict[str, Any],
) -> None:
    client = await hass_ws_client(hass)
    await client.send_json_auto_id({"type": f"{DOMAIN}/{command}", **_ws_safe(data)})
    answer = await client.receive_json()
    if answer["success"]:
        assert isinstance(answer["result"], dict | list)
        return
    assert answer["error"]["code"] != "unknown_error", answer
    assert answer["error"]["message"]


def _ws_safe(data: dict[str, Any]) -> dict[str, Any]:
    """JSON can carry no NaN or infinity: the browser would send null for them."""
    return {
        key: None if isinstance(value, float) and not math.isfinite(value) else value
        for key, value in data.items()
    }
