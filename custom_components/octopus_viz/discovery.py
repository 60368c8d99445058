"""Which meters an account has, which of them is live, and other flow-side helpers.

Pure Python (no Home Assistant import): the config flow asks these questions, tests can ask
them directly. The only I/O is through the injected OctopusClient.
"""

from __future__ import annotations

import asyncio
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
import logging
import re
from typing import Any, Protocol
from zoneinfo import ZoneInfo

from .api.errors import OctopusError
from .api.local_time import LOCAL_TZ_NAME
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


@dataclass(frozen=True, slots=True)
class MeterChoice:
    """One MPAN/serial pair offered to the user."""

    mpan: str
    serial: str
    direction: Direction

    @property
    def key(self) -> str:
        """The select option value (MPANs and serials never contain '/')."""
        return f"{self.mpan}/{self.serial}"

    @property
    def label(self) -> str:
        """'1900000000001 (import) — 23J0000002'."""
        return f"{self.mpan} ({self.direction.value}) — {self.serial}"

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


async def _active_serial(client: MeterProbe, point: MeterPoint) -> str | None:
    """The serial of a meter point that has the newest data (replaced meters stop reporting).

    One request of one row per serial; a failed probe counts as "no data". When no serial
    has data the last listed one wins (the API lists meters oldest first).
    """
    serials = [meter.serial_number for meter in point.meters]
    if len(serials) <= 1:
        return serials[0] if serials else None

    async def latest(serial: str) -> datetime | None:
        try:
            return await client.async_get_latest_reading_start(point.mpan, serial)
        except OctopusError as err:
            _LOGGER.debug("Probe of %s/%s failed: %s", point.mpan, serial, err)
            return None

    latest_starts = await asyncio.gather(*(latest(serial) for serial in serials))
    with_data = [
        (start, serial) for start, serial in zip(latest_starts, serials, strict=True) if start
    ]
    if not with_data:
        return serials[-1]
    return max(with_data, key=lambda pair: pair[0])[1]


async def discover_meters(
    client: MeterProbe, account: Account
) -> tuple[list[MeterChoice], set[str]]:
    """Meters of the current property, and the keys of the active ones (to preselect)."""
    prop = account.current_property
    if prop is None:
        return [], set()
    choices: list[MeterChoice] = []
    active: set[str] = set()
    actives = await asyncio.gather(
        *(_active_serial(client, point) for point in prop.electricity_meter_points)
    )
    for point, active_serial in zip(prop.electricity_meter_points, actives, strict=True):
        for meter in point.meters:
            choice = MeterChoice(point.mpan, meter.serial_number, point.direction)
            choices.append(choice)
            if meter.serial_number == active_serial:
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
