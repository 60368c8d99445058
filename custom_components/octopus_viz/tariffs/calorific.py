"""Gas volume to energy: kWh = m³ x 1.02264 x calorific value (MJ/m³) / 3.6.

Why it is a tariff rule: suppliers bill gas in kWh, converting what a SMETS2 meter counts (cubic
metres) with the volume correction factor 1.02264 (temperature and pressure) and the calorific
value (CV) of the gas, which the network publishes daily per zone and bills print (about
37.5-40.5 MJ/m³). A meter's CVs are UK local day ranges; days no range covers use
DEFAULT_CALORIFIC_VALUE (39.5, the recent GB average). SMETS1 meters report kWh and need none.

Exact: a reading is taken as the decimal the API sent (its shortest float repr; readings have
three decimals, so it is a whole number of litres) and the formula is computed in integers,
becoming a float by one correctly rounded division (Python's int / int). The same m³ and CV
always give the same kWh, whatever the order of work. Pure Python, no Home Assistant import.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from itertools import pairwise
from typing import Any, Final

from ..api.local_time import local_midnight_epoch
from .model import TariffConfigError, TariffIssue

VOLUME_CORRECTION: Final = Decimal("1.02264")
MJ_PER_KWH: Final = Decimal("3.6")
DEFAULT_CALORIFIC_VALUE: Final = Decimal("39.5")
CALORIFIC_MIN: Final = Decimal(30)
CALORIFIC_MAX: Final = Decimal(50)
# Where a meter's ranges are stored in the entry's options: {mprn: [range dicts]}.
CONF_CALORIFIC_VALUES: Final = "calorific_values"


def _litre_ratio(calorific_value: Decimal) -> tuple[int, int]:
    """(p, d) with kWh = litres x p / d exactly: 1.02264 x CV / 3.6 / 1000 as integers."""
    numerator, denominator = (VOLUME_CORRECTION * calorific_value).as_integer_ratio()
    return numerator, denominator * 3600


def kwh_of(volume: Decimal, calorific_value: Decimal) -> float:
    """kWh of a volume in m³, correctly rounded from the exact rational result."""
    litres_num, litres_den = (volume * 1000).as_integer_ratio()
    p, d = _litre_ratio(calorific_value)
    return (litres_num * p) / (litres_den * d)


def parse_calorific_value(raw: object) -> Decimal:
    """A CV in MJ/m³ from a form or the stored options; TariffConfigError when it is not a
    number or outside 30-50 (a typo such as 395 or 3.95 would mis-state every bill)."""
    text = str(raw).strip().replace(",", ".") if isinstance(raw, str | int | Decimal) else ""
    try:
        value = Decimal(text)
    except InvalidOperation:
        value = Decimal("NaN")
    if not value.is_finite():
        raise _error("calorific_value_invalid", f"{raw!r} is not a calorific value in MJ/m³")
    if not CALORIFIC_MIN <= value <= CALORIFIC_MAX:
        raise _error(
            "calorific_value_out_of_range",
            f"{value} MJ/m³ is outside {CALORIFIC_MIN}-{CALORIFIC_MAX} MJ/m³",
        )
    return value


@dataclass(frozen=True, slots=True, kw_only=True)
class CalorificRange:
    """A CV in force on the UK local days [valid_from, valid_to) (valid_to None: open)."""

    valid_from: date
    valid_to: date | None
    value: Decimal

    def as_dict(self) -> dict[str, str | None]:
        """The stored form."""
        until = None if self.valid_to is None else self.valid_to.isoformat()
        return {
            "valid_from": self.valid_from.isoformat(),
            "valid_to": until,
            "value": str(self.value),
        }


class CalorificValues:
    """One gas meter's calorific values over time and the conversion they give."""

    def __init__(self, ranges: Sequence[CalorificRange] = ()) -> None:
        """Check and sort the ranges (TariffConfigError on an empty or overlapping one)."""
        ordered = sorted(ranges, key=lambda r: r.valid_from)
        for item in ordered:
            parse_calorific_value(item.value)
            if item.valid_to is not None and item.valid_to <= item.valid_from:
                raise _error("calorific_range_empty", f"{_label(item)} ends before it starts")
        for before, after in pairwise(ordered):
            if before.valid_to is None or before.valid_to > after.valid_from:
                raise _error(
                    "calorific_ranges_overlap", f"{_label(after)} overlaps {_label(before)}"
                )
        self.ranges: tuple[CalorificRange, ...] = tuple(ordered)
        # Boundaries in epoch seconds, each with the ratio in force from it on.
        edges: list[tuple[int, tuple[int, int]]] = []
        default = _litre_ratio(DEFAULT_CALORIFIC_VALUE)
        for item in ordered:
            edges.append((local_midnight_epoch(item.valid_from), _litre_ratio(item.value)))
            if item.valid_to is not None:
                edges.append((local_midnight_epoch(item.valid_to), default))
        self._edges = [edge for edge, _ in edges]
        self._factors = [default, *(factor for _, factor in edges)]

    def __eq__(self, other: object) -> bool:
        """Same ranges: the same conversion."""
        return isinstance(other, CalorificValues) and other.ranges == self.ranges

    def __hash__(self) -> int:
        """Hash of the ranges."""
        return hash(self.ranges)

    def value_on(self, day: date) -> Decimal:
        """The CV of a UK local day."""
        for item in self.ranges:
            if item.valid_from <= day and (item.valid_to is None or day < item.valid_to):
                return item.value
        return DEFAULT_CALORIFIC_VALUE

    def to_kwh(self, starts: Sequence[int], volumes: Sequence[float]) -> list[float]:
        """kWh of half-hours starting at `starts` (UTC epoch seconds, ascending) from m³."""
        out: list[float] = []
        begin = 0
        bounds = [bisect_left(starts, edge) for edge in self._edges] + [len(starts)]
        for (p, d), end in zip(self._factors, bounds, strict=True):
            for volume in volumes[begin:end]:
                litres = round(volume * 1000)
                if litres / 1000 == volume:  # three decimals or fewer: whole litres
                    out.append((litres * p) / d)
                else:
                    a, b = Decimal(repr(volume)).as_integer_ratio()
                    out.append((a * p * 1000) / (b * d))
            begin = max(begin, end)
        return out

    def as_list(self) -> list[dict[str, str | None]]:
        """The stored form (a JSON list)."""
        return [item.as_dict() for item in self.ranges]

    @classmethod
    def from_list(cls, raw: Sequence[Mapping[str, Any]]) -> CalorificValues:
        """From the stored form (TariffConfigError when a range is unreadable)."""
        ranges: list[CalorificRange] = []
        for item in raw:
            try:
                valid_from = date.fromisoformat(str(item["valid_from"]))
                until = item.get("valid_to")
                valid_to = date.fromisoformat(str(until)) if until else None
            except KeyError, ValueError:
                raise _error("calorific_range_invalid", f"unreadable range {item!r}") from None
            value = parse_calorific_value(item.get("value"))
            ranges.append(CalorificRange(valid_from=valid_from, valid_to=valid_to, value=value))
        return cls(ranges)


