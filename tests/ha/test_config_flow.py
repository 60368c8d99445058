"""The config flow against the fake API: user, meters, manual, reauth and reconfigure."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
import json
from pathlib import Path
from typing import Any
from unittest.mock import AsyncMock, patch

from homeassistant.config_entries import SOURCE_USER, ConfigEntryState
from homeassistant.const import CONF_API_KEY
from homeassistant.core import HomeAssistant
from homeassistant.data_entry_flow import FlowResultType
from homeassistant.helpers import config_validation as cv
from homeassistant.helpers.translation import async_get_translations
import probatio
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry
from syrupy.assertion import SnapshotAssertion

from custom_components.octopus_viz.api.client import OctopusClient
from custom_components.octopus_viz.api.errors import (
    OctopusAuthError,
    OctopusConnectionError,
    OctopusError,
    OctopusNotFoundError,
    OctopusResponseError,
)
from custom_components.octopus_viz.api.models import Account, Fuel
from custom_components.octopus_viz.config_flow import CONF_HISTORY
from custom_components.octopus_viz.const import (
    CONF_ACCOUNT_NUMBER,
    CONF_HISTORY_FROM,
    CONF_METERS,
    DOMAIN,
)
from fake_octopus import (
    DEMO_ACCOUNT_NUMBER,
    DEMO_API_KEY,
    DEMO_EXPORT_MPAN,
    DEMO_GAS_MPRN,
    DEMO_GAS_SERIAL,
    DEMO_IMPORT_MPAN,
    DEMO_OLD_SERIAL,
    DEMO_SERIAL,
    FakeOctopus,
)

pytestmark = pytest.mark.usefixtures("socket_enabled", "fake_api", "no_backoff")

IMPORT_KEY = f"{DEMO_IMPORT_MPAN}/{DEMO_SERIAL}"
OLD_IMPORT_KEY = f"{DEMO_IMPORT_MPAN}/{DEMO_OLD_SERIAL}"
EXPORT_KEY = f"{DEMO_EXPORT_MPAN}/{DEMO_SERIAL}"
IMPORT_METER = {"mpan": DEMO_IMPORT_MPAN, "serial": DEMO_SERIAL, "direction": "import"}
EXPORT_METER = {"mpan": DEMO_EXPORT_MPAN, "serial": DEMO_SERIAL, "direction": "export"}
GAS_KEY = f"{DEMO_GAS_MPRN}/{DEMO_GAS_SERIAL}"
GAS_METER = {
    "mpan": DEMO_GAS_MPRN,
    "serial": DEMO_GAS_SERIAL,
    "direction": "import",
    "fuel": "gas",
    "unit": "m3",
}
GET_ACCOUNT = "custom_components.octopus_viz.config_flow.OctopusClient.async_get_account"


@pytest.fixture
def no_backoff() -> Iterator[AsyncMock]:
    """Retries happen at once (the client's back-off sleep is patched)."""
    with patch("custom_components.octopus_viz.api.client._backoff_sleep", AsyncMock()) as sleep:
        yield sleep


@pytest.fixture
def mock_setup_entry() -> Iterator[AsyncMock]:
    with patch("custom_components.octopus_viz.async_setup_entry", return_value=True) as setup:
        yield setup


@pytest.fixture
def entry(hass: HomeAssistant) -> MockConfigEntry:
    """An entry as the flow creates it, with a hand-entered meter next to a discovered one."""
    config = MockConfigEntry(
        domain=DOMAIN,
        title=f"Octopus {DEMO_ACCOUNT_NUMBER}",
        unique_id=DEMO_ACCOUNT_NUMBER,
        data={
            CONF_API_KEY: DEMO_API_KEY,
            CONF_ACCOUNT_NUMBER: DEMO_ACCOUNT_NUMBER,
            CONF_METERS: [
                IMPORT_METER,
                {"mpan": "1012345678901", "serial": "MANUAL1", "direction": "import"},
            ],
            CONF_HISTORY_FROM: "2024-01-01",
        },
    )
    config.add_to_hass(hass)
    return config


def suggested(result: Any) -> dict[str, Any]:
    """The suggested (prefilled) values of a form."""
    return {
        str(key): key.description["suggested_value"]
        for key in result["data_schema"].schema
        if key.description and "suggested_value" in key.description
    }


def placeholders(result: Any) -> dict[str, str]:
    """The description placeholders of a form."""
    return dict(result["description_placeholders"] or {})


def history_options(result: Any) -> list[str]:
    """The choices offered for the history start."""
    for key, selector in result["data_schema"].schema.items():
        if str(key) == CONF_HISTORY:
            return list(selector.config["options"])
    raise AssertionError("no history field")


def option_values(result: Any) -> list[str]:
    """The values offered by the meters select."""
    for key, selector in result["data_schema"].schema.items():
        if str(key) == CONF_METERS:
            return [option["value"] for option in selector.config["options"]]
    raise AssertionError("no meters field")


async def start_user(hass: HomeAssistant, number: str = DEMO_ACCOUNT_NUMBER) -> Any:
    result = await hass.config_entries.flow.async_init(DOMAIN, context={"source": SOURCE_USER})
    assert result["type"] is FlowResultType.FORM
    assert result["step_id"] == "user"
    return await hass.config_entries.flow.async_configure(
        result["flow_id"], {CONF_API_KEY: f" {DEMO_API_KEY} ", CONF_ACCOUNT_NUMBER: number}
    )


async def test_user_flow_discovers_meters_and_creates_entry(
    hass: HomeAssistant, mock_setup_entry: AsyncMock, fake_api: FakeOctopus
) -> None:
    result = await start_user(hass, f"  {DEMO_ACCOUNT_NUMBER.lower()} ")
    assert result["type"] is FlowResultType.FORM
    assert result["step_id"] == "meters"
    # The moved-out property's meter is not offered, nor the replaced serial that has no
    # reading at all: each meter point is listed once.
    assert option_values(result) == [IMPORT_KEY, EXPORT_KEY, GAS_KEY]
    labels = [o["label"] for o in result["data_schema"].schema[CONF_METERS].config["options"]]
    assert labels == [
        f"{DEMO_IMPORT_MPAN} (import) — {DEMO_SERIAL}",
        f"{DEMO_EXPORT_MPAN} (export) — {DEMO_SERIAL}",
        f"{DEMO_GAS_MPRN} (gas) — {DEMO_GAS_SERIAL}",
    ]
    assert suggested(result) == {
        CONF_METERS: sorted([IMPORT_KEY, EXPORT_KEY, GAS_KEY]),
        CONF_HISTORY: "agreement",
        "gas_unit": "m3",
    }
    assert history_options(result) == ["all", "agreement", "date"]
    assert placeholders(result)["agreement_start"] == "15 Jan 2023"
    # Both serials of the import MPAN and the gas meter were probed, one tiny request each.
    probes = [r for r in fake_api.requests if r.query.get("page_size") == "1"]
    assert sorted(r.path.split("/")[5] for r in probes) == sorted(
        [DEMO_OLD_SERIAL, DEMO_SERIAL, DEMO_GAS_SERIAL]
    )

    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {CONF_METERS: [IMPORT_KEY, EXPORT_KEY], CONF_HISTORY: "date"}
    )
    assert result["step_id"] == "history_date"
    assert suggested(result) == {CONF_HISTORY_FROM: "2023-01-15"}
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {CONF_HISTORY_FROM: "2024-02-01"}
    )
    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert result["title"] == f"Octopus {DEMO_ACCOUNT_NUMBER}"
    assert result["data"] == {
        CONF_API_KEY: DEMO_API_KEY,
        CONF_ACCOUNT_NUMBER: DEMO_ACCOUNT_NUMBER,
        CONF_METERS: [IMPORT_METER, EXPORT_METER],
        CONF_HISTORY_FROM: "2024-02-01",
    }
    assert result["options"] == {}
    assert result["result"].unique_id == DEMO_ACCOUNT_NUMBER
    assert len(mock_setup_entry.mock_calls) == 1


