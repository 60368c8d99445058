"""Serve the card from the integration's own folder and make every dashboard load it.

Users get `custom:octopus-viz-card` without adding a Lovelace resource by hand. The card is a
set of ES modules in `frontend/`, served under one path that carries the version: the browser
(and the frontend's service worker, which keeps any other file of ours for a day) fetch the
new modules after an update, and relative imports between them stay on the same version.

Two ways in, the same URL (so the browser evaluates the module once):
- a Lovelace resource (storage mode). The frontend asks for the resources over the websocket
  on every load, so a dashboard finds the card even when the service worker hands out an
  index page cached before the integration was set up (the page then lacks our module: that
  is the "Custom element doesn't exist" seen once on the first reload after installing);
- `frontend.add_extra_js_url`, for pages outside dashboards and YAML resource mode; open
  pages receive it live through `frontend/subscribe_extra_js`.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import TYPE_CHECKING

from homeassistant.components.http.server import StaticPathConfig
from homeassistant.core import HomeAssistant

from .api.const import VERSION
from .const import DOMAIN

if TYPE_CHECKING:
    from homeassistant.components.lovelace.resources import ResourceStorageCollection

_LOGGER = logging.getLogger(__name__)

FRONTEND_DIR = Path(__file__).parent / "frontend"
CARD_FILE = FRONTEND_DIR / "octopus-viz-card.js"
URL_ROOT = f"/{DOMAIN}/"
FRONTEND_URL = f"/{DOMAIN}/frontend-{VERSION}"
CARD_URL = f"{FRONTEND_URL}/{CARD_FILE.name}"
_REGISTERED = f"{DOMAIN}_card_registered"


async def async_register_card(hass: HomeAssistant) -> None:
    """Register the static path, the module URL and the resource (once per run)."""
    if hass.data.get(_REGISTERED):
        return
    hass.data[_REGISTERED] = True
    await hass.http.async_register_static_paths(
        [StaticPathConfig(FRONTEND_URL, str(FRONTEND_DIR), cache_headers=True)]
    )
    if "frontend" not in hass.config.components:
        return
    from homeassistant.components.frontend import add_extra_js_url

    add_extra_js_url(hass, CARD_URL)
    await _async_ensure_resource(hass)


async def _storage_resources(hass: HomeAssistant) -> ResourceStorageCollection | None:
    """The dashboards' resource collection when the UI manages it (storage mode), loaded."""
    from homeassistant.components.lovelace.const import LOVELACE_DATA
    from homeassistant.components.lovelace.resources import ResourceStorageCollection

    lovelace = hass.data.get(LOVELACE_DATA)
    if lovelace is None or not isinstance(lovelace.resources, ResourceStorageCollection):
        return None  # YAML resources are the user's file: the extra module URL covers them
    await lovelace.resources.async_get_info()  # loads the collection from storage
    return lovelace.resources


async def _async_ensure_resource(hass: HomeAssistant) -> None:
    """Keep exactly one Lovelace resource of ours, on this version's URL."""
    if (resources := await _storage_resources(hass)) is None:
        return
    ours = [item for item in resources.async_items() if item["url"].startswith(URL_ROOT)]
    keep = next((item for item in ours if item["url"] == CARD_URL), None)
    stale = [item for item in ours if item is not keep]
    if keep is None and stale:
        # An older version's entry: point it at this version (the user's order is kept).
        keep = await resources.async_update_item(stale.pop(0)["id"], {"url": CARD_URL})
    for item in stale:
        await resources.async_delete_item(item["id"])
    if keep is None:
        await resources.async_create_item({"res_type": "module", "url": CARD_URL})
        _LOGGER.debug("Added the Lovelace resource %s", CARD_URL)


async def async_remove_resource(hass: HomeAssistant) -> None:
    """The last account is gone: drop our resource, or every dashboard would fail to load it
    after the next restart (the static path exists only while an account does)."""
    if (resources := await _storage_resources(hass)) is None:
        return
    for item in list(resources.async_items()):
        if item["url"].startswith(URL_ROOT):
            await resources.async_delete_item(item["id"])
