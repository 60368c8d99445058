"""Debian's headless chromium driving the real Home Assistant frontend (Playwright, async)."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from concurrent.futures import ThreadPoolExecutor
import contextlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from playwright.async_api import ConsoleMessage, Error, Page, Request, async_playwright
import pytest

from .ha_client import PASSWORD, USERNAME

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
    "--disable-quic",
]
TIMEOUT_MS = 30_000  # the frontend is a few MB of JavaScript; 2 CPUs parse it in seconds


@dataclass
class BrowserLog:
    """Console errors, uncaught page errors and requests seen by the page."""

    console_errors: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)
    requested: list[str] = field(default_factory=list)

    def about(self, needle: str) -> list[str]:
        """The errors whose text or source mentions `needle`."""
        return [e for e in self.console_errors + self.page_errors if needle in e]

    def dump(self, path: Path) -> None:
        """Write everything for a human to read after a failure."""
        lines = ["# console errors", *self.console_errors, "# page errors", *self.page_errors]
        path.write_text("\n".join(lines) + "\n")


def require_chromium() -> None:
    """Fail loudly (never skip) when the browser is missing: CI installs it."""
    if not CHROMIUM.exists():
        pytest.fail(
            f"{CHROMIUM} is missing: install Debian's chromium (apt-get install -y chromium) "
            "to run the end-to-end browser checks"
        )


@contextlib.asynccontextmanager
async def _joined_executor_threads() -> AsyncIterator[None]:
    """Give the loop a fresh default executor, and join its threads on exit.

    Playwright runs some work in the loop's default executor. The HA test plugin fails a test
    that leaves threads behind, and only shuts down the executor of the function loop, not of
    the module loop this test runs on.
    """
    loop = asyncio.get_running_loop()
    executor = ThreadPoolExecutor(thread_name_prefix="e2e-browser")
    loop.set_default_executor(executor)
    try:
        yield
    finally:
        executor.shutdown(wait=True)  # idle by now: joins at once
        loop.set_default_executor(ThreadPoolExecutor())  # no thread until first used


@contextlib.asynccontextmanager
async def open_page(
    log: BrowserLog,
    service_workers: Literal["allow", "block"] = "allow",
    extra_args: tuple[str, ...] = (),
) -> AsyncIterator[Page]:
    """A fresh headless chromium page (call `require_chromium` first); with service workers
    blocked, routes see every request (a worker would answer some itself)."""
    async with _joined_executor_threads(), async_playwright() as playwright:
        browser = await playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=[*CHROMIUM_ARGS, *extra_args]
        )
        try:
            context = await browser.new_context(
                viewport={"width": 1280, "height": 1000}, service_workers=service_workers
            )
            page = await context.new_page()
            page.set_default_timeout(TIMEOUT_MS)

            def on_console(message: ConsoleMessage) -> None:
                if message.type == "error":
                    source = message.location.get("url", "")
                    log.console_errors.append(f"{message.text} (at {source})")

            def on_page_error(error: Error) -> None:
                log.page_errors.append(f"{error.name}: {error.message}\n{error.stack}")

            def on_request(request: Request) -> None:
                log.requested.append(request.url)

            page.on("console", on_console)
            page.on("pageerror", on_page_error)
            page.on("request", on_request)
            yield page
        finally:
            await browser.close()


async def log_in(page: Page, base: str) -> None:
    """Through the login form, as a person would; then wait for the stored tokens."""
    await page.goto(f"{base}/")
    await page.get_by_role("textbox", name="Username").fill(USERNAME)
    await page.get_by_role("textbox", name="Password").fill(PASSWORD)
    await page.get_by_role("button", name="Log in").click()
    # The frontend trades the auth code for tokens and keeps them ("Keep me logged in").
    await page.wait_for_function("() => !!localStorage.getItem('hassTokens')")
    await page.locator("home-assistant").wait_for(state="attached")
