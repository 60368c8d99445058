"""Which meters an account has, which of them is live, and other flow-side helpers.

Pure Python (no Home Assistant import): the config flow asks these questions, tests can ask
them directly. The only I/O is through the injected OctopusClient.
"""

from __future__ import annotations

import asyncio
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
import logging
import re
from typing import Any, Final, Protocol

from .api.errors import OctopusError
from .api.local_time import LOCAL_TZ
from .api.models import CONF_DIRECTION, CONF_MPAN, CONF_SERIAL, Account, Direction, MeterPoint

_LOGGER = logging.getLogger(__name__)


class MeterProbe(Protocol):
    """What discovery needs from the client (OctopusClient satisfies it)."""

    async def async_get_latest_reading_start(self, mpan: str, serial: str) -> datetime | None:
        """Start of the newest reading of a meter, None if it has none."""


_ACCOUNT_RE = re.compile(r"^A-?([0-9A-Z]{8})$")
MPAN_RE = re.compile(r"^\d{13}$")
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
    """One MPAN/serial pair offered to the user.

    `replaced` and `last_reading` only shape the label: a choice is the same meter whether
    it came from discovery or from the entry, so they take no part in equality.
    """

    mpan: str
    serial: str
    direction: Direction
    replaced: bool = field(default=False, compare=False)
    last_reading: date | None = field(default=None, compare=False)

    @property
    def key(self) -> str:
        """The select option value (MPANs and serials never contain '/')."""
        return f"{self.mpan}/{self.serial}"

    @property
    def label(self) -> str:
        """'1900000000001 (import) — 23J0000002', a replaced serial saying so and until when."""
        label = f"{self.mpan} ({self.direction.value}) — {self.serial}"
        if not self.replaced:
            return label
        if self.last_reading is None:
            return f"{label} (replaced)"
        return f"{label} (replaced, last reading {natural_date(self.last_reading)})"

    def as_config(self) -> dict[str, str]:
        """The form stored in the entry's CONF_METERS list."""
        return {
            CONF_MPAN: self.mpan,
            CONF_SERIAL: self.serial,
            CONF_DIRECTION: self.direction.value,
        }

    @classmethod
    def from_config(cls, raw: Mapping[str, Any]) -> MeterChoice:
        """Back from the stored form."""
        return cls(str(raw[CONF_MPAN]), str(raw[CONF_SERIAL]), Direction(raw[CONF_DIRECTION]))


class _ProbeFailed:
    """A probe that failed: whether that serial has data is unknown."""


_FAILED: Final = _ProbeFailed()


async def _point_choices(client: MeterProbe, point: MeterPoint) -> tuple[list[MeterChoice], str]:
    """The choices of one meter point and the key of its active serial.

    The active serial is the one with the newest data (replaced meters stop reporting); when
    none has data the last listed one wins (the API lists meters oldest first). A replaced
    serial is offered only when it may hold history: one with no reading at all is left out,
    so an MPAN is listed once unless its serial matters. One request of one row per serial.
    """
    serials = [meter.serial_number for meter in point.meters]
    if len(serials) == 1:
        only = MeterChoice(point.mpan, serials[0], point.direction)
        return [only], only.key

    async def latest(serial: str) -> datetime | _ProbeFailed | None:
        try:
            return await client.async_get_latest_reading_start(point.mpan, serial)
        except OctopusError as err:
            _LOGGER.debug("Probe of %s/%s failed: %s", point.mpan, serial, err)
            return _FAILED

    found = dict(zip(serials, await asyncio.gather(*map(latest, serials)), strict=True))
    with_data = {s: start for s, start in found.items() if isinstance(start, datetime)}
    active = max(with_data, key=with_data.__getitem__) if with_data else serials[-1]
    choices: list[MeterChoice] = []
    for serial, start in found.items():
        if serial == active:
            choices.append(MeterChoice(point.mpan, serial, point.direction))
        elif start is not None:
            last = start.astimezone(LOCAL_TZ).date() if isinstance(start, datetime) else None
            choices.append(MeterChoice(point.mpan, serial, point.direction, True, last))
    return choices, MeterChoice(point.mpan, active, point.direction).key


async def discover_meters(
    client: MeterProbe, account: Account
) -> tuple[list[MeterChoice], set[str]]:
    """Meters of the current property, and the keys of the active ones (to preselect)."""
    prop = account.current_property
    if prop is None:
        return [], set()
    points = [point for point in prop.electricity_meter_points if point.meters]
    found = await asyncio.gather(*(_point_choices(client, point) for point in points))
    choices = [choice for point_choices, _active in found for choice in point_choices]
    return choices, {active for _choices, active in found}


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
