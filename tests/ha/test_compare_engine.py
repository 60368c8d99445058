"""The tariff comparison against the fake API, re-computed independently with Decimal.

Candidate rates are fetched through the real client and kept by `CandidateRates`; the expected
money is computed from the fake's own rate model (`unit_rate_pence`, `standing_charge_pence`)
half-hour by half-hour, without any of the integration's pricing code.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from decimal import Decimal

from homeassistant.core import HomeAssistant
from homeassistant.helpers.aiohttp_client import async_get_clientsession
import pytest

from custom_components.octopus_viz.api.client import OctopusClient
from custom_components.octopus_viz.api.local_time import local_midnight, local_slot
from custom_components.octopus_viz.api.models import Direction
from custom_components.octopus_viz.history.compare import (
    CandidateResult,
    Comparison,
    compare_tariffs,
)
from custom_components.octopus_viz.history.periods import iter_dates
from custom_components.octopus_viz.history.series import HalfHourSeries
from custom_components.octopus_viz.tariffs.candidate_rates import CandidateRates
from custom_components.octopus_viz.tariffs.candidates import ACTUAL, Family, PriceOption
from fake_octopus import DEMO_API_KEY, DEMO_EXPORT_MPAN, DEMO_IMPORT_MPAN, FakeOctopus
from tests.meta_store import MemoryStore, run_now

pytestmark = pytest.mark.usefixtures("socket_enabled")

ALL = [family.value for family in Family]
ACTUAL_TARIFF = "E-1R-VAR-22-11-01-C"  # what the "actual" half-hours are priced with here
ACTUAL_EXPORT = "E-1R-OUTGOING-FIX-12M-19-05-13-C"
HALF_HOUR = timedelta(minutes=30)


def series_of(fake: FakeOctopus, mpan: str, first: date, last: date) -> HalfHourSeries:
    start, end = local_midnight(first), local_midnight(last + timedelta(days=1))
    starts = []
    while start < end:
        starts.append(start)
        start += HALF_HOUR
    kwh = [fake.consumption_kwh(mpan, at) for at in starts]
    tariff = ACTUAL_TARIFF if mpan == DEMO_IMPORT_MPAN else ACTUAL_EXPORT
    values = [pence(fake, tariff, at) * Decimal(repr(k)) for at, k in zip(starts, kwh, strict=True)]
    return HalfHourSeries.from_columns(starts, kwh, values)


def pence(fake: FakeOctopus, tariff: str, at: datetime) -> Decimal:
    return fake.unit_rate_pence(tariff, at).scaleb(-2)


def expected_side(
    fake: FakeOctopus, tariff: str, series: HalfHourSeries, *, standing: bool
) -> tuple[dict[str, Decimal], dict[str, Decimal], set[date]]:
    """(money per month, standing per month, uncovered days) the slow, obvious way."""
    money: dict[str, Decimal] = {}
    charges: dict[str, Decimal] = {}
    uncovered: set[date] = set()
    days: set[date] = set()
    for index, kwh in enumerate(series.kwh):
        at = series.start_of(index)
        day = local_slot(at)[0]
        days.add(day)
        month = day.strftime("%Y-%m")
        try:
            cost = pence(fake, tariff, at) * Decimal(repr(kwh))
        except LookupError:
            uncovered.add(day)
            continue
        money[month] = money.get(month, Decimal(0)) + cost
    if standing:
        for day in days:
            charge = fake.standing_charge_pence(tariff, local_midnight(day))
            if charge is None:
                uncovered.add(day)
            else:
                month = day.strftime("%Y-%m")
                charges[month] = charges.get(month, Decimal(0)) + charge.scaleb(-2)
    return money, charges, uncovered


@pytest.fixture
async def rates(hass: HomeAssistant, fake_api: FakeOctopus) -> CandidateRates:
    client = OctopusClient(async_get_clientsession(hass), DEMO_API_KEY)
    return CandidateRates(client, MemoryStore(), run_now, DEMO_IMPORT_MPAN)


def actual_options(direction: Direction) -> PriceOption:
    return PriceOption(key=ACTUAL, name="Actual", family=ACTUAL, direction=direction, timeline=None)


async def compare(
    fake: FakeOctopus,
    rates: CandidateRates,
    first: date,
    last: date,
    since: date = date(2025, 10, 1),
) -> tuple[Comparison, HalfHourSeries, HalfHourSeries]:
    await rates.async_refresh(fake.now, local_midnight(since), ALL)
    imported = series_of(fake, DEMO_IMPORT_MPAN, first, last)
    exported = series_of(fake, DEMO_EXPORT_MPAN, first, last)

    def actual_standing(day: date) -> Decimal | None:
        charge = fake.standing_charge_pence(ACTUAL_TARIFF, local_midnight(day))
        return None if charge is None else charge.scaleb(-2)

    result = compare_tariffs(
        first,
        last,
        import_series=imported,
        export_series=exported,
        actual_standing=actual_standing,
        imports=[actual_options(Direction.IMPORT), *rates.options(Direction.IMPORT, ALL)],
        exports=[actual_options(Direction.EXPORT), *rates.options(Direction.EXPORT, ALL)],
    )
    return result, imported, exported


def tariff_of(product: str | None, region: str = "C") -> str:
    assert product is not None
    return f"E-1R-{product}-{region}"


def check(
    fake: FakeOctopus,
    result: CandidateResult,
    imported: HalfHourSeries,
    exported: HalfHourSeries,
    region: str = "C",
) -> None:
    """The candidate's money equals the independent re-computation, month by month."""
    money_in, standing, uncovered = expected_side(
        fake, tariff_of(result.import_product, region), imported, standing=True
    )
    export_tariff = (
        ACTUAL_EXPORT
        if result.key.endswith("+actual")
        else tariff_of(result.export_product, region)
    )
    money_out, _, uncovered_out = expected_side(fake, export_tariff, exported, standing=False)
    uncovered |= uncovered_out
    assert set(result.uncovered_days) == uncovered, result.key
    months = {m.month: m for m in result.months}
    for month, row in months.items():
        assert row.import_cost == money_in.get(month, Decimal(0)), (result.key, month)
        assert row.standing_charges == standing.get(month, Decimal(0)), (result.key, month)
        assert row.export_revenue == money_out.get(month, Decimal(0)), (result.key, month)
        assert row.net == row.import_cost + row.standing_charges - row.export_revenue
    assert result.import_cost == sum(money_in.values(), Decimal(0))
    assert result.standing_charges == sum(standing.values(), Decimal(0))
    assert result.export_revenue == sum(money_out.values(), Decimal(0))


