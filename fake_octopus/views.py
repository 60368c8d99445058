"""Request handlers of the fake API, plus the pagination and JSON helpers they share.

Handlers read the FakeOctopus that owns the app from `request.app[FAKE_KEY]` and answer through
`json_response`, which also applies the body-level faults (malformed JSON, missing fields).
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING, Any, Final

from aiohttp import BasicAuth, web
import orjson

from .catalogue import RateType, parse_tariff, rate_series
from .clock import (
    HALF_HOUR,
    LONDON,
    ceil_index,
    format_local,
    format_utc,
    local_midnight,
    parse_api_datetime,
    to_index,
)
from .demo import DEMO_ACCOUNT_NUMBER, DEMO_EXPORT_MPAN, account_payload
from .faults import MALFORMED_BODY
from .products import listed_products, product_facts, product_payload

if TYPE_CHECKING:
    from .server import FakeOctopus

FAKE_KEY: Final = web.AppKey["FakeOctopus"]("fake_octopus")
# Set on a request by the middleware when a body-level fault applies to it.
BODY_FAULT_KEY: Final = "fake_octopus_body_fault"

CONSUMPTION_PAGE_MAX = 25_000
RATES_PAGE_MAX = 1_500
DEFAULT_PAGE_SIZE = 100
_NOT_FOUND: Final = {"detail": "Not found."}
_BASIC_CHALLENGE: Final = {"WWW-Authenticate": 'Basic realm="api"'}


def json_response(
    request: web.Request,
    payload: dict[str, Any],
    status: int = 200,
    headers: dict[str, str] | None = None,
) -> web.Response:
    """Serialise a payload (fast: orjson), applying a pending body-level fault."""
    fault = request.get(BODY_FAULT_KEY)
    if fault == "malformed_json":
        return web.Response(status=200, text=MALFORMED_BODY, content_type="application/json")
    if fault == "missing_fields":
        payload = _strip_fields(payload)
    return web.Response(
        status=status,
        body=orjson.dumps(payload),
        content_type="application/json",
        headers=headers,
    )


def _strip_fields(payload: dict[str, Any]) -> dict[str, Any]:
    """Rows lose the fields a client needs most (a schema change or a broken proxy would do it)."""
    stripped = dict(payload)
    if isinstance(stripped.get("results"), list):
        stripped["results"] = [
            {k: v for k, v in row.items() if k not in {"interval_start", "valid_from"}}
            for row in stripped["results"]
        ]
    for key in ("properties", "single_register_electricity_tariffs"):
        stripped.pop(key, None)
    return stripped


def fake_of(request: web.Request) -> FakeOctopus:
    """The FakeOctopus serving this request."""
    return request.app[FAKE_KEY]


def check_auth(request: web.Request, *, required: bool) -> web.Response | None:
    """A 401 response if the credentials are missing (when required) or wrong, else None.

    Like the real (Django REST framework) API, a wrong key fails even on public endpoints.
    """
    header = request.headers.get("Authorization")
    if header is None:
        if not required:
            return None
        detail = {"detail": "Authentication credentials were not provided."}
        return json_response(request, detail, 401, _BASIC_CHALLENGE)
    try:
        auth = BasicAuth.decode(header)
    except ValueError:
        auth = None
    if auth is None or auth.login != fake_of(request).api_key:
        return json_response(request, {"detail": "Invalid API key."}, 401, _BASIC_CHALLENGE)
    return None


class BadRequestError(Exception):
    """A query parameter the real API would reject with 400 (payload is the JSON body)."""

    def __init__(self, payload: dict[str, Any]) -> None:
        """Keep the body to send."""
        super().__init__(str(payload))
        self.payload = payload


def _period_param(request: web.Request, name: str) -> datetime | None:
    text = request.query.get(name)
    if text is None or text == "":
        return None
    try:
        return parse_api_datetime(text)
    except ValueError:
        raise BadRequestError({name: ["Enter a valid date/time."]}) from None


@dataclass(frozen=True, slots=True)
class Page:
    """The slice of positions one page covers, and the links around it."""

    first: int  # position (in the requested order) of the first row on the page
    size: int
    next_url: str | None
    previous_url: str | None


def paginate(request: web.Request, total: int, max_size: int) -> Page | web.Response:
    """Page-number pagination as Django REST framework does it (404 on a page out of range)."""
    try:
        size = int(request.query.get("page_size", DEFAULT_PAGE_SIZE))
    except ValueError:
        size = DEFAULT_PAGE_SIZE
    size = DEFAULT_PAGE_SIZE if size <= 0 else min(size, max_size)
    pages = max(1, -(-total // size))
    try:
        number = int(request.query.get("page", "1"))
    except ValueError:
        number = 0
    if not 1 <= number <= pages:
        return json_response(request, {"detail": "Invalid page."}, 404)
    # Links use the host the client asked for, carrying its query string.
    next_url = str(request.url.update_query(page=str(number + 1))) if number < pages else None
    previous_url = None
    if number == 2:  # DRF drops `page` from the link back to page 1
        previous_url = str(request.url.without_query_params("page"))
    elif number > 2:
        previous_url = str(request.url.update_query(page=str(number - 1)))
    return Page((number - 1) * size, size, next_url, previous_url)


def _listing(page: Page, total: int, results: list[dict[str, Any]]) -> dict[str, Any]:
    return {
        "count": total,
        "next": page.next_url,
        "previous": page.previous_url,
        "results": results,
    }


async def account_view(request: web.Request) -> web.Response:
    """GET /v1/accounts/{number}/."""
    if (denied := check_auth(request, required=True)) is not None:
        return denied
    if request.match_info["number"] != DEMO_ACCOUNT_NUMBER:
        return json_response(request, dict(_NOT_FOUND), 404)
    return json_response(request, account_payload(fake_of(request).gas_points.values()))


def availability_edge(now: datetime) -> int:
    """Index of the first half hour without data: readings end at a local midnight a day late.

    Before 10:00 local the previous day is not in yet, so data ends at the start of yesterday.
    """
    local = now.astimezone(LONDON)
    day = local.date() - timedelta(days=1 if local.hour < 10 else 0)
    return to_index(local_midnight(day))


async def consumption_view(request: web.Request) -> web.Response:
    """GET /v1/electricity-meter-points/{mpan}/meters/{serial}/consumption/."""
    return await _consumption(request, "electricity")


async def gas_consumption_view(request: web.Request) -> web.Response:
    """GET /v1/gas-meter-points/{mprn}/meters/{serial}/consumption/ (m³ or kWh, same shape)."""
    return await _consumption(request, "gas")


async def _consumption(request: web.Request, fuel: str) -> web.Response:
    if (denied := check_auth(request, required=True)) is not None:
        return denied
    fake = fake_of(request)
    mpan, serial = request.match_info["point"], request.match_info["serial"]
    has_data = fake.meter_has_data(fuel, mpan, serial)
    if has_data is None:
        return json_response(request, dict(_NOT_FOUND), 404)
    if "group_by" in request.query:
        detail = {"detail": "group_by is not supported by this fake; request half hours."}
        return json_response(request, detail, 400)
    order = request.query.get("order_by", "-period")
    if order not in {"period", "-period"}:
        choice = f"Select a valid choice. {order} is not one of the available choices."
        return json_response(request, {"order_by": [choice]}, 400)
    try:
        period_from = _period_param(request, "period_from")
        period_to = _period_param(request, "period_to")
    except BadRequestError as err:
        return json_response(request, err.payload, 400)

    indices = fake.served_indices(mpan) if has_data else range(0)
    if indices:
        low, high = indices[0], indices[-1] + 1
        if period_to is not None:
            high = min(high, ceil_index(period_to))
        if period_from is not None:
            asked = ceil_index(period_from)
            # Quirk of the real endpoint: one extra half hour just before period_from.
            low = max(low, asked - 1) if asked < high else high
        indices = indices[bisect_left(indices, low) : bisect_left(indices, high)]
    total = len(indices)
    page = paginate(request, total, fake.consumption_page_max)
    if isinstance(page, web.Response):
        return page
    count = min(page.size, total - page.first)
    if order == "period":
        chosen = indices[page.first : page.first + count]
    else:
        chosen = indices[::-1][page.first : page.first + count]
    # The plain model when nothing is revised on a schedule: 25,000 rows a page, no detour.
    value = fake.model.value if fake.revisions is None else fake.reading_value
    stamp = format_local
    results = [
        {
            "consumption": value(mpan, index),
            "interval_start": stamp(index * HALF_HOUR),
            "interval_end": stamp((index + 1) * HALF_HOUR),
        }
        for index in chosen
    ]
    return json_response(request, _listing(page, total, results))


async def products_view(request: web.Request) -> web.Response:
    """GET /v1/products/ (public): products on sale at `available_at` (default now)."""
    if (denied := check_auth(request, required=False)) is not None:
        return denied
    fake = fake_of(request)
    try:
        at = _period_param(request, "available_at") or fake.now
    except BadRequestError as err:
        return json_response(request, err.payload, 400)
    specs = listed_products(dict(request.query), at, frozenset(fake.hidden_products))
    page = paginate(request, len(specs), RATES_PAGE_MAX)
    if isinstance(page, web.Response):
        return page
    base = str(request.url.origin())
    results = [product_facts(spec, base) for spec in specs[page.first : page.first + page.size]]
    return json_response(request, _listing(page, len(specs), results))


async def meter_point_view(request: web.Request) -> web.Response:
    """GET /v1/electricity-meter-points/{mpan}/: the meter's grid supply point (region)."""
    if (denied := check_auth(request, required=False)) is not None:
        return denied
    mpan = request.match_info["mpan"]
    gsp = fake_of(request).gsp.get(mpan)
    if gsp is None:
        return json_response(request, dict(_NOT_FOUND), 404)
    profile = 8 if mpan == DEMO_EXPORT_MPAN else 1
    return json_response(request, {"gsp": gsp, "mpan": mpan, "profile_class": profile})