@pytest.mark.parametrize(
    ("choice", "stored"), [("all", None), ("agreement", "2023-01-15")], ids=["all", "agreement"]
)
async def test_history_choice_without_a_date(
    hass: HomeAssistant, mock_setup_entry: AsyncMock, choice: str, stored: str | None
) -> None:
    """All data or the earliest agreement: no date picker to clear, stored as before."""
    result = await start_user(hass)
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {CONF_METERS: [EXPORT_KEY], CONF_HISTORY: choice}
    )
    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert result["data"][CONF_METERS] == [EXPORT_METER]
    assert result["data"][CONF_HISTORY_FROM] == stored


async def test_replaced_meter_with_readings_is_labelled(
    hass: HomeAssistant, mock_setup_entry: AsyncMock
) -> None:
    """A replaced serial that holds history is offered, saying it is the old one and until when."""
    real_probe = OctopusClient.async_get_latest_reading_start

    async def probe(client: OctopusClient, mpan: str, serial: str, fuel: Fuel) -> datetime | None:
        if serial == DEMO_OLD_SERIAL:  # the fake's old serial has none: give it a last one
            return datetime(2023, 1, 14, 23, 30, tzinfo=UTC)  # 23:30 UTC is still 14 Jan
        return await real_probe(client, mpan, serial, fuel)

    with patch.object(OctopusClient, "async_get_latest_reading_start", probe):
        result = await start_user(hass)
    assert option_values(result) == [OLD_IMPORT_KEY, IMPORT_KEY, EXPORT_KEY, GAS_KEY]
    labels = [o["label"] for o in result["data_schema"].schema[CONF_METERS].config["options"]]
    assert labels[0] == (
        f"{DEMO_IMPORT_MPAN} (import) — {DEMO_OLD_SERIAL} (replaced, last reading 14 Jan 2023)"
    )
    assert labels[1] == f"{DEMO_IMPORT_MPAN} (import) — {DEMO_SERIAL}"
    assert suggested(result)[CONF_METERS] == sorted([IMPORT_KEY, EXPORT_KEY, GAS_KEY])
    # A replaced meter can be followed too (it holds the older history).
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {CONF_METERS: [IMPORT_KEY, OLD_IMPORT_KEY], CONF_HISTORY: "all"}
    )
    assert result["data"][CONF_METERS] == [
        {"mpan": DEMO_IMPORT_MPAN, "serial": DEMO_OLD_SERIAL, "direction": "import"},
        IMPORT_METER,
    ]