# Before any day a user would keep: a value typed alone applies to the whole history.
ALWAYS: Final = date(2000, 1, 1)


def parse_calorific_text(text: str) -> CalorificValues:
    """The options form's text: one range per line, `39.2` (every day), `2025-04-01 39.2`
    (from that day until the next line's day) or `2025-04-01 2025-07-01 39.2` (to that day,
    exclusive). Empty text: the default everywhere. TariffConfigError names the bad line."""
    rows: list[tuple[date, date | None, bool, str]] = []
    for line in (raw.strip() for raw in text.splitlines()):
        if not line:
            continue
        *days, value = line.split()
        try:
            bounds = [date.fromisoformat(day) for day in days]
        except ValueError:
            bounds = []
        if len(bounds) != len(days) or len(days) > 2:
            raise _error("calorific_range_invalid", f"{line!r} is not written as DATE [DATE] CV")
        start = bounds[0] if bounds else ALWAYS
        rows.append((start, bounds[1] if len(bounds) == 2 else None, len(bounds) == 2, value))
    rows.sort(key=lambda row: row[0])
    ranges = []
    for index, (start, end, closed, value) in enumerate(rows):
        following = rows[index + 1][0] if index + 1 < len(rows) else None
        until = end if closed else following
        ranges.append(
            CalorificRange(valid_from=start, valid_to=until, value=parse_calorific_value(value))
        )
    return CalorificValues(ranges)


def calorific_text(values: CalorificValues) -> str:
    """The form's text of stored ranges (parse_calorific_text reads it back equal)."""
    lines = []
    for index, item in enumerate(values.ranges):
        following = values.ranges[index + 1] if index + 1 < len(values.ranges) else None
        start = "" if item.valid_from == ALWAYS else f"{item.valid_from.isoformat()} "
        implicit = following is not None and item.valid_to == following.valid_from
        end = "" if item.valid_to is None or implicit else f"{item.valid_to.isoformat()} "
        if end and not start:
            start = f"{item.valid_from.isoformat()} "
        lines.append(f"{start}{end}{item.value}")
    return "\n".join(lines)


def calorific_values_for(options: Mapping[str, Any], mprn: str) -> CalorificValues:
    """A meter's stored CVs (none stored: the default for every day)."""
    return CalorificValues.from_list(options.get(CONF_CALORIFIC_VALUES, {}).get(mprn, []))


def _label(item: CalorificRange) -> str:
    until = "open" if item.valid_to is None else item.valid_to.isoformat()
    return f"{item.value} MJ/m³ from {item.valid_from.isoformat()} to {until}"


def _error(key: str, message: str) -> TariffConfigError:
    return TariffConfigError([TariffIssue(key=key, message=message)])
