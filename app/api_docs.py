"""The interactive API docs at /docs, only with ASKROOM_API_DOCS=true (off by default).

They run on the origin where keys and tokens live in localStorage, so they get nothing
the pages do not: Swagger UI from a vendored, pinned copy (app/static/vendor/, the
version in the file names), started by a script file, under the pages' CSP. ReDoc is
not served: it needs inline styles, which that CSP forbids. /openapi.json is always on.
"""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import HTMLResponse

SWAGGER_UI = "5.35.0"

router = APIRouter(include_in_schema=False)

_PAGE = f"""<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Askroom API</title>
<link rel="icon" href="/static/favicon.svg" type="image/svg+xml">
<link rel="stylesheet" href="/static/vendor/swagger-ui-{SWAGGER_UI}.css">
</head>
<body>
<div id="swagger-ui"></div>
<script src="/static/vendor/swagger-ui-{SWAGGER_UI}-bundle.js" defer></script>
<script src="/static/js/api-docs.js" defer></script>
</body>
</html>
"""


@router.get("/docs", response_class=HTMLResponse)
async def docs() -> HTMLResponse:
    return HTMLResponse(_PAGE)
