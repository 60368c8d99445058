"""The season test's driver: hours of frozen time, polls, restarts, a revoked key, figures.

Everything goes through Home Assistant: time moves with `freezer` and `async_fire_time_changed`
(the coordinator polls on its own schedule), restarts are config entry reloads over the cache on
disk, the new key is typed into the reauth flow, the old-day correction comes through the
`octopus_viz.refresh` service. The seeded plan (which hours restart, when the key is revoked)
comes from one `random.Random(seed)`, the fake's faults from its own seeded plans.
"""

from __future__ import annotations

import asyncio
from collections import Counter
from collections.abc import Callable
import contextlib
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
import json
import os
from pathlib import Path
import random
import sqlite3
from typing import Any

from freezegun.api import FrozenDateTimeFactory
from homeassistant.config_entries import ConfigEntryState
from homeassistant.const import CONF_API_KEY
from homeassistant.core import HomeAssistant
from homeassistant.data_entry_flow import FlowResultType
from homeassistant.exceptions import HomeAssistantError
from pytest_homeassistant_custom_component.common import MockConfigEntry, async_fire_time_changed

from fake_octopus import DEMO_IMPORT_MPAN, FakeOctopus, RecordedRequest

from .conftest import settle

DOMAIN = "octopus_viz"
HOUR = timedelta(hours=1)


def _env_int(name: str, default: int) -> int:
    raw = os.environ.get(name, "")
    return int(raw) if raw else default


def _env_float(name: str, default: float) -> float:
    raw = os.environ.get(name, "")
    return float(raw) if raw else default


@dataclass(frozen=True, slots=True)
class SeasonSettings:
    """How long and with which seed; `scripts/season` sets these through the environment."""

    days: int = field(default_factory=lambda: _env_int("OCTOPUS_VIZ_SEASON_DAYS", 21))
    seed: int = field(default_factory=lambda: _env_int("OCTOPUS_VIZ_SEASON_SEED", 1))
    # 2024-03-20: the March clock change (31st) and the switch to Flux (1 April, local
    # midnight) come early; a 365-day season also crosses the October change.
    start: date = field(
        default_factory=lambda: date.fromisoformat(
            os.environ.get("OCTOPUS_VIZ_SEASON_START") or "2024-03-20"
        )
    )
    history_days: int = 10  # backfilled by the first setup
    fault_rate: float = field(
        default_factory=lambda: _env_float("OCTOPUS_VIZ_SEASON_FAULT_RATE", 0.08)
    )
    next_page_rate: float = 0.1


@dataclass(slots=True)
class Figures:
    """What happened over the season, printed at the end."""

    polls: int = 0
    failed_polls: int = 0
    restarts: Counter[str] = field(default_factory=Counter)
    reauth_started_at: datetime | None = None
    requests_while_revoked: int = 0
    refresh_calls: int = 0
    exception_texts: list[str] = field(default_factory=list)
    wall_seconds: float = 0.0


