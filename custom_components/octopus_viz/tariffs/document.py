"""Read and write tariffs as JSON-able data: the users' config document and stored tariffs.

Document format (see seed-config-format.md): `meters` holds shared fields (api_key, serial)
copied into every entry of its inner `meters` list (an entry's own field wins), and `tariffs`
maps names to `{unit, currency, rates: [{interval_start, interval_end, rate}], valid_from?,
valid_until?}`. This module also accepts an optional `standing_charge` (currency/day).

Validation collects EVERY issue in the document before raising one TariffConfigError, so an
importer can show the user the full list at once; nothing is returned from a bad document.

Dates: `valid_from`/`valid_until` take a date ("2024-04-01" = 00:00 Europe/London that day)
or an ISO datetime (no offset = Europe/London, like the Octopus API). `valid_until` is
exclusive. Rates are stored as strings in dicts written here so they round-trip exactly;
numbers are accepted on input (a float is read through its shortest repr: 0.1972 stays 0.1972).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from decimal import Decimal, InvalidOperation
import json
import re
from typing import Any, Final

from ..api.local_time import LOCAL_TZ
from ..api.models import Direction, Fuel, flow_label
from .document_meters import ConfiguredMeter, parse_meters
from .model import (
    E7_NIGHT_END_MINUTE,
    E7_NIGHT_START_MINUTE,
    Band,
    Tariff,
    TariffConfigError,
    TariffIssue,
    band_issues,
    format_minute,
)
from .rates import RateInterval
from .timeline import Timeline
from .units import (
    DIRECTION_TO_UNIT,
    FLOW_TO_UNIT,
    FLOWS,
    UNIT_EXPORT,
    UNIT_GAS,
    UNIT_IMPORT,
    UNIT_TO_DIRECTION,
    UNIT_TO_FLOW,
)

# re-exported: tariffs name their flow as meters do; a document's meters are read apart
__all__ = [
    "DIRECTION_TO_UNIT",
    "FLOWS",
    "FLOW_TO_UNIT",
    "UNIT_EXPORT",
    "UNIT_GAS",
    "UNIT_IMPORT",
    "UNIT_TO_DIRECTION",
    "UNIT_TO_FLOW",
    "ConfiguredMeter",
    "flow_label",
]


_TIME_RE: Final = re.compile(r"^(\d{1,2}):(\d{2})$")
_CURRENCY_RE: Final = re.compile(r"^[A-Z]{3}$")


@dataclass(frozen=True, slots=True, kw_only=True)
class ConfigDocument:
    """A validated document: meters and tariffs (tariff overlaps already rejected)."""

    meters: tuple[ConfiguredMeter, ...]
    tariffs: tuple[Tariff, ...]

    def timeline(self, direction: Direction, fuel: Fuel = Fuel.ELECTRICITY) -> Timeline:
        """The timeline of the document's tariffs for one direction (of one fuel)."""
        mine = [t for t in self.tariffs if t.direction == direction and t.fuel is fuel]
        return Timeline(mine, direction)


def parse_config_document(data: Mapping[str, Any] | str) -> ConfigDocument:
    """Validate a whole document (a mapping or JSON text); raise TariffConfigError."""
    if isinstance(data, str):
        try:
            data = json.loads(data)
        except ValueError as err:
            raise _document_error(f"Not valid JSON: {err}") from err
    if not isinstance(data, Mapping):
        raise _document_error("The document must be a JSON object")
    issues: list[TariffIssue] = []
    meters = parse_meters(data.get("meters", {}), issues)
    raw_tariffs = data.get("tariffs", {})
    tariffs: list[Tariff] = []
    if not isinstance(raw_tariffs, Mapping):
        issues.append(_issue("invalid_document", None, None, "`tariffs` must be an object"))
        raw_tariffs = {}
    for name, raw in raw_tariffs.items():
        tariff, found = _parse_tariff(str(name), raw)
        issues.extend(found)
        if tariff is not None:
            tariffs.append(tariff)
    for fuel, direction in FLOWS:
        try:
            Timeline([t for t in tariffs if (t.fuel, t.direction) == (fuel, direction)], direction)
        except TariffConfigError as err:
            issues.extend(err.issues)
    if issues:
        raise TariffConfigError(issues)
    return ConfigDocument(meters=tuple(meters), tariffs=tuple(tariffs))


def tariff_from_dict(data: Mapping[str, Any], name: str | None = None) -> Tariff:
    """A tariff from its dict form (`name` overrides data["name"]); raise TariffConfigError."""
    if not isinstance(data, Mapping):
        raise _document_error("A tariff must be a JSON object")
    tariff_name = name if name is not None else data.get("name")
    if not isinstance(tariff_name, str) or not tariff_name.strip():
        raise TariffConfigError([_issue("invalid_name", None, None, "A tariff needs a name")])
    tariff, issues = _parse_tariff(tariff_name, data)
    if tariff is None:
        raise TariffConfigError(issues)
    return tariff


