"""The API docs (issue 12): off by default; with ASKROOM_API_DOCS=true, Swagger UI from
vendored, pinned files under the pages' own CSP. /openapi.json is always served."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from app.headers import CONTENT_SECURITY_POLICY
from tests.server import Server


@pytest.fixture
def docs_server(tmp_path: Path) -> Iterator[Server]:
    running = Server(tmp_path / "askroom.db", env={"ASKROOM_API_DOCS": "true"}).start()
    yield running
    running.stop()


def test_no_docs_pages_by_default_but_the_openapi_document(http: httpx.Client) -> None:
    for path in ("/docs", "/redoc", "/docs/oauth2-redirect"):
        assert http.get(path).status_code == 404, path
    document = http.get("/openapi.json")
    assert document.status_code == 200
    assert document.json()["info"]["title"] == "Askroom"


def test_docs_when_on_load_only_our_own_pinned_files_under_the_pages_csp(
        docs_server: Server) -> None:
    with httpx.Client(base_url=docs_server.url, timeout=10) as http:
        page = http.get("/docs")
        assert page.status_code == 200
        assert page.headers["content-security-policy"] == CONTENT_SECURITY_POLICY
        assert page.headers["x-frame-options"] == "DENY"
        sources = re.findall(r'(?:src|href)="([^"]+)"', page.text)
        assert sources and all(source.startswith("/static/") for source in sources), sources
        assert "<script>" not in page.text  # nothing inline: the CSP would refuse it
        assert any(re.search(r"/vendor/swagger-ui-\d+\.\d+\.\d+-bundle\.js$", s)
                   for s in sources)
        for source in sources:
            assert http.get(source).status_code == 200, source
        # ReDoc needs inline styles, which the CSP forbids: not served at all.
        assert http.get("/redoc").status_code == 404
        assert http.get("/openapi.json").status_code == 200
