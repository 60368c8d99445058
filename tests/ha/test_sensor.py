"""Sensors: entities, devices, translated names, values on known data, rates, availability.

The clock is frozen at the fake API's "now" (2025-11-20 12:00 UTC) before the entry is set
up, so "yesterday" is 2025-11-19, the last day with readings. Home Assistant's own time zone
stays the test default (US/Pacific): every period here is a Europe/London day, which the
roll-over check at London midnight proves.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime, timedelta
from decimal import Decimal
from unittest.mock import PropertyMock, patch

from freezegun.api import FrozenDateTimeFactory
from homeassistant.const import STATE_UNAVAILABLE, STATE_UNKNOWN, EntityCategory
from homeassistant.core import HomeAssistant
from homeassistant.helpers import device_registry as dr, entity_registry as er
import pytest
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
    async_fire_time_changed,
    snapshot_platform,
)
from syrupy.assertion import SnapshotAssertion

from custom_components.octopus_viz.api.local_time import local_midnight
from custom_components.octopus_viz.const import DOMAIN
from custom_components.octopus_viz.history.periods import iter_dates
from fake_octopus import (
    DEMO_ACCOUNT_NUMBER,
    DEMO_EXPORT_MPAN,
    DEMO_IMPORT_MPAN,
    DEMO_SERIAL,
    FakeOctopus,
)

from .conftest import FAKE_NOW, entry_data, settle
from .stats_helpers import expected_day, tariff_code_at

IMPORT_AGILE = "E-1R-AGILE-24-10-01-C"
EXPORT_AGILE = "E-1R-AGILE-OUTGOING-19-05-13-C"
YESTERDAY = date(2025, 11, 19)
THIS_WEEK = (date(2025, 11, 17), date(2025, 11, 19))  # Monday to yesterday (today has no data)
THIS_MONTH = (date(2025, 11, 1), date(2025, 11, 19))
LAST_WEEK = (date(2025, 11, 10), date(2025, 11, 16))
LAST_MONTH_WITH_DATA = (date(2025, 10, 20), date(2025, 10, 31))  # history starts 2025-10-20
PERIODS = ("yesterday", "this_week", "last_week", "this_month", "last_month", "this_year")
ENABLED_PERIODS = {"yesterday", "this_week", "this_month"}
METERS = ((DEMO_IMPORT_MPAN, "import", "cost"), (DEMO_EXPORT_MPAN, "export", "revenue"))
RATE_KEYS = ("current_rate", "next_rate", "next_rate_change")


@pytest.fixture
def all_enabled() -> Iterator[None]:
    """Every entity is enabled on creation, including those disabled by default."""
    with patch(
        "homeassistant.helpers.entity.Entity.entity_registry_enabled_default",
        new_callable=PropertyMock,
        return_value=True,
    ):
        yield


async def _set_up(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory, entry: MockConfigEntry
) -> None:
    freezer.move_to(FAKE_NOW)
    assert await hass.config_entries.async_setup(entry.entry_id)
    await settle(hass)


def _entity_id(hass: HomeAssistant, unique_id: str) -> str:
    entity_id = er.async_get(hass).async_get_entity_id("sensor", DOMAIN, unique_id)
    assert entity_id is not None, unique_id
    return entity_id


def _meter_id(hass: HomeAssistant, entry: MockConfigEntry, mpan: str, key: str) -> str:
    return _entity_id(hass, f"{entry.entry_id}_{mpan}_{key}")


def _account_id(hass: HomeAssistant, entry: MockConfigEntry, key: str) -> str:
    return _entity_id(hass, f"{entry.entry_id}_{key}")


def _value(hass: HomeAssistant, entity_id: str) -> float:
    state = hass.states.get(entity_id)
    assert state is not None, entity_id
    return float(state.state)


def expected_span(fake: FakeOctopus, mpan: str, first: date, last: date) -> tuple[float, Decimal]:
    """kWh and money of local days first..last from the fake's data."""
    kwh, money = 0.0, Decimal(0)
    for day in iter_dates(first, last):
        day_kwh, day_money = expected_day(fake, mpan, day)
        kwh += day_kwh
        money += day_money
    return kwh, money


