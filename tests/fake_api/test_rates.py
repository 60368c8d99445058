"""Products and rate endpoints: shapes, pagination, payment methods, Flux bands, Agile edge."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal
import json
from typing import Any

import aiohttp
import pytest

from fake_octopus import FakeOctopus

from .conftest import NOW, follow_pages, get_json

VAR_C = "/v1/products/VAR-22-11-01/electricity-tariffs/E-1R-VAR-22-11-01-C"
VAR_2R_C = "/v1/products/VAR-22-11-01/electricity-tariffs/E-2R-VAR-22-11-01-C"
FLUX_IN = "/v1/products/FLUX-IMPORT-23-02-14/electricity-tariffs/E-1R-FLUX-IMPORT-23-02-14-C"
FLUX_OUT = "/v1/products/FLUX-EXPORT-23-02-14/electricity-tariffs/E-1R-FLUX-EXPORT-23-02-14-C"
AGILE = "/v1/products/AGILE-24-10-01/electricity-tariffs/E-1R-AGILE-24-10-01-C"
AGILE_OUT = (
    "/v1/products/AGILE-OUTGOING-19-05-13/electricity-tariffs/E-1R-AGILE-OUTGOING-19-05-13-C"
)
FIXED_OUT = (
    "/v1/products/OUTGOING-FIX-12M-19-05-13/electricity-tariffs/E-1R-OUTGOING-FIX-12M-19-05-13-C"
)
REGIONS = "ABCDEFGHJKLMNP"


def z(text: str) -> datetime:
    assert text.endswith("Z"), text  # rate timestamps are always UTC with Z
    return datetime.fromisoformat(text)


def vat(row: dict[str, Any]) -> Decimal:
    exc = Decimal(str(row["value_exc_vat"]))
    return (exc * Decimal("1.05")).quantize(Decimal("0.0001"), rounding=ROUND_HALF_UP)


async def test_unknown_product_and_tariff_are_404(session: aiohttp.ClientSession) -> None:
    for path in (
        "/v1/products/NOPE-00-00-00/",
        "/v1/products/NOPE-00-00-00/electricity-tariffs/E-1R-NOPE-00-00-00-C/standard-unit-rates/",
        f"{VAR_C}/day-unit-rates/",  # single register: no day/night
        f"{VAR_2R_C}/standard-unit-rates/",  # economy 7: no standard rate
        f"{AGILE}/weekend-rates/",
        "/v1/products/AGILE-24-10-01/electricity-tariffs/E-1R-VAR-22-11-01-C/standard-unit-rates/",
        "/v1/products/AGILE-24-10-01/electricity-tariffs/E-1R-AGILE-24-10-01-I/standard-unit-rates/",
        "/v1/products/AGILE-24-10-01/electricity-tariffs/E-2R-AGILE-24-10-01-C/standing-charges/",
    ):
        status, body = await get_json(session, path)
        assert status == 404, path
        assert body == {"detail": "Not found."}


async def test_product_shape_and_links(fake: FakeOctopus, session: aiohttp.ClientSession) -> None:
    status, body = await get_json(session, "/v1/products/VAR-22-11-01/")
    assert status == 200
    assert body["code"] == "VAR-22-11-01"
    assert body["is_variable"] is True
    for key in ("full_name", "display_name", "description", "term", "brand", "available_from"):
        assert key in body
    single = body["single_register_electricity_tariffs"]
    dual = body["dual_register_electricity_tariffs"]
    assert list(single) == [f"_{region}" for region in REGIONS]
    assert list(dual) == [f"_{region}" for region in REGIONS]
    direct = single["_C"]["direct_debit_monthly"]
    assert direct["code"] == "E-1R-VAR-22-11-01-C"
    assert direct["standard_unit_rate_inc_vat"] == float(
        fake.unit_rate_pence("E-1R-VAR-22-11-01-C", NOW)
    )
    assert single["_C"]["varying"]["standard_unit_rate_exc_vat"] == pytest.approx(
        direct["standard_unit_rate_exc_vat"] + 1.5
    )
    assert "day_unit_rate_inc_vat" in dual["_A"]["direct_debit_monthly"]
    links = {link["rel"]: link["href"] for link in direct["links"]}
    assert set(links) == {"standard_unit_rates", "standing_charges"}
    assert links["standard_unit_rates"].startswith(fake.url)
    status, rates = await get_json(session, links["standard_unit_rates"])
    assert status == 200
    assert rates["count"] > 0

    status, agile = await get_json(session, "/v1/products/AGILE-24-10-01/")
    assert agile["dual_register_electricity_tariffs"] == {}
    assert list(agile["single_register_electricity_tariffs"]["_C"]) == ["direct_debit_monthly"]


async def test_variable_rows_are_quarterly_with_both_payment_methods(
    session: aiohttp.ClientSession,
) -> None:
    rows, count, _ = await follow_pages(session, f"{VAR_C}/standard-unit-rates/")
    assert count == len(rows) == 2 * 13  # 2022 Q4 to 2025 Q4, DD and non-DD each
    assert {row["payment_method"] for row in rows} == {"DIRECT_DEBIT", "NON_DIRECT_DEBIT"}
    assert rows[0]["valid_to"] is None  # newest first, open-ended
    assert rows[-1]["valid_from"] is None  # the oldest row has no start
    by_period: dict[tuple[Any, Any], dict[str, float]] = {}
    for row in rows:
        assert Decimal(str(row["value_inc_vat"])) == vat(row)
        by_period.setdefault((row["valid_from"], row["valid_to"]), {})[row["payment_method"]] = row[
            "value_exc_vat"
        ]
    for prices in by_period.values():
        assert prices["NON_DIRECT_DEBIT"] == pytest.approx(prices["DIRECT_DEBIT"] + 1.5)
    starts = {row["valid_from"] for row in rows}
    # Quarters change at UK local midnight: 00:00Z in January, 23:00Z the day before in April.
    assert "2025-01-01T00:00:00Z" in starts
    assert "2025-03-31T23:00:00Z" in starts
    assert "2025-09-30T23:00:00Z" in starts


async def test_period_filter_returns_overlapping_rows(session: aiohttp.ClientSession) -> None:
    params = {"period_from": "2025-03-31T22:00:00Z", "period_to": "2025-04-01T00:00:00Z"}
    _, body = await get_json(session, f"{VAR_C}/standard-unit-rates/", params)
    # The period straddles the April change: both quarters, both payment methods.
    assert body["count"] == 4
    assert {row["valid_from"] for row in body["results"]} == {
        "2025-01-01T00:00:00Z",
        "2025-03-31T23:00:00Z",
    }


async def test_economy7_day_and_night_and_standing_charges(session: aiohttp.ClientSession) -> None:
    _, day = await get_json(session, f"{VAR_2R_C}/day-unit-rates/")
    _, night = await get_json(session, f"{VAR_2R_C}/night-unit-rates/")
    _, standing = await get_json(session, f"{VAR_2R_C}/standing-charges/")
    assert day["count"] == night["count"] == standing["count"] == 26
    assert night["results"][0]["value_exc_vat"] < day["results"][0]["value_exc_vat"]
    assert {row["payment_method"] for row in standing["results"]} == {
        "DIRECT_DEBIT",
        "NON_DIRECT_DEBIT",
    }


async def test_agile_pagination_cap_and_no_duplicates(session: aiohttp.ClientSession) -> None:
    params = {"period_from": "2025-09-01T00:00:00Z", "page_size": 5000}
    rows, count, pages = await follow_pages(session, f"{AGILE}/standard-unit-rates/", params)
    assert pages == -(-count // 1500)
    assert len(rows) == count
    starts = [z(row["valid_from"]) for row in rows]
    assert starts == sorted(set(starts), reverse=True)  # newest first, no duplicates
    assert all(z(r["valid_to"]) - z(r["valid_from"]) == timedelta(minutes=30) for r in rows)
    assert {row["payment_method"] for row in rows} == {None}
    assert all(Decimal(str(row["value_inc_vat"])) == vat(row) for row in rows)


@pytest.mark.parametrize(
    ("now", "last_end"),
    [
        # 15:59 GMT: prices run to 23:00 today.
        (datetime(2025, 11, 20, 15, 59, tzinfo=UTC), datetime(2025, 11, 20, 23, 0, tzinfo=UTC)),
        # 16:00 GMT: tomorrow's prices are out.
        (datetime(2025, 11, 20, 16, 0, tzinfo=UTC), datetime(2025, 11, 21, 23, 0, tzinfo=UTC)),
        # 15:30 UTC is 16:30 BST: published, to 23:00 BST = 22:00Z tomorrow.
        (datetime(2025, 7, 10, 15, 30, tzinfo=UTC), datetime(2025, 7, 11, 22, 0, tzinfo=UTC)),
        (datetime(2025, 7, 10, 14, 59, tzinfo=UTC), datetime(2025, 7, 10, 22, 0, tzinfo=UTC)),
    ],
)
async def test_agile_publication_edge(
    fake: FakeOctopus, session: aiohttp.ClientSession, now: datetime, last_end: datetime
) -> None:
    fake.now = now
    _, body = await get_json(session, f"{AGILE}/standard-unit-rates/", {"page_size": 1})
    assert z(body["results"][0]["valid_to"]) == last_end
    last_start = last_end - timedelta(minutes=30)
    assert fake.unit_rate_pence("E-1R-AGILE-24-10-01-C", last_start) == Decimal(
        str(body["results"][0]["value_inc_vat"])
    )
    with pytest.raises(LookupError):
        fake.unit_rate_pence("E-1R-AGILE-24-10-01-C", last_end)
    _, outgoing = await get_json(session, f"{AGILE_OUT}/standard-unit-rates/", {"page_size": 1})
    assert z(outgoing["results"][0]["valid_to"]) == last_end


async def test_agile_standing_charges_daily_and_exports_have_none(
    fake: FakeOctopus, session: aiohttp.ClientSession
) -> None:
    _, body = await get_json(session, f"{AGILE}/standing-charges/", {"page_size": 3})
    newest = body["results"][0]
    assert newest["valid_from"] == "2025-11-20T00:00:00Z"
    assert newest["valid_to"] == "2025-11-21T00:00:00Z"
    assert fake.standing_charge_pence("E-1R-AGILE-24-10-01-C", NOW) == Decimal(
        str(newest["value_inc_vat"])
    )
    for path in (AGILE_OUT, FLUX_OUT, FIXED_OUT):
        _, none = await get_json(session, f"{path}/standing-charges/")
        assert none == {"count": 0, "next": None, "previous": None, "results": []}
    assert fake.standing_charge_pence("E-1R-AGILE-OUTGOING-19-05-13-C", NOW) is None
    _, flux_sc = await get_json(session, f"{FLUX_IN}/standing-charges/")
    assert flux_sc["count"] > 0


async def test_outgoing_fixed_is_one_open_row(
    fake: FakeOctopus, session: aiohttp.ClientSession
) -> None:
    _, body = await get_json(session, f"{FIXED_OUT}/standard-unit-rates/")
    assert body["count"] == 1
    row = body["results"][0]
    assert row["value_exc_vat"] == 15.0
    assert row["valid_to"] is None
    tariff = "E-1R-OUTGOING-FIX-12M-19-05-13-C"
    assert fake.unit_rate_pence(tariff, datetime(2023, 6, 1, tzinfo=UTC)) == Decimal("15.75")


async def test_flux_bands_are_local_across_clock_change(session: aiohttp.ClientSession) -> None:
    params = {
        "period_from": "2025-03-29T00:00:00Z",
        "period_to": "2025-03-31T00:00:00+01:00",
        "page_size": 1500,
    }
    _, body = await get_json(session, f"{FLUX_IN}/standard-unit-rates/", params)
    rows = sorted(body["results"], key=lambda row: row["valid_from"])
    bands = [(row["valid_from"][5:16], row["valid_to"][5:16]) for row in rows]
    assert bands == [
        # Saturday (GMT): local bands are UTC bands.
        ("03-29T00:00", "03-29T02:00"),
        ("03-29T02:00", "03-29T05:00"),
        ("03-29T05:00", "03-29T16:00"),
        ("03-29T16:00", "03-29T19:00"),
        ("03-29T19:00", "03-30T00:00"),
        # Sunday: clocks go forward at 01:00Z, so 02:00 local is 01:00Z and the first band is short.
        ("03-30T00:00", "03-30T01:00"),
        ("03-30T01:00", "03-30T04:00"),
        ("03-30T04:00", "03-30T15:00"),
        ("03-30T15:00", "03-30T18:00"),
        ("03-30T18:00", "03-30T23:00"),
    ]
    base, low, _, peak, _ = (Decimal(str(row["value_inc_vat"])) for row in rows[:5])
    assert low < base < peak
    assert {row["payment_method"] for row in rows} == {None}


async def test_flux_export_pays_less_and_summer_low_band_is_0100z(
    session: aiohttp.ClientSession,
) -> None:
    params = {"period_from": "2024-06-10T23:00:00Z", "period_to": "2024-06-11T23:00:00Z"}
    _, imports = await get_json(session, f"{FLUX_IN}/standard-unit-rates/", params)
    _, exports = await get_json(session, f"{FLUX_OUT}/standard-unit-rates/", params)
    low_in = next(r for r in imports["results"] if r["valid_from"] == "2024-06-11T01:00:00Z")
    low_out = next(r for r in exports["results"] if r["valid_from"] == "2024-06-11T01:00:00Z")
    assert low_in["valid_to"] == "2024-06-11T04:00:00Z"
    assert low_in["value_inc_vat"] == pytest.approx(18.432, abs=0.1)
    assert low_out["value_inc_vat"] == pytest.approx(7.432, abs=0.1)
    peak_in = next(r for r in imports["results"] if r["valid_from"] == "2024-06-11T15:00:00Z")
    assert peak_in["value_inc_vat"] == pytest.approx(43.008, abs=0.1)


async def test_bad_period_is_400(session: aiohttp.ClientSession) -> None:
    status, body = await get_json(session, f"{AGILE}/standard-unit-rates/", {"period_from": "soon"})
    assert status == 400
    assert body == {"period_from": ["Enter a valid date/time."]}


def test_rate_helpers_validate() -> None:
    fake = FakeOctopus(now=NOW)
    with pytest.raises(LookupError, match="unknown tariff"):
        fake.unit_rate_pence("E-1R-NOPE-C", NOW)
    with pytest.raises(LookupError, match="day and night"):
        fake.unit_rate_pence("E-2R-VAR-22-11-01-C", NOW)
    # Before the product: nothing in force.
    with pytest.raises(LookupError):
        fake.unit_rate_pence("E-1R-AGILE-24-10-01-C", datetime(2024, 1, 1, tzinfo=UTC))
    variable = fake.unit_rate_pence("E-1R-VAR-22-11-01-C", datetime(2024, 7, 1, 12, tzinfo=UTC))
    assert variable == Decimal("22.36")  # the July 2024 price cap, direct debit


def test_rate_values_are_json_numbers_that_round_trip() -> None:
    fake = FakeOctopus(now=NOW)
    value = fake.unit_rate_pence("E-1R-FLUX-IMPORT-23-02-14-C", NOW)
    assert Decimal(json.dumps(float(value))) == value


async def test_rates_invalid_page_is_404(session: aiohttp.ClientSession) -> None:
    status, body = await get_json(session, f"{FIXED_OUT}/standard-unit-rates/", {"page": 2})
    assert status == 404
    assert body == {"detail": "Invalid page."}


async def test_prices_continue_after_the_known_quarters(
    fake: FakeOctopus, session: aiohttp.ClientSession
) -> None:
    fake.now = datetime(2027, 2, 1, 12, tzinfo=UTC)
    rows, count, _ = await follow_pages(session, f"{VAR_C}/standard-unit-rates/")
    assert count == len(rows) == 2 * 18  # 2022 Q4 to 2027 Q1
    later = {row["valid_from"]: row["value_exc_vat"] for row in rows}
    assert 20 < later["2026-03-31T23:00:00Z"] < 30
    assert later["2026-03-31T23:00:00Z"] != later["2026-06-30T23:00:00Z"]


async def test_product_before_any_rate_shows_null_prices(
    fake: FakeOctopus, session: aiohttp.ClientSession
) -> None:
    fake.now = datetime(2024, 1, 1, 12, tzinfo=UTC)  # before Agile 24-10-01 existed
    _, body = await get_json(session, "/v1/products/AGILE-24-10-01/")
    direct = body["single_register_electricity_tariffs"]["_C"]["direct_debit_monthly"]
    assert direct["standard_unit_rate_inc_vat"] is None
    _, rates = await get_json(session, f"{AGILE}/standard-unit-rates/")
    assert rates["count"] == 0
