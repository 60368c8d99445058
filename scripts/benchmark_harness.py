"""The harness of scripts/benchmark.py: a real Home Assistant with a real recorder,
the fake Octopus API in a process of its own, the event loop's stalls and the collector's
pauses watched, CPU time of this process and of the database server.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
import gc
import os
from pathlib import Path
import socket
import subprocess
import sys
import time
from typing import Any
from unittest.mock import patch

from homeassistant import loader
from homeassistant.helpers import recorder as recorder_helper
from homeassistant.setup import async_setup_component
from pytest_homeassistant_custom_component.common import async_test_home_assistant

from custom_components.octopus_viz.api.client import OctopusClient
from custom_components.octopus_viz.api.const import ENV_API_URL
from custom_components.octopus_viz.comparison import TariffComparison
from custom_components.octopus_viz.const import DOMAIN
from tests.databases import DatabaseServer
from tests.databases.server import cpu_seconds

ROOT = Path(__file__).resolve().parent.parent


class LoopWatch:
    """Measures the event loop's stalls (a task that wants to wake every 5 ms), and tells
    those that overlap a pause of Python's cyclic garbage collector from the others.

    A full collection stops every thread, whichever thread's allocations triggered it, and
    lasts in proportion to all the objects Home Assistant holds; the recorder alone causes
    them too. "Other stalls" are the blocking steps of the code itself.
    """

    def __init__(self) -> None:
        self.stalls: list[tuple[float, float]] = []
        self.gc_pauses: list[tuple[float, float]] = []
        self.full_collections = 0
        self._gc_start = 0.0
        self._task: asyncio.Task[None] | None = None
        gc.callbacks.append(self._on_gc)

    def _on_gc(self, phase: str, info: dict[str, Any]) -> None:
        if phase == "start":
            self._gc_start = time.perf_counter()
            self.full_collections += info["generation"] == 2
        else:
            self.gc_pauses.append((self._gc_start, time.perf_counter()))

    async def _run(self) -> None:
        while True:
            before = time.perf_counter()
            await asyncio.sleep(0.005)
            after = time.perf_counter()
            self.stalls.append((before + 0.005, after))

    def start(self) -> None:
        self.stalls.clear()
        self.gc_pauses.clear()
        self.full_collections = 0
        self._task = asyncio.get_running_loop().create_task(self._run())

    def stop(self) -> float:
        """The worst stall; `report` has the details."""
        assert self._task is not None
        self._task.cancel()
        return max((end - start for start, end in self.stalls), default=0.0)

    def report(self, figures: dict[str, float], label: str) -> None:
        """Worst stall, worst stall without a GC pause in it, and the GC pauses."""
        full = [(a, b) for a, b in self.gc_pauses if b - a > 0.02]
        figures[f"event loop worst stall, {label}"] = self.stop()
        figures[f"  worst stall without a GC pause, {label}"] = max(
            (
                end - start
                for start, end in self.stalls
                if not any(a < end and start < b for a, b in full)
            ),
            default=0.0,
        )
        figures[f"  GC pauses over 20 ms, {label}"] = len(full)
        figures[f"  GC pause total, {label}"] = sum(b - a for a, b in self.gc_pauses)
        figures[f"  full (generation 2) GCs, {label}"] = self.full_collections


@contextmanager
def timed(results: dict[str, float], name: str):  # type: ignore[no-untyped-def]
    start = time.perf_counter()
    yield
    results[name] = time.perf_counter() - start


@contextmanager
def cpu_shares(
    results: dict[str, float], label: str, server: DatabaseServer | None
) -> Iterator[None]:
    """CPU time of this process (integration, Home Assistant, recorder thread) and of the
    database server meanwhile: unlike wall time, not inflated by other load on the machine."""
    cpu, server_cpu = time.process_time(), server.cpu_seconds() if server else 0.0
    yield
    results[f"  CPU of this process, {label}"] = time.process_time() - cpu
    if server:
        results[f"  database server CPU, {label}"] = server.cpu_seconds() - server_cpu


class ProcessFake:
    """The fake API in its own process (so serving it costs this process nothing); requests
    are counted on the client side, where the integration makes them."""

    def __init__(self, now: datetime) -> None:
        self.now = now
        self.paths: list[str] = []
        self._proc: subprocess.Popen[str] | None = None
        self._patch = patch.object(OctopusClient, "_request", self._counting())
        self.url = ""

    def _counting(self):  # type: ignore[no-untyped-def]
        original = OctopusClient._request
        paths = self.paths

        async def counted(client: OctopusClient, url: Any) -> Any:
            paths.append(str(url.path))
            return await original(client, url)

        return counted

    def __enter__(self) -> ProcessFake:
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            port = probe.getsockname()[1]
        self._proc = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "fake_octopus",
                "--port",
                str(port),
                "--now",
                self.now.isoformat(),
            ],
            cwd=ROOT,
            stdout=subprocess.PIPE,
            text=True,
        )
        assert self._proc.stdout is not None
        self._proc.stdout.readline()  # "Fake Octopus API: <url>" once it listens
        self.url = f"http://127.0.0.1:{port}"
        self._patch.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._patch.stop()
        assert self._proc is not None
        self._proc.terminate()
        self._proc.wait()

    def cpu_seconds(self) -> float:
        """CPU time the fake server's process has used so far (Linux /proc)."""
        assert self._proc is not None
        return cpu_seconds(self._proc.pid)

    def count(self, path_contains: str = "") -> int:
        return sum(path_contains in p for p in self.paths)

    def reset_counts(self) -> None:
        self.paths.clear()


async def bench_hass(config_dir: Path):  # type: ignore[no-untyped-def]
    (config_dir / "custom_components").mkdir(parents=True, exist_ok=True)
    link = config_dir / "custom_components" / DOMAIN
    if not link.exists():
        link.symlink_to(ROOT / "custom_components" / DOMAIN)
    return async_test_home_assistant(config_dir=str(config_dir))


async def start_recorder(hass: Any, url: str, db: str) -> None:
    os.environ[ENV_API_URL] = url
    hass.data.pop(loader.DATA_CUSTOM_COMPONENTS, None)
    recorder_helper.async_initialize_recorder(hass)
    assert await async_setup_component(hass, "recorder", {"recorder": {"db_url": db}})
    await hass.data[recorder_helper.DATA_RECORDER].db_connected
    await hass.async_block_till_done()


def capturing(captured: list[tuple[Any, list[Any]]]) -> Any:
    """Stands in for the recorder's import: keeps each row as a tuple (what the recorder
    would hold in its queue is the recorder's business, not the integration's)."""

    def capture(_hass: Any, metadata: Any, rows: list[Any]) -> None:
        captured.append((metadata, [(r["start"], r["state"], r["sum"]) for r in rows]))

    return capture


async def _no_start(_comparison: TariffComparison) -> None:
    """The comparison's start, held back."""


def comparison_held_back() -> Any:
    """Hold back the tariff comparison's start (its first fetch of candidate rates, a
    background task after the backfill) so a measured backfill is the backfill alone."""
    return patch.object(TariffComparison, "async_start", _no_start)