async def test_replaced_meter_whose_probe_failed_is_kept(
    hass: HomeAssistant, fake_api: FakeOctopus
) -> None:
    """Whether a serial has readings is unknown when its probe fails: it stays on offer."""
    real_probe = OctopusClient.async_get_latest_reading_start

    async def probe(client: OctopusClient, mpan: str, serial: str, fuel: Fuel) -> datetime | None:
        if serial == DEMO_OLD_SERIAL:
            raise OctopusConnectionError("probe failed")
        return await real_probe(client, mpan, serial, fuel)

    with patch.object(OctopusClient, "async_get_latest_reading_start", probe):
        result = await start_user(hass)
    labels = [o["label"] for o in result["data_schema"].schema[CONF_METERS].config["options"]]
    assert labels[0] == f"{DEMO_IMPORT_MPAN} (import) — {DEMO_OLD_SERIAL} (replaced)"


@pytest.mark.parametrize("number", ["12345678", "A-123", "B-DEMO0001", "A-DEMO00011"])
async def test_invalid_account_number(
    hass: HomeAssistant, fake_api: FakeOctopus, number: str
) -> None:
    result = await start_user(hass, number)
    assert result["type"] is FlowResultType.FORM
    assert result["errors"] == {CONF_ACCOUNT_NUMBER: "invalid_account_number"}
    assert fake_api.count() == 0  # nothing was asked of the API
    # The account number typed is kept; the key is not echoed back.
    assert suggested(result) == {CONF_ACCOUNT_NUMBER: number}


async def _user_error(hass: HomeAssistant, api_key: str, number: str) -> Any:
    result = await hass.config_entries.flow.async_init(DOMAIN, context={"source": SOURCE_USER})
    return await hass.config_entries.flow.async_configure(
        result["flow_id"], {CONF_API_KEY: api_key, CONF_ACCOUNT_NUMBER: number}
    )


