"""Browser tests of custom:octopus-viz-card: charts, states, controls and theme.

The page's stub `hass` records every websocket call (window.wsCalls) and every canned response
(window.wsResponses); the tests compare what the card draws with what it was sent.
Screenshots go to test-output/browser/; with UPDATE_SCREENSHOTS=1 the README ones in docs/ are
refreshed too.
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

READ_SLOTS = """els => els.map(e => ({
    slot: Number(e.dataset.slot),
    value: e.dataset.value === "" ? null : Number(e.dataset.value),
    label: e.getAttribute("aria-label"),
    bar: e.querySelector("rect.bar") && {
        y: Number(e.querySelector("rect.bar").getAttribute("y")),
        height: Number(e.querySelector("rect.bar").getAttribute("height")),
        fill: getComputedStyle(e.querySelector("rect.bar")).fill,
    },
}))"""

READ_ROWS = """rows => rows.map(r => ({
    date: r.dataset.date,
    cells: [...r.querySelectorAll("rect.cell")].map(c => ({
        slot: Number(c.dataset.slot),
        value: c.dataset.value === "" ? null : Number(c.dataset.value),
        label: c.getAttribute("aria-label"),
        fill: getComputedStyle(c).fill,
    })),
}))"""


async def ws_calls(page: Page, card: str) -> list[dict[str, Any]]:
    """The websocket messages a card sent, oldest first."""
    calls: list[dict[str, Any]] = await page.evaluate("window.wsCalls")
    return [call["msg"] for call in calls if call["card"] == card]


async def last_response(page: Page, card: str) -> dict[str, Any]:
    """The last canned response a card received."""
    responses: list[dict[str, Any]] = await page.evaluate("window.wsResponses")
    mine: list[dict[str, Any]] = [r["response"] for r in responses if r["card"] == card]
    return mine[-1]


async def choose(card: Locator, key: str, value: str) -> None:
    """Pick an option in one of the card's controls."""
    await card.locator(f'select[data-key="{key}"]').select_option(value)


async def wait_calls(page: Page, card: str, count: int) -> list[dict[str, Any]]:
    """Wait until a card has sent `count` messages and its chart is drawn again."""
    await page.wait_for_function(
        "([card, n]) => window.wsCalls.filter(c => c.card === card).length >= n", arg=[card, count]
    )
    calls = await ws_calls(page, card)
    await expect(page.locator(f"#{card} svg")).to_be_visible()
    return calls


def save_screenshot(png: bytes, name: str, *, docs: bool = False) -> None:
    """Keep a screenshot under test-output/, and in docs/ when asked to refresh them."""
    OUTPUT_DIR.mkdir(parents=True, exist_ok=True)
    path = OUTPUT_DIR / name
    path.write_bytes(png)
    if docs and os.environ.get("UPDATE_SCREENSHOTS") == "1":
        DOCS_DIR.mkdir(exist_ok=True)
        shutil.copyfile(path, DOCS_DIR / name)


