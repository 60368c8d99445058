"""Browser tests of custom:octopus-viz-card's views: what each draws from what it was sent.

The page's stub `hass` records every websocket call (window.wsCalls) and every canned answer
(window.wsResponses); the tests compare what the card draws with the answers. Screenshots go
to test-output/browser/; with UPDATE_SCREENSHOTS=1 the README ones in docs/ are refreshed.
"""

from __future__ import annotations

import os
import shutil
from typing import Any

from playwright.async_api import Locator, Page, expect
import pytest

from .conftest import REPO_ROOT, CardPage

# Playwright objects live on the loop that started the session-wide browser.
pytestmark = pytest.mark.asyncio(loop_scope="session")

OUTPUT_DIR = REPO_ROOT / "test-output" / "browser"
DOCS_DIR = REPO_ROOT / "docs"

READ_ITEMS = """els => els.map(e => {
    const bars = [...e.querySelectorAll("rect.bar")].map(b => ({
        cls: b.getAttribute("class"),
        y: Number(b.getAttribute("y")),
        height: Number(b.getAttribute("height")),
        fill: getComputedStyle(b).fill,
    }));
    return {
        slot: e.dataset.slot === undefined ? null : Number(e.dataset.slot),
        date: e.dataset.date ?? null,
        value: e.dataset.value === undefined || e.dataset.value === "" ? null
            : Number(e.dataset.value),
        bar: bars[0] ?? null,
        bars,
    };
})"""


def named_period(view: str, **fields: str) -> dict[str, str]:
    """The request of a view over the default period (last 30 days up to the newest reading)."""
    return {
        "type": f"octopus_viz/{view}",
        "entry_id": "demo",
        **fields,
        "period": "last_30_days",
        "anchor": "latest",
    }


async def data_calls(page: Page, card: str) -> list[dict[str, Any]]:
    """The data requests a card sent, oldest first (not the one-off meter list)."""
    calls: list[dict[str, Any]] = await page.evaluate("window.wsCalls")
    return [
        c["msg"] for c in calls if c["card"] == card and c["msg"]["type"] != "octopus_viz/entries"
    ]


async def last_response(page: Page, card: str) -> dict[str, Any]:
    """The last canned answer a card received."""
    responses: list[dict[str, Any]] = await page.evaluate("window.wsResponses")
    mine: list[dict[str, Any]] = [r["response"] for r in responses if r["card"] == card]
    return mine[-1]


async def choose(card: Locator, key: str, value: str) -> None:
    """Pick an option in one of the card's controls."""
    await card.locator(f'select[data-key="{key}"]').select_option(value)


async def wait_calls(page: Page, card: str, count: int) -> list[dict[str, Any]]:
    """Wait until a card has sent `count` data requests and drawn the answer."""
    await page.wait_for_function(
        """([card, n]) => window.wsResponses.filter(r => r.card === card).length >= n""",
        arg=[card, count],
    )
    await expect(page.locator(f"#{card} svg")).to_be_visible()
    return await data_calls(page, card)


def save_screenshot(png: bytes, name: str, *, docs: bool = False) -> None:
    """Keep a screenshot under test-output/, and in docs/ when asked to refresh them."""
    OUTPUT_DIR.mkdir(parents=True, exist_ok=True)
    path = OUTPUT_DIR / name
    path.write_bytes(png)
    if docs and os.environ.get("UPDATE_SCREENSHOTS") == "1":
        DOCS_DIR.mkdir(exist_ok=True)
        shutil.copyfile(path, DOCS_DIR / name)


def rgb(css: str) -> tuple[float, float, float]:
    """Parse the 'rgb(r, g, b)' (or 'color(srgb r g b)') form of a computed colour."""
    if css.startswith("color(srgb"):
        r, g, b = (float(p) * 255 for p in css.removeprefix("color(srgb ").rstrip(")").split()[:3])
        return r, g, b
    r, g, b = (
        float(p) for p in css.removeprefix("rgba(").removeprefix("rgb(").rstrip(")").split(",")[:3]
    )
    return r, g, b


