"""The options' tariff logic: form fields to stored tariffs, whole-set checks, JSON import.

Pure Python (no Home Assistant): the options flow keeps only the forms and hands what the
user typed to these functions. Everything is validated by the tariff engine itself
(`tariff_from_dict`, `Timeline`, `parse_config_document`), so the flow accepts exactly what
the integration can later price. Problems are raised as `OptionsError`, which carries the
form error key, the field it belongs to and the engine's message (naming tariff and band).

Stored forms (see tariffs/source.py): `options[CONF_CUSTOM_TARIFFS]` is a list of
`tariff_to_dict` dicts; `options[CONF_TARIFF_SOURCE]` maps MPAN to "account" or "custom".
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
import re
from typing import Any, Final

from ..api.models import Direction, Fuel, MeterConfig
from . import (
    FLOW_TO_UNIT,
    FLOWS,
    LOCAL_TZ,
    UNIT_TO_FLOW,
    Tariff,
    TariffConfigError,
    TariffIssue,
    Timeline,
    flow_label,
    parse_config_document,
    tariff_from_dict,
    tariff_to_dict,
)
from .keys import TARIFF_SOURCE_CUSTOM

# The form shows this many engine messages; a pasted document can have dozens.
MAX_SHOWN_ISSUES: Final = 5

# "02:00-05:00 0.18432"; spaces around the dash and a trailing comment-free rate only.
_BAND_LINE_RE: Final = re.compile(r"^(\S+?)\s*-\s*(\S+)\s+(\S+)$")

# Engine issue key -> (form field, form error key). Band problems all land on the bands field.
_ISSUE_TO_ERROR: Final[Mapping[str, tuple[str, str]]] = {
    "invalid_name": ("name", "invalid_name"),
    "invalid_currency": ("currency", "invalid_currency"),
    "invalid_date": ("base", "invalid_dates"),
    "invalid_validity": ("valid_until", "invalid_dates"),
    "invalid_standing_charge": ("standing_charge", "invalid_standing_charge"),
    "tariffs_overlap": ("base", "tariffs_overlap"),
    **dict.fromkeys(
        (
            "no_bands",
            "invalid_band",
            "invalid_band_time",
            "missing_rate",
            "invalid_rate",
            "band_not_half_hour",
            "band_empty",
            "bands_gap",
            "bands_overlap",
        ),
        ("bands", "invalid_bands"),
    ),
}


class OptionsError(Exception):
    """Something the user must fix: a form error key, its field and the details to show."""

    def __init__(self, key: str, field: str = "base", details: str = "") -> None:
        """Keep the error key (in strings.json), the field ("base" = whole form), details."""
        super().__init__(details or key)
        self.key = key
        self.field = field
        self.details = details


@dataclass(frozen=True, slots=True)
class FollowedMeter:
    """A meter of the entry (entry.data[CONF_METERS] item)."""

    mpan: str
    serial: str
    direction: Direction
    fuel: Fuel = Fuel.ELECTRICITY

    @classmethod
    def from_config(cls, raw: Mapping[str, Any]) -> FollowedMeter:
        """From the stored form (entries from before gas: electricity)."""
        meter = MeterConfig.from_config(raw)
        return cls(meter.mpan, meter.serial, meter.direction, meter.fuel)

    @property
    def key(self) -> tuple[Fuel, Direction]:
        """(fuel, direction): what a tariff must price to price this meter."""
        return (self.fuel, self.direction)

    @property
    def flow(self) -> str:
        """'import', 'export' or 'gas'."""
        return flow_label(self.fuel, self.direction)

    @property
    def label(self) -> str:
        """'1900000000001 (import)': prices follow the MPAN, whichever serial reads it."""
        return f"{self.mpan} ({self.flow})"


@dataclass(frozen=True, slots=True, kw_only=True)
class TariffFields:
    """What the add/edit form holds, already normalised by the flow.

    `valid_from` / `valid_until` are what goes into the stored dict: a local date
    ("2024-04-01") or, when an edit kept the day unchanged, the original stored instant.
    """

    name: str
    direction: Direction
    currency: str
    bands: str
    fuel: Fuel = Fuel.ELECTRICITY
    valid_from: str | None = None
    valid_until: str | None = None
    standing_charge: float | None = None


def describe_issues(issues: Sequence[TariffIssue]) -> str:
    """The first few engine messages, joined for a form's `{details}` placeholder."""
    shown = "; ".join(issue.message for issue in issues[:MAX_SHOWN_ISSUES])
    if len(issues) > MAX_SHOWN_ISSUES:
        shown += f" (and {len(issues) - MAX_SHOWN_ISSUES} more)"
    return shown


