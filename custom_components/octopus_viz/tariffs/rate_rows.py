"""Published rate rows of one tariff and rate kind, kept as columns.

A meter on Agile keeps every published half-hour rate (tens of thousands of rows, for years).
As tuples of text that would be three objects a row; here a row is a position in typed columns:
validity (epoch seconds, NEG_INF / POS_INF for open ends), payment method (a small code), and
the prices exc and inc VAT as exact integers of 10**-scale pence (tariffs.money). The rows
stay sorted by (start, payment method), one per key: a re-published row replaces its stored
version. `as_dict` / `from_dict` store them as JSON lists of numbers.

Pure Python, no Home Assistant import.
"""

from __future__ import annotations

from array import array
from bisect import bisect_left
from collections.abc import Mapping, Sequence
from itertools import pairwise
from typing import Any, Final

from ..api.models import RateRow
from .money import Units, int_column, rescaled, text_units, to_decimal
from .rates import NEG_INF, POS_INF

DIRECT_DEBIT: Final = "DIRECT_DEBIT"
NON_DIRECT_DEBIT: Final = "NON_DIRECT_DEBIT"
# Payment methods by code; other names (none published today) get the next codes.
KNOWN_METHODS: Final[tuple[str | None, ...]] = (None, DIRECT_DEBIT, NON_DIRECT_DEBIT)
_CODES: Final = 1024  # a row's sort key is start * _CODES + method code


