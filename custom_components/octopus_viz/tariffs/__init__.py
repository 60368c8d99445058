"""The tariff engine: what a half-hour costs, from any tariff (pure: no Home Assistant).

The middle layer: it imports `api` only, never `history` or the Home Assistant glue.
- model: Band, Tariff, TariffCode, TariffConfigError;
- rates: rate intervals and their column form (RateSeries);
- segments: one tariff as rate segments (bands follow the UK clocks);
- timeline: Timeline (a meter's tariffs; rate_at, next_change, standing charges);
- document: the users' config document and the stored dict form of a tariff;
- octopus_rows: building a tariff from published Octopus rate rows;
- account_loader: a meter's tariffs from its agreements, keeping rows already fetched;
- pricing: readings priced against a timeline (exact money);
- calorific: gas m³ to kWh with the calorific values in force (exact);
- source: where a meter's prices come from (agreements or custom tariffs);
- options: the options flow's tariff logic; keys: the entry keys it reads.
This module re-exports the names callers use most.
"""

from __future__ import annotations

from ..api.local_time import LOCAL_TZ
from .document import (
    DIRECTION_TO_UNIT,
    FLOW_TO_UNIT,
    FLOWS,
    UNIT_EXPORT,
    UNIT_GAS,
    UNIT_IMPORT,
    UNIT_TO_DIRECTION,
    UNIT_TO_FLOW,
    ConfigDocument,
    ConfiguredMeter,
    flow_label,
    parse_config_document,
    tariff_from_dict,
    tariff_to_dict,
)
from .model import (
    E7_NIGHT_END_MINUTE,
    E7_NIGHT_START_MINUTE,
    Band,
    Tariff,
    TariffCode,
    TariffConfigError,
    TariffIssue,
    parse_tariff_code,
)
from .octopus_rows import build_api_tariff, rows_to_intervals, select_payment_rows
from .rates import RateInterval
from .timeline import NEXT_CHANGE_HORIZON, RateSegment, Timeline

__all__ = [
    "DIRECTION_TO_UNIT",
    "E7_NIGHT_END_MINUTE",
    "E7_NIGHT_START_MINUTE",
    "FLOWS",
    "FLOW_TO_UNIT",
    "LOCAL_TZ",
    "NEXT_CHANGE_HORIZON",
    "UNIT_EXPORT",
    "UNIT_GAS",
    "UNIT_IMPORT",
    "UNIT_TO_DIRECTION",
    "UNIT_TO_FLOW",
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
    "flow_label",
    "parse_config_document",
    "parse_tariff_code",
    "rows_to_intervals",
    "select_payment_rows",
    "tariff_from_dict",
    "tariff_to_dict",
]
