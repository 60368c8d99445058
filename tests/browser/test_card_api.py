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
    assert result["stub"] == {"view": "profile", "period": "last_30_days"}
    assert result["size"] == 6
    assert result["grid"] == {"columns": 12, "min_columns": 6, "min_rows": 4}
    assert result["haCard"] == 1


BAD_CONFIGS = [
    ({"view": "pie"}, 'Invalid view "pie": use one of profile, combined, heatmap, daily, compare'),
    ({"anchor": "tomorrow"}, 'Invalid anchor "tomorrow": use one of latest, today'),
    ({"period": "yesterday"}, 'Invalid period "yesterday"'),
    ({"direction": "both"}, 'Invalid direction "both"'),
    ({"unit": "pence"}, 'Invalid unit "pence": use one of kwh, money'),
    ({"stat": "max"}, 'Invalid stat "max"'),
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
        "anchor": "latest",
        "direction": "import",
        "unit": "kwh",
        "stat": "mean",
        "entry_id": "abc",
        "start": "2025-01-01",
        "end": "2025-01-31",
    }


async def test_half_filled_custom_period_is_not_a_configuration_error(
    card_page: CardPage,
) -> None:
    """While dates are being picked, setConfig accepts the config and the card asks for them."""
    result = await call_module(
        card_page,
        """m => [
            {period: "custom"},
            {period: "custom", start: "2025-01-01"},
            {period: "custom", start: "2025-02-01", end: "2025-01-31"},
            {period: "custom", start: "2025-01-01", end: "2025-01-31"},
            {period: "last_7_days", start: "2025-01-01"},
        ].map(c => m.missingDates(m.validateConfig(c)))""",
    )
    assert result == ["state.choose_dates", "state.choose_dates", "state.dates_order", None, None]


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
                    m.buildRequest({view: "heatmap", period: "this_year", anchor: "latest",
                                    direction: "net", unit: "money"}, ""),
                    m.buildRequest({view: "profile", period: "custom", anchor: "latest",
                                    direction: "export", unit: "kwh", start: "2025-01-01",
                                    end: "2025-01-02"}, "e1"),
                    m.buildRequest({view: "combined", period: "last_7_days", anchor: "today",
                                    direction: "export", unit: "kwh"}, "e1"),
                    m.buildRequest({view: "daily", period: "last_7_days", anchor: "latest",
                                    direction: "gas", unit: "kwh"}, "", "2025-03-30"),
                    m.buildRequest({view: "compare", period: "last_month", anchor: "latest",
                                    direction: "net", unit: "kwh"}, "e1"),
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
        {
            "type": "octopus_viz/heatmap",
            "direction": "net",
            "unit": "money",
            "period": "this_year",
            "anchor": "latest",
        },
        {
            "type": "octopus_viz/profile",
            "entry_id": "e1",
            "direction": "export",
            "unit": "kwh",
            "start": "2025-01-01",
            "end": "2025-01-02",
        },
        {
            "type": "octopus_viz/combined",
            "entry_id": "e1",
            "unit": "kwh",
            "period": "last_7_days",
            "anchor": "today",
        },
        {
            "type": "octopus_viz/heatmap",
            "direction": "gas",
            "unit": "kwh",
            "start": "2025-03-30",
            "end": "2025-03-30",
        },
        {"type": "octopus_viz/compare", "entry_id": "e1", "period": "last_month"},
    ]


async def test_keyboard_steps_and_tooltip_placement(card_page: CardPage) -> None:
    """Where the focus goes on each key, and where a tooltip fits inside the card."""
    result = await call_module(
        card_page,
        """m => ({
            first: ["ArrowRight", "ArrowLeft", "Home", "End", "ArrowDown"].map(
                k => m.nextFocus(k, -1, 96, 48)),
            moves: ["ArrowRight", "ArrowLeft", "ArrowDown", "ArrowUp", "Tab"].map(
                k => m.nextFocus(k, 50, 96, 48)),
            edges: [m.nextFocus("ArrowLeft", 0, 5), m.nextFocus("ArrowRight", 4, 5),
                    m.nextFocus("ArrowDown", 70, 96, 48), m.nextFocus("ArrowRight", -1, 0)],
            tips: [
                m.tipPosition(110, 300, {left: 100, top: 100, width: 400},
                              {width: 80, height: 30}),
                m.tipPosition(480, 110, {left: 100, top: 100, width: 400},
                              {width: 80, height: 30}),
            ],
        })""",
    )
    assert result["first"] == [0, 95, 0, 95, 47]
    assert result["moves"] == [51, 49, 95, 2, None]
    assert result["edges"] == [0, 4, 95, None]
    assert result["tips"] == [{"left": 22, "top": 162}, {"left": 288, "top": 0}]


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


