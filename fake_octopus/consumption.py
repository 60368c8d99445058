"""Deterministic half-hourly readings for the demo household (import) and its solar export.

Each UTC day is simulated once from a generator seeded with the day number, so values never
depend on global random state, on the order of requests or on the process. Import and export come
from the same simulation (load against solar), which keeps them physically consistent: the house
exports only when the panels out-produce the load, and never at night.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from functools import lru_cache
import math
import random

from .clock import DAY_SECONDS, HALF_HOUR, ceil_index, to_index, utc_offset_seconds
from .demo import DEMO_EXPORT_MPAN, DEMO_IMPORT_MPAN, EXPORT_HISTORY_START
from .gas import GasUnit, gas_value

_SLOTS_PER_DAY = DAY_SECONDS // HALF_HOUR
_PEAK_SOLAR_KWH = 2.1  # a ~4.5 kWp array on a clear midsummer half hour
_SEED_PREFIX = "octopus-viz-demo-site"


def _bump_table(centre: float, width: float) -> tuple[float, ...]:
    """A Gaussian bump over the 48 local half hours (sampled at their middles)."""
    return tuple(math.exp(-(((slot / 2 + 0.25 - centre) / width) ** 2)) for slot in range(48))


# Load shapes by local half hour, precomputed: the simulation runs for every day of history.
_MORNING = _bump_table(7.4, 1.0)
_MIDDAY = _bump_table(13.0, 1.6)
_EVENING_CENTRES = (17.8, 18.05, 18.3, 18.55, 18.8, 19.05)
_EVENINGS = tuple(_bump_table(centre, 1.6) for centre in _EVENING_CENTRES)


@lru_cache(maxsize=4096)
def simulate_day(epoch_day: int) -> tuple[tuple[float, ...], tuple[float, ...]]:
    """(import, export) kWh for the 48 UTC half hours of a day, rounded to 3 decimals.

    Memoised process-wide: values are a pure function of the day, so every FakeOctopus shares them.
    """
    rng = random.Random(f"{_SEED_PREFIX}:{epoch_day}")
    day = date(1970, 1, 1) + timedelta(days=epoch_day)
    # +1 at midsummer, -1 at midwinter.
    season = math.cos(2 * math.pi * (day.timetuple().tm_yday - 172) / 365.25)
    winter = (1 - season) / 2
    # Summer days are sunnier on average; some days are simply overcast.
    clearness = min(1.0, 0.1 + 0.9 * rng.random() ** (1.3 - 0.5 * (season + 1) / 2))
    day_length = 12.2 + 4.4 * season  # hours of daylight at ~51.5 N
    sunrise = 12.1 - day_length / 2  # UTC hours; solar noon is about 12:05 UTC in the UK
    solar_peak = _PEAK_SOLAR_KWH * (0.2 + 0.8 * ((season + 1) / 2) ** 1.2) * clearness
    evening = _EVENINGS[rng.randrange(len(_EVENINGS))]
    base = 0.09 + 0.07 * winter
    morning_size = 0.3 + 0.15 * winter
    evening_size = 0.55 + 0.35 * winter
    imports: list[float] = []
    exports: list[float] = []
    day_start = epoch_day * DAY_SECONDS
    for slot in range(_SLOTS_PER_DAY):
        start = day_start + slot * HALF_HOUR
        local_slot = (slot + utc_offset_seconds(start) // HALF_HOUR) % _SLOTS_PER_DAY
        # Household load: base, morning and evening peaks, more in winter (lighting, heating).
        load = (
            base
            + morning_size * _MORNING[local_slot]
            + 0.12 * _MIDDAY[local_slot]
            + evening_size * evening[local_slot]
        ) * (0.8 + 0.4 * rng.random())
        if rng.random() < 0.05:  # oven, kettle, washing machine...
            load += rng.uniform(0.3, 1.1)
        # Solar: a sine over daylight, scaled by season and the day's clearness, with passing cloud.
        position = (slot / 2 + 0.25 - sunrise) / day_length
        cloud = 0.65 + 0.35 * rng.random()
        solar = 0.0
        if 0 < position < 1:
            solar = solar_peak * cloud * math.sin(math.pi * position) ** 1.4
        # A meter still records a trickle of import while the house runs on its own solar.
        trickle = 0.002 + 0.01 * rng.random()
        imports.append(round(max(load - solar, 0.0) + trickle, 3))
        exports.append(round(max(solar - load, 0.0), 3))
    return tuple(imports), tuple(exports)


class ConsumptionModel:
    """The readings served per MPAN (or gas MPRN), with revisions layered over the simulation."""

    def __init__(self, history_start: datetime) -> None:
        """Set where each MPAN's data begins (export started later than import)."""
        self._history_start = history_start
        self._first_index = {
            DEMO_IMPORT_MPAN: ceil_index(history_start),
            DEMO_EXPORT_MPAN: ceil_index(max(history_start, EXPORT_HISTORY_START)),
        }
        self._gas_units: dict[str, GasUnit] = {}
        self._revisions: dict[tuple[str, int], float] = {}

    def add_gas(self, mprn: str, unit: GasUnit) -> None:
        """Serve gas readings for an MPRN (in m³ or kWh) from the start of the history."""
        self._first_index[mprn] = ceil_index(self._history_start)
        self._gas_units[mprn] = unit

    def has_data(self, mpan: str) -> bool:
        """True for the MPANs that carry readings."""
        return mpan in self._first_index

    def first_index(self, mpan: str) -> int:
        """Index of the first half hour with a reading for an MPAN."""
        return self._first_index[mpan]

    def value(self, mpan: str, index: int) -> float:
        """The kWh (or gas m³) served for a half hour (a revision if one was made)."""
        revised = self._revisions.get((mpan, index))
        if revised is not None:
            return revised
        if (unit := self._gas_units.get(mpan)) is not None:
            return gas_value(index, unit)
        epoch_day, slot = divmod(index, _SLOTS_PER_DAY)
        imports, exports = simulate_day(epoch_day)
        return imports[slot] if mpan == DEMO_IMPORT_MPAN else exports[slot]

    def revise(self, mpan: str, index: int, kwh: float) -> None:
        """Record a corrected reading, served from now on."""
        self._revisions[(mpan, index)] = round(kwh, 3)


def index_of_start(mpan: str, start: datetime, model: ConsumptionModel) -> int:
    """Validate a public-API half-hour start and return its index."""
    if not model.has_data(mpan):
        msg = f"{mpan} is not a demo MPAN or MPRN with readings"
        raise ValueError(msg)
    if start.tzinfo is None:
        msg = "start must be timezone-aware"
        raise ValueError(msg)
    if start.astimezone(UTC).minute % 30 or start.second or start.microsecond:
        msg = f"{start.isoformat()} is not the start of a half hour"
        raise ValueError(msg)
    return to_index(start)