@pytest.mark.parametrize(
    ("fault", "api_key", "number", "error"),
    [
        (None, "sk_live_wrong", DEMO_ACCOUNT_NUMBER, "invalid_auth"),
        (None, DEMO_API_KEY, "A-00000000", "account_not_found"),
        ("forbidden_html", DEMO_API_KEY, DEMO_ACCOUNT_NUMBER, "cannot_connect"),
        ("server_error", DEMO_API_KEY, DEMO_ACCOUNT_NUMBER, "cannot_connect"),
        ("malformed_json", DEMO_API_KEY, DEMO_ACCOUNT_NUMBER, "cannot_connect"),
    ],
)
async def test_user_errors_then_recovery(
    hass: HomeAssistant,
    mock_setup_entry: AsyncMock,
    fake_api: FakeOctopus,
    fault: str | None,
    api_key: str,
    number: str,
    error: str,
) -> None:
    if fault:
        fake_api.fail(fault, times=10)
    result = await hass.config_entries.flow.async_init(DOMAIN, context={"source": SOURCE_USER})
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {CONF_API_KEY: api_key, CONF_ACCOUNT_NUMBER: number}
    )
    assert result["type"] is FlowResultType.FORM
    assert result["step_id"] == "user"
    assert result["errors"] == {"base": error}
    fake_api.faults.clear()
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {CONF_API_KEY: DEMO_API_KEY, CONF_ACCOUNT_NUMBER: DEMO_ACCOUNT_NUMBER}
    )
    assert result["step_id"] == "meters"
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {CONF_METERS: [IMPORT_KEY]}
    )
    assert result["type"] is FlowResultType.CREATE_ENTRY


async def test_forbidden_is_never_invalid_auth(hass: HomeAssistant, fake_api: FakeOctopus) -> None:
    fake_api.fail("forbidden_html", times=2)
    result = await start_user(hass)
    # Two transient 403s are retried away: the flow carries on.
    assert result["step_id"] == "meters"


async def test_unexpected_error_is_unknown(hass: HomeAssistant) -> None:
    with patch(GET_ACCOUNT, side_effect=RuntimeError("boom")):
        result = await start_user(hass)
    assert result["errors"] == {"base": "unknown"}


async def test_already_configured(hass: HomeAssistant, entry: MockConfigEntry) -> None:
    result = await start_user(hass, DEMO_ACCOUNT_NUMBER.lower())
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "already_configured"


async def test_meters_step_errors(hass: HomeAssistant, mock_setup_entry: AsyncMock) -> None:
    result = await start_user(hass)
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {CONF_METERS: [], CONF_HISTORY: "date"}
    )
    assert result["errors"] == {"base": "no_meters_selected"}
    assert suggested(result)[CONF_HISTORY] == "date"  # the choice made is kept
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {CONF_METERS: [IMPORT_KEY], CONF_HISTORY: "date"}
    )
    assert result["step_id"] == "history_date"
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {CONF_HISTORY_FROM: "2999-01-01"}
    )
    assert result["errors"] == {CONF_HISTORY_FROM: "history_from_future"}
    assert suggested(result) == {CONF_HISTORY_FROM: "2999-01-01"}
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {CONF_HISTORY_FROM: "2024-01-01"}
    )
    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert result["data"][CONF_HISTORY_FROM] == "2024-01-01"


async def test_manual_meters_after_selection(
    hass: HomeAssistant, mock_setup_entry: AsyncMock
) -> None:
    result = await start_user(hass)
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {CONF_METERS: [IMPORT_KEY], CONF_HISTORY: "date", "add_manual": True}
    )
    # The date first, then the meter by hand.
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {CONF_HISTORY_FROM: "2024-05-01"}
    )
    assert result["step_id"] == "manual"
    assert placeholders(result)["added"] == f"{DEMO_IMPORT_MPAN} (import) — {DEMO_SERIAL}"
    manual = {"mpan": "19 0000 0000 099", "serial": " 24X0000009 ", "direction": "export"}
    for field, value, error in (
        ("mpan", "12345", "invalid_mpan"),
        ("serial", "  ", "invalid_serial"),
        ("serial", "bad serial!", "invalid_serial"),
    ):
        result = await hass.config_entries.flow.async_configure(
            result["flow_id"], {**manual, field: value}
        )
        assert result["errors"] == {field: error}
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {**manual, "add_another": True}
    )
    assert result["step_id"] == "manual"
    assert result["errors"] == {}
    assert "1900000000099 (export) — 24X0000009" in placeholders(result)["added"]
    # The same meter twice is kept once.
    result = await hass.config_entries.flow.async_configure(result["flow_id"], manual)
    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert result["data"][CONF_METERS] == [
        IMPORT_METER,
        {"mpan": "1900000000099", "serial": "24X0000009", "direction": "export"},
    ]
    assert result["data"][CONF_HISTORY_FROM] == "2024-05-01"


