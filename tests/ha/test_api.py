"""The Octopus client against the project's fake API: data, pagination, faults, secrecy."""

from __future__ import annotations

import base64
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta
from decimal import Decimal
import itertools
import logging
from typing import Any

from homeassistant.core import HomeAssistant
from homeassistant.helpers.aiohttp_client import async_get_clientsession
import pytest

from custom_components.octopus_viz.api.client import (
    CONSUMPTION_PAGE_SIZE,
    OctopusClient,
)
from custom_components.octopus_viz.api.errors import (
    OctopusAuthError,
    OctopusConnectionError,
    OctopusError,
    OctopusNotFoundError,
    OctopusResponseError,
)
from fake_octopus import (
    DEMO_ACCOUNT_NUMBER,
    DEMO_API_KEY,
    DEMO_EXPORT_MPAN,
    DEMO_IMPORT_MPAN,
    DEMO_OLD_SERIAL,
    DEMO_SERIAL,
    FakeOctopus,
)

# The fake API and the small test servers listen on loopback.
pytestmark = pytest.mark.usefixtures("socket_enabled")

CONSUMPTION = "/consumption/"
YEAR_FROM = datetime(2024, 11, 1, tzinfo=UTC)
YEAR_TO = datetime(2025, 11, 1, tzinfo=UTC)


class SleepRecorder:
    """Stands in for the back-off sleep: records the delays, waits for nothing."""

    def __init__(self) -> None:
        self.delays: list[float] = []

    async def __call__(self, delay: float) -> None:
        self.delays.append(delay)


@pytest.fixture
def sleeps() -> SleepRecorder:
    return SleepRecorder()


@pytest.fixture
def make_client(
    hass: HomeAssistant, fake_api: FakeOctopus, sleeps: SleepRecorder
) -> Callable[..., OctopusClient]:
    """A client on the fake API (base URL from the environment, as in production)."""

    def make(api_key: str = DEMO_API_KEY, **kwargs: Any) -> OctopusClient:
        kwargs.setdefault("sleep", sleeps)
        return OctopusClient(async_get_clientsession(hass), api_key, **kwargs)

    return make


@pytest.fixture
async def client(make_client: Callable[..., OctopusClient]) -> OctopusClient:
    return make_client()


async def test_account(client: OctopusClient) -> None:
    account = await client.async_get_account(DEMO_ACCOUNT_NUMBER)
    assert account.number == DEMO_ACCOUNT_NUMBER
    assert len(account.properties) == 2
    prop = account.current_property
    assert prop is not None
    assert prop.moved_out_at is None
    points = {p.mpan: p for p in prop.electricity_meter_points}
    assert [m.serial_number for m in points[DEMO_IMPORT_MPAN].meters] == [
        DEMO_OLD_SERIAL,
        DEMO_SERIAL,
    ]
    assert points[DEMO_EXPORT_MPAN].is_export
    # "+01:00" and "Z" agreement timestamps both end up in UTC.
    agreements = points[DEMO_IMPORT_MPAN].agreements
    assert agreements[0].valid_from == datetime(2023, 1, 15, tzinfo=UTC)
    assert agreements[1].valid_from == datetime(2024, 3, 31, 23, tzinfo=UTC)
    assert agreements[-1].valid_to is None


async def test_year_of_half_hours_in_one_request(
    client: OctopusClient, fake_api: FakeOctopus
) -> None:
    readings = await client.async_get_consumption(DEMO_IMPORT_MPAN, DEMO_SERIAL, YEAR_FROM, YEAR_TO)
    assert fake_api.count(CONSUMPTION) == 1
    assert fake_api.requests[-1].query["page_size"] == str(CONSUMPTION_PAGE_SIZE)
    assert fake_api.requests[-1].query["order_by"] == "period"
    # 365 days; the clock changes add and remove a half-hour-pair each, so count in UTC.
    assert len(readings) == 365 * 48
    # The fake's extra half-hour before period_from is dropped; the end is exclusive.
    assert readings.starts[0] == YEAR_FROM.timestamp()
    assert readings.starts[-1] == (YEAR_TO - timedelta(minutes=30)).timestamp()
    assert all(b - a == 1800 for a, b in itertools.pairwise(readings.starts))
    # BST readings come as +01:00 and are converted, not shifted.
    summer = datetime(2025, 7, 1, 12, tzinfo=UTC)
    by_start = dict(zip(readings.starts, readings.kwh, strict=True))
    assert by_start[int(summer.timestamp())] == fake_api.consumption_kwh(DEMO_IMPORT_MPAN, summer)


async def test_pagination_beyond_25000_half_hours(
    client: OctopusClient, fake_api: FakeOctopus
) -> None:
    start = datetime(2023, 6, 1, tzinfo=UTC)
    end = datetime(2025, 6, 1, tzinfo=UTC)  # 731 days = 35,088 half-hours
    readings = await client.async_get_consumption(DEMO_IMPORT_MPAN, DEMO_SERIAL, start, end)
    assert fake_api.count(CONSUMPTION) == 2
    assert fake_api.requests[-1].query.get("page") == "2"
    assert len(readings) == 731 * 48
    assert all(b - a == 1800 for a, b in itertools.pairwise(readings.starts))