def tariff_to_dict(tariff: Tariff) -> dict[str, Any]:
    """The JSON-able dict form of a tariff; `tariff_from_dict` gives back an equal tariff."""
    result: dict[str, Any] = {
        "name": tariff.name,
        "unit": FLOW_TO_UNIT[(tariff.fuel, tariff.direction)],
        "currency": tariff.currency,
    }
    if tariff.valid_from is not None:
        result["valid_from"] = _format_instant(tariff.valid_from)
    if tariff.valid_to is not None:
        result["valid_until"] = _format_instant(tariff.valid_to)
    if tariff.bands:
        result["rates"] = [
            {
                "interval_start": format_minute(band.start_minute),
                "interval_end": format_minute(band.end_minute),
                "rate": str(band.rate),
            }
            for band in tariff.bands
        ]
    else:
        result["intervals"] = _intervals_to_list(tariff.intervals)
    if tariff.night_intervals:
        result["night_intervals"] = _intervals_to_list(tariff.night_intervals)
        result["night_window"] = [format_minute(m) for m in tariff.night_window]
    if tariff.standing_charge is not None:
        result["standing_charge"] = str(tariff.standing_charge)
    if tariff.standing_charge_intervals:
        result["standing_charges"] = _intervals_to_list(tariff.standing_charge_intervals)
    if tariff.code is not None:
        result["code"] = tariff.code
    return result


# -- parsing helpers ------------------------------------------------------------------------


def _parse_tariff(name: str, raw: Any) -> tuple[Tariff | None, list[TariffIssue]]:
    """Parse one tariff, collecting its issues (tariff None when there are any)."""
    if not isinstance(raw, Mapping):
        return None, [_issue("invalid_tariff", name, None, f"Tariff {name} is not an object")]
    issues: list[TariffIssue] = []
    unit = raw.get("unit")
    if not isinstance(unit, str) or unit not in UNIT_TO_DIRECTION:  # lists are unhashable
        issues.append(_issue("invalid_unit", name, None, f"Tariff {name}: unknown unit {unit!r}"))
    currency = raw.get("currency", "GBP")
    if not isinstance(currency, str) or not _CURRENCY_RE.match(currency):
        issues.append(
            _issue("invalid_currency", name, None, f"Tariff {name}: bad currency {currency!r}")
        )
    valid_from = _parse_instant(raw.get("valid_from"), name, "valid_from", issues)
    valid_to = _parse_instant(raw.get("valid_until"), name, "valid_until", issues)
    if valid_from is not None and valid_to is not None and valid_from >= valid_to:
        issues.append(
            _issue("invalid_validity", name, None, f"Tariff {name}: valid_from >= valid_until")
        )
    bands = _parse_bands(raw.get("rates"), name, issues) if "intervals" not in raw else ()
    intervals = _parse_intervals(raw.get("intervals", []), name, "intervals", issues)
    night = _parse_intervals(raw.get("night_intervals", []), name, "night_intervals", issues)
    standing_list = _parse_intervals(raw.get("standing_charges", []), name, "standing", issues)
    standing: Decimal | None = None
    if raw.get("standing_charge") is not None:
        standing = _parse_number(raw["standing_charge"])
        if standing is None:
            issues.append(
                _issue("invalid_standing_charge", name, None, f"Tariff {name}: bad standing charge")
            )
    night_window = _parse_window(raw.get("night_window"), name, issues)
    code = raw.get("code")
    if issues:
        return None, issues
    try:
        fuel, direction = UNIT_TO_FLOW[str(unit)]
        tariff = Tariff(
            name=name,
            direction=direction,
            fuel=fuel,
            currency=currency,
            valid_from=valid_from,
            valid_to=valid_to,
            bands=bands,
            intervals=intervals,
            night_intervals=night,
            night_window=night_window,
            standing_charge=standing,
            standing_charge_intervals=standing_list,
            code=code if isinstance(code, str) else None,
        )
    except TariffConfigError as err:
        return None, list(err.issues)
    except ValueError as err:  # structural problems in intervals
        return None, [_issue("invalid_tariff", name, None, f"Tariff {name}: {err}")]
    return tariff, []


