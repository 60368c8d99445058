"""A simulated season: hourly polls through faults, late data, revisions, restarts and a revoked
key, then every hourly statistic row against the fake API's final truth, and no key anywhere.

`scripts/test` runs a short seeded season (21 days from 2024-03-20: the March clock change and
the switch to Flux at local midnight); `scripts/season --days 365 --seed N` runs a long one.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from functools import partial
import json
import logging
from pathlib import Path
import stat
from typing import Any

from freezegun.api import FrozenDateTimeFactory
from homeassistant.core import HomeAssistant
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry, MockUser
from pytest_homeassistant_custom_component.components.diagnostics import (
    get_diagnostics_for_config_entry,
)
from pytest_homeassistant_custom_component.typing import ClientSessionGenerator

from custom_components.octopus_viz import config_flow, coordinator
from custom_components.octopus_viz.api.client import OctopusClient
from custom_components.octopus_viz.api.const import ENV_API_URL
from custom_components.octopus_viz.const import DOMAIN
from fake_octopus import DEMO_ACCOUNT_NUMBER, DEMO_API_KEY, FakeOctopus
from fake_octopus.chaos import DEFAULT_WEIGHTS, RandomFaults
from fake_octopus.publication import LatePublication, RevisionPlan

from .conftest import entry_data
from .season_run import SeasonRun, SeasonSettings
from .season_truth import LONDON, STATISTICS, check_statistics

# Short enough that a timeout costs little, long enough that a loop stall (a garbage collection
# on a loaded machine) rarely passes for one; faults that hold a request outlast it.
CLIENT_TIMEOUT = 0.5
# About four days per consumption page: a backfill and a 7-day re-fetch take several pages.
PAGE_MAX = 200


def _local_midnight(day: object) -> datetime:
    return datetime.fromisoformat(f"{day}T00:00:00").replace(tzinfo=LONDON).astimezone(UTC)


@pytest.fixture
async def season_fake(
    socket_enabled: None,
    monkeypatch: pytest.MonkeyPatch,
    freezer: FrozenDateTimeFactory,
) -> AsyncIterator[tuple[FakeOctopus, SeasonSettings]]:
    """The fake API with the season's seeded plans; its clock is the frozen one."""
    settings = SeasonSettings()
    history = settings.start - timedelta(days=settings.history_days)
    freezer.move_to(_local_midnight(settings.start) + timedelta(hours=9))
    fake = FakeOctopus(
        history_start=_local_midnight(history - timedelta(days=30)),
        consumption_page_max=PAGE_MAX,
    )
    fake.publication = LatePublication(settings.seed, settings.start)
    fake.revisions = RevisionPlan(settings.seed, history, fake.publication, share=0.25)
    fake.chaos = RandomFaults(
        settings.seed,
        settings.fault_rate,
        # Timeouts cost real seconds: rarer than in DEFAULT_WEIGHTS.
        {**DEFAULT_WEIGHTS, "slow": 0.5, "hang": 0.5},
        next_page_rate=settings.next_page_rate,
        slow_delay=3 * CLIENT_TIMEOUT,
    )
    # Every client the integration makes (setup, reauth) gives up after CLIENT_TIMEOUT.
    client = partial(OctopusClient, timeout=CLIENT_TIMEOUT)
    monkeypatch.setattr(coordinator, "OctopusClient", client)
    monkeypatch.setattr(config_flow, "OctopusClient", client)
    async with fake:
        monkeypatch.setenv(ENV_API_URL, fake.url)
        yield fake, settings


