"""The repair issue for unpriced half-hours: its fix flow explains and opens the tariff editor."""

from __future__ import annotations

from homeassistant.components.repairs import FlowType, repairs_flow_manager
from homeassistant.core import HomeAssistant
from homeassistant.data_entry_flow import FlowResultType
from homeassistant.helpers import issue_registry as ir
from homeassistant.setup import async_setup_component
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.octopus_viz.const import DOMAIN
from custom_components.octopus_viz.repairs import UnpricedPeriodsFlow, async_create_fix_flow
from custom_components.octopus_viz.tariffs.keys import CONF_CUSTOM_TARIFFS, CONF_TARIFF_SOURCE
from fake_octopus import DEMO_IMPORT_MPAN, FakeOctopus

from .conftest import settle

LATE_FLAT = {
    "name": "Flat 30p",
    "unit": "electricity_importing_kwh",
    "currency": "GBP",
    "valid_from": "2025-11-01T00:00:00+00:00",
    "rates": [{"interval_start": "00:00", "interval_end": "24:00", "rate": "0.3"}],
}


async def test_fix_flow_leads_to_the_tariff_editor(
    hass: HomeAssistant, fake_api: FakeOctopus, config_entry: MockConfigEntry
) -> None:
    assert await async_setup_component(hass, "repairs", {})
    hass.config_entries.async_update_entry(
        config_entry,
        options={
            CONF_TARIFF_SOURCE: {DEMO_IMPORT_MPAN: "custom"},
            CONF_CUSTOM_TARIFFS: [LATE_FLAT],
        },
    )
    assert await hass.config_entries.async_setup(config_entry.entry_id)
    await settle(hass)
    issue_id = f"unpriced_{config_entry.entry_id}_{DEMO_IMPORT_MPAN}"
    issue = ir.async_get(hass).async_get_issue(DOMAIN, issue_id)
    assert issue is not None
    assert issue.is_fixable  # "Fix" rather than only "Ignore"

    manager = repairs_flow_manager(hass)
    assert manager is not None
    result = await manager.async_init(DOMAIN, data={"issue_id": issue_id})
    assert result["type"] is FlowResultType.FORM
    assert result["step_id"] == "confirm"
    assert result["description_placeholders"] == {
        "mpan": DEMO_IMPORT_MPAN,
        "direction": "import",
        "periods": "2025-10-20 to 2025-10-31",
    }
    result = await manager.async_configure(result["flow_id"], {})
    assert result["type"] is FlowResultType.CREATE_ENTRY
    # The repairs dialog continues in the entry's options flow: its menu is waiting.
    flow_type, flow_id = result["next_flow"]
    assert flow_type == FlowType.OPTIONS_FLOW
    options = hass.config_entries.options.async_get(flow_id)
    assert options["handler"] == config_entry.entry_id
    assert options["step_id"] == "init"
    assert ir.async_get(hass).async_get_issue(DOMAIN, issue_id) is None


async def test_fix_flow_of_a_removed_entry_aborts(hass: HomeAssistant) -> None:
    flow = await async_create_fix_flow(hass, "unpriced_gone", {"entry_id": "gone"})
    assert isinstance(flow, UnpricedPeriodsFlow)
    flow.hass = hass
    result = await flow.async_step_init()
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "entry_removed"
    without_data = await async_create_fix_flow(hass, "unpriced_gone", None)
    without_data.hass = hass
    assert (await without_data.async_step_init())["reason"] == "entry_removed"