async def test_manual_only_when_selection_empty(
    hass: HomeAssistant, mock_setup_entry: AsyncMock
) -> None:
    result = await start_user(hass)
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {CONF_METERS: [], CONF_HISTORY: "agreement", "add_manual": True}
    )
    assert result["step_id"] == "manual"
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {"mpan": "1900000000099", "serial": "S1", "direction": "import"}
    )
    assert result["data"][CONF_METERS] == [
        {"mpan": "1900000000099", "serial": "S1", "direction": "import"}
    ]


async def test_no_discovered_meters_goes_to_manual(
    hass: HomeAssistant, mock_setup_entry: AsyncMock
) -> None:
    with patch(GET_ACCOUNT, return_value=Account(number=DEMO_ACCOUNT_NUMBER)):
        result = await start_user(hass)
    assert result["type"] is FlowResultType.FORM
    assert result["step_id"] == "manual"
    assert placeholders(result)["added"] == "none"
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {"mpan": "1900000000099", "serial": "S1", "direction": "import"}
    )
    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert result["data"][CONF_HISTORY_FROM] is None


async def test_reauth_success(hass: HomeAssistant, entry: MockConfigEntry) -> None:
    hass.config_entries.async_update_entry(entry, data={**entry.data, CONF_API_KEY: "old"})
    result = await entry.start_reauth_flow(hass)
    assert result["step_id"] == "reauth_confirm"
    assert placeholders(result)["account_number"] == DEMO_ACCOUNT_NUMBER
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {CONF_API_KEY: "sk_live_still_wrong"}
    )
    assert result["errors"] == {"base": "invalid_auth"}
    with patch("custom_components.octopus_viz.async_setup_entry", return_value=True) as setup:
        result = await hass.config_entries.flow.async_configure(
            result["flow_id"], {CONF_API_KEY: f"{DEMO_API_KEY}\n"}
        )
        await hass.async_block_till_done()
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "reauth_successful"
    assert entry.data[CONF_API_KEY] == DEMO_API_KEY
    assert entry.data[CONF_METERS][0] == IMPORT_METER  # the rest is untouched
    assert len(setup.mock_calls) == 1  # reloaded
    assert entry.state is ConfigEntryState.LOADED


async def test_reauth_other_account_aborts(hass: HomeAssistant, entry: MockConfigEntry) -> None:
    result = await entry.start_reauth_flow(hass)
    with patch(GET_ACCOUNT, return_value=Account(number="A-OTHER001")):
        result = await hass.config_entries.flow.async_configure(
            result["flow_id"], {CONF_API_KEY: "sk_other"}
        )
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "wrong_account"
    assert entry.data[CONF_API_KEY] == DEMO_API_KEY


async def test_reconfigure_changes_meters(
    hass: HomeAssistant, entry: MockConfigEntry, mock_setup_entry: AsyncMock
) -> None:
    result = await entry.start_reconfigure_flow(hass)
    assert result["step_id"] == "meters"
    # Discovered meters plus the hand-entered one; the current choice is preselected, and
    # the stored day (not the earliest agreement's) shows as "from a date", prefilled.
    assert option_values(result) == [IMPORT_KEY, EXPORT_KEY, GAS_KEY, "1012345678901/MANUAL1"]
    assert suggested(result) == {
        CONF_METERS: sorted([IMPORT_KEY, "1012345678901/MANUAL1"]),
        CONF_HISTORY: "date",
        "gas_unit": "m3",
    }
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {CONF_METERS: [IMPORT_KEY, EXPORT_KEY], CONF_HISTORY: "date"}
    )
    assert suggested(result) == {CONF_HISTORY_FROM: "2024-01-01"}
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {CONF_HISTORY_FROM: "2023-06-01"}
    )
    await hass.async_block_till_done()
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "reconfigure_successful"
    assert entry.data[CONF_METERS] == [IMPORT_METER, EXPORT_METER]
    assert entry.data[CONF_HISTORY_FROM] == "2023-06-01"
    assert entry.data[CONF_API_KEY] == DEMO_API_KEY


