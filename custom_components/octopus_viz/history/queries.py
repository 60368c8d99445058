"""Answers built from snapshots, shared by sensors, services and websocket commands.

Pure Python (no Home Assistant import): inputs are validated here and bad input raises
`QueryError` carrying a translation key, so every caller reports the same clear message.
Results are JSON-ready dicts; money is rounded only here, where it is shown.
"""

from __future__ import annotations

from array import array
from collections.abc import Sequence
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal
from typing import Any, Literal

from ..api.models import Direction, Fuel
from ..tariffs.money import MoneyColumn, int_column
from . import aggregation
from .jsonable import to_json
from .periods import PeriodKind, period_dates
from .series import HalfHourSeries
from .snapshot import MeterSnapshot, OctopusData

type Unit = Literal["kwh", "money", "m3"]  # m3: gas meters reporting cubic metres only
type Flow = Literal["import", "export", "net", "gas"]

DEFAULT_PERIOD = PeriodKind.LAST_30_DAYS
MAX_DAYS = 3 * 366 + 1  # a request larger than this is a mistake, not a query
_PENNY = Decimal("0.01")
_FINE = Decimal("0.0001")


class QueryError(ValueError):
    """Bad input or nothing to answer; `translation_key` names the message."""

    def __init__(self, translation_key: str, **placeholders: str) -> None:
        """Keep the key and placeholders for translated errors."""
        super().__init__(translation_key, placeholders)
        self.translation_key = translation_key
        self.placeholders = placeholders


def resolve_period(
    today: date,
    period: str | None = None,
    start: date | None = None,
    end: date | None = None,
) -> tuple[date, date]:
    """Inclusive local dates from explicit dates or a named period (default: last 30 days)."""
    if start is not None or end is not None:
        if start is None or end is None:
            raise QueryError("start_and_end_required")
        if end < start:
            raise QueryError("end_before_start", start=start.isoformat(), end=end.isoformat())
        if (end - start).days + 1 > MAX_DAYS:
            raise QueryError("period_too_long", days=str(MAX_DAYS))
        return start, end
    try:
        kind = PeriodKind(period) if period else DEFAULT_PERIOD
    except ValueError as err:
        raise QueryError("unknown_period", period=str(period)) from err
    return period_dates(kind, today)


def select_meters(data: OctopusData, mpans: Sequence[str] | None) -> list[MeterSnapshot]:
    """The meters asked for (all when None); an unknown MPAN is an error."""
    if not mpans:
        return list(data.meters.values())
    unknown = [m for m in mpans if m not in data.meters]
    if unknown:
        raise QueryError("unknown_meter", mpan=", ".join(unknown))
    return [data.meters[m] for m in mpans]


def combined(
    meters: Sequence[MeterSnapshot],
    direction: Direction = Direction.IMPORT,
    fuel: Fuel = Fuel.ELECTRICITY,
    *,
    volume: bool = False,
) -> HalfHourSeries | None:
    """The half-hours of all meters of a fuel and direction (gas: an import), summed per
    half-hour (None if none); `volume`: the m³ of the gas meters reporting them."""
    mine = [m for m in meters if (m.config.fuel, m.config.direction) == (fuel, direction)]
    if volume:
        chosen = [m.volume for m in mine if m.volume is not None]
    else:
        chosen = [m.series for m in mine]
    if not chosen:
        return None
    if len(chosen) == 1:
        return chosen[0]
    scale = max(series.money.scale for series in chosen)
    kwh: dict[int, float] = {}
    units: dict[int, int | None] = {}
    for series in chosen:
        money = series.money.at_scale(scale)
        for epoch, k, u, priced in zip(
            series.epochs, series.kwh, money.units, money.priced, strict=True
        ):
            kwh[epoch] = kwh.get(epoch, 0.0) + k
            value = u if priced else None
            if epoch in units:
                previous = units[epoch]
                # One unpriced part leaves the sum unpriced rather than silently too low.
                units[epoch] = None if previous is None or value is None else previous + value
            else:
                units[epoch] = value
    epochs = sorted(kwh)
    summed = [units[e] for e in epochs]
    return HalfHourSeries(
        epochs,
        [kwh[e] for e in epochs],
        MoneyColumn(
            int_column([u or 0 for u in summed]), array("B", [u is not None for u in summed]), scale
        ),
    )


