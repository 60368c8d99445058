"""FakeOctopus: the aiohttp application, its lifecycle and the test-facing controls."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Sequence
import contextlib
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal
from types import TracebackType
from typing import Self

from aiohttp import web

from .catalogue import RateType, rate_in_force, rate_series, tariff_from_code
from .chaos import RandomFaults
from .clock import from_index
from .consumption import ConsumptionModel, index_of_start
from .demo import DEFAULT_HISTORY_START, DEMO_API_KEY, DEMO_GSP, METER_HAS_DATA
from .faults import HANDLER_FAULTS, HANG_SECONDS, FaultQueue, fault_response
from .gas import GasMeterPoint, GasUnit, demo_gas_points
from .publication import LatePublication, RevisionPlan
from .views import (
    BODY_FAULT_KEY,
    CONSUMPTION_PAGE_MAX,
    FAKE_KEY,
    ROUTES,
    availability_edge,
    json_response,
)

type _Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]
type RequestListener = Callable[["RecordedRequest"], None]


@dataclass(frozen=True, slots=True)
class RecordedRequest:
    """A request the fake received (recorded before any fault is applied)."""

    method: str
    path: str
    query: dict[str, str]


def _require_aware(value: datetime, name: str) -> datetime:
    if value.tzinfo is None or value.utcoffset() is None:
        msg = f"{name} must be a timezone-aware datetime"
        raise ValueError(msg)
    return value.astimezone(UTC)


@web.middleware
async def _record_and_inject(request: web.Request, handler: _Handler) -> web.StreamResponse:
    """Record every request, then apply the first matching pending fault."""
    fake = request.app[FAKE_KEY]
    recorded = RecordedRequest(request.method, request.path, dict(request.query))
    fake.requests.append(recorded)
    for listener in list(fake.listeners):
        listener(recorded)
    if (body := fake.take_body(request.path)) is not None:
        return web.Response(status=200, body=body, content_type="application/json")
    kind, delay = fake.fault_for(recorded)
    if kind == "slow":
        await asyncio.sleep(delay)
    elif kind == "hang":
        await fake.hang()
    elif kind in HANDLER_FAULTS:
        request[BODY_FAULT_KEY] = kind
    elif kind is not None:
        return fault_response(kind)
    try:
        return await handler(request)
    except web.HTTPNotFound:
        # Unknown paths answer like the API does, in JSON (aiohttp's default is plain text).
        return json_response(request, {"detail": "Not found."}, 404)
    except web.HTTPMethodNotAllowed:
        return json_response(request, {"detail": f'Method "{request.method}" not allowed.'}, 405)


class FakeOctopus:
    """A fake Octopus Energy REST API serving the deterministic demo account.

    `now` drives what is available (readings a day late, Agile prices a day ahead); when never
    set it follows the wall clock, so a standalone server keeps producing new data.
    """

    def __init__(
        self,
        now: datetime | None = None,
        history_start: datetime | None = None,
        *,
        consumption_page_max: int = CONSUMPTION_PAGE_MAX,
    ) -> None:
        """Prepare the app (cheap: data is generated lazily on request).

        `consumption_page_max` caps consumption pages below the API's 25,000 rows, so that
        short histories come in several pages (and `next` links can fail).
        """
        self._now: datetime | None = None if now is None else _require_aware(now, "now")
        start = DEFAULT_HISTORY_START if history_start is None else history_start
        self.model = ConsumptionModel(_require_aware(start, "history_start"))
        if not 1 <= consumption_page_max <= CONSUMPTION_PAGE_MAX:
            msg = f"consumption_page_max must be between 1 and {CONSUMPTION_PAGE_MAX}"
            raise ValueError(msg)
        self.consumption_page_max = consumption_page_max
        self.api_key = DEMO_API_KEY
        self.gas_points: dict[str, GasMeterPoint] = {}
        for point in demo_gas_points().values():
            for serial, unit in point.serials.items():
                self.add_gas_meter(point.mprn, serial, unit)
        self.faults = FaultQueue()
        # Seeded plans a soak test switches on (None: the fake's plain, punctual behaviour).
        self.chaos: RandomFaults | None = None
        self.publication: LatePublication | None = None
        self.revisions: RevisionPlan | None = None
        self.requests: list[RecordedRequest] = []
        self.listeners: list[RequestListener] = []
        self._bodies: list[tuple[str | None, bytes]] = []
        self._release = asyncio.Event()
        # Grid supply point of each meter point (tests move a meter to another region).
        self.gsp: dict[str, str] = dict(DEMO_GSP)
        # Products left out of GET /v1/products/ (their own page and rates still answer).
        self.hidden_products: set[str] = set()
        self.app = web.Application(middlewares=[_record_and_inject])
        self.app[FAKE_KEY] = self
        for path, view in ROUTES:
            self.app.router.add_get(path, view, allow_head=False)
        self._runner: web.AppRunner | None = None
        self._url: str | None = None

    # -- time -------------------------------------------------------------------------------

    @property
    def now(self) -> datetime:
        """The instant the fake believes it is (UTC)."""
        return datetime.now(UTC) if self._now is None else self._now

    @now.setter
    def now(self, value: datetime) -> None:
        self._now = _require_aware(value, "now")

    # -- lifecycle --------------------------------------------------------------------------

    async def start(self, host: str = "127.0.0.1", port: int = 0) -> None:
        """Serve on host:port (port 0 picks a free one; see `url`)."""
        if self._runner is not None:
            msg = "FakeOctopus is already running"
            raise RuntimeError(msg)
        self._release = asyncio.Event()
        runner = web.AppRunner(self.app, access_log=None)
        await runner.setup()
        site = web.TCPSite(runner, host, port)
        try:
            await site.start()
        except OSError:
            await runner.cleanup()
            raise
        self._runner = runner
        bound_host, bound_port = runner.addresses[0][:2]
        self._url = f"http://{bound_host}:{bound_port}"

    async def stop(self) -> None:
        """Stop serving (safe to call twice); hanging requests are let go first."""
        self._release.set()
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    async def __aenter__(self) -> Self:
        """Start on a free loopback port."""
        await self.start()
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        """Stop serving."""
        await self.stop()

    @property
    def url(self) -> str:
        """Base URL without a trailing slash, e.g. http://127.0.0.1:8099."""
        if self._url is None:
            msg = "FakeOctopus has not been started"
            raise RuntimeError(msg)
        return self._url

    # -- data -------------------------------------------------------------------------------

    def add_gas_meter(self, mprn: str, serial: str, unit: GasUnit | None = "kwh") -> None:
        """List a gas meter on the current property: a SMETS1 meter reports kWh (the default
        here), a SMETS2 one m³; `unit` None makes a meter with no readings (empty list)."""
        point = self.gas_points.setdefault(mprn, GasMeterPoint(mprn))
        point.serials[serial] = unit
        if unit is not None:
            self.model.add_gas(mprn, unit)

    def meter_has_data(self, fuel: str, point: str, serial: str) -> bool | None:
        """Whether a meter has readings (False: listed, empty); None for an unknown meter."""
        if fuel == "electricity":
            return METER_HAS_DATA.get((point, serial))
        gas = self.gas_points.get(point)
        if gas is None or serial not in gas.serials:
            return None
        return gas.serials[serial] is not None

    def consumption_kwh(self, mpan: str, start: datetime) -> float:
        """The kWh (gas: in the meter's unit) served now for the half hour starting at `start`
        (after revisions); `mpan` may be a gas MPRN."""
        return self.reading_value(mpan, index_of_start(mpan, start, self.model))

    def reading_value(self, mpan: str, index: int) -> float:
        """The kWh served now for a half hour by index (revisions made by now applied)."""
        if self.revisions is None:
            return self.model.value(mpan, index)
        return self.revisions.value_at(self.model.value, self.now, mpan, index)

    def served_indices(self, mpan: str) -> Sequence[int]:
        """Indices of the half hours of an MPAN the API serves now, in order (a range when
        the data has no gap)."""
        low = self.model.first_index(mpan)
        if self.publication is None:
            return range(low, max(low, availability_edge(self.now)))
        return self.publication.available(low, self.publication.edge(self.now), self.now)

    def served_readings(self, mpan: str) -> dict[datetime, float]:
        """Every reading of an MPAN the API serves now, by UTC start: the truth a client's
        copy should end up equal to."""
        value = self.reading_value
        return {from_index(index): value(mpan, index) for index in self.served_indices(mpan)}

    def revise(self, mpan: str, start: datetime, kwh: float) -> None:
        """Correct a reading: the new value (3 decimals) is served from now on."""
        if kwh < 0:
            msg = "readings are never negative"
            raise ValueError(msg)
        self.model.revise(mpan, index_of_start(mpan, start, self.model), kwh)

    def unit_rate_pence(self, tariff_code: str, at: datetime) -> Decimal:
        """Unit rate inc VAT in force at `at` (the direct-debit row), as published at `now`."""
        entry = self._rate_entry(tariff_code, RateType.STANDARD, at)
        if entry is None:
            msg = f"no unit rate of {tariff_code} in force at {at.isoformat()}"
            raise LookupError(msg)
        return entry

    def standing_charge_pence(self, tariff_code: str, at: datetime) -> Decimal | None:
        """Standing charge inc VAT (p/day) in force at `at`; None when there is none."""
        return self._rate_entry(tariff_code, RateType.STANDING, at)

    def _rate_entry(self, tariff_code: str, rate_type: RateType, at: datetime) -> Decimal | None:
        tariff = tariff_from_code(tariff_code)
        if tariff is None:
            msg = f"unknown tariff {tariff_code}"
            raise LookupError(msg)
        if tariff.dual_register and rate_type is RateType.STANDARD:
            msg = f"{tariff_code} has day and night rates, not a standard unit rate"
            raise LookupError(msg)
        series = rate_series(tariff, rate_type, self.now)
        entry = None if series is None else rate_in_force(series, _require_aware(at, "at"))
        return None if entry is None else entry.value_inc_vat

    # -- faults and request log -------------------------------------------------------------

    def set_api_key(self, api_key: str) -> None:
        """Accept only this key from now on (the old one is refused with 401: revoked)."""
        self.api_key = api_key

    def serve_body(self, body: bytes, path_contains: str | None = None) -> None:
        """Answer the next request (whose path contains the text) with `body` as a JSON 200,
        whatever it holds: for fuzzing a client with pages the real API might send."""
        self._bodies.append((path_contains, body))

    def take_body(self, path: str) -> bytes | None:
        """The first queued body for a path, consumed (None when there is none)."""
        for position, (contains, body) in enumerate(self._bodies):
            if contains is None or contains in path:
                del self._bodies[position]
                return body
        return None

    def on_request(self, listener: RequestListener) -> Callable[[], None]:
        """Call `listener` with every request as it arrives; returns the unsubscribe."""
        self.listeners.append(listener)
        return lambda: self.listeners.remove(listener)

    def fault_for(self, request: RecordedRequest) -> tuple[str | None, float]:
        """The fault kind (and delay of a slow one) for a request: a queued fault first,
        else the random plan's draw."""
        fault = self.faults.take(request.path)
        if fault is not None:
            return fault.kind, fault.delay
        if self.chaos is not None and (draw := self.chaos.draw(request.query)) is not None:
            return draw.kind, self.chaos.slow_delay
        return None, 0.0

    async def hang(self) -> None:
        """Hold a request without answering, until the server stops (or HANG_SECONDS)."""
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._release.wait(), HANG_SECONDS)

    def fail(
        self, kind: str, times: int = 1, path_contains: str | None = None, delay: float = 0
    ) -> None:
        """Make the next `times` requests (whose path contains the text) fail with `kind`."""
        self.faults.add(kind, times, path_contains, delay)

    def clear_faults(self) -> None:
        """Drop the faults not consumed yet."""
        self.faults.clear()

    def count(self, path_contains: str = "") -> int:
        """Number of recorded requests whose path contains the text."""
        return sum(1 for request in self.requests if path_contains in request.path)

    def reset_counts(self) -> None:
        """Forget the recorded requests."""
        self.requests.clear()