class SeasonRun:
    """One season against one config entry."""

    def __init__(
        self,
        hass: HomeAssistant,
        fake: FakeOctopus,
        entry: MockConfigEntry,
        freezer: FrozenDateTimeFactory,
        settings: SeasonSettings,
        cache_dir: Path,
    ) -> None:
        """Draw the season's plan from the seed; `cache_dir` holds the entry's cache file."""
        self.hass = hass
        self.fake = fake
        self.entry = entry
        self.freezer = freezer
        self.settings = settings
        self.cache_file = cache_dir / f"{entry.entry_id}.sqlite3"
        self.figures = Figures()
        self.rng = random.Random(settings.seed)
        hours = settings.days * 24
        self.hours = hours
        restarts = max(3, settings.days // 3)
        self.restart_hours = set(self.rng.sample(range(2, hours - 2), restarts))
        self.revoke_hour = self.rng.randrange(hours // 3, 2 * hours // 3)
        self.reauth_hour = self.revoke_hour + self.rng.randint(3, 30)
        # The refresh service is called while the key works (a user fixes one thing at a time).
        self.refresh_hour = self.rng.choice(
            [h for h in range(hours // 4, hours - 12) if not self._revoked(h)]
        )
        self.new_key = f"sk_live_season_{settings.seed:05d}_rotated_key"
        self._started = os.times().elapsed  # freezegun leaves it alone
        self.on_day_end: Callable[[], None] | None = None
        self._restart_tasks: list[asyncio.Task[None]] = []

    # -- building blocks ----------------------------------------------------------------------

    @property
    def coordinator(self) -> Any:
        """The entry's coordinator (runtime_data), for its public coordinator state only."""
        return self.entry.runtime_data

    def reauth_flows(self) -> list[Any]:
        """Reauth flows in progress for the integration."""
        return [
            flow
            for flow in self.hass.config_entries.flow.async_progress_by_handler(DOMAIN)
            if flow["context"]["source"] == "reauth"
        ]

    def restart_during_next_requests(self, after: int, kind: str) -> None:
        """Reload the entry a random number of loop turns after the `after`-th request from
        now: inside a fetch, between fetch and cache write, or while statistics are written."""
        seen = 0
        ticks = self.rng.randint(0, 400)

        def on_request(_request: RecordedRequest) -> None:
            nonlocal seen
            seen += 1
            if seen == after:
                unsubscribe()
                self._restart_tasks.append(
                    self.hass.async_create_task(self._restart_later(ticks, kind))
                )

        unsubscribe = self.fake.on_request(on_request)

    async def _restart_later(self, ticks: int, kind: str) -> None:
        for _ in range(ticks):
            await asyncio.sleep(0)
        await self.restart(kind)

    async def restart(self, kind: str) -> None:
        """What a Home Assistant restart does to the integration: unload, set up again.

        A restart while the cache on disk marks statistics as still to be written (readings
        committed, statistics not yet) is counted as one in the middle of a write.
        """
        if kind == "mid-poll" and await self.hass.async_add_executor_job(self._writes_pending):
            kind = "mid-write"
        self.figures.restarts[kind] += 1
        assert await self.hass.config_entries.async_reload(self.entry.entry_id)

    def _writes_pending(self) -> bool:
        """Whether the cache file holds a pending-statistics marker."""
        path = self.cache_file
        if not path.exists():
            return False
        # Not mode=ro: a WAL database whose last connection closed has no -shm file, which a
        # read-only connection cannot create. Only read here.
        with contextlib.closing(sqlite3.connect(path)) as db:
            rows = db.execute("SELECT value FROM meta WHERE key LIKE 'pending:%'").fetchall()
        return any(any(v is not None for v in json.loads(value).values()) for (value,) in rows)

    async def poll_at(self, moment: datetime) -> None:
        """Move the clock to `moment` and let whatever is due run to the end."""
        self.freezer.move_to(moment)
        async_fire_time_changed(self.hass, moment)
        await settle(self.hass)
        await self._settle_restarts()

    async def _settle_restarts(self) -> None:
        while self._restart_tasks:
            await self._restart_tasks.pop()
            await settle(self.hass)

    def _record_outcome(self, requests_before: int) -> None:
        if self.fake.count() == requests_before:
            return  # nothing polled this hour (not due yet, or polling stopped)
        self.figures.polls += 1
        coordinator = self.coordinator
        if not coordinator.last_update_success:
            self.figures.failed_polls += 1
            error = coordinator.last_exception
            while error is not None:
                self.figures.exception_texts.extend((str(error), repr(error)))
                error = error.__cause__ or error.__context__

    # -- the season ---------------------------------------------------------------------------

    async def set_up(self, start: datetime) -> None:
        """First setup and backfill, restarted once in the middle of it."""
        self.freezer.move_to(start)
        self.restart_during_next_requests(self.rng.randint(2, 6), "mid-backfill")
        assert await self.hass.config_entries.async_setup(self.entry.entry_id)
        await settle(self.hass)
        await self._settle_restarts()
        assert self.entry.state is ConfigEntryState.LOADED

    async def run(self, start: datetime) -> None:
        """Every hour of the season."""
        await self.set_up(start)
        for hour in range(1, self.hours + 1):
            moment = start + hour * HOUR
            before = self.fake.count()
            if hour == self.revoke_hour:
                self.fake.set_api_key(self.new_key)
            if hour in self.restart_hours and not self._revoked(hour):
                if self.rng.random() < 0.5:
                    await self.restart("between polls")
                else:
                    self.restart_during_next_requests(self.rng.randint(1, 8), "mid-poll")
            if hour == self.reauth_hour:
                await self.give_new_key()
            await self.poll_at(moment)
            self._check_reauth(hour, before)
            if not self._revoked(hour):
                self._record_outcome(before)
            if hour == self.refresh_hour:
                await self.correct_an_old_day(moment)
            if hour % 24 == 0 and self.on_day_end is not None:
                self.on_day_end()
        self.figures.wall_seconds = os.times().elapsed - self._started

    async def finish(self, end: datetime) -> None:
        """Faults off and one more poll: whatever failed last is fetched again."""
        assert self.fake.chaos is not None
        self.fake.chaos.enabled = False
        await self.poll_at(end + HOUR)
        await self.poll_at(end + 2 * HOUR)
        assert self.coordinator.last_update_success

    def _revoked(self, hour: int) -> bool:
        return self.revoke_hour <= hour < self.reauth_hour

    def _check_reauth(self, hour: int, requests_before: int) -> None:
        flows = self.reauth_flows()
        if hour < self.revoke_hour or hour >= self.reauth_hour:
            assert not flows, f"reauth flow at hour {hour}, the key was not revoked"
            return
        if hour == self.revoke_hour:
            # The first request with the revoked key gets a 401: reauth starts at once.
            assert len(flows) == 1, "no reauth flow right after the key was revoked"
            self.figures.reauth_started_at = self.fake.now
            return
        assert len(flows) == 1
        # Polling stops until the user gives a new key: the old one is never tried again.
        self.figures.requests_while_revoked += self.fake.count() - requests_before

    async def give_new_key(self) -> None:
        """Type the new key into the reauth flow (again if a fault made it fail)."""
        flow_id = self.reauth_flows()[0]["flow_id"]
        for _ in range(10):
            result = await self.hass.config_entries.flow.async_configure(
                flow_id, {CONF_API_KEY: self.new_key}
            )
            if result["type"] is FlowResultType.ABORT:
                assert result["reason"] == "reauth_successful"
                await settle(self.hass)
                assert self.entry.data[CONF_API_KEY] == self.new_key
                return
            assert result["errors"] == {"base": "cannot_connect"}, result
        msg = "the reauth flow kept failing"
        raise AssertionError(msg)

    async def correct_an_old_day(self, moment: datetime) -> None:
        """Octopus corrects a day older than the re-fetch window; the user asks for a refresh
        from that day (again if a fault made it fail, as the service tells)."""
        day = (moment - timedelta(days=12)).date()
        mpan = DEMO_IMPORT_MPAN
        start = next(t for t in self.fake.served_readings(mpan) if t.date() == day)
        self.fake.revise(mpan, start, self.fake.consumption_kwh(mpan, start) + 0.777)
        for _ in range(10):
            self.figures.refresh_calls += 1
            try:
                await self.hass.services.async_call(
                    DOMAIN, "refresh", {"from": day.isoformat()}, blocking=True
                )
            except HomeAssistantError as err:
                failure: HomeAssistantError | None = err
            else:
                failure = None
            await settle(self.hass)
            if failure is None:
                return
            assert failure.translation_key == "refresh_failed", failure
        msg = "the refresh service kept failing"
        raise AssertionError(msg)
