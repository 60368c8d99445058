"""The options flow: tariff source, custom tariffs, JSON import, settings, and their effect."""

from __future__ import annotations

from copy import deepcopy
from datetime import UTC, datetime
from decimal import Decimal
import json
from pathlib import Path
import re
from typing import Any

from homeassistant.core import HomeAssistant
from homeassistant.data_entry_flow import FlowResultType
from homeassistant.helpers.translation import async_get_translations
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.octopus_viz.api.models import Direction
from custom_components.octopus_viz.const import (
    CONF_STANDING_CHARGES_IN_COST,
    DOMAIN,
)
from custom_components.octopus_viz.tariffs import TariffIssue
from custom_components.octopus_viz.tariffs.keys import (
    CONF_CUSTOM_TARIFFS,
    CONF_TARIFF_SOURCE,
)
from custom_components.octopus_viz.tariffs.options import (
    FollowedMeter,
    OptionsError,
    describe_issues,
    import_document,
    local_day,
    tariff_label,
)
from custom_components.octopus_viz.tariffs.source import (
    AccountPriceSource,
    CustomPriceSource,
)
from fake_octopus import DEMO_EXPORT_MPAN, DEMO_IMPORT_MPAN, DEMO_SERIAL, FakeOctopus

from .conftest import settle

IMPORT_UNIT = "electricity_importing_kwh"
EXPORT_UNIT = "electricity_exporting_kwh"
DOC_API_KEY = "sk_live_from_the_document"
DOC_SERIAL = "DOCSERIAL99"

FLUX_IMPORT_RATES = [
    ("00:00", "02:00", 0.30720),
    ("02:00", "05:00", 0.18432),
    ("05:00", "16:00", 0.30720),
    ("16:00", "19:00", 0.43008),
    ("19:00", "24:00", 0.30720),
]
FLUX_EXPORT_RATES = [
    ("00:00", "02:00", 0.1972),
    ("02:00", "05:00", 0.07432),
    ("05:00", "16:00", 0.1972),
    ("16:00", "19:00", 0.32008),
    ("19:00", "24:00", 0.1972),
]
FLUX_BANDS = "\n".join(f"{s}-{e} {r}" for s, e, r in FLUX_IMPORT_RATES)


def rates(bands: list[tuple[str, str, Any]]) -> list[dict[str, Any]]:
    return [{"interval_start": s, "interval_end": e, "rate": r} for s, e, r in bands]


def flux_document(**changes: Any) -> dict[str, Any]:
    """The prototype's Flux example with the demo account's MPANs."""
    doc: dict[str, Any] = {
        "meters": {
            "api_key": DOC_API_KEY,
            "serial": DOC_SERIAL,
            "meters": [
                {"mpan": DEMO_EXPORT_MPAN, "unit": EXPORT_UNIT},
                {"mpan": DEMO_IMPORT_MPAN, "unit": IMPORT_UNIT},
            ],
        },
        "tariffs": {
            "flux_export_2023-07": {
                "unit": EXPORT_UNIT,
                "currency": "GBP",
                "rates": rates(FLUX_EXPORT_RATES),
            },
            "flux_import_2023-07": {
                "unit": IMPORT_UNIT,
                "currency": "GBP",
                "rates": rates(FLUX_IMPORT_RATES),
            },
        },
    }
    doc.update(changes)
    return doc


def stored_tariff(name: str, unit: str = IMPORT_UNIT, **extra: Any) -> dict[str, Any]:
    """A tariff as the flow stores it (tariff_to_dict form): flat 25p all day."""
    return {
        "name": name,
        "unit": unit,
        "currency": "GBP",
        "rates": [{"interval_start": "00:00", "interval_end": "24:00", "rate": "0.25"}],
        **extra,
    }


def tariff_input(**changes: Any) -> dict[str, Any]:
    """A valid add/edit form submission."""
    values: dict[str, Any] = {
        "name": "Flux import",
        "direction": "import",
        "currency": "GBP",
        "bands": FLUX_BANDS,
    }
    values.update(changes)
    return {key: value for key, value in values.items() if value is not None}


def set_options(hass: HomeAssistant, entry: MockConfigEntry, **options: Any) -> None:
    hass.config_entries.async_update_entry(entry, options=options)


def suggested(result: Any) -> dict[str, Any]:
    """The prefilled values of a form."""
    return {
        str(key): key.description["suggested_value"]
        for key in result["data_schema"].schema
        if key.description and "suggested_value" in key.description
    }


def defaults(result: Any) -> dict[str, Any]:
    """The schema defaults of a form."""
    return {
        str(key): key.default()
        for key in result["data_schema"].schema
        if callable(getattr(key, "default", None)) and key.default() is not None
    }


def select_options(result: Any, field: str) -> list[dict[str, str]]:
    for key, selector in result["data_schema"].schema.items():
        if str(key) == field:
            return list(selector.config["options"])
    raise AssertionError(f"no field {field}")


async def open_step(hass: HomeAssistant, entry: MockConfigEntry, step: str) -> Any:
    """Open the options menu and choose a step."""
    result = await hass.config_entries.options.async_init(entry.entry_id)
    assert result["type"] is FlowResultType.MENU
    return await hass.config_entries.options.async_configure(
        result["flow_id"], {"next_step_id": step}
    )


async def submit(hass: HomeAssistant, result: Any, user_input: dict[str, Any]) -> Any:
    return await hass.config_entries.options.async_configure(result["flow_id"], user_input)


async def run_step(
    hass: HomeAssistant, entry: MockConfigEntry, step: str, user_input: dict[str, Any]
) -> Any:
    result = await open_step(hass, entry, step)
    assert result["type"] is FlowResultType.FORM
    assert result["step_id"] == step
    return await submit(hass, result, user_input)