async def test_profile_draws_48_bars_with_the_server_values(card_page: CardPage) -> None:
    """The profile view shows one bar per half hour, scaled and labelled with its mean."""
    page = card_page.page
    card = page.locator("#profile")
    await expect(card.locator("g.slot")).to_have_count(48)

    assert await ws_calls(page, "profile") == [
        {
            "type": "octopus_viz/profile",
            "entry_id": "demo",
            "period": "last_30_days",
            "direction": "import",
            "unit": "kwh",
        }
    ]
    response = await last_response(page, "profile")
    slots = await card.locator("g.slot").evaluate_all(READ_SLOTS)
    assert [s["slot"] for s in slots] == list(range(48))
    assert [s["value"] for s in slots] == [s["mean"] for s in response["slots"]]
    # Known values of the canned household: night base load, EV charging, evening peak.
    assert slots[0]["label"] == "00:00 to 00:30: 0.14 kWh"
    assert slots[2]["label"] == "01:00 to 01:30: 1.74 kWh"
    assert slots[36]["label"] == "18:00 to 18:30: 0.696 kWh"
    assert slots[47]["label"] == "23:30 to 00:00: 0.14 kWh"
    # Bar heights are proportional to the values (one linear scale from zero).
    ratios = {round(s["bar"]["height"] / s["value"], 3) for s in slots}
    assert max(ratios) - min(ratios) < 0.05

    await expect(card.locator("svg text").filter(has_text="21")).to_have_count(1)
    hours = await card.locator("svg.profile text[text-anchor='middle']").all_text_contents()
    assert hours == ["00", "03", "06", "09", "12", "15", "18", "21"]
    await expect(card.locator("h2")).to_have_text("Average day")
    await expect(card.locator(".subtitle")).to_contain_text("Octopus A-DEMO0001")
    await expect(card.locator(".subtitle")).to_contain_text("22 Oct")
    await expect(card.locator(".subtitle")).to_contain_text("20 Nov 2025")
    assert round(sum(s["mean"] for s in response["slots"]), 3) == 25.274
    await expect(card.locator(".meta")).to_contain_text("Average day: 25.274 kWh")
    await expect(card.locator(".meta")).to_contain_text("peak 00:30 (1.74 kWh)")

    # Hover: the tooltip names the slot, the value with its unit and how many days it averages.
    await card.locator('g.slot[data-slot="36"] rect.hit').hover()
    tooltip = card.locator(".tooltip")
    await expect(tooltip).to_be_visible()
    await expect(tooltip).to_contain_text("18:00\u201318:30")  # en dash
    await expect(tooltip).to_contain_text("0.696 kWh (mean of 30 days)")
    save_screenshot(await card.screenshot(), "card-profile.png", docs=True)


async def test_profile_net_goes_below_zero_and_stat_switches_locally(
    card_page: CardPage,
) -> None:
    """Net values draw below a zero line in the second colour; sum/mean needs no new query."""
    page = card_page.page
    card = page.locator("#profile")
    await expect(card.locator("g.slot")).to_have_count(48)

    await choose(card, "direction", "net")
    calls = await wait_calls(page, "profile", 2)
    assert calls[-1]["direction"] == "net"
    await expect(card.locator("g.slot")).to_have_count(48)
    response = await last_response(page, "profile")
    slots = await card.locator("g.slot").evaluate_all(READ_SLOTS)
    assert [s["value"] for s in slots] == [s["mean"] for s in response["slots"]]
    zero_y = float(await card.locator("line.zero").get_attribute("y1") or "nan")
    negative = [s for s in slots if s["value"] < 0]
    positive = [s for s in slots if s["value"] > 0]
    assert negative, "the canned net profile exports at midday"
    for s in negative:
        assert abs(s["bar"]["y"] - zero_y) < 0.015  # hangs from the zero line
    for s in positive:
        assert abs(s["bar"]["y"] + s["bar"]["height"] - zero_y) < 0.015  # stands on it
    assert {s["bar"]["fill"] for s in negative} != {s["bar"]["fill"] for s in positive}
    assert slots[24]["label"].startswith("12:00 to 12:30: -")

    await choose(card, "stat", "sum")
    await page.wait_for_timeout(50)
    assert len(await ws_calls(page, "profile")) == 2, "sum and mean come in the same response"
    slots = await card.locator("g.slot").evaluate_all(READ_SLOTS)
    assert [s["value"] for s in slots] == [s["sum"] for s in response["slots"]]
    await expect(card.locator(".meta")).to_contain_text("total over 30 days")

    await choose(card, "unit", "money")
    calls = await wait_calls(page, "profile", 3)
    assert calls[-1]["unit"] == "money"
    await expect(card.locator('g.slot[data-slot="0"]')).to_have_attribute(
        "aria-label", "00:00 to 00:30: £1.18"
    )  # 0.14 kWh x 30 days x £0.28 = £1.176: pennies only get a third decimal below £1
    save_screenshot(await card.screenshot(), "card-profile-net.png")


