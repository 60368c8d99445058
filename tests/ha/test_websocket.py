"""Websocket commands of the card: entries, profile and heatmap on known data, bad input."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from freezegun.api import FrozenDateTimeFactory
from homeassistant.auth.models import User
from homeassistant.config_entries import ConfigEntryState
from homeassistant.core import HomeAssistant
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry
from pytest_homeassistant_custom_component.typing import (
    MockHAClientWebSocket,
    WebSocketGenerator,
)

from custom_components.octopus_viz.api.local_time import local_slot, slot_label
from custom_components.octopus_viz.const import CONF_METERS, DOMAIN
from custom_components.octopus_viz.history.periods import iter_dates
from fake_octopus import DEMO_ACCOUNT_NUMBER, DEMO_EXPORT_MPAN, DEMO_IMPORT_MPAN, FakeOctopus

from .conftest import FAKE_NOW, entry_data, settle
from .stats_helpers import half_hours, tariff_code_at

OCTOBER_CHANGE = date(2025, 10, 26)  # 50 half-hours: 01:00 and 01:30 happen twice
FINE = Decimal("0.0001")

type Cell = tuple[float, Decimal, int]  # kWh, money, number of half-hours


def day_cells(fake: FakeOctopus, mpan: str, day: date) -> list[Cell]:
    """The 48 local slots of a day from the fake's readings and rates (two half-hours in
    slots 2 and 3 on the October change day)."""
    cells: list[Cell] = [(0.0, Decimal(0), 0)] * 48
    for start in half_hours(day):
        local_day, slot = local_slot(start)
        assert local_day == day
        kwh = fake.consumption_kwh(mpan, start)
        money = Decimal(repr(kwh)) * fake.unit_rate_pence(tariff_code_at(mpan, start), start) / 100
        old_kwh, old_money, count = cells[slot]
        cells[slot] = (old_kwh + kwh, old_money + money, count + 1)
    return cells


def net_cells(fake: FakeOctopus, day: date) -> list[Cell]:
    """Import minus export per slot."""
    return [
        (ik - ek, im - em, ic + ec)
        for (ik, im, ic), (ek, em, ec) in zip(
            day_cells(fake, DEMO_IMPORT_MPAN, day),
            day_cells(fake, DEMO_EXPORT_MPAN, day),
            strict=True,
        )
    ]


def fold(days: Iterable[list[Cell]]) -> list[tuple[float, Decimal, int]]:
    """Per slot: kWh and money summed over days, and the number of days with a reading."""
    totals: list[tuple[float, Decimal, int]] = [(0.0, Decimal(0), 0)] * 48
    for cells in days:
        totals = [
            (kwh + c_kwh, money + c_money, present + (count > 0))
            for (kwh, money, present), (c_kwh, c_money, count) in zip(totals, cells, strict=True)
        ]
    return totals


async def client_at_frozen_time(
    hass: HomeAssistant, user: User, hass_ws_client: WebSocketGenerator
) -> MockHAClientWebSocket:
    """A websocket client whose token is issued at the frozen time.

    The fixture's token was issued before the clock moved back to 2025: it would not be
    valid yet.
    """
    refresh_token = await hass.auth.async_create_refresh_token(user, "https://octopus.test/")
    return await hass_ws_client(hass, hass.auth.async_create_access_token(refresh_token))


def fine(value: Decimal) -> float:
    """Money as the websocket shows it (4 decimals)."""
    return float(value.quantize(FINE, rounding=ROUND_HALF_UP))


@pytest.fixture
async def ws(
    hass: HomeAssistant,
    fake_api: FakeOctopus,
    config_entry: MockConfigEntry,
    freezer: FrozenDateTimeFactory,
    hass_ws_client: WebSocketGenerator,
    hass_admin_user: User,
) -> MockHAClientWebSocket:
    """A websocket client with the demo entry loaded at the fake's "now"."""
    freezer.move_to(FAKE_NOW)
    assert await hass.config_entries.async_setup(config_entry.entry_id)
    await settle(hass)
    return await client_at_frozen_time(hass, hass_admin_user, hass_ws_client)


