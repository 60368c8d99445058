"""Repairs platform: the "half-hours without a tariff" issue leads to the tariff editor.

The issue names the periods no tariff covers. Its fix flow explains what to do and, once
confirmed, hands over to the entry's options flow (the repairs dialog opens it in place,
through the result's `next_flow`), where a custom tariff can be added or extended, or the
meter switched back to the account's tariffs. Finishing the fix flow removes the issue; the
next pricing raises it again if half-hours are still unpriced, so it can never hide a gap.
"""

from __future__ import annotations

from typing import Any, Final

from homeassistant.components.repairs import FlowType, RepairsFlow, RepairsFlowResult
from homeassistant.core import HomeAssistant
from homeassistant.helpers import issue_registry as ir

from .const import DOMAIN

ISSUE_DATA_ENTRY_ID: Final = "entry_id"


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