async def confirm_pricing(
    hass: HomeAssistant, result: Any, offered: list[str], preselected: list[str], chosen: list[str]
) -> Any:
    """The one confirmation after adding or importing tariffs: which meters they price."""
    assert result["type"] is FlowResultType.FORM, result
    assert result["step_id"] == "price_meters"
    assert [o["value"] for o in select_options(result, "custom_meters")] == offered
    assert suggested(result) == {"custom_meters": preselected}
    return await submit(hass, result, {"custom_meters": chosen})


def assert_refused(result: Any, errors: dict[str, str], *in_details: str) -> None:
    assert result["type"] is FlowResultType.FORM, result
    assert result["errors"] == errors
    details = result["description_placeholders"]["details"]
    for text in in_details:
        assert text in details, (text, details)


# -- menu -----------------------------------------------------------------------------------


async def test_menu_without_custom_tariffs_offers_adding_first(
    hass: HomeAssistant, config_entry: MockConfigEntry
) -> None:
    """A new user sees what to do first; nothing that could only refuse is on offer."""
    result = await hass.config_entries.options.async_init(config_entry.entry_id)
    assert result["type"] is FlowResultType.MENU
    assert result["step_id"] == "init"
    assert result["menu_options"] == ["add_tariff", "import_json", "compare", "settings"]
    assert result["description_placeholders"] == {"custom_meters": "none", "tariffs": "none"}


async def test_menu_lists_custom_tariffs_and_meters(
    hass: HomeAssistant, config_entry: MockConfigEntry
) -> None:
    set_options(
        hass,
        config_entry,
        tariff_source={DEMO_IMPORT_MPAN: "custom", DEMO_EXPORT_MPAN: "account"},
        custom_tariffs=[
            stored_tariff("Old", valid_until="2024-03-31T23:00:00+00:00"),
            stored_tariff("New", valid_from="2024-03-31T23:00:00+00:00"),
        ],
    )
    result = await hass.config_entries.options.async_init(config_entry.entry_id)
    assert result["menu_options"] == [
        "add_tariff",
        "import_json",
        "tariff_source",
        "edit_tariff",
        "remove_tariff",
        "compare",
        "settings",
    ]
    assert result["description_placeholders"] == {
        "custom_meters": DEMO_IMPORT_MPAN,
        "tariffs": "Old (import, until 2024-04-01), New (import, from 2024-04-01)",
    }


# -- tariff source --------------------------------------------------------------------------


async def test_tariff_source_switches_meters(
    hass: HomeAssistant, config_entry: MockConfigEntry
) -> None:
    tariffs = [stored_tariff("Flat"), stored_tariff("Export flat", EXPORT_UNIT)]
    # A meter no longer followed keeps its stored choice.
    set_options(
        hass,
        config_entry,
        custom_tariffs=tariffs,
        tariff_source={"1099999999999": "custom"},
        standing_charges_in_cost=True,
    )
    result = await open_step(hass, config_entry, "tariff_source")
    assert result["step_id"] == "tariff_source"
    assert suggested(result) == {"custom_meters": []}
    assert [o["value"] for o in select_options(result, "custom_meters")] == [
        DEMO_IMPORT_MPAN,
        DEMO_EXPORT_MPAN,
    ]
    assert select_options(result, "custom_meters")[0]["label"] == f"{DEMO_IMPORT_MPAN} (import)"
    result = await submit(hass, result, {"custom_meters": [DEMO_IMPORT_MPAN, DEMO_EXPORT_MPAN]})
    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert config_entry.options == {
        CONF_CUSTOM_TARIFFS: tariffs,
        CONF_TARIFF_SOURCE: {
            "1099999999999": "custom",
            DEMO_IMPORT_MPAN: "custom",
            DEMO_EXPORT_MPAN: "custom",
        },
        CONF_STANDING_CHARGES_IN_COST: True,
    }

    # Back to the account for the export meter; the form shows the current choice.
    result = await open_step(hass, config_entry, "tariff_source")
    assert suggested(result) == {"custom_meters": [DEMO_IMPORT_MPAN, DEMO_EXPORT_MPAN]}
    result = await submit(hass, result, {"custom_meters": [DEMO_IMPORT_MPAN]})
    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert config_entry.options[CONF_TARIFF_SOURCE][DEMO_EXPORT_MPAN] == "account"
    # Nothing selected: every meter on the account's tariffs.
    result = await run_step(hass, config_entry, "tariff_source", {})
    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert config_entry.options[CONF_TARIFF_SOURCE][DEMO_IMPORT_MPAN] == "account"


async def test_tariff_source_offers_meters_a_tariff_can_price(
    hass: HomeAssistant, config_entry: MockConfigEntry
) -> None:
    """With only an import tariff, the export meter is not offered (it could only be refused)."""
    set_options(hass, config_entry, custom_tariffs=[stored_tariff("Flat")])
    result = await open_step(hass, config_entry, "tariff_source")
    assert [o["value"] for o in select_options(result, "custom_meters")] == [DEMO_IMPORT_MPAN]
    result = await submit(hass, result, {"custom_meters": [DEMO_IMPORT_MPAN]})
    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert config_entry.options[CONF_TARIFF_SOURCE] == {DEMO_IMPORT_MPAN: "custom"}


