"""Expected figures computed from the fake API's own data, and statistics read back."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

from homeassistant.components.recorder.statistics import statistics_during_period
from homeassistant.core import HomeAssistant
from homeassistant.helpers.recorder import get_instance

from custom_components.octopus_viz.history.periods import day_bounds
from fake_octopus import DEMO_EXPORT_MPAN, DEMO_IMPORT_MPAN, FakeOctopus

HALF_HOUR = timedelta(minutes=30)
LONDON_OFFSET_BST = timedelta(hours=1)

# The demo account's agreements (fake_octopus.demo), as (code, valid_from) per MPAN.
SWITCHES = {
    DEMO_IMPORT_MPAN: [
        ("E-1R-VAR-22-11-01-C", datetime.fromisoformat("2023-01-15T00:00:00+00:00")),
        ("E-1R-FLUX-IMPORT-23-02-14-C", datetime.fromisoformat("2024-04-01T00:00:00+01:00")),
        ("E-1R-AGILE-24-10-01-C", datetime.fromisoformat("2025-06-01T00:00:00+01:00")),
    ],
    DEMO_EXPORT_MPAN: [
        ("E-1R-OUTGOING-FIX-12M-19-05-13-C", datetime.fromisoformat("2023-03-01T00:00:00+00:00")),
        ("E-1R-FLUX-EXPORT-23-02-14-C", datetime.fromisoformat("2024-04-01T00:00:00+01:00")),
        ("E-1R-AGILE-OUTGOING-19-05-13-C", datetime.fromisoformat("2025-06-01T00:00:00+01:00")),
    ],
}


def tariff_code_at(mpan: str, when: datetime) -> str:
    """The agreement in force for a half-hour."""
    code = SWITCHES[mpan][0][0]
    for candidate, start in SWITCHES[mpan]:
        if when >= start:
            code = candidate
    return code


def half_hours(day: date) -> list[datetime]:
    """UTC starts of a local day's half-hours (46, 48 or 50)."""
    start, end = day_bounds(day)
    out = []
    while start < end:
        out.append(start)
        start += HALF_HOUR
    return out


def expected_day(fake: FakeOctopus, mpan: str, day: date) -> tuple[float, Decimal]:
    """kWh and money (GBP) of a local day, from the fake's readings and published rates."""
    kwh = 0.0
    money = Decimal(0)
    for start in half_hours(day):
        value = fake.consumption_kwh(mpan, start)
        kwh += value
        rate = fake.unit_rate_pence(tariff_code_at(mpan, start), start) / 100
        money += Decimal(repr(value)) * rate
    return kwh, money


async def hourly_rows(
    hass: HomeAssistant, stat_id: str, start: datetime, end: datetime
) -> list[dict[str, Any]]:
    """Hourly statistic rows of [start, end)."""
    result = await get_instance(hass).async_add_executor_job(
        statistics_during_period, hass, start, end, {stat_id}, "hour", None, {"sum", "state"}
    )
    return list(result.get(stat_id, []))


async def day_change(hass: HomeAssistant, stat_id: str, day: date) -> tuple[float, float]:
    """(sum of the day's hourly states, change of the running sum across the day)."""
    start, end = day_bounds(day)
    rows = await hourly_rows(hass, stat_id, start - timedelta(hours=1), end)
    before = [r for r in rows if r["start"] < start.timestamp()]
    inside = [r for r in rows if r["start"] >= start.timestamp()]
    states = sum(r["state"] for r in inside)
    base = before[-1]["sum"] if before else 0.0
    return states, inside[-1]["sum"] - base
