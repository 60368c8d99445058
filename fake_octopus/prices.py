"""Deterministic price levels for the demo products (all values exc VAT, in pence).

The variable tariff follows the UK price cap quarter by quarter (rough real levels for 2022-2025,
a smooth formula afterwards); Flux is priced off it; Agile is a half-hourly formula on a
simulated wholesale price with cheap nights, a 16:00-19:00 peak and, on windy nights, negative
import prices.
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from functools import lru_cache
import math
import random

from .clock import DAY_SECONDS, HALF_HOUR, utc_offset_seconds
from .series import Band

REGIONS = "ABCDEFGHJKLMNP"  # the 14 GSP groups (no I or O)
NON_DIRECT_DEBIT_EXTRA = Decimal("1.5")

# Quarter number = year * 4 + (month - 1) // 3; (unit rate p/kWh, standing charge p/day), region C.
_CAP_LEVELS: dict[int, tuple[str, str]] = {
    2022 * 4 + 3: ("32.3810", "44.6430"),
    2023 * 4 + 0: ("32.3810", "44.6430"),
    2023 * 4 + 1: ("32.3810", "44.6430"),
    2023 * 4 + 2: ("28.6762", "50.2286"),
    2023 * 4 + 3: ("26.0476", "50.3219"),
    2024 * 4 + 0: ("27.2571", "50.6133"),
    2024 * 4 + 1: ("23.3333", "57.2952"),
    2024 * 4 + 2: ("21.2952", "57.2952"),
    2024 * 4 + 3: ("23.3333", "57.0286"),
    2025 * 4 + 0: ("23.6762", "58.0952"),
    2025 * 4 + 1: ("25.7429", "48.6286"),
    2025 * 4 + 2: ("24.5048", "49.4190"),
    2025 * 4 + 3: ("25.0952", "49.7048"),
}
# Gas under the same caps: (unit rate p/kWh, standing charge p/day) exc VAT, region C.
_GAS_CAP_LEVELS: dict[int, tuple[str, str]] = {
    2022 * 4 + 3: ("9.8095", "26.8095"),
    2023 * 4 + 0: ("9.8095", "26.8095"),
    2023 * 4 + 1: ("9.8095", "26.8095"),
    2023 * 4 + 2: ("7.1524", "27.7238"),
    2023 * 4 + 3: ("6.5619", "28.2095"),
    2024 * 4 + 0: ("7.0667", "28.1905"),
    2024 * 4 + 1: ("5.7524", "29.9333"),
    2024 * 4 + 2: ("5.2190", "30.1429"),
    2024 * 4 + 3: ("5.9429", "30.1524"),
    2025 * 4 + 0: ("6.0381", "30.1429"),
    2025 * 4 + 1: ("6.6571", "31.1143"),
    2025 * 4 + 2: ("6.0286", "28.4000"),
    2025 * 4 + 3: ("5.9905", "32.4095"),
}
_FOUR = Decimal("0.0001")
_TWO = Decimal("0.01")


def quarter_of(day: date) -> int:
    """The price-cap quarter number of a local day."""
    return day.year * 4 + (day.month - 1) // 3


def quarter_start(quarter: int) -> date:
    """First local day of a quarter (Jan/Apr/Jul/Oct 1st)."""
    return date(quarter // 4, (quarter % 4) * 3 + 1, 1)


def _region_shift(region: str, step: str) -> Decimal:
    # Prices differ slightly per region; C (London) carries the reference levels.
    return (REGIONS.index(region) - REGIONS.index("C")) * Decimal(step)


def _cap_level(quarter: int) -> tuple[Decimal, Decimal]:
    known = _CAP_LEVELS.get(quarter)
    if known is not None:
        return Decimal(known[0]), Decimal(known[1])
    # Outside the table: a gentle deterministic wave around recent levels.
    unit = Decimal(str(round(24.5 + 1.6 * math.sin(quarter * 1.3), 4)))
    standing = Decimal(str(round(50.0 + 3.0 * math.cos(quarter * 0.9), 4)))
    return unit, standing


def gas_variable_unit(quarter: int, region: str) -> Decimal:
    """Variable gas unit price (direct debit), p/kWh; a gentle wave outside the table."""
    known = _GAS_CAP_LEVELS.get(quarter)
    unit = Decimal(known[0]) if known else Decimal(str(round(6.2 + 0.5 * math.sin(quarter), 4)))
    return (unit + _region_shift(region, "0.03")).quantize(_FOUR)


def gas_variable_standing(quarter: int, region: str) -> Decimal:
    """Variable gas standing charge (direct debit), p/day."""
    known = _GAS_CAP_LEVELS.get(quarter)
    day = Decimal(known[1]) if known else Decimal(str(round(30.0 + 1.5 * math.cos(quarter), 4)))
    return (day + _region_shift(region, "0.21")).quantize(_FOUR)


def variable_unit(quarter: int, region: str) -> Decimal:
    """Variable tariff single-rate unit price (direct debit)."""
    return (_cap_level(quarter)[0] + _region_shift(region, "0.21")).quantize(_FOUR)


def variable_standing(quarter: int, region: str) -> Decimal:
    """Variable tariff standing charge (direct debit), also used by Flux import."""
    return (_cap_level(quarter)[1] + _region_shift(region, "0.83")).quantize(_FOUR)


def economy7_day(quarter: int, region: str) -> Decimal:
    """Economy 7 day register price."""
    return (variable_unit(quarter, region) + Decimal("2.9")).quantize(_FOUR)


def economy7_night(quarter: int, region: str) -> Decimal:
    """Economy 7 night register price."""
    return (variable_unit(quarter, region) * Decimal("0.56")).quantize(_FOUR)


FLUX_BANDS = (
    Band(0, 2, "base"),
    Band(2, 5, "low"),
    Band(5, 16, "base"),
    Band(16, 19, "peak"),
    Band(19, 24, "base"),
)
_FLUX_FACTORS = {"base": Decimal("1.2538"), "low": Decimal("0.75228"), "peak": Decimal("1.75532")}
_FLUX_EXPORT_GAP = Decimal("10.4762")  # export pays 11p (inc VAT) less than import in every band


def flux_import(day: date, band: Band, region: str) -> Decimal:
    """Flux import price of a band (about 30.72 / 18.432 / 43.008 p inc VAT in mid 2024)."""
    return (variable_unit(quarter_of(day), region) * _FLUX_FACTORS[band.name]).quantize(_FOUR)


def flux_export(day: date, band: Band, region: str) -> Decimal:
    """Flux export price of a band (about 19.72 / 7.432 / 32.008 p in mid 2024)."""
    return (flux_import(day, band, region) - _FLUX_EXPORT_GAP).quantize(_FOUR)


def agile_standing(day: date, region: str) -> Decimal:
    """Agile daily standing charge (a little under the variable tariff's)."""
    return (variable_standing(quarter_of(day), region) * Decimal("0.97")).quantize(_FOUR)


OUTGOING_FIXED = Decimal("15.0")


@lru_cache(maxsize=4096)
def _wholesale_day(epoch_day: int) -> tuple[float, ...]:
    """Simulated wholesale price (p/kWh) for the 48 UTC half hours of a day."""
    rng = random.Random(f"octopus-viz-demo-wholesale:{epoch_day}")
    day = date(1970, 1, 1) + timedelta(days=epoch_day)
    winter = (1 - math.cos(2 * math.pi * (day.timetuple().tm_yday - 15) / 365.25)) / 2
    summer = 1 - winter
    level = (7.5 + 4.0 * winter) * rng.uniform(0.75, 1.3)
    windy = rng.random() < 0.14
    values: list[float] = []
    for slot in range(48):
        start = epoch_day * DAY_SECONDS + slot * HALF_HOUR
        hour = ((start + utc_offset_seconds(start)) % DAY_SECONDS) / 3600
        if hour < 6 or hour >= 23:
            shape = 0.62
        elif hour < 9:
            shape = 1.05
        elif hour < 16:
            shape = 0.92 - 0.3 * summer * math.exp(-(((hour - 13) / 2) ** 2))
        elif hour < 19:
            shape = 1.4
        else:
            shape = 1.0
        price = level * shape + rng.uniform(-1.0, 1.0)
        if windy and (hour < 5.5 or hour >= 23.5):
            price = -rng.uniform(0.3, 3.5)  # wind surplus overnight
        values.append(price)
    return tuple(values)


def _wholesale(index: int) -> tuple[float, bool]:
    """The wholesale price of a half hour and whether it falls in the 16:00-19:00 local peak."""
    epoch_day, slot = divmod(index, 48)
    start = index * HALF_HOUR
    hour = ((start + utc_offset_seconds(start)) % DAY_SECONDS) / 3600
    return _wholesale_day(epoch_day)[slot], 16 <= hour < 19


def agile_import(index: int, region: str) -> Decimal:
    """Agile import price: 2.2 x wholesale (+12p in the peak), capped at 100p; may be negative."""
    wholesale, peak = _wholesale(index)
    multiplier = 2.2 + (REGIONS.index(region) - 2) * 0.02
    price = min(multiplier * wholesale + (12.0 if peak else 0.0), 100.0)
    return Decimal(f"{price:.2f}")


def agile_outgoing(index: int, region: str) -> Decimal:
    """Agile Outgoing price: about wholesale plus a small uplift, never below zero."""
    wholesale, peak = _wholesale(index)
    price = max(0.95 * wholesale + (5.9 if peak else 1.1) + REGIONS.index(region) * 0.01, 0.0)
    return Decimal(f"{price:.2f}")
