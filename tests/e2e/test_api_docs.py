"""/docs with ASKROOM_API_DOCS=true renders in Chromium under the pages' CSP, from our
own files only: no CSP refusal, no request to another origin."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import BrowserContext, expect

from tests.e2e.conftest import (
    LAPTOP,
    PHONE,
    PROJECTOR,
    PROJECTOR_SMALL,
    PageErrors,
    screenshot,
)
from tests.server import Server


@pytest.fixture
def docs_server(tmp_path: Path) -> Iterator[Server]:
    running = Server(tmp_path / "askroom.db", env={"ASKROOM_API_DOCS": "true"}).start()
    yield running
    running.stop()


SIZES = [PHONE, {"width": 320, "height": 568}, LAPTOP, PROJECTOR, PROJECTOR_SMALL]


@pytest.mark.parametrize("size", SIZES, ids=lambda size: f"{size['width']}x{size['height']}")
def test_the_api_docs_render_from_our_own_files_under_the_csp(
        docs_server: Server, contexts: Callable[..., BrowserContext], page_errors: PageErrors,
        size: dict[str, int]) -> None:
    page = page_errors.watch(contexts(size).new_page())
    hosts: set[str] = set()
    page.on("request", lambda request: hosts.add(urlsplit(request.url).netloc))
    page.goto(f"{docs_server.url}/docs")
    expect(page.locator(".swagger-ui .info .title")).to_contain_text("Askroom")
    expect(page.locator(".opblock-summary-path").first).to_be_visible()
    screenshot(page, f"api-docs-{size['width']}x{size['height']}")
    # Its dialogs and "Try it out" work under the CSP too.
    page.get_by_role("button", name="Authorize").first.click()
    expect(page.locator(".modal-ux")).to_be_visible()
    page.locator(".modal-ux .close-modal").click()
    page.locator(".opblock-summary").first.click()
    page.get_by_role("button", name="Try it out").click()
    expect(page.get_by_role("button", name="Execute")).to_be_visible()
    assert hosts == {urlsplit(docs_server.url).netloc}
    assert page_errors.errors == []