async def _ask(client: MockHAClientWebSocket, command: str, **fields: Any) -> dict[str, Any]:
    await client.send_json_auto_id({"type": f"{DOMAIN}/{command}", **fields})
    response: dict[str, Any] = await client.receive_json()
    return response


async def _result(client: MockHAClientWebSocket, command: str, **fields: Any) -> dict[str, Any]:
    response = await _ask(client, command, **fields)
    assert response["success"], response
    result: dict[str, Any] = response["result"]
    return result


async def _error(client: MockHAClientWebSocket, command: str, **fields: Any) -> dict[str, Any]:
    response = await _ask(client, command, **fields)
    assert not response["success"], response
    error: dict[str, Any] = response["error"]
    return error


async def test_entries(
    hass: HomeAssistant, config_entry: MockConfigEntry, ws: MockHAClientWebSocket
) -> None:
    """The loaded accounts and their meters, for the card editor."""
    result = await _result(ws, "entries")
    assert result == {
        "entries": [
            {
                "entry_id": config_entry.entry_id,
                "title": f"Octopus {DEMO_ACCOUNT_NUMBER}",
                "meters": [
                    {"mpan": DEMO_IMPORT_MPAN, "direction": "import", "fuel": "electricity"},
                    {"mpan": DEMO_EXPORT_MPAN, "direction": "export", "fuel": "electricity"},
                ],
            }
        ]
    }


async def test_profile_of_the_october_change_day(
    fake_api: FakeOctopus, config_entry: MockConfigEntry, ws: MockHAClientWebSocket
) -> None:
    """The day's 50 half-hours fold into 48 slots; kWh and money, import/export/net."""
    day = OCTOBER_CHANGE.isoformat()
    expected = {
        "import": day_cells(fake_api, DEMO_IMPORT_MPAN, OCTOBER_CHANGE),
        "export": day_cells(fake_api, DEMO_EXPORT_MPAN, OCTOBER_CHANGE),
        "net": net_cells(fake_api, OCTOBER_CHANGE),
    }
    assert [c[2] for c in expected["import"]] == [1, 1, 2, 2] + [1] * 44
    for direction, cells in expected.items():
        kwh = await _result(ws, "profile", start=day, end=day, direction=direction)
        assert kwh["entry_id"] == config_entry.entry_id
        assert (kwh["start"], kwh["end"], kwh["days"]) == (day, day, 1)
        assert (kwh["direction"], kwh["unit"], kwh["currency"]) == (direction, "kwh", "GBP")
        assert kwh["data_until"] == "2025-11-20T00:00:00+00:00"
        money = await _result(ws, "profile", start=day, end=day, direction=direction, unit="money")
        assert money["unit"] == "money"
        for slot, (cell_kwh, cell_money, _) in enumerate(cells):
            got = kwh["slots"][slot]
            assert (got["slot"], got["label"], got["days"]) == (slot, slot_label(slot), 1)
            assert got["sum"] == pytest.approx(cell_kwh, abs=1e-4), (direction, slot)
            assert got["mean"] == got["sum"]  # one day
            got = money["slots"][slot]
            assert got["sum"] == pytest.approx(fine(cell_money), abs=1.5e-4), (direction, slot)
    # Both 01:00 (BST, then GMT) half-hours are in slot 2: the slot sums exceed a lone one.
    profile = await _result(ws, "profile", start=day, end=day)
    assert profile["slots"][2]["label"] == "01:00"
    first_0100 = fake_api.consumption_kwh(
        DEMO_IMPORT_MPAN, half_hours(OCTOBER_CHANGE)[2]
    )  # 00:00 UTC = 01:00 BST
    second_0100 = fake_api.consumption_kwh(
        DEMO_IMPORT_MPAN, half_hours(OCTOBER_CHANGE)[4]
    )  # 01:00 UTC = 01:00 GMT
    assert profile["slots"][2]["sum"] == pytest.approx(first_0100 + second_0100, abs=1e-4)