async def test_heatmap_draws_days_by_half_hours(card_page: CardPage) -> None:
    """The heatmap has one row per day and 48 cells per row, with values, labels and scale."""
    page = card_page.page
    card = page.locator("#heatmap")
    await expect(card.locator("g.row")).to_have_count(30)

    assert (await ws_calls(page, "heatmap"))[0] == {
        "type": "octopus_viz/heatmap",
        "entry_id": "demo",
        "period": "last_30_days",
        "direction": "net",
        "unit": "money",
    }
    response = await last_response(page, "heatmap")
    rows = await card.locator("g.row").evaluate_all(READ_ROWS)
    assert [r["date"] for r in rows] == [d["date"] for d in response["days"]]
    for row, day in zip(rows, response["days"], strict=True):
        assert [c["slot"] for c in row["cells"]] == list(range(48))
        assert [c["value"] for c in row["cells"]] == day["values"]

    first = rows[0]["cells"]
    assert first[0]["label"] == "Wed, 22 Oct 2025 00:00 to 00:30: £0.039"  # 0.14 kWh x £0.28
    last = rows[-1]["cells"]
    assert last[19]["value"] is not None
    assert last[20]["label"] == "Thu, 20 Nov 2025 10:00 to 10:30: no data"
    assert last[20]["fill"] == "rgba(0, 0, 0, 0)"

    # Diverging scale: the largest magnitude gets the full colour of its sign.
    values = [c for r in rows for c in r["cells"] if c["value"] is not None]
    extreme = max(values, key=lambda c: abs(c["value"]))
    assert extreme["value"] > 0
    # The --energy-grid-consumption-color fallback, #488fc2.
    assert all(abs(a - b) < 0.5 for a, b in zip(_rgb(extreme["fill"]), (72, 143, 194), strict=True))
    lowest = min(values, key=lambda c: c["value"])
    assert lowest["value"] < 0
    red, green, blue = _rgb(lowest["fill"])
    # Towards the purple export colour, not the blue import one.
    assert red > green
    assert blue > green

    hours = await card.locator("svg.heatmap > text:not([text-anchor])").all_text_contents()
    assert hours == ["00", "03", "06", "09", "12", "15", "18", "21"]
    date_labels = await card.locator("svg.heatmap text[text-anchor='end']").all_text_contents()
    assert date_labels[0] == "22 Oct"
    assert len(date_labels) >= 10
    await expect(card.locator(".legend .ramp")).to_be_visible()
    await expect(card.locator(".meta")).to_contain_text("over 30 days")
    await expect(card.locator(".meta")).to_contain_text("Data until 20 Nov, 10:00")

    await card.locator('g.row[data-row="3"] rect.cell[data-slot="35"]').hover()
    tooltip = card.locator(".tooltip")
    await expect(tooltip).to_contain_text("Sat, 25 Oct 2025")
    await expect(tooltip).to_contain_text("17:30\u201318:00")
    await expect(tooltip).to_contain_text("£")
    await page.mouse.move(0, 0)
    await expect(tooltip).to_be_hidden()
    save_screenshot(await card.screenshot(), "card-heatmap.png", docs=True)


def _rgb(css: str) -> tuple[float, float, float]:
    """Parse the 'rgb(r, g, b)' (or 'color(srgb r g b)') form of a computed colour."""
    if css.startswith("color(srgb"):
        r, g, b = (float(p) * 255 for p in css.removeprefix("color(srgb ").rstrip(")").split()[:3])
        return r, g, b
    r, g, b = (float(p) for p in css.removeprefix("rgb(").rstrip(")").split(",")[:3])
    return r, g, b


async def test_loading_empty_and_error_states_show_text(card_page: CardPage) -> None:
    """A card is never blank: each state says what is going on."""
    page = card_page.page
    await expect(page.locator("#loading .state")).to_have_text("Loading…")
    await expect(page.locator("#empty .state")).to_have_text("No data for this period.")
    error = page.locator("#error .state")
    await expect(error).to_have_text("Error: No octopus_viz account with id error")
    await expect(error).to_have_attribute("role", "alert")

    # An empty profile is also the empty state (all slots null), not 48 invisible bars.
    await choose(page.locator("#empty"), "view", "profile")
    await wait_calls_any(page, "empty", 2)
    await expect(page.locator("#empty .state")).to_have_text("No data for this period.")

    # Before Home Assistant hands over `hass`, the card says it is waiting.
    text = await page.evaluate(
        """() => {
            const card = document.createElement("octopus-viz-card");
            card.setConfig({type: "custom:octopus-viz-card"});
            document.body.append(card);
            return card.shadowRoot.querySelector(".state").textContent;
        }"""
    )
    assert text == "Waiting for Home Assistant…"


