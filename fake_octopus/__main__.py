"""Run the fake Octopus API standalone: `python -m fake_octopus --port 8099 [--now ISO]`."""

from __future__ import annotations

import argparse
import asyncio
from collections.abc import Sequence
import contextlib
from datetime import datetime

from .clock import parse_api_datetime
from .demo import DEMO_ACCOUNT_NUMBER, DEMO_API_KEY
from .server import FakeOctopus


def _instant(text: str) -> datetime:
    try:
        return parse_api_datetime(text)
    except ValueError:
        msg = f"not an ISO 8601 date/time: {text!r}"
        raise argparse.ArgumentTypeError(msg) from None


def build_parser() -> argparse.ArgumentParser:
    """The command line options."""
    parser = argparse.ArgumentParser(
        prog="python -m fake_octopus",
        description="Serve a fake Octopus Energy REST API with a deterministic demo account.",
    )
    parser.add_argument("--host", default="127.0.0.1", help="address to bind (default 127.0.0.1)")
    parser.add_argument("--port", type=int, default=8099, help="port to bind (default 8099)")
    parser.add_argument(
        "--now",
        type=_instant,
        default=None,
        help="freeze the clock at this ISO time (naive = UK local); default: follow the clock",
    )
    parser.add_argument(
        "--history-start",
        type=_instant,
        default=None,
        help="first half hour of import data (default 2023-01-15T00:00Z)",
    )
    return parser


async def _serve(args: argparse.Namespace) -> None:
    fake = FakeOctopus(now=args.now, history_start=args.history_start)
    await fake.start(host=args.host, port=args.port)
    print(f"Fake Octopus API: {fake.url}", flush=True)
    print(f"API key:          {DEMO_API_KEY}", flush=True)
    print(f"Account number:   {DEMO_ACCOUNT_NUMBER}", flush=True)
    try:
        await asyncio.Event().wait()  # until interrupted
    finally:
        await fake.stop()


def main(argv: Sequence[str] | None = None) -> None:
    """Parse the options and serve until Ctrl-C."""
    args = build_parser().parse_args(argv)
    with contextlib.suppress(KeyboardInterrupt):  # Ctrl-C is the normal way to stop
        asyncio.run(_serve(args))


if __name__ == "__main__":
    main()