def luminance(colour: tuple[float, float, float]) -> float:
    """WCAG relative luminance."""

    def channel(c: float) -> float:
        c /= 255
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(c) for c in colour)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a: tuple[float, float, float], b: tuple[float, float, float]) -> float:
    """WCAG contrast ratio of two colours."""
    la, lb = sorted((luminance(a), luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


IMPORT_BLUE = (72, 143, 194)  # the --energy-grid-consumption-color fallback, #488fc2
EXPORT_ORANGE = (212, 111, 0)  # #d46f00


def decimals(value: float) -> str:
    """A value as the card shows small amounts and kWh: 2 or 3 decimals."""
    text = f"{abs(value):.3f}"
    return text[:-1] if text.endswith("0") else text


def pence(value: float) -> str:
    """Money below £1 as the card shows it."""
    return f"{'-' if value < 0 else ''}£{decimals(value)}"


def near(colour: tuple[float, float, float], target: tuple[int, int, int]) -> bool:
    return all(abs(a - b) < 1.5 for a, b in zip(colour, target, strict=True))


async def test_profile_draws_48_bars_with_the_server_values(card_page: CardPage) -> None:
    """The profile view shows one bar per half hour, scaled, in the import blue."""
    page = card_page.page
    card = page.locator("#profile")
    await expect(card.locator("g.slot")).to_have_count(48)
    assert await data_calls(page, "profile") == [
        named_period("profile", direction="import", unit="kwh")
    ]
    response = await last_response(page, "profile")
    slots = await card.locator("g.slot").evaluate_all(READ_ITEMS)
    assert [s["slot"] for s in slots] == list(range(48))
    assert [s["value"] for s in slots] == [s["mean"] for s in response["slots"]]
    ratios = {round(s["bar"]["height"] / s["value"], 3) for s in slots}
    assert max(ratios) - min(ratios) < 0.05  # one linear scale from zero
    assert all(near(rgb(s["bar"]["fill"]), IMPORT_BLUE) for s in slots)

    hours = await card.locator("svg.profile text[text-anchor='middle']").all_text_contents()
    assert hours == ["00", "03", "06", "09", "12", "15", "18", "21"]
    await expect(card.locator("h2")).to_have_text("Average day")
    await expect(card.locator(".subtitle")).to_have_text(
        "Octopus A-DEMO0001 · Wed, 22 Oct \u2013 Thu, 20 Nov 2025"
    )
    assert round(sum(s["mean"] for s in response["slots"]), 3) == 25.274
    await expect(card.locator(".meta")).to_contain_text("Average day: 25.274 kWh")
    await expect(card.locator(".meta")).to_contain_text("peak 00:30 (1.74 kWh)")
    await expect(card.locator(".meta")).to_contain_text("Data until 20 Nov, 00:00")

    # Hover: the tooltip names the slot, the value with its unit and how many days it averages.
    await card.locator('g.slot[data-slot="36"] rect.hit').hover()
    tooltip = card.locator(".tooltip")
    await expect(tooltip).to_have_text("18:00 to 18:300.696 kWh (mean of 30 days)")
    await page.mouse.move(0, 0)
    await expect(tooltip).to_be_hidden()


async def test_export_is_orange_and_net_takes_the_colour_of_its_sign(card_page: CardPage) -> None:
    """Export is never drawn in the import blue; net bars change colour below zero."""
    page = card_page.page
    card = page.locator("#profile")
    await expect(card.locator("g.slot")).to_have_count(48)
    await choose(card, "direction", "export")
    await wait_calls(page, "profile", 2)
    slots = await card.locator("g.slot").evaluate_all(READ_ITEMS)
    drawn = [s for s in slots if s["bar"] and s["value"] > 0]
    assert drawn
    assert all(near(rgb(s["bar"]["fill"]), EXPORT_ORANGE) for s in drawn)

    await choose(card, "direction", "net")
    calls = await wait_calls(page, "profile", 3)
    assert calls[-1]["direction"] == "net"
    slots = await card.locator("g.slot").evaluate_all(READ_ITEMS)
    zero_y = float(await card.locator("svg line.axis").get_attribute("y1") or "nan")
    negative = [s for s in slots if s["value"] < 0]
    positive = [s for s in slots if s["value"] > 0]
    assert negative, "the canned net profile exports at midday"
    for s in negative:
        assert abs(s["bar"]["y"] - zero_y) < 0.015  # hangs from the zero line
        assert near(rgb(s["bar"]["fill"]), EXPORT_ORANGE)
    for s in positive:
        assert abs(s["bar"]["y"] + s["bar"]["height"] - zero_y) < 0.015  # stands on it
        assert near(rgb(s["bar"]["fill"]), IMPORT_BLUE)

    await choose(card, "stat", "sum")
    await page.wait_for_timeout(50)
    assert len(await data_calls(page, "profile")) == 3, "sum and mean come in the same answer"
    response = await last_response(page, "profile")
    slots = await card.locator("g.slot").evaluate_all(READ_ITEMS)
    assert [s["value"] for s in slots] == [s["sum"] for s in response["slots"]]
    await expect(card.locator(".meta")).to_contain_text("total over 30 days")


async def test_combined_draws_import_above_export_below_and_net_as_a_line(
    card_page: CardPage,
) -> None:
    """One answer holds the three flows: bars up and down per slot, the net line through them."""
    page = card_page.page
    card = page.locator("#combined")
    await expect(card.locator("g.slot")).to_have_count(48)
    assert await data_calls(page, "combined") == [named_period("combined", unit="money")]
    response = await last_response(page, "combined")
    slots = await card.locator("g.slot").evaluate_all(READ_ITEMS)
    zero_y = float(await card.locator("svg line.axis").get_attribute("y1") or "nan")
    for item, answer in zip(slots, response["slots"], strict=True):
        bars = {b["cls"]: b for b in item["bars"]}
        imported, exported = answer["import"]["mean"], answer["export"]["mean"]
        assert abs(bars["bar import"]["y"] + bars["bar import"]["height"] - zero_y) < 0.015
        assert near(rgb(bars["bar import"]["fill"]), IMPORT_BLUE)
        if exported:
            assert abs(bars["bar export"]["y"] - zero_y) < 0.015  # below the axis
            assert near(rgb(bars["bar export"]["fill"]), EXPORT_ORANGE)
            ratio = bars["bar export"]["height"] / bars["bar import"]["height"]
            assert ratio == pytest.approx(exported / imported, rel=0.02)
    # The net line passes through one point per slot, at the slot's net value.
    await expect(card.locator("circle.net-dot")).to_have_count(48)
    await expect(card.locator(".meta")).to_contain_text("Import: £4.22")
    await expect(card.locator(".meta")).to_contain_text("Net: £1.92")
    await expect(card.locator(".legend")).to_have_count(3)

    await card.locator('g.slot[data-slot="24"] rect.hit').hover()
    noon = response["slots"][24]
    shown = [pence(noon[flow]["mean"]) for flow in ("import", "export", "net")]
    await expect(card.locator(".tooltip")).to_have_text(
        "12:00 to 12:30Import {}Export {}Net {}".format(*shown)
    )


# In the page: the canvas pixel at the centre of each cell against the colour of its level.
PAINTED_CELLS = """async id => {
    const f = await import("/custom_components/octopus_viz/frontend/format.js");
    const card = document.getElementById(id);
    const root = card.shadowRoot;
    const chart = card._chart;
    const data = card._status.data;
    const svg = root.querySelector("svg.heatmap");
    const canvas = root.querySelector(".heat canvas");
    const paint = canvas.getContext("2d");
    const scale = canvas.width / canvas.getBoundingClientRect().width;
    const all = data.days.flatMap(d => d.values).filter(v => v !== null);
    const extent = Math.max(...all.map(Math.abs));
    const probe = document.createElementNS("http://www.w3.org/2000/svg", "rect");
    svg.append(probe);
    const colourOf = {};
    const parse = css => css.match(/[\\d.]+/g).slice(0, 3).map(Number)
        .map(c => (css.startsWith("color(") ? c * 255 : c));
    const out = {cells: 0, mismatches: [], classes: [], alpha: [], rgb: []};
    const svgBox = svg.getBoundingClientRect();
    data.days.forEach((day, r) => day.values.forEach((v, s) => {
        const i = r * 48 + s;
        const cls = f.levelClass(v, extent);
        const box = chart.focusCell(svg, i);
        const x = Math.floor((box.x - svgBox.x + box.width / 2) * scale);
        const y = Math.floor((box.y - svgBox.y + box.height / 2) * scale);
        const [red, green, blue, alpha] = paint.getImageData(x, y, 1, 1).data;
        out.cells += 1;
        out.classes.push(cls);
        out.alpha.push(alpha);
        out.rgb.push([red, green, blue]);
        if (cls === "none") { if (alpha !== 0) out.mismatches.push([i, "painted"]); return; }
        probe.setAttribute("class", "cell " + cls);
        colourOf[cls] ??= parse(getComputedStyle(probe).fill);
        const want = colourOf[cls];
        if (Math.max(...want.map((c, k) => Math.abs(c - [red, green, blue][k]))) > 2) {
            out.mismatches.push([i, cls, want, [red, green, blue]]);
        }
    }));
    probe.remove();
    root.querySelector(".focus-ring").setAttribute("hidden", "");
    return out;
}"""

# The screen box of heatmap cell i (the keyboard focus ring is put on it).
CELL_BOX = """([id, i]) => {
    const card = document.getElementById(id);
    const svg = card.shadowRoot.querySelector("svg.heatmap");
    const box = card._chart.focusCell(svg, i);
    return {x: box.x, y: box.y, width: box.width, height: box.height};
}"""


async def test_heatmap_draws_days_by_half_hours(card_page: CardPage) -> None:
    """One row per day, 48 cells per row, values and a symmetric colour scale."""
    page = card_page.page
    card = page.locator("#heatmap")
    await expect(card.locator(".heat canvas")).to_be_visible()
    assert (await data_calls(page, "heatmap"))[0] == named_period(
        "heatmap", direction="net", unit="money"
    )
    response = await last_response(page, "heatmap")
    # Every cell of the canvas has the colour of its value's level (sampled at its centre).
    painted = await page.evaluate(PAINTED_CELLS, "heatmap")
    assert painted["cells"] == 30 * 48
    assert painted["mismatches"] == [], painted["mismatches"][:5]
    assert painted["classes"][29 * 48 + 20] == "none"  # the newest day stops at 10:00
    assert painted["alpha"][29 * 48 + 20] == 0  # no data: nothing painted
    values = [(v, i) for i, v in enumerate(v for d in response["days"] for v in d["values"])]
    extreme = max((p for p in values if p[0] is not None), key=lambda p: abs(p[0]))
    assert extreme[0] > 0
    assert painted["classes"][extreme[1]] == "p19"
    assert near(painted["rgb"][extreme[1]], IMPORT_BLUE)
    lowest = min((p for p in values if p[0] is not None), key=lambda p: p[0])
    assert painted["classes"][lowest[1]].startswith("n")
    red, green, blue = painted["rgb"][lowest[1]]
    assert red > green > blue  # towards the export orange, not the import blue

    hours = await card.locator("svg.heatmap > text:not([text-anchor])").all_text_contents()
    assert hours == ["00", "03", "06", "09", "12", "15", "18", "21"]
    date_labels = await card.locator("svg.heatmap text[text-anchor='end']").all_text_contents()
    assert date_labels[0] == "22 Oct"
    await expect(card.locator(".legend .ramp")).to_be_visible()
    await expect(card.locator(".meta")).to_contain_text("over 30 days")
    await expect(card.locator(".meta")).to_contain_text("Data until 20 Nov, 10:00")

    box = await page.evaluate(CELL_BOX, ["heatmap", 3 * 48 + 35])
    await page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    tooltip = card.locator(".tooltip")
    await expect(tooltip).to_contain_text("Sat, 25 Oct 2025")
    await expect(tooltip).to_contain_text("17:30 to 18:00")
    await expect(tooltip).to_contain_text("£")


async def test_net_heatmap_keeps_contrast_near_zero_in_the_dark_theme(card_page: CardPage) -> None:
    """Small values on either side of zero stay visible and apart on a dark card."""
    page = card_page.page
    await expect(page.locator("#heatmap .heat canvas")).to_be_visible()
    await page.evaluate("window.applyDarkTheme()")
    fills = await page.evaluate(
        """() => {
            const root = document.getElementById("heatmap").shadowRoot;
            const svg = root.querySelector("svg.heatmap");
            const fill = cls => {
                const rect = document.createElementNS("http://www.w3.org/2000/svg", "rect");
                rect.setAttribute("class", "cell " + cls);
                svg.append(rect);
                const colour = getComputedStyle(rect).fill;
                rect.remove();
                return colour;
            };
            return {p1: fill("p1"), n1: fill("n1"), p19: fill("p19"), n19: fill("n19"),
                    card: getComputedStyle(root.querySelector("ha-card")).backgroundColor};
        }"""
    )
    card = rgb(fills["card"])
    assert card == (28, 28, 28)
    # The smallest level of each sign stands out from the card and from the other sign.
    assert contrast(rgb(fills["p1"]), card) > 1.5
    assert contrast(rgb(fills["n1"]), card) > 1.5
    p1, n1 = rgb(fills["p1"]), rgb(fills["n1"])
    assert p1[2] > p1[0], p1  # still blue
    assert n1[0] > n1[2], n1  # still orange
    assert contrast(rgb(fills["p19"]), card) >= 3
    assert contrast(rgb(fills["n19"]), card) >= 3


async def test_daily_totals_and_a_day_s_half_hours(card_page: CardPage) -> None:
    """One bar per day; selecting a day asks for it once, going back asks nothing."""
    page = card_page.page
    card = page.locator("#daily")
    await expect(card.locator("g.day")).to_have_count(30)
    assert await data_calls(page, "daily") == [
        named_period("daily", direction="export", unit="kwh")
    ]
    response = await last_response(page, "daily")
    days = await card.locator("g.day").evaluate_all(READ_ITEMS)
    assert [d["date"] for d in days] == [d["date"] for d in response["days"]]
    assert [d["value"] for d in days] == [d["value"] for d in response["days"]]
    assert all(near(rgb(d["bar"]["fill"]), EXPORT_ORANGE) for d in days)
    await expect(card.locator(".meta")).to_contain_text("Select a day")

    await card.locator('g.day[data-date="2025-11-03"]').click()
    calls = await wait_calls(page, "daily", 2)
    assert calls[-1] == {
        "type": "octopus_viz/heatmap",
        "entry_id": "demo",
        "direction": "export",
        "unit": "kwh",
        "start": "2025-11-03",
        "end": "2025-11-03",
    }
    await expect(card.locator("svg.day-detail g.slot")).to_have_count(48)
    day = await last_response(page, "daily")
    slots = await card.locator("g.slot").evaluate_all(READ_ITEMS)
    assert [s["value"] for s in slots] == day["days"][0]["values"]
    # The day's bar is the sum of its half-hours.
    bar = next(d for d in days if d["date"] == "2025-11-03")
    assert bar["value"] == pytest.approx(sum(day["days"][0]["values"]), abs=1e-3)
    await expect(card.locator(".meta")).to_contain_text("Half hours of Mon, 3 Nov 2025")

    await card.locator("button.back").click()
    await expect(card.locator("g.day")).to_have_count(30)
    assert len(await data_calls(page, "daily")) == 2, "the days were kept, not asked again"


async def test_compare_marks_the_actual_tariff_and_shows_months(card_page: CardPage) -> None:
    """A bar per available candidate, the actual marked, reasons, months on selection."""
    page = card_page.page
    card = page.locator("#compare")
    await expect(card.locator("g.candidate")).to_have_count(4)
    assert await data_calls(page, "compare") == [
        {"type": "octopus_viz/compare", "entry_id": "demo", "period": "last_30_days"}
    ]
    names = await card.locator(
        "g.candidate text[dominant-baseline]:not([text-anchor])"
    ).all_text_contents()
    assert names == ["Agile Octopus", "Octopus Flux (your tariff)", "Octopus Go", "Octopus Tracker"]
    await expect(card.locator("g.candidate.actual .actual-mark")).to_have_count(1)
    await expect(card.locator("g.candidate").first).to_contain_text("£61.35 · £12.85 cheaper")
    await expect(card.locator("g.candidate").nth(3)).to_contain_text("£18.20 dearer")
    await expect(card.locator(".unavailable")).to_have_text(
        "Cosy Octopus: Unavailable: no tariff for region _C"
    )
    await expect(card.locator(".caveat")).to_have_text(
        "Same consumption, different prices: a battery or EV schedule would change under "
        "another tariff. Eligibility is shown, not enforced."
    )
    widths = await card.locator("g.candidate rect.bar").evaluate_all(
        "els => els.map(e => Number(e.getAttribute('width')))"
    )
    assert widths == sorted(widths)  # sorted by net, bars proportional from zero
    assert widths[0] / widths[1] == pytest.approx(61.35 / 74.2, rel=0.01)

    await card.locator('g.candidate[data-key="go"]').hover()
    await expect(card.locator(".tooltip")).to_have_text(
        "Octopus GoNet: £80.05£5.85 dearerEligibility: needs an electric vehicle"
    )
    await card.locator('g.candidate[data-key="tracker"]').click()
    table = card.locator("table.months")
    await expect(table.locator("caption")).to_have_text("Month by month: Octopus Tracker")
    await expect(table.locator("tbody tr")).to_have_count(2)
    await expect(table.locator("tbody tr").first.locator("th")).to_have_text("October 2025")
    assert len(await data_calls(page, "compare")) == 1, "the months come with the answer"


async def test_loading_empty_error_and_prompt_states_show_text(card_page: CardPage) -> None:
    """A card is never blank: each state says what is going on."""
    page = card_page.page
    await expect(page.locator("#loading .state")).to_have_text("Loading…")
    await expect(page.locator("#empty .state")).to_have_text("No data for this period.")
    error = page.locator("#error .state")
    await expect(error).to_have_text("Error: No octopus_viz account with id error")
    await expect(error).to_have_attribute("role", "alert")
    # Half-filled custom period: a prompt in the card (not an error), and nothing asked.
    prompt = page.locator("#prompt .state")
    await expect(prompt).to_have_text("Choose a start and an end date to show this period.")
    await expect(prompt).to_have_class("state prompt")
    await expect(prompt).to_have_attribute("role", "status")
    assert await data_calls(page, "prompt") == []
    await page.locator("#prompt input[data-key='end']").fill("2025-10-30")
    await expect(prompt).to_have_text("The start date must be on or before the end date.")
    await page.locator("#prompt input[data-key='end']").fill("2025-11-10")
    await page.wait_for_function(
        "() => document.getElementById('prompt')._chart?.count === 10 * 48"
    )
    assert (await data_calls(page, "prompt"))[-1]["start"] == "2025-11-01"

    for view in ("profile", "combined", "daily", "compare"):
        await choose(page.locator("#empty"), "view", view)
        await page.wait_for_timeout(60)
        await expect(page.locator("#empty .state")).to_have_text("No data for this period.")
    text = await page.evaluate(
        """() => {
            const card = document.createElement("octopus-viz-card");
            card.setConfig({type: "custom:octopus-viz-card"});
            document.body.append(card);
            return card.shadowRoot.querySelector(".state").textContent;
        }"""
    )
    assert text == "Waiting for Home Assistant…"


async def test_controls_requery_once_per_change(card_page: CardPage) -> None:
    """Each control sends exactly one matching request; custom dates start from the screen."""
    page = card_page.page
    card = page.locator("#profile")
    await expect(card.locator("g.slot")).to_have_count(48)
    custom = card.locator(".custom")
    await expect(custom).to_be_hidden()
    await choose(card, "period", "last_7_days")
    assert (await wait_calls(page, "profile", 2))[-1]["period"] == "last_7_days"
    for view, shown in (
        ("heatmap", ["direction", "unit"]),
        ("combined", ["unit", "stat"]),
        ("daily", ["direction", "unit"]),
        ("compare", []),
    ):
        before = len(await data_calls(page, "profile"))
        await choose(card, "view", view)
        calls = await wait_calls(page, "profile", before + 1)
        assert len(calls) == before + 1
        assert calls[-1]["type"] == f"octopus_viz/{view}"
        for key in ("direction", "unit", "stat"):
            control = card.locator(f'select[data-key="{key}"]')
            await (
                expect(control).to_be_visible() if key in shown else expect(control).to_be_hidden()
            )
    await choose(card, "view", "heatmap")
    await wait_calls(page, "profile", 7)
    assert await page.evaluate("document.getElementById('profile')._chart.count") == 7 * 48
    await choose(card, "period", "custom")
    calls = await wait_calls(page, "profile", 8)
    assert calls[-1] == {
        "type": "octopus_viz/heatmap",
        "entry_id": "demo",
        "direction": "import",
        "unit": "kwh",
        "start": "2025-11-14",
        "end": "2025-11-20",
    }
    await expect(custom).to_be_visible()
    # The profile card's account has a gas meter: "Gas" is offered.
    await expect(
        card.locator('select[data-key="direction"] option[value="gas"]')
    ).not_to_have_attribute("hidden", "")
    gas_hidden = await page.locator(
        '#combined select[data-key="direction"] option[value="gas"]'
    ).get_attribute("hidden")
    assert gas_hidden is not None, "no gas meter, no Gas option"


async def test_keyboard_reaches_every_item_and_announces_it(card_page: CardPage) -> None:
    """Tab to a chart, arrows move over its items, the value is said in a live region."""
    page = card_page.page
    profile = page.locator("#profile")
    await expect(profile.locator("g.slot")).to_have_count(48)
    svg = profile.locator("svg.profile")
    await expect(svg).to_have_attribute("tabindex", "0")
    await svg.focus()
    await page.keyboard.press("ArrowRight")
    live = profile.locator(".sr[aria-live='polite']")
    await expect(live).to_have_text("00:00 to 00:30, 0.14 kWh (mean of 30 days)")
    await page.keyboard.press("ArrowRight")
    await page.keyboard.press("ArrowRight")
    await expect(live).to_have_text("01:00 to 01:30, 1.74 kWh (mean of 30 days)")
    await expect(profile.locator("g.slot.focused")).to_have_attribute("data-slot", "2")
    await page.keyboard.press("End")
    await expect(live).to_contain_text("23:30 to 00:00")

    heatmap = page.locator("#heatmap")
    await heatmap.locator("svg.heatmap").focus()
    await page.keyboard.press("ArrowRight")
    await page.keyboard.press("ArrowDown")
    await expect(heatmap.locator(".sr")).to_contain_text("Thu, 23 Oct 2025, 00:00 to 00:30, £")

    daily = page.locator("#daily")
    await daily.locator("svg.daily").focus()
    await page.keyboard.press("ArrowRight")
    first = (await last_response(page, "daily"))["days"][0]["value"]
    await expect(daily.locator(".sr")).to_have_text(f"Wed, 22 Oct 2025, {decimals(first)} kWh")
    await page.keyboard.press("Enter")
    await expect(daily.locator("svg.day-detail g.slot")).to_have_count(48)


async def test_reduced_motion_is_respected(card_page: CardPage) -> None:
    """Transitions exist only when the system does not ask for reduced motion."""
    page = card_page.page
    await expect(page.locator("#profile g.slot")).to_have_count(48)
    read = """() => getComputedStyle(document.getElementById("profile").shadowRoot
        .querySelector("rect.bar")).transitionDuration"""
    await page.emulate_media(reduced_motion="no-preference")
    assert "0.15s" in await page.evaluate(read)
    await page.emulate_media(reduced_motion="reduce")
    assert await page.evaluate(read) == "0s"


async def test_default_colours_keep_contrast_on_light_and_dark_cards(card_page: CardPage) -> None:
    """Import blue, export orange and gas have at least 3:1 against both card backgrounds."""
    page = card_page.page
    read = """() => {
        const host = document.getElementById("profile");
        const css = getComputedStyle(host.shadowRoot.querySelector(".wrap"));
        const probe = name => {
            const el = document.createElement("span");
            el.style.color = `var(${name})`;
            host.shadowRoot.querySelector(".wrap").append(el);
            const c = getComputedStyle(el).color;
            el.remove();
            return c;
        };
        return {import: probe("--ovz-import"), export: probe("--ovz-export"),
                gas: probe("--ovz-gas"), base: probe("--ovz-base")};
    }"""
    light = await page.evaluate(read)
    await page.evaluate("window.applyDarkTheme()")
    dark = await page.evaluate(read)
    for theme in (light, dark):
        for key in ("import", "export", "gas"):
            ratio = contrast(rgb(theme[key]), rgb(theme["base"]))
            assert ratio >= 3, (key, theme, ratio)
    assert rgb(light["base"]) == (255, 255, 255)
    assert rgb(dark["base"]) == (28, 28, 28)


async def test_screenshots_of_every_view_in_light_and_dark(card_page: CardPage) -> None:
    """The README's pictures: each view, light and dark (refreshed with UPDATE_SCREENSHOTS=1)."""
    page = card_page.page
    views = {"profile": "profile", "combined": "combined", "heatmap": "heatmap"}
    views |= {"daily": "daily", "compare": "compare"}
    for card in views:
        await expect(page.locator(f"#{card} svg").first).to_be_visible()
    await page.locator("#compare g.candidate[data-key='agile']").click()
    await page.mouse.move(0, 0)
    for theme in ("light", "dark"):
        if theme == "dark":
            await page.evaluate("window.applyDarkTheme()")
        for card, name in views.items():
            png = await page.locator(f"#{card}").screenshot()
            save_screenshot(png, f"card-{name}-{theme}.png", docs=True)
    welsh = page.locator("#welsh")
    await expect(welsh.locator("g.slot")).to_have_count(48)
    save_screenshot(await welsh.screenshot(), "card-welsh-dark.png", docs=True)
