"""Serve the card from the integration's own folder and load it in every dashboard.

Users get `custom:octopus-viz-card` without adding a Lovelace resource by hand. The URL
carries the version so browsers fetch the new file after an update.
"""

from __future__ import annotations

from pathlib import Path

from homeassistant.components.http.server import StaticPathConfig
from homeassistant.core import HomeAssistant

from .api.const import VERSION
from .const import DOMAIN

CARD_FILE = Path(__file__).parent / "frontend" / "octopus-viz-card.js"
CARD_URL = f"/{DOMAIN}/octopus-viz-card.js"
_REGISTERED = f"{DOMAIN}_card_registered"


async def async_register_card(hass: HomeAssistant) -> None:
    """Register the static path and the module URL (once per Home Assistant run)."""
    if hass.data.get(_REGISTERED):
        return
    await hass.http.async_register_static_paths(
        [StaticPathConfig(CARD_URL, str(CARD_FILE), cache_headers=True)]
    )
    if "frontend" in hass.config.components:
        from homeassistant.components.frontend import add_extra_js_url

        add_extra_js_url(hass, f"{CARD_URL}?v={VERSION}")
    hass.data[_REGISTERED] = True
