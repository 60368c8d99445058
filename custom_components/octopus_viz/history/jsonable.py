"""Turn aggregation results into JSON-ready values for websocket commands and services.

Pure Python. Home Assistant's JSON encoder knows neither `Decimal` nor nested frozen
dataclasses, so results are converted here once: dataclasses become dicts, `Decimal` becomes
float (money is only rounded by whoever displays it), dates and datetimes ISO 8601 strings,
tuples lists.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import fields, is_dataclass
from datetime import date, datetime
from decimal import Decimal
from enum import Enum

type JsonValue = bool | int | float | str | list[JsonValue] | dict[str, JsonValue] | None


def to_json(value: object) -> JsonValue:
    """JSON-ready copy of a result (Totals, Summary, Profile, Heatmap, HourSum, lists of them).

    Raises TypeError for a value it does not know.
    """
    # Most calls are heatmap cells: test the cell types first.
    if value is None or isinstance(value, float):
        return value
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, (tuple, list)):
        return [to_json(item) for item in value]
    if isinstance(value, Mapping):
        return {str(key): to_json(item) for key, item in value.items()}
    if isinstance(value, Enum):
        return to_json(value.value)
    if isinstance(value, (bool, int, str)):
        return value
    if isinstance(value, datetime | date):
        return value.isoformat()
    if is_dataclass(value) and not isinstance(value, type):
        return {field.name: to_json(getattr(value, field.name)) for field in fields(value)}
    raise TypeError(f"not convertible to JSON: {type(value).__name__}")
