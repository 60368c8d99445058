"""Browser tests of the card's contract with Home Assistant: registration, config, editor.

The pure helpers the module exports (validation, ticks, formatting, requests) are checked in
the real browser too, since Intl formatting is the browser's.
"""

from __future__ import annotations

from typing import Any

from playwright.async_api import expect
import pytest

from .conftest import CardPage

# Playwright objects live on the loop that started the session-wide browser.
pytestmark = pytest.mark.asyncio(loop_scope="session")

MODULE = "/custom_components/octopus_viz/frontend/octopus-viz-card.js"


async def call_module(card_page: CardPage, body: str) -> Any:
    """Run `body` (a function of the imported module `m`) in the page and return its result."""
    return await card_page.page.evaluate(
        f"async () => {{ const m = await import({MODULE!r}); return ({body})(m); }}"
    )


async def test_registration_and_card_api(card_page: CardPage) -> None:
    """The card is defined once, listed in the picker, and answers HA's sizing questions."""
    result = await card_page.page.evaluate(
        f"""async () => {{
            // HA may load the module twice (e.g. resource and extra_js_url): must not throw.
            await import({MODULE!r} + "?again");
            const Card = customElements.get("octopus-viz-card");
            const card = document.getElementById("profile");
            return {{
                entries: window.customCards.filter(c => c.type === "octopus-viz-card"),
                editor: Card.getConfigElement().localName,
                stub: Card.getStubConfig(),
                size: card.getCardSize(),
                grid: card.getGridOptions(),
                haCard: card.shadowRoot.querySelectorAll("ha-card").length,
            }};
        }}"""
    )
    assert len(result["entries"]) == 1
    entry = result["entries"][0]
    assert entry["name"] == "Octopus Energy Viz"
    assert entry["preview"] is True
    assert entry["description"]
    assert result["editor"] == "octopus-viz-card-editor"
    assert result["stub"] == {
        "view": "profile",
        "period": "last_30_days",
        "direction": "import",
        "unit": "kwh",
        "stat": "mean",
    }
    assert result["size"] == 6
    assert result["grid"] == {"columns": 12, "min_columns": 6, "min_rows": 4}
    assert result["haCard"] == 1


BAD_CONFIGS = [
    ({"view": "pie"}, 'Invalid view "pie": use one of profile, heatmap'),
    ({"period": "yesterday"}, 'Invalid period "yesterday"'),
    ({"direction": "both"}, 'Invalid direction "both"'),
    ({"unit": "pence"}, 'Invalid unit "pence": use one of kwh, money'),
    ({"stat": "max"}, 'Invalid stat "max"'),
    ({"period": "custom", "start": "2025-01-01"}, "needs both start and end"),
    ({"period": "custom", "start": "2025-02-01", "end": "2025-01-31"}, "on or before end"),
    ({"period": "custom", "start": "2025-02-30", "end": "2025-03-01"}, "start must be a date"),
    ({"end": "31/01/2025"}, "end must be a date written as YYYY-MM-DD"),
    ({"entry_id": 42}, "entry_id must be a string"),
]


async def test_set_config_rejects_bad_values(card_page: CardPage) -> None:
    """setConfig throws an Error whose message HA shows in place of the card."""
    # One page for all cases: a browser per case would make this the slowest test by far.
    errors = await card_page.page.evaluate(
        """configs => configs.map(config => {
            const card = document.createElement("octopus-viz-card");
            try { card.setConfig({type: "custom:octopus-viz-card", ...config}); }
            catch (err) { return err instanceof Error ? err.message : "not an Error"; }
            return null;
        })""",
        [config for config, _ in BAD_CONFIGS],
    )
    for (config, message), error in zip(BAD_CONFIGS, errors, strict=True):
        assert error is not None, f"{config} was accepted"
        assert message in error, (config, error)


async def test_validate_config_fills_defaults_and_accepts_yaml_dates(card_page: CardPage) -> None:
    """Unquoted YAML dates arrive as Date objects; empty strings mean "not set"."""
    result = await call_module(
        card_page,
        """m => m.validateConfig({
            type: "custom:octopus-viz-card", period: "custom", title: "", entry_id: "abc",
            start: new Date(Date.UTC(2025, 0, 1)), end: "2025-01-31", view: "heatmap",
        })""",
    )
    assert result == {
        "view": "heatmap",
        "period": "custom",
        "direction": "import",
        "unit": "kwh",
        "stat": "mean",
        "entry_id": "abc",
        "start": "2025-01-01",
        "end": "2025-01-31",
    }


