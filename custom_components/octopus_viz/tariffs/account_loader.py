"""Load a meter's tariffs from its Octopus agreements, keeping the rows already fetched.

For each agreement the loader asks the client for the unit rates (standard, or day and night
for Economy 7) and the standing charges over the agreement's span, and remembers what it got
per (tariff code, rate kind) together with the spans already covered. So:
- a past span is never asked for twice (closed agreements are fetched once, ever);
- an open-ended agreement is re-asked only from the previous fetch time onwards, up to
  `lookahead` ahead (Agile publishes the next day's rates around 16:00 UK), at most once per
  `refresh_interval`;
- the store is a JSON-able dict (`as_dict` / constructor) the caller persists with its cache.

A 404 for one agreement (unknown product or tariff) leaves that span unpriced and is reported
in `TariffLoad.failures`; the other agreements are unaffected. Other client errors are
reported too, the agreement then being priced from whatever rows are already stored (the
missing span is asked for again next time).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
import logging
from typing import Any, Final, Literal, Protocol

from ..api.errors import OctopusError, OctopusNotFoundError
from ..api.models import Agreement, Direction, Fuel, Product, RateRow, rate_row
from ..api.parsing import decimal_field
from .model import Tariff, TariffCode, parse_tariff_code
from .octopus_rows import build_api_tariff
from .rate_rows import RateRows
from .rates import NEG_INF, POS_INF, from_epoch, to_epoch
from .timeline import Timeline

_LOGGER = logging.getLogger(__name__)

STORE_VERSION: Final = 2  # 2: rows as columns; 1 (rows as lists) is still read
DEFAULT_LOOKAHEAD: Final = timedelta(days=2)
DEFAULT_REFRESH_INTERVAL: Final = timedelta(minutes=30)

type UnitRateType = Literal["standard", "day", "night"]
type RateKind = Literal["standard", "day", "night", "standing"]
type FailureReason = Literal["not_found", "error", "invalid_code"]


class RatesClient(Protocol):
    """What the loader needs from the Octopus client (OctopusClient satisfies it)."""

    async def async_get_unit_rates(
        self,
        product_code: str,
        tariff_code: str,
        rate_type: UnitRateType,
        period_from: datetime,
        period_to: datetime,
    ) -> list[RateRow]:
        """Unit rate rows (pence/kWh) valid in the period."""

    async def async_get_standing_charges(
        self, product_code: str, tariff_code: str, period_from: datetime, period_to: datetime
    ) -> list[RateRow]:
        """Standing charge rows (pence/day) valid in the period."""

    async def async_get_product(self, product_code: str) -> Product:
        """A product's display names."""


@dataclass(frozen=True, slots=True, kw_only=True)
class AgreementFailure:
    """An agreement whose rates could not be loaded (its span may be unpriced)."""

    agreement: Agreement
    reason: FailureReason
    message: str


@dataclass(frozen=True, slots=True, kw_only=True)
class TariffLoad:
    """The outcome of a load: the meter's timeline and the agreements that failed."""

    timeline: Timeline
    failures: tuple[AgreementFailure, ...] = ()


