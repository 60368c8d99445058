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
from .families import BAND_KINDS, family_series
from .prices import (
    FLUX_BANDS,
    NON_DIRECT_DEBIT_EXTRA,
    OUTGOING_FIXED,
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
from .specs import PRODUCTS, Kind, ProductSpec

__all__ = ["PRODUCTS", "Kind", "ProductSpec"]

DIRECT_DEBIT = "DIRECT_DEBIT"
NON_DIRECT_DEBIT = "NON_DIRECT_DEBIT"


class RateType(StrEnum):
    """The rate endpoints, by their URL segment."""

    STANDARD = "standard-unit-rates"
    DAY = "day-unit-rates"
    NIGHT = "night-unit-rates"
    STANDING = "standing-charges"


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
    if match["region"] not in spec.regions or (dual and not spec.dual_register):
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
    first = tariff.product.available_from
    if kind in BAND_KINDS or kind in (Kind.TRACKER, Kind.FIXED):
        # Published a day ahead, like Flux.
        last_day = local_date(now) + timedelta(days=1)
        standing = rate_type is RateType.STANDING
        return family_series(kind, region, first, last_day, standing=standing)
    if rate_type is RateType.STANDING:
        return _standing_series(tariff, now, now_quarter)
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