def error_from(err: TariffConfigError) -> OptionsError:
    """The form error for the engine's first issue; details list every issue."""
    field, key = _ISSUE_TO_ERROR.get(err.translation_key, ("base", "invalid_tariff"))
    return OptionsError(key, field, describe_issues(err.issues))


# -- bands as text ----------------------------------------------------------------------------


def parse_bands_text(text: str) -> list[dict[str, str]]:
    """One band per line, `HH:MM-HH:MM rate`, into the stored `rates` list (blank lines skipped).

    Only the line shape is checked here; times, rates and coverage are the engine's job so
    its messages (naming the band) reach the user unchanged.
    """
    rates: list[dict[str, str]] = []
    for number, line in enumerate(text.splitlines(), start=1):
        stripped = line.strip()
        if not stripped:
            continue
        match = _BAND_LINE_RE.match(stripped)
        if match is None:
            raise OptionsError(
                "invalid_bands",
                "bands",
                f"line {number} ({stripped!r}) is not written as HH:MM-HH:MM rate",
            )
        rates.append({"interval_start": match[1], "interval_end": match[2], "rate": match[3]})
    return rates


def bands_text(stored: Mapping[str, Any]) -> str:
    """A stored tariff's bands as the form's text (empty for interval tariffs)."""
    return "\n".join(
        f"{band['interval_start']}-{band['interval_end']} {band['rate']}"
        for band in stored.get("rates", [])
    )


# -- dates ----------------------------------------------------------------------------------


def local_day(raw: str | None) -> str | None:
    """A stored validity bound as the local date shown in a date picker."""
    if raw is None:
        return None
    if len(raw) == 10:  # already a date (as typed in a document)
        return raw
    return datetime.fromisoformat(raw).astimezone(LOCAL_TZ).date().isoformat()


def keep_instant(submitted: str | None, stored: str | None) -> str | None:
    """The bound to save: the stored instant when the user left its day alone.

    A date picker cannot show an instant such as 2024-04-01T12:00 (possible in an imported
    document); saving the picker's day would silently move it to midnight.
    """
    if submitted is not None and submitted == local_day(stored):
        return stored
    return submitted


# -- tariffs --------------------------------------------------------------------------------


def tariff_dict_from_fields(fields: TariffFields) -> dict[str, Any]:
    """The document-style dict of a form (not yet validated)."""
    raw: dict[str, Any] = {
        "name": fields.name.strip(),
        "unit": FLOW_TO_UNIT[(fields.fuel, fields.direction)],
        "currency": fields.currency.strip().upper(),
        "rates": parse_bands_text(fields.bands),
    }
    if fields.valid_from:
        raw["valid_from"] = fields.valid_from
    if fields.valid_until:
        raw["valid_until"] = fields.valid_until
    if fields.standing_charge is not None:
        # str() of a float is its shortest repr, so 0.5347 is stored as "0.5347" exactly.
        raw["standing_charge"] = str(fields.standing_charge)
    return raw


def check_tariff_set(tariffs: Iterable[Mapping[str, Any]]) -> list[Tariff]:
    """Parse stored tariffs and check each flow's (import, export, gas) validity ranges do not
    overlap."""
    parsed = [tariff_from_dict(raw) for raw in tariffs]
    for fuel, direction in FLOWS:
        Timeline([t for t in parsed if (t.fuel, t.direction) == (fuel, direction)], direction)
    return parsed


def save_tariff(
    fields: TariffFields, tariffs: Sequence[Mapping[str, Any]], replacing: str | None = None
) -> list[dict[str, Any]]:
    """The custom tariffs with the form's tariff added (or replacing the one named).

    Raises OptionsError: a name already used by another tariff, anything the engine refuses
    in the tariff itself, or validity overlapping another tariff of the same direction.
    """
    others = [dict(raw) for raw in tariffs if raw.get("name") != replacing]
    name = fields.name.strip()
    if any(str(raw.get("name", "")).casefold() == name.casefold() for raw in others):
        raise OptionsError("name_taken", "name", name)
    try:
        tariff = tariff_from_dict(tariff_dict_from_fields(fields))
        stored = tariff_to_dict(tariff)
        # Keep the edited tariff where it was, so the list order the user sees is stable.
        position = next(
            (i for i, raw in enumerate(tariffs) if raw.get("name") == replacing), len(tariffs)
        )
        result = [*others[:position], stored, *others[position:]]
        check_tariff_set(result)
    except TariffConfigError as err:
        raise error_from(err) from err
    return result