async def test_open_ended_period_stops_at_available_data(
    client: OctopusClient, fake_api: FakeOctopus
) -> None:
    start = fake_api.now - timedelta(days=3)
    readings = await client.async_get_consumption(DEMO_EXPORT_MPAN, DEMO_SERIAL, start)
    assert "period_to" not in fake_api.requests[-1].query
    assert readings
    assert readings.starts[0] == start.timestamp()
    assert readings.starts[-1] < fake_api.now.timestamp()


async def test_meter_without_data(client: OctopusClient) -> None:
    got = await client.async_get_consumption(DEMO_IMPORT_MPAN, DEMO_OLD_SERIAL, YEAR_FROM, YEAR_TO)
    assert len(got) == 0
    assert await client.async_get_latest_reading_start(DEMO_IMPORT_MPAN, DEMO_OLD_SERIAL) is None


async def test_latest_reading_start(client: OctopusClient, fake_api: FakeOctopus) -> None:
    latest = await client.async_get_latest_reading_start(DEMO_IMPORT_MPAN, DEMO_SERIAL)
    assert latest is not None
    assert timedelta(0) < fake_api.now - latest < timedelta(days=3)
    assert fake_api.requests[-1].query == {"page_size": "1", "order_by": "-period"}


async def test_product_and_rates(client: OctopusClient, fake_api: FakeOctopus) -> None:
    product = await client.async_get_product("AGILE-24-10-01")
    assert product.code == "AGILE-24-10-01"
    assert product.display_name
    day_from = datetime(2025, 11, 1, tzinfo=UTC)
    day_to = day_from + timedelta(days=1)
    tariff = "E-1R-AGILE-24-10-01-C"
    rates = await client.async_get_unit_rates(
        "AGILE-24-10-01", tariff, "standard", day_from, day_to
    )
    assert len(rates) == 48
    noon = datetime(2025, 11, 1, 12, tzinfo=UTC)
    _exc, inc_vat, *_ = next(r for r in rates if r[2] == noon.timestamp())
    assert Decimal(inc_vat) == fake_api.unit_rate_pence(tariff, noon)
    charges = await client.async_get_standing_charges("AGILE-24-10-01", tariff, day_from, day_to)
    assert charges
    assert fake_api.requests[-1].query["page_size"] == "1500"


async def test_rates_follow_next(client: OctopusClient, fake_api: FakeOctopus) -> None:
    # A month and a half of Agile half-hours is more than one page of 1,500 rows.
    rates = await client.async_get_unit_rates(
        "AGILE-24-10-01",
        "E-1R-AGILE-24-10-01-C",
        "standard",
        datetime(2025, 9, 1, tzinfo=UTC),
        datetime(2025, 10, 16, tzinfo=UTC),
    )
    assert fake_api.count("standard-unit-rates") == 2
    assert len(rates) == 45 * 48


async def test_unknown_things_are_not_found(client: OctopusClient) -> None:
    with pytest.raises(OctopusNotFoundError) as err:
        await client.async_get_account("A-00000000")
    assert err.value.translation_key == "not_found"
    with pytest.raises(OctopusNotFoundError):
        await client.async_get_product("NO-SUCH-PRODUCT")
    with pytest.raises(OctopusNotFoundError):
        await client.async_get_consumption("1900000000999", "X", YEAR_FROM, YEAR_TO)


async def test_wrong_key_is_auth_error_without_retry(
    make_client: Callable[..., OctopusClient], fake_api: FakeOctopus
) -> None:
    client = make_client("sk_live_wrong")
    with pytest.raises(OctopusAuthError) as err:
        await client.async_get_account(DEMO_ACCOUNT_NUMBER)
    assert err.value.translation_key == "auth_failed"
    assert fake_api.count() == 1


async def test_injected_401_is_auth_error(client: OctopusClient, fake_api: FakeOctopus) -> None:
    fake_api.fail("unauthorized")
    with pytest.raises(OctopusAuthError):
        await client.async_get_consumption(DEMO_IMPORT_MPAN, DEMO_SERIAL, YEAR_FROM, YEAR_TO)


@pytest.mark.parametrize("kind", ["forbidden_html", "rate_limited", "server_error", "bad_gateway"])
async def test_transient_fault_is_retried(
    client: OctopusClient, fake_api: FakeOctopus, sleeps: SleepRecorder, kind: str
) -> None:
    fake_api.fail(kind, times=2)
    readings = await client.async_get_consumption(
        DEMO_IMPORT_MPAN, DEMO_SERIAL, YEAR_FROM, YEAR_FROM + timedelta(days=1)
    )
    assert len(readings) == 48
    assert fake_api.count(CONSUMPTION) == 3
    # Exponential back-off from 1 s; a 429 asks for Retry-After: 1, which is honoured.
    assert sleeps.delays == [1.0, 2.0]


