"""The `meters` part of a users' config document: which meter points its tariffs are for.

Each entry names a meter point (`mpan`: an MPAN, or a gas meter's MPRN) and a tariff `unit`
(import, export or gas); the shared fields of the outer object are copied into every entry.
Serial and API key are optional and only read: the integration matches meters by their MPAN
and keeps its own key. Issues are collected, not raised (document.py raises them all at once).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
import re
from typing import Any, Final

from ..api.models import Direction, Fuel
from .model import TariffIssue
from .units import UNIT_TO_FLOW

_MPAN_RE: Final = re.compile(r"^\d{13}$")
_MPRN_RE: Final = re.compile(r"^\d{6,10}$")


@dataclass(frozen=True, slots=True, kw_only=True)
class ConfiguredMeter:
    """A meter from the document, shared fields already copied in."""

    mpan: str
    direction: Direction
    # The prototype's file carries these; they are optional here (a meter is matched by its
    # MPAN, the entry keeps its own key and serials), read only so nothing in them is refused.
    serial: str | None = None
    api_key: str | None = None
    fuel: Fuel = Fuel.ELECTRICITY


def parse_meters(raw: Any, issues: list[TariffIssue]) -> list[ConfiguredMeter]:
    if not isinstance(raw, Mapping) or not isinstance(raw.get("meters", []), list):
        issues.append(_meter_issue("`meters` must hold a `meters` list"))
        return []
    shared = {key: value for key, value in raw.items() if key != "meters"}
    meters: list[ConfiguredMeter] = []
    for index, entry in enumerate(raw.get("meters", [])):
        if not isinstance(entry, Mapping):
            issues.append(_meter_issue(f"Meter {index} is not an object"))
            continue
        merged = {**shared, **entry}  # the entry's own fields win over shared ones
        mpan, unit = _text(merged.get("mpan")), merged.get("unit")
        label = f"Meter {index} ({mpan})" if mpan else f"Meter {index}"
        mpan = re.sub(r"\s+", "", mpan) if mpan is not None else None
        if not isinstance(unit, str) or unit not in UNIT_TO_FLOW:  # lists are unhashable
            issues.append(_unit_issue(f"{label}: unknown unit {unit!r}"))
            continue
        fuel, direction = UNIT_TO_FLOW[str(unit)]
        # A gas meter's `mpan` holds its MPRN (6 to 10 digits), as the entry keys it.
        pattern, digits = (_MPRN_RE, "6 to 10") if fuel is Fuel.GAS else (_MPAN_RE, "13")
        if mpan is None or not pattern.match(mpan):
            what = "`mpan` missing" if mpan is None else f"`mpan` is not {digits} digits"
            issues.append(_meter_issue(f"{label}: {what}"))
            continue
        serial, api_key = _text(merged.get("serial")), _text(merged.get("api_key"))
        meters.append(
            ConfiguredMeter(
                mpan=mpan, direction=direction, serial=serial, api_key=api_key, fuel=fuel
            )
        )
    return meters


def _text(raw: Any) -> str | None:
    """A stripped non-empty string (an MPAN may be written as a JSON number), else None."""
    if isinstance(raw, int) and not isinstance(raw, bool):
        raw = str(raw)
    if not isinstance(raw, str):
        return None
    return raw.strip() or None


def _meter_issue(message: str) -> TariffIssue:
    return TariffIssue(key="invalid_meter", tariff=None, band=None, message=message)


def _unit_issue(message: str) -> TariffIssue:
    return TariffIssue(key="invalid_unit", tariff=None, band=None, message=message)
