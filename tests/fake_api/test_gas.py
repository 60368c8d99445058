"""Gas in the fake API: the meter point, m³/kWh readings, SMETS1 and empty meters, gas rates."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
import itertools
from zoneinfo import ZoneInfo

import aiohttp
import pytest

from fake_octopus import DEMO_GAS_MPRN, DEMO_GAS_SERIAL, FakeOctopus

from .conftest import NOW, follow_pages, get_json
from .test_consumption import local_day, parse

LONDON = ZoneInfo("Europe/London")
GAS_PATH = f"/v1/gas-meter-points/{DEMO_GAS_MPRN}/meters/{DEMO_GAS_SERIAL}/consumption/"
GAS_TARIFF = "G-1R-VAR-22-11-01-C"
RATES = f"/v1/products/VAR-22-11-01/gas-tariffs/{GAS_TARIFF}"


async def day_total(session: aiohttp.ClientSession, path: str, day: date) -> tuple[int, float]:
    rows, _, _ = await follow_pages(session, path, local_day(day))
    # The extra half hour before period_from (a quirk of the real API) is not the day's.
    start = datetime.combine(day, datetime.min.time(), tzinfo=LONDON)
    inside = [r for r in rows if parse(r["interval_start"]) >= start]
    return len(inside), sum(r["consumption"] for r in inside)


async def test_gas_pages_cover_every_half_hour_once(session: aiohttp.ClientSession) -> None:
    params = {
        "period_from": "2025-10-20T00:00:00Z",
        "period_to": "2025-11-03T00:00:00Z",
        "page_size": 101,
    }
    newest_first, count, pages = await follow_pages(session, GAS_PATH, params)
    oldest_first, _, _ = await follow_pages(session, GAS_PATH, {**params, "order_by": "period"})
    assert count == 14 * 48 + 1 == len(oldest_first)
    assert pages == -(-count // 101)
    assert newest_first == list(reversed(oldest_first))
    starts = [parse(row["interval_start"]) for row in oldest_first]
    assert all(b - a == timedelta(minutes=30) for a, b in itertools.pairwise(starts))
    # Offsets follow UK local time, as for electricity: +01:00 before the change, Z after.
    assert oldest_first[1]["interval_start"] == "2025-10-20T01:00:00+01:00"
    assert oldest_first[-1]["interval_start"] == "2025-11-02T23:30:00Z"


@pytest.mark.parametrize(
    ("day", "half_hours"),
    [(date(2025, 3, 30), 46), (date(2025, 10, 26), 50), (date(2025, 1, 10), 48)],
)
async def test_gas_local_days_have_their_half_hours(
    session: aiohttp.ClientSession, day: date, half_hours: int
) -> None:
    count, total = await day_total(session, GAS_PATH, day)
    assert count == half_hours
    assert total > 0


async def test_gas_is_high_in_winter_and_low_in_summer(session: aiohttp.ClientSession) -> None:
    winter = [(await day_total(session, GAS_PATH, date(2025, 1, d)))[1] for d in range(6, 13)]
    summer = [(await day_total(session, GAS_PATH, date(2025, 7, d)))[1] for d in range(6, 13)]
    # A heated home burns several m³ a winter day and well under one in summer.
    assert min(winter) > 3.0
    assert max(summer) < 1.2
    assert min(winter) > 4 * max(summer)


async def test_gas_readings_are_deterministic(session: aiohttp.ClientSession) -> None:
    first, _, _ = await follow_pages(session, GAS_PATH, local_day(date(2024, 12, 3)))
    async with FakeOctopus(now=NOW) as other:
        again = other.consumption_kwh(DEMO_GAS_MPRN, parse(first[5]["interval_start"]))
    assert again == first[5]["consumption"]
    assert all(round(r["consumption"], 3) == r["consumption"] >= 0 for r in first)


async def test_smets1_meter_reports_kwh_and_an_empty_meter_nothing(
    fake: FakeOctopus, session: aiohttp.ClientSession
) -> None:
    fake.add_gas_meter("7700000002", "G4A0000002", "kwh")
    fake.add_gas_meter("7700000003", "G4A0000003", None)
    day = date(2025, 1, 8)
    _, volume = await day_total(session, GAS_PATH, day)
    smets1 = "/v1/gas-meter-points/7700000002/meters/G4A0000002/consumption/"
    _, energy = await day_total(session, smets1, day)
    assert energy == pytest.approx(volume * 11.22, rel=1e-3)

    status, body = await get_json(
        session, "/v1/gas-meter-points/7700000003/meters/G4A0000003/consumption/"
    )
    assert status == 200
    assert body == {"count": 0, "next": None, "previous": None, "results": []}
    status, account = await get_json(session, "/v1/accounts/A-DEMO0001/")
    listed = {p["mprn"] for p in account["properties"][1]["gas_meter_points"]}
    assert listed == {DEMO_GAS_MPRN, "7700000002", "7700000003"}


async def test_unknown_gas_meters_and_wrong_fuel_paths_are_404(
    session: aiohttp.ClientSession,
) -> None:
    for path in (
        f"/v1/gas-meter-points/{DEMO_GAS_MPRN}/meters/NOPE/consumption/",
        f"/v1/electricity-meter-points/{DEMO_GAS_MPRN}/meters/{DEMO_GAS_SERIAL}/consumption/",
        f"/v1/products/VAR-22-11-01/electricity-tariffs/{GAS_TARIFF}/standard-unit-rates/",
        f"{RATES}/day-unit-rates/",
        "/v1/products/AGILE-24-10-01/gas-tariffs/G-1R-AGILE-24-10-01-C/standard-unit-rates/",
    ):
        status, body = await get_json(session, path)
        assert (status, body) == (404, {"detail": "Not found."}), path


async def test_gas_consumption_faults_apply(
    fake: FakeOctopus, session: aiohttp.ClientSession
) -> None:
    fake.fail("server_error", path_contains="gas-meter-points")
    async with session.get(GAS_PATH) as response:
        assert response.status == 500
    status, _ = await get_json(session, GAS_PATH)
    assert status == 200
    assert fake.count("gas-meter-points") == 2


async def test_gas_unit_rates_follow_the_price_cap_with_both_payment_methods(
    fake: FakeOctopus, session: aiohttp.ClientSession
) -> None:
    params = {"period_from": "2024-01-01T00:00:00Z", "period_to": "2025-01-01T00:00:00Z"}
    rows, count, _ = await follow_pages(session, f"{RATES}/standard-unit-rates/", params)
    assert count == len(rows) == 8  # four quarters, direct debit and not
    methods = {row["payment_method"] for row in rows}
    assert methods == {"DIRECT_DEBIT", "NON_DIRECT_DEBIT"}
    direct = [r for r in rows if r["payment_method"] == "DIRECT_DEBIT"]
    starts = [r["valid_from"] for r in direct]
    assert starts == [
        "2024-09-30T23:00:00Z",
        "2024-06-30T23:00:00Z",
        "2024-03-31T23:00:00Z",
        "2024-01-01T00:00:00Z",
    ]
    assert len({r["value_inc_vat"] for r in direct}) == 4  # a new cap every quarter
    assert all(3 < r["value_inc_vat"] < 12 for r in rows)
    in_force = fake.unit_rate_pence(GAS_TARIFF, datetime(2024, 5, 1, tzinfo=UTC))
    assert in_force == Decimal("6.0400")  # 5.7524 exc VAT + 5% (April to June 2024)
    standing, _, _ = await follow_pages(session, f"{RATES}/standing-charges/", params)
    assert {r["payment_method"] for r in standing} == {"DIRECT_DEBIT", "NON_DIRECT_DEBIT"}
    assert fake.standing_charge_pence(GAS_TARIFF, datetime(2024, 5, 1, tzinfo=UTC)) == Decimal(
        "31.4300"
    )


async def test_product_lists_its_gas_tariffs(session: aiohttp.ClientSession) -> None:
    status, product = await get_json(session, "/v1/products/VAR-22-11-01/")
    assert status == 200
    tariff = product["single_register_gas_tariffs"]["_C"]["direct_debit_monthly"]
    assert tariff["code"] == GAS_TARIFF
    hrefs = {link["rel"]: link["href"] for link in tariff["links"]}
    assert hrefs["standard_unit_rates"].endswith(f"/gas-tariffs/{GAS_TARIFF}/standard-unit-rates/")
    assert tariff["standard_unit_rate_inc_vat"] is not None
    status, agile = await get_json(session, "/v1/products/AGILE-24-10-01/")
    assert agile["single_register_gas_tariffs"] == {}
