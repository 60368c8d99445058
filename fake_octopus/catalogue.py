"""The demo products, tariff codes, and the rate series each tariff publishes at a given `now`."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from enum import StrEnum
from functools import partial
import re

from .clock import LONDON, ceil_index, local_date, local_midnight, local_wall_to_utc
from .prices import (
    FLUX_BANDS,
    NON_DIRECT_DEBIT_EXTRA,
    OUTGOING_FIXED,
    REGIONS,
    agile_import,
    agile_outgoing,
    agile_standing,
    economy7_day,
    economy7_night,
    flux_export,
    flux_import,
    gas_variable_standing,
    gas_variable_unit,
    quarter_of,
    quarter_start,
    variable_standing,
    variable_unit,
)
from .series import (
    Band,
    HalfHourlySeries,
    ListSeries,
    LocalDayBandSeries,
    RateEntry,
    RateSeries,
)

DIRECT_DEBIT = "DIRECT_DEBIT"
NON_DIRECT_DEBIT = "NON_DIRECT_DEBIT"


class Kind(StrEnum):
    """How a product's rates are generated."""

    VARIABLE = "variable"
    FLUX_IMPORT = "flux_import"
    FLUX_EXPORT = "flux_export"
    AGILE_IMPORT = "agile_import"
    AGILE_OUTGOING = "agile_outgoing"
    OUTGOING_FIXED = "outgoing_fixed"


class RateType(StrEnum):
    """The rate endpoints, by their URL segment."""

    STANDARD = "standard-unit-rates"
    DAY = "day-unit-rates"
    NIGHT = "night-unit-rates"
    STANDING = "standing-charges"


@dataclass(frozen=True, slots=True, kw_only=True)
class ProductSpec:
    """A product of the catalogue."""

    code: str
    kind: Kind
    full_name: str
    display_name: str
    description: str
    direction: str
    available_from: date
    is_variable: bool
    is_tracker: bool = False
    term: int | None = None
    dual_register: bool = False
    gas: bool = False  # also sold for gas (single register G-1R-... tariffs)


PRODUCTS: dict[str, ProductSpec] = {
    spec.code: spec
    for spec in (
        ProductSpec(
            code="VAR-22-11-01",
            kind=Kind.VARIABLE,
            full_name="Flexible Octopus November 2022 v1",
            display_name="Flexible Octopus",
            description="Flexible Octopus prices follow wholesale costs and the price cap.",
            direction="IMPORT",
            available_from=date(2022, 11, 1),
            is_variable=True,
            dual_register=True,
            gas=True,
        ),
        ProductSpec(
            code="FLUX-IMPORT-23-02-14",
            kind=Kind.FLUX_IMPORT,
            full_name="Octopus Flux Import February 2023 v1",
            display_name="Octopus Flux Import",
            description="Cheaper 02:00-05:00, pricier 16:00-19:00: for solar and battery homes.",
            direction="IMPORT",
            available_from=date(2023, 2, 14),
            is_variable=True,
        ),
        ProductSpec(
            code="FLUX-EXPORT-23-02-14",
            kind=Kind.FLUX_EXPORT,
            full_name="Octopus Flux Export February 2023 v1",
            display_name="Octopus Flux Export",
            description="Export rates that pay most between 16:00 and 19:00.",
            direction="EXPORT",
            available_from=date(2023, 2, 14),
            is_variable=True,
        ),
        ProductSpec(
            code="AGILE-24-10-01",
            kind=Kind.AGILE_IMPORT,
            full_name="Agile Octopus October 2024 v1",
            display_name="Agile Octopus",
            description="Half-hourly prices following the wholesale market, published a day ahead.",
            direction="IMPORT",
            available_from=date(2024, 10, 1),
            is_variable=True,
            term=12,
        ),
        ProductSpec(
            code="AGILE-OUTGOING-19-05-13",
            kind=Kind.AGILE_OUTGOING,
            full_name="Agile Outgoing Octopus May 2019",
            display_name="Agile Outgoing Octopus",
            description="Half-hourly export prices that follow the wholesale market.",
            direction="EXPORT",
            available_from=date(2019, 5, 13),
            is_variable=True,
            term=12,
        ),
        ProductSpec(
            code="OUTGOING-FIX-12M-19-05-13",
            kind=Kind.OUTGOING_FIXED,
            full_name="Outgoing Octopus Fixed 12 month v1",
            display_name="Outgoing Octopus",
            description="A fixed price for every kWh exported.",
            direction="EXPORT",
            available_from=date(2019, 5, 13),
            is_variable=False,
            term=12,
        ),
    )
}

# Agile rows are served from this day even for the older Outgoing product: nothing needs earlier
# half-hourly history and it keeps counts (hence paging) reasonable.
AGILE_ROWS_FROM = date(2024, 10, 1)
_TARIFF_RE = re.compile(r"^(?P<fuel>[EG])-(1R|2R)-(?P<product>[A-Z0-9-]+)-(?P<region>[A-P])$")


@dataclass(frozen=True, slots=True)
class Tariff:
    """A parsed tariff code such as E-1R-AGILE-24-10-01-C (or G-1R-VAR-22-11-01-C for gas)."""

    code: str
    dual_register: bool
    product: ProductSpec
    region: str
    gas: bool = False


