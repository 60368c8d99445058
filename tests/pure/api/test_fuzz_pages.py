"""Fuzzing the client with hostile API pages: every page gives readings/rates that make sense,
or a translated error; rows that cannot be used are skipped with one log line; nothing else
escapes.

Pages come from hypothesis: missing fields, wrong types, NaN and infinities, huge and negative
numbers, duplicated and overlapping intervals, odd UTC offsets, broken `next` links, bodies that
are not JSON. They are served to the real client through a stub aiohttp session.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from decimal import Decimal
import json
import logging
import math
from pathlib import Path
from typing import Any, Self

from hypothesis import HealthCheck, example, given, settings, strategies as st
import pytest

from custom_components.octopus_viz.api.client import OctopusClient
from custom_components.octopus_viz.api.errors import OctopusError
from tests.api_strategies import bodies, consumption_rows, rate_rows

STRINGS = json.loads(
    (Path(__file__).parents[3] / "custom_components/octopus_viz/strings.json").read_text()
)
PERIOD_FROM = datetime(2024, 3, 30, 0, 0, tzinfo=UTC)
PERIOD_TO = PERIOD_FROM + timedelta(days=2)
# A reading above this is not a household's half-hour (a 100 A three-phase supply gives ~35).
PLAUSIBLE_KWH = 1_000.0
BASE = "http://fake.invalid"
EMPTY_PAGE = b'{"count": 0, "next": null, "previous": null, "results": []}'


class _Response:
    def __init__(self, body: bytes) -> None:
        self.status = 200
        self.headers: dict[str, str] = {}
        self._body = body

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(self, *_exc: object) -> None:
        return None

    async def read(self) -> bytes:
        return self._body


class _Session:
    """Serves the given bodies in order, then empty pages."""

    def __init__(self, served: list[bytes]) -> None:
        self._bodies: Iterator[bytes] = iter(served)

    def get(self, _url: object, **_kwargs: object) -> _Response:
        return _Response(next(self._bodies, EMPTY_PAGE))


class _Lines(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


@pytest.fixture
def warnings_logged() -> Iterator[_Lines]:
    handler = _Lines()
    logger = logging.getLogger("custom_components.octopus_viz")
    logger.addHandler(handler)
    yield handler
    logger.removeHandler(handler)


def _client(served: list[bytes]) -> OctopusClient:
    return OctopusClient(_Session(served), "sk_live_fuzz", base_url=BASE)  # type: ignore[arg-type]


def _assert_translated(err: OctopusError) -> None:
    assert err.translation_key in STRINGS["exceptions"], err
    assert "sk_live_fuzz" not in str(err)


FUZZ = settings(
    max_examples=120, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


def _listing(rows: list[Any], next_url: str | None = None) -> list[bytes]:
    return [json.dumps({"count": len(rows), "next": next_url, "results": rows}).encode()]


_START = "2024-03-30T00:00:00Z"


# Found by this test: a huge integer escaped as OverflowError, a 1e308 reading was kept (and
# overflowed every sum after it), a `next` link on a listing whose count fits one page raised
# IndexError.
@example(pages=_listing([{"consumption": 10**400, "interval_start": _START}]))
@example(pages=_listing([{"consumption": 1e308, "interval_start": _START}]))
@example(pages=_listing([None], f"{BASE}/next/?page=2"))
@FUZZ
@given(pages=st.lists(bodies(consumption_rows(PERIOD_FROM)), min_size=1, max_size=3))
async def test_consumption_pages(pages: list[bytes], warnings_logged: _Lines) -> None:
    warnings_logged.records.clear()
    client = _client(pages)
    try:
        readings = await client.async_get_consumption("1900000000001", "S", PERIOD_FROM, PERIOD_TO)
    except OctopusError as err:
        _assert_translated(err)
        return
    starts, kwh = readings.starts, readings.kwh
    assert len(starts) == len(kwh)
    assert starts == sorted(set(starts))  # one reading per half-hour, in order
    low, high = PERIOD_FROM.timestamp(), PERIOD_TO.timestamp()
    for start, energy in zip(starts, kwh, strict=True):
        assert start % 1800 == 0
        assert low <= start < high
        assert type(energy) is float
        assert math.isfinite(energy)
        assert 0 <= energy <= PLAUSIBLE_KWH
    assert len(warnings_logged.records) <= 1  # skipped rows: one line for the whole batch


# Found by this test: rates of 1e308 pence were kept.
@example(pages=_listing([{"value_exc_vat": 1e308, "value_inc_vat": 1e308, "valid_from": None}]))
@FUZZ
@given(pages=st.lists(bodies(rate_rows(PERIOD_FROM)), min_size=1, max_size=3))
async def test_rate_pages(pages: list[bytes], warnings_logged: _Lines) -> None:
    warnings_logged.records.clear()
    client = _client(pages)
    try:
        rows = await client.async_get_unit_rates(
            "AGILE-24-10-01", "E-1R-AGILE-24-10-01-C", "standard", PERIOD_FROM, PERIOD_TO
        )
    except OctopusError as err:
        _assert_translated(err)
        return
    for exc, inc, start, end, method in rows:
        for text in (exc, inc):
            value = Decimal(text)
            assert value.is_finite()
            assert abs(value) <= 100_000  # pence: no tariff charges £1,000 a kWh or a day
        assert start is None or isinstance(start, int)
        assert end is None or isinstance(end, int)
        assert method is None or isinstance(method, str)
    assert len(warnings_logged.records) <= 1