async def test_profile_over_periods(fake_api: FakeOctopus, ws: MockHAClientWebSocket) -> None:
    """Sums, means and day counts over a custom period, a named one and the default."""
    first, last = date(2025, 10, 20), date(2025, 11, 19)
    expected = fold(day_cells(fake_api, DEMO_IMPORT_MPAN, d) for d in iter_dates(first, last))
    result = await _result(ws, "profile", start=first.isoformat(), end=last.isoformat())
    assert result["days"] == 31
    for slot, (kwh, _, present) in enumerate(expected):
        got = result["slots"][slot]
        assert got["days"] == present == 31
        assert got["sum"] == pytest.approx(kwh, abs=1e-4)
        assert got["mean"] == pytest.approx(kwh / present, abs=1e-4)

    # A period reaching past the data counts only the days with readings in each slot.
    result = await _result(
        ws, "profile", start="2025-10-15", end="2025-11-25", direction="export", unit="money"
    )
    expected = fold(day_cells(fake_api, DEMO_EXPORT_MPAN, d) for d in iter_dates(first, last))
    assert result["days"] == 42
    for slot, (_, money, present) in enumerate(expected):
        got = result["slots"][slot]
        assert got["days"] == present
        if money:
            assert got["sum"] == pytest.approx(fine(money), abs=1.5e-4)
            assert got["mean"] == pytest.approx(float(money) / present, abs=1.5e-4)

    named = await _result(ws, "profile", period="last_7_days", direction="net")
    assert (named["start"], named["end"], named["days"]) == ("2025-11-13", "2025-11-19", 7)
    days = iter_dates(date(2025, 11, 13), date(2025, 11, 19))
    expected = fold(net_cells(fake_api, d) for d in days)
    for slot, (kwh, _, present) in enumerate(expected):
        assert named["slots"][slot]["sum"] == pytest.approx(kwh, abs=1e-4)
        assert named["slots"][slot]["days"] == present == 7

    default = await _result(ws, "profile")  # last 30 days, import, kWh
    assert (default["start"], default["end"], default["days"]) == ("2025-10-21", "2025-11-19", 30)
    assert (default["direction"], default["unit"]) == ("import", "kwh")


async def test_heatmap(fake_api: FakeOctopus, ws: MockHAClientWebSocket) -> None:
    """Days x 48 cells in kWh and money; the October day folded; trailing empty days cut."""
    first, last = date(2025, 10, 25), date(2025, 10, 27)
    result = await _result(ws, "heatmap", start=first.isoformat(), end=last.isoformat())
    assert [d["date"] for d in result["days"]] == ["2025-10-25", "2025-10-26", "2025-10-27"]
    everything: list[float] = []
    for row, day in zip(result["days"], iter_dates(first, last), strict=True):
        cells = day_cells(fake_api, DEMO_IMPORT_MPAN, day)
        assert len(row["values"]) == 48
        for value, (kwh, _, _) in zip(row["values"], cells, strict=True):
            assert value == pytest.approx(kwh, abs=1e-4)
            everything.append(kwh)
    assert result["min"] == pytest.approx(min(everything), abs=1e-4)
    assert result["max"] == pytest.approx(max(everything), abs=1e-4)
    # Slot 3 (01:30) of the change day holds its two half-hours.
    october = result["days"][1]["values"]
    starts = half_hours(OCTOBER_CHANGE)
    assert october[3] == pytest.approx(
        fake_api.consumption_kwh(DEMO_IMPORT_MPAN, starts[3])
        + fake_api.consumption_kwh(DEMO_IMPORT_MPAN, starts[5]),
        abs=1e-4,
    )

    money = await _result(
        ws, "heatmap", start="2025-10-26", end="2025-10-26", direction="net", unit="money"
    )
    cells = net_cells(fake_api, OCTOBER_CHANGE)
    for value, (_, cell_money, _) in zip(money["days"][0]["values"], cells, strict=True):
        assert value == pytest.approx(fine(cell_money), abs=1.5e-4)
    assert money["min"] == pytest.approx(fine(min(c[1] for c in cells)), abs=1.5e-4)
    assert money["max"] == pytest.approx(fine(max(c[1] for c in cells)), abs=1.5e-4)

    # Readings arrive a day late: the empty days after the data are not returned.
    recent = await _result(ws, "heatmap", period="this_week", direction="export")
    assert (recent["start"], recent["end"]) == ("2025-11-17", "2025-11-20")
    assert [d["date"] for d in recent["days"]] == ["2025-11-17", "2025-11-18", "2025-11-19"]
    # Days before the data inside the period stay, as empty rows.
    early = await _result(ws, "heatmap", start="2025-10-19", end="2025-10-20")
    assert early["days"][0] == {"date": "2025-10-19", "values": [None] * 48}
    assert None not in early["days"][1]["values"]


