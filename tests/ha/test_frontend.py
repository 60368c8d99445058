"""The card is served from the integration's folder and added to every dashboard."""

from __future__ import annotations

from http import HTTPStatus

from homeassistant.components.frontend import DATA_EXTRA_MODULE_URL
from homeassistant.core import HomeAssistant
from homeassistant.setup import async_setup_component
from pytest_homeassistant_custom_component.typing import ClientSessionGenerator

from custom_components.octopus_viz.api.const import VERSION
from custom_components.octopus_viz.card import (
    CARD_FILE,
    CARD_URL,
    async_register_card,
)
from custom_components.octopus_viz.const import DOMAIN


async def _assert_served(hass_client: ClientSessionGenerator) -> None:
    client = await hass_client()
    for url in (CARD_URL, f"{CARD_URL}?v={VERSION}"):
        response = await client.get(url)
        assert response.status == HTTPStatus.OK, url
        assert response.content_type in ("application/javascript", "text/javascript")
        assert await response.text() == CARD_FILE.read_text(encoding="utf-8")


async def test_card_registered_with_frontend(
    hass: HomeAssistant, hass_client: ClientSessionGenerator
) -> None:
    """With the frontend loaded, the versioned module URL is added and the file served."""
    assert await async_setup_component(hass, "frontend", {})
    assert await async_setup_component(hass, DOMAIN, {})
    await hass.async_block_till_done()

    urls = hass.data[DATA_EXTRA_MODULE_URL].urls
    assert f"{CARD_URL}?v={VERSION}" in urls
    await _assert_served(hass_client)

    # Registering again (another setup in the same run) changes nothing and does not fail.
    before = list(urls)
    await async_register_card(hass)
    assert list(hass.data[DATA_EXTRA_MODULE_URL].urls) == before


async def test_setup_without_frontend(
    hass: HomeAssistant, hass_client: ClientSessionGenerator
) -> None:
    """Without the frontend the integration still sets up and serves the file."""
    assert await async_setup_component(hass, DOMAIN, {})
    await hass.async_block_till_done()
    assert "frontend" not in hass.config.components
    assert DATA_EXTRA_MODULE_URL not in hass.data
    await _assert_served(hass_client)
