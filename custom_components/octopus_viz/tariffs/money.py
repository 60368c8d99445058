"""Exact decimal columns as integers: money and rates without a Decimal per half-hour.

A value is an integer count of a small unit, 10**-scale of a currency unit (or of a penny for
published rate rows): `units / 10**scale` exactly. Metered kWh have three decimals and published
rates at most eight (in currency units), so a cost, kWh x rate, is an exact integer of 10**-11
currency units: the common scales are KWH_SCALE, RATE_SCALE and MONEY_SCALE. A value needing more
digits raises the scale of its whole column (`scale_of`), so every value stays exact whatever it
is; a column is an `array('q')` of int64 (8 bytes a value, no object per value, invisible to the
garbage collector) unless some value does not fit, in which case it is a list of Python ints,
still exact. Decimals are made only at the edges (`to_decimal`): sensors, services, statistics.

Pure Python, no Home Assistant import.
"""

from __future__ import annotations

from array import array
from collections.abc import Iterable, Sequence
from decimal import MAX_EMAX, MAX_PREC, MIN_EMIN, Context, Decimal
from typing import Final

KWH_SCALE: Final = 3
RATE_SCALE: Final = 8
MONEY_SCALE: Final = KWH_SCALE + RATE_SCALE
_INT64_MAX: Final = 2**63 - 1
_EXACT: Final = Context(prec=MAX_PREC, Emax=MAX_EMAX, Emin=MIN_EMIN)

# Integers of a column: an int64 array, or (values too large for int64) a list.
type Units = array[int] | list[int]


def int_column(values: Iterable[int] = ()) -> Units:
    """An int64 array of the values, or a list when one does not fit in 64 bits."""
    values = values if isinstance(values, list | array) else list(values)
    try:
        return array("q", values)
    except OverflowError:
        return list(values)


def decimals_of(value: Decimal) -> int:
    """How many decimals the value's exact representation has (0 for integers)."""
    if not value.is_finite():
        raise ValueError(f"not a finite number: {value}")
    return max(-int(value.as_tuple().exponent), 0)


def to_units(value: Decimal, scale: int) -> int:
    """The value as an integer count of 10**-scale (ValueError when that is not exact)."""
    if not value.is_finite():
        raise ValueError(f"not a finite number: {value}")
    sign, digits, exponent = value.as_tuple()
    units = int("".join(map(str, digits)) or "0")
    shift = int(exponent) + scale
    if shift >= 0:
        units *= int(10**shift)
    else:
        units, rest = divmod(units, 10**-shift)
        if rest:
            raise ValueError(f"{value} has more than {scale} decimals")
    return -units if sign else units


def text_units(text: str) -> tuple[int, int]:
    """Exact decimal text (such as "24.15" or "-2.1") as (units, scale): units / 10**scale."""
    whole, _dot, fraction = text.partition(".")
    if fraction.isdigit() or not fraction:
        try:
            return int(whole + fraction), len(fraction)  # "-2.15" -> (-215, 2)
        except ValueError:
            pass
    value = Decimal(text)  # exponents and anything unusual: the slow, general way
    scale = decimals_of(value)
    return to_units(value, scale), scale


def to_decimal(units: int, scale: int) -> Decimal:
    """An integer count of 10**-scale as the exact Decimal (the edge conversion)."""
    # Decimal(int) is exact, and so is a shift in a context with every digit allowed.
    return Decimal(units).scaleb(-scale, _EXACT)


def scale_of(values: Iterable[Decimal], least: int) -> int:
    """The smallest scale >= `least` representing every value exactly."""
    return max(least, max((decimals_of(value) for value in values), default=0))


def rescaled(units: Units, scale: int, to: int) -> Units:
    """The same values at a larger scale (exact: a multiplication)."""
    if to == scale:
        return units
    if to < scale:
        raise ValueError(f"cannot lower a scale from {scale} to {to} exactly")
    factor = 10 ** (to - scale)
    return int_column([value * factor for value in units])