async def test_tariff_source_refuses_a_meter_left_without_tariff(
    hass: HomeAssistant, config_entry: MockConfigEntry
) -> None:
    """A meter made custom by hand with no tariff of its direction is offered, to switch back."""
    set_options(
        hass,
        config_entry,
        custom_tariffs=[stored_tariff("Flat")],
        tariff_source={DEMO_EXPORT_MPAN: "custom"},
    )
    before = deepcopy(dict(config_entry.options))
    result = await open_step(hass, config_entry, "tariff_source")
    assert [o["value"] for o in select_options(result, "custom_meters")] == [
        DEMO_IMPORT_MPAN,
        DEMO_EXPORT_MPAN,
    ]
    result = await submit(hass, result, {"custom_meters": [DEMO_IMPORT_MPAN, DEMO_EXPORT_MPAN]})
    assert_refused(result, {"base": "no_custom_tariff"}, f"{DEMO_EXPORT_MPAN} (no export tariff)")
    assert DEMO_IMPORT_MPAN not in result["description_placeholders"]["details"]
    # The choice just made is shown again; nothing was saved.
    assert suggested(result) == {"custom_meters": [DEMO_IMPORT_MPAN, DEMO_EXPORT_MPAN]}
    assert dict(config_entry.options) == before
    result = await submit(hass, result, {"custom_meters": [DEMO_IMPORT_MPAN]})
    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert config_entry.options[CONF_TARIFF_SOURCE] == {
        DEMO_IMPORT_MPAN: "custom",
        DEMO_EXPORT_MPAN: "account",
    }


async def test_tariff_source_lists_each_mpan_once(
    hass: HomeAssistant, config_entry: MockConfigEntry
) -> None:
    """A replaced meter followed with both serials is one choice: prices follow the MPAN."""
    meters = [*config_entry.data["meters"], {**config_entry.data["meters"][0], "serial": "OLD1"}]
    hass.config_entries.async_update_entry(
        config_entry, data={**config_entry.data, "meters": meters}
    )
    set_options(
        hass,
        config_entry,
        custom_tariffs=[stored_tariff("Flat")],
        tariff_source={DEMO_IMPORT_MPAN: "custom"},
    )
    result = await hass.config_entries.options.async_init(config_entry.entry_id)
    assert result["description_placeholders"]["custom_meters"] == DEMO_IMPORT_MPAN
    result = await open_step(hass, config_entry, "tariff_source")
    assert select_options(result, "custom_meters") == [
        {"value": DEMO_IMPORT_MPAN, "label": f"{DEMO_IMPORT_MPAN} (import)"}
    ]


# -- add a tariff ---------------------------------------------------------------------------


async def test_add_tariff_stores_the_engine_form(
    hass: HomeAssistant, config_entry: MockConfigEntry
) -> None:
    set_options(hass, config_entry, standing_charges_in_cost=True)
    result = await open_step(hass, config_entry, "add_tariff")
    assert result["step_id"] == "add_tariff"
    assert suggested(result) == {}
    assert defaults(result) == {"direction": "import", "currency": "GBP"}
    result = await submit(
        hass,
        result,
        tariff_input(
            name="  Flux import ",
            currency="gbp",
            valid_from="2024-04-01",
            valid_until="2025-06-01",
            standing_charge=0.5347,
            bands="\n02:00 - 05:00 0.18432\n  00:00-02:00 0.3072\n05:00-16:00 0.3072\n"
            "16:00-19:00 0.43008\n19:00-24:00   0.3072\n\n",
        ),
    )
    # The first import tariff: the import meter is offered, preselected, and priced by it.
    assert config_entry.options == {CONF_STANDING_CHARGES_IN_COST: True}  # not saved yet
    result = await confirm_pricing(
        hass, result, [DEMO_IMPORT_MPAN], [DEMO_IMPORT_MPAN], [DEMO_IMPORT_MPAN]
    )
    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert config_entry.options == {
        CONF_STANDING_CHARGES_IN_COST: True,
        CONF_TARIFF_SOURCE: {DEMO_IMPORT_MPAN: "custom"},
        CONF_CUSTOM_TARIFFS: [
            {
                "name": "Flux import",
                "unit": IMPORT_UNIT,
                "currency": "GBP",
                # Local dates: BST midnight is 23:00 UTC the day before.
                "valid_from": "2024-03-31T23:00:00+00:00",
                "valid_until": "2025-05-31T23:00:00+00:00",
                "rates": [
                    {"interval_start": "02:00", "interval_end": "05:00", "rate": "0.18432"},
                    {"interval_start": "00:00", "interval_end": "02:00", "rate": "0.3072"},
                    {"interval_start": "05:00", "interval_end": "16:00", "rate": "0.3072"},
                    {"interval_start": "16:00", "interval_end": "19:00", "rate": "0.43008"},
                    {"interval_start": "19:00", "interval_end": "24:00", "rate": "0.3072"},
                ],
                "standing_charge": "0.5347",
            }
        ],
    }


async def test_add_tariff_next_to_others(
    hass: HomeAssistant, config_entry: MockConfigEntry
) -> None:
    """Consecutive validity, or an overlap with the other direction, is fine."""
    set_options(
        hass,
        config_entry,
        custom_tariffs=[
            stored_tariff("Old", valid_until="2024-03-31T23:00:00+00:00"),
            stored_tariff("Export", EXPORT_UNIT, valid_until="2025-01-01T00:00:00+00:00"),
        ],
    )
    result = await run_step(hass, config_entry, "add_tariff", tariff_input(valid_from="2024-04-01"))
    # Import tariffs existed and the import meter stayed on the account's: not preselected.
    result = await confirm_pricing(hass, result, [DEMO_IMPORT_MPAN], [], [])
    assert result["type"] is FlowResultType.CREATE_ENTRY
    names = [t["name"] for t in config_entry.options[CONF_CUSTOM_TARIFFS]]
    assert names == ["Old", "Export", "Flux import"]
    assert config_entry.options[CONF_TARIFF_SOURCE] == {DEMO_IMPORT_MPAN: "account"}
    # Negative rates are legal (plunge pricing).
    result = await run_step(
        hass,
        config_entry,
        "add_tariff",
        tariff_input(
            name="Plunge", direction="export", valid_from="2025-01-01", bands="00:00-24:00 -0.05"
        ),
    )
    result = await confirm_pricing(hass, result, [DEMO_EXPORT_MPAN], [], [DEMO_EXPORT_MPAN])
    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert config_entry.options[CONF_TARIFF_SOURCE][DEMO_EXPORT_MPAN] == "custom"
    assert config_entry.options[CONF_CUSTOM_TARIFFS][-1]["rates"][0]["rate"] == "-0.05"


