"""The client's catalogue methods against the fake API: listing, product tariffs, meter points."""

from __future__ import annotations

from datetime import UTC, datetime

from homeassistant.core import HomeAssistant
from homeassistant.helpers.aiohttp_client import async_get_clientsession
import pytest

from custom_components.octopus_viz.api.client import OctopusClient
from custom_components.octopus_viz.api.errors import OctopusNotFoundError
from custom_components.octopus_viz.api.models import Direction
from fake_octopus import DEMO_API_KEY, DEMO_IMPORT_MPAN, FakeOctopus

pytestmark = pytest.mark.usefixtures("socket_enabled")


@pytest.fixture
async def client(hass: HomeAssistant, fake_api: FakeOctopus) -> OctopusClient:
    return OctopusClient(async_get_clientsession(hass), DEMO_API_KEY)


async def test_products_of_a_household(client: OctopusClient, fake_api: FakeOctopus) -> None:
    products = await client.async_list_products()
    codes = {p.code: p for p in products}
    assert "BUS-VAR-22-11-01" not in codes
    assert "PREPAY-VAR-22-11-01" not in codes
    assert codes["AGILE-OUTGOING-19-05-13"].direction is Direction.EXPORT
    assert codes["SILVER-24-10-01"].is_tracker
    fixed = codes["OE-FIX-12M-25-11-05"]
    assert fixed.term == 12
    assert not fixed.is_variable
    assert fixed.available_from == datetime(2025, 11, 5, tzinfo=UTC)
    query = fake_api.requests[-1].query
    assert (query["brand"], query["is_business"], query["is_prepay"]) == (
        "OCTOPUS_ENERGY",
        "false",
        "false",
    )
    earlier = await client.async_list_products(datetime(2024, 6, 1, tzinfo=UTC))
    assert "AGILE-23-12-06" in {p.code for p in earlier}
    assert fake_api.requests[-1].query["available_at"] == "2024-06-01T00:00:00Z"


async def test_product_tariffs_per_region(client: OctopusClient) -> None:
    flexible = await client.async_get_product_details("VAR-22-11-01")
    assert flexible.info.display_name == "Flexible Octopus"
    assert set(flexible.tariffs["C"]) == {"direct_debit_monthly", "varying"}
    assert flexible.tariff_code("C") == "E-1R-VAR-22-11-01-C"
    assert flexible.tariff_code("A") == "E-1R-VAR-22-11-01-A"
    cosy = await client.async_get_product_details("COSY-22-12-08")
    assert cosy.tariff_code("P") is None
    with pytest.raises(OctopusNotFoundError):
        await client.async_get_product_details("NOPE-00-00-00")


async def test_meter_point_region(client: OctopusClient, fake_api: FakeOctopus) -> None:
    point = await client.async_get_meter_point(DEMO_IMPORT_MPAN)
    assert (point.mpan, point.region, point.profile_class) == (DEMO_IMPORT_MPAN, "C", 1)
    fake_api.gsp[DEMO_IMPORT_MPAN] = "_A"
    assert (await client.async_get_meter_point(DEMO_IMPORT_MPAN)).region == "A"
    with pytest.raises(OctopusNotFoundError):
        await client.async_get_meter_point("1999999999999")
