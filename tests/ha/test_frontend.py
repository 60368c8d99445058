"""The card is served from the integration's folder and loaded by every dashboard."""

from __future__ import annotations

from http import HTTPStatus

from homeassistant.components.frontend import DATA_EXTRA_MODULE_URL
from homeassistant.components.lovelace.const import LOVELACE_DATA
from homeassistant.core import HomeAssistant
from homeassistant.setup import async_setup_component
from pytest_homeassistant_custom_component.common import MockConfigEntry
from pytest_homeassistant_custom_component.typing import ClientSessionGenerator

from custom_components.octopus_viz.api.const import VERSION
from custom_components.octopus_viz.card import (
    CARD_URL,
    FRONTEND_DIR,
    FRONTEND_URL,
    async_register_card,
    async_remove_resource,
)
from custom_components.octopus_viz.const import DOMAIN

# Every module of the card, by its path under the frontend folder.
MODULES = sorted(p.relative_to(FRONTEND_DIR).as_posix() for p in FRONTEND_DIR.rglob("*.js"))


async def _assert_served(hass_client: ClientSessionGenerator) -> None:
    client = await hass_client()
    assert "octopus-viz-card.js" in MODULES
    assert "views/heatmap.js" in MODULES
    assert "strings/cy.js" in MODULES
    for module in MODULES:
        response = await client.get(f"{FRONTEND_URL}/{module}")
        assert response.status == HTTPStatus.OK, module
        assert response.content_type in ("application/javascript", "text/javascript")
        assert await response.text() == (FRONTEND_DIR / module).read_text(encoding="utf-8")


def _resources(hass: HomeAssistant) -> list[dict[str, str]]:
    return [
        {"type": item["type"], "url": item["url"]}
        for item in hass.data[LOVELACE_DATA].resources.async_items()
    ]


async def test_card_registered_with_frontend(
    hass: HomeAssistant, hass_client: ClientSessionGenerator
) -> None:
    """With the frontend: the versioned module URL, one Lovelace resource, every file served."""
    assert await async_setup_component(hass, "frontend", {})
    assert await async_setup_component(hass, DOMAIN, {})
    await hass.async_block_till_done()

    assert f"/{DOMAIN}/frontend-{VERSION}/octopus-viz-card.js" == CARD_URL
    urls = hass.data[DATA_EXTRA_MODULE_URL].urls
    assert CARD_URL in urls
    assert _resources(hass) == [{"type": "module", "url": CARD_URL}]
    await _assert_served(hass_client)

    # Registering again (another setup in the same run) changes nothing and does not fail.
    before = list(urls)
    await async_register_card(hass)
    assert list(hass.data[DATA_EXTRA_MODULE_URL].urls) == before
    assert _resources(hass) == [{"type": "module", "url": CARD_URL}]


async def test_resource_of_an_older_version_is_moved_on(hass: HomeAssistant) -> None:
    """After an update the resource points at the new version; duplicates go; others stay."""
    assert await async_setup_component(hass, "frontend", {})
    resources = hass.data[LOVELACE_DATA].resources
    other = {"res_type": "module", "url": "/local/other-card.js"}
    await resources.async_create_item(other)
    await resources.async_create_item(
        {"res_type": "module", "url": f"/{DOMAIN}/frontend-0.0.1/x.js"}
    )
    await resources.async_create_item({"res_type": "module", "url": f"/{DOMAIN}/old.js?v=0"})
    assert await async_setup_component(hass, DOMAIN, {})
    await hass.async_block_till_done()
    assert _resources(hass) == [
        {"type": "module", "url": "/local/other-card.js"},
        {"type": "module", "url": CARD_URL},
    ]

    await async_remove_resource(hass)
    assert _resources(hass) == [{"type": "module", "url": "/local/other-card.js"}]


async def test_removing_the_last_account_removes_the_resource(
    hass: HomeAssistant, config_entry: MockConfigEntry
) -> None:
    """Without any account the static path is gone after a restart: so is the resource."""
    assert await async_setup_component(hass, "frontend", {})
    second = MockConfigEntry(domain=DOMAIN, title="Second", data=dict(config_entry.data))
    second.add_to_hass(hass)
    assert await async_setup_component(hass, DOMAIN, {})
    await hass.async_block_till_done()
    assert _resources(hass) == [{"type": "module", "url": CARD_URL}]

    await hass.config_entries.async_remove(config_entry.entry_id)
    assert _resources(hass) == [{"type": "module", "url": CARD_URL}], "one account is left"
    await hass.config_entries.async_remove(second.entry_id)
    assert _resources(hass) == []


async def test_yaml_resources_are_left_alone(hass: HomeAssistant) -> None:
    """Resources written in YAML are the user's file: only the extra module URL is added."""
    assert await async_setup_component(hass, "lovelace", {"lovelace": {"resource_mode": "yaml"}})
    assert await async_setup_component(hass, "frontend", {})
    assert await async_setup_component(hass, DOMAIN, {})
    await hass.async_block_till_done()
    assert CARD_URL in hass.data[DATA_EXTRA_MODULE_URL].urls
    assert _resources(hass) == []
    await async_remove_resource(hass)  # nothing to remove, nothing fails


async def test_setup_without_frontend(
    hass: HomeAssistant, hass_client: ClientSessionGenerator
) -> None:
    """Without the frontend the integration still sets up and serves the files."""
    assert await async_setup_component(hass, DOMAIN, {})
    await hass.async_block_till_done()
    assert "frontend" not in hass.config.components
    assert DATA_EXTRA_MODULE_URL not in hass.data
    await _assert_served(hass_client)
    await async_remove_resource(hass)  # no dashboards at all: nothing to do
