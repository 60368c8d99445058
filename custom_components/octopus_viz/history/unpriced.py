"""Which cached half-hours no tariff priced, as runs of instants (for the repair issue).

Pure Python, no Home Assistant import.
"""

from __future__ import annotations

from datetime import UTC, datetime

from ..api.local_time import HALF_HOUR_SECONDS
from .columns import Columns


def _utc(epoch: int) -> datetime:
    return datetime.fromtimestamp(epoch, UTC)


def unpriced_runs(columns: Columns) -> list[tuple[datetime, datetime]]:
    """Contiguous runs of unpriced half-hours as [start, end) instants."""
    runs: list[tuple[datetime, datetime]] = []
    run_start: int | None = None
    previous_end = 0
    for start, priced in zip(columns.starts, columns.money.priced, strict=True):
        if not priced:
            if run_start is None or start != previous_end:
                if run_start is not None:
                    runs.append((_utc(run_start), _utc(previous_end)))
                run_start = start
            previous_end = start + HALF_HOUR_SECONDS
        elif run_start is not None:
            runs.append((_utc(run_start), _utc(previous_end)))
            run_start = None
    if run_start is not None:
        runs.append((_utc(run_start), _utc(previous_end)))
    return runs
