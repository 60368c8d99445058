"""run_together: results in order, the first failure raised as itself, nothing left behind."""

from __future__ import annotations

import asyncio
import gc
import inspect
import warnings

import pytest

from custom_components.octopus_viz.api.concurrency import run_together


async def _value(value: int) -> int:
    await asyncio.sleep(0)
    return value


async def _fail() -> int:
    raise LookupError("page 2 failed")


async def test_results_in_order_with_a_limit() -> None:
    assert await run_together((_value(n) for n in range(7)), limit=2) == list(range(7))


async def test_first_failure_raised_and_waiting_coroutines_closed() -> None:
    """Found by the season soak test: pages cancelled before their turn warned 'coroutine
    ... was never awaited' when collected."""
    waiting = [_value(n) for n in range(3)]
    with warnings.catch_warnings():
        warnings.simplefilter("error", RuntimeWarning)
        with pytest.raises(LookupError, match="page 2 failed"):
            await run_together([_fail(), *waiting], limit=1)
        gc.collect()
    assert all(inspect.getcoroutinestate(c) == inspect.CORO_CLOSED for c in waiting)