def standing_span(fake: FakeOctopus, first: date, last: date) -> Decimal:
    """Import standing charges (GBP) of local days first..last (every one has readings)."""
    total = Decimal(0)
    for day in iter_dates(first, last):
        midnight = local_midnight(day)
        pence = fake.standing_charge_pence(tariff_code_at(DEMO_IMPORT_MPAN, midnight), midnight)
        assert pence is not None
        total += pence / 100
    return total


def _rate(fake: FakeOctopus, code: str, at: datetime) -> Decimal | None:
    """GBP/kWh in force at an instant, None where the fake has published nothing."""
    try:
        return fake.unit_rate_pence(code, at) / 100
    except LookupError:
        return None


def _next_change(fake: FakeOctopus, code: str, now: datetime) -> tuple[datetime, Decimal | None]:
    """First half-hour boundary after `now` where the rate differs, and the new rate."""
    current = _rate(fake, code, now)
    at = now.replace(minute=30 if now.minute >= 30 else 0, second=0) + timedelta(minutes=30)
    while (rate := _rate(fake, code, at)) == current:
        at += timedelta(minutes=30)
    return at, rate


def _assert_rates(
    hass: HomeAssistant, entry: MockConfigEntry, fake: FakeOctopus, now: datetime
) -> None:
    for mpan, code in ((DEMO_IMPORT_MPAN, IMPORT_AGILE), (DEMO_EXPORT_MPAN, EXPORT_AGILE)):
        current = _rate(fake, code, now)
        assert current is not None
        assert _value(hass, _meter_id(hass, entry, mpan, "current_rate")) == pytest.approx(
            float(current), abs=1e-9
        )
        change, rate = _next_change(fake, code, now)
        state = hass.states.get(_meter_id(hass, entry, mpan, "next_rate"))
        assert state is not None
        if rate is None:  # past the last published Agile half-hour
            assert state.state == STATE_UNKNOWN
        else:
            assert float(state.state) == pytest.approx(float(rate), abs=1e-9)
        state = hass.states.get(_meter_id(hass, entry, mpan, "next_rate_change"))
        assert state is not None
        assert datetime.fromisoformat(state.state) == change