async def test_reconfigure_shows_the_stored_history_choice(
    hass: HomeAssistant, entry: MockConfigEntry, mock_setup_entry: AsyncMock
) -> None:
    """Entries store a day or None as before; reconfigure shows them as the choice they mean."""
    for stored, choice in ((None, "all"), ("2023-01-15", "agreement"), ("2024-01-01", "date")):
        hass.config_entries.async_update_entry(
            entry, data={**entry.data, CONF_HISTORY_FROM: stored}
        )
        result = await entry.start_reconfigure_flow(hass)
        assert suggested(result)[CONF_HISTORY] == choice, stored
        hass.config_entries.flow.async_abort(result["flow_id"])
    # Keeping "from the earliest agreement" stores its day again.
    hass.config_entries.async_update_entry(
        entry, data={**entry.data, CONF_HISTORY_FROM: "2023-01-15"}
    )
    result = await entry.start_reconfigure_flow(hass)
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {CONF_METERS: [IMPORT_KEY], CONF_HISTORY: "agreement"}
    )
    await hass.async_block_till_done()
    assert result["reason"] == "reconfigure_successful"
    assert entry.data[CONF_HISTORY_FROM] == "2023-01-15"


async def test_reconfigure_with_manual_meter(
    hass: HomeAssistant, entry: MockConfigEntry, mock_setup_entry: AsyncMock
) -> None:
    result = await entry.start_reconfigure_flow(hass)
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {CONF_METERS: [EXPORT_KEY], CONF_HISTORY: "all", "add_manual": True}
    )
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {"mpan": "1900000000077", "serial": "S7", "direction": "import"}
    )
    await hass.async_block_till_done()
    assert result["reason"] == "reconfigure_successful"
    assert entry.data[CONF_METERS] == [
        EXPORT_METER,
        {"mpan": "1900000000077", "serial": "S7", "direction": "import"},
    ]
    assert entry.data[CONF_HISTORY_FROM] is None


async def test_reconfigure_error_then_retry(
    hass: HomeAssistant, entry: MockConfigEntry, fake_api: FakeOctopus
) -> None:
    fake_api.fail("unauthorized")
    result = await entry.start_reconfigure_flow(hass)
    assert result["type"] is FlowResultType.FORM
    assert result["step_id"] == "reconfigure"
    assert result["errors"] == {"base": "invalid_auth"}
    fake_api.fail("bad_gateway", times=10)
    result = await hass.config_entries.flow.async_configure(result["flow_id"], {})
    assert result["errors"] == {"base": "cannot_connect"}
    fake_api.faults.clear()
    result = await hass.config_entries.flow.async_configure(result["flow_id"], {})
    assert result["step_id"] == "meters"


async def test_reconfigure_other_account_aborts(
    hass: HomeAssistant, entry: MockConfigEntry
) -> None:
    with patch(GET_ACCOUNT, return_value=Account(number="A-OTHER001")):
        result = await entry.start_reconfigure_flow(hass)
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "wrong_account"


async def test_every_flow_message_is_translated(hass: HomeAssistant) -> None:
    """strings.json and en.json agree, and hold every error, abort and client exception."""
    root = Path(__file__).parents[2] / "custom_components" / DOMAIN
    strings = json.loads((root / "strings.json").read_text(encoding="utf-8"))
    assert json.loads((root / "translations" / "en.json").read_text(encoding="utf-8")) == strings
    translations = await async_get_translations(hass, "en", "config", [DOMAIN])
    prefix = f"component.{DOMAIN}.config"
    for error in (
        "invalid_auth",
        "account_not_found",
        "cannot_connect",
        "unknown",
        "invalid_account_number",
        "no_meters_selected",
        "history_from_future",
        "invalid_mpan",
        "invalid_serial",
    ):
        assert f"{prefix}.error.{error}" in translations
    for reason in ("already_configured", "reauth_successful", "reconfigure_successful"):
        assert f"{prefix}.abort.{reason}" in translations
    assert f"{prefix}.abort.wrong_account" in translations
    # The history choice, its date step, and the day-late notice at the end of the set-up.
    assert (
        "{agreement_start}"
        in translations[f"{prefix}.step.history_date.data_description.history_from"]
    )
    assert "a day late" in translations[f"{prefix}.create_entry.default"]
    assert "a day late" in translations[f"{prefix}.step.meters.description"]
    selectors = await async_get_translations(hass, "en", "selector", [DOMAIN])
    for choice in ("all", "agreement", "date"):
        assert f"component.{DOMAIN}.selector.history.options.{choice}" in selectors
    exceptions = await async_get_translations(hass, "en", "exceptions", [DOMAIN])
    for error in (
        OctopusError,
        OctopusAuthError,
        OctopusConnectionError,
        OctopusNotFoundError,
        OctopusResponseError,
    ):
        assert f"component.{DOMAIN}.exceptions.{error.translation_key}.message" in exceptions


