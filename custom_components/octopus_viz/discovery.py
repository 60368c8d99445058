"""Which meters an account has, which of them is live, and other flow-side helpers.

Pure Python (no Home Assistant import): the config flow asks these questions, tests can ask
them directly. The only I/O is through the injected OctopusClient.
"""

from __future__ import annotations

import asyncio
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import date, datetime
import logging
import re
from typing import Any, Final, Protocol

from .api.errors import OctopusError
from .api.local_time import LOCAL_TZ
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


_MONTHS: Final = (
    "Jan",
    "Feb",
    "Mar",
    "Apr",
    "May",
    "Jun",
    "Jul",
    "Aug",
    "Sep",
    "Oct",
    "Nov",
    "Dec",
)


def natural_date(day: date) -> str:
    """'14 Jan 2023' (the same in every locale the server may run with)."""
    return f"{day.day} {_MONTHS[day.month - 1]} {day.year}"


@dataclass(frozen=True, slots=True)
class MeterChoice:
    """One meter point/serial pair offered to the user (an MPRN for a gas meter).

    `replaced`, `last_reading` and `has_readings` only shape the label and the checks: a
    choice is the same meter whether it came from discovery or from the entry, so they take
    no part in equality.
    """

    mpan: str
    serial: str
    direction: Direction
    fuel: Fuel = Fuel.ELECTRICITY
    unit: ReadingUnit = ReadingUnit.KWH
    replaced: bool = field(default=False, compare=False)
    last_reading: date | None = field(default=None, compare=False)
    # False for a listed meter that returns no readings (a non-smart gas meter).
    has_readings: bool = field(default=True, compare=False)

    @property
    def key(self) -> str:
        """The select option value (meter point ids and serials never contain '/')."""
        return f"{self.mpan}/{self.serial}"

    @property
    def label(self) -> str:
        """'1900000000001 (import) — 23J0000002', '8800000001 (gas) — E6S...'; a replaced
        serial saying so and until when."""
        kind = self.fuel.value if self.fuel is Fuel.GAS else self.direction.value
        label = f"{self.mpan} ({kind}) — {self.serial}"
        if not self.replaced:
            return label
        if self.last_reading is None:
            return f"{label} (replaced)"
        return f"{label} (replaced, last reading {natural_date(self.last_reading)})"

    def with_unit(self, unit: ReadingUnit) -> MeterChoice:
        """The same gas meter reporting `unit` (electricity always counts kWh)."""
        if self.fuel is not Fuel.GAS:
            return self
        return replace(self, unit=unit)

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


class _ProbeFailed:
    """A probe that failed: whether that serial has data is unknown."""


_FAILED: Final = _ProbeFailed()
_Probe = datetime | _ProbeFailed | None


@dataclass(frozen=True, slots=True)
class _Point:
    """A meter point as discovery sees it: its id (MPAN or MPRN), serials, direction, fuel."""

    point: str
    serials: list[str]
    direction: Direction
    fuel: Fuel


async def _newest_readings(client: MeterProbe, point: _Point) -> list[_Probe]:
    """The start of each serial's newest reading (one request of one row each)."""

    async def latest(serial: str) -> _Probe:
        try:
            return await client.async_get_latest_reading_start(point.point, serial, point.fuel)
        except OctopusError as err:
            _LOGGER.debug("Probe of %s/%s failed: %s", point.point, serial, err)
            return _FAILED

    return list(await asyncio.gather(*(latest(serial) for serial in point.serials)))


async def has_readings(client: MeterProbe, point: str, serial: str, fuel: Fuel) -> bool:
    """Whether a meter returns any reading (a non-smart gas meter returns an empty list)."""
    probed = await _newest_readings(client, _Point(point, [serial], Direction.IMPORT, fuel))
    return isinstance(probed[0], datetime)


async def _point_choices(client: MeterProbe, point: _Point) -> tuple[list[MeterChoice], str | None]:
    """The choices of one meter point and the key of its active serial (None: nothing to
    preselect, a gas meter without readings).

    The active serial is the one with the newest data (replaced meters stop reporting); when
    none has data the last listed one wins (the API lists meters oldest first). A replaced
    serial is offered only when it may hold history: one with no reading at all is left out,
    so a meter point is listed once unless its serial matters. One request of one row per
    serial; a lone electricity serial is not probed, a gas one is (an empty gas meter must be
    known before it is chosen).
    """
    gas = point.fuel is Fuel.GAS
    unit = ReadingUnit.M3 if gas else ReadingUnit.KWH
    serials = point.serials
    if len(serials) == 1 and not gas:
        only = MeterChoice(point.point, serials[0], point.direction, point.fuel, unit)
        return [only], only.key
    found = dict(zip(serials, await _newest_readings(client, point), strict=True))
    with_data = {s: start for s, start in found.items() if isinstance(start, datetime)}
    active = max(with_data, key=with_data.__getitem__) if with_data else serials[-1]
    choices: list[MeterChoice] = []
    for serial, start in found.items():
        base = MeterChoice(point.point, serial, point.direction, point.fuel, unit)
        if serial == active:
            empty = gas and start is None
            choices.append(replace(base, has_readings=not empty))
        elif start is not None:
            last = start.astimezone(LOCAL_TZ).date() if isinstance(start, datetime) else None
            choices.append(replace(base, replaced=True, last_reading=last))
    key = MeterChoice(point.point, active, point.direction).key
    return choices, None if gas and found[active] is None else key


async def discover_meters(
    client: MeterProbe, account: Account
) -> tuple[list[MeterChoice], set[str]]:
    """Meters of the current property (electricity, then gas), and the keys of the active ones
    (to preselect). Electricity meter points with one serial are not probed; gas ones always
    are, so a meter without readings is known before it is chosen."""
    prop = account.current_property
    if prop is None:
        return [], set()
    points = [
        _Point(p.mpan, [m.serial_number for m in p.meters], p.direction, Fuel.ELECTRICITY)
        for p in prop.electricity_meter_points
        if p.meters
    ]
    points += [
        _Point(p.mprn, [m.serial_number for m in p.meters], Direction.IMPORT, Fuel.GAS)
        for p in prop.gas_meter_points
        if p.meters
    ]
    found = await asyncio.gather(*(_point_choices(client, point) for point in points))
    choices = [choice for point_choices, _active in found for choice in point_choices]
    return choices, {active for _choices, active in found if active is not None}


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
    return earliest.astimezone(LOCAL_TZ).date().isoformat()
