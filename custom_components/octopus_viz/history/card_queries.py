"""The card's answers beyond the profile and heatmap: daily totals, import and export together,
and periods that end where the data end.

Pure Python (no Home Assistant import). Readings arrive a day late or more, so a period seen
from today ("last 30 days") is partly or wholly empty: the card asks for periods seen from the
newest reading instead (`anchored_today`). Values follow the conventions of `aggregation`:
a day or slot without readings is None, never 0; money is Decimal until it is shown here.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from decimal import Decimal
import math
from typing import Any

from ..api.local_time import HALF_HOUR, local_today
from . import aggregation
from .periods import PeriodKind, iter_dates
from .queries import (
    _FINE,
    Flow,
    QueryError,
    Unit,
    _data_until,
    _flow_series,
    _header,
    money,
    profile,
)
from .snapshot import OctopusData

_ROLLING = frozenset({PeriodKind.LAST_7_DAYS, PeriodKind.LAST_30_DAYS, PeriodKind.LAST_90_DAYS})


def anchored_today(data: OctopusData, today: date, period: str | None) -> date:
    """The "today" from which a named period is seen so that it ends at the newest reading.

    Rolling periods (last N days: N complete days ending yesterday) then end on the local day
    of the newest reading; calendar periods (this month, last month, this year) are those of
    that day. Without any reading, or with a period that has no such reading, today stays.
    """
    until = _data_until(data)
    if until is None:
        return today
    # data_until is the end of the last half-hour: the reading itself started before it.
    last_day = local_today(datetime.fromisoformat(until) - HALF_HOUR)
    if last_day >= today:
        return today
    rolling = period is None or period in _ROLLING
    return last_day + timedelta(days=1) if rolling else last_day


def daily(data: OctopusData, start: date, end: date, flow: Flow, unit: Unit) -> dict[str, Any]:
    """One total per local day of the period (None for a day without readings).

    Days are summed from the same cells as the heatmap, so a day's bar is its heatmap row.
    Standing charges are not included (they are not half-hourly): the summary has them.
    """
    plus, minus = _flow_series(data, flow, unit)
    if plus is None:
        raise QueryError("no_meter_for_flow", flow=flow)
    totals: list[float | None]
    if unit != "money":  # kWh, or a gas meter's m³
        grid = aggregation.kwh_heatmap(plus, start, end, minus=minus)
        totals = [_kwh_total(cells) for cells in grid.cells]
    else:
        money_grid = aggregation.value_heatmap(plus, start, end, minus=minus)
        totals = [_money_total(cells) for cells in money_grid.cells]
    dates = iter_dates(start, end)
    days = [{"date": d.isoformat(), "value": v} for d, v in zip(dates, totals, strict=True)]
    while days and days[-1]["value"] is None:
        days.pop()  # days after the newest reading: not yet metered, not empty
    return {**_header(data, start, end, flow, unit), "days": days}


def _kwh_total(cells: tuple[float | None, ...]) -> float | None:
    present = [c for c in cells if c is not None]
    return round(math.fsum(present), 4) if present else None


def _money_total(cells: tuple[Decimal | None, ...]) -> float | None:
    """Summed exactly, rounded once (not a sum of rounded cells)."""
    priced = [c for c in cells if c is not None]
    return money(sum(priced, Decimal(0)), _FINE) if priced else None


def combined(data: OctopusData, start: date, end: date, unit: Unit) -> dict[str, Any]:
    """Import, export and net of each of the 48 slots in one answer (sum and mean).

    A side without a meter is None throughout; net is import minus export where either side
    has a reading in the slot (the other counting as 0), as in the net profile.
    """
    sides: dict[str, list[dict[str, Any]] | None] = {}
    for flow in ("import", "export", "net"):
        try:
            sides[flow] = profile(data, start, end, flow, unit)["slots"]
        except QueryError:
            sides[flow] = None
    if sides["import"] is None and sides["export"] is None:
        raise QueryError("no_meter_for_flow", flow="net")
    slots = []
    for slot in range(48):
        entry: dict[str, Any] = {"slot": slot}
        for flow, values in sides.items():
            cell = values[slot] if values is not None else None
            entry[flow] = None if cell is None else {"sum": cell["sum"], "mean": cell["mean"]}
            if cell is not None:
                entry["label"] = cell["label"]
                entry["days"] = max(entry.get("days", 0), cell["days"])
        slots.append(entry)
    return {
        **_header(data, start, end, "net", unit),
        "direction": "combined",
        "days": (end - start).days + 1,
        "slots": slots,
    }
