"""Rates of the comparison families: Go, Intelligent Go, Cosy, Tracker and the 12-month fixed.

All prices are exc VAT, in pence, derived from the variable tariff's price-cap level (so they
move with it quarter by quarter and differ per region) or, for Tracker, from the simulated
wholesale day. Time-of-use bands are UK local wall-clock times, published as rows per local day
like Flux; Tracker publishes one unit rate and one standing charge per local day; the fixed
product publishes one open-ended row from the day it went on sale.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from .clock import local_midnight
from .prices import agile_import, quarter_of, variable_standing, variable_unit
from .series import Band, ListSeries, LocalDayBandSeries, RateEntry, RateSeries
from .specs import Kind

_FOUR = Decimal("0.0001")

GO_BANDS = (Band(0, 0.5, "base"), Band(0.5, 5.5, "low"), Band(5.5, 24, "base"))
INTELLIGENT_GO_BANDS = (Band(0, 5.5, "low"), Band(5.5, 23.5, "base"), Band(23.5, 24, "low"))
COSY_BANDS = (
    Band(0, 4, "base"),
    Band(4, 7, "low"),
    Band(7, 13, "base"),
    Band(13, 16, "low"),
    Band(16, 19, "peak"),
    Band(19, 24, "base"),
)
_BANDS = {Kind.GO: GO_BANDS, Kind.INTELLIGENT_GO: INTELLIGENT_GO_BANDS, Kind.COSY: COSY_BANDS}
_FACTORS = {
    Kind.GO: {"low": Decimal("0.36"), "base": Decimal("1.08")},
    Kind.INTELLIGENT_GO: {"low": Decimal("0.30"), "base": Decimal("1.06")},
    Kind.COSY: {"low": Decimal("0.55"), "base": Decimal("1.04"), "peak": Decimal("1.45")},
}
BAND_KINDS = frozenset(_BANDS)
FIXED_UNIT = Decimal("22.1905")  # region C; other regions are shifted like the variable tariff
FIXED_STANDING = Decimal("47.6190")
_WHOLE_DAY = (Band(0, 24, "day"),)


def band_price(kind: Kind, day: date, band: Band, region: str) -> Decimal:
    """Price of a band of a time-of-use family on a local day."""
    level = variable_unit(quarter_of(day), region)
    return (level * _FACTORS[kind][band.name]).quantize(_FOUR)


def tracker_unit(day: date, region: str) -> Decimal:
    """Tracker's unit rate of a local day: the day's mean Agile-like price, bounded."""
    first = int(local_midnight(day).timestamp()) // 1800
    prices = [agile_import(index, region) for index in range(first, first + 48)]
    mean = sum(prices, Decimal(0)) / len(prices)
    return min(max(mean * Decimal("0.9") + Decimal("4.5"), Decimal("8")), Decimal("40")).quantize(
        _FOUR
    )


def tracker_standing(day: date, region: str) -> Decimal:
    """Tracker's standing charge of a local day."""
    return (variable_standing(quarter_of(day), region) * Decimal("0.96")).quantize(_FOUR)


def _shift(region: str, step: str) -> Decimal:
    # The same regional spread as the variable tariff (C carries the reference levels).
    return (variable_unit(0, region) - variable_unit(0, "C")) * Decimal(step)


def family_series(
    kind: Kind, region: str, first_day: date, last_day: date, *, standing: bool
) -> RateSeries:
    """The rows of a family's unit rates (or standing charges) from first_day to last_day."""
    if kind is Kind.FIXED:
        value = FIXED_STANDING if standing else FIXED_UNIT + _shift(region, "1")
        return ListSeries([RateEntry.make(local_midnight(first_day), None, value.quantize(_FOUR))])
    if kind is Kind.TRACKER:
        daily = tracker_standing if standing else tracker_unit
        return LocalDayBandSeries(
            first_day, last_day, _WHOLE_DAY, lambda day, _band: daily(day, region)
        )
    if standing:
        return LocalDayBandSeries(
            first_day,
            last_day,
            _WHOLE_DAY,
            lambda day, _band: variable_standing(quarter_of(day), region),
        )
    return LocalDayBandSeries(
        first_day, last_day, _BANDS[kind], lambda day, band: band_price(kind, day, band, region)
    )
