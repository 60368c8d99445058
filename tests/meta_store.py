"""A cache's meta table in memory, and a `run_blocking` that runs at once (tests, benchmarks)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any


class MemoryStore:
    """The MetaStore protocol over a dict."""

    def __init__(self) -> None:
        """Empty, as a new cache."""
        self.values: dict[str, Any] = {}

    def get_meta(self, key: str, default: Any = None) -> Any:
        """A stored value."""
        return self.values.get(key, default)

    def set_meta(self, values: dict[str, Any]) -> None:
        """Store values by key."""
        self.values.update(values)


async def run_now(function: Callable[..., Any], *args: Any) -> Any:
    """Run blocking work right away (nothing here is slow enough to need a thread)."""
    return function(*args)
