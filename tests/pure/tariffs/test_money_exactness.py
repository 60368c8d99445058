"""Integer money is exactly the Decimal computation it replaces (hypothesis).

The reference is what pricing did before money became integers: for every half-hour, the rate
in force at its start (`Timeline.rate_at`, the Decimal API) times `Decimal(repr(kwh))`, in an
exact context. Agile rows (negative prices too, text as the API sends it), bands and fixed
rates, over days that include both clock changes.
"""

from __future__ import annotations

from array import array
from datetime import UTC, date, datetime, timedelta
from decimal import MAX_EMAX, MAX_PREC, MIN_EMIN, Context, Decimal, localcontext
from itertools import pairwise

from hypothesis import given, settings, strategies as st

from custom_components.octopus_viz.api.local_time import LOCAL_TZ
from custom_components.octopus_viz.api.models import Agreement, Direction, rate_row
from custom_components.octopus_viz.tariffs import Band, RateInterval, Tariff, Timeline
from custom_components.octopus_viz.tariffs.money import (
    MoneyColumn,
    concat,
    text_units,
    to_decimal,
    to_units,
)
from custom_components.octopus_viz.tariffs.octopus_rows import build_api_tariff
from custom_components.octopus_viz.tariffs.pricing import price_epochs, price_money
from custom_components.octopus_viz.tariffs.rates import RateSeries

HALF = 1800
EXACT = Context(prec=MAX_PREC, Emax=MAX_EMAX, Emin=MIN_EMIN)
# Ordinary days and both 2024 clock changes (31 March: 46 half-hours, 27 October: 50).
DAYS = [date(2024, 1, 10), date(2024, 3, 30), date(2024, 3, 31), date(2024, 10, 27)]

metered_kwh = st.decimals(min_value=0, max_value=20, places=3).map(float)
# Any float too (a converted gas reading, a hand-made test): the general path.
any_kwh = st.one_of(metered_kwh, st.floats(min_value=0, max_value=50, allow_nan=False))
# Pence per kWh as published: a few decimals, negative Agile prices, float artefacts.
pence = st.one_of(
    st.decimals(min_value=-30, max_value=100, places=4).map(str),
    st.floats(min_value=-30, max_value=100, allow_nan=False).map(repr),
)
pounds = st.decimals(min_value=-1, max_value=2, places=6)


def reference(timeline: Timeline, stamps: list[int], kwh: list[float]) -> list[Decimal | None]:
    """Today's computation, half-hour by half-hour, through the Decimal API."""
    costs: list[Decimal | None] = []
    with localcontext(EXACT):
        for stamp, energy in zip(stamps, kwh, strict=True):
            rate = timeline.rate_at(datetime.fromtimestamp(stamp, UTC))
            costs.append(None if rate is None else Decimal(repr(energy)) * rate)
    return costs


@st.composite
def span(
    draw: st.DrawFn, energy: st.SearchStrategy[float] = metered_kwh
) -> tuple[list[int], list[float]]:
    """Consecutive half-hours from local midnight of a drawn day, up to two days long."""
    day = draw(st.sampled_from(DAYS))
    first = int(datetime(day.year, day.month, day.day, tzinfo=LOCAL_TZ).timestamp())
    count = draw(st.integers(1, 100))
    stamps = [first + i * HALF for i in range(count)]
    return stamps, [draw(energy) for _ in stamps]


def assert_exact(timeline: Timeline, stamps: list[int], kwh: list[float]) -> None:
    money, unpriced = price_money(timeline, stamps, kwh)
    expected = reference(timeline, stamps, kwh)
    assert money.decimals() == expected
    assert price_epochs(timeline, stamps, kwh) == expected
    with localcontext(EXACT):
        total = sum((c for c in expected if c is not None), Decimal(0))
    assert to_decimal(money.total(), money.scale) == total
    assert money.unpriced_count() == expected.count(None)
    assert sum(hi - lo for lo, hi in unpriced) == HALF * expected.count(None)


@settings(max_examples=80, deadline=None)
@given(span(any_kwh), st.data())
def test_agile_rows_exact(readings: tuple[list[int], list[float]], data: st.DataObject) -> None:
    """Half-hourly rows as the API publishes them, with gaps (unpriced) and negative prices."""
    stamps, kwh = readings
    rows = []
    for stamp in stamps:
        if data.draw(st.integers(0, 9)):  # about one half-hour in ten has no row: unpriced
            price = data.draw(pence)
            rows.append(rate_row(exc_vat=price, inc_vat=price, start=stamp, end=stamp + HALF))
    agreement = Agreement(
        tariff_code="E-1R-AGILE-24-10-01-C", valid_from=datetime(2020, 1, 1, tzinfo=UTC)
    )
    tariff = build_api_tariff(agreement, Direction.IMPORT, unit_rates=rows)
    assert_exact(Timeline([tariff]), stamps, kwh)


@st.composite
def band_sets(draw: st.DrawFn) -> tuple[Band, ...]:
    cuts = sorted(draw(st.sets(st.integers(1, 47), max_size=6)))
    edges = [0, *cuts, 48]
    return tuple(
        Band(start_minute=a * 30, end_minute=b * 30, rate=draw(pounds)) for a, b in pairwise(edges)
    )


@settings(max_examples=80, deadline=None)
@given(span(any_kwh), band_sets())
def test_bands_exact_over_clock_changes(
    readings: tuple[list[int], list[float]], bands: tuple[Band, ...]
) -> None:
    stamps, kwh = readings
    tariff = Tariff(name="bands", direction=Direction.IMPORT, bands=bands)
    assert_exact(Timeline([tariff]), stamps, kwh)