async def test_fortnight_over_the_clock_change_matches_decimal(
    fake_api: FakeOctopus, rates: CandidateRates
) -> None:
    first, last = date(2025, 10, 20), date(2025, 11, 2)  # 2025-10-26 has 25 hours
    result, imported, exported = await compare(fake_api, rates, first, last)
    assert len(imported) == 14 * 48 + 2
    by_key = {c.key: c for c in result.candidates}
    kinds = {
        "AGILE-24-10-01+AGILE-OUTGOING-19-05-13",  # half-hourly import and export
        "GO-VAR-22-10-14+OUTGOING-FIX-12M-19-05-13",  # local bands, a fixed export
        "COSY-22-12-08+AGILE-OUTGOING-19-05-13",  # three bands a day
        "VAR-22-11-01+OUTGOING-FIX-12M-19-05-13",  # variable: a price change on 1 October
        "SILVER-24-10-01+OUTGOING-FIX-12M-19-05-13",  # Tracker: a rate per day
        "FLUX-IMPORT-23-02-14+FLUX-EXPORT-23-02-14",  # the pair
        "INTELLI-VAR-22-10-14+AGILE-OUTGOING-19-05-13",
    }
    for key in kinds:
        assert by_key[key].available, (key, by_key[key].reason, rates.error, rates._failed)
        check(fake_api, by_key[key], imported, exported)
        assert by_key[key].uncovered_days == ()
        assert [m.month for m in by_key[key].months] == ["2025-10", "2025-11"]
    # Flux goes only with Flux export; others never with it.
    assert "AGILE-24-10-01+FLUX-EXPORT-23-02-14" not in by_key
    assert "FLUX-IMPORT-23-02-14+AGILE-OUTGOING-19-05-13" not in by_key
    # The fixed product went on sale on 5 November: after this period, nothing to price.
    fixed = by_key["OE-FIX-12M-25-11-05+OUTGOING-FIX-12M-19-05-13"]
    assert (fixed.available, fixed.reason, fixed.net) == (False, "no_rates_in_period", None)
    # The actual: cached prices and their standing charges, and difference like for like.
    actual = by_key["actual+actual"]
    assert actual.is_actual
    assert actual.difference == 0
    assert result.actual.net == actual.net
    money, standing, _ = expected_side(fake_api, ACTUAL_TARIFF, imported, standing=True)
    assert actual.import_cost == sum(money.values(), Decimal(0))
    assert actual.standing_charges == sum(standing.values(), Decimal(0))
    revenue, _, _ = expected_side(fake_api, ACTUAL_EXPORT, exported, standing=False)
    assert actual.export_revenue == sum(revenue.values(), Decimal(0))
    agile = by_key["AGILE-24-10-01+AGILE-OUTGOING-19-05-13"]
    assert agile.difference == agile.net - actual.net  # type: ignore[operator]
    # Available and fully covered first, each group by net.
    nets = [c.net for c in result.candidates if c.available and not c.uncovered_days]
    assert nets == sorted(nets)  # type: ignore[type-var]
    assert not result.candidates[-1].available
    assert result.candidates[0].eligibility in (
        None,
        "flux_needs_solar_battery",
        "intelligent_go_needs_charger",
        "cosy_needs_heat_pump",
    )
    assert by_key["FLUX-IMPORT-23-02-14+FLUX-EXPORT-23-02-14"].eligibility == (
        "flux_needs_solar_battery"
    )


