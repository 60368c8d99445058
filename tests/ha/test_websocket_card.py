"""The card's second-edition answers: daily totals, import with export, anchored periods."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal
import math

from freezegun.api import FrozenDateTimeFactory
import pytest
from pytest_homeassistant_custom_component.typing import MockHAClientWebSocket

from custom_components.octopus_viz.history.periods import iter_dates
from fake_octopus import DEMO_EXPORT_MPAN, DEMO_IMPORT_MPAN, FakeOctopus

from .test_websocket import (  # the shared fixture and helpers of the websocket tests
    OCTOBER_CHANGE,
    _error,
    _result,
    day_cells,
    fine,
    fold,
    net_cells,
    ws,
)

__all__ = ["ws"]  # a fixture: pytest finds it by name


async def test_daily_totals(fake_api: FakeOctopus, ws: MockHAClientWebSocket) -> None:
    """One value per day, the sum of the day's half-hours (kWh and money, every flow)."""
    first, last = date(2025, 10, 25), date(2025, 10, 27)
    fields = {"start": first.isoformat(), "end": last.isoformat()}
    for direction in ("import", "export", "net"):
        kwh = await _result(ws, "daily", direction=direction, **fields)
        money = await _result(ws, "daily", direction=direction, unit="money", **fields)
        assert (kwh["start"], kwh["end"], kwh["direction"]) == (
            "2025-10-25",
            "2025-10-27",
            direction,
        )
        assert (money["unit"], money["currency"]) == ("money", "GBP")
        rows = zip(iter_dates(first, last), kwh["days"], money["days"], strict=True)
        for day, k_row, m_row in rows:
            if direction == "net":
                cells = net_cells(fake_api, day)
            else:
                mpan = DEMO_IMPORT_MPAN if direction == "import" else DEMO_EXPORT_MPAN
                cells = day_cells(fake_api, mpan, day)
            assert k_row["date"] == m_row["date"] == day.isoformat()
            assert k_row["value"] == pytest.approx(math.fsum(c[0] for c in cells), abs=1e-3)
            money_total = fine(sum((c[1] for c in cells), Decimal(0)))
            assert m_row["value"] == pytest.approx(money_total, abs=2e-4)
    # The October change day has 50 half-hours: all of them are in its total.
    assert sum(c[2] for c in day_cells(fake_api, DEMO_IMPORT_MPAN, OCTOBER_CHANGE)) == 50

    # Days after the newest reading are left out; days before it in the period are null.
    recent = await _result(ws, "daily", start="2025-10-19", end="2025-11-25")
    assert recent["days"][0] == {"date": "2025-10-19", "value": None}
    assert recent["days"][-1]["date"] == "2025-11-19"
    assert recent["data_until"] == "2025-11-20T00:00:00+00:00"


async def test_combined_profile(fake_api: FakeOctopus, ws: MockHAClientWebSocket) -> None:
    """Import, export and net of each slot in one answer, equal to the three profiles."""
    first, last = date(2025, 11, 1), date(2025, 11, 7)
    fields = {"start": first.isoformat(), "end": last.isoformat(), "unit": "money"}
    answer = await _result(ws, "combined", **fields)
    assert (answer["direction"], answer["days"], len(answer["slots"])) == ("combined", 7, 48)
    days = iter_dates(first, last)
    expected = {
        "import": fold(day_cells(fake_api, DEMO_IMPORT_MPAN, d) for d in days),
        "export": fold(day_cells(fake_api, DEMO_EXPORT_MPAN, d) for d in days),
        "net": fold(net_cells(fake_api, d) for d in days),
    }
    for flow, slots in expected.items():
        single = await _result(ws, "profile", direction=flow, **fields)
        for slot, (_, money, present) in enumerate(slots):
            got = answer["slots"][slot]
            assert (got["slot"], got["days"]) == (slot, present)
            assert got[flow] == {k: single["slots"][slot][k] for k in ("sum", "mean")}
            assert got[flow]["sum"] == pytest.approx(fine(money), abs=2e-4), (flow, slot)


async def test_periods_anchored_at_the_newest_reading(
    ws: MockHAClientWebSocket, freezer: FrozenDateTimeFactory
) -> None:
    """anchor=latest: periods end where the data end, whatever today is."""
    # The fake's clock is 2025-11-20 12:00 and readings end at 2025-11-20 00:00.
    cases = {
        "last_7_days": ("2025-11-13", "2025-11-19"),
        "last_30_days": ("2025-10-21", "2025-11-19"),
        "this_month": ("2025-11-01", "2025-11-19"),
        "last_month": ("2025-10-01", "2025-10-31"),
    }
    for period, bounds in cases.items():
        answer = await _result(ws, "heatmap", period=period, anchor="latest")
        assert (answer["start"], answer["end"]) == bounds, period
    today = await _result(ws, "daily", period="this_month", anchor="today")
    assert (today["start"], today["end"]) == ("2025-11-01", "2025-11-20")
    # Weeks later (no new reading): "latest" still shows the data, "today" an empty window.
    freezer.move_to(datetime(2026, 1, 10, 9, 0, tzinfo=UTC))
    latest = await _result(ws, "profile", period="last_7_days", anchor="latest")
    assert (latest["start"], latest["end"]) == ("2025-11-13", "2025-11-19")
    assert all(slot["days"] == 7 for slot in latest["slots"])
    stale = await _result(ws, "profile", period="last_7_days")
    assert (stale["start"], stale["end"]) == ("2026-01-03", "2026-01-09")
    assert all(slot["sum"] is None for slot in stale["slots"])
    month = await _result(ws, "daily", period="this_year", anchor="latest")
    assert (month["start"], month["end"]) == ("2025-01-01", "2025-11-19")
    error = await _error(ws, "daily", anchor="yesterday")
    assert error["code"] == "invalid_format"
