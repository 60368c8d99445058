"""Diagnostics: what support needs, without the key, the account or the meters' identity."""

from __future__ import annotations

import json
from typing import Any

from homeassistant.core import HomeAssistant
from pytest_homeassistant_custom_component.common import MockConfigEntry
from pytest_homeassistant_custom_component.components.diagnostics import (
    get_diagnostics_for_config_entry,
)
from pytest_homeassistant_custom_component.typing import ClientSessionGenerator
from syrupy.assertion import SnapshotAssertion
from syrupy.filters import props

from custom_components.octopus_viz.const import DOMAIN
from custom_components.octopus_viz.tariffs.keys import (
    CONF_CUSTOM_TARIFFS,
    CONF_TARIFF_SOURCE,
    TARIFF_SOURCE_ACCOUNT,
    TARIFF_SOURCE_CUSTOM,
)
from fake_octopus import (
    DEMO_ACCOUNT_NUMBER,
    DEMO_API_KEY,
    DEMO_EXPORT_MPAN,
    DEMO_IMPORT_MPAN,
    DEMO_SERIAL,
    FakeOctopus,
)

from .conftest import HISTORY_FROM, entry_data, settle

SECRETS = (
    DEMO_API_KEY,
    DEMO_ACCOUNT_NUMBER,
    DEMO_IMPORT_MPAN,
    DEMO_EXPORT_MPAN,
    DEMO_SERIAL,
    "My home",  # the title
)
REDACTED = "**REDACTED**"
# 2025-10-20 .. 2025-11-19 local days: 31 days, one of them (2025-10-26) with 50 half-hours.
CACHED_HALF_HOURS = 31 * 48 + 2


async def _loaded(hass: HomeAssistant, **options: Any) -> MockConfigEntry:
    entry = MockConfigEntry(
        domain=DOMAIN,
        title="My home",
        unique_id=DEMO_ACCOUNT_NUMBER,
        data=entry_data(),
        options=options,
    )
    entry.add_to_hass(hass)
    assert await hass.config_entries.async_setup(entry.entry_id)
    await settle(hass)
    return entry


def _assert_no_secret(diagnostics: dict[str, Any]) -> None:
    text = json.dumps(diagnostics)
    for secret in SECRETS:
        assert secret not in text, secret


async def test_diagnostics_are_useful_and_redacted(
    hass: HomeAssistant,
    fake_api: FakeOctopus,
    hass_client: ClientSessionGenerator,
    snapshot: SnapshotAssertion,
) -> None:
    """Settings, cache and pricing state per meter; nothing identifying."""
    entry = await _loaded(hass)
    diagnostics = await get_diagnostics_for_config_entry(hass, hass_client, entry)
    assert isinstance(diagnostics, dict)
    _assert_no_secret(diagnostics)
    # The whole answer, as support would read it (ids and timestamps of the test run aside).
    assert diagnostics == snapshot(exclude=props("entry_id", "created_at", "modified_at"))

    saved = diagnostics["entry"]
    assert saved["domain"] == DOMAIN
    assert saved["title"] == saved["unique_id"] == REDACTED
    assert saved["data"]["api_key"] == saved["data"]["account_number"] == REDACTED
    assert saved["data"]["history_from"] == HISTORY_FROM
    assert [m["direction"] for m in saved["data"]["meters"]] == ["import", "export"]
    assert diagnostics["last_update_success"] is True
    assert diagnostics["last_exception"] is None
    meters = diagnostics["meters"]
    assert [(m["meter"], m["direction"]) for m in meters] == [(0, "import"), (1, "export")]
    for meter in meters:
        assert meter["half_hours_cached"] == CACHED_HALF_HOURS
        assert meter["data_until"] == "2025-11-20T00:00:00+00:00"
        assert meter["tariff_source"] == TARIFF_SOURCE_ACCOUNT
        assert meter["tariff_error"] is None
        assert meter["tariff_version"] >= 1
        assert meter["tariffs"]
        assert meter["unpriced_half_hours"] == 0
    assert meters[0]["agreements"] == [
        "E-1R-VAR-22-11-01-C",
        "E-1R-FLUX-IMPORT-23-02-14-C",
        "E-1R-AGILE-24-10-01-C",
    ]

    # After a failed update, the kind of failure (not its text) is reported.
    fake_api.fail("server_error", times=100)
    await entry.runtime_data.async_refresh()
    await settle(hass)
    diagnostics = await get_diagnostics_for_config_entry(hass, hass_client, entry)
    assert isinstance(diagnostics, dict)
    assert diagnostics["last_update_success"] is False
    assert diagnostics["last_exception"] == "UpdateFailed"


async def test_diagnostics_redact_meters_in_options(
    hass: HomeAssistant, fake_api: FakeOctopus, hass_client: ClientSessionGenerator
) -> None:
    """The options flow keys each meter's tariff source by MPAN: those keys are personal too."""
    flat = {
        "name": "Flat 30p",
        "unit": "electricity_importing_kwh",
        "currency": "GBP",
        "rates": [{"interval_start": "00:00", "interval_end": "24:00", "rate": 0.30}],
    }
    entry = await _loaded(
        hass,
        **{
            CONF_TARIFF_SOURCE: {
                DEMO_IMPORT_MPAN: TARIFF_SOURCE_CUSTOM,
                DEMO_EXPORT_MPAN: TARIFF_SOURCE_ACCOUNT,
            },
            CONF_CUSTOM_TARIFFS: [flat],
        },
    )
    diagnostics = await get_diagnostics_for_config_entry(hass, hass_client, entry)
    assert isinstance(diagnostics, dict)
    _assert_no_secret(diagnostics)
    assert diagnostics["entry"]["options"][CONF_TARIFF_SOURCE] == REDACTED
    # Which tariff source each meter uses is still there, by meter number.
    meters = diagnostics["meters"]
    assert meters[0]["tariff_source"] == TARIFF_SOURCE_CUSTOM
    assert meters[0]["tariffs"] == ["Flat 30p"]
    assert meters[1]["tariff_source"] == TARIFF_SOURCE_ACCOUNT