async def test_march_fortnight_with_a_variable_price_change(
    fake_api: FakeOctopus, rates: CandidateRates
) -> None:
    # 2025-03-30 has 23 hours (GMT to BST) and the price cap changes on 1 April.
    first, last = date(2025, 3, 24), date(2025, 4, 6)
    result, imported, exported = await compare(fake_api, rates, first, last, date(2025, 3, 1))
    assert len(imported) == 14 * 48 - 2
    flexible_rates = {
        pence(fake_api, "E-1R-VAR-22-11-01-C", imported.start_of(i)) for i in range(len(imported))
    }
    assert len(flexible_rates) == 2  # one change inside the period
    by_key = {c.key: c for c in result.candidates}
    for key in (
        "VAR-22-11-01+OUTGOING-FIX-12M-19-05-13",
        "SILVER-24-10-01+AGILE-OUTGOING-19-05-13",
        "AGILE-24-10-01+actual",
        "COSY-22-12-08+OUTGOING-FIX-12M-19-05-13",
        "FLUX-IMPORT-23-02-14+FLUX-EXPORT-23-02-14",
    ):
        assert by_key[key].available, key
        assert [m.month for m in by_key[key].months] == ["2025-03", "2025-04"]
        check(fake_api, by_key[key], imported, exported)


async def test_product_on_sale_mid_period_reports_uncovered_days(
    fake_api: FakeOctopus, rates: CandidateRates
) -> None:
    first, last = date(2025, 10, 30), date(2025, 11, 12)
    result, imported, exported = await compare(fake_api, rates, first, last)
    fixed = next(c for c in result.candidates if c.key == "OE-FIX-12M-25-11-05+actual")
    assert fixed.available
    assert fixed.uncovered_days == tuple(iter_dates(first, date(2025, 11, 4)))
    check(fake_api, fixed, imported, exported)
    # Never priced at zero: the covered days alone make its cost.
    assert fixed.import_cost is not None
    assert fixed.import_cost > 0
    # Partly covered candidates rank after every fully covered one.
    covered = [c for c in result.candidates if c.available and not c.uncovered_days]
    assert result.candidates.index(fixed) >= len(covered)


async def test_the_meters_region_prices_the_candidates(
    fake_api: FakeOctopus, rates: CandidateRates
) -> None:
    fake_api.gsp[DEMO_IMPORT_MPAN] = "_A"
    first, last = date(2025, 11, 3), date(2025, 11, 9)
    result, imported, exported = await compare(fake_api, rates, first, last)
    assert rates.region == "A"
    go = next(c for c in result.candidates if c.key == "GO-VAR-22-10-14+actual")
    check(fake_api, go, imported, exported, region="A")
    # Priced with region C's rates, the answer would differ: the region matters.
    money_c, _, _ = expected_side(fake_api, tariff_of(go.import_product), imported, standing=True)
    assert go.import_cost != sum(money_c.values(), Decimal(0))