# The clock ticks from wherever the test moves it: the loop's timers (the client's timeout, the
# fake's slow answers) run in real time, while polls follow the hours the test moves to.
@pytest.mark.freeze_time(tick=True)
async def test_season(
    hass: HomeAssistant,
    hass_client: ClientSessionGenerator,
    hass_admin_user: MockUser,
    freezer: FrozenDateTimeFactory,
    season_fake: tuple[FakeOctopus, SeasonSettings],
    caplog: pytest.LogCaptureFixture,
    pytestconfig: pytest.Config,
    cache_dir: Path,
) -> None:
    """Nothing lost, nothing counted twice, costs exact, the key never shown."""
    caplog.set_level(logging.DEBUG)
    hass.loop.set_debug(False)  # asyncio debug mode records a stack per callback: 3x slower
    logging.getLogger("asyncio").setLevel(logging.ERROR)  # frozen clock: "slow" callbacks
    fake, settings = season_fake
    history = settings.start - timedelta(days=settings.history_days)
    entry = MockConfigEntry(
        domain=DOMAIN,
        title=f"Octopus {DEMO_ACCOUNT_NUMBER}",
        unique_id=DEMO_ACCOUNT_NUMBER,
        data=entry_data(history.isoformat()),
    )
    entry.add_to_hass(hass)
    season = SeasonRun(hass, fake, entry, freezer, settings, cache_dir)
    keys = (DEMO_API_KEY, season.new_key)
    logged = 0

    def scan_logs() -> None:
        # Read and dropped day by day: a year of DEBUG records would not fit in memory.
        nonlocal logged
        text = caplog.text
        for key in keys:
            assert key not in text, "the API key is in the logs"
        logged += len(caplog.records)
        caplog.clear()

    season.on_day_end = scan_logs
    start = _local_midnight(settings.start) + timedelta(hours=9)
    await season.run(start)
    end = start + timedelta(days=settings.days)
    await season.finish(end)

    verdict = await check_statistics(hass, fake, _local_midnight(history))
    figures = season.figures
    assert fake.chaos is not None
    assert fake.revisions is not None
    mpans = tuple(STATISTICS)
    revisions = fake.revisions.made_until(mpans, end.date(), fake.now)
    scan_logs()
    report = (
        f"season: {settings.days} days from {settings.start} (seed {settings.seed}), "
        f"{figures.wall_seconds:.1f} s\n"
        f"  polls {figures.polls} ({figures.failed_polls} failed), "
        f"requests {fake.count()} {_by_endpoint(fake)}, faults injected {fake.chaos.total}: "
        f"{dict(sorted(fake.chaos.counts.items()))}\n"
        f"  revisions {revisions} (+1 older day through the refresh service, "
        f"{figures.refresh_calls} call(s)), restarts {sum(figures.restarts.values())}: "
        f"{dict(figures.restarts)}\n"
        f"  key revoked at hour {season.revoke_hour}, reauth started "
        f"{figures.reauth_started_at}, new key given at hour {season.reauth_hour}, "
        f"requests meanwhile {figures.requests_while_revoked}\n"
        f"  hours checked {verdict.hours_checked}, days checked (money) "
        f"{verdict.days_checked}, mismatches {verdict.mismatches} "
        f"{dict(verdict.problems)}, log records scanned {logged}"
    )
    # Shown even when output is captured: the figures are the point of a soak test.
    capture = pytestconfig.pluginmanager.get_plugin("capturemanager")
    with capture.global_and_fixture_disabled():
        print("\n" + report, flush=True)
    assert verdict.mismatches == 0, verdict.examples
    assert verdict.hours_checked >= 4 * 24 * (settings.days + settings.history_days - 6)
    assert figures.reauth_started_at is not None
    assert figures.requests_while_revoked == 0
    assert figures.restarts["mid-backfill"] == 1
    assert fake.chaos.total > 0

    # The keys, old and new, appear nowhere: logs at DEBUG (scanned daily), errors, reprs,
    # diagnostics, the cache.
    texts = {
        "exceptions": "\n".join(figures.exception_texts),
        "reprs": "\n".join(
            [repr(entry), repr(entry.runtime_data)]
            + [repr(value) for value in vars(entry.runtime_data).values()]
        ),
        "diagnostics": json.dumps(await _diagnostics(hass, hass_client, hass_admin_user, entry)),
    }
    for what, text in texts.items():
        for key in keys:
            assert key not in text, f"the API key is in the {what}"
    cache_files = await hass.async_add_executor_job(_cache_files, cache_dir, entry.entry_id)
    assert cache_files
    for name, (content, mode) in cache_files.items():
        assert all(key.encode() not in content for key in keys), name
        assert mode == 0o600, name
    assert logged > figures.polls  # debug logging was really on


async def _diagnostics(
    hass: HomeAssistant,
    hass_client: ClientSessionGenerator,
    user: MockUser,
    entry: MockConfigEntry,
) -> Any:
    """The entry's diagnostics over HTTP, with a token issued now (the fixture's one expired
    months of frozen time ago)."""
    token = hass.auth.async_create_access_token(next(iter(user.refresh_tokens.values())))
    return await get_diagnostics_for_config_entry(hass, lambda: hass_client(token), entry)


def _by_endpoint(fake: FakeOctopus) -> dict[str, int]:
    """Requests by the last segment of their path (consumption, rates, product, account)."""
    counts: dict[str, int] = {}
    for request in fake.requests:
        parts = request.path.strip("/").split("/")
        name = "account" if parts[1] == "accounts" else parts[-1]
        name = "product" if parts[1] == "products" and len(parts) == 3 else name
        name = "meter point" if parts[1].endswith("meter-points") and len(parts) == 3 else name
        counts[name] = counts.get(name, 0) + 1
    return dict(sorted(counts.items()))


def _cache_files(folder: Path, entry_id: str) -> dict[str, tuple[bytes, int]]:
    """The entry's cache files (database, WAL, shared memory): content and permission bits."""
    return {
        path.name: (path.read_bytes(), stat.S_IMODE(path.stat().st_mode))
        for path in sorted(folder.glob(f"{entry_id}.*"))
    }
