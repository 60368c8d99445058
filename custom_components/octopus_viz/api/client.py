"""Async client for the Octopus Energy REST API (account, consumption, products, rates).

The aiohttp session is injected (Home Assistant's shared one in production), so this module
imports nothing from Home Assistant. Errors are typed and carry a `translation_key` that callers
pass to Home Assistant's translated exceptions.

Why the retry rules look the way they do: Octopus users regularly meet transient 403 HTML pages
from the CDN, 429s, 5xx and timeouts. Only a 401 means the key is wrong; treating a 403 as
"bad credentials" would send users to re-authenticate for nothing, so a 403 is retried and at
worst becomes an OctopusConnectionError.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Mapping
from datetime import UTC, datetime
from functools import partial
import json
import logging
import os
from typing import Any, Final, Literal

import aiohttp
from yarl import URL

from .concurrency import run_together
from .const import DEFAULT_API_URL, ENV_API_URL, VERSION
from .errors import (
    OctopusAuthError,
    OctopusConnectionError,
    OctopusNotFoundError,
    OctopusResponseError,
)
from .models import Account, Fuel, HalfHourReadings, Product, RateRow
from .pages import (
    Page,
    RowHook,
    consumption_columns,
    decode_page,
    parse_rates,
    parse_reading,
    rate_hook,
    reading_hook,
)
from .parsing import (
    BadRowError,
    MalformedResponseError,
    RowReport,
    format_datetime,
    parse_account,
    parse_product,
    results_of,
)
from .products import (
    MeterPointInfo,
    ProductDetails,
    ProductInfo,
    parse_meter_point,
    parse_product_details,
    parse_product_rows,
)

_LOGGER = logging.getLogger(__name__)

CONSUMPTION_PAGE_SIZE: Final = 25_000  # the API maximum: a year of half-hours is one request
RATES_PAGE_SIZE: Final = 1_500
MAX_RETRY_AFTER: Final = 60.0  # never let a server park us for longer than this per attempt
MAX_PAGES: Final = 1_000  # a runaway `next` chain must end
PARALLEL_PAGES: Final = 4  # pages of one listing in flight at once
# Bigger bodies are decoded, and more rows turned into columns, in the executor: a page of
# 25,000 half-hours (3 MB) takes ~30 ms, too long for the event loop.
OFF_LOOP_BYTES: Final = 200_000
OFF_LOOP_ROWS: Final = 2_000

type RateType = Literal["standard", "day", "night"]
type Sleep = Callable[[float], Awaitable[None]]


async def _backoff_sleep(delay: float) -> None:
    """Wait between retries (module-level so tests can patch it instead of waiting)."""
    await asyncio.sleep(delay)


def _keep(row: dict[str, Any]) -> object:
    """Row hook of listings parsed after decoding (products): the dict as it is."""
    return row


class _TransientError(Exception):
    """Internal: this attempt failed in a way worth retrying."""

    def __init__(self, reason: str, retry_after: float | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.retry_after = retry_after


def _retry_after(headers: Mapping[str, str]) -> float | None:
    """Seconds from a Retry-After header (the HTTP-date form is rare here and ignored)."""
    raw = headers.get("Retry-After")
    if raw is None:
        return None
    try:
        seconds = float(raw)
    except ValueError:
        return None
    return min(max(seconds, 0.0), MAX_RETRY_AFTER)


class OctopusClient:
    """One account's view of the API; cheap to create, holds no connection of its own."""

    def __init__(
        self,
        session: aiohttp.ClientSession,
        api_key: str,
        *,
        base_url: str | None = None,
        max_retries: int = 3,
        backoff: float = 1.0,
        timeout: float = 60.0,
        sleep: Sleep | None = None,
    ) -> None:
        """Create a client; base_url None reads OCTOPUS_VIZ_API_URL, else the real API."""
        self._session = session
        self._base = URL(base_url or os.environ.get(ENV_API_URL) or DEFAULT_API_URL)
        self._max_retries = max(0, max_retries)
        self._backoff = max(0.0, backoff)
        self._timeout = aiohttp.ClientTimeout(total=timeout)
        self._sleep = sleep
        self._headers = {
            "User-Agent": f"octopus_viz/{VERSION} aiohttp/{aiohttp.__version__}",
            "Accept": "application/json",
            # Kept only as the ready-made header: the key itself is never formatted anywhere.
            "Authorization": aiohttp.encode_basic_auth(api_key, ""),
        }

    def __repr__(self) -> str:
        """Show where the client points, never the key."""
        return f"OctopusClient(base_url={str(self._base)!r})"

    # -- public API -------------------------------------------------------------------------

    async def async_get_account(self, account_number: str) -> Account:
        """The account with its properties, meter points, meters and agreements."""
        payload = await self._get_json(self._url(f"/v1/accounts/{account_number}/"))
        return self._parse(parse_account, payload)

    async def async_get_consumption(
        self,
        mpan: str,
        serial: str,
        period_from: datetime,
        period_to: datetime | None = None,
        fuel: Fuel = Fuel.ELECTRICITY,
    ) -> HalfHourReadings:
        """Half-hourly readings in [period_from, period_to), oldest first, one per slot.

        One request per 25,000 half-hours (about 17 months); `next` links are followed.
        Rows outside the period (the API sometimes adds one) are dropped. For gas, `mpan` is
        the MPRN and the values are what the meter reports (m³ or kWh), in the `kwh` column.
        """
        params = {
            "period_from": format_datetime(period_from),
            "page_size": str(CONSUMPTION_PAGE_SIZE),
            "order_by": "period",
        }
        if period_to is not None:
            params["period_to"] = format_datetime(period_to)
        url = self._consumption_url(mpan, serial, fuel).with_query(params)
        pages = await self._get_pages(url, reading_hook)
        report = RowReport()
        columns = partial(
            consumption_columns,
            period_from=int(period_from.timestamp()),
            period_to=None if period_to is None else int(period_to.timestamp()),
            report=report,
        )
        big = sum(len(p) for p in pages) >= OFF_LOOP_ROWS
        readings = await self._parse_off_loop(columns, pages, big=big)
        self._log_skipped(report, "consumption", mpan)
        return readings

    async def async_get_latest_reading_start(
        self, mpan: str, serial: str, fuel: Fuel = Fuel.ELECTRICITY
    ) -> datetime | None:
        """Start of the newest reading of a meter, None if it has none (one tiny request).

        Used to tell an active meter from a replaced one listed on the same meter point, and
        a smart gas meter from one that reports nothing.
        """
        url = self._consumption_url(mpan, serial, fuel).with_query(
            {"page_size": "1", "order_by": "-period"}
        )
        payload = await self._get_json(url)
        rows = self._parse(results_of, payload)
        for row in rows:
            try:
                return datetime.fromtimestamp(parse_reading(row)[0], UTC)
            except BadRowError:
                continue
        return None

    async def async_get_product(self, product_code: str) -> Product:
        """A product's names (its tariffs are read through the rate methods)."""
        payload = await self._get_json(self._url(f"/v1/products/{product_code}/"))
        return self._parse(parse_product, payload)

    async def async_list_products(self, available_at: datetime | None = None) -> list[ProductInfo]:
        """The products a household can choose (Octopus brand, not business, not prepay)."""
        query = {"brand": "OCTOPUS_ENERGY", "is_business": "false", "is_prepay": "false"}
        if available_at is not None:
            query["available_at"] = format_datetime(available_at)
        report = RowReport()
        products: list[ProductInfo] = []
        for rows in await self._get_pages(self._url("/v1/products/").with_query(query), _keep):
            products.extend(parse_product_rows(rows, report))
        self._log_skipped(report, "products", "the catalogue")
        return products

    async def async_get_product_details(self, product_code: str) -> ProductDetails:
        """A product with its tariff code in every region and payment method."""
        payload = await self._get_json(self._url(f"/v1/products/{product_code}/"))
        return self._parse(parse_product_details, payload)

    async def async_get_meter_point(self, mpan: str) -> MeterPointInfo:
        """A meter point's region (its grid supply point group)."""
        payload = await self._get_json(self._url(f"/v1/electricity-meter-points/{mpan}/"))
        return self._parse(parse_meter_point, payload)

    async def async_get_unit_rates(
        self,
        product_code: str,
        tariff_code: str,
        rate_type: RateType,
        period_from: datetime,
        period_to: datetime,
    ) -> list[RateRow]:
        """Unit rates (p/kWh) valid in the period, as published (newest first); a G-... code
        reads the product's gas tariffs."""
        return await self._get_rates(
            product_code, tariff_code, f"{rate_type}-unit-rates", period_from, period_to
        )

    async def async_get_standing_charges(
        self, product_code: str, tariff_code: str, period_from: datetime, period_to: datetime
    ) -> list[RateRow]:
        """Standing charges (p/day) valid in the period, as published."""
        return await self._get_rates(
            product_code, tariff_code, "standing-charges", period_from, period_to
        )

    # -- helpers ----------------------------------------------------------------------------

    def _url(self, path: str) -> URL:
        return self._base.join(URL(path))

    def _consumption_url(self, point: str, serial: str, fuel: Fuel) -> URL:
        kind = "gas" if fuel is Fuel.GAS else "electricity"
        return self._url(f"/v1/{kind}-meter-points/{point}/meters/{serial}/consumption/")

    async def _get_rates(
        self,
        product_code: str,
        tariff_code: str,
        endpoint: str,
        period_from: datetime,
        period_to: datetime,
    ) -> list[RateRow]:
        # The tariff code names its fuel (E-1R-... or G-1R-...), and so the rates' path.
        fuel = "gas" if tariff_code.startswith("G-") else "electricity"
        url = self._url(
            f"/v1/products/{product_code}/{fuel}-tariffs/{tariff_code}/{endpoint}/"
        ).with_query(
            {
                "period_from": format_datetime(period_from),
                "period_to": format_datetime(period_to),
                "page_size": str(RATES_PAGE_SIZE),
            }
        )
        report = RowReport()
        rates: list[RateRow] = []
        # Rows arrive parsed (rate_hook): what is left is a loop over ready objects.
        for rows in await self._get_pages(url, rate_hook):
            rates.extend(self._parse(partial(parse_rates, report=report), rows))
        self._log_skipped(report, endpoint, tariff_code)
        return rates

    async def _get_pages(self, url: URL, hook: RowHook) -> list[list[Any]]:
        """Every page's results, rows passed through `hook`; all pages are fetched before
        anything is returned.

        Years of Agile rates are dozens of pages (the API serves 1,500 rates per page). The
        first page's `count` tells how many there are, so the others are asked for together
        (a few at a time) instead of one round trip after another.
        """
        first = await self._get_page(url, hook)
        if first.next is None:
            return [first.results]
        link = self._same_origin(first.next)
        size = len(first.results)
        if first.count is None or not size or link.query.get("page") != "2":
            return [first.results, *await self._follow(link, hook)]
        total = -(-first.count // size)
        if total > MAX_PAGES:
            raise OctopusResponseError("the API's pagination does not end")
        later = await run_together(
            (self._get_page(link.update_query(page=str(n)), hook) for n in range(2, total + 1)),
            PARALLEL_PAGES,
        )
        if not later or any(p.count != first.count for p in later) or later[-1].next is not None:
            # The listing changed while it was read (rows published meanwhile), or its count
            # and links disagree: pages may have shifted, so read it all again the plain way
            # rather than miss a row.
            return await self._follow(url, hook)
        return [first.results, *(p.results for p in later)]

    async def _follow(self, url: URL, hook: RowHook) -> list[list[Any]]:
        """Pages from `url` on, one `next` link after another."""
        pages: list[list[Any]] = []
        seen: set[URL] = set()
        next_url: URL | None = url
        while next_url is not None:
            if next_url in seen or len(pages) >= MAX_PAGES:
                raise OctopusResponseError("the API's pagination does not end")
            seen.add(next_url)
            page = await self._get_page(next_url, hook)
            pages.append(page.results)
            next_url = self._same_origin(page.next) if page.next else None
        return pages

    async def _get_page(self, url: URL, hook: RowHook) -> Page:
        body = await self._request(url)
        decode = partial(decode_page, hook=hook)
        return await self._parse_off_loop(decode, body, big=len(body) >= OFF_LOOP_BYTES)

    def _same_origin(self, link: str) -> URL:
        """Follow `next` on our own base URL so credentials never go to another host."""
        target = URL(link)
        return self._base.with_path(target.path).with_query(target.query)

    @staticmethod
    def _parse[T](parser: Callable[[Any], T], payload: object) -> T:
        try:
            return parser(payload)
        except MalformedResponseError as err:
            raise OctopusResponseError(f"Unexpected response from the Octopus API: {err}") from err

    async def _parse_off_loop[T](self, parser: Callable[[Any], T], data: Any, *, big: bool) -> T:
        """Parse `data` in the event loop when small, in the executor when big, so the loop
        never stalls on it."""
        if not big:
            return self._parse(parser, data)
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(None, self._parse, parser, data)

    @staticmethod
    def _log_skipped(report: RowReport, what: str, subject: str) -> None:
        if report.skipped:
            _LOGGER.warning("Octopus %s for %s: %s", what, subject, report.summary())

    async def _get_json(self, url: URL) -> Any:
        """GET a small document (account, product) and decode it."""
        body = await self._request(url)
        try:
            return json.loads(body)
        except ValueError:
            raise OctopusResponseError(
                "The Octopus API returned a response that is not JSON"
            ) from None

    async def _request(self, url: URL) -> bytes:
        """GET with retries on transient failures; returns the body."""
        attempt = 0
        while True:
            try:
                return await self._attempt(url)
            except _TransientError as err:
                if attempt >= self._max_retries:
                    raise OctopusConnectionError(
                        f"Octopus API unavailable after {attempt + 1} attempts: {err.reason}"
                    ) from None
                delay = self._backoff * 2**attempt
                if err.retry_after is not None:
                    delay = max(delay, err.retry_after)
                attempt += 1
                _LOGGER.debug(
                    "Octopus API %s (%s); retry %d/%d in %.1f s",
                    url.path,
                    err.reason,
                    attempt,
                    self._max_retries,
                    delay,
                )
                await (self._sleep or _backoff_sleep)(delay)

    async def _attempt(self, url: URL) -> bytes:
        """One request; maps statuses to errors, raising _TransientError for retryable ones."""
        try:
            async with self._session.get(
                url, headers=self._headers, timeout=self._timeout
            ) as response:
                status = response.status
                if status == 401:
                    raise OctopusAuthError("The Octopus API rejected the API key (HTTP 401)")
                if status == 404:
                    raise OctopusNotFoundError(f"Not found on the Octopus API: {url.path}")
                if status in (403, 429) or status >= 500:
                    raise _TransientError(f"HTTP {status}", _retry_after(response.headers))
                if status != 200:
                    raise OctopusResponseError(f"Unexpected HTTP {status} from the Octopus API")
                return await response.read()
        except TimeoutError:
            raise _TransientError("timeout") from None
        except aiohttp.ClientError as err:
            # The class name is enough; aiohttp messages can be long but hold no secret.
            raise _TransientError(type(err).__name__) from None