async def test_entities_devices_and_values(
    hass: HomeAssistant,
    fake_api: FakeOctopus,
    config_entry: MockConfigEntry,
    freezer: FrozenDateTimeFactory,
) -> None:
    """Entities per meter and account with translated names, defaults and known values."""
    await _set_up(hass, freezer, config_entry)
    entity_registry = er.async_get(hass)
    device_registry = dr.async_get(hass)
    entry_id = config_entry.entry_id

    # -- devices: the account and one per meter, names translated ---------------------------
    devices = {
        next(iter(d.identifiers))[1]: d
        for d in dr.async_entries_for_config_entry(device_registry, entry_id)
    }
    assert set(devices) == {
        entry_id,
        f"{entry_id}_{DEMO_IMPORT_MPAN}",
        f"{entry_id}_{DEMO_EXPORT_MPAN}",
    }
    account = devices[entry_id]
    assert account.name == f"Octopus {DEMO_ACCOUNT_NUMBER}"
    assert account.entry_type is dr.DeviceEntryType.SERVICE
    assert (account.manufacturer, account.model) == ("Octopus Energy", "Account")
    for mpan, direction, _ in METERS:
        device = devices[f"{entry_id}_{mpan}"]
        # Found by searching "Octopus"; a physical meter, so not counted as a service.
        assert device.name == f"Octopus {direction} meter {mpan}"
        assert device.model == f"Electricity {direction} meter"
        assert device.serial_number == DEMO_SERIAL
        assert device.entry_type is None

    # -- entities: unique ids, translation keys, devices, enabled by default ----------------
    entities = {
        e.unique_id: e for e in er.async_entries_for_config_entry(entity_registry, entry_id)
    }
    expected_keys: dict[str, tuple[str, bool]] = {}  # unique id -> (device identifier, enabled)
    expected_keys[f"{entry_id}_cheapest_tariff"] = (entry_id, True)  # see test_compare.py
    for period in PERIODS:
        enabled = period in ENABLED_PERIODS
        expected_keys[f"{entry_id}_standing_charges_{period}"] = (entry_id, False)
        expected_keys[f"{entry_id}_net_{period}"] = (entry_id, enabled)
        for mpan, _, money in METERS:
            for key in (f"energy_{period}", f"{money}_{period}"):
                expected_keys[f"{entry_id}_{mpan}_{key}"] = (f"{entry_id}_{mpan}", enabled)
    for mpan, _, _ in METERS:
        for key in (*RATE_KEYS, "data_until"):
            # The next change's timestamp would write a logbook entry every half hour.
            enabled = key != "next_rate_change"
            expected_keys[f"{entry_id}_{mpan}_{key}"] = (f"{entry_id}_{mpan}", enabled)
    assert set(entities) == set(expected_keys)
    for unique_id, (device_key, enabled) in expected_keys.items():
        entity = entities[unique_id]
        assert entity.has_entity_name
        assert entity.device_id == devices[device_key].id
        assert entity.translation_key == unique_id.rsplit(f"{device_key}_", 1)[1]
        assert (entity.disabled_by is None) is enabled, unique_id
        if not enabled:
            assert entity.disabled_by is er.RegistryEntryDisabler.INTEGRATION
            assert hass.states.get(entity.entity_id) is None
    assert entities[f"{entry_id}_{DEMO_IMPORT_MPAN}_data_until"].entity_category is (
        EntityCategory.DIAGNOSTIC
    )

    # The next change's time is there for whoever enables it (the logbook test shows why not
    # by default); enabled, it is checked below like the other rates.
    for mpan, _, _ in METERS:
        change_id = _meter_id(hass, config_entry, mpan, "next_rate_change")
        entity_registry.async_update_entity(change_id, disabled_by=None)
    assert await hass.config_entries.async_reload(entry_id)
    await settle(hass)

    # -- names, units and device classes; period totals have no state class -----------------
    energy = hass.states.get("sensor.import_meter_1900000000001_energy_yesterday")
    assert energy is not None
    assert (
        energy.attributes["friendly_name"] == "Octopus import meter 1900000000001 Energy yesterday"
    )
    assert energy.attributes["unit_of_measurement"] == "kWh"
    assert energy.attributes["device_class"] == "energy"
    cost = hass.states.get("sensor.import_meter_1900000000001_cost_yesterday")
    assert cost is not None
    assert cost.attributes["unit_of_measurement"] == "GBP"
    assert cost.attributes["device_class"] == "monetary"
    revenue = hass.states.get("sensor.export_meter_1900000000002_revenue_this_month")
    assert revenue is not None
    assert (
        revenue.attributes["friendly_name"]
        == "Octopus export meter 1900000000002 Revenue this month"
    )
    net = hass.states.get("sensor.octopus_a_demo0001_net_cost_yesterday")
    assert net is not None
    assert net.attributes["friendly_name"] == "Octopus A-DEMO0001 Net cost yesterday"
    assert net.attributes["unit_of_measurement"] == "GBP"
    rate = hass.states.get("sensor.import_meter_1900000000001_current_rate")
    assert rate is not None
    assert rate.attributes["unit_of_measurement"] == "GBP/kWh"
    change = hass.states.get("sensor.export_meter_1900000000002_next_rate_change")
    assert change is not None
    assert change.attributes["device_class"] == "timestamp"
    for unique_id, (_, enabled) in expected_keys.items():
        state = hass.states.get(entities[unique_id].entity_id)
        if enabled:
            assert state is not None
            assert state.state not in (STATE_UNAVAILABLE, STATE_UNKNOWN), unique_id
            # Without a state class no statistics are compiled: never in the Energy pickers.
            assert "state_class" not in state.attributes, unique_id

    # -- values on known data ---------------------------------------------------------------
    for mpan, _, money in METERS:
        for period, (first, last) in (
            ("yesterday", (YESTERDAY, YESTERDAY)),
            ("this_week", THIS_WEEK),
            ("this_month", THIS_MONTH),
        ):
            kwh, value = expected_span(fake_api, mpan, first, last)
            got_kwh = _value(hass, _meter_id(hass, config_entry, mpan, f"energy_{period}"))
            assert got_kwh == pytest.approx(kwh, abs=5e-4), (mpan, period)
            got_money = _value(hass, _meter_id(hass, config_entry, mpan, f"{money}_{period}"))
            assert got_money == pytest.approx(float(value), abs=1e-6), (mpan, period)
    _, import_cost = expected_day(fake_api, DEMO_IMPORT_MPAN, YESTERDAY)
    _, export_revenue = expected_day(fake_api, DEMO_EXPORT_MPAN, YESTERDAY)
    standing = standing_span(fake_api, YESTERDAY, YESTERDAY)
    assert float(net.state) == pytest.approx(
        float(import_cost + standing - export_revenue), abs=1e-6
    )

    # -- attributes: the period and how far data reaches ------------------------------------
    assert energy.attributes["start"] == energy.attributes["end"] == "2025-11-19"
    assert energy.attributes["data_until"] == "2025-11-20T00:00:00+00:00"
    assert energy.attributes["complete"] is True
    assert energy.attributes["unpriced_half_hours"] == 0
    week = hass.states.get("sensor.import_meter_1900000000001_energy_this_week")
    assert week is not None
    assert (week.attributes["start"], week.attributes["end"]) == ("2025-11-17", "2025-11-20")
    assert week.attributes["complete"] is False  # today is part of the week, not metered yet
    assert net.attributes["complete"] is True

    # -- rates at the frozen instant, data freshness ----------------------------------------
    _assert_rates(hass, config_entry, fake_api, FAKE_NOW)
    until = hass.states.get("sensor.import_meter_1900000000001_data_until")
    assert until is not None
    assert until.state == "2025-11-20T00:00:00+00:00"
    assert until.attributes["device_class"] == "timestamp"

    # -- half an hour before the last published Agile rate: the next rate is not known ------
    late = datetime.fromisoformat("2025-11-20T22:30:00+00:00")
    freezer.move_to(late)
    async_fire_time_changed(hass)
    await settle(hass)
    _assert_rates(hass, config_entry, fake_api, late)
    state = hass.states.get("sensor.import_meter_1900000000001_next_rate")
    assert state is not None
    assert state.state == STATE_UNKNOWN

    # -- London midnight (16:00 in HA's zone): "yesterday" becomes 2025-11-20, no data yet ---
    freezer.move_to("2025-11-21T00:00:00+00:00")
    async_fire_time_changed(hass)
    await settle(hass)
    rolled = hass.states.get("sensor.import_meter_1900000000001_energy_yesterday")
    assert rolled is not None
    assert rolled.attributes["start"] == "2025-11-20"
    assert rolled.attributes["complete"] is False
    assert float(rolled.state) == 0.0


