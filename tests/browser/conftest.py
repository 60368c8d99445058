"""Fixtures for the card's browser tests: a loopback HTTP server and Debian's headless chromium.

The page and the card module are served from the repository root (ES modules cannot load from
file://). Playwright's async API runs on the test's own event loop, which keeps it clear of the
Home Assistant plugin's loop fixtures; everything started here is stopped in teardown because
the plugin fails tests that leave threads behind.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass, field
import functools
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
import threading
from typing import Any

from playwright.async_api import Browser, ConsoleMessage, Page, async_playwright
import pytest
import pytest_asyncio

REPO_ROOT = Path(__file__).resolve().parents[2]
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
PAGE_PATH = "/tests/browser/card_test_page.html"


class _QuietHandler(SimpleHTTPRequestHandler):
    """Static files from the repository root, without a log line per request."""

    def log_message(self, format: str, *args: Any) -> None:
        """Stay silent: pytest output should show failures, not access logs."""


@pytest.fixture
def http_root(socket_enabled: None) -> Iterator[str]:
    """Serve the repository on 127.0.0.1 (a free port) for the duration of a test."""
    handler = functools.partial(_QuietHandler, directory=str(REPO_ROOT))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, name="card-test-http", daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        server.server_close()  # also joins the per-request threads
        thread.join(timeout=5)


@pytest.fixture(scope="session")
def chromium() -> Path:
    """Debian's chromium; a missing browser fails the tests loudly instead of skipping them."""
    if not CHROMIUM.exists():
        pytest.fail(
            f"{CHROMIUM} is missing: install Debian's chromium (apt-get install -y chromium) "
            "to run the browser tests"
        )
    return CHROMIUM


@pytest_asyncio.fixture(scope="session", loop_scope="session")
async def browser(chromium: Path) -> AsyncIterator[Browser]:
    """Headless Debian chromium (Playwright's own browser download is not available).

    One browser for the session (each test gets a fresh page): starting the Playwright driver
    and chromium costs about a second. Tests using it run on the session loop (see the
    `pytestmark` of the test modules), since Playwright objects belong to the loop they started on.
    """
    async with async_playwright() as playwright:
        launched = await playwright.chromium.launch(
            executable_path=str(chromium), headless=True, args=CHROMIUM_ARGS
        )
        try:
            yield launched
        finally:
            await launched.close()


@dataclass
class CardPage:
    """The loaded test page and the console errors seen so far."""

    page: Page
    errors: list[str] = field(default_factory=list)


@pytest_asyncio.fixture(loop_scope="session")
async def card_page(browser: Browser, http_root: str) -> AsyncIterator[CardPage]:
    """The test page, loaded; fails the test if the page logged any console error."""
    context = await browser.new_context(viewport={"width": 700, "height": 1000})
    page = await context.new_page()
    page.set_default_timeout(5000)  # fail fast: everything here is local
    result = CardPage(page)

    def on_console(message: ConsoleMessage) -> None:
        if message.type == "error":
            result.errors.append(message.text)

    page.on("console", on_console)
    page.on("pageerror", lambda error: result.errors.append(str(error)))
    await page.goto(http_root + PAGE_PATH)
    await page.wait_for_function("window.pageReady === true")
    yield result
    await context.close()
    assert not result.errors, f"console errors on the test page: {result.errors}"
