"""Run awaitables concurrently, all or nothing (no Home Assistant import).

Used where independent requests may overlap: the pages of a long listing, the meters of an
account. The first failure cancels the others, so no request is left running on its own,
and it is raised as itself (not wrapped in an ExceptionGroup) for the callers' usual
`except` clauses.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Iterable
import inspect


async def run_together[T](awaitables: Iterable[Awaitable[T]], limit: int | None = None) -> list[T]:
    """Results in the order given; at most `limit` awaitables running at once."""
    semaphore = asyncio.Semaphore(limit) if limit is not None else None

    async def run(awaitable: Awaitable[T]) -> T:
        if semaphore is None:
            return await awaitable
        async with semaphore:
            return await awaitable

    pending = list(awaitables)
    try:
        async with asyncio.TaskGroup() as group:
            tasks = [group.create_task(run(awaitable)) for awaitable in pending]
    except ExceptionGroup as err:
        # Coroutines cancelled before their turn never ran: close them, or each one warns
        # "was never awaited" when it is collected.
        for awaitable in pending:
            if inspect.iscoroutine(awaitable) and inspect.getcoroutinestate(awaitable) == (
                inspect.CORO_CREATED
            ):
                awaitable.close()
        raise err.exceptions[0] from None
    return [task.result() for task in tasks]
