"""Builders shared by the tariff and pricing tests (no tests here)."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

from custom_components.octopus_viz.api.models import Direction, RateRow, rate_row
from custom_components.octopus_viz.tariffs import Band, Tariff

FLUX_IMPORT: dict[str, Any] = {
    "unit": "electricity_importing_kwh",
    "currency": "GBP",
    "rates": [
        {"interval_start": "00:00", "interval_end": "02:00", "rate": 0.30720},
        {"interval_start": "02:00", "interval_end": "05:00", "rate": 0.18432},
        {"interval_start": "05:00", "interval_end": "16:00", "rate": 0.30720},
        {"interval_start": "16:00", "interval_end": "19:00", "rate": 0.43008},
        {"interval_start": "19:00", "interval_end": "24:00", "rate": 0.30720},
    ],
}
FLUX_EXPORT: dict[str, Any] = {
    "unit": "electricity_exporting_kwh",
    "currency": "GBP",
    "rates": [
        {"interval_start": "00:00", "interval_end": "02:00", "rate": 0.1972},
        {"interval_start": "02:00", "interval_end": "05:00", "rate": 0.07432},
        {"interval_start": "05:00", "interval_end": "16:00", "rate": 0.1972},
        {"interval_start": "16:00", "interval_end": "19:00", "rate": 0.32008},
        {"interval_start": "19:00", "interval_end": "24:00", "rate": 0.1972},
    ],
}
SEED_DOCUMENT: dict[str, Any] = {
    "meters": {
        "api_key": "sk_test",
        "serial": "21L1234567",
        "meters": [
            {"mpan": "1100000000001", "unit": "electricity_exporting_kwh"},
            {"mpan": "1100000000002", "unit": "electricity_importing_kwh"},
        ],
    },
    "tariffs": {"flux_export_2023-07": FLUX_EXPORT, "flux_import_2023-07": FLUX_IMPORT},
}

BASE = Decimal("0.3072")
LOW = Decimal("0.18432")
PEAK = Decimal("0.43008")


def utc(*args: int) -> datetime:
    """An aware UTC datetime."""
    return datetime(*args, tzinfo=UTC)  # type: ignore[arg-type, misc]


def flat(
    name: str,
    rate: str,
    start: datetime | None = None,
    end: datetime | None = None,
    direction: Direction = Direction.IMPORT,
) -> Tariff:
    """A one-band tariff."""
    return Tariff(
        name=name,
        direction=direction,
        valid_from=start,
        valid_to=end,
        bands=(Band(start_minute=0, end_minute=1440, rate=Decimal(rate)),),
    )


def row(
    pence: str,
    start: datetime | None,
    end: datetime | None,
    method: str | None = None,
    exc: str | None = None,
) -> RateRow:
    """A published row (pence); exc-VAT defaults to inc-VAT / 1.05 rounded."""
    inc = Decimal(pence)
    return rate_row(
        exc_vat=exc
        if exc is not None
        else str((inc / Decimal("1.05")).quantize(Decimal("0.0001"))),
        inc_vat=str(inc),
        start=None if start is None else int(start.timestamp()),
        end=None if end is None else int(end.timestamp()),
        payment_method=method,
    )