async def test_bad_input(
    hass: HomeAssistant, config_entry: MockConfigEntry, ws: MockHAClientWebSocket
) -> None:
    """Bad input is answered with an error code and a readable message."""
    error = await _error(ws, "profile", start="2025-11-10", end="2025-11-01")
    assert error["code"] == "invalid_format"
    # English from translations/en.json (HA drops the final full stop of exception texts).
    assert error["message"] == "The end date 2025-11-01 is before the start date 2025-11-10"
    assert error["translation_key"] == "end_before_start"
    assert error["translation_placeholders"] == {"start": "2025-11-10", "end": "2025-11-01"}
    error = await _error(ws, "heatmap", start="2025-11-10")
    assert _brief(error) == ("invalid_format", "Give both a start and an end date, or a period")
    error = await _error(ws, "heatmap", start="2020-01-01", end="2025-11-19")
    assert _brief(error) == ("invalid_format", "A period can span at most 1099 days")
    error = await _error(ws, "profile", entry_id="nope")
    assert _brief(error) == ("not_found", "No Octopus Energy Viz account with id nope")
    # Rejected by the command's schema.
    for fields in (
        {"period": "fortnight"},
        {"direction": "sideways"},
        {"unit": "joules"},
        {"start": "yesterday", "end": "2025-11-01"},
    ):
        error = await _error(ws, "profile", **fields)
        assert error["code"] == "invalid_format", fields

    # An account that exists but is not loaded, and the choice made ambiguous.
    idle = MockConfigEntry(domain=DOMAIN, title="Idle", data=entry_data())
    idle.add_to_hass(hass)
    error = await _error(ws, "profile", entry_id=idle.entry_id)
    assert _brief(error) == (
        "not_found",
        f"The Octopus Energy Viz account {idle.entry_id} is not loaded",
    )
    idle.mock_state(hass, ConfigEntryState.LOADED)
    error = await _error(ws, "heatmap")
    assert error["code"] == "not_found"
    assert error["message"] == "Several Octopus accounts are configured: choose one"
    # Naming the account removes the ambiguity.
    result = await _result(ws, "heatmap", entry_id=config_entry.entry_id, period="yesterday")
    assert result["title"] == config_entry.title
    idle.mock_state(hass, ConfigEntryState.NOT_LOADED)

    # The commands stay registered without any loaded account.
    assert await hass.config_entries.async_unload(config_entry.entry_id)
    error = await _error(ws, "profile")
    assert _brief(error) == ("not_found", "No Octopus Energy Viz account is configured")
    assert await _result(ws, "entries") == {"entries": []}


async def test_import_only_account(
    hass: HomeAssistant,
    fake_api: FakeOctopus,
    freezer: FrozenDateTimeFactory,
    hass_ws_client: WebSocketGenerator,
    hass_admin_user: User,
) -> None:
    """Without an export meter, export is an error and net is the import alone."""
    data = entry_data("2025-11-17")
    data[CONF_METERS] = data[CONF_METERS][:1]
    entry = MockConfigEntry(domain=DOMAIN, title="Import only", unique_id="solo", data=data)
    entry.add_to_hass(hass)
    freezer.move_to(FAKE_NOW)
    assert await hass.config_entries.async_setup(entry.entry_id)
    await settle(hass)
    client = await client_at_frozen_time(hass, hass_admin_user, hass_ws_client)

    error = await _error(client, "profile", period="yesterday", direction="export")
    assert _brief(error) == ("invalid_format", "No followed meter measures export")
    error = await _error(client, "heatmap", period="yesterday", direction="export")
    assert error["code"] == "invalid_format"
    net = await _result(client, "heatmap", period="yesterday", direction="net")
    plain = await _result(client, "heatmap", period="yesterday", direction="import")
    assert net["days"] == plain["days"]
    assert len(net["days"]) == 1


def _brief(error: dict[str, Any]) -> tuple[str, str]:
    """Code and English message of an error (its translation key is checked elsewhere)."""
    return error["code"], error["message"]
