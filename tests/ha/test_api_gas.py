"""The client's gas calls against the fake API: meter points, m³ readings, gas rates."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal
import itertools

from homeassistant.core import HomeAssistant
from homeassistant.helpers.aiohttp_client import async_get_clientsession
import pytest

from custom_components.octopus_viz.api.client import OctopusClient
from custom_components.octopus_viz.api.errors import OctopusNotFoundError
from custom_components.octopus_viz.api.models import Fuel
from fake_octopus import (
    DEMO_ACCOUNT_NUMBER,
    DEMO_API_KEY,
    DEMO_GAS_MPRN,
    DEMO_GAS_SERIAL,
    FakeOctopus,
)

pytestmark = pytest.mark.usefixtures("socket_enabled")

GAS_TARIFF = "G-1R-VAR-22-11-01-C"


@pytest.fixture
async def client(hass: HomeAssistant, fake_api: FakeOctopus) -> OctopusClient:
    return OctopusClient(async_get_clientsession(hass), DEMO_API_KEY)


async def test_account_lists_the_gas_meter_point(client: OctopusClient) -> None:
    account = await client.async_get_account(DEMO_ACCOUNT_NUMBER)
    prop = account.current_property
    assert prop is not None
    (point,) = prop.gas_meter_points
    assert point.mprn == DEMO_GAS_MPRN
    assert [m.serial_number for m in point.meters] == [DEMO_GAS_SERIAL]
    assert point.agreements[0].tariff_code == GAS_TARIFF
    assert point.agreements[0].valid_from == datetime(2023, 1, 15, tzinfo=UTC)
    assert point.agreements[0].valid_to is None
    # The old property has no gas.
    assert all(not p.gas_meter_points for p in account.properties if p is not prop)


async def test_gas_readings_in_one_request_like_electricity(
    client: OctopusClient, fake_api: FakeOctopus
) -> None:
    start, end = datetime(2024, 11, 1, tzinfo=UTC), datetime(2025, 11, 1, tzinfo=UTC)
    readings = await client.async_get_consumption(
        DEMO_GAS_MPRN, DEMO_GAS_SERIAL, start, end, fuel=Fuel.GAS
    )
    assert fake_api.count("/v1/gas-meter-points/") == 1
    assert fake_api.count("/v1/electricity-meter-points/") == 0
    assert len(readings) == 365 * 48
    assert readings.starts[0] == start.timestamp()
    assert all(b - a == 1800 for a, b in itertools.pairwise(readings.starts))
    winter = datetime(2025, 1, 10, 7, tzinfo=UTC)
    by_start = dict(zip(readings.starts, readings.kwh, strict=True))
    # The column holds what the meter reports: cubic metres for this SMETS2 meter.
    assert by_start[int(winter.timestamp())] == fake_api.consumption_kwh(DEMO_GAS_MPRN, winter)


async def test_latest_gas_reading_and_an_empty_meter(
    client: OctopusClient, fake_api: FakeOctopus
) -> None:
    fake_api.add_gas_meter("7700000003", "G4A0000003", None)
    latest = await client.async_get_latest_reading_start(DEMO_GAS_MPRN, DEMO_GAS_SERIAL, Fuel.GAS)
    assert latest == datetime(2025, 11, 19, 23, 30, tzinfo=UTC)
    assert await client.async_get_latest_reading_start("7700000003", "G4A0000003", Fuel.GAS) is None
    with pytest.raises(OctopusNotFoundError):
        await client.async_get_latest_reading_start(DEMO_GAS_MPRN, DEMO_GAS_SERIAL)


async def test_gas_rates_come_from_the_gas_tariffs_path(
    client: OctopusClient, fake_api: FakeOctopus
) -> None:
    start, end = datetime(2024, 1, 1, tzinfo=UTC), datetime(2025, 1, 1, tzinfo=UTC)
    rates = await client.async_get_unit_rates("VAR-22-11-01", GAS_TARIFF, "standard", start, end)
    standing = await client.async_get_standing_charges("VAR-22-11-01", GAS_TARIFF, start, end)
    assert all("/gas-tariffs/" in r.path for r in fake_api.requests if "tariffs" in r.path)
    assert len(rates) == len(standing) == 8
    may = int(datetime(2024, 5, 1, tzinfo=UTC).timestamp())
    (in_may,) = [
        inc
        for _exc, inc, row_start, row_end, method in rates
        if method == "DIRECT_DEBIT" and row_start is not None and row_start <= may
        if row_end is None or may < row_end
    ]
    assert Decimal(in_may) == Decimal("6.04")  # pence per kWh inc VAT
    # Electricity unit rates of the same product are another tariff entirely.
    electricity = await client.async_get_unit_rates(
        "VAR-22-11-01", "E-1R-VAR-22-11-01-C", "standard", start, end
    )
    assert {r[1] for r in electricity}.isdisjoint({r[1] for r in rates})
