"""Options for gas: calorific values (checked, saved per meter) and custom gas tariffs."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

from homeassistant.core import HomeAssistant
from homeassistant.data_entry_flow import FlowResultType
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.octopus_viz.const import DOMAIN
from custom_components.octopus_viz.gas_meter import GasMeterUpdater
from custom_components.octopus_viz.tariffs.keys import CONF_CUSTOM_TARIFFS, CONF_TARIFF_SOURCE
from fake_octopus import DEMO_GAS_MPRN, DEMO_GAS_SERIAL, FakeOctopus

from .conftest import entry_data, settle

GAS_METER = {
    "mpan": DEMO_GAS_MPRN,
    "serial": DEMO_GAS_SERIAL,
    "direction": "import",
    "fuel": "gas",
    "unit": "m3",
}


@pytest.fixture
def gas_entry(hass: HomeAssistant) -> MockConfigEntry:
    data = entry_data()
    data["meters"] = [*data["meters"], GAS_METER]
    entry = MockConfigEntry(domain=DOMAIN, title="Octopus demo", unique_id="demo", data=data)
    entry.add_to_hass(hass)
    return entry


async def open_step(hass: HomeAssistant, entry: MockConfigEntry, step: str) -> Any:
    result = await hass.config_entries.options.async_init(entry.entry_id)
    assert result["type"] is FlowResultType.MENU
    assert step in result["menu_options"]
    return await hass.config_entries.options.async_configure(
        result["flow_id"], {"next_step_id": step}
    )


async def test_calorific_value_is_offered_only_with_a_gas_meter_in_m3(
    hass: HomeAssistant, config_entry: MockConfigEntry
) -> None:
    result = await hass.config_entries.options.async_init(config_entry.entry_id)
    assert "calorific_value" not in result["menu_options"]


@pytest.mark.parametrize(
    ("text", "error"),
    [
        ("395", "calorific_value_out_of_range"),
        ("2025-01-01 29.9", "calorific_value_out_of_range"),
        ("thirty-nine", "calorific_value_invalid"),
        ("1 January 39.5", "calorific_range_invalid"),
        ("2025-01-01 2025-03-01 39\n2025-02-01 40", "calorific_ranges_overlap"),
    ],
)
async def test_bad_calorific_values_are_refused(
    hass: HomeAssistant, gas_entry: MockConfigEntry, text: str, error: str
) -> None:
    result = await open_step(hass, gas_entry, "calorific_value")
    result = await hass.config_entries.options.async_configure(
        result["flow_id"], {"meter": DEMO_GAS_MPRN, "calorific_values": text}
    )
    assert result["type"] is FlowResultType.FORM
    assert result["errors"] == {"calorific_values": error}
    assert result["description_placeholders"]["details"]
    assert gas_entry.options == {}


async def test_calorific_values_are_saved_and_shown_again(
    hass: HomeAssistant, gas_entry: MockConfigEntry
) -> None:
    result = await open_step(hass, gas_entry, "calorific_value")
    assert result["description_placeholders"]["default"] == "39.5"
    result = await hass.config_entries.options.async_configure(
        result["flow_id"],
        {"meter": DEMO_GAS_MPRN, "calorific_values": "2025-04-01 39,2\n2025-01-01 39.6"},
    )
    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert gas_entry.options["calorific_values"] == {
        DEMO_GAS_MPRN: [
            {"valid_from": "2025-01-01", "valid_to": "2025-04-01", "value": "39.6"},
            {"valid_from": "2025-04-01", "valid_to": None, "value": "39.2"},
        ]
    }
    result = await open_step(hass, gas_entry, "calorific_value")
    shown = {str(k): k.description["suggested_value"] for k in result["data_schema"].schema}
    assert shown["calorific_values"] == "2025-01-01 39.6\n2025-04-01 39.2"


async def test_custom_gas_tariff_prices_the_gas_meter(
    hass: HomeAssistant, fake_api: FakeOctopus, gas_entry: MockConfigEntry
) -> None:
    assert await hass.config_entries.async_setup(gas_entry.entry_id)
    await settle(hass)
    result = await open_step(hass, gas_entry, "add_tariff")
    result = await hass.config_entries.options.async_configure(
        result["flow_id"],
        {
            "name": "My gas",
            "direction": "gas",
            "currency": "GBP",
            "bands": "00:00-24:00 0.05",
            "standing_charge": 0.3,
        },
    )
    # The pricing question offers the gas meter only (a gas tariff prices no electricity),
    # preselected as the first gas tariff; left unticked here, the tariff source does it below.
    assert result["type"] is FlowResultType.FORM
    assert result["step_id"] == "price_meters"
    field = next(k for k in result["data_schema"].schema if str(k) == "custom_meters")
    offered = result["data_schema"].schema[field].config["options"]
    assert [o["value"] for o in offered] == [DEMO_GAS_MPRN]
    assert offered[0]["label"] == f"{DEMO_GAS_MPRN} (gas)"
    assert field.description["suggested_value"] == [DEMO_GAS_MPRN]
    result = await hass.config_entries.options.async_configure(
        result["flow_id"], {"custom_meters": []}
    )
    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert gas_entry.options[CONF_CUSTOM_TARIFFS][0]["unit"] == "gas_kwh"
    assert gas_entry.options[CONF_TARIFF_SOURCE][DEMO_GAS_MPRN] == "account"
    # The tariff source offers only what a custom tariff can price: the gas meter, not the
    # electricity meters (no import or export tariff).
    result = await open_step(hass, gas_entry, "tariff_source")
    field = next(k for k in result["data_schema"].schema if str(k) == "custom_meters")
    options = result["data_schema"].schema[field].config["options"]
    assert [o["value"] for o in options] == [DEMO_GAS_MPRN]
    result = await hass.config_entries.options.async_configure(
        result["flow_id"], {"custom_meters": [DEMO_GAS_MPRN]}
    )
    assert gas_entry.options[CONF_TARIFF_SOURCE][DEMO_GAS_MPRN] == "custom"
    await settle(hass)
    updater = gas_entry.runtime_data.updaters[DEMO_GAS_MPRN]
    assert isinstance(updater, GasMeterUpdater)
    columns = updater.columns
    start = int(datetime(2025, 11, 10, 12, tzinfo=UTC).timestamp())
    index = columns.starts.index(start)
    assert columns.values[index] == Decimal(repr(columns.kwh[index])) * Decimal("0.05")
    # The edit form shows it as a gas tariff.
    result = await open_step(hass, gas_entry, "edit_tariff")
    result = await hass.config_entries.options.async_configure(
        result["flow_id"], {"tariff": "My gas"}
    )
    shown = {
        str(k): k.description["suggested_value"]
        for k in result["data_schema"].schema
        if k.description
    }
    assert shown["direction"] == "gas"