class RateRows:
    """Rate rows as columns, sorted by (start, payment method code), unique per key."""

    __slots__ = ("ends", "exc", "inc", "methods", "names", "scale", "starts")

    def __init__(self) -> None:
        """No rows."""
        self.starts: array[int] = array("q")
        self.ends: array[int] = array("q")
        self.methods: array[int] = array("H")
        self.exc: Units = array("q")
        self.inc: Units = array("q")
        self.scale = 0
        self.names: list[str | None] = list(KNOWN_METHODS)

    @classmethod
    def of(cls, rows: Sequence[RateRow]) -> RateRows:
        """Columns of rows given as tuples (a later row replaces one with the same key)."""
        columns = cls()
        columns.merge(rows)
        return columns

    def __len__(self) -> int:
        """Number of rows."""
        return len(self.starts)

    def method(self, index: int) -> str | None:
        """The payment method of a row."""
        return self.names[self.methods[index]]

    def _code(self, method: str | None) -> int:
        try:
            return self.names.index(method)
        except ValueError:
            if len(self.names) >= _CODES:
                raise ValueError("too many payment methods") from None
            self.names.append(method)
            return len(self.names) - 1

    def merge(self, rows: Sequence[RateRow]) -> None:
        """Add rows; one with the key (start, payment method) of a kept row replaces it."""
        if not rows:
            return
        parsed: dict[str, tuple[int, int]] = {}
        keys: dict[int, int] = {}  # key -> index into rows (the last one wins)
        for index, (exc, inc, start, _end, method) in enumerate(rows):
            for text in (exc, inc):
                if text not in parsed:
                    parsed[text] = text_units(text)
            key = (NEG_INF if start is None else start) * _CODES + self._code(method)
            keys[key] = index
        scale = max(self.scale, *(decimals for _units, decimals in parsed.values()))
        if scale != self.scale:
            self.exc = rescaled(self.exc, self.scale, scale)
            self.inc = rescaled(self.inc, self.scale, scale)
            self.scale = scale

        units = {
            text: value * 10 ** (scale - decimals) for text, (value, decimals) in parsed.items()
        }
        new = RateRows()
        new.names, new.scale = self.names, scale
        ordered = sorted(keys)
        new_rows = [rows[keys[key]] for key in ordered]
        new.starts = array("q", [key // _CODES for key in ordered])
        new.methods = array("H", [key % _CODES for key in ordered])
        new.ends = array("q", [POS_INF if row[3] is None else row[3] for row in new_rows])
        new.exc = int_column([units[row[0]] for row in new_rows])
        new.inc = int_column([units[row[1]] for row in new_rows])
        self._combine(new, ordered)

    def _combine(self, new: RateRows, new_keys: list[int]) -> None:
        """Merge sorted new rows into the kept ones (appending when all are later)."""
        cut = bisect_left(self.starts, new.starts[0])
        columns = (self.exc, self.inc, new.exc, new.inc)
        if cut == len(self) and all(isinstance(column, array) for column in columns):
            # All later (the usual refresh): appended, no row rebuilt.
            self.starts.extend(new.starts)
            self.ends.extend(new.ends)
            self.methods.extend(new.methods)
            self.exc.extend(new.exc)
            self.inc.extend(new.inc)
            return
        kept = {self.starts[i] * _CODES + self.methods[i]: i for i in range(cut, len(self.starts))}
        size = len(self)
        kept.update((key, size + offset) for offset, key in enumerate(new_keys))
        order = [kept[key] for key in sorted(kept)]

        def joined(old: Sequence[int], added: Sequence[int], kind: str) -> Any:
            both = [*old, *added]
            tail = [both[i] for i in order]
            head = list(old[:cut])
            return array(kind, head + tail) if kind else int_column(head + tail)

        self.starts = joined(self.starts, new.starts, "q")
        self.ends = joined(self.ends, new.ends, "q")
        self.methods = joined(self.methods, new.methods, "H")
        self.exc = joined(self.exc, new.exc, "")
        self.inc = joined(self.inc, new.inc, "")

    def rows(self) -> list[RateRow]:
        """The rows as tuples of text (an edge: objects per row)."""
        return [
            (
                str(to_decimal(self.exc[i], self.scale)),
                str(to_decimal(self.inc[i], self.scale)),
                None if self.starts[i] <= NEG_INF else self.starts[i],
                None if self.ends[i] >= POS_INF else self.ends[i],
                self.method(i),
            )
            for i in range(len(self))
        ]

    def as_dict(self) -> dict[str, Any]:
        """JSON-able columns (lists of numbers)."""
        return {
            "starts": list(self.starts),
            "ends": list(self.ends),
            "methods": list(self.methods),
            "names": self.names[len(KNOWN_METHODS) :],
            "exc": list(self.exc),
            "inc": list(self.inc),
            "scale": self.scale,
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> RateRows:
        """Columns stored by `as_dict` (ValueError, TypeError or KeyError when malformed)."""
        columns = cls()
        columns.names.extend(str(name) for name in data["names"])
        columns.starts = array("q", (int(v) for v in data["starts"]))
        columns.ends = array("q", (int(v) for v in data["ends"]))
        columns.methods = array("H", (int(v) for v in data["methods"]))
        columns.exc = int_column([int(v) for v in data["exc"]])
        columns.inc = int_column([int(v) for v in data["inc"]])
        columns.scale = int(data["scale"])
        count = len(columns.starts)
        if any(len(c) != count for c in (columns.ends, columns.methods, columns.exc, columns.inc)):
            raise ValueError("stored rate columns differ in length")
        if max(columns.methods, default=0) >= len(columns.names) or columns.scale < 0:
            raise ValueError("stored rate columns are inconsistent")
        keys = [s * _CODES + m for s, m in zip(columns.starts, columns.methods, strict=True)]
        if any(b <= a for a, b in pairwise(keys)):
            raise ValueError("stored rate rows are not sorted")
        return columns


def overlaps_any(spans: Sequence[tuple[int, int]], start: int, end: int) -> bool:
    """Whether [start, end) overlaps one of the spans."""
    return any(start < span_end and span_start < end for span_start, span_end in spans)


def rows_to_series_columns(
    rows: RateRows, lo: int, hi: int, *, include_vat: bool
) -> tuple[list[int], list[int], Units, int]:
    """Rows as sorted non-overlapping intervals clipped to [lo, hi): starts, ends, the prices
    in 10**-scale pence, and that scale.

    NON_DIRECT_DEBIT rows overlapping a DIRECT_DEBIT row are dropped (most customers pay by
    direct debit, and the account's bills use those rows). Where rows still overlap, the
    later-starting row wins from its start.
    """
    direct_code = rows.names.index(DIRECT_DEBIT)
    other_code = rows.names.index(NON_DIRECT_DEBIT)
    row_starts, row_ends, methods = rows.starts, rows.ends, rows.methods
    direct = [(row_starts[i], row_ends[i]) for i in range(len(rows)) if methods[i] == direct_code]
    starts: list[int] = []
    ends: list[int] = []
    picked: list[int] = []
    # Rows are sorted by start, so clipped starts are sorted too.
    for index in range(len(rows)):
        row_start, row_end = row_starts[index], row_ends[index]
        if direct and methods[index] == other_code and overlaps_any(direct, row_start, row_end):
            continue
        start, end = max(row_start, lo), min(row_end, hi)
        if start >= end:
            continue
        while ends and ends[-1] > start:
            # The later-starting row wins: cut (or drop) the earlier one.
            if starts[-1] < start:
                ends[-1] = start
                break
            starts.pop()
            ends.pop()
            picked.pop()
        starts.append(start)
        ends.append(end)
        picked.append(index)
    prices = rows.inc if include_vat else rows.exc
    return starts, ends, int_column([prices[i] for i in picked]), rows.scale