@settings(max_examples=100, deadline=None)
@given(span(), pounds, pence, st.integers(0, 100))
def test_fixed_rates_exact(
    readings: tuple[list[int], list[float]], rate: Decimal, published: str, cut: int
) -> None:
    """A flat custom rate until a switch, then a published fixed (open-ended) row."""
    stamps, kwh = readings
    switch = datetime.fromtimestamp(stamps[0] + cut * HALF, UTC)
    flat = Tariff(
        name="flat",
        direction=Direction.IMPORT,
        valid_to=switch,
        bands=(Band(start_minute=0, end_minute=1440, rate=rate),),
    )
    agreement = Agreement(tariff_code="E-1R-FIX-12M-24-01-01-C", valid_from=switch)
    fixed = build_api_tariff(
        agreement,
        Direction.IMPORT,
        unit_rates=[rate_row(exc_vat=published, inc_vat=published, start=None, end=None)],
    )
    assert_exact(Timeline([flat, fixed]), stamps, kwh)


@settings(max_examples=200, deadline=None)
@given(st.decimals(allow_nan=False, allow_infinity=False), st.integers(0, 30))
def test_units_round_trip(value: Decimal, extra: int) -> None:
    """Any finite Decimal is exact at its own number of decimals (or more)."""
    exponent = value.as_tuple().exponent
    assert isinstance(exponent, int)
    scale = max(-exponent, 0) + extra
    assert to_decimal(to_units(value, scale), scale) == value
    assert to_decimal(*text_units(str(value))) == value


@settings(max_examples=100, deadline=None)
@given(
    st.lists(st.one_of(st.none(), st.decimals(places=4, min_value=-(10**6), max_value=10**6))),
    st.lists(st.one_of(st.none(), st.decimals(places=12, min_value=-1, max_value=1))),
)
def test_columns_concat_at_the_finer_scale(
    first: list[Decimal | None], second: list[Decimal | None]
) -> None:
    joined = concat([MoneyColumn.from_decimals(first), MoneyColumn.from_decimals(second)])
    assert joined.decimals() == first + second
    assert joined == MoneyColumn.from_decimals(first + second)


def test_values_beyond_int64_stay_exact() -> None:
    """A value int64 cannot hold makes the column a list of ints: still exact."""
    huge = Decimal("123456789012345678901234.5")
    column = MoneyColumn.from_decimals([huge, None, Decimal("0.1")])
    assert isinstance(column.units, list)
    assert column.decimals() == [huge, None, Decimal("0.1")]
    assert to_decimal(column.total(), column.scale) == huge + Decimal("0.1")
    assert column.slice(1).decimals() == [None, Decimal("0.1")]
    assert column.pick([2, 0]).decimals() == [Decimal("0.1"), huge]


def test_a_day_of_readings_across_the_october_change() -> None:
    """50 half-hours of 27 October 2024 on bands, checked against the written-out sum."""
    first = int(datetime(2024, 10, 27, tzinfo=LOCAL_TZ).timestamp())
    stamps = [first + i * HALF for i in range(50)]
    kwh = [0.125] * 50
    cheap = Band(start_minute=60, end_minute=120, rate=Decimal("0.07"))
    tariff = Tariff(
        name="night",
        direction=Direction.IMPORT,
        bands=(
            Band(start_minute=0, end_minute=60, rate=Decimal("0.3")),
            cheap,
            Band(start_minute=120, end_minute=1440, rate=Decimal("0.3")),
        ),
    )
    money, _ = price_money(Timeline([tariff]), stamps, kwh)
    # 01:00-02:00 local happens twice: four cheap half-hours, 46 at the day rate.
    expected = Decimal("0.125") * (4 * Decimal("0.07") + 46 * Decimal("0.3"))
    assert to_decimal(money.total(), money.scale) == expected
    assert timedelta(seconds=stamps[-1] - stamps[0] + HALF) == timedelta(hours=25)


def test_rate_series_columns_read_as_decimals() -> None:
    """A series keeps integers; its Decimal views, items and equality are exact."""
    start = datetime(2024, 1, 1, tzinfo=UTC)
    intervals = (
        RateInterval(start=start, end=start + timedelta(hours=1), value=Decimal("0.1")),
        RateInterval(start=start + timedelta(hours=1), end=None, value=Decimal("-0.0000000001")),
    )
    series = RateSeries.of(intervals, "t")
    assert series.scale == 10  # finer than RATE_SCALE: the whole column follows
    assert list(series.units) == [10**9, -1]
    assert series.values[:] == [Decimal("0.1"), Decimal("-0.0000000001")]
    assert tuple(series) == intervals
    assert series == intervals
    other = RateSeries.from_units(series.starts, series.ends, array("q", [10, 0]), 2, "t")
    assert series != other
    assert series.value_at(int(start.timestamp()) - 1) is None


def test_tariff_rates_share_the_finest_scale() -> None:
    """Bands and interval rates of one timeline are priced at one integer scale."""
    fine = Tariff(
        name="fine",
        direction=Direction.IMPORT,
        valid_to=datetime(2024, 1, 1, tzinfo=UTC),
        bands=(Band(start_minute=0, end_minute=1440, rate=Decimal("0.123456789")),),
    )
    coarse = Tariff(
        name="coarse",
        direction=Direction.IMPORT,
        valid_from=datetime(2024, 1, 1, tzinfo=UTC),
        bands=(Band(start_minute=0, end_minute=1440, rate=Decimal("0.25")),),
    )
    timeline = Timeline([fine, coarse])
    assert (fine.rate_scale, coarse.rate_scale, timeline.rate_scale) == (9, 8, 9)
    stamps = [int(datetime(2023, 12, 31, 23, tzinfo=UTC).timestamp()) + i * HALF for i in range(4)]
    assert_exact(timeline, stamps, [1.0, 2.0, 3.0, 4.0])