@pytest.mark.parametrize(
    ("changes", "errors", "in_details"),
    [
        pytest.param(
            {"bands": "00:00-12:00 0.2\n12:00-24:00"},
            {"bands": "invalid_bands"},
            ["line 2", "'12:00-24:00'"],
            id="line-shape",
        ),
        pytest.param(
            {"bands": "00:00-12:00 0.2\n11:00-24:00 0.3"},
            {"bands": "invalid_bands"},
            ["Tariff Flux import", "band 11:00-24:00", "overlaps 00:00-12:00"],
            id="bands-overlap",
        ),
        pytest.param(
            {"bands": "00:00-12:00 0.2\n13:00-24:00 0.3"},
            {"bands": "invalid_bands"},
            ["no band covers 12:00-13:00"],
            id="gap",
        ),
        pytest.param(
            {"bands": "00:00-12:15 0.2\n12:15-24:00 0.3"},
            {"bands": "invalid_bands"},
            ["band 00:00-12:15 is not on half-hour boundaries"],
            id="half-hour",
        ),
        pytest.param(
            {"bands": "00:00-12:00 cheap\n12:00-24:00 0.3"},
            {"bands": "invalid_bands"},
            ["band 00:00-12:00 has a non-numeric rate 'cheap'"],
            id="bad-rate",
        ),
        pytest.param(
            {"bands": "00:00-25:00 0.2"},
            {"bands": "invalid_bands"},
            ["band 00:00-25:00 has an invalid time"],
            id="bad-time",
        ),
        pytest.param(
            {"bands": "\n  \n"},
            {"bands": "invalid_bands"},
            ["Tariff Flux import: `rates` needs bands"],
            id="no-bands",
        ),
        pytest.param(
            {"valid_from": "2025-01-01", "valid_until": "2025-01-01"},
            {"valid_until": "invalid_dates"},
            ["valid_from >= valid_until"],
            id="dates",
        ),
        pytest.param({"name": "   "}, {"name": "invalid_name"}, [], id="empty-name"),
        pytest.param({"name": "old"}, {"name": "name_taken"}, ["old"], id="name-taken"),
        pytest.param(
            {"currency": "pounds"},
            {"currency": "invalid_currency"},
            ["bad currency 'POUNDS'"],
            id="currency",
        ),
        pytest.param(
            {"valid_from": "2024-01-01"},
            {"base": "tariffs_overlap"},
            ["Tariffs Old and Flux import overlap in time"],
            id="tariffs-overlap",
        ),
    ],
)
async def test_add_tariff_errors(
    hass: HomeAssistant,
    config_entry: MockConfigEntry,
    changes: dict[str, Any],
    errors: dict[str, str],
    in_details: list[str],
) -> None:
    """Every refusal names the tariff and band; what was configured stays as it was."""
    set_options(
        hass,
        config_entry,
        custom_tariffs=[stored_tariff("Old", valid_until="2024-03-31T23:00:00+00:00")],
    )
    before = deepcopy(dict(config_entry.options))
    submitted = tariff_input(**changes)
    result = await run_step(hass, config_entry, "add_tariff", submitted)
    assert_refused(result, errors, *in_details)
    assert result["step_id"] == "add_tariff"
    assert suggested(result) == submitted  # the user fixes what they typed
    assert dict(config_entry.options) == before
    # Correcting the form saves it (after the question of which meters it prices).
    result = await submit(hass, result, tariff_input(valid_from="2024-04-01"))
    result = await confirm_pricing(hass, result, [DEMO_IMPORT_MPAN], [], [])
    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert len(config_entry.options[CONF_CUSTOM_TARIFFS]) == 2


async def test_add_tariff_refused_when_a_stored_tariff_is_broken(
    hass: HomeAssistant, config_entry: MockConfigEntry
) -> None:
    """A hand-edited, invalid stored tariff is reported rather than saved over."""
    set_options(hass, config_entry, custom_tariffs=[stored_tariff("Broken", unit="water_litres")])
    result = await run_step(hass, config_entry, "add_tariff", tariff_input())
    assert_refused(result, {"base": "invalid_tariff"}, "Tariff Broken: unknown unit 'water_litres'")
    assert len(config_entry.options[CONF_CUSTOM_TARIFFS]) == 1


# -- edit a tariff --------------------------------------------------------------------------


