"""The config flow's form pieces: the history choice and the gas unit selector.

Kept apart from the flow's steps (config_flow.py) so that module stays about the steps.
The history start is stored as before (an ISO UK day, or None for "all the API has"); the
form shows it as an explicit choice, read back from the stored value.
"""

from __future__ import annotations

from datetime import date
from typing import Final

from homeassistant.helpers.selector import (
    SelectSelector,
    SelectSelectorConfig,
    SelectSelectorMode,
)

from .api.models import Fuel, ReadingUnit
from .discovery import natural_date

CONF_HISTORY: Final = "history"  # the choice; CONF_HISTORY_FROM is what is stored
HISTORY_ALL: Final = "all"
HISTORY_AGREEMENT: Final = "agreement"
HISTORY_DATE: Final = "date"
CONF_GAS_UNIT: Final = "gas_unit"
GAS: Final = Fuel.GAS.value  # the manual form's third "direction": a gas meter (gas import)

# Nothing in the API says whether a gas meter counts m³ or kWh: the user says (m³ first).
UNIT_SELECTOR: Final = SelectSelector(
    SelectSelectorConfig(
        options=[u.value for u in (ReadingUnit.M3, ReadingUnit.KWH)],
        translation_key=CONF_GAS_UNIT,
        mode=SelectSelectorMode.LIST,
    )
)


def history_choice(history_from: str | None, agreement_start: str | None) -> str:
    """The stored history start as the form's choice."""
    if history_from is None:
        return HISTORY_ALL
    if history_from == agreement_start:
        return HISTORY_AGREEMENT
    return HISTORY_DATE


def history_selector(agreement_start: str | None) -> SelectSelector:
    """All data / from the earliest agreement (when one is known) / from a date."""
    options = [HISTORY_ALL, HISTORY_DATE]
    if agreement_start is not None:
        options.insert(1, HISTORY_AGREEMENT)
    return SelectSelector(
        SelectSelectorConfig(
            options=options, translation_key=CONF_HISTORY, mode=SelectSelectorMode.LIST
        )
    )


def natural(iso_day: str | None) -> str:
    """An ISO day as '15 Jan 2023' for a form's text ('unknown' when there is none)."""
    return natural_date(date.fromisoformat(iso_day)) if iso_day else "unknown"
