"""The products catalogue, product tariffs per region, meter points and the comparison families."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import aiohttp

from fake_octopus import DEMO_EXPORT_MPAN, DEMO_IMPORT_MPAN, FakeOctopus

from .conftest import follow_pages, get_json

LONDON = ZoneInfo("Europe/London")
HOUSEHOLD = {"brand": "OCTOPUS_ENERGY", "is_business": "false", "is_prepay": "false"}


def rates_path(product: str, region: str, kind: str = "standard-unit-rates") -> str:
    return f"/v1/products/{product}/electricity-tariffs/E-1R-{product}-{region}/{kind}/"


async def test_listing_filters_and_shape(session: aiohttp.ClientSession) -> None:
    rows, count, _ = await follow_pages(session, "/v1/products/", HOUSEHOLD)
    codes = [row["code"] for row in rows]
    assert count == len(codes)
    assert codes == sorted(codes)
    assert "BUS-VAR-22-11-01" not in codes
    assert "PREPAY-VAR-22-11-01" not in codes
    assert "AGILE-23-12-06" not in codes  # no longer sold
    for code in (
        "AGILE-24-10-01",
        "VAR-22-11-01",
        "GO-VAR-22-10-14",
        "INTELLI-VAR-22-10-14",
        "COSY-22-12-08",
        "FLUX-IMPORT-23-02-14",
        "FLUX-EXPORT-23-02-14",
        "SILVER-24-10-01",
        "OE-FIX-12M-25-11-05",
        "AGILE-OUTGOING-19-05-13",
        "OUTGOING-FIX-12M-19-05-13",
    ):
        assert code in codes
    tracker = next(row for row in rows if row["code"] == "SILVER-24-10-01")
    assert tracker["is_tracker"] is True
    assert tracker["direction"] == "IMPORT"
    assert "single_register_electricity_tariffs" not in tracker  # only on the product page
    _, business = await get_json(session, "/v1/products/", {"is_business": "true"})
    assert [row["code"] for row in business["results"]] == ["BUS-VAR-22-11-01"]
    _, trackers = await get_json(session, "/v1/products/", {"is_tracker": "true"})
    assert [row["code"] for row in trackers["results"]] == ["SILVER-24-10-01"]
    _, other_brand = await get_json(session, "/v1/products/", {"brand": "EBICO"})
    assert other_brand["count"] == 0


async def test_availability_windows(session: aiohttp.ClientSession) -> None:
    # Mid 2024: the older Agile was on sale, the newer one and the November 2025 fixed not yet.
    _, body = await get_json(
        session, "/v1/products/", {**HOUSEHOLD, "available_at": "2024-06-01T12:00:00Z"}
    )
    codes = {row["code"] for row in body["results"]}
    assert "AGILE-23-12-06" in codes
    assert "AGILE-24-10-01" not in codes
    assert "OE-FIX-12M-25-11-05" not in codes
    older = next(row for row in body["results"] if row["code"] == "AGILE-23-12-06")
    assert older["available_to"] == "2024-10-01T00:00:00+01:00"
    _, fixed = await get_json(session, "/v1/products/OE-FIX-12M-25-11-05/")
    assert fixed["available_from"] == "2025-11-05T00:00:00+00:00"
    status, bad = await get_json(session, "/v1/products/", {"available_at": "soon"})
    assert status == 400
    assert "available_at" in bad


async def test_listing_pages_and_hidden_products(
    fake: FakeOctopus, session: aiohttp.ClientSession
) -> None:
    rows, count, pages = await follow_pages(session, "/v1/products/", {**HOUSEHOLD, "page_size": 4})
    assert pages == -(-count // 4)
    assert len({row["code"] for row in rows}) == count
    fake.hidden_products.add("FLUX-EXPORT-23-02-14")
    rows, _, _ = await follow_pages(session, "/v1/products/", HOUSEHOLD)
    assert "FLUX-EXPORT-23-02-14" not in {row["code"] for row in rows}
    status, _ = await get_json(session, "/v1/products/FLUX-EXPORT-23-02-14/")
    assert status == 200  # still readable, as are its rates


async def test_region_tariffs_differ_and_one_region_is_missing(
    fake: FakeOctopus, session: aiohttp.ClientSession
) -> None:
    _, cosy = await get_json(session, "/v1/products/COSY-22-12-08/")
    regions = cosy["single_register_electricity_tariffs"]
    assert "_P" not in regions
    assert regions["_A"]["direct_debit_monthly"]["code"] == "E-1R-COSY-22-12-08-A"
    status, _ = await get_json(session, rates_path("COSY-22-12-08", "P"))
    assert status == 404
    at = fake.now - timedelta(days=3)
    for product in ("GO-VAR-22-10-14", "SILVER-24-10-01", "OE-FIX-12M-25-11-05", "COSY-22-12-08"):
        in_a = fake.unit_rate_pence(f"E-1R-{product}-A", at)
        in_c = fake.unit_rate_pence(f"E-1R-{product}-C", at)
        assert in_a != in_c, product


async def test_meter_points_have_a_region(
    fake: FakeOctopus, session: aiohttp.ClientSession
) -> None:
    _, body = await get_json(session, f"/v1/electricity-meter-points/{DEMO_IMPORT_MPAN}/")
    assert body == {"gsp": "_C", "mpan": DEMO_IMPORT_MPAN, "profile_class": 1}
    _, export = await get_json(session, f"/v1/electricity-meter-points/{DEMO_EXPORT_MPAN}/")
    assert export["profile_class"] == 8
    fake.gsp[DEMO_IMPORT_MPAN] = "_P"
    _, moved = await get_json(session, f"/v1/electricity-meter-points/{DEMO_IMPORT_MPAN}/")
    assert moved["gsp"] == "_P"
    status, missing = await get_json(session, "/v1/electricity-meter-points/1999999999999/")
    assert (status, missing) == (404, {"detail": "Not found."})


async def test_go_bands_follow_the_clock_change(session: aiohttp.ClientSession) -> None:
    # The low band is 00:30-05:30 local: 5 h on an ordinary BST day, 6 h over the October
    # change on 2025-10-26 (it starts in BST and ends in GMT).
    params = {"period_from": "2025-10-25T00:00:00Z", "period_to": "2025-10-27T00:00:00Z"}
    rows, _, _ = await follow_pages(session, rates_path("GO-VAR-22-10-14", "C"), params)
    by_start = {row["valid_from"]: row for row in rows}
    assert by_start["2025-10-24T23:30:00Z"]["valid_to"] == "2025-10-25T04:30:00Z"  # BST
    assert by_start["2025-10-25T23:30:00Z"]["valid_to"] == "2025-10-26T05:30:00Z"
    low = by_start["2025-10-25T23:30:00Z"]["value_exc_vat"]
    base = by_start["2025-10-26T05:30:00Z"]["value_exc_vat"]
    assert low < base / 2
    _, standing = await get_json(session, rates_path("GO-VAR-22-10-14", "C", "standing-charges"))
    assert standing["count"] > 0


async def test_intelligent_go_and_cosy_bands(session: aiohttp.ClientSession) -> None:
    params = {"period_from": "2025-11-10T00:00:00Z", "period_to": "2025-11-11T00:00:00Z"}
    rows, _, _ = await follow_pages(session, rates_path("INTELLI-VAR-22-10-14", "C"), params)
    spans = {(row["valid_from"], row["valid_to"]) for row in rows}
    assert ("2025-11-10T05:30:00Z", "2025-11-10T23:30:00Z") in spans
    rows, _, _ = await follow_pages(session, rates_path("COSY-22-12-08", "C"), params)
    prices = {row["valid_from"][11:16]: row["value_exc_vat"] for row in rows}
    assert prices["04:00"] == prices["13:00"] < prices["00:00"] < prices["16:00"]


async def test_tracker_publishes_one_rate_a_day(
    fake: FakeOctopus, session: aiohttp.ClientSession
) -> None:
    params = {"period_from": "2025-11-01T00:00:00Z", "period_to": "2025-11-08T00:00:00Z"}
    rows, count, _ = await follow_pages(session, rates_path("SILVER-24-10-01", "C"), params)
    assert count == 7
    values = {row["value_exc_vat"] for row in rows}
    assert len(values) > 1  # a new price every day
    for row in rows:
        start = datetime.fromisoformat(row["valid_from"])
        assert datetime.fromisoformat(row["valid_to"]) - start == timedelta(days=1)
        assert fake.unit_rate_pence("E-1R-SILVER-24-10-01-C", start) == Decimal(
            str(row["value_inc_vat"])
        )
    standing, _, _ = await follow_pages(
        session, rates_path("SILVER-24-10-01", "C", "standing-charges"), params
    )
    assert len(standing) == 7


async def test_fixed_starts_when_it_went_on_sale(
    fake: FakeOctopus, session: aiohttp.ClientSession
) -> None:
    _, body = await get_json(session, rates_path("OE-FIX-12M-25-11-05", "C"))
    assert body["count"] == 1
    row = body["results"][0]
    assert row["valid_from"] == "2025-11-05T00:00:00Z"
    assert row["valid_to"] is None
    before = datetime(2025, 11, 4, 23, 30, tzinfo=UTC)
    assert fake.standing_charge_pence("E-1R-OE-FIX-12M-25-11-05-C", before) is None
    on_day = datetime(2025, 11, 5, tzinfo=LONDON)
    assert fake.standing_charge_pence("E-1R-OE-FIX-12M-25-11-05-C", on_day) is not None
