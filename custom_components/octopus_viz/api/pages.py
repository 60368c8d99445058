"""Decode the API's big pages (consumption, rates) straight into compact rows.

A consumption page holds up to 25,000 rows and a backfill several pages. Decoding them into
JSON dicts and then into objects would leave hundreds of thousands of short-lived container
objects behind, each one a candidate for Python's cyclic garbage collector, whose full passes
stop every thread (the event loop included) for a few hundred milliseconds on a big Home
Assistant. So each row is parsed *while* it is decoded (a `json` object hook): a consumption
row becomes an `(epoch, kWh)` tuple of atoms, which the collector stops tracking at once, and
the dict it came from is freed right away. The pages then become plain columns.

Row rules (a broken row is skipped and counted; a page where every row is broken is a broken
response) are those of parsing.py. No Home Assistant import here.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import lru_cache
import json
import math
from typing import Any

from .local_time import HALF_HOUR_SECONDS
from .models import HalfHourReadings, RateRow
from .parsing import (
    BadRowError,
    MalformedResponseError,
    RowReport,
    aware_datetime,
    check_page,
    decimal_field,
    next_link,
    parse_datetime,
    required_field,
    results_of,
)

type RowHook = Callable[[dict[str, Any]], object]

# No household meter records more in a half-hour (a 100 A three-phase supply gives ~35 kWh):
# a bigger value is a broken row, and kept it would swamp every sum (1e308 overflows them).
MAX_HALF_HOUR_KWH = 1_000
# Likewise no tariff charges £1,000 a kWh or a day (rates are in pence).
MAX_RATE_PENCE = 100_000


class BadRow:
    """What a row hook leaves in place of a row it rejected (the reason is reported later)."""

    __slots__ = ("reason",)

    def __init__(self, reason: str) -> None:
        """Remember why the row was rejected."""
        self.reason = reason


@dataclass(frozen=True, slots=True)
class Page:
    """One page of a listing: its rows, the `next` link and the listing's total `count`."""

    results: list[Any]
    next: str | None
    count: int | None


def decode_page(body: bytes, hook: RowHook | None = None) -> Page:
    """A page's `results` (rows passed through `hook` as they are decoded), `next` link and
    `count` (None when absent or not a count)."""
    try:
        payload = json.loads(body, object_hook=hook)
    except ValueError:
        raise MalformedResponseError("the response is not JSON") from None
    results = results_of(payload)
    count = payload.get("count")
    valid = isinstance(count, int) and not isinstance(count, bool) and count >= 0
    return Page(results, next_link(payload), count if valid else None)


# -- consumption ------------------------------------------------------------------------------


def parse_reading(row: object) -> tuple[int, float]:
    """One consumption row -> (start as UTC epoch seconds, kWh), or BadRowError."""
    if not isinstance(row, Mapping):
        raise BadRowError("row is not an object")
    return _reading_of(row)


def _reading_of(row: Mapping[str, Any]) -> tuple[int, float]:
    raw: Any = row.get("interval_start")  # not text: TypeError below, then the reason
    try:
        # An aware datetime's timestamp is UTC already: no UTC datetime made per row.
        stamp = aware_datetime(raw).timestamp()
    except TypeError, ValueError:
        # Not a timestamp: parse_datetime says why (missing or unparseable).
        stamp = parse_datetime(raw, "interval_start").timestamp()
    if stamp % HALF_HOUR_SECONDS:
        raise BadRowError("interval_start not on a half-hour")
    start = int(stamp)
    value = required_field(row, "consumption")
    # Exact types: bool is an int to Python, but `true` kWh is nonsense.
    if type(value) is float:
        kwh = value
    elif type(value) is int and abs(value) <= MAX_HALF_HOUR_KWH:  # a huge int overflows float
        kwh = float(value)
    elif type(value) is int:
        raise BadRowError("implausible consumption")
    else:
        raise BadRowError("non-numeric consumption")
    if not math.isfinite(kwh):
        raise BadRowError("non-numeric consumption")
    if kwh < 0:
        raise BadRowError("negative consumption")
    if kwh > MAX_HALF_HOUR_KWH:
        raise BadRowError("implausible consumption")
    return start, kwh


def consumption_columns(
    pages: Sequence[Sequence[object]],
    period_from: int,
    period_to: int | None,
    report: RowReport,
) -> HalfHourReadings:
    """Valid readings in [period_from, period_to) as sorted columns, one per half-hour.

    A later copy of a half-hour wins (data can be revised). Skipped rows are counted in
    `report`; MalformedResponseError when no row of a non-empty page is valid.
    """
    starts: list[int] = []
    kwh: list[float] = []
    ordered = True
    last = -math.inf
    for rows in pages:
        bad = 0
        for row in rows:
            try:
                start, energy = _resolved(row, parse_reading)
            except BadRowError as err:
                report.add(str(err))
                bad += 1
                continue
            # The API sometimes returns a little more than asked for (one half-hour early).
            if start < period_from or (period_to is not None and start >= period_to):
                continue
            ordered = ordered and start > last
            last = start
            starts.append(start)
            kwh.append(energy)
        check_page(rows, bad, report)
    if not ordered:
        by_start = dict(zip(starts, kwh, strict=True))
        starts = sorted(by_start)
        kwh = [by_start[start] for start in starts]
    return HalfHourReadings(starts, kwh)