async def wait_calls_any(page: Page, card: str, count: int) -> None:
    """Wait for a card's `count`-th call and its answer, whatever the answer draws."""
    await page.wait_for_function(
        """([card, n]) => window.wsCalls.filter(c => c.card === card).length >= n
            && window.wsResponses.filter(r => r.card === card).length >= n""",
        arg=[card, count],
    )


async def test_controls_requery_with_the_right_request(card_page: CardPage) -> None:
    """Each control sends the matching websocket message; custom dates are checked first."""
    page = card_page.page
    card = page.locator("#profile")
    await expect(card.locator("g.slot")).to_have_count(48)
    custom = card.locator(".custom")
    await expect(custom).to_be_hidden()

    await choose(card, "period", "last_7_days")
    assert (await wait_calls(page, "profile", 2))[-1]["period"] == "last_7_days"
    await choose(card, "view", "heatmap")
    calls = await wait_calls(page, "profile", 3)
    assert calls[-1] == {
        "type": "octopus_viz/heatmap",
        "entry_id": "demo",
        "period": "last_7_days",
        "direction": "import",
        "unit": "kwh",
    }
    await expect(card.locator("g.row")).to_have_count(7)
    await expect(card.locator('select[data-key="stat"]')).to_be_hidden()

    # Custom starts from the range on screen, and sends dates instead of a period.
    await choose(card, "period", "custom")
    calls = await wait_calls(page, "profile", 4)
    assert calls[-1] == {
        "type": "octopus_viz/heatmap",
        "entry_id": "demo",
        "start": "2025-11-14",
        "end": "2025-11-20",
        "direction": "import",
        "unit": "kwh",
    }
    await expect(custom).to_be_visible()
    await custom.locator('[data-key="start"]').fill("2025-11-25")
    await expect(card.locator(".state.error")).to_contain_text("on or before the end date")
    assert len(await ws_calls(page, "profile")) == 4, "an impossible range is not sent"
    await custom.locator('[data-key="start"]').fill("2025-11-01")
    calls = await wait_calls(page, "profile", 5)
    assert (calls[-1]["start"], calls[-1]["end"]) == ("2025-11-01", "2025-11-20")
    await expect(card.locator("g.row")).to_have_count(20)

    await choose(card, "direction", "export")
    assert (await wait_calls(page, "profile", 6))[-1]["direction"] == "export"
    await choose(card, "unit", "money")
    assert (await wait_calls(page, "profile", 7))[-1]["unit"] == "money"


async def test_dark_theme_variables_apply(card_page: CardPage) -> None:
    """The card takes its colours from the theme's variables."""
    page = card_page.page
    await expect(page.locator("#heatmap g.row")).to_have_count(30)
    await page.evaluate("window.applyDarkTheme()")
    styles = await page.evaluate(
        """() => {
            const root = id => document.getElementById(id).shadowRoot;
            const css = (el, prop) => getComputedStyle(el)[prop];
            return {
                card: css(root("heatmap").querySelector("ha-card"), "backgroundColor"),
                title: css(root("heatmap").querySelector("h2"), "color"),
                muted: css(root("heatmap").querySelector(".subtitle"), "color"),
                select: css(root("heatmap").querySelector("select"), "backgroundColor"),
                error: css(root("error").querySelector(".state"), "color"),
            };
        }"""
    )
    assert styles == {
        "card": "rgb(28, 28, 28)",
        "title": "rgb(225, 225, 225)",
        "muted": "rgb(155, 155, 155)",
        "select": "rgb(28, 28, 28)",
        "error": "rgb(239, 83, 80)",
    }
    save_screenshot(await page.locator("#heatmap").screenshot(), "card-heatmap-dark.png")
    save_screenshot(await page.locator("#profile").screenshot(), "card-profile-dark.png")