class MoneyColumn:
    """Money of consecutive half-hours: units (0 where unpriced), a priced mask, a scale.

    Sums of slices are integer sums in C over the array; `value`/`decimals` convert at the
    edge. Immutable by convention: operations return new columns.
    """

    __slots__ = ("priced", "scale", "units")

    def __init__(self, units: Units, priced: array[int], scale: int = MONEY_SCALE) -> None:
        """Wrap parallel columns (same length; `priced` holds 1 or 0 per half-hour)."""
        if len(units) != len(priced):
            raise ValueError("money columns differ in length")
        self.units, self.priced, self.scale = units, priced, scale

    @classmethod
    def empty(cls, scale: int = MONEY_SCALE) -> MoneyColumn:
        """No half-hour."""
        return cls(array("q"), array("B"), scale)

    @classmethod
    def unpriced(cls, count: int, scale: int = MONEY_SCALE) -> MoneyColumn:
        """`count` half-hours without a price."""
        return cls(array("q", bytes(8 * count)), array("B", bytes(count)), scale)

    @classmethod
    def from_decimals(
        cls, values: Sequence[Decimal | None], least: int = MONEY_SCALE
    ) -> MoneyColumn:
        """From Decimals (None = unpriced), at the smallest scale >= `least` that is exact."""
        scale = scale_of((value for value in values if value is not None), least)
        units = int_column([0 if v is None else to_units(v, scale) for v in values])
        return cls(units, array("B", [v is not None for v in values]), scale)

    def __len__(self) -> int:
        """Number of half-hours."""
        return len(self.priced)

    def __eq__(self, other: object) -> bool:
        """Same money for the same half-hours (whatever the scales)."""
        if not isinstance(other, MoneyColumn):
            return NotImplemented
        if self.priced != other.priced:
            return False
        scale = max(self.scale, other.scale)
        return list(rescaled(self.units, self.scale, scale)) == list(
            rescaled(other.units, other.scale, scale)
        )

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        """Size and scale, for test failures."""
        return f"MoneyColumn({len(self)} half-hours, scale {self.scale})"

    def value(self, index: int) -> Decimal | None:
        """One half-hour's money (None = unpriced)."""
        return to_decimal(self.units[index], self.scale) if self.priced[index] else None

    def decimals(self) -> list[Decimal | None]:
        """Every half-hour's money as Decimals (an edge: one object per half-hour)."""
        scale = self.scale
        return [
            to_decimal(units, scale) if priced else None
            for units, priced in zip(self.units, self.priced, strict=True)
        ]

    def total(self, lo: int = 0, hi: int | None = None) -> int:
        """Units of the priced half-hours among lo..hi-1 (unpriced ones hold 0)."""
        return sum(self.units[lo:hi])

    def unpriced_count(self, lo: int = 0, hi: int | None = None) -> int:
        """How many of half-hours lo..hi-1 are unpriced."""
        mask = self.priced[lo:hi]
        return len(mask) - sum(mask)

    def at_scale(self, scale: int) -> MoneyColumn:
        """The same money at a larger scale."""
        if scale == self.scale:
            return self
        return MoneyColumn(rescaled(self.units, self.scale, scale), self.priced, scale)

    def slice(self, lo: int, hi: int | None = None) -> MoneyColumn:
        """Half-hours lo..hi-1."""
        return MoneyColumn(self.units[lo:hi], self.priced[lo:hi], self.scale)

    def pick(self, indexes: Iterable[int]) -> MoneyColumn:
        """The half-hours at the given indexes, in that order."""
        chosen = list(indexes)
        units = self.units
        return MoneyColumn(
            int_column([units[i] for i in chosen]),
            array("B", [self.priced[i] for i in chosen]),
            self.scale,
        )


def concat(columns: Sequence[MoneyColumn]) -> MoneyColumn:
    """Columns one after another, at the largest of their scales."""
    if not columns:
        return MoneyColumn.empty()
    scale = max(column.scale for column in columns)
    units: Units = array("q")
    priced = array("B")
    for column in columns:
        part = rescaled(column.units, column.scale, scale)
        if isinstance(units, array) and isinstance(part, array):
            units.extend(part)
        else:
            units = [*units, *part]
        priced.extend(column.priced)
    return MoneyColumn(units, priced, scale)


def fits_int64(value: int) -> bool:
    """Whether an int64 array can hold the value."""
    return -_INT64_MAX - 1 <= value <= _INT64_MAX
