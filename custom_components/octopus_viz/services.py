"""Services that answer with data: summaries, half-hour profiles, and a re-fetch."""

from __future__ import annotations

from datetime import date

from homeassistant.core import HomeAssistant, ServiceCall, ServiceResponse, SupportsResponse
from homeassistant.exceptions import ServiceValidationError
from homeassistant.helpers import config_validation as cv
from homeassistant.util import dt as dt_util
import probatio

from .api.local_time import local_midnight, local_today
from .comparison import Request, async_compare, products_of
from .const import DOMAIN
from .coordinator import OctopusVizConfigEntry
from .helpers import resolve_entry
from .history.periods import PeriodKind
from .history.queries import QueryError, resolve_period, slot_profile, summary

ATTR_ENTRY = "config_entry_id"
ATTR_START = "start"
ATTR_END = "end"
ATTR_PERIOD = "period"
ATTR_METERS = "meters"
ATTR_FROM = "from"

SERVICE_GET_SUMMARY = "get_summary"
SERVICE_GET_PROFILE = "get_half_hour_profile"
SERVICE_REFRESH = "refresh"
SERVICE_COMPARE = "compare_tariffs"
ATTR_PRODUCTS = "products"

_PERIOD_SCHEMA = {
    probatio.Optional(ATTR_ENTRY): cv.string,
    probatio.Optional(ATTR_START): cv.date,
    probatio.Optional(ATTR_END): cv.date,
    probatio.Optional(ATTR_PERIOD): probatio.In([kind.value for kind in PeriodKind]),
}
SUMMARY_SCHEMA = probatio.Schema(
    {**_PERIOD_SCHEMA, probatio.Optional(ATTR_METERS): probatio.All(cv.ensure_list, [cv.string])}
)
PROFILE_SCHEMA = probatio.Schema(_PERIOD_SCHEMA)
COMPARE_SCHEMA = probatio.Schema(
    {**_PERIOD_SCHEMA, probatio.Optional(ATTR_PRODUCTS): probatio.All(cv.ensure_list, [cv.string])}
)
REFRESH_SCHEMA = probatio.Schema(
    {probatio.Optional(ATTR_ENTRY): cv.string, probatio.Required(ATTR_FROM): cv.date}
)


def _validation_error(err: QueryError) -> ServiceValidationError:
    return ServiceValidationError(
        translation_domain=DOMAIN,
        translation_key=err.translation_key,
        translation_placeholders=err.placeholders,
    )


def _entry_and_period(call: ServiceCall) -> tuple[OctopusVizConfigEntry, date, date]:
    entry = resolve_entry(call.hass, call.data.get(ATTR_ENTRY))
    start, end = resolve_period(
        local_today(dt_util.utcnow()),
        call.data.get(ATTR_PERIOD),
        call.data.get(ATTR_START),
        call.data.get(ATTR_END),
    )
    return entry, start, end


async def _async_get_summary(call: ServiceCall) -> ServiceResponse:
    try:
        entry, start, end = _entry_and_period(call)
        return summary(entry.runtime_data.data, start, end, call.data.get(ATTR_METERS))
    except QueryError as err:
        raise _validation_error(err) from err


async def _async_get_profile(call: ServiceCall) -> ServiceResponse:
    try:
        entry, start, end = _entry_and_period(call)
        return slot_profile(entry.runtime_data.data, start, end)
    except QueryError as err:
        raise _validation_error(err) from err


async def _async_compare(call: ServiceCall) -> ServiceResponse:
    """What the cached history would have cost on other tariffs, sorted by net."""
    try:
        entry, start, end = _entry_and_period(call)
        products = products_of(call.data.get(ATTR_PRODUCTS))
        return await async_compare(
            call.hass, entry, Request(start=start, end=end, products=products)
        )
    except QueryError as err:
        raise _validation_error(err) from err


async def _async_refresh(call: ServiceCall) -> ServiceResponse:
    try:
        entry = resolve_entry(call.hass, call.data.get(ATTR_ENTRY))
    except QueryError as err:
        raise _validation_error(err) from err
    first: date = call.data[ATTR_FROM]
    if first > local_today(dt_util.utcnow()):
        raise ServiceValidationError(
            translation_domain=DOMAIN,
            translation_key="from_in_future",
            translation_placeholders={"from": first.isoformat()},
        )
    coordinator = entry.runtime_data
    await coordinator.async_refresh_from(local_midnight(first))
    return {"from": first.isoformat(), "rows_written": coordinator.last_update_summary}


def async_setup_services(hass: HomeAssistant) -> None:
    """Register the services (once, in async_setup)."""
    hass.services.async_register(
        DOMAIN, SERVICE_GET_SUMMARY, _async_get_summary, SUMMARY_SCHEMA, SupportsResponse.ONLY
    )
    hass.services.async_register(
        DOMAIN, SERVICE_GET_PROFILE, _async_get_profile, PROFILE_SCHEMA, SupportsResponse.ONLY
    )
    hass.services.async_register(
        DOMAIN, SERVICE_COMPARE, _async_compare, COMPARE_SCHEMA, SupportsResponse.ONLY
    )
    hass.services.async_register(
        DOMAIN, SERVICE_REFRESH, _async_refresh, REFRESH_SCHEMA, SupportsResponse.OPTIONAL
    )