async def product_view(request: web.Request) -> web.Response:
    """GET /v1/products/{product}/ (public)."""
    if (denied := check_auth(request, required=False)) is not None:
        return denied
    base = str(request.url.origin())
    payload = product_payload(request.match_info["product"], base, fake_of(request).now)
    if payload is None:
        return json_response(request, dict(_NOT_FOUND), 404)
    return json_response(request, payload)


def _number(value: Decimal) -> float:
    # JSON numbers as the real API sends them; repr of the float round-trips the Decimal text.
    return float(value)


async def rates_view(request: web.Request) -> web.Response:
    """GET /v1/products/{product}/electricity-tariffs/{tariff}/{rate type}/ (public)."""
    return await _rates(request, gas=False)


async def gas_rates_view(request: web.Request) -> web.Response:
    """GET /v1/products/{product}/gas-tariffs/{tariff}/{rate type}/ (public)."""
    return await _rates(request, gas=True)


async def _rates(request: web.Request, *, gas: bool) -> web.Response:
    if (denied := check_auth(request, required=False)) is not None:
        return denied
    tariff = parse_tariff(request.match_info["product"], request.match_info["tariff"])
    if tariff is not None and tariff.gas != gas:
        tariff = None  # a gas tariff under electricity-tariffs/ (or the reverse) is unknown
    try:
        rate_type = RateType(request.match_info["rate_type"])
    except ValueError:
        rate_type = None
    series = None
    if tariff is not None and rate_type is not None:
        series = rate_series(tariff, rate_type, fake_of(request).now)
    if series is None:
        return json_response(request, dict(_NOT_FOUND), 404)
    try:
        span = series.span(
            _period_param(request, "period_from"), _period_param(request, "period_to")
        )
    except BadRequestError as err:
        return json_response(request, err.payload, 400)
    total = len(span)
    page = paginate(request, total, RATES_PAGE_MAX)
    if isinstance(page, web.Response):
        return page
    newest = span.stop - 1 - page.first  # newest first, always
    count = min(page.size, total - page.first)
    results = []
    for position in range(newest, newest - count, -1):
        entry = series.entry(position)
        results.append(
            {
                "value_exc_vat": _number(entry.value_exc_vat),
                "value_inc_vat": _number(entry.value_inc_vat),
                "valid_from": format_utc(entry.valid_from),
                "valid_to": format_utc(entry.valid_to),
                "payment_method": entry.payment_method,
            }
        )
    return json_response(request, _listing(page, total, results))


ROUTES: Final[tuple[tuple[str, Callable[[web.Request], Awaitable[web.Response]]], ...]] = (
    ("/v1/accounts/{number}/", account_view),
    ("/v1/electricity-meter-points/{point}/meters/{serial}/consumption/", consumption_view),
    ("/v1/gas-meter-points/{point}/meters/{serial}/consumption/", gas_consumption_view),
    ("/v1/electricity-meter-points/{mpan}/", meter_point_view),
    ("/v1/products/", products_view),
    ("/v1/products/{product}/", product_view),
    ("/v1/products/{product}/electricity-tariffs/{tariff}/{rate_type}/", rates_view),
    ("/v1/products/{product}/gas-tariffs/{tariff}/{rate_type}/", gas_rates_view),
)
