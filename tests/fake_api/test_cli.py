"""`python -m fake_octopus`: help, option parsing, and serving until cancelled."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime
import os
from pathlib import Path
import subprocess
import sys

import aiohttp
import pytest

from fake_octopus import DEMO_ACCOUNT_NUMBER, DEMO_API_KEY
from fake_octopus.__main__ import _serve, build_parser, main

ROOT = Path(__file__).resolve().parents[2]


def test_help_runs_as_a_module() -> None:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    result = subprocess.run(
        [sys.executable, "-m", "fake_octopus", "--help"],
        capture_output=True,
        text=True,
        check=True,
        cwd=ROOT,
        env=env,
        timeout=30,
    )
    for option in ("--host", "--port", "--now", "--history-start"):
        assert option in result.stdout


def test_options_parse() -> None:
    args = build_parser().parse_args(["--port", "0", "--now", "2025-07-01T12:00:00"])
    assert args.port == 0
    assert args.host == "127.0.0.1"
    assert args.now == datetime(2025, 7, 1, 11, tzinfo=UTC)  # naive = UK local
    with pytest.raises(SystemExit):
        build_parser().parse_args(["--now", "whenever"])
    with pytest.raises(SystemExit):
        main(["--help"])


async def test_serves_until_cancelled(
    socket_enabled: None, capsys: pytest.CaptureFixture[str]
) -> None:
    args = build_parser().parse_args(["--port", "0", "--now", "2025-11-20T12:00:00Z"])
    task = asyncio.create_task(_serve(args))
    try:
        for _ in range(100):
            await asyncio.sleep(0.01)
            out = capsys.readouterr().out
            if out:
                break
        assert DEMO_API_KEY in out
        assert DEMO_ACCOUNT_NUMBER in out
        url = out.split("Fake Octopus API:")[1].split()[0]
        async with (
            aiohttp.ClientSession() as session,
            session.get(f"{url}/v1/products/AGILE-24-10-01/") as response,
        ):
            assert response.status == 200
    finally:
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task
