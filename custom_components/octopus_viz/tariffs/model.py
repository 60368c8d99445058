"""The tariff data model: bands, rate intervals, tariffs, tariff codes and the config error.

Pure Python (no Home Assistant). Conventions used by every tariff module:
- instants are aware datetimes in UTC; internally they are whole epoch seconds (ints), which
  makes comparisons and bisection cheap when thousands of half-hours are priced;
- rates are Decimal currency units per kWh (GBP/kWh), standing charges Decimal currency units
  per day; API pence are divided by 100 exactly before they get here;
- bands are wall-clock times in Europe/London, so they follow the clocks (BST/GMT).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
import re
from typing import Final

from ..api.local_time import DAY_SECONDS, LOCAL_TZ, SLOTS_PER_DAY
from ..api.models import Direction, Fuel
from .money import RATE_SCALE, scale_of, to_units
from .rates import NEG_INF, POS_INF, Intervals, RateSeries, to_epoch

MINUTES_PER_DAY: Final = 1440

# Economy 7 night window in minutes of the UTC day. Economy 7 meters switch registers on GMT all
# year (their clocks are not moved for BST), and the most common window is 00:30-07:30 GMT, i.e.
# 01:30-08:30 BST in summer. Octopus does not publish a per-meter window, so this is the default;
# a Tariff may carry another window.
E7_NIGHT_START_MINUTE: Final = 30
E7_NIGHT_END_MINUTE: Final = 450


@dataclass(frozen=True, slots=True, kw_only=True)
class TariffIssue:
    """One problem found in a tariff or configuration document.

    `key` is a snake_case translation key (e.g. "bands_overlap"); `tariff` and `band` name the
    culprit when known (band as "02:00-05:00"); `message` is a human sentence naming both.
    """

    key: str
    message: str
    tariff: str | None = None
    band: str | None = None
    other_tariff: str | None = None

    @property
    def placeholders(self) -> dict[str, str]:
        """Translation placeholders (only the known ones)."""
        found = {"tariff": self.tariff, "band": self.band, "other_tariff": self.other_tariff}
        result = {name: value for name, value in found.items() if value is not None}
        result["message"] = self.message
        return result


class TariffConfigError(ValueError):
    """Invalid tariff or configuration: carries every issue found (at least one).

    The first issue's fields are mirrored as attributes so a config flow can show one
    translated error, while `issues` lets an importer report them all.
    """

    def __init__(self, issues: Sequence[TariffIssue]) -> None:
        """Store the issues; the message joins them all."""
        if not issues:
            raise ValueError("TariffConfigError needs at least one issue")
        self.issues: tuple[TariffIssue, ...] = tuple(issues)
        first = self.issues[0]
        self.translation_key: str = first.key
        self.tariff: str | None = first.tariff
        self.band: str | None = first.band
        self.translation_placeholders: dict[str, str] = first.placeholders
        super().__init__("; ".join(issue.message for issue in self.issues))


def format_minute(minute: int) -> str:
    """Minutes since local midnight as "HH:MM" (1440 -> "24:00")."""
    return f"{minute // 60:02d}:{minute % 60:02d}"


@dataclass(frozen=True, slots=True, kw_only=True)
class Band:
    """A rate for a span of local wall-clock time, [start_minute, end_minute) of every day."""

    start_minute: int
    end_minute: int
    rate: Decimal

    @property
    def label(self) -> str:
        """The band as written in configuration, e.g. "02:00-05:00"."""
        return f"{format_minute(self.start_minute)}-{format_minute(self.end_minute)}"


def band_issues(bands: Sequence[Band], tariff: str) -> list[TariffIssue]:
    """Every problem with a band set: off the half-hour grid, empty, overlapping or gaps.

    A valid set covers [00:00, 24:00) exactly once. Negative rates are legal.
    """
    issues: list[TariffIssue] = []
    grid_ok: list[Band] = []
    for band in bands:
        label = band.label
        if not all(0 <= m <= MINUTES_PER_DAY for m in (band.start_minute, band.end_minute)):
            issues.append(_band_issue("invalid_band_time", tariff, label, "is outside the day"))
        elif band.start_minute % 30 or band.end_minute % 30:
            issues.append(
                _band_issue("band_not_half_hour", tariff, label, "is not on half-hour boundaries")
            )
        elif band.start_minute >= band.end_minute:
            issues.append(_band_issue("band_empty", tariff, label, "ends before it starts"))
        else:
            grid_ok.append(band)
    if issues:
        return issues  # coverage cannot be judged meaningfully with malformed bands
    if not grid_ok:
        return [TariffIssue(key="no_bands", tariff=tariff, message=f"Tariff {tariff}: no bands")]
    cursor = 0
    previous: Band | None = None
    for band in sorted(grid_ok, key=lambda b: (b.start_minute, b.end_minute)):
        if band.start_minute > cursor:
            gap = f"{format_minute(cursor)}-{format_minute(band.start_minute)}"
            issues.append(_gap_issue(tariff, gap))
        elif band.start_minute < cursor and previous is not None:
            issues.append(
                _band_issue("bands_overlap", tariff, band.label, f"overlaps {previous.label}")
            )
        if band.end_minute > cursor:
            cursor, previous = band.end_minute, band
    if cursor < MINUTES_PER_DAY:
        gap = f"{format_minute(cursor)}-24:00"
        issues.append(_gap_issue(tariff, gap))
    return issues


def _gap_issue(tariff: str, gap: str) -> TariffIssue:
    # The gap is a time range, not a band: "band 12:00-13:00 is not covered by any band" read
    # as if a band had been entered there.
    return TariffIssue(
        key="bands_gap", tariff=tariff, band=gap, message=f"Tariff {tariff}: no band covers {gap}"
    )


def _band_issue(key: str, tariff: str, band: str, what: str) -> TariffIssue:
    return TariffIssue(
        key=key, tariff=tariff, band=band, message=f"Tariff {tariff}: band {band} {what}"
    )


@dataclass(frozen=True, slots=True, kw_only=True)
class Tariff:
    """A tariff for one direction: time-of-day bands OR explicit rate intervals.

    - `bands`: local-time bands covering the day (custom tariffs, imported configs);
    - `intervals`: explicit rates (API rows: Agile half-hours, Flux day rows, fixed rows); with
      `night_intervals` too, it is an Economy 7 tariff: `intervals` are the day register and
      `night_intervals` apply inside `night_window` (UTC minutes of the day).
    Standing charges: `standing_charge` (flat per day) or `standing_charge_intervals`.
    Validity is [valid_from, valid_to); None is open. An interval tariff with no interval for
    an instant leaves it unpriced.
    """

    name: str
    direction: Direction
    currency: str = "GBP"
    fuel: Fuel = Fuel.ELECTRICITY  # gas tariffs are imports of fuel gas
    valid_from: datetime | None = None
    valid_to: datetime | None = None
    bands: tuple[Band, ...] = ()
    intervals: Intervals = ()
    night_intervals: Intervals = ()
    night_window: tuple[int, int] = (E7_NIGHT_START_MINUTE, E7_NIGHT_END_MINUTE)
    standing_charge: Decimal | None = None
    standing_charge_intervals: Intervals = ()
    code: str | None = None  # the Octopus tariff code for API tariffs
    # Derived lookup structures, built once (excluded from equality and repr).
    _slot_rates: tuple[Decimal, ...] = field(init=False, repr=False, compare=False)
    _slot_bands: tuple[int, ...] = field(init=False, repr=False, compare=False)
    _band_order: tuple[int, ...] = field(init=False, repr=False, compare=False)
    _day: RateSeries = field(init=False, repr=False, compare=False)
    _night: RateSeries = field(init=False, repr=False, compare=False)
    _standing: RateSeries = field(init=False, repr=False, compare=False)
    _span: tuple[int, int] = field(init=False, repr=False, compare=False)
    _rate_scale: int = field(init=False, repr=False, compare=False)
    _band_units: tuple[int, ...] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        """Check invariants and build the lookup structures."""
        span = (to_epoch(self.valid_from, NEG_INF), to_epoch(self.valid_to, POS_INF))
        if span[0] >= span[1]:
            raise TariffConfigError(
                [
                    TariffIssue(
                        key="invalid_validity",
                        tariff=self.name,
                        message=f"Tariff {self.name}: valid_from is not before valid_until",
                    )
                ]
            )
        if self.bands and (self.intervals or self.night_intervals):
            raise ValueError(f"Tariff {self.name}: bands and intervals are exclusive")
        if self.standing_charge is not None and self.standing_charge_intervals:
            raise ValueError(f"Tariff {self.name}: two kinds of standing charge")
        night_start, night_end = self.night_window
        if not 0 <= night_start < night_end <= MINUTES_PER_DAY:
            raise ValueError(f"Tariff {self.name}: bad night window {self.night_window}")
        slot_rates: list[Decimal] = []
        slot_bands: list[int] = []
        if self.bands:
            if issues := band_issues(self.bands, self.name):
                raise TariffConfigError(issues)
            for slot in range(SLOTS_PER_DAY):
                minute = slot * 30
                index = next(
                    i for i, b in enumerate(self.bands) if b.start_minute <= minute < b.end_minute
                )
                slot_rates.append(self.bands[index].rate)
                slot_bands.append(index)
        setattr_ = object.__setattr__  # frozen dataclass: derived fields are set once here
        setattr_(self, "_slot_rates", tuple(slot_rates))
        setattr_(self, "_slot_bands", tuple(slot_bands))
        order = sorted(range(len(self.bands)), key=lambda i: self.bands[i].start_minute)
        setattr_(self, "_band_order", tuple(order))
        setattr_(self, "_day", RateSeries.of(self.intervals, self.name))
        setattr_(self, "_night", RateSeries.of(self.night_intervals, self.name))
        setattr_(self, "_standing", RateSeries.of(self.standing_charge_intervals, self.name))
        setattr_(self, "_span", span)
        # Unit rates as integers for pricing, all at one scale (that of the finest rate).
        day, night = self._day, self._night
        band_scale = scale_of((band.rate for band in self.bands), RATE_SCALE)
        rate_scale = max(band_scale, day.scale, night.scale)
        setattr_(self, "_rate_scale", rate_scale)
        setattr_(self, "_band_units", tuple(to_units(b.rate, rate_scale) for b in self.bands))
        if day.scale != rate_scale:
            setattr_(
                self,
                "_day",
                RateSeries.from_units(
                    day.starts, day.ends, day.units_at(rate_scale), rate_scale, self.name
                ),
            )
        if night.scale != rate_scale:
            setattr_(
                self,
                "_night",
                RateSeries.from_units(
                    night.starts, night.ends, night.units_at(rate_scale), rate_scale, self.name
                ),
            )

    @property
    def rate_scale(self) -> int:
        """Scale of the integer unit rates (`band_units`, the series' `units`)."""
        return self._rate_scale

    @property
    def band_units(self) -> tuple[int, ...]:
        """For bands: each band's rate in units of 10**-rate_scale."""
        return self._band_units

    @property
    def is_economy7(self) -> bool:
        """True for a day/night (two-register) tariff."""
        return bool(self.night_intervals)

    @property
    def slot_bands(self) -> tuple[int, ...]:
        """For bands: the index into `bands` of each local half-hour slot 0..47."""
        return self._slot_bands

    @property
    def is_flat(self) -> bool:
        """For bands: one rate all day."""
        return len(set(self._slot_rates)) == 1

    @property
    def sorted_bands(self) -> tuple[Band, ...]:
        """The bands in order of start time."""
        return tuple(self.bands[index] for index in self._band_order)

    @property
    def band_order(self) -> tuple[int, ...]:
        """Indexes into `bands` in order of start time."""
        return self._band_order

    @property
    def day_series(self) -> RateSeries:
        """Explicit intervals (the day register for Economy 7)."""
        return self._day

    @property
    def night_series(self) -> RateSeries:
        """Economy 7 night register intervals (empty otherwise)."""
        return self._night

    @property
    def span(self) -> tuple[int, int]:
        """Validity as epoch seconds, open ends as NEG_INF/POS_INF."""
        return self._span

    def covers(self, seconds: int) -> bool:
        """Whether the instant lies in the tariff's validity."""
        return self._span[0] <= seconds < self._span[1]

    def rate_at_epoch(self, seconds: int) -> Decimal | None:
        """The rate at an instant inside the validity (None when no rate is known)."""
        if self.bands:
            local = datetime.fromtimestamp(seconds, LOCAL_TZ)
            return self._slot_rates[(local.hour * 60 + local.minute) // 30]
        if self.night_intervals and self.in_night(seconds):
            return self._night.value_at(seconds)
        return self._day.value_at(seconds)

    def in_night(self, seconds: int) -> bool:
        """Whether the instant is in the Economy 7 night window (UTC minutes of the day)."""
        minute = (seconds % DAY_SECONDS) // 60
        return self.night_window[0] <= minute < self.night_window[1]

    def standing_charge_at_epoch(self, seconds: int) -> Decimal | None:
        """The standing charge per day in force at the instant, if any."""
        if self.standing_charge is not None:
            return self.standing_charge
        return self._standing.value_at(seconds)


_CODE_RE: Final = re.compile(
    r"^(?P<fuel>[EG])-(?P<registers>1R|2R|FLAT2R)-(?P<product>[A-Z0-9][A-Z0-9-]*?)-(?P<region>[A-P])$"
)


@dataclass(frozen=True, slots=True, kw_only=True)
class TariffCode:
    """The parts of an Octopus tariff code such as E-1R-AGILE-24-10-01-C.

    `registers` is 2 for E-2R (economy 7: day and night rates) and E-FLAT2R (two registers but
    one flat rate: priced from the standard rates, so `flat` is True).
    """

    fuel: str
    registers: int
    product_code: str
    region: str
    flat: bool = False

    @property
    def is_economy7(self) -> bool:
        """Day/night rates apply (E-2R only)."""
        return self.registers == 2 and not self.flat


def parse_tariff_code(code: str) -> TariffCode:
    """Split a tariff code; raise ValueError for anything that is not one."""
    match = _CODE_RE.match(code.strip().upper()) if isinstance(code, str) else None
    if match is None:
        raise ValueError(f"not an Octopus tariff code: {code!r}")
    registers = match["registers"]
    return TariffCode(
        fuel=match["fuel"],
        registers=1 if registers == "1R" else 2,
        product_code=match["product"],
        region=match["region"],
        flat=registers == "FLAT2R",
    )
