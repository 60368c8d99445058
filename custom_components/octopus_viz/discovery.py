"""Which meters an account has, which of them is live, and other flow-side helpers.

Pure Python (no Home Assistant import): the config flow asks these questions, tests can ask
them directly. The only I/O is through the injected OctopusClient.
"""

from __future__ import annotations

import asyncio
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
import logging
import re
from typing import Any, Protocol
from zoneinfo import ZoneInfo

from .api.errors import OctopusError
from .api.local_time import LOCAL_TZ_NAME
from .api.models import Account, Direction, Fuel, MeterConfig, ReadingUnit

_LOGGER = logging.getLogger(__name__)


class MeterProbe(Protocol):
    """What discovery needs from the client (OctopusClient satisfies it)."""

    async def async_get_latest_reading_start(
        self, mpan: str, serial: str, fuel: Fuel = Fuel.ELECTRICITY
    ) -> datetime | None:
        """Start of the newest reading of a meter, None if it has none."""


_ACCOUNT_RE = re.compile(r"^A-?([0-9A-Z]{8})$")
MPAN_RE = re.compile(r"^\d{13}$")
MPRN_RE = re.compile(r"^\d{6,10}$")
SERIAL_RE = re.compile(r"^[0-9A-Za-z][0-9A-Za-z-]{0,39}$")


def normalise_account_number(raw: str) -> str | None:
    """'  a-1b2c3d4e ' -> 'A-1B2C3D4E'; None if it does not look like an account number."""
    match = _ACCOUNT_RE.match(re.sub(r"\s+", "", raw).upper())
    return f"A-{match.group(1)}" if match else None


@dataclass(frozen=True, slots=True)
class MeterChoice:
    """One meter point/serial pair offered to the user (an MPRN for a gas meter)."""

    mpan: str
    serial: str
    direction: Direction
    fuel: Fuel = Fuel.ELECTRICITY
    unit: ReadingUnit = ReadingUnit.KWH
    # False for a listed meter that returns no readings (a replaced or non-smart gas meter).
    has_readings: bool = field(default=True, compare=False)

    @property
    def key(self) -> str:
        """The select option value (meter point ids and serials never contain '/')."""
        return f"{self.mpan}/{self.serial}"

    @property
    def label(self) -> str:
        """'1900000000001 (import) — 23J0000002', '8800000001 (gas) — E6S...'."""
        kind = self.fuel.value if self.fuel is Fuel.GAS else self.direction.value
        return f"{self.mpan} ({kind}) — {self.serial}"

    def with_unit(self, unit: ReadingUnit) -> MeterChoice:
        """The same gas meter reporting `unit` (electricity always counts kWh)."""
        if self.fuel is not Fuel.GAS:
            return self
        return MeterChoice(self.mpan, self.serial, self.direction, self.fuel, unit)

    def as_config(self) -> dict[str, str]:
        """The form stored in the entry's CONF_METERS list."""
        return MeterConfig(
            mpan=self.mpan,
            serial=self.serial,
            direction=self.direction,
            fuel=self.fuel,
            unit=self.unit,
        ).as_config()

    @classmethod
    def from_config(cls, raw: Mapping[str, Any]) -> MeterChoice:
        """Back from the stored form (entries from before gas: electricity)."""
        meter = MeterConfig.from_config(raw)
        return cls(meter.mpan, meter.serial, meter.direction, meter.fuel, meter.unit)


async def _newest_readings(
    client: MeterProbe, point: str, serials: list[str], fuel: Fuel
) -> list[datetime | None]:
    """The start of each serial's newest reading (one request of one row each); a failed
    probe counts as "no data"."""

    async def latest(serial: str) -> datetime | None:
        try:
            return await client.async_get_latest_reading_start(point, serial, fuel)
        except OctopusError as err:
            _LOGGER.debug("Probe of %s/%s failed: %s", point, serial, err)
            return None

    return list(await asyncio.gather(*(latest(serial) for serial in serials)))


def _active(serials: list[str], newest: list[datetime | None]) -> str | None:
    """The serial with the newest data (replaced meters stop reporting); when none has data
    the last listed one wins (the API lists meters oldest first)."""
    with_data = [(start, serial) for start, serial in zip(newest, serials, strict=True) if start]
    if not with_data:
        return serials[-1] if serials else None
    return max(with_data, key=lambda pair: pair[0])[1]


async def has_readings(client: MeterProbe, point: str, serial: str, fuel: Fuel) -> bool:
    """Whether a meter returns any reading (a non-smart gas meter returns an empty list)."""
    return (await _newest_readings(client, point, [serial], fuel))[0] is not None


async def discover_meters(
    client: MeterProbe, account: Account
) -> tuple[list[MeterChoice], set[str]]:
    """Meters of the current property (electricity, then gas), and the keys of the active ones
    (to preselect). Electricity meter points with one serial are not probed; gas ones always
    are, so a meter without readings is known before it is chosen."""
    prop = account.current_property
    if prop is None:
        return [], set()
    points: list[tuple[str, list[str], Direction, Fuel]] = [
        (p.mpan, [m.serial_number for m in p.meters], p.direction, Fuel.ELECTRICITY)
        for p in prop.electricity_meter_points
    ]
    points += [
        (p.mprn, [m.serial_number for m in p.meters], Direction.IMPORT, Fuel.GAS)
        for p in prop.gas_meter_points
    ]

    async def probe(point: str, serials: list[str], fuel: Fuel) -> list[datetime | None]:
        if fuel is Fuel.ELECTRICITY and len(serials) <= 1:
            return [None] * len(serials)
        return await _newest_readings(client, point, serials, fuel)

    probes = await asyncio.gather(*(probe(p, s, fuel) for p, s, _d, fuel in points))
    choices: list[MeterChoice] = []
    active: set[str] = set()
    for (point, serials, direction, fuel), newest in zip(points, probes, strict=True):
        gas = fuel is Fuel.GAS
        active_serial = _active(serials, newest)
        for serial, start in zip(serials, newest, strict=True):
            unit = ReadingUnit.M3 if gas else ReadingUnit.KWH
            choice = MeterChoice(point, serial, direction, fuel, unit, not gas or start is not None)
            choices.append(choice)
            if serial == active_serial and choice.has_readings:
                active.add(choice.key)
    return choices, active


def default_history_from(account: Account) -> str | None:
    """The UK day of the earliest agreement at the current property (else the move-in)."""
    prop = account.current_property
    if prop is None:
        return None
    starts = [
        agreement.valid_from
        for point in prop.electricity_meter_points
        for agreement in point.agreements
    ]
    earliest = min(starts, default=prop.moved_in_at)
    if earliest is None:
        return None
    return earliest.astimezone(ZoneInfo(LOCAL_TZ_NAME)).date().isoformat()