async def test_edit_tariff_prefills_and_saves_in_place(
    hass: HomeAssistant, config_entry: MockConfigEntry
) -> None:
    set_options(
        hass,
        config_entry,
        custom_tariffs=[
            stored_tariff("First", valid_until="2024-03-31T23:00:00+00:00"),
            stored_tariff(
                "Second",
                valid_from="2024-03-31T23:00:00+00:00",
                standing_charge="0.5347",
                rates=rates(
                    [("00:00", "07:00", "0.07"), ("07:00", "24:00", "0.3")],
                ),
            ),
            stored_tariff("Export", EXPORT_UNIT),
        ],
    )
    result = await open_step(hass, config_entry, "edit_tariff")
    assert result["step_id"] == "edit_tariff"
    assert [o["label"] for o in select_options(result, "tariff")] == [
        "First (import, until 2024-04-01)",
        "Second (import, from 2024-04-01)",
        "Export (export, always)",
    ]
    result = await submit(hass, result, {"tariff": "Second"})
    assert result["type"] is FlowResultType.FORM
    assert result["step_id"] == "edit_tariff_details"
    assert result["description_placeholders"] == {"details": "", "tariff": "Second"}
    assert suggested(result) == {
        "name": "Second",
        "direction": "import",
        "currency": "GBP",
        "valid_from": "2024-04-01",
        "standing_charge": 0.5347,
        "bands": "00:00-07:00 0.07\n07:00-24:00 0.3",
    }
    # Keeping its own name is fine; a name of another tariff is not.
    values = {**suggested(result), "bands": "00:00-07:00 0.075\n07:00-24:00 0.3"}
    result = await submit(hass, result, {**values, "name": "First"})
    assert_refused(result, {"name": "name_taken"}, "First")
    result = await submit(hass, result, values)
    assert result["type"] is FlowResultType.CREATE_ENTRY
    tariffs = config_entry.options[CONF_CUSTOM_TARIFFS]
    assert [t["name"] for t in tariffs] == ["First", "Second", "Export"]
    assert tariffs[1]["rates"][0]["rate"] == "0.075"
    assert tariffs[1]["valid_from"] == "2024-03-31T23:00:00+00:00"
    assert tariffs[1]["standing_charge"] == "0.5347"

    # Renaming, and clearing the standing charge.
    result = await open_step(hass, config_entry, "edit_tariff")
    result = await submit(hass, result, {"tariff": "Second"})
    values = {k: v for k, v in suggested(result).items() if k != "standing_charge"}
    result = await submit(hass, result, {**values, "name": "Second (renamed)"})
    assert result["type"] is FlowResultType.CREATE_ENTRY
    tariffs = config_entry.options[CONF_CUSTOM_TARIFFS]
    assert [t["name"] for t in tariffs] == ["First", "Second (renamed)", "Export"]
    assert "standing_charge" not in tariffs[1]


async def test_edit_keeps_an_instant_whose_day_is_unchanged(
    hass: HomeAssistant, config_entry: MockConfigEntry
) -> None:
    """A mid-day validity (from an imported document) is not moved to midnight by an edit."""
    noon = "2024-06-01T11:00:00+00:00"  # 12:00 BST
    set_options(hass, config_entry, custom_tariffs=[stored_tariff("Flat", valid_from=noon)])
    result = await open_step(hass, config_entry, "edit_tariff")
    result = await submit(hass, result, {"tariff": "Flat"})
    assert suggested(result)["valid_from"] == "2024-06-01"
    result = await submit(hass, result, suggested(result))
    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert config_entry.options[CONF_CUSTOM_TARIFFS][0]["valid_from"] == noon

    result = await open_step(hass, config_entry, "edit_tariff")
    result = await submit(hass, result, {"tariff": "Flat"})
    result = await submit(hass, result, {**suggested(result), "valid_from": "2024-06-02"})
    assert result["type"] is FlowResultType.CREATE_ENTRY
    stored = config_entry.options[CONF_CUSTOM_TARIFFS][0]
    assert stored["valid_from"] == "2024-06-01T23:00:00+00:00"


async def test_edit_refuses_to_strand_a_custom_meter(
    hass: HomeAssistant, config_entry: MockConfigEntry
) -> None:
    """Turning the only import tariff into an export one would leave the meter unpriced."""
    set_options(
        hass,
        config_entry,
        tariff_source={DEMO_IMPORT_MPAN: "custom"},
        custom_tariffs=[stored_tariff("Flat")],
    )
    before = deepcopy(dict(config_entry.options))
    result = await open_step(hass, config_entry, "edit_tariff")
    result = await submit(hass, result, {"tariff": "Flat"})
    result = await submit(hass, result, {**suggested(result), "direction": "export"})
    assert_refused(result, {"direction": "tariff_in_use"}, f"{DEMO_IMPORT_MPAN} (no import tariff)")
    assert dict(config_entry.options) == before


@pytest.mark.parametrize("step", ["edit_tariff", "remove_tariff"])
async def test_edit_and_remove_abort_when_the_tariffs_are_gone(
    hass: HomeAssistant, config_entry: MockConfigEntry, step: str
) -> None:
    """Tariffs removed in another window while the menu was open: abort, nothing changes."""
    set_options(hass, config_entry, custom_tariffs=[stored_tariff("Flat")])
    menu = await hass.config_entries.options.async_init(config_entry.entry_id)
    set_options(hass, config_entry, custom_tariffs=[])
    result = await submit(hass, menu, {"next_step_id": step})
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "no_custom_tariffs"
    assert config_entry.options == {CONF_CUSTOM_TARIFFS: []}


async def test_edit_aborts_when_the_picked_tariff_is_gone(
    hass: HomeAssistant, config_entry: MockConfigEntry
) -> None:
    set_options(hass, config_entry, custom_tariffs=[stored_tariff("A"), stored_tariff("B")])
    result = await open_step(hass, config_entry, "edit_tariff")
    set_options(hass, config_entry, custom_tariffs=[stored_tariff("B")])
    result = await submit(hass, result, {"tariff": "A"})
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "no_custom_tariffs"
    assert config_entry.options == {CONF_CUSTOM_TARIFFS: [stored_tariff("B")]}


# -- remove a tariff ------------------------------------------------------------------------