def standing_for(
    meters: Sequence[MeterSnapshot], fuel: Fuel = Fuel.ELECTRICITY
) -> aggregation.StandingForDay | None:
    """Standing charges per local day: summed over the import meters' tariffs of a fuel."""
    timelines = [
        m.timeline
        for m in meters
        if m.config.direction is Direction.IMPORT
        and m.config.fuel is fuel
        and m.timeline is not None
    ]
    if not timelines:
        return None

    def per_day(day: date) -> Decimal | None:
        charges = [timeline.standing_charge_for_day(day) for timeline in timelines]
        known = [c for c in charges if c is not None]
        return sum(known, Decimal(0)) if known else None

    return per_day


def money(value: Decimal | None, step: Decimal = _PENNY) -> float | None:
    """A Decimal shown as a rounded float (None stays None)."""
    return None if value is None else float(value.quantize(step, rounding=ROUND_HALF_UP))


def _iso(when: datetime | None) -> str | None:
    return None if when is None else when.isoformat()


def account_summary(
    data: OctopusData, start: date, end: date, mpans: Sequence[str] | None = None
) -> aggregation.Summary:
    """Import, export and gas of the chosen meters (all by default) over a period."""
    meters = select_meters(data, mpans)
    return aggregation.summary(
        start,
        end,
        import_series=combined(meters, Direction.IMPORT),
        export_series=combined(meters, Direction.EXPORT),
        standing_for_day=standing_for(meters),
        gas_series=combined(meters, fuel=Fuel.GAS),
        gas_standing_for_day=standing_for(meters, Fuel.GAS),
    )


def summary(
    data: OctopusData, start: date, end: date, mpans: Sequence[str] | None = None
) -> dict[str, Any]:
    """kWh, cost, revenue, standing charges and net of a period."""
    meters = select_meters(data, mpans)
    result = account_summary(data, start, end, mpans)
    if result.data_until is None:
        raise QueryError("no_data", start=start.isoformat(), end=end.isoformat())
    return {
        "start": start.isoformat(),
        "end": end.isoformat(),
        "currency": data.currency,
        "import_kwh": round(result.import_kwh, 3),
        "export_kwh": round(result.export_kwh, 3),
        "import_cost": money(result.import_cost),
        "export_revenue": money(result.export_revenue),
        "standing_charges": money(result.standing),
        "net": money(result.net),
        "unpriced_half_hours": result.import_unpriced
        + result.export_unpriced
        + result.gas_unpriced,
        "data_until": _iso(result.data_until),
        "meters": [m.config.mpan for m in meters],
        **_gas_summary(meters, result, start, end),
    }


def _gas_summary(
    meters: Sequence[MeterSnapshot], result: aggregation.Summary, start: date, end: date
) -> dict[str, Any]:
    """The gas part of a summary (none without a gas meter); m³ where meters report them."""
    if not any(m.config.is_gas for m in meters):
        return {}
    volume = combined(meters, fuel=Fuel.GAS, volume=True)
    m3 = None if volume is None else round(aggregation.totals(volume, start, end).kwh, 3)
    return {
        "gas_kwh": round(result.gas_kwh, 3),
        "gas_m3": m3,
        "gas_cost": money(result.gas_cost),
        "gas_standing_charges": money(result.gas_standing),
    }


def _flow_series(
    data: OctopusData, flow: Flow, unit: Unit = "kwh"
) -> tuple[HalfHourSeries | None, HalfHourSeries | None]:
    meters = list(data.meters.values())
    if flow == "gas":
        return combined(meters, fuel=Fuel.GAS, volume=unit == "m3"), None
    if unit == "m3":
        return None, None  # only gas is metered in m³
    imported = combined(meters, Direction.IMPORT)
    exported = combined(meters, Direction.EXPORT)
    if flow == "import":
        return imported, None
    if flow == "export":
        return exported, None
    if imported is None and exported is None:
        return None, None
    return imported or HalfHourSeries.empty(), exported or HalfHourSeries.empty()


def _data_until(data: OctopusData) -> str | None:
    ends = [m.data_until for m in data.meters.values() if m.data_until is not None]
    return _iso(max(ends)) if ends else None


