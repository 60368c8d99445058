"""Gas statistics with the real recorder: m³, kWh and cost of whole days (clock changes too),
a calorific-value edit, and a SMETS1 meter reporting kWh."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

from homeassistant.components.recorder.statistics import async_list_statistic_ids
from homeassistant.const import CONF_API_KEY
from homeassistant.core import HomeAssistant
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.octopus_viz.const import (
    CONF_ACCOUNT_NUMBER,
    CONF_HISTORY_FROM,
    CONF_METERS,
    DOMAIN,
)
from custom_components.octopus_viz.history.periods import day_bounds
from custom_components.octopus_viz.tariffs.calorific import CalorificValues
from fake_octopus import (
    DEMO_ACCOUNT_NUMBER,
    DEMO_API_KEY,
    DEMO_GAS_MPRN,
    DEMO_GAS_SERIAL,
    FakeOctopus,
)

from .conftest import settle
from .stats_helpers import day_change, half_hours, hourly_rows

GAS = f"{DOMAIN}:gas_{DEMO_GAS_MPRN}"
GAS_TARIFF = "G-1R-VAR-22-11-01-C"
SMETS1_MPRN, SMETS1_SERIAL = "7700000002", "G4A0000002"
DAYS = [date(2025, 3, 30), date(2025, 4, 1), date(2025, 10, 26), date(2025, 11, 10)]


def gas_meter(mprn: str, serial: str, unit: str) -> dict[str, str]:
    return {"mpan": mprn, "serial": serial, "direction": "import", "fuel": "gas", "unit": unit}


def gas_entry(hass: HomeAssistant, meter: dict[str, str], history_from: str) -> MockConfigEntry:
    entry = MockConfigEntry(
        domain=DOMAIN,
        title="Octopus demo",
        unique_id=DEMO_ACCOUNT_NUMBER,
        data={
            CONF_API_KEY: DEMO_API_KEY,
            CONF_ACCOUNT_NUMBER: DEMO_ACCOUNT_NUMBER,
            CONF_METERS: [meter],
            CONF_HISTORY_FROM: history_from,
        },
    )
    entry.add_to_hass(hass)
    return entry


def expected_gas_day(
    fake: FakeOctopus, mprn: str, day: date, calorific: CalorificValues | None
) -> tuple[float, float, Decimal]:
    """(reported quantity, kWh, cost in GBP) of a local day; `calorific` None: kWh reported."""
    starts = half_hours(day)
    reported = [fake.consumption_kwh(mprn, start) for start in starts]
    epochs = [int(start.timestamp()) for start in starts]
    kwh = reported if calorific is None else calorific.to_kwh(epochs, reported)
    cost = sum(
        (
            Decimal(repr(k)) * fake.unit_rate_pence(GAS_TARIFF, start) / 100
            for start, k in zip(starts, kwh, strict=True)
        ),
        Decimal(0),
    )
    return sum(reported), sum(kwh), cost


async def listed(hass: HomeAssistant) -> dict[str, Any]:
    return {s["statistic_id"]: s for s in await async_list_statistic_ids(hass)}


async def test_whole_days_of_m3_kwh_and_cost(hass: HomeAssistant, fake_api: FakeOctopus) -> None:
    entry = gas_entry(hass, gas_meter(DEMO_GAS_MPRN, DEMO_GAS_SERIAL, "m3"), "2025-03-25")
    assert await hass.config_entries.async_setup(entry.entry_id)
    await settle(hass)

    stats = await listed(hass)
    assert stats[f"{GAS}_volume"]["unit_class"] == "volume"
    assert stats[f"{GAS}_volume"]["statistics_unit_of_measurement"] == "m³"
    assert stats[f"{GAS}_energy"]["unit_class"] == "energy"
    assert stats[f"{GAS}_energy"]["statistics_unit_of_measurement"] == "kWh"
    assert stats[f"{GAS}_cost"]["unit_class"] is None
    assert stats[f"{GAS}_cost"]["statistics_unit_of_measurement"] == "GBP"
    assert stats[f"{GAS}_energy"]["name"] == f"Octopus gas {DEMO_GAS_MPRN} energy"

    for day in DAYS:
        volume, kwh, cost = expected_gas_day(fake_api, DEMO_GAS_MPRN, day, CalorificValues())
        for suffix, expected in (("volume", volume), ("energy", kwh), ("cost", float(cost))):
            states, change = await day_change(hass, f"{GAS}_{suffix}", day)
            assert states == pytest.approx(expected, abs=1e-6), (day, suffix)
            assert change == pytest.approx(expected, abs=1e-6), (day, suffix)
        # About 11.2 kWh per m³ at the default 39.5 MJ/m³.
        assert kwh == pytest.approx(volume * 11.2206, rel=1e-4)
    for day, hours in ((date(2025, 3, 30), 23), (date(2025, 10, 26), 25)):
        start, end = day_bounds(day)
        assert len(await hourly_rows(hass, f"{GAS}_energy", start, end)) == hours
        assert len(await hourly_rows(hass, f"{GAS}_volume", start, end)) == hours


async def test_calorific_edit_rewrites_energy_and_cost_from_the_first_affected_hour(
    hass: HomeAssistant, fake_api: FakeOctopus
) -> None:
    entry = gas_entry(hass, gas_meter(DEMO_GAS_MPRN, DEMO_GAS_SERIAL, "m3"), "2025-10-20")
    assert await hass.config_entries.async_setup(entry.entry_id)
    await settle(hass)
    window = (datetime(2025, 10, 20, tzinfo=UTC), datetime(2025, 11, 20, tzinfo=UTC))
    before = {
        s: await hourly_rows(hass, f"{GAS}_{s}", *window) for s in ("energy", "cost", "volume")
    }
    fake_api.reset_counts()

    ranges = [{"valid_from": "2025-11-05", "valid_to": None, "value": "40.5"}]
    hass.config_entries.async_update_entry(
        entry, options={"calorific_values": {DEMO_GAS_MPRN: ranges}}
    )
    await settle(hass)
    assert fake_api.requests == []  # converted and re-priced from the cache alone

    edit = day_bounds(date(2025, 11, 5))[0].timestamp()
    scale = 40.5 / 39.5
    after = {
        s: await hourly_rows(hass, f"{GAS}_{s}", *window) for s in ("energy", "cost", "volume")
    }
    assert after["volume"] == before["volume"]
    for kind in ("energy", "cost"):
        assert len(after[kind]) == len(before[kind])
        added = 0.0
        for old, new in zip(before[kind], after[kind], strict=True):
            if old["start"] < edit:
                assert new == old
            else:
                assert new["state"] == pytest.approx(old["state"] * scale, rel=1e-9)
                added += new["state"] - old["state"]
                assert new["sum"] == pytest.approx(old["sum"] + added, rel=1e-9)
        assert added > 0
    # The day after the edit, exactly: every half-hour at 40.5 MJ/m³.
    day = date(2025, 11, 10)
    calorific = CalorificValues.from_list(ranges)
    _, kwh, cost = expected_gas_day(fake_api, DEMO_GAS_MPRN, day, calorific)
    assert (await day_change(hass, f"{GAS}_energy", day))[0] == pytest.approx(kwh, abs=1e-6)
    assert (await day_change(hass, f"{GAS}_cost", day))[0] == pytest.approx(float(cost), abs=1e-6)

    # The same values once more: nothing to convert, nothing rewritten.
    hass.config_entries.async_update_entry(
        entry, options={"calorific_values": {DEMO_GAS_MPRN: list(ranges)}, "x": 1}
    )
    await settle(hass)
    again = {
        s: await hourly_rows(hass, f"{GAS}_{s}", *window) for s in ("energy", "cost", "volume")
    }
    assert again == after


async def test_smets1_meter_reports_kwh_and_has_no_volume(
    hass: HomeAssistant, fake_api: FakeOctopus
) -> None:
    fake_api.add_gas_meter(SMETS1_MPRN, SMETS1_SERIAL, "kwh")
    entry = gas_entry(hass, gas_meter(SMETS1_MPRN, SMETS1_SERIAL, "kwh"), "2025-10-20")
    assert await hass.config_entries.async_setup(entry.entry_id)
    await settle(hass)

    stats = await listed(hass)
    base = f"{DOMAIN}:gas_{SMETS1_MPRN}"
    assert f"{base}_energy" in stats
    assert f"{base}_cost" in stats
    assert f"{base}_volume" not in stats
    day = date(2025, 10, 26)
    reported, kwh, cost = expected_gas_day(fake_api, SMETS1_MPRN, day, None)
    assert reported == kwh
    states, change = await day_change(hass, f"{base}_energy", day)
    assert states == pytest.approx(kwh, abs=1e-6)
    assert change == pytest.approx(kwh, abs=1e-6)
    states, _ = await day_change(hass, f"{base}_cost", day)
    assert states == pytest.approx(float(cost), abs=1e-6)
    # A calorific value changes nothing for a meter that reports kWh.
    hass.config_entries.async_update_entry(
        entry,
        options={"calorific_values": {SMETS1_MPRN: [{"valid_from": "2025-01-01", "value": "45"}]}},
    )
    await settle(hass)
    assert (await day_change(hass, f"{base}_energy", day))[0] == pytest.approx(kwh, abs=1e-6)
