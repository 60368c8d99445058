"""Invariants of the comparison engine: sums, uncovered days, pairing (Hypothesis)."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from hypothesis import given, settings, strategies as st
import pytest

from custom_components.octopus_viz.api.local_time import local_midnight
from custom_components.octopus_viz.api.models import Direction
from custom_components.octopus_viz.history.compare import (
    Usage,
    compare_tariffs,
    option_cost,
    side_cost,
)
from custom_components.octopus_viz.history.queries import QueryError
from custom_components.octopus_viz.history.series import HalfHourSeries
from custom_components.octopus_viz.tariffs import Band, Tariff, Timeline
from custom_components.octopus_viz.tariffs.candidates import (
    ACTUAL,
    Family,
    PriceOption,
    custom_options,
    pair_options,
)
from custom_components.octopus_viz.tariffs.money import MoneyColumn

FIRST = date(2025, 3, 27)  # the March clock change (30 March) falls inside
DAYS = 8


def series(kwh: list[float], values: list[Decimal | None]) -> HalfHourSeries:
    start = int(local_midnight(FIRST).timestamp())
    return HalfHourSeries([start + 1800 * i for i in range(len(kwh))], kwh, values)


half_hours = st.integers(min_value=1, max_value=DAYS * 48 - 2)
costs = st.one_of(st.none(), st.decimals(min_value=-5, max_value=5, places=4))


@settings(max_examples=60, deadline=None)
@given(st.data(), half_hours)
def test_sums_and_uncovered_days(data: st.DataObject, count: int) -> None:
    values = data.draw(st.lists(costs, min_size=count, max_size=count))
    used = Usage.of(series([0.1] * count, values), FIRST, FIRST + timedelta(days=DAYS))
    charge = data.draw(st.one_of(st.none(), st.decimals(min_value=0, max_value=1, places=4)))
    money = MoneyColumn.from_decimals(values)
    side = side_cost(used, money.slice, lambda _day: charge)
    known = [v for v in values if v is not None]
    assert sum(side.months.values(), Decimal(0)) == sum(known, Decimal(0))
    assert side.priced == len(known)
    # A day is uncovered exactly when one of its half-hours (or its standing charge) is.
    for day, lo, hi in used.days:
        assert (day in side.uncovered) == (charge is None or None in values[lo:hi])
    days = len(used.days)
    assert sum(side.standing.values(), Decimal(0)) == (0 if charge is None else charge * days)
    assert sum(hi - lo for _, lo, hi in used.days) == count


@settings(max_examples=40, deadline=None)
@given(st.lists(st.sampled_from([f.value for f in Family] + [ACTUAL]), min_size=1, max_size=8))
def test_flux_pairs_only_with_flux(families: list[str]) -> None:
    def option(key: str, direction: Direction) -> PriceOption:
        return PriceOption(key=key, name=key, family=key, direction=direction, timeline=None)

    imports = [option(f, Direction.IMPORT) for f in families if f not in ("flux_export",)]
    exports = [option(f, Direction.EXPORT) for f in families if f != "flux"]
    for pair in pair_options(imports, exports):
        if not exports:
            assert pair.exports is None
            continue
        assert pair.exports is not None
        assert (pair.imports.family == "flux") == (pair.exports.family == "flux_export")
    assert len(pair_options(imports, [])) == len(imports)


def flat(rate: str) -> Timeline:
    band = Band(start_minute=0, end_minute=1440, rate=Decimal(rate))
    return Timeline([Tariff(name=rate, direction=Direction.IMPORT, bands=(band,))])


def test_flat_candidate_and_no_data() -> None:
    kwh = [0.25] * (DAYS * 48 - 2)  # DAYS local days over the March change
    priced = series(kwh, [Decimal("0.25") * Decimal("0.3")] * len(kwh))
    option = PriceOption(
        key="FLAT", name="Flat", family="fixed", direction=Direction.IMPORT, timeline=flat("0.2")
    )
    actual = PriceOption(
        key=ACTUAL, name="Actual", family=ACTUAL, direction=Direction.IMPORT, timeline=None
    )
    result = compare_tariffs(
        FIRST,
        FIRST + timedelta(days=DAYS - 1),
        import_series=priced,
        export_series=None,
        actual_standing=None,
        imports=[actual, option],
        exports=[],
    )
    cheap = result.candidates[0]
    assert cheap.key == "FLAT"
    assert cheap.import_cost == Decimal("0.2") * Decimal("0.25") * len(kwh)
    assert cheap.standing_charges == 0  # a band tariff without standing charge
    assert cheap.difference == cheap.import_cost - result.actual.import_cost  # type: ignore[operator]
    assert option_cost(Usage.of(None, FIRST, FIRST), option, with_standing=True) is not None
    with pytest.raises(QueryError) as caught:
        compare_tariffs(
            date(2020, 1, 1),
            date(2020, 1, 2),
            import_series=priced,
            export_series=None,
            actual_standing=None,
            imports=[option],
            exports=[],
        )
    assert caught.value.translation_key == "no_data"


def test_custom_tariffs_become_one_option_per_direction() -> None:
    stored = [
        {
            "name": "mine",
            "unit": "electricity_importing_kwh",
            "currency": "GBP",
            "rates": [{"interval_start": "00:00", "interval_end": "24:00", "rate": "0.2"}],
        },
        {
            "name": "out",
            "unit": "electricity_exporting_kwh",
            "currency": "GBP",
            "rates": [{"interval_start": "00:00", "interval_end": "24:00", "rate": "0.1"}],
        },
    ]
    options = custom_options(stored)
    assert [(o.direction, o.name) for o in options] == [
        (Direction.IMPORT, "mine"),
        (Direction.EXPORT, "out"),
    ]
    assert custom_options([{"name": "broken", "unit": "x"}]) == []
    # A custom gas tariff (an import of gas, overlapping "mine" in time) prices no electricity:
    # it is left out, and does not make the electricity ones unusable.
    gas = {**stored[0], "name": "gas", "unit": "gas_kwh"}
    assert [o.name for o in custom_options([*stored, gas])] == ["mine", "out"]


def test_families_of_products() -> None:
    from custom_components.octopus_viz.api.products import ProductInfo
    from custom_components.octopus_viz.tariffs.candidates import (
        choose_products,
        family_of,
    )

    def info(code: str, **facts: object) -> ProductInfo:
        return ProductInfo(code=code, display_name=code, direction=Direction.IMPORT, **facts)  # type: ignore[arg-type]

    assert family_of(info("SILVER-24-10-01")) is Family.TRACKER
    assert family_of(info("NEW-TRACKER-26", is_tracker=True)) is Family.TRACKER
    assert family_of(info("OE-FIX-12M-26-01-01", term=12)) is Family.FIXED
    assert family_of(info("OE-FIX-24M-26-01-01", term=24)) is None
    assert family_of(info("AGILE-OUTGOING-19-05-13")) is None  # an export code listed as import
    assert family_of(info("SOMETHING-ELSE")) is None
    older = info("AGILE-23-12-06", available_from=local_midnight(date(2023, 12, 6)))
    newer = info("AGILE-24-10-01", available_from=local_midnight(date(2024, 10, 1)))
    chosen = choose_products([newer, older, info("FLUX-IMPORT-23-02-14")])
    assert chosen[Family.AGILE] is newer
    assert chosen[Family.FLUX_EXPORT].code == "FLUX-EXPORT-23-02-14"
