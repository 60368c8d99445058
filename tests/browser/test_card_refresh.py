"""Browser tests of when the card queries: out-of-order answers and the background refresh."""

from __future__ import annotations

from playwright.async_api import expect
import pytest

from .conftest import CardPage

# Playwright objects live on the loop that started the session-wide browser.
pytestmark = pytest.mark.asyncio(loop_scope="session")


async def test_a_late_answer_to_an_old_request_is_dropped(card_page: CardPage) -> None:
    """Switching period quickly: the slow first answer must not replace the second one."""
    result = await card_page.page.evaluate(
        """async () => {
            const answer = (msg) => ({
                title: msg.period, start: "2025-11-01", end: "2025-11-01", direction: "import",
                unit: "kwh", currency: "GBP", days: 1,
                slots: Array.from({length: 48}, (_, slot) => ({
                    slot, label: "", sum: msg.period === "last_7_days" ? 7 : 30,
                    mean: msg.period === "last_7_days" ? 7 : 30, days: 1,
                })),
            });
            const card = document.createElement("octopus-viz-card");
            card.setConfig({type: "custom:octopus-viz-card", period: "last_30_days"});
            card.hass = {locale: {language: "en-GB"}, callWS: (msg) => new Promise(resolve =>
                setTimeout(() => resolve(answer(msg)), msg.period === "last_30_days" ? 300 : 10))};
            document.body.append(card);
            const select = card.shadowRoot.querySelector('select[data-key="period"]');
            select.value = "last_7_days";
            select.dispatchEvent(new Event("change", {bubbles: true}));
            await new Promise(r => setTimeout(r, 500));
            const root = card.shadowRoot;
            return {
                subtitle: root.querySelector(".subtitle").textContent,
                value: root.querySelector("g.slot").dataset.value,
            };
        }"""
    )
    assert result == {"subtitle": "last_7_days · Sat, 1 Nov 2025", "value": "7"}


async def test_background_refresh_keeps_the_chart_on_screen(card_page: CardPage) -> None:
    """After 30 minutes the card asks again, without flashing the loading state."""
    page = card_page.page
    await page.clock.install()
    await page.reload()
    await page.wait_for_function("window.pageReady === true")
    card = page.locator("#profile")
    await expect(card.locator("g.slot")).to_have_count(48)
    await page.evaluate(
        """() => {
            window.stateShown = [];
            const body = document.getElementById("profile").shadowRoot.querySelector(".body");
            new MutationObserver(records => {
                for (const r of records) for (const n of r.addedNodes) {
                    if (n.classList?.contains("state")) window.stateShown.push(n.textContent);
                }
            }).observe(body, {childList: true});
        }"""
    )
    count = """() => window.wsCalls.filter(
        c => c.card === 'profile' && c.msg.type !== 'octopus_viz/entries').length"""
    await page.clock.run_for("29:00")
    assert await page.evaluate(count) == 1, "no refresh before 30 minutes"
    await page.clock.run_for("02:00")
    await page.wait_for_function(
        "() => window.wsResponses.filter(r => r.card === 'profile').length === 2"
    )
    assert await page.evaluate(count) == 2
    await expect(card.locator("g.slot")).to_have_count(48)
    assert await page.evaluate("window.stateShown") == []