def _parse_bands(raw: Any, name: str, issues: list[TariffIssue]) -> tuple[Band, ...]:
    if not isinstance(raw, list) or not raw:
        issues.append(_issue("no_bands", name, None, f"Tariff {name}: `rates` needs bands"))
        return ()
    bands: list[Band] = []
    ok = True
    for entry in raw:
        if not isinstance(entry, Mapping):
            issues.append(_issue("invalid_band", name, None, f"Tariff {name}: a band is not {{}}"))
            ok = False
            continue
        start_raw, end_raw = entry.get("interval_start"), entry.get("interval_end")
        label = f"{start_raw}-{end_raw}"
        start, end = _parse_time(start_raw), _parse_time(end_raw)
        if start is None or end is None:
            what = "has an invalid time (HH:MM, 00:00 to 24:00 expected)"
            issues.append(
                _issue("invalid_band_time", name, label, f"Tariff {name}: band {label} {what}")
            )
            ok = False
            continue
        if "rate" not in entry or entry["rate"] is None:
            issues.append(
                _issue("missing_rate", name, label, f"Tariff {name}: band {label} has no rate")
            )
            ok = False
            continue
        rate = _parse_number(entry["rate"])
        if rate is None:
            what = f"has a non-numeric rate {entry['rate']!r}"
            issues.append(
                _issue("invalid_rate", name, label, f"Tariff {name}: band {label} {what}")
            )
            ok = False
            continue
        bands.append(Band(start_minute=start, end_minute=end, rate=rate))
    if ok:
        found = band_issues(bands, name)
        issues.extend(found)
        ok = not found
    return tuple(bands) if ok else ()


def _parse_time(raw: Any) -> int | None:
    """ "HH:MM" as minutes since midnight (24:00 allowed), None when malformed."""
    match = _TIME_RE.match(raw) if isinstance(raw, str) else None
    if match is None:
        return None
    hours, minutes = int(match[1]), int(match[2])
    if minutes >= 60 or hours > 24 or (hours == 24 and minutes):
        return None
    return hours * 60 + minutes


def _parse_window(raw: Any, name: str, issues: list[TariffIssue]) -> tuple[int, int]:
    if raw is None:
        return (E7_NIGHT_START_MINUTE, E7_NIGHT_END_MINUTE)
    if isinstance(raw, list) and len(raw) == 2:
        start, end = _parse_time(raw[0]), _parse_time(raw[1])
        if start is not None and end is not None and start < end:
            return (start, end)
    issues.append(_issue("invalid_tariff", name, None, f"Tariff {name}: bad night_window"))
    return (E7_NIGHT_START_MINUTE, E7_NIGHT_END_MINUTE)


def _parse_number(raw: Any) -> Decimal | None:
    """An exact finite Decimal from int, float (shortest repr) or numeric string."""
    if isinstance(raw, bool):
        return None
    try:
        if isinstance(raw, float):
            value = Decimal(repr(raw))
        elif isinstance(raw, int | str):
            value = Decimal(raw.strip() if isinstance(raw, str) else raw)
        else:
            return None
    except InvalidOperation:
        return None
    return value if value.is_finite() else None


def _parse_instant(raw: Any, name: str, field: str, issues: list[TariffIssue]) -> datetime | None:
    if raw is None:
        return None
    try:
        if isinstance(raw, str) and len(raw.strip()) == 10:
            day = date.fromisoformat(raw.strip())
            return datetime.combine(day, time(0), LOCAL_TZ).astimezone(UTC)
        if isinstance(raw, str):
            parsed = datetime.fromisoformat(raw.strip())
            if parsed.tzinfo is None:
                parsed = parsed.replace(tzinfo=LOCAL_TZ)
            return parsed.astimezone(UTC)
    except ValueError:
        pass
    issues.append(_issue("invalid_date", name, None, f"Tariff {name}: bad {field} {raw!r}"))
    return None


def _parse_intervals(
    raw: Any, name: str, what: str, issues: list[TariffIssue]
) -> tuple[RateInterval, ...]:
    problem = _issue("invalid_tariff", name, None, f"Tariff {name}: bad {what}")
    if not isinstance(raw, list):
        issues.append(problem)
        return ()
    result: list[RateInterval] = []
    for entry in raw:
        if not isinstance(entry, Mapping):
            issues.append(problem)
            return ()
        start = _parse_instant(entry.get("start"), name, what, issues)
        end = _parse_instant(entry.get("end"), name, what, issues)
        value = _parse_number(entry.get("rate"))
        if start is None or value is None:
            issues.append(problem)
            return ()
        result.append(RateInterval(start=start, end=end, value=value))
    return tuple(result)


def _intervals_to_list(intervals: Iterable[RateInterval]) -> list[dict[str, str | None]]:
    return [
        {
            "start": _format_instant(i.start),
            "end": None if i.end is None else _format_instant(i.end),
            "rate": str(i.value),
        }
        for i in intervals
    ]


def _format_instant(instant: datetime) -> str:
    return instant.astimezone(UTC).isoformat()


def _issue(key: str, tariff: str | None, band: str | None, message: str) -> TariffIssue:
    return TariffIssue(key=key, tariff=tariff, band=band, message=message)


def _document_error(message: str) -> TariffConfigError:
    return TariffConfigError([_issue("invalid_document", None, None, message)])