# -- rates ------------------------------------------------------------------------------------


def parse_rate(row: object) -> RateRow:
    """One unit-rate / standing-charge row -> RateRow (negative rates are legal: Agile)."""
    if not isinstance(row, Mapping):
        raise BadRowError("row is not an object")
    return _rate_of(row)


def _rate_of(row: Mapping[str, Any]) -> RateRow:
    try:
        # null is meaningful for valid_from (open-ended), a missing key is not.
        exc, inc, start = row["value_exc_vat"], row["value_inc_vat"], row["valid_from"]
    except KeyError as err:
        raise BadRowError(f"missing {err.args[0]}") from None
    payment = row.get("payment_method")
    # The tuple of models.rate_row, built in place: this runs for every published rate.
    return (
        _number_text(exc, "value_exc_vat"),
        _number_text(inc, "value_inc_vat"),
        _optional_epoch(start, "valid_from"),
        _optional_epoch(row.get("valid_to"), "valid_to"),
        payment if isinstance(payment, str) else None,
    )


def _number_text(value: object, name: str) -> str:
    """A JSON number as exact decimal text (a float's shortest repr: 24.15 stays 24.15)."""
    if type(value) is float:
        if not math.isfinite(value):
            raise BadRowError(f"non-numeric {name}")
        if abs(value) > MAX_RATE_PENCE:
            raise BadRowError(f"implausible {name}")
        return repr(value)
    if type(value) is int:
        if abs(value) > MAX_RATE_PENCE:
            raise BadRowError(f"implausible {name}")
        return str(value)
    number = decimal_field(value, name)  # numeric strings, and the reasons for the rest
    if abs(number) > MAX_RATE_PENCE:
        raise BadRowError(f"implausible {name}")
    return str(number)


@lru_cache(maxsize=64)
def _epoch(value: str) -> int:
    # An aware datetime's timestamp is UTC already: no UTC datetime made per row.
    try:
        return int(aware_datetime(value).timestamp())
    except ValueError:
        raise BadRowError("unparseable timestamp") from None


def _optional_epoch(value: object, name: str) -> int | None:
    """A timestamp (null: open-ended) as UTC epoch seconds, remembering recent texts: each
    row's `valid_to` is the next row's `valid_from`, so half of a rate page's timestamps
    were just parsed."""
    if value is None:
        return None
    if not isinstance(value, str) or not value:
        raise BadRowError(f"missing {name}")
    try:
        return _epoch(value)
    except BadRowError:
        raise BadRowError(f"unparseable {name}") from None


def parse_rates(rows: Sequence[object], report: RowReport) -> list[RateRow]:
    """Valid rate rows in the order given; skipped rows are counted in report.

    Rows may already be parsed by `rate_hook`. MalformedResponseError when no row of a
    non-empty page is valid.
    """
    kept: list[RateRow] = []
    for row in rows:
        try:
            kept.append(_resolved(row, parse_rate))
        except BadRowError as err:
            report.add(str(err))
    check_page(rows, len(rows) - len(kept), report)
    return kept


def _row_hook[T: tuple[Any, ...]](
    keys: frozenset[str], parse: Callable[[Mapping[str, Any]], T]
) -> RowHook:
    """An object hook parsing the objects that have one of `keys` (rows) with `parse`: a
    row becomes a plain tuple, or a BadRow saying why not; other objects stay."""

    def hook(obj: dict[str, Any]) -> object:
        if keys.isdisjoint(obj):
            return obj
        try:
            return parse(obj)
        except BadRowError as err:
            return BadRow(str(err))

    return hook


# A consumption row becomes `(epoch, kWh)`, a rate row a RateRow. The reading hook runs once per
# decoded object (105,000 times in a 3-year backfill): it takes a fast path for the row every
# page is made of, and hands anything else to the checked parser above, which gives the same
# result or says why the row is bad.
_checked_reading_hook = _row_hook(frozenset({"interval_start"}), _reading_of)
rate_hook = _row_hook(frozenset({"value_inc_vat", "value_exc_vat"}), _rate_of)
_from_iso = datetime.fromisoformat
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


def reading_hook(obj: dict[str, Any]) -> object:
    """A consumption row -> `(epoch, kWh)`; other objects as `_checked_reading_hook`."""
    start, kwh = obj.get("interval_start"), obj.get("consumption")
    # A float in range (NaN and infinities fail the comparison) and an offset timestamp.
    if type(kwh) is float and 0.0 <= kwh <= MAX_HALF_HOUR_KWH and type(start) is str:
        try:
            when = _from_iso(start)
        except ValueError:
            when = None
        if when is not None and when.tzinfo is not None:
            stamp = (when - _EPOCH).total_seconds()  # exact, and quicker than timestamp()
            if not stamp % HALF_HOUR_SECONDS:
                return int(stamp), kwh
    return _checked_reading_hook(obj)


def _resolved[T](row: object, parse: Callable[[object], T]) -> T:
    """A row as its hook left it: parsed (a tuple: JSON itself makes none), rejected (a
    BadRow, raised again), or not recognised (parsed now, to say why it is bad)."""
    if type(row) is tuple:
        return row  # type: ignore[return-value]
    if isinstance(row, BadRow):
        raise BadRowError(row.reason)
    return parse(row)