async def test_remove_tariff(hass: HomeAssistant, config_entry: MockConfigEntry) -> None:
    set_options(
        hass,
        config_entry,
        tariff_source={DEMO_IMPORT_MPAN: "custom"},
        custom_tariffs=[
            stored_tariff("Old", valid_until="2024-03-31T23:00:00+00:00"),
            stored_tariff("New", valid_from="2024-03-31T23:00:00+00:00"),
            stored_tariff("Export", EXPORT_UNIT),
        ],
    )
    # The export meter uses the account: its only custom tariff can go.
    result = await run_step(hass, config_entry, "remove_tariff", {"tariff": "Export"})
    assert result["type"] is FlowResultType.CREATE_ENTRY
    result = await run_step(hass, config_entry, "remove_tariff", {"tariff": "Old"})
    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert [t["name"] for t in config_entry.options[CONF_CUSTOM_TARIFFS]] == ["New"]
    assert config_entry.options[CONF_TARIFF_SOURCE] == {DEMO_IMPORT_MPAN: "custom"}

    # The last import tariff of a custom-priced import meter stays.
    before = deepcopy(dict(config_entry.options))
    result = await run_step(hass, config_entry, "remove_tariff", {"tariff": "New"})
    assert_refused(result, {"base": "tariff_in_use"}, f"{DEMO_IMPORT_MPAN} (no import tariff)")
    assert result["step_id"] == "remove_tariff"
    assert dict(config_entry.options) == before


# -- JSON import ----------------------------------------------------------------------------


async def test_import_flux_example_replaces_tariffs(
    hass: HomeAssistant, config_entry: MockConfigEntry
) -> None:
    set_options(
        hass,
        config_entry,
        custom_tariffs=[stored_tariff("Replaced")],
        tariff_source={"1099999999999": "custom"},
        standing_charges_in_cost=True,
    )
    document = flux_document()
    document["meters"]["meters"].append({"mpan": "1011111111111", "unit": IMPORT_UNIT})
    result = await open_step(hass, config_entry, "import_json")
    assert result["step_id"] == "import_json"
    result = await submit(hass, result, {"document": json.dumps(document, indent=2)})
    # The document's meters are preselected; one confirmation saves tariffs and sources.
    both = [DEMO_IMPORT_MPAN, DEMO_EXPORT_MPAN]
    result = await confirm_pricing(hass, result, both, both, both)
    assert result["type"] is FlowResultType.CREATE_ENTRY
    options = config_entry.options
    assert options[CONF_TARIFF_SOURCE] == {
        "1099999999999": "custom",
        DEMO_EXPORT_MPAN: "custom",
        DEMO_IMPORT_MPAN: "custom",
    }
    assert options[CONF_STANDING_CHARGES_IN_COST] is True
    assert [(t["name"], t["unit"]) for t in options[CONF_CUSTOM_TARIFFS]] == [
        ("flux_export_2023-07", EXPORT_UNIT),
        ("flux_import_2023-07", IMPORT_UNIT),
    ]
    flux_import = options[CONF_CUSTOM_TARIFFS][1]
    assert flux_import["rates"] == [
        {"interval_start": s, "interval_end": e, "rate": repr(r)} for s, e, r in FLUX_IMPORT_RATES
    ]
    # The file's credentials and serials are never stored.
    stored = json.dumps(dict(options))
    assert DOC_API_KEY not in stored
    assert DOC_SERIAL not in stored
    assert "api_key" not in stored


async def test_import_tariffs_only(hass: HomeAssistant, config_entry: MockConfigEntry) -> None:
    """A document without meters brings its tariffs; the first ones are offered to both meters."""
    result = await run_step(
        hass,
        config_entry,
        "import_json",
        {"document": json.dumps({"tariffs": flux_document()["tariffs"]})},
    )
    both = [DEMO_IMPORT_MPAN, DEMO_EXPORT_MPAN]
    result = await confirm_pricing(hass, result, both, both, [DEMO_EXPORT_MPAN])
    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert config_entry.options[CONF_TARIFF_SOURCE] == {
        DEMO_IMPORT_MPAN: "account",
        DEMO_EXPORT_MPAN: "custom",
    }
    assert len(config_entry.options[CONF_CUSTOM_TARIFFS]) == 2
    # Imported again, with both meters already custom... the export one is: only the import
    # meter is still to decide, so the question is asked again (not preselected now).
    result = await run_step(
        hass,
        config_entry,
        "import_json",
        {"document": json.dumps({"tariffs": flux_document()["tariffs"]})},
    )
    result = await confirm_pricing(hass, result, both, [DEMO_EXPORT_MPAN], both)
    assert config_entry.options[CONF_TARIFF_SOURCE] == dict.fromkeys(both, "custom")
    # Every meter custom already: nothing to ask, the tariffs are saved at once.
    result = await run_step(
        hass, config_entry, "import_json", {"document": json.dumps(flux_document())}
    )
    assert result["type"] is FlowResultType.CREATE_ENTRY


def _broken(kind: str) -> str:
    doc = flux_document()
    flux = doc["tariffs"]["flux_import_2023-07"]["rates"]
    if kind == "overlap":
        flux[1]["interval_start"] = "01:00"
    elif kind == "gap":
        flux[1]["interval_end"] = "04:00"
    elif kind == "bad_rate":
        flux[3]["rate"] = "peak"
    elif kind == "missing_rate":
        del flux[3]["rate"]
    elif kind == "tariff_unit":
        doc["tariffs"]["flux_export_2023-07"]["unit"] = "electricity_kwh"
    elif kind == "meter_unit":
        doc["meters"]["meters"][0]["unit"] = "gas"
    elif kind == "direction":
        doc["meters"]["meters"][0]["mpan"] = DEMO_IMPORT_MPAN
        doc["meters"]["meters"][1]["mpan"] = DEMO_EXPORT_MPAN
    elif kind == "no_tariffs":
        doc["tariffs"] = {}
    elif kind == "export_only":
        del doc["tariffs"]["flux_import_2023-07"]
    elif kind == "tariffs_overlap":
        doc["tariffs"]["flux_import_2024"] = {
            "unit": IMPORT_UNIT,
            "valid_from": "2024-04-01",
            "rates": rates([("00:00", "24:00", 0.25)]),
        }
    elif kind == "not_json":
        return json.dumps(doc)[:-3]
    return json.dumps(doc)


