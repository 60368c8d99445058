"""Queries over half-hour series: period totals, summaries, 48-slot profiles, heatmaps, hours.

Pure Python, no Home Assistant import. Periods are inclusive ranges of Europe/London dates (see
`history.periods`); a period covers the UTC instants from local midnight of its first day to local
midnight after its last. Money stays `Decimal` and is never rounded here; energy is a float.
Results are frozen dataclasses; `jsonable.to_json` turns them into JSON-ready values.

Conventions, stated once:
- Unpriced half-hours (money None) add their kWh but no money, and are counted (`unpriced`).
- A slot or cell without any reading is None, never 0; a money slot/cell is None when none of
  its readings is priced.
- "Net" results are `series` minus `minus` (import minus export): a slot/cell exists when
  either side has a reading, the missing side counting as 0.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
import math
from operator import add, sub

from ..api.local_time import (
    SLOT_LABELS,
    SLOTS_PER_DAY,
    date_of_day_number,
    day_number,
    epoch_seconds,
)
from ..tariffs.money import to_decimal
from .periods import iter_dates, period_bounds
from .series import ZERO, HalfHourSeries, Window

type StandingForDay = Callable[[date], Decimal | None]
"""Standing charge of a local day, None when unknown (no tariff covers the day)."""

HOUR_SECONDS = 3600


@dataclass(frozen=True, slots=True, kw_only=True)
class Totals:
    """One meter over a period.

    `last_end` is the end of the last half-hour with data in the period: readings arrive about a
    day late, so this says how far the totals reach. Standing charges are summed over
    `standing_days`: the days of the period with at least one reading. So a month-to-date total
    does not charge for days not yet metered, a day missing from the data adds neither energy
    nor standing charge, and totals of adjacent periods add up to the totals of their union.
    Days whose charge is unknown add nothing and are counted in `standing_unknown`.
    """

    start_date: date
    end_date: date
    kwh: float
    value: Decimal
    count: int
    unpriced: int
    first_start: datetime | None
    last_end: datetime | None
    standing: Decimal = ZERO
    standing_days: int = 0
    standing_unknown: int = 0


@dataclass(frozen=True, slots=True, kw_only=True)
class Summary:
    """Import, export and gas together over a period; net = import cost + gas cost + standing
    charges (electricity and gas) - revenue.

    Standing charges follow the import (or gas) meter's days with data (the supply).
    `data_until` is the earliest `last_end` among the meters that have data in the period:
    up to there, every meter is metered.
    """

    start_date: date
    end_date: date
    import_kwh: float
    export_kwh: float
    import_cost: Decimal
    export_revenue: Decimal
    standing: Decimal
    net: Decimal
    import_unpriced: int
    export_unpriced: int
    standing_days: int
    standing_unknown: int
    data_until: datetime | None
    gas_kwh: float = 0.0
    gas_cost: Decimal = ZERO
    gas_standing: Decimal = ZERO  # also counted in `standing`
    gas_unpriced: int = 0


@dataclass(frozen=True, slots=True, kw_only=True)
class SlotStat:
    """One local half-hour slot of a profile.

    `days` counts the days of the period on which the slot has at least one reading: the
    March change day has none in slots 2 and 3, the October one counts once in them although
    it holds two half-hours. Means are sums / days (money over the same days, so a slot with
    unpriced readings has a low money mean: check `unpriced`).
    """

    slot: int
    label: str
    kwh_sum: float | None
    value_sum: Decimal | None
    days: int
    kwh_mean: float | None
    value_mean: Decimal | None
    unpriced: int


@dataclass(frozen=True, slots=True, kw_only=True)
class Profile:
    """48 slots of a period, slot 0 = 00:00 local."""

    start_date: date
    end_date: date
    slots: tuple[SlotStat, ...]


@dataclass(frozen=True, slots=True, kw_only=True)
class Heatmap[T: (float, int, Decimal)]:
    """Days x 48 slots of a period (every date of the period, in order).

    `cells[d][s]` is the sum of the half-hours of date `dates[d]` in slot `s` (two on the
    October day in slots 2 and 3), None without reading. `minimum`/`maximum` over cells.
    """

    start_date: date
    end_date: date
    dates: tuple[date, ...]
    cells: tuple[tuple[T | None, ...], ...]
    minimum: T | None
    maximum: T | None


def totals(
    series: HalfHourSeries,
    start_date: date,
    end_date: date,
    standing_for_day: StandingForDay | None = None,
) -> Totals:
    """Totals of local days start_date..end_date inclusive (empty if end is before start)."""
    lo, hi = _index_range(series, start_date, end_date)
    standing, standing_days, unknown = ZERO, 0, 0
    if hi > lo and standing_for_day is not None:
        for day in series.local_days_with_data(lo, hi):
            charge = standing_for_day(date_of_day_number(day))
            standing_days += 1
            if charge is None:
                unknown += 1
            else:
                standing += charge
    return Totals(
        start_date=start_date,
        end_date=end_date,
        kwh=series.kwh_sum(lo, hi),
        value=series.value_sum(lo, hi),
        count=hi - lo,
        unpriced=series.unpriced_count(lo, hi),
        first_start=series.start_of(lo) if hi > lo else None,
        last_end=series.end_of(hi - 1) if hi > lo else None,
        standing=standing,
        standing_days=standing_days,
        standing_unknown=unknown,
    )


def summary(
    start_date: date,
    end_date: date,
    *,
    import_series: HalfHourSeries | None = None,
    export_series: HalfHourSeries | None = None,
    standing_for_day: StandingForDay | None = None,
    gas_series: HalfHourSeries | None = None,
    gas_standing_for_day: StandingForDay | None = None,
) -> Summary:
    """Import, export and gas of a period combined (any meter may be missing)."""
    empty = HalfHourSeries.empty()
    imported = totals(import_series or empty, start_date, end_date, standing_for_day)
    exported = totals(export_series or empty, start_date, end_date)
    gas = totals(gas_series or empty, start_date, end_date, gas_standing_for_day)
    ends = [t.last_end for t in (imported, exported, gas) if t.last_end is not None]
    return Summary(
        start_date=start_date,
        end_date=end_date,
        import_kwh=imported.kwh,
        export_kwh=exported.kwh,
        import_cost=imported.value,
        export_revenue=exported.value,
        standing=imported.standing + gas.standing,
        net=imported.value + imported.standing + gas.value + gas.standing - exported.value,
        import_unpriced=imported.unpriced,
        export_unpriced=exported.unpriced,
        standing_days=imported.standing_days,
        standing_unknown=imported.standing_unknown,
        data_until=min(ends) if ends else None,
        gas_kwh=gas.kwh,
        gas_cost=gas.value,
        gas_standing=gas.standing,
        gas_unpriced=gas.unpriced,
    )


def profile(
    series: HalfHourSeries,
    start_date: date,
    end_date: date,
    *,
    minus: HalfHourSeries | None = None,
) -> Profile:
    """The 48-slot profile of a period; with `minus`, the net profile series - minus."""
    first, days = _day_span(start_date, end_date)
    plus_w = series.window(first, days)
    minus_w = minus.window(first, days) if minus is not None else None
    slots: list[SlotStat] = []
    for slot in range(SLOTS_PER_DAY):
        kwh_sum, value_sum, count, priced, per_day = _column(plus_w, slot)
        if minus_w is not None:
            m_kwh, m_value, m_count, m_priced, m_per_day = _column(minus_w, slot)
            kwh_sum -= m_kwh
            value_sum -= m_value
            count += m_count
            priced += m_priced
            # Days on which either side has a reading in the slot.
            per_day = list(map(add, per_day, m_per_day, strict=True))
        present = days - per_day.count(0)
        has_kwh, has_value = count > 0, priced > 0
        slots.append(
            SlotStat(
                slot=slot,
                label=SLOT_LABELS[slot],
                kwh_sum=kwh_sum if has_kwh else None,
                value_sum=value_sum if has_value else None,
                days=present,
                kwh_mean=kwh_sum / present if has_kwh else None,
                value_mean=value_sum / present if has_value else None,
                unpriced=count - priced,
            )
        )
    return Profile(start_date=start_date, end_date=end_date, slots=tuple(slots))


def kwh_heatmap(
    series: HalfHourSeries,
    start_date: date,
    end_date: date,
    *,
    minus: HalfHourSeries | None = None,
) -> Heatmap[float]:
    """kWh of each (date, slot) of a period; with `minus`, series - minus."""
    first, days = _day_span(start_date, end_date)
    plus_w = series.window(first, days)
    minus_w = minus.window(first, days) if minus is not None else None
    return _heatmap(
        start_date,
        end_date,
        plus_w.kwh,
        plus_w.count,
        (minus_w.kwh, minus_w.count) if minus_w is not None else None,
    )


def value_heatmap(
    series: HalfHourSeries,
    start_date: date,
    end_date: date,
    *,
    minus: HalfHourSeries | None = None,
) -> Heatmap[Decimal]:
    """Money of each (date, slot) of a period; with `minus`, series - minus."""
    first, days = _day_span(start_date, end_date)
    plus_w = series.window(first, days)
    minus_w = minus.window(first, days) if minus is not None else None
    scale = max(plus_w.scale, minus_w.scale if minus_w is not None else 0)
    plus_w = plus_w.at_scale(scale)
    minus_w = minus_w.at_scale(scale) if minus_w is not None else None
    units = _heatmap(
        start_date,
        end_date,
        plus_w.value,
        plus_w.priced,
        (minus_w.value, minus_w.priced) if minus_w is not None else None,
    )

    # Decimals only here, at the edge, for the cells shown.
    def money(value: int | None) -> Decimal | None:
        return None if value is None else to_decimal(value, scale)

    return Heatmap(
        start_date=start_date,
        end_date=end_date,
        dates=units.dates,
        cells=tuple(tuple(map(money, row)) for row in units.cells),
        minimum=money(units.minimum),
        maximum=money(units.maximum),
    )


def _index_range(series: HalfHourSeries, start_date: date, end_date: date) -> tuple[int, int]:
    """Indexes [lo, hi) of the half-hours of a period of local days."""
    if end_date < start_date:
        return 0, 0
    start, end = period_bounds(start_date, end_date)
    return series.index_range(epoch_seconds(start), epoch_seconds(end))


def _day_span(start_date: date, end_date: date) -> tuple[int, int]:
    """First day number and number of days of a period (0 days if end is before start)."""
    return day_number(start_date), max((end_date - start_date).days + 1, 0)


def _column(window: Window, slot: int) -> tuple[float, Decimal, int, int, list[int]]:
    """Sums of one slot over a window: kWh, money, readings, priced, per-day reading counts."""
    counts = list(window.count[slot::SLOTS_PER_DAY])
    return (
        math.fsum(window.kwh[slot::SLOTS_PER_DAY]),
        to_decimal(sum(window.value[slot::SLOTS_PER_DAY]), window.scale),
        sum(counts),
        sum(window.priced[slot::SLOTS_PER_DAY]),
        counts,
    )


def _heatmap[T: (float, int)](
    start_date: date,
    end_date: date,
    values: Sequence[T],
    counts: Sequence[int],
    minus: tuple[Sequence[T], Sequence[int]] | None,
) -> Heatmap[T]:
    """Cells from flat day-major grids; a cell is None where its count (on both sides) is 0."""
    if minus is not None:
        values = list(map(sub, values, minus[0], strict=True))
        counts = list(map(add, counts, minus[1], strict=True))
    cells = tuple(
        tuple(
            value if count else None
            for value, count in zip(
                values[d : d + SLOTS_PER_DAY], counts[d : d + SLOTS_PER_DAY], strict=True
            )
        )
        for d in range(0, len(values), SLOTS_PER_DAY)
    )
    present = [value for value, count in zip(values, counts, strict=True) if count]
    return Heatmap(
        start_date=start_date,
        end_date=end_date,
        dates=tuple(iter_dates(start_date, end_date)),
        cells=cells,
        minimum=min(present) if present else None,
        maximum=max(present) if present else None,
    )