def parse_tariff(product_code: str, tariff_code: str) -> Tariff | None:
    """The tariff if the code is well formed, in a real region and of that (known) product."""
    match = _TARIFF_RE.match(tariff_code)
    spec = PRODUCTS.get(product_code)
    if match is None or spec is None or match["product"] != product_code:
        return None
    dual = match[2] == "2R"
    gas = match["fuel"] == "G"
    if match["region"] not in REGIONS or (dual and not spec.dual_register):
        return None
    if gas and (dual or not spec.gas):
        return None
    return Tariff(tariff_code, dual, spec, match["region"], gas)


def tariff_from_code(tariff_code: str) -> Tariff | None:
    """Parse a tariff code on its own (product taken from the middle of the code)."""
    match = _TARIFF_RE.match(tariff_code)
    return None if match is None else parse_tariff(match["product"], tariff_code)


def agile_edge(now: datetime) -> datetime:
    """End of published Agile prices: 23:00 local tomorrow once past 16:00 local, else today."""
    local = now.astimezone(LONDON)
    day = local.date() + timedelta(days=1 if local.hour >= 16 else 0)
    return local_wall_to_utc(day, 23)


def _quarterly(
    first_day: date | None,
    last_quarter: int,
    value: Callable[[int], Decimal],
    methods: tuple[str | None, ...],
) -> ListSeries:
    """Rows per price-cap quarter up to the quarter of `now`; the last one is open-ended.

    `first_day` None means the oldest row has no valid_from (as some very old rows do).
    """
    first_quarter = quarter_of(first_day) if first_day else quarter_of(date(2022, 11, 1))
    entries: list[RateEntry] = []
    for quarter in range(first_quarter, last_quarter + 1):
        if quarter == first_quarter:
            start = local_midnight(first_day) if first_day else None
        else:
            start = local_midnight(quarter_start(quarter))
        end = None if quarter == last_quarter else local_midnight(quarter_start(quarter + 1))
        for method in methods:
            extra = NON_DIRECT_DEBIT_EXTRA if method == NON_DIRECT_DEBIT else Decimal(0)
            entries.append(RateEntry.make(start, end, value(quarter) + extra, method))
    return ListSeries(entries)


def rate_series(tariff: Tariff, rate_type: RateType, now: datetime) -> RateSeries | None:
    """The rows a tariff publishes for a rate endpoint as of `now` (None: endpoint 404s)."""
    if (rate_type is RateType.STANDARD and tariff.dual_register) or (
        rate_type in (RateType.DAY, RateType.NIGHT) and not tariff.dual_register
    ):
        return None
    region = tariff.region
    kind = tariff.product.kind
    now_quarter = quarter_of(local_date(now))
    if kind is Kind.VARIABLE:
        both = (DIRECT_DEBIT, NON_DIRECT_DEBIT)
        if tariff.gas:
            gas_fn = gas_variable_standing if rate_type is RateType.STANDING else gas_variable_unit
            return _quarterly(None, now_quarter, partial(_by_region, gas_fn, region), both)
        value_fn = {
            RateType.STANDARD: variable_unit,
            RateType.DAY: economy7_day,
            RateType.NIGHT: economy7_night,
            RateType.STANDING: variable_standing,
        }[rate_type]
        return _quarterly(None, now_quarter, partial(_by_region, value_fn, region), both)
    if rate_type is RateType.STANDING:
        return _standing_series(tariff, now, now_quarter)
    first = tariff.product.available_from
    if kind in (Kind.FLUX_IMPORT, Kind.FLUX_EXPORT):
        price = flux_import if kind is Kind.FLUX_IMPORT else flux_export
        last_day = local_date(now) + timedelta(days=1)  # published a day ahead

        def band_price(day: date, band: Band) -> Decimal:
            return price(day, band, region)

        return LocalDayBandSeries(first, last_day, FLUX_BANDS, band_price)
    if kind in (Kind.AGILE_IMPORT, Kind.AGILE_OUTGOING):
        formula = agile_import if kind is Kind.AGILE_IMPORT else agile_outgoing
        start = ceil_index(local_midnight(max(first, AGILE_ROWS_FROM)))
        return HalfHourlySeries(
            start, ceil_index(agile_edge(now)), partial(_by_index, formula, region), None
        )
    fixed = RateEntry.make(local_midnight(first), None, OUTGOING_FIXED, None)
    return ListSeries([fixed])


def _standing_series(tariff: Tariff, now: datetime, now_quarter: int) -> RateSeries:
    kind = tariff.product.kind
    region = tariff.region
    if kind is Kind.FLUX_IMPORT:
        value = partial(_by_region, variable_standing, region)
        return _quarterly(tariff.product.available_from, now_quarter, value, (None,))
    if kind is Kind.AGILE_IMPORT:
        last_day = local_date(agile_edge(now) - timedelta(minutes=1))

        def daily(day: date, _band: Band) -> Decimal:
            return agile_standing(day, region)

        return LocalDayBandSeries(
            tariff.product.available_from, last_day, (Band(0, 24, "day"),), daily
        )
    return ListSeries([])  # export tariffs have no standing charge


def _by_region(value_fn: Callable[[int, str], Decimal], region: str, quarter: int) -> Decimal:
    return value_fn(quarter, region)


def _by_index(formula: Callable[[int, str], Decimal], region: str, index: int) -> Decimal:
    return formula(index, region)


def rate_in_force(
    series: RateSeries, at: datetime, methods: tuple[str | None, ...] = (DIRECT_DEBIT, None)
) -> RateEntry | None:
    """The row covering an instant for one of the payment methods (direct debit by default)."""
    for position in series.span(at, at + timedelta(microseconds=1)):
        entry = series.entry(position)
        if entry.payment_method in methods and entry.in_force(at):
            return entry
    return None