async def test_all_sensors_snapshot(
    hass: HomeAssistant,
    fake_api: FakeOctopus,
    freezer: FrozenDateTimeFactory,
    snapshot: SnapshotAssertion,
    all_enabled: None,
) -> None:
    """Every sensor (disabled ones enabled) matches the snapshot; key values asserted."""
    entry = MockConfigEntry(
        domain=DOMAIN,
        entry_id="01OCTOPUSVIZSENSORSNAPSHOT",  # fixed: unique ids appear in the snapshot
        title=f"Octopus {DEMO_ACCOUNT_NUMBER}",
        unique_id=DEMO_ACCOUNT_NUMBER,
        data=entry_data(),
    )
    entry.add_to_hass(hass)
    await _set_up(hass, freezer, entry)
    # Home Assistant's serializer: registry ids and state times become ANY, files in snapshots/.
    await snapshot_platform(hass, er.async_get(hass), snapshot, entry.entry_id)

    # Standing charges follow the import tariff per local day with readings.
    standing_id = _account_id(hass, entry, "standing_charges_yesterday")
    assert _value(hass, standing_id) == pytest.approx(
        float(standing_span(fake_api, YESTERDAY, YESTERDAY)), abs=1e-9
    )
    last_week = standing_span(fake_api, *LAST_WEEK)
    assert _value(hass, _account_id(hass, entry, "standing_charges_last_week")) == pytest.approx(
        float(last_week), abs=1e-9
    )
    _, cost = expected_span(fake_api, DEMO_IMPORT_MPAN, *LAST_WEEK)
    _, revenue = expected_span(fake_api, DEMO_EXPORT_MPAN, *LAST_WEEK)
    assert _value(hass, _account_id(hass, entry, "net_last_week")) == pytest.approx(
        float(cost + last_week - revenue), abs=1e-6
    )
    # Last month only has data from the history start: standing counts those days only.
    assert _value(hass, _account_id(hass, entry, "standing_charges_last_month")) == (
        pytest.approx(float(standing_span(fake_api, *LAST_MONTH_WITH_DATA)), abs=1e-9)
    )
    kwh, _ = expected_span(fake_api, DEMO_IMPORT_MPAN, *LAST_MONTH_WITH_DATA)
    month_id = _meter_id(hass, entry, DEMO_IMPORT_MPAN, "energy_last_month")
    assert _value(hass, month_id) == pytest.approx(kwh, abs=5e-4)
    month = hass.states.get(month_id)
    assert month is not None
    assert (month.attributes["start"], month.attributes["end"]) == ("2025-10-01", "2025-10-31")
    # This year holds everything fetched (2025-10-20 .. 2025-11-19).
    kwh, revenue = expected_span(fake_api, DEMO_EXPORT_MPAN, date(2025, 10, 20), YESTERDAY)
    year_id = _meter_id(hass, entry, DEMO_EXPORT_MPAN, "energy_this_year")
    assert _value(hass, year_id) == pytest.approx(kwh, abs=5e-4)
    revenue_id = _meter_id(hass, entry, DEMO_EXPORT_MPAN, "revenue_this_year")
    assert _value(hass, revenue_id) == pytest.approx(float(revenue), abs=1e-6)


