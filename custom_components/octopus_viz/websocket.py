"""Websocket commands feeding the card: profile, heatmap, daily totals, import with export.

Answers come from the in-memory snapshot (no I/O); a year answers in a few milliseconds.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from homeassistant.components import websocket_api
from homeassistant.components.websocket_api.connection import ActiveConnection
from homeassistant.components.websocket_api.decorators import async_response, websocket_command
from homeassistant.core import HomeAssistant, callback
from homeassistant.helpers import config_validation as cv
from homeassistant.helpers.translation import async_get_exception_message
from homeassistant.util import dt as dt_util
import probatio
from probatio.markers import Marker

from .api.local_time import local_today
from .api.models import MeterConfig
from .comparison import Request, async_compare, products_of
from .const import DOMAIN
from .helpers import resolve_entry
from .history.card_queries import anchored_today, combined, daily
from .history.periods import PeriodKind
from .history.queries import (
    Flow,
    QueryError,
    Unit,
    heatmap,
    profile,
    resolve_period,
)

_QUERY: dict[str | Marker, Any] = {
    probatio.Optional("entry_id"): str,
    probatio.Optional("period"): probatio.In([kind.value for kind in PeriodKind]),
    probatio.Optional("start"): cv.date,
    probatio.Optional("end"): cv.date,
    probatio.Optional("direction", default="import"): probatio.In(
        ["import", "export", "net", "gas"]
    ),
    probatio.Optional("unit", default="kwh"): probatio.In(["kwh", "money", "m3"]),
    # "latest": named periods end at the newest reading (the card's default), not today.
    probatio.Optional("anchor", default="today"): probatio.In(["today", "latest"]),
}

type Builder = Callable[..., dict[str, Any]]


def _answer(
    hass: HomeAssistant,
    connection: ActiveConnection,
    msg: dict[str, Any],
    build: Builder,
) -> None:
    try:
        entry = resolve_entry(hass, msg.get("entry_id"))
        today = local_today(dt_util.utcnow())
        if msg["anchor"] == "latest":
            today = anchored_today(entry.runtime_data.data, today, msg.get("period"))
        start, end = resolve_period(
            today,
            msg.get("period"),
            msg.get("start"),  # cv.date has already made dates of them
            msg.get("end"),
        )
        flow: Flow = msg["direction"]
        unit: Unit = msg["unit"]
        result = build(entry.runtime_data.data, start, end, flow, unit)
    except QueryError as err:
        _send_error(connection, msg, err)
        return
    result["entry_id"] = entry.entry_id
    result["title"] = entry.title
    connection.send_result(msg["id"], result)


def _send_error(connection: ActiveConnection, msg: dict[str, Any], err: QueryError) -> None:
    code = "not_found" if err.translation_key in _NOT_FOUND else "invalid_format"
    placeholders = err.placeholders
    connection.send_error(
        msg["id"],
        code,
        # English, from translations/en.json; the frontend may translate from the key.
        async_get_exception_message(DOMAIN, err.translation_key, placeholders),
        translation_key=err.translation_key,
        translation_domain=DOMAIN,
        translation_placeholders=placeholders,
    )


# The account asked for (or any account) is missing; every other error is bad input.
_NOT_FOUND = frozenset({"entry_not_found", "entry_not_loaded", "entry_required", "no_entry"})


@websocket_command({probatio.Required("type"): f"{DOMAIN}/profile", **_QUERY})
@callback
def ws_profile(hass: HomeAssistant, connection: ActiveConnection, msg: dict[str, Any]) -> None:
    """The 48 half-hour slots of a period."""
    _answer(hass, connection, msg, profile)


@websocket_command({probatio.Required("type"): f"{DOMAIN}/heatmap", **_QUERY})
@callback
def ws_heatmap(hass: HomeAssistant, connection: ActiveConnection, msg: dict[str, Any]) -> None:
    """Days x 48 half-hours of a period."""
    _answer(hass, connection, msg, heatmap)


@websocket_command(
    {
        probatio.Required("type"): f"{DOMAIN}/compare",
        probatio.Optional("entry_id"): str,
        probatio.Optional("period"): probatio.In([kind.value for kind in PeriodKind]),
        probatio.Optional("start"): cv.date,
        probatio.Optional("end"): cv.date,
        probatio.Optional("products"): [str],
    }
)
@async_response
async def ws_compare(
    hass: HomeAssistant, connection: ActiveConnection, msg: dict[str, Any]
) -> None:
    """Every candidate tariff over a period (computed in the executor; no request)."""
    try:
        entry = resolve_entry(hass, msg.get("entry_id"))
        start, end = resolve_period(
            local_today(dt_util.utcnow()), msg.get("period"), msg.get("start"), msg.get("end")
        )
        products = products_of(msg.get("products"))
        # Unknown products come back as unavailable candidates, not as an error.
        request = Request(start=start, end=end, products=products, strict=False)
        result = await async_compare(hass, entry, request)
    except QueryError as err:
        _send_error(connection, msg, err)
        return
    connection.send_result(msg["id"], result)


@websocket_command({probatio.Required("type"): f"{DOMAIN}/daily", **_QUERY})
@callback
def ws_daily(hass: HomeAssistant, connection: ActiveConnection, msg: dict[str, Any]) -> None:
    """One total per day of a period."""
    _answer(hass, connection, msg, daily)


@websocket_command({probatio.Required("type"): f"{DOMAIN}/combined", **_QUERY})
@callback
def ws_combined(hass: HomeAssistant, connection: ActiveConnection, msg: dict[str, Any]) -> None:
    """Import, export and net of the 48 slots of a period (the direction is ignored)."""
    _answer(
        hass,
        connection,
        msg,
        lambda data, start, end, _flow, unit: combined(data, start, end, unit),
    )


@websocket_command({probatio.Required("type"): f"{DOMAIN}/entries"})
@callback
def ws_entries(hass: HomeAssistant, connection: ActiveConnection, msg: dict[str, Any]) -> None:
    """The loaded accounts and their meters (for the card editor)."""
    entries = [
        {
            "entry_id": entry.entry_id,
            "title": entry.title,
            "meters": [_meter_entry(m) for m in entry.runtime_data.meters],
        }
        for entry in hass.config_entries.async_loaded_entries(DOMAIN)
    ]
    connection.send_result(msg["id"], {"entries": entries})


def _meter_entry(meter: MeterConfig) -> dict[str, str]:
    """A meter for the card: a gas meter's "direction" is "gas", with what it reports."""
    if not meter.is_gas:
        return {"mpan": meter.mpan, "direction": meter.direction.value, "fuel": meter.fuel.value}
    return {"mpan": meter.mpan, "direction": "gas", "fuel": "gas", "unit": meter.unit.value}


def async_setup_websocket(hass: HomeAssistant) -> None:
    """Register the commands (once, in async_setup)."""
    websocket_api.async_register_command(hass, ws_profile)
    websocket_api.async_register_command(hass, ws_heatmap)
    websocket_api.async_register_command(hass, ws_daily)
    websocket_api.async_register_command(hass, ws_combined)
    websocket_api.async_register_command(hass, ws_entries)
    websocket_api.async_register_command(hass, ws_compare)
