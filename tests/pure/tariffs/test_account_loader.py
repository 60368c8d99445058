"""AccountTariffLoader against a stub client: caching, incremental fetches, failures."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal
import json
import logging
from typing import Any

from hypothesis import given, settings, strategies as st
import pytest

from custom_components.octopus_viz.api.errors import (
    OctopusConnectionError,
    OctopusNotFoundError,
)
from custom_components.octopus_viz.api.models import (
    Agreement,
    Direction,
    Fuel,
    Product,
    RateRow,
    rate_row,
)
from custom_components.octopus_viz.tariffs.account_loader import (
    AccountTariffLoader,
    RatesClient,
)
from custom_components.octopus_viz.tariffs.rate_rows import RateRows

from .helpers import row, utc

HALF = timedelta(minutes=30)
SWITCH = utc(2025, 5, 31, 23)  # 2025-06-01T00:00+01:00
VAR = "E-1R-VAR-22-11-01-C"
AGILE = "E-1R-AGILE-24-10-01-C"
E7 = "E-2R-VAR-22-11-01-C"


@dataclass
class StubClient:
    """Serves published rows; Agile rows appear once `published_until` passes them."""

    rows: dict[tuple[str, str], list[RateRow]] = field(default_factory=dict)
    published_until: datetime = field(default_factory=lambda: utc(2100, 1, 1))
    missing: set[str] = field(default_factory=set)
    failing: set[str] = field(default_factory=set)
    calls: list[tuple[str, str, datetime, datetime]] = field(default_factory=list)
    product_calls: list[str] = field(default_factory=list)

    def _serve(self, tariff: str, kind: str, start: datetime, end: datetime) -> list[RateRow]:
        self.calls.append((tariff, kind, start, end))
        if tariff in self.missing:
            raise OctopusNotFoundError("Not found.")
        if tariff in self.failing:
            raise OctopusConnectionError("timeout")
        return [
            r
            for r in self.rows.get((tariff, kind), [])
            if (r[2] is None or r[2] < min(end, self.published_until).timestamp())
            and (r[3] is None or r[3] > start.timestamp())
        ]

    async def async_get_unit_rates(
        self,
        product_code: str,
        tariff_code: str,
        rate_type: str,
        period_from: datetime,
        period_to: datetime,
    ) -> list[RateRow]:
        assert tariff_code.split("-", 2)[2].startswith(product_code)
        return self._serve(tariff_code, rate_type, period_from, period_to)

    async def async_get_standing_charges(
        self, product_code: str, tariff_code: str, period_from: datetime, period_to: datetime
    ) -> list[RateRow]:
        return self._serve(tariff_code, "standing", period_from, period_to)

    async def async_get_product(self, product_code: str) -> Product:
        self.product_calls.append(product_code)
        if product_code == "VAR-22-11-01":
            raise OctopusNotFoundError("Not found.")
        if product_code == "BROKEN-1":
            raise OctopusConnectionError("down")
        return Product(code=product_code, display_name=f"Name of {product_code}")


def agile_rows(start: datetime, count: int) -> list[RateRow]:
    return [row(str(5 + i % 20), start + HALF * i, start + HALF * (i + 1)) for i in range(count)]


@pytest.fixture
def client() -> StubClient:
    return StubClient(
        rows={
            (VAR, "standard"): [
                row("24.50", utc(2024, 1, 1), None, "DIRECT_DEBIT"),
                row("25.72", utc(2024, 1, 1), None, "NON_DIRECT_DEBIT"),
            ],
            (VAR, "standing"): [row("60.00", utc(2024, 1, 1), None, "DIRECT_DEBIT")],
            (AGILE, "standard"): agile_rows(SWITCH, 48 * 10),
            (AGILE, "standing"): [row("50.00", utc(2024, 1, 1), None)],
            (E7, "day"): [row("30.00", utc(2024, 1, 1), None, "DIRECT_DEBIT")],
            (E7, "night"): [row("12.00", utc(2024, 1, 1), None, "DIRECT_DEBIT")],
            (E7, "standing"): [row("55.00", utc(2024, 1, 1), None, "DIRECT_DEBIT")],
        },
        published_until=SWITCH + timedelta(days=2),
    )


AGREEMENTS = (
    Agreement(tariff_code=AGILE, valid_from=SWITCH),
    Agreement(tariff_code=VAR, valid_from=utc(2025, 1, 1), valid_to=SWITCH),
)


def test_stub_satisfies_protocol(client: StubClient) -> None:
    typed: RatesClient = client  # checked by mypy as well
    assert typed is client


async def test_switch_priced_and_past_never_fetched_twice(client: StubClient) -> None:
    loader = AccountTariffLoader(client)
    now = SWITCH + timedelta(days=1, hours=10)  # 2025-06-02 10:00 BST: tomorrow not published
    load = await loader.async_load(Direction.IMPORT, AGREEMENTS, now)
    timeline = load.timeline
    assert load.failures == ()
    assert timeline.rate_at(SWITCH - HALF) == Decimal("0.2450")
    assert timeline.rate_at(SWITCH) == Decimal("0.05")
    assert timeline.next_change(SWITCH - HALF) == (SWITCH, Decimal("0.05"))
    assert timeline.standing_charge_for_day(date(2025, 5, 31)) == Decimal("0.6000")
    assert timeline.standing_charge_for_day(date(2025, 6, 1)) == Decimal("0.5000")
    assert timeline.rate_at(SWITCH + timedelta(days=2)) is None  # not published yet
    assert {c[0] for c in client.calls} == {VAR, AGILE}
    assert len(client.calls) == 4
    names = [t.name for t in timeline.tariffs]
    assert names == [VAR, "Name of AGILE-24-10-01"]  # unlisted product: the code is the name

    # Same time again: nothing asked (past covered, open part fetched moments ago).
    client.calls.clear()
    assert not await loader.async_update(AGREEMENTS, now + timedelta(minutes=5))
    assert client.calls == []

    # Next day, after 16:00: only the open Agile agreement is asked, from the last fetch on.
    client.published_until = SWITCH + timedelta(days=3)
    later = now + timedelta(days=1, hours=7)
    assert await loader.async_update(AGREEMENTS, later)
    assert {(c[0], c[2]) for c in client.calls} == {(AGILE, now)}
    assert all(c[3] == later + timedelta(days=2) for c in client.calls)
    timeline = loader.timeline(AGREEMENTS, Direction.IMPORT)
    assert timeline.rate_at(SWITCH + timedelta(days=2, hours=12)) is not None
    assert client.product_calls == ["VAR-22-11-01", "AGILE-24-10-01"]  # asked once each


async def test_store_round_trip_avoids_refetching(client: StubClient) -> None:
    now = SWITCH + timedelta(days=1)
    first = AccountTariffLoader(client)
    before = (await first.async_load(Direction.IMPORT, AGREEMENTS, now)).timeline
    stored = json.loads(json.dumps(first.dump()))
    client.calls.clear()
    second = AccountTariffLoader(client, stored)
    after = second.timeline(AGREEMENTS, Direction.IMPORT)  # no request needed
    assert client.calls == []
    assert after.tariffs == before.tariffs
    await second.async_update(AGREEMENTS, now + timedelta(hours=2))
    assert {c[0] for c in client.calls} == {AGILE}  # the closed agreement is never asked again
    assert second.as_dict()["products"] == first.as_dict()["products"]


async def test_not_found_agreement_stays_unpriced(client: StubClient) -> None:
    client.missing.add(VAR)
    loader = AccountTariffLoader(client)
    load = await loader.async_load(Direction.IMPORT, AGREEMENTS, SWITCH + timedelta(days=1))
    assert [(f.agreement.tariff_code, f.reason) for f in load.failures] == [(VAR, "not_found")]
    assert loader.failed_agreements == [f"{VAR} (not_found)"]
    assert load.timeline.rate_at(SWITCH - HALF) is None
    assert load.timeline.rate_at(SWITCH) == Decimal("0.05")
    assert load.timeline.unpriced_ranges(SWITCH - HALF, SWITCH) == [(SWITCH - HALF, SWITCH)]


async def test_transient_error_is_reported_and_retried(client: StubClient) -> None:
    client.failing.add(AGILE)
    loader = AccountTariffLoader(client)
    now = SWITCH + timedelta(days=1)
    load = await loader.async_load(Direction.IMPORT, AGREEMENTS, now)
    assert [f.reason for f in load.failures] == ["error"]
    assert load.timeline.rate_at(SWITCH) is None
    client.failing.clear()
    client.calls.clear()
    assert await loader.async_update(AGREEMENTS, now + timedelta(minutes=1))
    assert {c[0] for c in client.calls} == {AGILE}
    assert loader.failures == ()
    assert loader.timeline(AGREEMENTS, Direction.IMPORT).rate_at(SWITCH) == Decimal("0.05")


async def test_economy7_agreement(client: StubClient) -> None:
    agreements = [Agreement(tariff_code=E7, valid_from=utc(2024, 1, 1))]
    load = await AccountTariffLoader(client).async_load(
        Direction.IMPORT, agreements, utc(2024, 3, 1)
    )
    assert {c[1] for c in client.calls} == {"day", "night", "standing"}
    assert load.timeline.rate_at(utc(2024, 2, 1, 3)) == Decimal("0.12")
    assert load.timeline.rate_at(utc(2024, 2, 1, 12)) == Decimal("0.30")


async def test_bad_codes_are_failures(client: StubClient) -> None:
    agreements = [
        Agreement(tariff_code="NONSENSE", valid_from=utc(2024, 1, 1), valid_to=utc(2024, 2, 1)),
    ]
    loader = AccountTariffLoader(client)
    load = await loader.async_load(Direction.IMPORT, agreements, utc(2024, 3, 1))
    assert [f.reason for f in load.failures] == ["invalid_code"]
    assert load.timeline.tariffs == ()
    assert client.calls == []


async def test_gas_agreements_are_priced_from_their_rates(client: StubClient) -> None:
    gas = "G-1R-VAR-22-11-01-C"
    cap = utc(2024, 3, 31, 23)  # the April price cap
    client.rows[(gas, "standard")] = [
        row("6.0400", cap, None, "DIRECT_DEBIT"),
        row("7.4200", utc(2024, 1, 1), cap, "DIRECT_DEBIT"),
        row("8.9950", utc(2024, 1, 1), None, "NON_DIRECT_DEBIT"),
    ]
    client.rows[(gas, "standing")] = [row("31.4300", None, None, "DIRECT_DEBIT")]
    agreements = [Agreement(tariff_code=gas, valid_from=utc(2024, 1, 1))]
    load = await AccountTariffLoader(client).async_load(
        Direction.IMPORT, agreements, utc(2024, 6, 1)
    )
    assert load.failures == ()
    assert {c[1] for c in client.calls} == {"standard", "standing"}
    (tariff,) = load.timeline.tariffs
    assert tariff.fuel is Fuel.GAS
    # Direct debit preferred, pence inc VAT to pounds exactly.
    assert load.timeline.rate_at(cap - HALF) == Decimal("0.0742")
    assert load.timeline.rate_at(cap) == Decimal("0.0604")
    assert load.timeline.standing_charge_for_day(date(2024, 5, 1)) == Decimal("0.3143")


async def test_overlapping_agreements_are_cut(client: StubClient) -> None:
    agreements = [
        Agreement(tariff_code=VAR, valid_from=utc(2025, 1, 1)),  # left open by mistake
        Agreement(tariff_code=AGILE, valid_from=SWITCH),
        Agreement(tariff_code=E7, valid_from=SWITCH, valid_to=SWITCH),  # empty: dropped
    ]
    load = await AccountTariffLoader(client).async_load(
        Direction.IMPORT, agreements, SWITCH + timedelta(days=1)
    )
    assert [t.code for t in load.timeline.tariffs] == [VAR, AGILE]
    assert load.timeline.tariffs[0].valid_to == SWITCH


async def test_transient_product_failure_is_retried(client: StubClient) -> None:
    agreements = [Agreement(tariff_code="E-1R-BROKEN-1-C", valid_from=utc(2024, 1, 1))]
    loader = AccountTariffLoader(client)
    await loader.async_update(agreements, utc(2024, 2, 1))
    await loader.async_update(agreements, utc(2024, 3, 1))
    assert client.product_calls == ["BROKEN-1", "BROKEN-1"]
    assert loader.timeline(agreements, Direction.IMPORT).tariffs[0].name == "E-1R-BROKEN-1-C"


def test_unreadable_store_is_discarded(
    client: StubClient, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.WARNING):
        loader = AccountTariffLoader(client, {"version": 1, "series": {"x": {"rows": [[1]]}}})
        AccountTariffLoader(client, {"version": 99})
    assert "Discarding" in caplog.text
    assert loader.as_dict() == {"version": 2, "series": {}, "products": {}}


async def test_exc_vat_loader(client: StubClient) -> None:
    loader = AccountTariffLoader(client, include_vat=False)
    load = await loader.async_load(Direction.IMPORT, AGREEMENTS[1:], SWITCH)
    assert load.timeline.rate_at(SWITCH - HALF) == Decimal("0.233333")  # 23.3333 p exc VAT


def test_row_series_missing_and_merge() -> None:
    from custom_components.octopus_viz.tariffs.account_loader import _RowSeries

    series = _RowSeries()
    series.merge([], (30, 40), 100)
    series.merge([], (10, 20), 100)
    series.merge([], (15, 18), 100)  # inside: nothing new
    series.merge([], (50, 50), 100)  # empty span: not covered
    assert series.covered == [(10, 20), (30, 40)]
    assert series.missing(0, 50) == [(0, 10), (20, 30), (40, 50)]
    assert series.missing(15, 35) == [(20, 30)]
    assert series.missing(0, 5) == [(0, 5)]
    assert series.missing(12, 18) == []
    assert series.version == 4


async def test_same_start_agreements_later_listed_wins(client: StubClient) -> None:
    agreements = [
        Agreement(tariff_code=VAR, valid_from=SWITCH),
        Agreement(tariff_code=AGILE, valid_from=SWITCH),
    ]
    load = await AccountTariffLoader(client).async_load(
        Direction.IMPORT, agreements, SWITCH + timedelta(days=1)
    )
    assert [t.code for t in load.timeline.tariffs] == [AGILE]


def _as_version_1(stored: dict[str, Any]) -> dict[str, Any]:
    """A store as version 1 wrote it: one [exc, inc, start, end, method] list per row."""
    series = {}
    for key, value in stored["series"].items():
        rows = RateRows.from_dict(value["columns"]).rows()
        series[key] = {
            "covered": value["covered"],
            "fetched_at": value["fetched_at"],
            "rows": [list(row) for row in rows],
        }
    return {**stored, "version": 1, "series": series}


async def test_version_1_store_still_prices_the_same(client: StubClient) -> None:
    now = SWITCH + timedelta(days=1)
    first = AccountTariffLoader(client)
    before = (await first.async_load(Direction.IMPORT, AGREEMENTS, now)).timeline
    old = json.loads(json.dumps(_as_version_1(first.as_dict())))
    client.calls.clear()
    second = AccountTariffLoader(client, old)
    assert second.timeline(AGREEMENTS, Direction.IMPORT).tariffs == before.tariffs
    assert client.calls == []
    assert second.as_dict()["version"] == 2
    assert second.as_dict()["series"] == first.as_dict()["series"]


@settings(max_examples=80, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.sampled_from([None, 0, 1800, 3600, 5400]),
            st.sampled_from([None, "DIRECT_DEBIT", "NON_DIRECT_DEBIT", "OTHER"]),
            st.decimals(min_value=-50, max_value=50, places=4).map(str),
        ),
        max_size=12,
    ),
    st.integers(0, 12),
)
def test_rate_rows_merge_like_a_dict(
    rows: list[tuple[int | None, str | None, str]], split: int
) -> None:
    """Merged in two batches, the columns hold the last row of each (start, method)."""
    full = [
        rate_row(exc_vat=price, inc_vat=price, start=start, end=None, payment_method=method)
        for start, method, price in rows
    ]
    columns = RateRows()
    columns.merge(full[:split])
    columns.merge(full[split:])
    expected: dict[tuple[int, str | None], Decimal] = {}
    for start, method, price in rows:
        expected[(-(2**62) if start is None else start, method)] = Decimal(price)
    got = {
        (columns.starts[i], columns.method(i)): Decimal(row[1])
        for i, row in enumerate(columns.rows())
    }
    assert got == expected
    assert RateRows.from_dict(json.loads(json.dumps(columns.as_dict()))).rows() == columns.rows()


def test_stored_columns_are_checked() -> None:
    columns = RateRows.of([rate_row(exc_vat="1", inc_vat="1.05", start=0, end=1800)])
    stored = columns.as_dict()
    with pytest.raises(ValueError, match="length"):
        RateRows.from_dict({**stored, "ends": []})
    with pytest.raises(ValueError, match="inconsistent"):
        RateRows.from_dict({**stored, "methods": [9]})
    with pytest.raises(ValueError, match="sorted"):
        RateRows.from_dict(
            {
                **stored,
                "starts": [5, 0],
                "ends": [9, 9],
                "methods": [0, 0],
                "exc": [1, 1],
                "inc": [1, 1],
            }
        )