def _header(data: OctopusData, start: date, end: date, flow: Flow, unit: Unit) -> dict[str, Any]:
    """What every card answer says about itself."""
    return {
        "start": start.isoformat(),
        "end": end.isoformat(),
        "direction": flow,
        "unit": unit,
        "currency": data.currency,
        "data_until": _data_until(data),
    }


def slot_profile(data: OctopusData, start: date, end: date) -> dict[str, Any]:
    """48 local slots with sum and mean kWh and money for import and export (the service's
    answer: unrounded, for automations; `profile` below is the card's, rounded to show)."""
    meters = list(data.meters.values())
    slots: list[dict[str, Any]] = [{} for _ in range(48)]
    found = False
    flows = (
        ("import", Direction.IMPORT, Fuel.ELECTRICITY, "cost"),
        ("export", Direction.EXPORT, Fuel.ELECTRICITY, "revenue"),
        ("gas", Direction.IMPORT, Fuel.GAS, "cost"),
    )
    for name, direction, fuel, money_name in flows:
        series = combined(meters, direction, fuel)
        if series is None:
            continue
        result = aggregation.profile(series, start, end)
        for slot, out in zip(result.slots, slots, strict=True):
            found = found or slot.kwh_sum is not None
            out.update(
                {
                    "slot": slot.slot,
                    "label": slot.label,
                    f"{name}_days": slot.days,
                    f"{name}_kwh_sum": slot.kwh_sum,
                    f"{name}_kwh_mean": slot.kwh_mean,
                    f"{name}_{money_name}_sum": slot.value_sum,
                    f"{name}_{money_name}_mean": slot.value_mean,
                }
            )
    if not found:
        raise QueryError("no_data", start=start.isoformat(), end=end.isoformat())
    return {
        "start": start.isoformat(),
        "end": end.isoformat(),
        "currency": data.currency,
        "slots": to_json(slots),
    }


def profile(data: OctopusData, start: date, end: date, flow: Flow, unit: Unit) -> dict[str, Any]:
    """The 48 local half-hour slots of a period for the card (sum and mean per slot)."""
    plus, minus = _flow_series(data, flow, unit)
    if plus is None:
        raise QueryError("no_meter_for_flow", flow=flow)
    result = aggregation.profile(plus, start, end, minus=minus)
    slots = []
    for slot in result.slots:
        if unit != "money":
            total = None if slot.kwh_sum is None else round(slot.kwh_sum, 4)
            mean = None if slot.kwh_mean is None else round(slot.kwh_mean, 4)
        else:
            total = money(slot.value_sum, _FINE)
            mean = money(slot.value_mean, _FINE)
        slots.append(
            {"slot": slot.slot, "label": slot.label, "sum": total, "mean": mean, "days": slot.days}
        )
    return {**_header(data, start, end, flow, unit), "days": (end - start).days + 1, "slots": slots}


def heatmap(data: OctopusData, start: date, end: date, flow: Flow, unit: Unit) -> dict[str, Any]:
    """Days x 48 local half-hours of a period for the card."""
    plus, minus = _flow_series(data, flow, unit)
    if plus is None:
        raise QueryError("no_meter_for_flow", flow=flow)
    days: list[dict[str, Any]] = []
    if unit != "money":
        grid = aggregation.kwh_heatmap(plus, start, end, minus=minus)
        for day, cells in zip(grid.dates, grid.cells, strict=True):
            days.append(
                {
                    "date": day.isoformat(),
                    "values": [None if c is None else round(c, 4) for c in cells],
                }
            )
        low = None if grid.minimum is None else round(grid.minimum, 4)
        high = None if grid.maximum is None else round(grid.maximum, 4)
    else:
        money_grid = aggregation.value_heatmap(plus, start, end, minus=minus)
        for day, money_cells in zip(money_grid.dates, money_grid.cells, strict=True):
            days.append({"date": day.isoformat(), "values": [money(c, _FINE) for c in money_cells]})
        low, high = money(money_grid.minimum, _FINE), money(money_grid.maximum, _FINE)
    # Trailing days without any reading (data arrives late) are not shown as empty rows.
    while days and all(v is None for v in days[-1]["values"]):
        days.pop()
    return {**_header(data, start, end, flow, unit), "min": low, "max": high, "days": days}