async def test_editor_uses_home_assistant_s_form(card_page: CardPage) -> None:
    """The editor hands ha-form a schema of selectors and turns its changes into config events."""
    page = card_page.page
    editor = page.locator("#editor")
    # The stand-in form lists the labels of the fields it was given.
    await expect(editor).to_have_text(
        "Title | Account | View | Period | Periods end | Direction or fuel | Unit | Statistic"
    )
    calls = await page.evaluate("window.wsCalls.filter(c => c.card === 'editor')")
    assert [call["msg"] for call in calls] == [{"type": "octopus_viz/entries"}]
    schema = await page.evaluate(
        "document.getElementById('editor').shadowRoot.querySelector('ha-form').schema"
    )
    fields = {field["name"]: field["selector"] for field in schema}
    assert fields["entry_id"] == {"config_entry": {"integration": "octopus_viz"}}
    assert fields["title"] == {"text": {}}
    assert [o["value"] for o in fields["view"]["select"]["options"]] == [
        "profile",
        "combined",
        "heatmap",
        "daily",
        "compare",
    ]
    assert [o["label"] for o in fields["direction"]["select"]["options"]] == [
        "Import",
        "Export",
        "Net",
        "Gas",  # the editor's account has a gas meter
    ]

    async def change(name: str, value: Any) -> dict[str, Any]:
        await page.evaluate(
            """([name, value]) => document.getElementById("editor").shadowRoot
                .querySelector("ha-form").change(name, value)""",
            [name, value],
        )
        events: list[dict[str, Any]] = await page.evaluate("window.editorEvents")
        return events[-1]

    base = {"type": "custom:octopus-viz-card", "view": "profile"}
    assert await change("entry_id", "demo") == {**base, "entry_id": "demo"}
    assert await change("title", "Half hours") == {
        **base,
        "entry_id": "demo",
        "title": "Half hours",
    }
    base |= {"entry_id": "demo", "title": "Half hours"}
    for name, value in (
        ("direction", "export"),
        ("unit", "money"),
        ("stat", "sum"),
        ("anchor", "today"),
    ):
        event = await change(name, value)
        base |= {name: value}
        assert event == base, name
    assert await change("view", "combined") == {**base, "view": "combined"}
    await expect(editor).to_have_text(
        "Title | Account | View | Period | Periods end | Unit | Statistic"
    )
    await change("view", "compare")
    await expect(editor).to_have_text("Title | Account | View | Period")
    await change("view", "daily")
    base |= {"view": "daily"}
    await expect(editor).to_have_text(
        "Title | Account | View | Period | Periods end | Direction or fuel | Unit"
    )

    # Custom: the date pickers replace "Periods end"; the dates leave with the custom period.
    assert await change("period", "custom") == {**base, "period": "custom"}
    await expect(editor).to_have_text(
        "Title | Account | View | Period | Start date | End date | Direction or fuel | Unit"
    )
    await change("start", "2025-01-01")
    assert await change("end", "2025-01-31") == {
        **base,
        "period": "custom",
        "start": "2025-01-01",
        "end": "2025-01-31",
    }
    assert await change("period", "last_month") == {**base, "period": "last_month"}
    # Clearing a field removes it from the YAML.
    assert await change("title", "") == {k: v for k, v in base.items() if k != "title"} | {
        "period": "last_month"
    }


