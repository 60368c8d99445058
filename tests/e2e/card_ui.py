"""The card in the real frontend: a dashboard of cards, a cold reload, the picker and the editor.

Kept apart from test_e2e.py (which holds the tests, so they share its module-scoped instance).
"""

from __future__ import annotations

from typing import Any

from playwright.async_api import Locator, Page, Route, expect

from custom_components.octopus_viz.card import CARD_URL

from .conftest import E2E

DASHBOARD = "octopus-e2e"
VIEW_PATH = "octopus"
# The fake's data end on 2025-11-20 while Home Assistant's clock is later: a custom period for
# the checked cards; the bare card relies on periods ending at the newest reading.
CARD_PERIOD = {"period": "custom", "start": "2025-10-01", "end": "2025-11-19"}
CARD_DAYS = 50
CARDS = [
    {"type": "custom:octopus-viz-card", **CARD_PERIOD},
    {"type": "custom:octopus-viz-card", "view": "heatmap", **CARD_PERIOD},
    {"type": "custom:octopus-viz-card", "view": "daily", **CARD_PERIOD},
    {"type": "custom:octopus-viz-card"},  # the minimal YAML: the last 30 days of data
]

# True once every card shows a chart, an error or the empty state (not "Loading...").
CARDS_SETTLED = """cards => cards.every(c => c.shadowRoot && c.shadowRoot.querySelector(
    "svg.profile, svg.heatmap, svg.daily, .state.error, .state.empty, .state.prompt"))"""
# What a card drew: text states, bar values, and the heatmap's painted canvas with its rows.
READ_CARD = """card => {
    const root = card.shadowRoot;
    const values = sel => [...root.querySelectorAll(sel)].map(e => e.dataset.value);
    const canvas = root.querySelector(".heat canvas");
    const painted = !!canvas && canvas.getContext("2d").getImageData(
        0, 0, canvas.width, canvas.height).data.some((v, i) => i % 4 === 3 && v > 0);
    const data = card._status?.data;
    return {
        config: card._config,
        states: [...root.querySelectorAll(".state")].map(e => e.className + ": " + e.textContent),
        start: data?.start,
        end: data?.end,
        slots: values("svg.profile g.slot"),
        bars: root.querySelectorAll("svg.profile rect.bar").length,
        days: values("svg.daily g.day"),
        painted,
        rows: canvas ? data.days.map(d => ({date: d.date, values: d.values})) : [],
    };
}"""
# The frontend's card for an undefined element ("Configuration error"), shown once its grace
# period (2 s) is over.
ERROR_CARD = "hui-error-card"
ERROR_GRACE_MS = 2500
# Records every error card the frontend creates, shown or not ("Custom element doesn't exist").
RECORD_ERROR_CARDS = """(() => {
    window.errorCards = [];
    window.cardDefinedAt = null;
    customElements.whenDefined("octopus-viz-card").then(() => {
        window.cardDefinedAt = Math.round(performance.now());
    });
    const create = Document.prototype.createElement;
    Document.prototype.createElement = function (name, ...rest) {
        if (String(name).startsWith("hui-error")) window.errorCards.push([String(name),
            Math.round(performance.now()), !!customElements.get("octopus-viz-card"),
            new Error().stack.split("\\n").slice(2, 5).join(" | ")]);
        return create.call(this, name, ...rest);
    };
})()"""


async def create_card_dashboard(e2e: E2E) -> None:
    """A storage-mode dashboard holding the card in several views (made once per instance)."""
    if "card_dashboard" in e2e.done:
        await save_cards(e2e, CARDS)
        return
    e2e.done.add("card_dashboard")
    await e2e.ws.call(
        "lovelace/dashboards/create",
        url_path=DASHBOARD,
        title="Octopus e2e",
        icon="mdi:flash",
        show_in_sidebar=True,
        require_admin=False,
        mode="storage",
    )
    await save_cards(e2e, CARDS)


