"""Typed data shared by the client, the tariff engine and the cache.

Pure Python: nothing here imports Home Assistant. Datetimes are aware and in UTC.
Energy is a float (kWh, as metered); money is always Decimal.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from enum import StrEnum
from typing import Any, Final

_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)

# Keys of a followed meter as the config entry stores it (see MeterConfig).
CONF_MPAN: Final = "mpan"
CONF_SERIAL: Final = "serial"
CONF_DIRECTION: Final = "direction"
# Absent in entries made before gas was supported: electricity, in kWh.
CONF_FUEL: Final = "fuel"
CONF_UNIT: Final = "unit"


class Direction(StrEnum):
    """Whether a meter measures energy taken from or given to the grid."""

    IMPORT = "import"
    EXPORT = "export"


class Fuel(StrEnum):
    """What a meter point supplies. A gas meter is always an import."""

    ELECTRICITY = "electricity"
    GAS = "gas"


class ReadingUnit(StrEnum):
    """What a meter's consumption rows count: electricity and SMETS1 gas meters report kWh,
    SMETS2 gas meters cubic metres (nothing in the response says which)."""

    KWH = "kwh"
    M3 = "m3"


def flow_label(fuel: Fuel, direction: Direction) -> str:
    """'import', 'export' or 'gas': how the integration names what a meter or tariff measures."""
    return fuel.value if fuel is Fuel.GAS else direction.value


@dataclass(frozen=True, slots=True, kw_only=True)
class Agreement:
    """A tariff in force on a meter point between two instants."""

    tariff_code: str
    valid_from: datetime
    valid_to: datetime | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class Register:
    """One register of a meter (economy 7 meters have a day and a night register)."""

    identifier: str
    rate: str | None = None
    is_settlement_register: bool = True


@dataclass(frozen=True, slots=True, kw_only=True)
class Meter:
    """A physical meter (serial) on a meter point; a meter point may list replaced ones."""

    serial_number: str
    registers: tuple[Register, ...] = ()


@dataclass(frozen=True, slots=True, kw_only=True)
class MeterPoint:
    """An electricity meter point (MPAN) of a property."""

    mpan: str
    is_export: bool
    meters: tuple[Meter, ...] = ()
    agreements: tuple[Agreement, ...] = ()
    profile_class: int | None = None
    consumption_standard: int | None = None

    @property
    def direction(self) -> Direction:
        """Import or export."""
        return Direction.EXPORT if self.is_export else Direction.IMPORT


@dataclass(frozen=True, slots=True, kw_only=True)
class GasMeterPoint:
    """A gas meter point (MPRN) of a property; its meters carry no registers."""

    mprn: str
    meters: tuple[Meter, ...] = ()
    agreements: tuple[Agreement, ...] = ()
    consumption_standard: int | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class Property:
    """A property of the account; moved_out_at is None for the current one."""

    id: int
    moved_in_at: datetime | None = None
    moved_out_at: datetime | None = None
    address_line_1: str = ""
    town: str = ""
    postcode: str = ""
    electricity_meter_points: tuple[MeterPoint, ...] = ()
    gas_meter_points: tuple[GasMeterPoint, ...] = ()


@dataclass(frozen=True, slots=True, kw_only=True)
class Account:
    """An Octopus Energy account."""

    number: str
    properties: tuple[Property, ...] = ()

    @property
    def current_property(self) -> Property | None:
        """The property not moved out of (the newest move-in if several)."""
        current = [p for p in self.properties if p.moved_out_at is None]
        if not current:
            return None
        return max(current, key=lambda p: p.moved_in_at or _EPOCH)


@dataclass(slots=True)
class HalfHourReadings:
    """Fetched half-hours as columns: starts (UTC epoch seconds, ascending, one per
    half-hour) and their kWh. Columns, not objects: a backfill holds 100,000 of them."""

    starts: list[int]
    kwh: list[float]

    def __len__(self) -> int:
        """Number of half-hours."""
        return len(self.starts)


@dataclass(frozen=True, slots=True, kw_only=True)
class Reading:
    """One half-hour of metered energy, starting at `start` (UTC, on :00 or :30)."""

    start: datetime
    kwh: float


# A unit rate (pence/kWh) or standing charge (pence/day) row as published:
# (exc_vat, inc_vat, start, end, payment_method), the values as exact decimal text, validity
# [start, end) in UTC epoch seconds (None: open-ended). A plain tuple of strings, ints and
# None, which Python's garbage collector stops tracking (a named tuple or a Decimal it
# tracks for ever): a meter on Agile keeps 50,000 of them. Read it by unpacking.
type RateRow = tuple[str, str, int | None, int | None, str | None]


def rate_row(
    *,
    exc_vat: str,
    inc_vat: str,
    start: int | None,
    end: int | None,
    payment_method: str | None = None,
) -> RateRow:
    """A rate row, its fields named."""
    return (exc_vat, inc_vat, start, end, payment_method)


@dataclass(frozen=True, slots=True, kw_only=True)
class Product:
    """A product (Agile, Flux, ...): names shown to the user."""

    code: str
    display_name: str
    full_name: str = ""
    is_variable: bool = False


@dataclass(frozen=True, slots=True, kw_only=True)
class MeterConfig:
    """A meter the user follows (stored in the config entry).

    `mpan` is the meter point's id: the MPAN of an electricity meter, the MPRN of a gas one
    (an MPRN has 6 to 10 digits, an MPAN 13, so they never collide as keys). A gas meter is
    an import; its `unit` says whether it reports m³ (SMETS2) or kWh (SMETS1).
    """

    mpan: str
    serial: str
    direction: Direction
    agreements: tuple[Agreement, ...] = field(default=())
    fuel: Fuel = Fuel.ELECTRICITY
    unit: ReadingUnit = ReadingUnit.KWH

    @property
    def is_gas(self) -> bool:
        """Whether this is a gas meter."""
        return self.fuel is Fuel.GAS

    @property
    def reports_volume(self) -> bool:
        """Whether readings are cubic metres (converted to kWh with the calorific value)."""
        return self.unit is ReadingUnit.M3

    @property
    def flow(self) -> str:
        """What the meter measures for services and the card: import, export or gas."""
        return flow_label(self.fuel, self.direction)

    def as_config(self) -> dict[str, str]:
        """The form stored in the entry's meters list (agreements are not stored there)."""
        stored = {CONF_MPAN: self.mpan, CONF_SERIAL: self.serial}
        stored[CONF_DIRECTION] = self.direction.value
        if self.is_gas:
            stored[CONF_FUEL] = self.fuel.value
            stored[CONF_UNIT] = self.unit.value
        return stored

    @classmethod
    def from_config(
        cls, raw: Mapping[str, Any], agreements: tuple[Agreement, ...] = ()
    ) -> MeterConfig:
        """Back from the stored form; entries made before gas have no fuel: electricity."""
        fuel = Fuel(raw.get(CONF_FUEL, Fuel.ELECTRICITY.value))
        unit = ReadingUnit(raw.get(CONF_UNIT, ReadingUnit.KWH.value))
        return cls(
            mpan=str(raw[CONF_MPAN]),
            serial=str(raw[CONF_SERIAL]),
            direction=Direction.IMPORT if fuel is Fuel.GAS else Direction(raw[CONF_DIRECTION]),
            agreements=agreements,
            fuel=fuel,
            unit=ReadingUnit.KWH if fuel is Fuel.ELECTRICITY else unit,
        )
