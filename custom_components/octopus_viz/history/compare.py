"""What the cached half-hours of a period would have cost on other tariffs.

Pure Python. "As if you had been on it": the same metered half-hours, each priced by the pricing
engine (`tariffs.pricing.price_money`) with the candidate's rates in force at that half-hour
(Agile's half-hourly rows, bands in UK local time, fixed and variable rates with their changes,
Tracker's daily rates), plus the standing charge of every local day with import readings. The
actual cost is the cached prices of the same half-hours (priced by the same engine), so the
difference is like for like.

A half-hour a candidate has no rate for (not on sale yet, rates not published) is never priced
at zero: its local day is reported in `uncovered_days`, and the totals leave it out. Money is
exact (integer money columns summed in integers, totals as Decimals in an unbounded context);
nothing is rounded here.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import MAX_EMAX, MAX_PREC, MIN_EMIN, Context, Decimal, localcontext
from typing import Any

from ..api.local_time import date_of_day_number, local_midnight, local_position
from ..tariffs.candidates import ACTUAL, Candidate, PriceOption, pair_options
from ..tariffs.money import MoneyColumn, to_decimal
from ..tariffs.pricing import price_money
from ..tariffs.timeline import Timeline
from .periods import period_bounds
from .queries import QueryError
from .series import ZERO, HalfHourSeries

_EXACT = Context(prec=MAX_PREC, Emax=MAX_EMAX, Emin=MIN_EMIN)

type StandingFn = Callable[[date], Decimal | None]


@dataclass(frozen=True, slots=True, kw_only=True)
class Usage:
    """One direction's half-hours of a period, grouped by local day and month (index ranges)."""

    stamps: Sequence[int]
    kwh: Sequence[float]
    money: MoneyColumn  # the actual prices
    days: tuple[tuple[date, int, int], ...]
    months: tuple[tuple[str, int, int], ...]

    @classmethod
    def of(cls, series: HalfHourSeries | None, start: date, end: date) -> Usage:
        """The half-hours of local days start..end inclusive (none without a series)."""
        if series is None:
            return cls(stamps=(), kwh=(), money=MoneyColumn.empty(), days=(), months=())
        first, last = period_bounds(start, end)
        lo, hi = series.index_range(int(first.timestamp()), int(last.timestamp()))
        stamps = series.epochs[lo:hi]
        days: list[tuple[date, int, int]] = []
        current = None
        for index, stamp in enumerate(stamps):
            number = local_position(stamp)[0]
            if number != current:
                current = number
                days.append((date_of_day_number(number), index, index + 1))
            else:
                day, begin, _ = days[-1]
                days[-1] = (day, begin, index + 1)
        months: list[tuple[str, int, int]] = []
        for day, begin, stop in days:
            key = day.strftime("%Y-%m")
            if months and months[-1][0] == key:
                months[-1] = (key, months[-1][1], stop)
            else:
                months.append((key, begin, stop))
        return cls(
            stamps=stamps,
            kwh=series.kwh[lo:hi],
            money=series.money.slice(lo, hi),
            days=tuple(days),
            months=tuple(months),
        )


@dataclass(frozen=True, slots=True, kw_only=True)
class SideCost:
    """One direction priced one way: money and standing charges per month, uncovered days."""

    months: Mapping[str, Decimal]
    standing: Mapping[str, Decimal]
    uncovered: frozenset[date]
    priced: int  # half-hours priced
    count: int  # half-hours in the period


type CostsFn = Callable[[int, int], MoneyColumn]


