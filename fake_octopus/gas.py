"""The demo household's gas: a deterministic half-hourly simulation and the gas meter points.

A SMETS2 gas meter reports cubic metres per half hour, a SMETS1 meter kWh; nothing in the
response says which. Demand is mostly space heating (high in winter, a trickle in summer) on top
of hot water and cooking, shaped by the UK local day: the boiler runs in the morning and the
evening. Each UTC day is simulated from a generator seeded with the day number, like the
electricity readings, so values never depend on the order of requests.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import lru_cache
import math
import random
from typing import Any, Final, Literal

from .clock import DAY_SECONDS, HALF_HOUR, utc_offset_seconds

type GasUnit = Literal["m3", "kwh"]

DEMO_GAS_MPRN: Final = "8800000001"
DEMO_GAS_SERIAL: Final = "E6S10000000061"
# The demo's gas has been on the variable tariff since the move-in (price-cap changes each
# quarter); timestamps written as the account writes them.
GAS_AGREEMENTS: Final = (("G-1R-VAR-22-11-01-C", "2023-01-15T00:00:00Z", None),)
# What a SMETS1 meter would report for a cubic metre (about 11.2 kWh at a typical CV).
_KWH_PER_M3: Final = 11.22

_SLOTS_PER_DAY = DAY_SECONDS // HALF_HOUR
_SEED_PREFIX = "octopus-viz-demo-gas"


def _bump(centre: float, width: float) -> tuple[float, ...]:
    return tuple(math.exp(-(((slot / 2 + 0.25 - centre) / width) ** 2)) for slot in range(48))


_HEATING_MORNING = _bump(7.0, 1.2)
_HEATING_EVENING = _bump(19.0, 2.4)
_HOT_WATER = tuple(a + b for a, b in zip(_bump(7.5, 0.6), _bump(20.5, 0.8), strict=True))


@lru_cache(maxsize=4096)
def simulate_gas_day(epoch_day: int) -> tuple[float, ...]:
    """Cubic metres for the 48 UTC half hours of a day, rounded to 3 decimals."""
    rng = random.Random(f"{_SEED_PREFIX}:{epoch_day}")
    day = date(1970, 1, 1) + timedelta(days=epoch_day)
    # 1 in midwinter (mid January), 0 in midsummer.
    winter = (1 + math.cos(2 * math.pi * (day.timetuple().tm_yday - 15) / 365.25)) / 2
    cold_snap = rng.uniform(0.75, 1.3)
    heating = 0.42 * winter**1.5 * cold_snap  # m³ per half hour at the heating peak
    water = 0.11 * rng.uniform(0.7, 1.3)
    values: list[float] = []
    day_start = epoch_day * DAY_SECONDS
    for slot in range(_SLOTS_PER_DAY):
        start = day_start + slot * HALF_HOUR
        local_slot = (slot + utc_offset_seconds(start) // HALF_HOUR) % _SLOTS_PER_DAY
        demand = heating * (_HEATING_MORNING[local_slot] + 0.8 * _HEATING_EVENING[local_slot])
        demand += water * _HOT_WATER[local_slot]
        if rng.random() < 0.04:  # the hob, a bath
            demand += rng.uniform(0.05, 0.2)
        values.append(round(demand * rng.uniform(0.85, 1.15), 3))
    return tuple(values)


def gas_value(index: int, unit: GasUnit) -> float:
    """The reading of a half hour (index = epoch seconds // 1800) in the meter's unit."""
    epoch_day, slot = divmod(index, _SLOTS_PER_DAY)
    volume = simulate_gas_day(epoch_day)[slot]
    return volume if unit == "m3" else round(volume * _KWH_PER_M3, 3)


@dataclass(slots=True)
class GasMeterPoint:
    """A gas meter point of the current property: its serials and what each reports."""

    mprn: str
    agreements: tuple[tuple[str, str, str | None], ...] = GAS_AGREEMENTS
    # Serial -> unit reported, or None for a meter listed with no readings (a replaced or
    # non-smart meter returns an empty list).
    serials: dict[str, GasUnit | None] = field(default_factory=dict)

    def payload(self) -> dict[str, Any]:
        """The meter point as the account endpoint lists it."""
        return {
            "mprn": self.mprn,
            "consumption_standard": 11_500,
            "meters": [{"serial_number": serial, "registers": []} for serial in self.serials],
            "agreements": [
                {"tariff_code": code, "valid_from": start, "valid_to": end}
                for code, start, end in self.agreements
            ],
        }


def demo_gas_points() -> dict[str, GasMeterPoint]:
    """The demo property's gas: one SMETS2 meter reporting cubic metres."""
    return {DEMO_GAS_MPRN: GasMeterPoint(DEMO_GAS_MPRN, serials={DEMO_GAS_SERIAL: "m3"})}
