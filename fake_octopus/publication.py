"""When readings appear and how they change afterwards: late, out-of-order days and revisions.

By default the fake publishes each UK day's readings at 10:00 the next day, once and for all.
Octopus is messier, and a soak test needs that mess, reproducibly:

* `LatePublication`: from a given day on, each day is published 1-5 days late (drawn per day
  from a seeded generator), at an hour of its own, so a day can appear before the one before it;
* `RevisionPlan`: some published days have a run of half-hours revised later, some twice, always
  within a week of the day (the window a client is expected to re-read).

Both are pure functions of the seed and of `now`: what the fake serves at an instant does not
depend on which requests came before, so a test can compute the final truth on its own.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
import random

from .clock import from_index, local_date, local_midnight, to_index

_NORMAL_PUBLICATION = timedelta(days=1, hours=10)  # the fake's usual rule: 10:00 the next day
_REVISION_HORIZON = timedelta(days=7)  # revisions land within a week of the day's start


class LatePublication:
    """Days from `first_day` on are published `min_days`..`max_days` late, each at its own hour."""

    def __init__(self, seed: int, first_day: date, min_days: int = 1, max_days: int = 5) -> None:
        """Validate the delays (at least a day: a day is never published before it ends)."""
        if not 1 <= min_days <= max_days:
            msg = "delays must satisfy 1 <= min_days <= max_days"
            raise ValueError(msg)
        self.seed = seed
        self.first_day = first_day
        self.min_days = min_days
        self.max_days = max_days
        self._memo: dict[date, datetime] = {}

    def published_at(self, day: date) -> datetime:
        """The instant a local day's readings become available (UTC)."""
        known = self._memo.get(day)
        if known is not None:
            return known
        if day < self.first_day:
            moment = local_midnight(day) + _NORMAL_PUBLICATION
        else:
            rng = random.Random(f"{self.seed}:published:{day.toordinal()}")
            delay = rng.randint(self.min_days, self.max_days)
            hour = rng.randint(0, 23)
            minute = rng.choice((0, 30))
            moment = local_midnight(day + timedelta(days=delay)) + timedelta(
                hours=hour, minutes=minute
            )
        self._memo[day] = moment
        return moment

    def available(self, low: int, high: int, now: datetime) -> list[int]:
        """Half-hour indices in [low, high) whose day is published at `now`, in order."""
        if low >= high:
            return []
        indices: list[int] = []
        day = local_date_of_index(low)
        while True:
            start, end = to_index(local_midnight(day)), to_index(local_midnight(day + _DAY))
            if start >= high:
                return indices
            if self.published_at(day) <= now:
                indices.extend(range(max(start, low), min(end, high)))
            day += _DAY

    def edge(self, now: datetime) -> int:
        """Index after which nothing can be published yet (the start of today, local)."""
        return to_index(local_midnight(local_date(now)))


@dataclass(frozen=True, slots=True)
class Revision:
    """A run of half-hours of one meter corrected at `at`: value = old x factor + extra."""

    at: datetime
    first: int
    count: int
    factor: float
    extra: float

    def revise(self, value: float) -> float:
        """The corrected reading (3 decimals, never negative)."""
        return round(max(value * self.factor + self.extra, 0.0), 3)


class RevisionPlan:
    """A `share` of published days (from `first_day` on, per meter) get revised; a
    `twice_share` of those are revised a second time, later."""

    def __init__(
        self,
        seed: int,
        first_day: date,
        publication: LatePublication,
        share: float = 0.15,
        twice_share: float = 0.4,
    ) -> None:
        """Revisions follow `publication`: a day is revised only once it is out."""
        self.seed = seed
        self.first_day = first_day
        self.publication = publication
        self.share = share
        self.twice_share = twice_share
        self._memo: dict[tuple[str, date], tuple[Revision, ...]] = {}

    def revisions(self, mpan: str, day: date) -> tuple[Revision, ...]:
        """The revisions of a meter's local day, oldest first (none before `first_day`)."""
        key = (mpan, day)
        known = self._memo.get(key)
        if known is not None:
            return known
        found: tuple[Revision, ...] = ()
        rng = random.Random(f"{self.seed}:revised:{mpan}:{day.toordinal()}")
        if day >= self.first_day and rng.random() < self.share:
            start, end = to_index(local_midnight(day)), to_index(local_midnight(day + _DAY))
            count = rng.randint(1, 6)
            first = rng.randrange(start, end - count + 1)
            earliest = self.publication.published_at(day) + timedelta(minutes=1)
            deadline = local_midnight(day) + _REVISION_HORIZON
            times = [_between(rng, earliest, deadline)]
            if rng.random() < self.twice_share:
                times.append(_between(rng, times[0] + timedelta(minutes=1), deadline))
            found = tuple(
                Revision(at, first, count, rng.uniform(0.3, 1.8), rng.uniform(0.0, 0.3))
                for at in times
                if at < deadline
            )
        self._memo[key] = found
        return found

    def value_at(
        self, base: Callable[[str, int], float], now: datetime, mpan: str, index: int
    ) -> float:
        """The reading served at `now`: the base value with every revision made by then."""
        value = base(mpan, index)
        for revision in self.revisions(mpan, local_date_of_index(index)):
            if revision.at <= now and revision.first <= index < revision.first + revision.count:
                value = revision.revise(value)
        return value

    def made_until(self, mpans: tuple[str, ...], last_day: date, now: datetime) -> int:
        """How many revisions were made by `now` on days up to `last_day`."""
        made = 0
        day = self.first_day
        while day <= last_day:
            for mpan in mpans:
                made += sum(1 for r in self.revisions(mpan, day) if r.at <= now)
            day += _DAY
        return made


_DAY = timedelta(days=1)


def local_date_of_index(index: int) -> date:
    """The UK local day a half-hour (by index) belongs to."""
    return local_date(from_index(index))


def _between(rng: random.Random, earliest: datetime, latest: datetime) -> datetime:
    """A whole minute drawn in [earliest, latest) (earliest itself when the span is empty)."""
    minutes = int((latest - earliest).total_seconds() // 60)
    return earliest + timedelta(minutes=rng.randrange(minutes) if minutes > 0 else 0)
