"""Browser tests: Playwright driving Debian's Chromium (/usr/bin/chromium; scripts/test
installs it). Screenshots go to test-output/screenshots for a person to look at."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Browser, BrowserContext, ConsoleMessage, Page, sync_playwright

CHROMIUM = "/usr/bin/chromium"
SCREENSHOTS = Path(__file__).resolve().parents[2] / "test-output" / "screenshots"

PHONE = {"width": 360, "height": 740}
LAPTOP = {"width": 1366, "height": 860}
PROJECTOR = {"width": 1920, "height": 1080}
PROJECTOR_SMALL = {"width": 1280, "height": 720}


# Package scope: Playwright's sync API keeps an event loop running while it is open, and
# the async tests elsewhere need none running, so the browser closes when these tests end.
@pytest.fixture(scope="package")
def browser() -> Iterator[Browser]:
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: run the tests with `bash scripts/test`, "
                    "which installs Debian's chromium")
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, args=[
            "--no-sandbox", "--disable-gpu", "--disable-background-networking",
            "--disable-component-update", "--disable-sync", "--no-first-run",
            "--disable-quic"])
        yield launched
        launched.close()


@pytest.fixture
def contexts(browser: Browser) -> Iterator[Callable[..., BrowserContext]]:
    """Make browser contexts (each one a separate device); all closed after the test."""
    made: list[BrowserContext] = []

    def make(viewport: dict[str, int] | None = None, **options: object) -> BrowserContext:
        context = browser.new_context(viewport=viewport or LAPTOP, **options)  # type: ignore[arg-type]
        context.set_default_timeout(10_000)
        made.append(context)
        return context

    yield make
    for context in made:
        context.close()


_EXPECTED_HTTP_ERROR = re.compile(r"Failed to load resource: the server responded with a "
                                  r"status of 4\d\d")


class PageErrors:
    """JavaScript errors and console errors a page raised; a test asserts there are none."""

    def __init__(self) -> None:
        self.errors: list[str] = []

    def watch(self, page: Page) -> Page:
        page.on("pageerror", lambda error: self.errors.append(f"pageerror: {error}"))
        page.on("console", self._console)
        return page

    def _console(self, message: ConsoleMessage) -> None:
        # The browser logs every 4xx answer; a page that expects one (a refused key, a
        # locked room) and handles it has made no error.
        if message.type == "error" and not _EXPECTED_HTTP_ERROR.search(message.text):
            self.errors.append(f"console: {message.text}")


@pytest.fixture
def page_errors() -> PageErrors:
    return PageErrors()


def screenshot(page: Page, name: str, *, full_page: bool = False) -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{re.sub(r'[^a-z0-9-]+', '-', name.lower())}.png"
    page.screenshot(path=str(path), full_page=full_page)
    return path


_axe = Axe()


def assert_accessible(page: Page, where: str) -> None:
    """axe-core finds no serious or critical violation in the page as it is now."""
    results = _axe.run(page)
    bad = [v for v in results.response["violations"] if v["impact"] in ("serious", "critical")]
    details = "\n".join(
        f"{v['id']} ({v['impact']}): {v['help']} — " + "; ".join(
            n["target"][0] if isinstance(n["target"][0], str) else str(n["target"])
            for n in v["nodes"][:5])
        for v in bad)
    assert not bad, f"accessibility violations on {where}:\n{details}"
