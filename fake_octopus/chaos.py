"""Seeded random faults: a fraction of requests fail, reproducibly, the way Octopus fails.

`FakeOctopus.fail(...)` queues faults a test asks for one by one; a `RandomFaults` plan instead
decides request by request, from its own seeded generator, whether the request fails and how.
The same seed and the same sequence of requests give the same faults, so a failing season can
be replayed. Every injected fault is counted by kind for the figures a soak test prints.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass
import random
from typing import Final

from .faults import FAULT_KINDS

# Kinds a random plan may draw. 401 and 404 are left out: they are not transient (a 401 means
# the key was revoked, which a test does on purpose, see FakeOctopus.set_api_key).
RANDOM_KINDS: Final = frozenset(FAULT_KINDS - {"unauthorized", "not_found"})
# What fails a page asked for through a `next` link (page 2 and later of a listing).
NEXT_PAGE_KIND: Final = "next_page"

# Roughly how Octopus fails in practice: CDN 403 pages and 5xx most often, timeouts rarely.
DEFAULT_WEIGHTS: Final[Mapping[str, float]] = {
    "forbidden_html": 4,
    "rate_limited": 3,
    "server_error": 2,
    "bad_gateway": 2,
    "service_unavailable": 2,
    "slow": 1,
    "hang": 1,
    "malformed_json": 1,
    "not_json": 1,
    "missing_fields": 1,
}


@dataclass(frozen=True, slots=True)
class Draw:
    """A fault drawn for one request: its kind and what it is counted as."""

    kind: str
    counted_as: str


class RandomFaults:
    """Fail a `rate` of requests with a kind drawn by weight; pages past the first fail at
    `next_page_rate` on top (as a server error), so listings break in the middle too."""

    def __init__(
        self,
        seed: int,
        rate: float,
        weights: Mapping[str, float] | None = None,
        *,
        next_page_rate: float = 0.0,
        slow_delay: float = 1.0,
    ) -> None:
        """Validate the plan; `slow_delay` is how long a "slow" fault holds a request."""
        chosen = dict(DEFAULT_WEIGHTS if weights is None else weights)
        unknown = set(chosen) - RANDOM_KINDS
        if unknown:
            msg = f"kinds {sorted(unknown)} cannot be drawn; choose from {sorted(RANDOM_KINDS)}"
            raise ValueError(msg)
        if not chosen or any(w < 0 for w in chosen.values()) or sum(chosen.values()) <= 0:
            msg = "weights must be non-negative and not all zero"
            raise ValueError(msg)
        for name, value in (("rate", rate), ("next_page_rate", next_page_rate)):
            if not 0.0 <= value <= 1.0:
                msg = f"{name} must be between 0 and 1"
                raise ValueError(msg)
        self._random = random.Random(seed)
        self._kinds = list(chosen)
        self._weights = list(chosen.values())
        self.rate = rate
        self.next_page_rate = next_page_rate
        self.slow_delay = slow_delay
        self.enabled = True
        self.counts: Counter[str] = Counter()

    def draw(self, query: Mapping[str, str]) -> Draw | None:
        """The fault for a request with this query string, or None (the request is served).

        One number is drawn per request whatever happens, so what a request gets depends only
        on the seed and its position in the sequence.
        """
        roll = self._random.random()
        kind = self._random.choices(self._kinds, self._weights)[0]
        if not self.enabled:
            return None
        if roll < self.rate:
            self.counts[kind] += 1
            return Draw(kind, kind)
        later_page = query.get("page", "1") not in {"", "1"}
        if later_page and roll < self.rate + self.next_page_rate:
            self.counts[NEXT_PAGE_KIND] += 1
            return Draw("server_error", NEXT_PAGE_KIND)
        return None

    @property
    def total(self) -> int:
        """Faults injected so far."""
        return sum(self.counts.values())