@pytest.mark.parametrize(
    ("kind", "error", "in_details"),
    [
        ("overlap", "invalid_document", ["flux_import_2023-07: band 01:00-05:00 overlaps"]),
        ("gap", "invalid_document", ["flux_import_2023-07: no band covers 04:00-05:00"]),
        ("bad_rate", "invalid_document", ["band 16:00-19:00 has a non-numeric rate 'peak'"]),
        ("missing_rate", "invalid_document", ["band 16:00-19:00 has no rate"]),
        ("tariff_unit", "invalid_document", ["flux_export_2023-07: unknown unit"]),
        ("meter_unit", "invalid_document", ["unknown unit 'gas'"]),
        ("direction", "invalid_document", [f"meter {DEMO_IMPORT_MPAN} is import here but export"]),
        ("no_tariffs", "invalid_document", ["the document has no tariffs"]),
        ("export_only", "no_custom_tariff", [f"{DEMO_IMPORT_MPAN} (no import tariff)"]),
        ("tariffs_overlap", "invalid_document", ["flux_import_2023-07 and flux_import_2024"]),
        ("not_json", "invalid_document", ["Not valid JSON"]),
    ],
)
async def test_import_broken_documents_change_nothing(
    hass: HomeAssistant,
    config_entry: MockConfigEntry,
    kind: str,
    error: str,
    in_details: list[str],
) -> None:
    set_options(
        hass,
        config_entry,
        custom_tariffs=[stored_tariff("Kept")],
        tariff_source={DEMO_IMPORT_MPAN: "account"},
    )
    before = deepcopy(dict(config_entry.options))
    text = _broken(kind)
    result = await run_step(hass, config_entry, "import_json", {"document": text})
    assert_refused(result, {"document": error}, *in_details)
    assert suggested(result) == {"document": text}  # the pasted text stays to be fixed
    assert dict(config_entry.options) == before


async def test_import_shows_the_first_issues_only(
    hass: HomeAssistant, config_entry: MockConfigEntry
) -> None:
    doc = flux_document()
    for tariff in doc["tariffs"].values():
        for band in tariff["rates"]:
            band["rate"] = "x"
    result = await run_step(hass, config_entry, "import_json", {"document": json.dumps(doc)})
    details = result["description_placeholders"]["details"]
    assert details.count("non-numeric rate") == 5
    assert details.endswith("(and 5 more)")
    assert CONF_CUSTOM_TARIFFS not in config_entry.options


# -- settings -------------------------------------------------------------------------------


async def test_settings(hass: HomeAssistant, config_entry: MockConfigEntry) -> None:
    set_options(hass, config_entry, custom_tariffs=[stored_tariff("Flat")])
    result = await open_step(hass, config_entry, "settings")
    assert result["step_id"] == "settings"
    assert defaults(result) == {CONF_STANDING_CHARGES_IN_COST: False}
    result = await submit(hass, result, {CONF_STANDING_CHARGES_IN_COST: True})
    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert config_entry.options == {
        CONF_CUSTOM_TARIFFS: [stored_tariff("Flat")],
        CONF_STANDING_CHARGES_IN_COST: True,
    }
    result = await open_step(hass, config_entry, "settings")
    assert defaults(result) == {CONF_STANDING_CHARGES_IN_COST: True}
    result = await submit(hass, result, {CONF_STANDING_CHARGES_IN_COST: False})
    assert config_entry.options[CONF_STANDING_CHARGES_IN_COST] is False


# -- effect on a loaded entry ---------------------------------------------------------------


def _cost_at(entry: MockConfigEntry, mpan: str, start: datetime) -> tuple[float, Decimal | None]:
    columns = entry.runtime_data.updaters[mpan].columns
    index = columns.starts.index(int(start.timestamp()))
    return columns.kwh[index], columns.values[index]


async def test_saved_tariffs_reprice_the_loaded_entry(
    hass: HomeAssistant, fake_api: FakeOctopus, loaded_entry: MockConfigEntry
) -> None:
    """Importing Flux re-prices the cached history with no API request."""
    coordinator = loaded_entry.runtime_data
    assert isinstance(coordinator.updaters[DEMO_IMPORT_MPAN].source, AccountPriceSource)
    fake_api.reset_counts()
    result = await run_step(
        hass, loaded_entry, "import_json", {"document": json.dumps(flux_document())}
    )
    both = [DEMO_IMPORT_MPAN, DEMO_EXPORT_MPAN]
    result = await confirm_pricing(hass, result, both, both, both)
    assert result["type"] is FlowResultType.CREATE_ENTRY
    await settle(hass)
    assert fake_api.count() == 0
    for mpan in (DEMO_IMPORT_MPAN, DEMO_EXPORT_MPAN):
        assert isinstance(coordinator.updaters[mpan].source, CustomPriceSource)
    # 10 November is GMT: 03:00 UTC is in the 02:00-05:00 band, 17:00 in the peak.
    for hour, import_rate, export_rate in ((3, "0.18432", "0.07432"), (17, "0.43008", "0.32008")):
        start = datetime(2025, 11, 10, hour, tzinfo=UTC)
        kwh, cost = _cost_at(loaded_entry, DEMO_IMPORT_MPAN, start)
        assert kwh == fake_api.consumption_kwh(DEMO_IMPORT_MPAN, start)
        assert cost == Decimal(repr(kwh)) * Decimal(import_rate)
        kwh, revenue = _cost_at(loaded_entry, DEMO_EXPORT_MPAN, start)
        assert revenue == Decimal(repr(kwh)) * Decimal(export_rate)

    # Editing the import tariff's cheap band re-prices again; settings reach the coordinator.
    result = await open_step(hass, loaded_entry, "edit_tariff")
    result = await submit(hass, result, {"tariff": "flux_import_2023-07"})
    bands = suggested(result)["bands"].replace("02:00-05:00 0.18432", "02:00-05:00 0.1")
    result = await submit(hass, result, {**suggested(result), "bands": bands})
    assert result["type"] is FlowResultType.CREATE_ENTRY
    result = await run_step(hass, loaded_entry, "settings", {CONF_STANDING_CHARGES_IN_COST: True})
    await settle(hass)
    start = datetime(2025, 11, 10, 3, tzinfo=UTC)
    kwh, cost = _cost_at(loaded_entry, DEMO_IMPORT_MPAN, start)
    assert cost == Decimal(repr(kwh)) * Decimal("0.1")
    assert coordinator.include_standing is True

    # Back to the account's tariffs.
    result = await run_step(hass, loaded_entry, "tariff_source", {"custom_meters": []})
    await settle(hass)
    assert isinstance(coordinator.updaters[DEMO_IMPORT_MPAN].source, AccountPriceSource)