async def test_region_without_the_product_and_no_second_request(
    fake_api: FakeOctopus, rates: CandidateRates
) -> None:
    fake_api.gsp[DEMO_IMPORT_MPAN] = "_P"  # Cosy is not sold in North Scotland
    result, _, _ = await compare(fake_api, rates, date(2025, 11, 3), date(2025, 11, 9))
    cosy = [c for c in result.candidates if c.import_product == "COSY-22-12-08"]
    assert cosy
    assert all(not c.available for c in cosy)
    assert {c.reason for c in cosy} == {"no_tariff_in_region"}
    asked = fake_api.count()
    assert not rates.due(fake_api.now, local_midnight(date(2025, 10, 1)), ALL)
    assert not await rates.async_refresh(fake_api.now, local_midnight(date(2025, 10, 1)), ALL)
    # Within the day nothing is asked again but the open-ended rows' refresh, not the past.
    later = fake_api.now + timedelta(days=1)
    fake_api.now = later
    fake_api.reset_counts()
    await rates.async_refresh(later, local_midnight(date(2025, 10, 1)), ALL)
    rate_requests = [r for r in fake_api.requests if "-rates/" in r.path or "standing" in r.path]
    assert rate_requests
    for request in rate_requests:
        assert request.query["period_from"] >= "2025-11-20T12:00:00Z"
    assert asked > 0


async def test_kept_rates_reload_without_a_request(
    hass: HomeAssistant, fake_api: FakeOctopus
) -> None:
    client = OctopusClient(async_get_clientsession(hass), DEMO_API_KEY)
    store = MemoryStore()
    since = local_midnight(date(2025, 11, 1))
    fake_api.hidden_products.add("FLUX-EXPORT-23-02-14")  # seen missing from the real listing
    first = CandidateRates(client, store, run_now, DEMO_IMPORT_MPAN)
    assert await first.async_refresh(fake_api.now, since, ALL)
    fake_api.reset_counts()
    again = CandidateRates(client, store, run_now, DEMO_IMPORT_MPAN)
    await again.async_load()
    assert fake_api.count() == 0
    assert again.region == "C"
    for direction in Direction:
        before = {o.key: o.timeline for o in first.options(direction, ALL)}
        after = {o.key: o.timeline for o in again.options(direction, ALL)}
        assert before.keys() == after.keys()
        for key, timeline in before.items():
            kept = after[key]
            assert timeline is not None
            assert kept is not None
            assert timeline.tariffs[0].day_series == kept.tariffs[0].day_series, key
    # Flux export stood in by its code, its rates read all the same.
    flux_out = next(o for o in again.options(Direction.EXPORT, ALL) if o.family == "flux_export")
    assert flux_out.key == "FLUX-EXPORT-23-02-14"
    assert flux_out.available
    assert not again.due(fake_api.now, since, ALL)
    assert again.due(fake_api.now, since - timedelta(days=1), ALL)  # history grew backwards


async def test_unreadable_store_and_api_errors(
    hass: HomeAssistant, fake_api: FakeOctopus, caplog: pytest.LogCaptureFixture
) -> None:
    client = OctopusClient(async_get_clientsession(hass), DEMO_API_KEY, max_retries=0)
    store = MemoryStore()
    store.values["compare:catalogue"] = {"version": 99}
    rates = CandidateRates(client, store, run_now, DEMO_IMPORT_MPAN)
    await rates.async_load()
    assert "unreadable stored tariff catalogue" in caplog.text
    assert rates.products == {}
    fake_api.fail("server_error", times=5, path_contains="/products/")
    since = local_midnight(date(2025, 11, 1))
    assert not await rates.async_refresh(fake_api.now, since, ALL)
    assert rates.error is not None
    assert rates.options(Direction.IMPORT, ALL) == []
    fake_api.clear_faults()
    assert await rates.async_refresh(fake_api.now, since, ALL)
    assert rates.error is None