async def test_retry_after_wins_over_shorter_backoff(
    make_client: Callable[..., OctopusClient], fake_api: FakeOctopus, sleeps: SleepRecorder
) -> None:
    client = make_client(backoff=0.0)
    fake_api.fail("rate_limited")
    await client.async_get_account(DEMO_ACCOUNT_NUMBER)
    assert sleeps.delays == [1.0]


@pytest.mark.parametrize("kind", ["forbidden_html", "rate_limited", "server_error", "bad_gateway"])
async def test_persistent_transient_fault_is_connection_error_never_auth(
    client: OctopusClient, fake_api: FakeOctopus, sleeps: SleepRecorder, kind: str
) -> None:
    fake_api.fail(kind, times=10)
    with pytest.raises(OctopusConnectionError) as err:
        await client.async_get_account(DEMO_ACCOUNT_NUMBER)
    assert not isinstance(err.value, OctopusAuthError)
    assert err.value.translation_key == "cannot_connect"
    assert fake_api.count() == 4  # one try and three retries
    assert len(sleeps.delays) == 3


async def test_timeout_is_retried_then_succeeds(
    make_client: Callable[..., OctopusClient], fake_api: FakeOctopus
) -> None:
    client = make_client(timeout=0.2)
    fake_api.fail("slow", delay=1.0)
    account = await client.async_get_account(DEMO_ACCOUNT_NUMBER)
    assert account.number == DEMO_ACCOUNT_NUMBER
    assert fake_api.count() == 2


async def test_timeouts_exhaust_retries(
    make_client: Callable[..., OctopusClient], fake_api: FakeOctopus
) -> None:
    client = make_client(timeout=0.1, max_retries=1)
    fake_api.fail("slow", times=2, delay=0.5)
    with pytest.raises(OctopusConnectionError, match="timeout"):
        await client.async_get_account(DEMO_ACCOUNT_NUMBER)


async def test_malformed_json_is_response_error(
    client: OctopusClient, fake_api: FakeOctopus
) -> None:
    fake_api.fail("malformed_json")
    with pytest.raises(OctopusResponseError, match="not JSON") as err:
        await client.async_get_consumption(DEMO_IMPORT_MPAN, DEMO_SERIAL, YEAR_FROM, YEAR_TO)
    assert err.value.translation_key == "invalid_response"
    assert fake_api.count() == 1  # not retried: the server answered


@pytest.mark.parametrize(
    "call",
    [
        lambda c: c.async_get_account(DEMO_ACCOUNT_NUMBER),
        lambda c: c.async_get_consumption(DEMO_IMPORT_MPAN, DEMO_SERIAL, YEAR_FROM, YEAR_TO),
        lambda c: c.async_get_standing_charges(
            "AGILE-24-10-01", "E-1R-AGILE-24-10-01-C", YEAR_FROM, YEAR_TO
        ),
    ],
)
async def test_missing_fields_is_response_error(
    client: OctopusClient, fake_api: FakeOctopus, call: Callable[[OctopusClient], Awaitable[Any]]
) -> None:
    fake_api.fail("missing_fields")
    with pytest.raises(OctopusResponseError, match=r"properties|missing"):
        await call(client)


async def test_broken_second_page_returns_nothing(
    client: OctopusClient, fake_api: FakeOctopus
) -> None:
    start = datetime(2023, 6, 1, tzinfo=UTC)
    end = datetime(2025, 6, 1, tzinfo=UTC)  # two pages
    for kind in ("malformed_json", "missing_fields"):
        fake_api.reset_counts()
        fake_api.fail("slow", delay=0)  # a no-op that uses up page 1's turn...
        fake_api.fail(kind)  # ... so page 2 is the broken one
        with pytest.raises(OctopusResponseError):
            await client.async_get_consumption(DEMO_IMPORT_MPAN, DEMO_SERIAL, start, end)
        assert fake_api.count(CONSUMPTION) == 2


async def test_key_never_logged_or_shown(
    make_client: Callable[..., OctopusClient],
    fake_api: FakeOctopus,
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.DEBUG)
    secret = "sk_live_wrong_SECRET_4242"
    encoded = base64.b64encode(f"{secret}:".encode()).decode()
    errors: list[OctopusError] = []
    bad = make_client(secret)
    good = make_client()
    with pytest.raises(OctopusAuthError) as auth:
        await bad.async_get_account(DEMO_ACCOUNT_NUMBER)
    errors.append(auth.value)
    fake_api.fail("forbidden_html", times=4)
    with pytest.raises(OctopusConnectionError) as conn:
        await good.async_get_account(DEMO_ACCOUNT_NUMBER)
    errors.append(conn.value)
    fake_api.fail("malformed_json")
    with pytest.raises(OctopusResponseError) as resp:
        await good.async_get_account(DEMO_ACCOUNT_NUMBER)
    errors.append(resp.value)
    assert "retry" in caplog.text  # the retries were logged at debug level
    texts = [caplog.text, repr(bad), repr(good)]
    texts += [f"{e!s} {e!r} {e.__cause__!r} {e.__context__!r}" for e in errors]
    for text in texts:
        for key in (secret, DEMO_API_KEY, encoded):
            assert key not in text