def _form(result: Any) -> dict[str, Any]:
    """A form as the frontend receives it: step, serialized schema, placeholders, errors."""
    schema = probatio.to_field_list(result["data_schema"], custom_serializer=cv.custom_serializer)
    return {
        "step_id": result["step_id"],
        "data_schema": schema,
        "description_placeholders": result["description_placeholders"],
        "errors": result["errors"],
    }


async def test_forms_snapshot(
    hass: HomeAssistant, mock_setup_entry: AsyncMock, snapshot: SnapshotAssertion
) -> None:
    """The account and meters forms as the frontend renders them (fields, selectors, help)."""
    result = await hass.config_entries.flow.async_init(DOMAIN, context={"source": SOURCE_USER})
    assert _form(result) == snapshot(name="user")
    result = await start_user(hass)
    assert _form(result) == snapshot(name="meters")
    result = await hass.config_entries.flow.async_configure(result["flow_id"], {CONF_METERS: []})
    assert result["errors"]
    assert _form(result) == snapshot(name="meters_none_chosen")
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {CONF_METERS: [IMPORT_KEY], CONF_HISTORY: "date"}
    )
    assert _form(result) == snapshot(name="history_date")


async def test_gas_meter_is_offered_and_stored_with_its_unit(
    hass: HomeAssistant, mock_setup_entry: AsyncMock
) -> None:
    result = await start_user(hass)
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {CONF_METERS: [IMPORT_KEY, GAS_KEY], "gas_unit": "m3"}
    )
    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert result["data"][CONF_METERS] == [IMPORT_METER, GAS_METER]


async def test_gas_meter_reporting_kwh(hass: HomeAssistant, mock_setup_entry: AsyncMock) -> None:
    result = await start_user(hass)
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {CONF_METERS: [GAS_KEY], "gas_unit": "kwh"}
    )
    assert result["data"][CONF_METERS] == [{**GAS_METER, "unit": "kwh"}]


async def test_gas_meter_without_readings_is_refused(
    hass: HomeAssistant, mock_setup_entry: AsyncMock, fake_api: FakeOctopus
) -> None:
    fake_api.add_gas_meter("7700000003", "G4A0000003", None)
    result = await start_user(hass)
    empty_key = "7700000003/G4A0000003"
    assert empty_key in option_values(result)
    assert empty_key not in suggested(result)[CONF_METERS]
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {CONF_METERS: [IMPORT_KEY, empty_key]}
    )
    assert result["type"] is FlowResultType.FORM
    assert result["errors"] == {"base": "gas_no_readings"}
    assert placeholders(result)["meters"] == "7700000003 (gas) — G4A0000003"


async def test_manual_gas_meter(
    hass: HomeAssistant, mock_setup_entry: AsyncMock, fake_api: FakeOctopus
) -> None:
    fake_api.add_gas_meter("7700000002", "G4A0000002", "kwh")
    fake_api.add_gas_meter("7700000003", "G4A0000003", None)
    result = await start_user(hass)
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {CONF_METERS: [], "add_manual": True}
    )
    assert result["step_id"] == "manual"
    manual = {"serial": "G4A0000003", "direction": "gas", "unit": "m3"}
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {**manual, "mpan": "12"}
    )
    assert result["errors"] == {"mpan": "invalid_mprn"}
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {**manual, "mpan": "7700000003"}
    )
    assert result["errors"] == {"base": "gas_meter_no_readings"}
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"],
        {"mpan": "77 0000 0002", "serial": "G4A0000002", "direction": "gas", "unit": "kwh"},
    )
    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert result["data"][CONF_METERS] == [
        {
            "mpan": "7700000002",
            "serial": "G4A0000002",
            "direction": "import",
            "fuel": "gas",
            "unit": "kwh",
        }
    ]