def side_cost(usage: Usage, costs: CostsFn, standing: StandingFn | None) -> SideCost:
    """Sums of one direction's costs, with each day's standing charge.

    `costs(lo, hi)` gives the money of half-hours lo..hi-1 of `usage` as an exact integer
    column; it is asked one month at a time and summed in integers (unpriced half-hours hold
    0), so pricing a year never makes a Decimal per half-hour: a year of a dozen candidates
    would otherwise leave a quarter of a million objects for Python's garbage collector to
    walk (a full collection stops the event loop too).
    """
    months: dict[str, Decimal] = {}
    charges: dict[str, Decimal] = {}
    uncovered: set[date] = set()
    priced = 0
    days = usage.days
    first_day = 0
    with localcontext(_EXACT):
        for key, lo, hi in usage.months:
            part = costs(lo, hi)
            mask = part.priced
            known = sum(mask)
            priced += known
            months[key] = to_decimal(part.total(), part.scale)
            last_day = first_day
            while last_day < len(days) and days[last_day][2] <= hi:
                last_day += 1
            if known < len(part):
                for day, day_lo, day_hi in days[first_day:last_day]:
                    if 0 in mask[day_lo - lo : day_hi - lo]:
                        uncovered.add(day)
            first_day = last_day
        if standing is not None:
            for day, _lo, _hi in days:
                charge = standing(day)
                key = day.strftime("%Y-%m")
                if charge is None:
                    uncovered.add(day)
                else:
                    charges[key] = charges.get(key, ZERO) + charge
    return SideCost(
        months=months,
        standing=charges,
        uncovered=frozenset(uncovered),
        priced=priced,
        count=len(usage.stamps),
    )


def actual_cost(usage: Usage, standing: StandingFn | None) -> SideCost:
    """The cached (actual) prices of the usage."""
    money = usage.money
    return side_cost(usage, money.slice, standing)


def standing_of(timeline: Timeline) -> StandingFn:
    """A timeline's standing charge per local day.

    A custom tariff entered without a standing charge has none (zero); a published tariff
    without a standing-charge row for the day, or no tariff at all, leaves the day unknown.
    """

    def charge(day: date) -> Decimal | None:
        value = timeline.standing_charge_for_day(day)
        if value is None:
            tariff = timeline.tariff_at(local_midnight(day))
            if tariff is not None and tariff.code is None and not tariff.standing_charge_intervals:
                return ZERO
        return value

    return charge


def option_cost(usage: Usage, option: PriceOption, *, with_standing: bool) -> SideCost | None:
    """An option priced over the usage (None when it cannot price anything)."""
    timeline = option.timeline
    if timeline is None:
        return None
    stamps, kwh = usage.stamps, usage.kwh

    def costs(lo: int, hi: int) -> MoneyColumn:
        return price_money(timeline, stamps[lo:hi], kwh[lo:hi])[0]

    return side_cost(usage, costs, standing_of(timeline) if with_standing else None)


@dataclass(frozen=True, slots=True, kw_only=True)
class MonthTotals:
    """One local month of a candidate."""

    month: str
    import_cost: Decimal
    export_revenue: Decimal
    standing_charges: Decimal
    net: Decimal


@dataclass(frozen=True, slots=True, kw_only=True)
class Totals:
    """Money of a period: net = import cost + standing charges - export revenue."""

    import_cost: Decimal
    export_revenue: Decimal
    standing_charges: Decimal
    net: Decimal


@dataclass(frozen=True, slots=True, kw_only=True)
class CandidateResult:
    """A candidate's answer (money None when it is unavailable)."""

    key: str
    import_product: str | None
    export_product: str | None
    name: str
    family: str
    is_actual: bool
    available: bool
    reason: str | None
    eligibility: str | None
    import_cost: Decimal | None = None
    export_revenue: Decimal | None = None
    standing_charges: Decimal | None = None
    net: Decimal | None = None
    difference: Decimal | None = None
    uncovered_days: tuple[date, ...] = ()
    months: tuple[MonthTotals, ...] = ()


def _totals(
    imported: SideCost, exported: SideCost | None
) -> tuple[Totals, tuple[MonthTotals, ...]]:
    keys = sorted({*imported.months, *imported.standing, *(exported.months if exported else ())})
    rows: list[MonthTotals] = []
    with localcontext(_EXACT):
        for key in keys:
            cost = imported.months.get(key, ZERO)
            charge = imported.standing.get(key, ZERO)
            revenue = ZERO if exported is None else exported.months.get(key, ZERO)
            rows.append(
                MonthTotals(
                    month=key,
                    import_cost=cost,
                    export_revenue=revenue,
                    standing_charges=charge,
                    net=cost + charge - revenue,
                )
            )
        cost = sum((row.import_cost for row in rows), ZERO)
        revenue = sum((row.export_revenue for row in rows), ZERO)
        charge = sum((row.standing_charges for row in rows), ZERO)
        totals = Totals(
            import_cost=cost,
            export_revenue=revenue,
            standing_charges=charge,
            net=cost + charge - revenue,
        )
    return totals, tuple(rows)


