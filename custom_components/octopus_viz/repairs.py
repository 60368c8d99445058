"""Repairs: the "half-hours without a tariff" issue, raised after each pricing of a meter
(`async_report_unpriced`), and its fix flow to the tariff editor.

The issue names the periods no tariff covers. Its fix flow explains what to do and, once
confirmed, hands over to the entry's options flow (the repairs dialog opens it in place,
through the result's `next_flow`), where a custom tariff can be added or extended, or the
meter switched back to the account's tariffs. Finishing the fix flow removes the issue; the
next pricing raises it again if half-hours are still unpriced, so it can never hide a gap.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any, Final

from homeassistant.components.repairs import FlowType, RepairsFlow, RepairsFlowResult
from homeassistant.core import HomeAssistant
from homeassistant.helpers import issue_registry as ir

from .api.local_time import local_slot
from .api.models import MeterConfig
from .const import DOMAIN

ISSUE_DATA_ENTRY_ID: Final = "entry_id"
SHOWN_PERIODS: Final = 5
_HALF_HOUR = timedelta(minutes=30)


def async_report_unpriced(
    hass: HomeAssistant,
    entry_id: str,
    meter: MeterConfig,
    unpriced: Sequence[tuple[datetime, datetime]],
) -> None:
    """Raise the meter's issue naming its unpriced periods (UTC runs, the end exclusive), or
    delete it when there are none."""
    issue_id = f"unpriced_{entry_id}_{meter.mpan}"
    if not unpriced:
        ir.async_delete_issue(hass, DOMAIN, issue_id)
        return
    # UK days, first and last inclusive.
    shown = ", ".join(
        f"{local_slot(a)[0].isoformat()} to {local_slot(b - _HALF_HOUR)[0].isoformat()}"
        for a, b in unpriced[:SHOWN_PERIODS]
    )
    if len(unpriced) > SHOWN_PERIODS:
        shown += f" (+{len(unpriced) - SHOWN_PERIODS})"
    ir.async_create_issue(
        hass,
        DOMAIN,
        issue_id,
        is_fixable=True,  # its fix flow, below, opens the tariff editor
        data={ISSUE_DATA_ENTRY_ID: entry_id},
        severity=ir.IssueSeverity.WARNING,
        translation_key="unpriced_periods",
        translation_placeholders={
            "mpan": meter.mpan,
            "direction": meter.flow,
            "periods": shown,
        },
    )


class UnpricedPeriodsFlow(RepairsFlow):
    """Explain the unpriced half-hours, then open the options flow of their entry."""

    def __init__(self, entry_id: str | None) -> None:
        """Remember the entry whose options hold the tariffs."""
        self._entry_id = entry_id

    async def async_step_init(self, user_input: dict[str, Any] | None = None) -> RepairsFlowResult:
        """Start at the explanation."""
        return await self.async_step_confirm()

    async def async_step_confirm(
        self, user_input: dict[str, Any] | None = None
    ) -> RepairsFlowResult:
        """Show what is unpriced; on confirmation, continue in the tariff editor."""
        entry = self.hass.config_entries.async_get_entry(self._entry_id) if self._entry_id else None
        if entry is None:
            return self.async_abort(reason="entry_removed")
        if user_input is not None:
            options = await self.hass.config_entries.options.async_init(entry.entry_id)
            return self.async_create_entry(
                data={}, next_flow=(FlowType.OPTIONS_FLOW, options["flow_id"])
            )
        issue = ir.async_get(self.hass).async_get_issue(DOMAIN, self.issue_id)
        placeholders = dict(issue.translation_placeholders or {}) if issue else {}
        return self.async_show_form(
            step_id="confirm",
            description_placeholders={
                "mpan": placeholders.get("mpan", ""),
                "direction": placeholders.get("direction", ""),
                "periods": placeholders.get("periods", ""),
            },
        )


async def async_create_fix_flow(
    hass: HomeAssistant, issue_id: str, data: dict[str, str | int | float | None] | None
) -> RepairsFlow:
    """The fix flow of an issue raised by this integration (only unpriced periods are)."""
    entry_id = (data or {}).get(ISSUE_DATA_ENTRY_ID)
    return UnpricedPeriodsFlow(entry_id if isinstance(entry_id, str) else None)