async def test_helpers_ticks_slots_formatting_requests(card_page: CardPage) -> None:
    """Axis ticks, slot labels, value formats and websocket messages."""
    result = await call_module(
        card_page,
        """m => {
            const money = m.makeFormatters("en-GB", "money", "GBP");
            const kwh = m.makeFormatters("en-GB", "kwh", "GBP");
            const euro = m.makeFormatters("de-DE", "money", "EUR");
            return {
                ticks: [m.niceTicks(0, 1.74), m.niceTicks(-3.8, 6.2), m.niceTicks(0, 0)],
                slots: [m.slotLabel(0), m.slotLabel(1), m.slotLabel(47), m.slotLabel(48)],
                money: [money.value(1.234), money.value(0.0392), money.value(-2), money.axis(0.5)],
                kwh: [kwh.value(12.5), kwh.value(0.123456), kwh.value(-0.2), kwh.axis(1.5)],
                euro: euro.value(1.5),
                escaped: m.escapeHtml(`<a href="x">&'</a>`),
                dates: ["2024-02-29", "2025-02-29", "2025-1-1"].map(m.isIsoDate),
                requests: [
                    m.buildRequest({view: "heatmap", period: "this_year", direction: "net",
                                    unit: "money", start: "2025-01-01", end: "2025-01-02"}, ""),
                    m.buildRequest({view: "profile", period: "custom", direction: "export",
                                    unit: "kwh", start: "2025-01-01", end: "2025-01-02"}, "e1"),
                ],
            };
        }""",
    )
    assert result["ticks"] == [
        [0, 0.5, 1, 1.5, 2],
        [-4, -2, 0, 2, 4, 6, 8],
        [0, 0.2, 0.4, 0.6, 0.8, 1],
    ]
    assert result["slots"] == ["00:00", "00:30", "23:30", "00:00"]
    assert result["money"] == ["£1.23", "£0.039", "-£2.00", "£0.50"]
    assert result["kwh"] == ["12.50 kWh", "0.123 kWh", "-0.20 kWh", "1.5"]
    assert result["euro"] == "1,50\xa0€"
    assert result["escaped"] == "&lt;a href=&quot;x&quot;&gt;&amp;&#39;&lt;/a&gt;"
    assert result["dates"] == [True, False, False]
    assert result["requests"] == [
        {"type": "octopus_viz/heatmap", "direction": "net", "unit": "money", "period": "this_year"},
        {
            "type": "octopus_viz/profile",
            "direction": "export",
            "unit": "kwh",
            "entry_id": "e1",
            "start": "2025-01-01",
            "end": "2025-01-02",
        },
    ]


async def test_server_text_is_shown_as_text(card_page: CardPage) -> None:
    """Titles from the YAML or the server are never parsed as markup."""
    title = '<img src="x" onerror="window.hacked = true">'
    hacked = await card_page.page.evaluate(
        """async title => {
            const card = document.createElement("octopus-viz-card");
            card.setConfig({type: "custom:octopus-viz-card", title});
            card.hass = {locale: {language: "en-GB"}, callWS: async () => ({
                title, start: "2025-01-01", end: "2025-01-01", direction: "import", unit: "kwh",
                currency: "GBP", days: 1,
                slots: [{slot: 0, label: "00:00", sum: 1, mean: 1, days: 1}],
            })};
            document.body.append(card);
            await new Promise(r => setTimeout(r, 50));
            const root = card.shadowRoot;
            return {
                h2: root.querySelector("h2").textContent,
                subtitle: root.querySelector(".subtitle").textContent,
                images: root.querySelectorAll("img").length,
                hacked: window.hacked === true,
            };
        }""",
        title,
    )
    assert hacked == {
        "h2": title,
        "subtitle": f"{title} · Wed, 1 Jan 2025",
        "images": 0,
        "hacked": False,
    }


async def test_editor_fires_config_changed(card_page: CardPage) -> None:
    """The editor lists the accounts and emits the edited configuration, dates only if custom."""
    page = card_page.page
    editor = page.locator("#editor")
    account = editor.locator('select[data-key="entry_id"]')
    await expect(account.locator("option")).to_have_text(["Default account", "Octopus A-DEMO0001"])
    await expect(editor.locator('[data-field="start"]')).to_be_hidden()
    calls = await page.evaluate("window.wsCalls.filter(c => c.card === 'editor')")
    assert [call["msg"] for call in calls] == [{"type": "octopus_viz/entries"}]

    async def last_event() -> dict[str, Any]:
        events: list[dict[str, Any]] = await page.evaluate("window.editorEvents")
        return events[-1]

    base = {"type": "custom:octopus-viz-card"}
    await editor.locator('select[data-key="view"]').select_option("heatmap")
    assert await last_event() == {**base, "view": "heatmap"}
    await account.select_option("demo")
    assert await last_event() == {**base, "view": "heatmap", "entry_id": "demo"}
    await editor.locator('input[data-key="title"]').fill("Half hours")
    await editor.locator('input[data-key="title"]').press("Tab")
    assert (await last_event())["title"] == "Half hours"

    await editor.locator('select[data-key="period"]').select_option("custom")
    await expect(editor.locator('[data-field="start"]')).to_be_visible()
    await editor.locator('input[data-key="start"]').fill("2025-01-01")
    await editor.locator('input[data-key="end"]').fill("2025-01-31")
    assert await last_event() == {
        **base,
        "view": "heatmap",
        "entry_id": "demo",
        "title": "Half hours",
        "period": "custom",
        "start": "2025-01-01",
        "end": "2025-01-31",
    }

    await editor.locator('select[data-key="period"]').select_option("last_month")
    await account.select_option("")
    assert await last_event() == {
        **base,
        "view": "heatmap",
        "title": "Half hours",
        "period": "last_month",
    }
    await expect(editor.locator('[data-field="end"]')).to_be_hidden()