async def save_cards(e2e: E2E, cards: list[dict[str, Any]]) -> None:
    """Replace the dashboard's cards."""
    await e2e.ws.call(
        "lovelace/config/save",
        url_path=DASHBOARD,
        config={
            "title": "Octopus e2e",
            "views": [{"title": "Octopus", "path": VIEW_PATH, "cards": cards}],
        },
    )


async def saved_cards(e2e: E2E) -> list[dict[str, Any]]:
    """The cards the dashboard holds now."""
    config = await e2e.ws.call("lovelace/config", url_path=DASHBOARD)
    cards: list[dict[str, Any]] = config["views"][0]["cards"]
    return cards


async def read_cards(page: Page) -> list[dict[str, Any]]:
    """Wait until every card settled, then read what each drew."""
    cards = page.locator("octopus-viz-card")
    await cards.first.wait_for()
    await page.wait_for_function(CARDS_SETTLED, arg=await cards.element_handles())
    return [await card.evaluate(READ_CARD) for card in await cards.all()]


def card_of(cards: list[dict[str, Any]], index: int) -> dict[str, Any]:
    """What the card configured as CARDS[index] drew (a masonry view orders cards by column)."""
    wanted = CARDS[index]
    [card] = [
        c
        for c in cards
        if all(c["config"].get(k) == v for k, v in wanted.items() if k != "type")
        and c["config"]["period"] == wanted.get("period", "last_30_days")
        and c["config"]["view"] == wanted.get("view", "profile")
    ]
    return card


async def strip_extra_module(route: Route) -> None:
    """Serve the dashboard's page without the card's <script> import: the page a service worker
    cached before the integration was set up (stale-while-revalidate hands it out once)."""
    response = await route.fetch()
    page = await response.text()
    assert f'import("{CARD_URL}")' in page, "the page should import the card"
    stale = page.replace(f'import("{CARD_URL}")', "Promise.resolve()")
    await route.fulfill(response=response, body=stale)


async def open_stale_dashboard(page: Page, e2e: E2E) -> list[dict[str, Any]]:
    """Load the dashboard from a page that lacks the card's module import; read the cards."""
    await page.route(f"{e2e.hass.url}/{DASHBOARD}/**", strip_extra_module)
    await page.goto(f"{e2e.hass.url}/{DASHBOARD}/{VIEW_PATH}")
    return await read_cards(page)


async def add_card_through_the_picker(page: Page, e2e: E2E) -> None:
    """Edit mode -> Add card -> By card -> search "Octopus" -> our card -> its editor -> Save.

    In the editor (Home Assistant's own ha-form): title typed, view and period chosen from the
    menus, the account picked in the config-entry picker.
    """
    await page.goto(f"{e2e.hass.url}/{DASHBOARD}/{VIEW_PATH}?edit=1")
    await page.get_by_role("button", name="Add card").click()
    dialog = page.locator("hui-dialog-create-card")
    await dialog.get_by_role("tab", name="By card").click()
    await dialog.get_by_role("textbox").first.fill("Octopus")
    # The picker shows each card live (ours included); its header is the card's name.
    await dialog.get_by_text("Octopus Energy Viz").first.click(force=True)
    editor = page.locator("hui-dialog-edit-card octopus-viz-card-editor")
    await editor.locator("ha-form").wait_for()
    await editor.locator("ha-selector-text input").first.fill("Picked in the UI")
    await choose(editor, "View", "Daily totals")
    await choose(editor, "Periods end", "Today")
    await choose(editor, "Direction or fuel", "Export")
    # The preview redraws from the edited config.
    preview = page.locator("hui-dialog-edit-card octopus-viz-card")
    await expect(preview.locator("h2")).to_have_text("Picked in the UI")
    await page.locator("hui-dialog-edit-card").get_by_role("button", name="Save").click()
    await expect(page.get_by_text("Successfully saved").first).to_be_visible()


async def choose(editor: Locator, label: str, option: str) -> None:
    """Pick an option of one of ha-form's menus, as a person does."""
    field = editor.locator("ha-selector-select").filter(has_text=label)
    await field.click()
    # The menu opens inside the field (the preview card's own <select> has options too).
    await field.get_by_text(option, exact=True).click()
