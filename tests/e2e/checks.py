"""Statistics read through the websocket API, and the shared steps some tests rely on."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

import sqlalchemy as sa

from custom_components.octopus_viz.const import DOMAIN
from custom_components.octopus_viz.history.periods import day_bounds
from fake_octopus import DEMO_EXPORT_MPAN, DEMO_GAS_MPRN, DEMO_IMPORT_MPAN, FakeOctopus
from tests.ha.stats_helpers import expected_day

from .conftest import E2E
from .ha_client import WsClient

IMPORT = f"{DOMAIN}:electricity_{DEMO_IMPORT_MPAN}_import"
IMPORT_COST = f"{IMPORT}_cost"
EXPORT = f"{DOMAIN}:electricity_{DEMO_EXPORT_MPAN}_export"
EXPORT_REVENUE = f"{EXPORT}_revenue"
STATISTICS = (IMPORT, IMPORT_COST, EXPORT, EXPORT_REVENUE)
GAS_ENERGY = f"{DOMAIN}:gas_{DEMO_GAS_MPRN}_energy"
GAS_COST = f"{DOMAIN}:gas_{DEMO_GAS_MPRN}_cost"
GAS_VOLUME = f"{DOMAIN}:gas_{DEMO_GAS_MPRN}_volume"
GAS_STATISTICS = (GAS_ENERGY, GAS_COST, GAS_VOLUME)
# (statistic, meter, money?) for the expected figures.
STATISTIC_SOURCES = (
    (IMPORT, DEMO_IMPORT_MPAN, False),
    (IMPORT_COST, DEMO_IMPORT_MPAN, True),
    (EXPORT, DEMO_EXPORT_MPAN, False),
    (EXPORT_REVENUE, DEMO_EXPORT_MPAN, True),
)
# Whole UK days checked: the autumn clock change (25 hours, 50 half-hours) and a plain day.
KNOWN_DAYS = (date(2025, 10, 26), date(2025, 11, 10))
LAST_DAY = date(2025, 11, 19)  # the last whole day the fake serves at FAKE_NOW
BACKFILL_TIMEOUT = 120.0


def expected_figures(fake: FakeOctopus, day: date) -> dict[str, float]:
    """Each statistic's change over a UK day, from the fake's readings and published rates."""
    out: dict[str, float] = {}
    for statistic, mpan, money in STATISTIC_SOURCES:
        kwh, cost = expected_day(fake, mpan, day)
        out[statistic] = float(cost) if money else kwh
    return out


async def hourly_rows(
    ws: WsClient, start: datetime, end: datetime, statistic_ids: tuple[str, ...] = STATISTICS
) -> dict[str, list[dict[str, Any]]]:
    """Hourly rows of [start, end) per statistic (`start` in epoch milliseconds)."""
    result: dict[str, list[dict[str, Any]]] = await ws.call(
        "recorder/statistics_during_period",
        start_time=start.isoformat(),
        end_time=end.isoformat(),
        statistic_ids=list(statistic_ids),
        period="hour",
        types=["sum", "state"],
    )
    return result


async def day_changes(ws: WsClient, day: date) -> dict[str, tuple[float, float, int]]:
    """Per statistic: (sum of the day's hourly states, change of the running sum, row count)."""
    start, end = day_bounds(day)
    rows = await hourly_rows(ws, start - timedelta(hours=1), end)
    out: dict[str, tuple[float, float, int]] = {}
    start_ms = start.timestamp() * 1000
    for statistic in STATISTICS:
        series = rows.get(statistic, [])
        before = [r for r in series if r["start"] < start_ms]
        inside = [r for r in series if r["start"] >= start_ms]
        if not inside:
            continue
        base = before[-1]["sum"] if before else 0.0
        states = sum(r["state"] for r in inside)
        out[statistic] = (states, inside[-1]["sum"] - base, len(inside))
    return out


async def wait_for_backfill(e2e: E2E) -> None:
    """Until every statistic has its rows up to the end of the fake's last whole day.

    The integration writes history oldest first, so once the last day is there the older
    days are final. Idempotent: the first test that needs the data waits, the others do not.
    """
    if "backfill" in e2e.done:
        return
    start, end = day_bounds(LAST_DAY)
    loop = asyncio.get_running_loop()
    deadline = loop.time() + BACKFILL_TIMEOUT
    counts: dict[str, int] = {}
    while loop.time() < deadline:
        waited = STATISTICS + GAS_STATISTICS
        rows = await hourly_rows(e2e.ws, start, end, waited)
        counts = {statistic: len(rows.get(statistic, [])) for statistic in waited}
        if all(count == 24 for count in counts.values()):
            e2e.done.add("backfill")
            return
        await asyncio.sleep(1)
    msg = f"backfill incomplete after {BACKFILL_TIMEOUT:.0f} s, rows of {LAST_DAY}: {counts}"
    raise AssertionError(msg)


def grid_source() -> dict[str, Any]:
    """The Energy dashboard's grid connection made of our four statistics."""
    return {
        "type": "grid",
        "stat_energy_from": IMPORT,
        "stat_cost": IMPORT_COST,
        "stat_energy_to": EXPORT,
        "stat_compensation": EXPORT_REVENUE,
        "cost_adjustment_day": 0,
    }


def gas_source() -> dict[str, Any]:
    """The Energy dashboard's gas source: our gas kWh and its cost."""
    return {"type": "gas", "stat_energy_from": GAS_ENERGY, "stat_cost": GAS_COST}


async def save_energy_prefs(e2e: E2E) -> dict[str, Any]:
    """Save the grid and gas sources as the Energy dashboard's settings dialog does
    (idempotent)."""
    result: dict[str, Any] = await e2e.ws.call(
        "energy/save_prefs", energy_sources=[grid_source(), gas_source()]
    )
    e2e.done.add("energy_prefs")
    return result


@dataclass(frozen=True)
class StoredStatistics:
    """Our statistics as the recorder's database itself holds them."""

    dialect: str  # SQLAlchemy's name of the database: sqlite, mariadb or postgresql
    statistic_ids: list[str]
    hourly_rows: int


def _read_database(db_url: str) -> StoredStatistics:
    engine = sa.create_engine(db_url)
    try:
        with engine.connect() as connection:
            ids = connection.execute(
                sa.text("SELECT statistic_id FROM statistics_meta WHERE source = :source"),
                {"source": DOMAIN},
            )
            count = connection.execute(
                sa.text(
                    "SELECT COUNT(*) FROM statistics JOIN statistics_meta"
                    " ON statistics.metadata_id = statistics_meta.id"
                    " WHERE statistics_meta.source = :source"
                ),
                {"source": DOMAIN},
            )
            statistic_ids = sorted(ids.scalars())
            hourly = int(count.scalar_one())
        dialect = engine.dialect
        name = "mariadb" if getattr(dialect, "is_mariadb", False) else dialect.name
        return StoredStatistics(name, statistic_ids, hourly)
    finally:
        engine.dispose()


def stored_statistics(e2e: E2E) -> StoredStatistics:
    """Read the recorder's database directly (SQL from the test process).

    Two quick queries, run in place: an executor thread would outlive the test and fail the
    HA test plugin's check for lingering threads.
    """
    return _read_database(e2e.hass.db_url)