async def test_welsh_is_complete_and_used(card_page: CardPage) -> None:
    """Every English key has a Welsh string; a Welsh user sees Welsh labels, dates and numbers."""
    tables = await call_module(card_page, "m => m.TABLES")
    assert set(tables["cy"]) == {k for k in tables["en"] if not k.endswith("_one")}
    placeholders = await call_module(
        card_page,
        """m => Object.keys(m.TABLES.en).filter(k => !k.endsWith("_one")).filter(k =>
            JSON.stringify(m.TABLES.en[k].match(/\\{\\w+\\}/g)?.sort())
            !== JSON.stringify(m.TABLES.cy[k].match(/\\{\\w+\\}/g)?.sort()))""",
    )
    assert placeholders == [], "the Welsh strings keep every placeholder"
    page = card_page.page
    card = page.locator("#welsh")
    await expect(card.locator("g.slot")).to_have_count(48)
    await expect(card.locator("h2")).to_have_text("Hanner oriau Octopus")
    await expect(card.locator(".subtitle")).to_have_text(
        "Octopus A-DEMO0001 · Mer, 22 Hyd \u2013 Iau, 20 Tach 2025"
    )
    options = await card.locator('select[data-key="view"] option').all_text_contents()
    assert options == [
        "Proffil",
        "Mewnforio ac allforio",
        "Map gwres",
        "Cyfansymiau dyddiol",
        "Cymharu tariffau",
    ]
    await expect(card.locator(".meta")).to_contain_text("Diwrnod cyfartalog: 15.38 kWh")
    await expect(card.locator(".meta")).to_contain_text("Data hyd at 20 Tach, 00:00")
    await card.locator("svg.profile").focus()
    await page.keyboard.press("ArrowRight")
    await expect(card.locator(".sr")).to_have_text(
        "00:00 i 00:30, 0.00 kWh (cyfartaledd 30 diwrnod)"
    )
    # Other languages without a table fall back to English; Intl formats their numbers.
    result = await call_module(
        card_page,
        """m => [m.translator("de-DE")("state.loading"), m.translator("cy")("state.loading"),
                 m.translator("en")("meta.total_days", {value: "1", days: 1}),
                 m.translator("cy")("meta.total_days", {value: "1", days: 1}),
                 m.makeFormatters("cy", "money", "GBP").value(1234.5)]""",
    )
    assert result == [
        "Loading…",
        "Yn llwytho…",
        "Total: 1 over 1 day",
        "Cyfanswm: 1 dros 1 diwrnod",
        "£1,234.50",
    ]


async def test_a_year_heatmap_renders_fast(card_page: CardPage) -> None:
    """17,520 cells: the time from the answer to the drawn card is printed (not asserted)."""
    result = await card_page.page.evaluate(
        """async () => {
            const days = Array.from({length: 365}, (_, d) => ({
                date: new Date(Date.UTC(2025, 0, 1 + d)).toISOString().slice(0, 10),
                values: Array.from({length: 48}, (_, s) => Math.round(
                    1000 * (Math.sin(d / 9 + s / 5) - 0.2)) / 1000),
            }));
            const answer = {title: "Year", start: "2025-01-01", end: "2025-12-31",
                            direction: "net", unit: "kwh", currency: "GBP", days};
            const card = document.createElement("octopus-viz-card");
            card.setConfig({type: "custom:octopus-viz-card", view: "heatmap", direction: "net"});
            document.getElementById("cards").prepend(card);
            let resolve;
            card.hass = {locale: {language: "en-GB"}, callWS: (msg) => msg.type.endsWith("entries")
                ? Promise.resolve({entries: []}) : new Promise(r => { resolve = r; })};
            const timings = [];
            for (let run = 0; run < 3; run += 1) {
                await new Promise(r => setTimeout(r, 50));
                const start = performance.now();
                card._setStatus({kind: "ready", view: "heatmap", data: answer});
                card.shadowRoot.querySelector("svg").getBoundingClientRect(); // layout
                await new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)));
                timings.push(performance.now() - start);
            }
            const cells = card._chart.count;
            const canvas = card.shadowRoot.querySelector(".heat canvas");
            const painted = canvas.getContext("2d").getImageData(0, 0, canvas.width,
                canvas.height).data.some((v, i) => i % 4 === 3 && v > 0);
            if (!painted) return {cells: 0, timings};
            card.remove();
            return {cells, timings};
        }"""
    )
    assert result["cells"] == 17_520
    best = min(result["timings"])
    print(
        f"\nyear heatmap (17,520 cells) drawn in {best:.0f} ms "
        f"(runs: {', '.join(f'{t:.0f}' for t in result['timings'])} ms; target <= 100 ms)"
    )
