"""The simulated household and prices: deterministic, plausible, and fast to serve."""

from __future__ import annotations

from datetime import UTC, date, datetime
import statistics
import time

from aiohttp.test_utils import TestClient, TestServer

from fake_octopus import DEMO_EXPORT_MPAN, DEMO_IMPORT_MPAN, FakeOctopus
from fake_octopus.clock import LONDON
from fake_octopus.consumption import simulate_day
from fake_octopus.prices import agile_import, agile_outgoing

from .conftest import AUTH, IMPORT_PATH, NOW


def epoch_day(day: date) -> int:
    return (day - date(1970, 1, 1)).days


def days_of(year: int, month: int) -> list[int]:
    first = epoch_day(date(year, month, 1))
    return list(range(first, first + 28))


def test_simulation_is_deterministic() -> None:
    values = simulate_day(epoch_day(date(2024, 5, 5)))
    simulate_day.cache_clear()
    assert simulate_day(epoch_day(date(2024, 5, 5))) == values
    assert simulate_day(epoch_day(date(2024, 5, 6))) != values


def test_readings_are_plausible() -> None:
    year = [epoch_day(date(2024, 1, 1)) + n for n in range(366)]
    for day in year:
        imports, exports = simulate_day(day)
        assert len(imports) == len(exports) == 48
        for value in (*imports, *exports):
            assert value >= 0
            assert round(value, 3) == value
        # No export at night (22:00-04:00 UTC, dark all year in the UK).
        assert all(exports[slot] == 0 for slot in (*range(8), *range(44, 48)))
        assert max(imports) < 3.5

    def mean_import(days: list[int]) -> float:
        return statistics.mean(v for d in days for v in simulate_day(d)[0])

    assert mean_import(days_of(2024, 1)) > 1.3 * mean_import(days_of(2024, 6))
    june_exports = [v for d in days_of(2024, 6) for v in simulate_day(d)[1]]
    assert 1.4 < max(june_exports) <= 2.2
    december_exports = [v for d in days_of(2024, 12) for v in simulate_day(d)[1]]
    assert max(december_exports) < max(june_exports) / 2
    # Cloudy and sunny days differ a lot.
    june_days = [sum(simulate_day(d)[1]) for d in days_of(2024, 6)]
    assert max(june_days) > 2.5 * min(june_days)
    # Evening peak above the small hours (local time, summer: slot = UTC half hour).
    evening = statistics.mean(simulate_day(d)[0][35] for d in days_of(2024, 1))  # 17:30Z
    night = statistics.mean(simulate_day(d)[0][6] for d in days_of(2024, 1))  # 03:00Z
    assert evening > 2 * night


def test_agile_prices_shape() -> None:
    first = int(datetime(2024, 10, 1, tzinfo=UTC).timestamp()) // 1800
    indices = range(first, first + 48 * 365)
    imports = [agile_import(index, "C") for index in indices]
    exports = [agile_outgoing(index, "C") for index in indices]
    assert min(imports) < 0  # windy nights
    assert max(imports) <= 100
    assert min(exports) >= 0

    def local_hour(index: int) -> int:
        return datetime.fromtimestamp(index * 1800, UTC).astimezone(LONDON).hour

    peak = [price for index, price in zip(indices, imports, strict=True) if local_hour(index) == 17]
    small_hours = [
        price for index, price in zip(indices, imports, strict=True) if local_hour(index) == 3
    ]
    assert statistics.mean(peak) > 2 * statistics.mean(small_hours)


def test_export_follows_import_model() -> None:
    fake = FakeOctopus(now=NOW)
    noon = datetime(2024, 6, 20, 12, tzinfo=UTC)
    midnight = datetime(2024, 6, 20, 0, tzinfo=UTC)
    assert fake.consumption_kwh(DEMO_EXPORT_MPAN, midnight) == 0
    imports, exports = simulate_day(epoch_day(date(2024, 6, 20)))
    assert fake.consumption_kwh(DEMO_EXPORT_MPAN, noon) == exports[24]
    assert fake.consumption_kwh(DEMO_IMPORT_MPAN, noon) == imports[24]


async def test_serves_25000_half_hours_with_aiohttp_test_server(
    socket_enabled: None,
) -> None:
    fake = FakeOctopus(now=NOW)
    async with TestClient(TestServer(fake.app)) as client:
        timings = []
        for _ in range(3):
            started = time.perf_counter()
            response = await client.get(IMPORT_PATH, params={"page_size": 25_000}, headers=AUTH)
            body = await response.read()
            timings.append(time.perf_counter() - started)
            assert response.status == 200
            assert body.count(b'"interval_start"') == 25_000
    # The first request simulates ~520 days; later ones hit the memo. Speed is a figure to read
    # (printed), not an assertion: a loaded machine must not fail the suite.
    print(f"fake API, 25,000 half-hours: {', '.join(f'{t * 1000:.0f} ms' for t in timings)}")
    assert fake.count("/consumption/") == 3


def test_creating_many_fakes() -> None:
    """Each fake has its own app; the time taken is printed (a figure, not an assertion)."""
    started = time.perf_counter()
    fakes = [FakeOctopus(now=NOW) for _ in range(200)]
    print(f"200 fakes created in {(time.perf_counter() - started) * 1000:.0f} ms")
    assert len({id(fake.app) for fake in fakes}) == 200