class _RowSeries:
    """Rows fetched for one tariff code and rate kind, and the spans they cover."""

    __slots__ = ("_columns", "_pending", "covered", "fetched_at", "version")

    def __init__(self) -> None:
        self.covered: list[tuple[int, int]] = []  # merged, sorted epoch-second spans
        # A re-published row (same start and payment method) replaces the stored one.
        self._columns = RateRows()
        # Fetched pages wait here: merging years of rows is CPU work, done where the rows
        # are next needed (`rows`: building the timeline or storing, both in the executor)
        # rather than in the event loop that fetched them.
        self._pending: list[Sequence[RateRow]] = []
        self.fetched_at: int | None = None
        self.version = 0

    def missing(self, lo: int, hi: int) -> list[tuple[int, int]]:
        """Parts of [lo, hi) not covered yet."""
        gaps: list[tuple[int, int]] = []
        cursor = lo
        for start, end in self.covered:
            if end <= cursor:
                continue
            if start >= hi:
                break
            if start > cursor:
                gaps.append((cursor, start))
            cursor = max(cursor, end)
        if cursor < hi:
            gaps.append((cursor, hi))
        return gaps

    def merge(self, rows: Sequence[RateRow], span: tuple[int, int], fetched_at: int) -> None:
        """Add fetched rows (a re-published row replaces its stored version) and the span."""
        if rows:
            self._pending.append(rows)
        if span[0] < span[1]:
            spans = sorted([*self.covered, span])
            merged: list[tuple[int, int]] = [spans[0]]
            for start, end in spans[1:]:
                if start <= merged[-1][1]:
                    merged[-1] = (merged[-1][0], max(merged[-1][1], end))
                else:
                    merged.append((start, end))
            self.covered = merged
        self.fetched_at = fetched_at
        self.version += 1

    @property
    def rows(self) -> RateRows:
        """The rows fetched so far (merging those still pending)."""
        pending, self._pending = self._pending, []
        for rows in pending:
            self._columns.merge(rows)
        return self._columns

    def as_dict(self) -> dict[str, Any]:
        return {
            "covered": [list(span) for span in self.covered],
            "fetched_at": self.fetched_at,
            # Columns of numbers: a few JSON lists, not a list per row.
            "columns": self.rows.as_dict(),
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> _RowSeries:
        series = cls()
        series.covered = [(int(s), int(e)) for s, e in data["covered"]]
        fetched_at = data.get("fetched_at")
        series.fetched_at = None if fetched_at is None else int(fetched_at)
        if "columns" in data:
            series._columns = RateRows.from_dict(data["columns"])
            return series
        rows: list[RateRow] = []  # store version 1: one list per row
        for exc, inc, start, end, method in data["rows"]:
            # decimal_field: BadRowError (a ValueError) for what is not a number.
            rows.append(
                rate_row(
                    exc_vat=str(decimal_field(exc, "stored rate")),
                    inc_vat=str(decimal_field(inc, "stored rate")),
                    start=None if start is None else int(start),
                    end=None if end is None else int(end),
                    payment_method=method,
                )
            )
        series._columns = RateRows.of(rows)
        return series


class AccountTariffLoader:
    """Builds meters' timelines from agreements, fetching only rows it does not have."""

    def __init__(
        self,
        client: RatesClient,
        stored: Mapping[str, Any] | None = None,
        *,
        include_vat: bool = True,
        lookahead: timedelta = DEFAULT_LOOKAHEAD,
        refresh_interval: timedelta = DEFAULT_REFRESH_INTERVAL,
    ) -> None:
        """Start from a stored dict (ignored with a warning when unreadable)."""
        self._client = client
        self._include_vat = include_vat
        self._lookahead = int(lookahead.total_seconds())
        self._refresh = int(refresh_interval.total_seconds())
        self._series: dict[str, _RowSeries] = {}
        self._products: dict[str, str] = {}
        self._built: dict[tuple[Agreement, Direction], tuple[tuple[int, ...], Tariff]] = {}
        self._failures: tuple[AgreementFailure, ...] = ()
        if stored:
            self.restore(stored)

    def restore(self, stored: Mapping[str, Any]) -> None:
        """Replace the kept rows by a stored dict (kept as is when it is unreadable)."""
        try:
            if stored.get("version") not in (1, STORE_VERSION):
                raise ValueError(f"store version {stored.get('version')!r}")  # noqa: TRY301
            series = {key: _RowSeries.from_dict(v) for key, v in stored["series"].items()}
            products = {str(k): str(v) for k, v in stored.get("products", {}).items()}
        except (KeyError, TypeError, ValueError, ArithmeticError) as err:
            _LOGGER.warning("Discarding unreadable stored tariff rows: %s", err)
            return
        self._series, self._products = series, products
        self._built.clear()

    def as_dict(self) -> dict[str, Any]:
        """Everything fetched so far, JSON-able, for the caller to persist (CPU work on
        years of rows: callers run it in the executor)."""
        return {
            "version": STORE_VERSION,
            "series": {key: series.as_dict() for key, series in self._series.items()},
            "products": dict(self._products),
        }

    dump = as_dict

    def know_names(self, names: Mapping[str, str]) -> None:
        """Display names of products the caller already has (no product request for them)."""
        self._products.update(names)

    @property
    def failures(self) -> tuple[AgreementFailure, ...]:
        """Agreements that failed during the last update."""
        return self._failures

    @property
    def failed_agreements(self) -> list[str]:
        """The failures as short texts, e.g. "E-1R-OLD-C (not_found)"."""
        return [f"{f.agreement.tariff_code} ({f.reason})" for f in self._failures]

    async def async_load(
        self, direction: Direction, agreements: Sequence[Agreement], now: datetime
    ) -> TariffLoad:
        """Fetch what is missing (`async_update`), then build the timeline (`timeline`)."""
        await self.async_update(agreements, now)
        return TariffLoad(timeline=self.timeline(agreements, direction), failures=self._failures)

    async def async_update(self, agreements: Sequence[Agreement], now: datetime) -> bool:
        """Fetch the rows not kept yet for the agreements; True when anything changed.

        Failures are recorded in `failures` (replacing those of the previous update).
        """
        now_s = to_epoch(now, NEG_INF)
        before = self._versions()
        previous_failures = self._failures
        failures: list[AgreementFailure] = []
        for agreement in _consecutive(agreements):
            if (failure := await self._async_agreement(agreement, now_s)) is not None:
                failures.append(failure)
        self._failures = tuple(failures)
        return self._versions() != before or self._failures != previous_failures

    def timeline(self, agreements: Sequence[Agreement], direction: Direction) -> Timeline:
        """The meter's timeline from the kept rows only (no request).

        Agreements whose rows are missing (not fetched, not found) become tariffs without
        rates, so their spans are unpriced.
        """
        tariffs: list[Tariff] = []
        for agreement in _consecutive(agreements):
            try:
                code = parse_tariff_code(agreement.tariff_code)
            except ValueError:
                continue
            name = self._products.get(code.product_code) or None
            tariffs.append(self._tariff(agreement, direction, code, name))
        return Timeline(tariffs, direction)

    def _versions(self) -> dict[str, int]:
        return {key: series.version for key, series in self._series.items()}

    async def _async_agreement(self, agreement: Agreement, now: int) -> AgreementFailure | None:
        try:
            code = parse_tariff_code(agreement.tariff_code)
        except ValueError as err:
            return _failure(agreement, "invalid_code", str(err))
        failure: AgreementFailure | None = None
        for kind in _kinds(code):
            try:
                await self._async_fill(agreement, code.product_code, kind, now)
            except OctopusNotFoundError as err:
                return _failure(agreement, "not_found", str(err) or "not found")
            except OctopusError as err:
                failure = _failure(agreement, "error", str(err) or type(err).__name__)
        await self._async_product_name(code.product_code)
        return failure

    async def _async_fill(
        self, agreement: Agreement, product_code: str, kind: RateKind, now: int
    ) -> None:
        """Fetch the parts of the agreement's span this series does not cover yet."""
        key = f"{agreement.tariff_code}/{kind}"
        series = self._series.setdefault(key, _RowSeries())
        lo = to_epoch(agreement.valid_from, NEG_INF)
        end = to_epoch(agreement.valid_to, POS_INF)
        horizon = now + self._lookahead
        hi = min(end, horizon)
        fetched_at = series.fetched_at
        recent = fetched_at is not None and now - fetched_at < self._refresh
        for gap_start, gap_end in series.missing(lo, hi):
            if recent and fetched_at is not None and gap_start >= fetched_at:
                continue  # the still-open part after the last fetch was asked for moments ago
            period_from, period_to = from_epoch(gap_start), from_epoch(gap_end)
            if kind == "standing":
                rows = await self._client.async_get_standing_charges(
                    product_code, agreement.tariff_code, period_from, period_to
                )
            else:
                rows = await self._client.async_get_unit_rates(
                    product_code, agreement.tariff_code, kind, period_from, period_to
                )
            # Only the past is final: rows after `now` may still be published or revised.
            series.merge(rows, (gap_start, min(gap_end, now)), now)

    async def _async_product_name(self, product_code: str) -> None:
        """Remember the product's display name (asked once per product)."""
        if product_code in self._products:
            return
        try:
            product = await self._client.async_get_product(product_code)
        except OctopusNotFoundError:
            self._products[product_code] = ""  # unlisted product: its rates still work
        except OctopusError:
            return  # transient: ask again next time
        else:
            self._products[product_code] = product.display_name

    def _tariff(
        self,
        agreement: Agreement,
        direction: Direction,
        code: TariffCode,
        name: str | None,
    ) -> Tariff:
        """Build (or reuse, when no series changed) the agreement's tariff."""
        kinds = _kinds(code)
        series = [
            self._series.get(f"{agreement.tariff_code}/{kind}", _RowSeries()) for kind in kinds
        ]
        versions = tuple(s.version for s in series)
        cached = self._built.get((agreement, direction))
        if (
            cached is not None
            and cached[0] == versions
            and cached[1].name == (name or agreement.tariff_code)
        ):
            return cached[1]
        rows = {kind: s.rows for kind, s in zip(kinds, series, strict=True)}
        tariff = build_api_tariff(
            agreement,
            direction,
            unit_rates=rows.get("standard", RateRows()),
            day_rates=rows.get("day", RateRows()),
            night_rates=rows.get("night", RateRows()),
            standing_charges=rows["standing"],
            include_vat=self._include_vat,
            name=name,
            fuel=Fuel.GAS if code.fuel == "G" else Fuel.ELECTRICITY,
        )
        self._built[(agreement, direction)] = (versions, tariff)
        return tariff


def _consecutive(agreements: Sequence[Agreement]) -> list[Agreement]:
    """Agreements in time order, an overlapping one cut at the next one's start.

    Account data should never overlap, but a timeline must, so the later agreement wins.
    """
    ordered = sorted(
        (a for a in agreements if a.valid_to is None or a.valid_to > a.valid_from),
        key=lambda a: to_epoch(a.valid_from, NEG_INF),
    )
    result: list[Agreement] = []
    for index, agreement in enumerate(ordered):
        following = ordered[index + 1] if index + 1 < len(ordered) else None
        end = agreement.valid_to
        if following is not None and (end is None or end > following.valid_from):
            end = following.valid_from
        if end is not None and end <= agreement.valid_from:
            continue  # fully superseded
        result.append(
            agreement
            if end == agreement.valid_to
            else Agreement(
                tariff_code=agreement.tariff_code, valid_from=agreement.valid_from, valid_to=end
            )
        )
    return result


def _kinds(code: TariffCode) -> tuple[RateKind, ...]:
    """The row series an agreement needs: day and night for Economy 7, else standard (gas
    tariffs, G-1R-..., have a standard unit rate and a standing charge)."""
    return ("day", "night", "standing") if code.is_economy7 else ("standard", "standing")


def _failure(agreement: Agreement, reason: FailureReason, message: str) -> AgreementFailure:
    return AgreementFailure(agreement=agreement, reason=reason, message=message)