# -- translations and pure helpers ----------------------------------------------------------


async def test_translations_cover_the_options_flow(hass: HomeAssistant) -> None:
    root = Path(__file__).parents[2] / "custom_components" / DOMAIN
    strings = json.loads((root / "strings.json").read_text(encoding="utf-8"))
    assert json.loads((root / "translations" / "en.json").read_text(encoding="utf-8")) == strings
    translations = await async_get_translations(hass, "en", "options", [DOMAIN])
    prefix = f"component.{DOMAIN}.options"
    for error in (
        "invalid_bands",
        "invalid_currency",
        "invalid_dates",
        "invalid_document",
        "invalid_name",
        "invalid_standing_charge",
        "invalid_tariff",
        "name_taken",
        "no_custom_tariff",
        "tariff_in_use",
        "tariffs_overlap",
    ):
        assert f"{prefix}.error.{error}" in translations
    assert f"{prefix}.abort.no_custom_tariffs" in translations
    assert f"{prefix}.step.price_meters.data.custom_meters" in translations
    assert "{tariffs}" in translations[f"{prefix}.step.price_meters.description"]
    assert "{replaced}" in translations[f"{prefix}.step.import_json.description"]
    assert translations[f"{prefix}.step.init.title"] == "Octopus Energy Viz options"
    for option in (
        "tariff_source",
        "add_tariff",
        "edit_tariff",
        "remove_tariff",
        "import_json",
        "compare",
        "settings",
    ):
        assert f"{prefix}.step.init.menu_options.{option}" in translations
    for step in ("add_tariff", "edit_tariff_details"):
        for field in (
            "name",
            "direction",
            "currency",
            "valid_from",
            "valid_until",
            "standing_charge",
            "bands",
        ):
            assert f"{prefix}.step.{step}.data.{field}" in translations
    assert "api_key" in translations[f"{prefix}.step.import_json.description"]
    assert f"{prefix}.step.settings.data_description.standing_charges_in_cost" in translations


def test_pure_helpers() -> None:
    """Paths the forms cannot reach: date-only bounds, unknown units, long issue lists."""
    assert local_day("2024-04-01") == "2024-04-01"
    assert local_day("2024-10-27T00:00:00+00:00") == "2024-10-27"  # GMT again
    assert local_day(None) is None
    assert tariff_label({"name": "Odd", "unit": "gas"}) == "Odd (?, always)"
    issues = [TariffIssue(key="k", message=f"m{i}") for i in range(7)]
    assert describe_issues(issues) == "m0; m1; m2; m3; m4 (and 2 more)"
    assert describe_issues(issues[:2]) == "m0; m1"
    meter = FollowedMeter(DEMO_IMPORT_MPAN, DEMO_SERIAL, Direction.IMPORT)
    with pytest.raises(OptionsError) as caught:
        import_document("[]", [meter])
    assert caught.value.key == "invalid_document"
    assert caught.value.field == "document"
    assert "must be a JSON object" in str(caught.value)


def _json_blocks(text: str) -> list[str]:
    return re.findall(r"```json\n(.*?)\n```", text, flags=re.DOTALL)


async def test_documented_examples_import_as_written(
    hass: HomeAssistant, config_entry: MockConfigEntry
) -> None:
    """The README's example and the form's own example are accepted exactly as written:
    neither has a serial or an API key, and the meter they name is priced by them."""
    root = Path(__file__).parents[2]
    readme = (root / "README.md").read_text(encoding="utf-8")
    strings = json.loads(
        (root / "custom_components" / DOMAIN / "strings.json").read_text(encoding="utf-8")
    )
    form_help = strings["options"]["step"]["import_json"]["description"]
    examples = [*_json_blocks(readme), *_json_blocks(form_help)]
    assert len(examples) == 2
    for example in examples:
        set_options(hass, config_entry)
        result = await run_step(hass, config_entry, "import_json", {"document": example})
        # The import meter the example names is preselected; the export meter is not offered.
        result = await confirm_pricing(
            hass, result, [DEMO_IMPORT_MPAN], [DEMO_IMPORT_MPAN], [DEMO_IMPORT_MPAN]
        )
        assert result["type"] is FlowResultType.CREATE_ENTRY, example
        assert config_entry.options[CONF_TARIFF_SOURCE] == {DEMO_IMPORT_MPAN: "custom"}
        assert len(config_entry.options[CONF_CUSTOM_TARIFFS]) == 1


async def test_import_form_says_what_it_replaces(
    hass: HomeAssistant, config_entry: MockConfigEntry
) -> None:
    set_options(hass, config_entry, custom_tariffs=[stored_tariff("Kept")])
    result = await open_step(hass, config_entry, "import_json")
    assert result["description_placeholders"]["replaced"] == "Kept (import, always)"
