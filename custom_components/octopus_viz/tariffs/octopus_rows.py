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
from decimal import Decimal
from typing import Final

from ..api.models import Agreement, Direction, Fuel, RateRow
from .model import Tariff
from .rates import NEG_INF, POS_INF, Intervals, RateSeries, to_epoch

DIRECT_DEBIT: Final = "DIRECT_DEBIT"
NON_DIRECT_DEBIT: Final = "NON_DIRECT_DEBIT"


def _span(row: RateRow) -> tuple[int, int]:
    _exc, _inc, start, end, _method = row
    return (NEG_INF if start is None else start, POS_INF if end is None else end)


def select_payment_rows(rows: Sequence[RateRow]) -> list[RateRow]:
    """Drop NON_DIRECT_DEBIT rows that overlap a DIRECT_DEBIT row; keep everything else.

    Overlap (rather than identical periods) is compared, because the two payment methods'
    rows do not always start and end on the same instants.
    """
    direct = [_span(row) for row in rows if row[4] == DIRECT_DEBIT]
    if not direct:
        return list(rows)
    kept: list[RateRow] = []
    for row in rows:
        if row[4] == NON_DIRECT_DEBIT:
            start, end = _span(row)
            if any(start < d_end and d_start < end for d_start, d_end in direct):
                continue
        kept.append(row)
    return kept


def rows_to_intervals(
    rows: Sequence[RateRow], lo: int, hi: int, *, include_vat: bool = True, owner: str = ""
) -> RateSeries:
    """Rows (pence) as sorted non-overlapping intervals (currency units) clipped to [lo, hi).

    Where rows still overlap after the payment-method choice, the later-starting row wins from
    its start (a newer published price supersedes an open-ended older row).
    """
    selected = select_payment_rows(rows)
    # Spans hold an index, not the price: tuples of ints are not tracked by the garbage
    # collector, and only the intervals kept in the end get a Decimal.
    spans: list[tuple[int, int, int]] = []
    for index, (_exc, _inc, row_start, row_end, _method) in enumerate(selected):
        start = lo if row_start is None or row_start < lo else row_start
        end = hi if row_end is None or row_end > hi else row_end
        if start < end:
            spans.append((start, end, index))
    spans.sort(key=lambda span: span[0])
    cleaned: list[tuple[int, int, int]] = []
    for start, end, index in spans:
        while cleaned and cleaned[-1][1] > start:
            prev_start, _prev_end, prev_index = cleaned.pop()
            if prev_start < start:
                cleaned.append((prev_start, start, prev_index))
                break
        cleaned.append((start, end, index))
    # One Decimal per distinct price (Agile repeats its prices a lot).
    pounds: dict[str, Decimal] = {}
    values: list[Decimal] = []
    for _start, _end, index in cleaned:
        exc, inc, *_ = selected[index]
        text = inc if include_vat else exc
        if (value := pounds.get(text)) is None:
            value = pounds[text] = Decimal(text).scaleb(-2)  # exact: pence -> pounds
        values.append(value)
    starts = [start for start, _end, _index in cleaned]
    return RateSeries(starts, [end for _start, end, _index in cleaned], values, owner)


def build_api_tariff(
    agreement: Agreement,
    direction: Direction,
    *,
    unit_rates: Sequence[RateRow] = (),
    day_rates: Sequence[RateRow] = (),
    night_rates: Sequence[RateRow] = (),
    standing_charges: Sequence[RateRow] = (),
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
