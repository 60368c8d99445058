"""The tariff engine's public API in one place (pure Python, no Home Assistant).

The implementation is split by concern:
- tariff_model: Band, RateInterval, Tariff, TariffCode, TariffConfigError and time helpers;
- tariff_segments: one tariff as rate segments (bands follow the UK clocks);
- tariff_timeline: Timeline (a meter's tariffs; rate_at, next_change, standing charges);
- tariff_config: the users' config document and the stored dict form of a tariff;
- tariff_rows: building a tariff from published Octopus rate rows.
Pricing of readings lives in pricing.py.
"""

from __future__ import annotations

from .rate_series import RateInterval
from .tariff_config import (
    DIRECTION_TO_UNIT,
    UNIT_EXPORT,
    UNIT_IMPORT,
    UNIT_TO_DIRECTION,
    ConfigDocument,
    ConfiguredMeter,
    parse_config_document,
    tariff_from_dict,
    tariff_to_dict,
)
from .tariff_model import (
    E7_NIGHT_END_MINUTE,
    E7_NIGHT_START_MINUTE,
    LOCAL_TZ,
    Band,
    Tariff,
    TariffCode,
    TariffConfigError,
    TariffIssue,
    parse_tariff_code,
)
from .tariff_rows import build_api_tariff, rows_to_intervals, select_payment_rows
from .tariff_timeline import NEXT_CHANGE_HORIZON, RateSegment, Timeline

__all__ = [
    "DIRECTION_TO_UNIT",
    "E7_NIGHT_END_MINUTE",
    "E7_NIGHT_START_MINUTE",
    "LOCAL_TZ",
    "NEXT_CHANGE_HORIZON",
    "UNIT_EXPORT",
    "UNIT_IMPORT",
    "UNIT_TO_DIRECTION",
    "Band",
    "ConfigDocument",
    "ConfiguredMeter",
    "RateInterval",
    "RateSegment",
    "Tariff",
    "TariffCode",
    "TariffConfigError",
    "TariffIssue",
    "Timeline",
    "build_api_tariff",
    "parse_config_document",
    "parse_tariff_code",
    "rows_to_intervals",
    "select_payment_rows",
    "tariff_from_dict",
    "tariff_to_dict",
]
