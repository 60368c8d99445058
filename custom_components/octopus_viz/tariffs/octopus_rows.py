"""Build a Tariff from published Octopus rate rows for one agreement.

Rows are pence (per kWh or per day) and become currency units by an exact shift of two decimal
places. Fixed and variable tariffs publish DIRECT_DEBIT and NON_DIRECT_DEBIT rows for the same
periods; the direct-debit ones are kept (most customers pay that way, and it is what the
account's bills use). Rows without a payment method (Agile, Flux) are always kept.

Rows are clipped to the agreement's validity, so a switch at local midnight (e.g. variable to
Agile at 2025-06-01T00:00+01:00) changes the price exactly at that half hour: the agreements
become consecutive tariffs of the meter's timeline.
"""

from __future__ import annotations

from collections.abc import Sequence

from ..api.models import Agreement, Direction, Fuel, RateRow
from .model import Tariff
from .rate_rows import (
    DIRECT_DEBIT,
    NON_DIRECT_DEBIT,
    RateRows,
    overlaps_any,
    rows_to_series_columns,
)
from .rates import NEG_INF, POS_INF, Intervals, RateSeries, to_epoch

type Rows = Sequence[RateRow] | RateRows


def _span(row: RateRow) -> tuple[int, int]:
    _exc, _inc, start, end, _method = row
    return (NEG_INF if start is None else start, POS_INF if end is None else end)


def select_payment_rows(rows: Sequence[RateRow]) -> list[RateRow]:
    """Drop NON_DIRECT_DEBIT rows that overlap a DIRECT_DEBIT row; keep everything else.

    Overlap (rather than identical periods) is compared, because the two payment methods'
    rows do not always start and end on the same instants.
    """
    direct = [_span(row) for row in rows if row[4] == DIRECT_DEBIT]
    return [
        row
        for row in rows
        if not (direct and row[4] == NON_DIRECT_DEBIT and overlaps_any(direct, *_span(row)))
    ]


def rows_to_intervals(
    rows: Rows, lo: int, hi: int, *, include_vat: bool = True, owner: str = ""
) -> RateSeries:
    """Rows (pence) as sorted non-overlapping intervals (currency units) clipped to [lo, hi).

    Payment methods are chosen as `select_payment_rows` does; where rows still overlap after
    that, the later-starting row wins from its start (a newer published price supersedes an
    open-ended older row). Columns in, columns out: no object per row.
    """
    columns = rows if isinstance(rows, RateRows) else RateRows.of(rows)
    starts, ends, units, scale = rows_to_series_columns(columns, lo, hi, include_vat=include_vat)
    # Pence -> currency units is two more decimals of the same integers, exactly.
    return RateSeries.from_units(starts, ends, units, scale + 2, owner)


def build_api_tariff(
    agreement: Agreement,
    direction: Direction,
    *,
    unit_rates: Rows = (),
    day_rates: Rows = (),
    night_rates: Rows = (),
    standing_charges: Rows = (),
    include_vat: bool = True,
    name: str | None = None,
    currency: str = "GBP",
    fuel: Fuel = Fuel.ELECTRICITY,
) -> Tariff:
    """A tariff valid over the agreement from its rows.

    Single-register tariffs pass `unit_rates`; Economy 7 (2R) pass `day_rates` and
    `night_rates` (night applies in the default E7 window, see tariffs.model). An instant with
    no row stays unpriced.
    """
    lo = to_epoch(agreement.valid_from, NEG_INF)
    hi = to_epoch(agreement.valid_to, POS_INF)
    owner = agreement.tariff_code
    night: Intervals = ()
    if night_rates:
        day = rows_to_intervals(day_rates, lo, hi, include_vat=include_vat, owner=owner)
        night = rows_to_intervals(night_rates, lo, hi, include_vat=include_vat, owner=owner)
    else:
        rates = unit_rates or day_rates
        day = rows_to_intervals(rates, lo, hi, include_vat=include_vat, owner=owner)
    return Tariff(
        name=name or agreement.tariff_code,
        direction=direction,
        currency=currency,
        valid_from=agreement.valid_from,
        valid_to=agreement.valid_to,
        intervals=day,
        night_intervals=night,
        standing_charge_intervals=rows_to_intervals(
            standing_charges, lo, hi, include_vat=include_vat, owner=owner
        ),
        code=agreement.tariff_code,
        fuel=fuel,
    )