def _result(candidate: Candidate, reason: str | None, **money: Any) -> CandidateResult:
    """A candidate's answer: unavailable with a reason, else with its `money` fields."""
    return CandidateResult(
        key=candidate.key,
        import_product=candidate.imports.product,
        export_product=None if candidate.exports is None else candidate.exports.product,
        name=candidate.name,
        family=candidate.imports.family,
        is_actual=candidate.is_actual,
        available=reason is None,
        reason=reason,
        eligibility=candidate.eligibility,
        **money,
    )


def rank(
    candidates: Sequence[Candidate],
    costs: Mapping[str, SideCost | None],
    actual: Totals,
) -> list[CandidateResult]:
    """Each candidate's totals from its sides' costs (keyed "import:KEY" / "export:KEY").

    Sorted: available first, fully covered before partly covered, then by net.
    """
    results: list[CandidateResult] = []
    for candidate in candidates:
        imported = costs.get(f"import:{candidate.imports.key}")
        exported = (
            None if candidate.exports is None else costs.get(f"export:{candidate.exports.key}")
        )
        if imported is None or (candidate.exports is not None and exported is None):
            results.append(_result(candidate, candidate.reason or "no_rates"))
            continue
        sides = [side for side in (imported, exported) if side is not None]
        if any(side.count and not side.priced for side in sides):
            results.append(_result(candidate, "no_rates_in_period"))
            continue
        totals, months = _totals(imported, exported)
        uncovered = imported.uncovered | (exported.uncovered if exported else frozenset())
        results.append(
            _result(
                candidate,
                None,
                import_cost=totals.import_cost,
                export_revenue=totals.export_revenue,
                standing_charges=totals.standing_charges,
                net=totals.net,
                difference=totals.net - actual.net,
                uncovered_days=tuple(sorted(uncovered)),
                months=months,
            )
        )
    results.sort(key=lambda r: (not r.available, bool(r.uncovered_days), r.net or ZERO))
    return results


def actual_totals(imported: SideCost, exported: SideCost | None) -> Totals:
    """The account's own money over the period."""
    return _totals(imported, exported)[0]


@dataclass(frozen=True, slots=True, kw_only=True)
class Comparison:
    """Every candidate over a period, the actual first among equals (`is_actual`)."""

    start: date
    end: date
    currency: str
    actual: Totals
    candidates: tuple[CandidateResult, ...]


def compare_tariffs(
    start: date,
    end: date,
    *,
    import_series: HalfHourSeries | None,
    export_series: HalfHourSeries | None,
    actual_standing: StandingFn | None,
    imports: Sequence[PriceOption],
    exports: Sequence[PriceOption],
    currency: str = "GBP",
) -> Comparison:
    """Price the period's cached half-hours with every option and rank the allowed pairs.

    Options keyed `ACTUAL` use the cached (actual) prices and `actual_standing`. Raises
    QueryError("no_data") when the cache holds no half-hour of the period.
    """
    used_in = Usage.of(import_series, start, end)
    used_out = Usage.of(export_series, start, end)
    if not used_in.stamps and not used_out.stamps:
        raise QueryError("no_data", start=start.isoformat(), end=end.isoformat())
    actual_in = actual_cost(used_in, actual_standing)
    actual_out = actual_cost(used_out, None) if export_series is not None else None
    costs: dict[str, SideCost | None] = {}
    for option in imports:
        costs[f"import:{option.key}"] = (
            actual_in if option.key == ACTUAL else option_cost(used_in, option, with_standing=True)
        )
    for option in exports:
        costs[f"export:{option.key}"] = (
            actual_out
            if option.key == ACTUAL
            else option_cost(used_out, option, with_standing=False)
        )
    actual = actual_totals(actual_in, actual_out)
    pairs = pair_options(imports, exports if export_series is not None else ())
    return Comparison(
        start=start,
        end=end,
        currency=currency,
        actual=actual,
        candidates=tuple(rank(pairs, costs, actual)),
    )