async def test_unavailable_on_failure_and_when_stale(
    hass: HomeAssistant,
    fake_api: FakeOctopus,
    config_entry: MockConfigEntry,
    freezer: FrozenDateTimeFactory,
) -> None:
    """A failing update makes everything unavailable; data over 7 days old, the totals."""
    await _set_up(hass, freezer, config_entry)
    coordinator = config_entry.runtime_data
    energy_id = _meter_id(hass, config_entry, DEMO_IMPORT_MPAN, "energy_yesterday")
    net_id = _account_id(hass, config_entry, "net_yesterday")
    rate_id = _meter_id(hass, config_entry, DEMO_IMPORT_MPAN, "current_rate")
    until_id = _meter_id(hass, config_entry, DEMO_IMPORT_MPAN, "data_until")
    watched = (energy_id, net_id, rate_id, until_id)

    fake_api.fail("server_error", times=100)
    await coordinator.async_refresh()
    await settle(hass)
    assert not coordinator.last_update_success
    for entity_id in watched:
        state = hass.states.get(entity_id)
        assert state is not None
        assert state.state == STATE_UNAVAILABLE, entity_id

    fake_api.clear_faults()
    await coordinator.async_refresh()
    await settle(hass)
    assert coordinator.last_update_success
    for entity_id in watched:
        state = hass.states.get(entity_id)
        assert state is not None
        assert state.state != STATE_UNAVAILABLE, entity_id

    # Eight days on, no newer reading arrived (the fake's clock stays put): the totals are
    # unavailable, the data-until sensor still says how old the data is, and the rate sensor
    # stays available (no Agile rate is published for that day, so it is unknown).
    freezer.move_to(FAKE_NOW + timedelta(days=8))
    async_fire_time_changed(hass)
    await settle(hass)
    assert coordinator.last_update_success
    for entity_id in (energy_id, net_id):
        state = hass.states.get(entity_id)
        assert state is not None
        assert state.state == STATE_UNAVAILABLE, entity_id
    until = hass.states.get(until_id)
    assert until is not None
    assert until.state == "2025-11-20T00:00:00+00:00"
    rate = hass.states.get(rate_id)
    assert rate is not None
    assert rate.state == STATE_UNKNOWN