def tariff_label(raw: Mapping[str, Any]) -> str:
    """'Flux import (import, 2024-04-01 to 2025-06-01)' for pickers and summaries; an open
    side reads 'from 2024-04-01' / 'until 2025-06-01' / 'always'."""
    flow = UNIT_TO_FLOW.get(str(raw.get("unit")))
    start, end = local_day(raw.get("valid_from")), local_day(raw.get("valid_until"))
    if start and end:
        validity = f"{start} to {end}"
    elif start or end:
        validity = f"from {start}" if start else f"until {end}"
    else:
        validity = "always"
    kind = flow_label(*flow) if flow is not None else "?"
    return f"{raw.get('name')} ({kind}, {validity})"


# -- meters ---------------------------------------------------------------------------------


def meter_points(meters: Sequence[FollowedMeter]) -> list[FollowedMeter]:
    """One meter per MPAN, in order: a replaced meter's two serials share one tariff source."""
    seen: dict[str, FollowedMeter] = {}
    for meter in meters:
        seen.setdefault(meter.mpan, meter)
    return list(seen.values())


def custom_meters(meters: Sequence[FollowedMeter], sources: Mapping[str, str]) -> list[str]:
    """MPANs of the followed meters priced by custom tariffs (each MPAN once)."""
    return [m.mpan for m in meter_points(meters) if sources.get(m.mpan) == TARIFF_SOURCE_CUSTOM]


def tariff_flows(tariffs: Iterable[Mapping[str, Any]]) -> set[tuple[Fuel, Direction]]:
    """The flows (fuel, direction) the stored tariffs price."""
    found = {UNIT_TO_FLOW.get(str(raw.get("unit"))) for raw in tariffs}
    return {flow for flow in found if flow is not None}


def source_choices(
    meters: Sequence[FollowedMeter],
    sources: Mapping[str, str],
    tariffs: Sequence[Mapping[str, Any]],
) -> list[FollowedMeter]:
    """The meters the tariff-source form offers: those a custom tariff could price, plus
    those priced by custom tariffs now (so they can be switched back)."""
    flows = tariff_flows(tariffs)
    custom = set(custom_meters(meters, sources))
    return [m for m in meter_points(meters) if m.key in flows or m.mpan in custom]


def require_covered(
    meters: Sequence[FollowedMeter],
    sources: Mapping[str, str],
    tariffs: Iterable[Mapping[str, Any]],
    error: tuple[str, str],
) -> None:
    """Raise `error` (key, field) when a custom-priced meter has no tariff of its direction.

    Such a meter would price nothing at all; the details name each meter and direction.
    """
    flows = tariff_flows(tariffs)
    custom = set(custom_meters(meters, sources))
    missing = ", ".join(
        f"{m.mpan} (no {m.flow} tariff)"
        for m in meter_points(meters)
        if m.mpan in custom and m.key not in flows
    )
    if missing:
        raise OptionsError(*error, missing)


# -- JSON import ----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ImportResult:
    """A pasted document's tariffs (stored form) and the followed meters it names."""

    tariffs: list[dict[str, Any]]
    mpans: list[str]


def import_document(text: str, meters: Sequence[FollowedMeter]) -> ImportResult:
    """Validate a whole prototype-format document against the entry's meters.

    The document's api_key and serials are read by the parser but never returned: the
    entry's own key and meters are what the integration uses.
    """
    try:
        document = parse_config_document(text)
    except TariffConfigError as err:
        raise OptionsError("invalid_document", "document", describe_issues(err.issues)) from err
    if not document.tariffs:
        raise OptionsError("invalid_document", "document", "the document has no tariffs")
    followed = {m.mpan: m for m in meters}
    mpans: list[str] = []
    for meter in document.meters:
        mine = followed.get(meter.mpan)
        if mine is None:
            continue  # a meter of another account or property: not ours to price
        if (mine.fuel, mine.direction) != (meter.fuel, meter.direction):
            raise OptionsError(
                "invalid_document",
                "document",
                f"meter {meter.mpan} is {mine.flow} here but "
                f"{flow_label(meter.fuel, meter.direction)} in the document",
            )
        mpans.append(meter.mpan)
    return ImportResult([tariff_to_dict(t) for t in document.tariffs], mpans)
