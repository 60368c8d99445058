"""A gas meter's device and sensors, the account's net with gas, and gas in the services and
websocket answers (what the card reads)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
import json
from typing import Any

from freezegun.api import FrozenDateTimeFactory
from homeassistant.auth.models import User
from homeassistant.core import HomeAssistant
from homeassistant.helpers import device_registry as dr, entity_registry as er
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry
from pytest_homeassistant_custom_component.typing import WebSocketGenerator

from custom_components.octopus_viz.const import DOMAIN
from custom_components.octopus_viz.diagnostics import async_get_config_entry_diagnostics
from custom_components.octopus_viz.history.periods import day_bounds
from custom_components.octopus_viz.tariffs.calorific import CalorificValues
from fake_octopus import (
    DEMO_EXPORT_MPAN,
    DEMO_GAS_MPRN,
    DEMO_GAS_SERIAL,
    DEMO_IMPORT_MPAN,
    FakeOctopus,
)

from .conftest import FAKE_NOW, entry_data, settle
from .stats_helpers import expected_day, half_hours
from .test_gas_statistics import GAS_TARIFF, expected_gas_day, gas_meter

YESTERDAY = date(2025, 11, 19)


@pytest.fixture
async def entry(
    hass: HomeAssistant, fake_api: FakeOctopus, freezer: FrozenDateTimeFactory
) -> MockConfigEntry:
    data = entry_data()
    data["meters"] = [*data["meters"], gas_meter(DEMO_GAS_MPRN, DEMO_GAS_SERIAL, "m3")]
    entry = MockConfigEntry(domain=DOMAIN, title="Octopus demo", unique_id="demo", data=data)
    entry.add_to_hass(hass)
    freezer.move_to(FAKE_NOW)
    assert await hass.config_entries.async_setup(entry.entry_id)
    await settle(hass)
    return entry


def state(hass: HomeAssistant, entry: MockConfigEntry, key: str, mpan: str | None = None) -> Any:
    unique_id = f"{entry.entry_id}_{key}" if mpan is None else f"{entry.entry_id}_{mpan}_{key}"
    entity_id = er.async_get(hass).async_get_entity_id("sensor", DOMAIN, unique_id)
    assert entity_id is not None, unique_id
    found = hass.states.get(entity_id)
    assert found is not None, entity_id
    return found


def gas_standing(fake: FakeOctopus, day: date) -> Decimal:
    charge = fake.standing_charge_pence(GAS_TARIFF, day_bounds(day)[0])
    assert charge is not None
    return charge / 100


async def test_gas_meter_device_and_sensors(
    hass: HomeAssistant, fake_api: FakeOctopus, entry: MockConfigEntry
) -> None:
    devices = dr.async_entries_for_config_entry(dr.async_get(hass), entry.entry_id)
    (device,) = [
        d for d in devices if (DOMAIN, f"{entry.entry_id}_{DEMO_GAS_MPRN}") in d.identifiers
    ]
    assert device.name == f"Octopus gas meter {DEMO_GAS_MPRN}"
    assert device.model == "Gas meter"
    assert device.serial_number == DEMO_GAS_SERIAL

    volume, kwh, cost = expected_gas_day(fake_api, DEMO_GAS_MPRN, YESTERDAY, CalorificValues())
    energy = state(hass, entry, "energy_yesterday", DEMO_GAS_MPRN)
    assert float(energy.state) == pytest.approx(kwh, abs=1e-3)
    assert energy.attributes["unit_of_measurement"] == "kWh"
    m3 = state(hass, entry, "volume_yesterday", DEMO_GAS_MPRN)
    assert float(m3.state) == pytest.approx(volume, abs=1e-3)
    assert m3.attributes["unit_of_measurement"] == "m³"
    assert m3.attributes["device_class"] == "gas"
    assert m3.attributes["complete"] is True
    assert float(state(hass, entry, "cost_yesterday", DEMO_GAS_MPRN).state) == pytest.approx(
        float(cost), abs=1e-6
    )
    rate = fake_api.unit_rate_pence(GAS_TARIFF, FAKE_NOW) / 100
    assert float(state(hass, entry, "current_rate", DEMO_GAS_MPRN).state) == float(rate)
    standing = state(hass, entry, "standing_charge", DEMO_GAS_MPRN)
    assert float(standing.state) == float(gas_standing(fake_api, date(2025, 11, 20)))
    assert state(hass, entry, "data_until", DEMO_GAS_MPRN).state == "2025-11-20T00:00:00+00:00"
    # Electricity meters keep their sensors: no m³, no standing charge of their own.
    registry = er.async_get(hass)
    for key in ("volume_yesterday", "standing_charge"):
        unique_id = f"{entry.entry_id}_{DEMO_IMPORT_MPAN}_{key}"
        assert registry.async_get_entity_id("sensor", DOMAIN, unique_id) is None


async def test_account_net_includes_gas(
    hass: HomeAssistant, fake_api: FakeOctopus, entry: MockConfigEntry
) -> None:
    _, _, gas_cost = expected_gas_day(fake_api, DEMO_GAS_MPRN, YESTERDAY, CalorificValues())
    _, import_cost = expected_day(fake_api, DEMO_IMPORT_MPAN, YESTERDAY)
    _, export_revenue = expected_day(fake_api, DEMO_EXPORT_MPAN, YESTERDAY)
    electricity_standing = fake_api.standing_charge_pence(
        "E-1R-AGILE-24-10-01-C", day_bounds(YESTERDAY)[0]
    )
    assert electricity_standing is not None
    standing = electricity_standing / 100 + gas_standing(fake_api, YESTERDAY)
    net = import_cost + gas_cost + standing - export_revenue
    assert float(state(hass, entry, "net_yesterday").state) == pytest.approx(float(net), abs=1e-6)

    summary = await hass.services.async_call(
        DOMAIN, "get_summary", {"period": "yesterday"}, blocking=True, return_response=True
    )
    assert summary is not None
    volume, kwh, _ = expected_gas_day(fake_api, DEMO_GAS_MPRN, YESTERDAY, CalorificValues())
    assert summary["gas_kwh"] == pytest.approx(kwh, abs=1e-3)
    assert summary["gas_m3"] == pytest.approx(volume, abs=1e-3)
    assert summary["gas_cost"] == pytest.approx(float(gas_cost), abs=0.006)
    # Money is shown rounded to the penny.
    assert summary["gas_standing_charges"] == pytest.approx(
        float(gas_standing(fake_api, YESTERDAY)), abs=0.005
    )
    assert summary["net"] == pytest.approx(float(net), abs=0.011)
    assert DEMO_GAS_MPRN in summary["meters"]
    # The electricity figures are the electricity meters' alone.
    import_kwh, _ = expected_day(fake_api, DEMO_IMPORT_MPAN, YESTERDAY)
    assert summary["import_kwh"] == pytest.approx(import_kwh, abs=1e-3)

    only_gas = await hass.services.async_call(
        DOMAIN,
        "get_summary",
        {"period": "yesterday", "meters": [DEMO_GAS_MPRN]},
        blocking=True,
        return_response=True,
    )
    assert only_gas is not None
    assert only_gas["import_kwh"] == 0
    assert only_gas["net"] == pytest.approx(
        float(gas_cost + gas_standing(fake_api, YESTERDAY)), abs=0.011
    )

    profile = await hass.services.async_call(
        DOMAIN,
        "get_half_hour_profile",
        {"start": YESTERDAY.isoformat(), "end": YESTERDAY.isoformat()},
        blocking=True,
        return_response=True,
    )
    assert profile is not None
    total = sum(slot["gas_kwh_sum"] or 0 for slot in profile["slots"])
    assert total == pytest.approx(kwh, abs=1e-6)
    assert "gas_cost_sum" in profile["slots"][0]


async def test_websocket_lists_and_answers_gas(
    hass: HomeAssistant,
    fake_api: FakeOctopus,
    entry: MockConfigEntry,
    hass_ws_client: WebSocketGenerator,
    hass_admin_user: User,
) -> None:
    refresh = await hass.auth.async_create_refresh_token(hass_admin_user, "https://octopus.test/")
    client = await hass_ws_client(hass, hass.auth.async_create_access_token(refresh))

    async def ask(**fields: Any) -> dict[str, Any]:
        await client.send_json_auto_id(fields)
        response: dict[str, Any] = await client.receive_json()
        return response

    listed = await ask(type=f"{DOMAIN}/entries")
    (meters,) = [e["meters"] for e in listed["result"]["entries"]]
    assert meters[-1] == {"mpan": DEMO_GAS_MPRN, "direction": "gas", "fuel": "gas", "unit": "m3"}

    day = {"start": YESTERDAY.isoformat(), "end": YESTERDAY.isoformat()}
    volume, kwh, cost = expected_gas_day(fake_api, DEMO_GAS_MPRN, YESTERDAY, CalorificValues())
    for unit, expected, tolerance in (
        ("kwh", kwh, 0.01),
        ("m3", volume, 0.01),
        ("money", cost, 0.01),
    ):
        answer = await ask(type=f"{DOMAIN}/profile", direction="gas", unit=unit, **day)
        assert answer["success"], answer
        result = answer["result"]
        assert result["direction"] == "gas"
        assert result["unit"] == unit
        assert sum(s["sum"] or 0 for s in result["slots"]) == pytest.approx(
            float(expected), abs=tolerance
        )
    heat = await ask(type=f"{DOMAIN}/heatmap", direction="gas", unit="m3", **day)
    assert heat["success"]
    assert len([v for v in heat["result"]["days"][0]["values"] if v is not None]) == 48
    assert len(half_hours(YESTERDAY)) == 48
    refused = await ask(type=f"{DOMAIN}/profile", direction="import", unit="m3", **day)
    assert not refused["success"]
    assert refused["error"]["translation_key"] == "no_meter_for_flow"


async def test_diagnostics_show_gas_without_the_mprn(
    hass: HomeAssistant, entry: MockConfigEntry
) -> None:
    ranges = [{"valid_from": "2025-01-01", "valid_to": None, "value": "39.1"}]
    hass.config_entries.async_update_entry(
        entry, options={"calorific_values": {DEMO_GAS_MPRN: ranges}}
    )
    await settle(hass)
    found = await async_get_config_entry_diagnostics(hass, entry)
    assert DEMO_GAS_MPRN not in json.dumps(found)
    assert DEMO_GAS_SERIAL not in json.dumps(found)
    gas = found["meters"][-1]
    assert gas["direction"] == "gas"
    assert gas["unit"] == "m3"
    assert gas["calorific_values"] == "2025-01-01 39.1"
    assert gas["agreements"] == [GAS_TARIFF]
    assert gas["unpriced_half_hours"] == 0
