"""Every error answers `{"detail": <sentence>, "code": <stable code>}` (SPEC §3)."""

from __future__ import annotations

import logging
import re
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException

from app.ratelimit import RateLimited
from app.rooms.rules import Refusal

log = logging.getLogger("askroom")

STATUS_OF = {"invalid": 422, "unauthorised": 401, "forbidden": 403, "not_found": 404,
             "conflict": 409}
# The framework answers 400 only when it cannot read the body at all.
CODE_OF = {400: "malformed_json", 401: "unauthorised", 403: "forbidden", 404: "not_found",
           405: "method_not_allowed", 409: "conflict", 413: "too_large",
           415: "unsupported_media_type", 429: "rate_limited"}


def error(status: int, code: str, detail: str, **extra: Any) -> JSONResponse:
    headers = {"WWW-Authenticate": "Bearer"} if status == 401 else None
    return JSONResponse({"detail": detail, "code": code, **extra}, status_code=status,
                        headers=headers)


def _field(loc: tuple[Any, ...]) -> str:
    return ".".join(str(part) for part in loc if part != "body") or "body"


async def _refused(_request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, Refusal)
    return error(STATUS_OF[exc.kind], exc.code, exc.detail)


async def _invalid(_request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    problems = [{"field": _field(tuple(e.get("loc", ()))), "message": e.get("msg", ""),
                 "type": e.get("type", "")} for e in exc.errors()]
    if any(p["type"] == "json_invalid" for p in problems):
        return error(400, "malformed_json", "The body is not valid JSON.")
    first = problems[0] if problems else {"field": "body", "message": "invalid"}
    return error(422, "invalid_input", f"{first['field']}: {first['message']}", errors=problems)


async def _http(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, HTTPException)
    detail = "The body is not valid JSON." if exc.status_code == 400 else str(exc.detail)
    response = error(exc.status_code, CODE_OF.get(exc.status_code, "error"), detail)
    if exc.status_code == 405:
        response.headers["Allow"] = ", ".join(_allowed_methods(request))
    return response


def _allowed_methods(request: Request) -> list[str]:
    """Every method some route of this path answers (Starlette names only the first
    route's, and several routes share a path here), read from the OpenAPI document."""
    methods: set[str] = set()
    for pattern, verbs in _path_methods(request.app):
        if pattern.fullmatch(request.url.path):
            methods |= verbs
    return sorted(methods)


def _path_methods(app: FastAPI) -> list[tuple[re.Pattern[str], set[str]]]:
    cached = getattr(app.state, "path_methods", None)
    if cached is None:
        cached = [
            (re.compile(re.sub(r"\\\{[^}]+\\\}", "[^/]+", re.escape(path))),
             {verb.upper() for verb in operations})
            for path, operations in app.openapi()["paths"].items()
        ]
        app.state.path_methods = cached
    return cached  # type: ignore[no-any-return]


async def _rate_limited(_request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RateLimited)
    response = error(429, "rate_limited", exc.detail)
    response.headers["Retry-After"] = str(exc.retry_after)
    return response


async def _crash(request: Request, exc: Exception) -> JSONResponse:
    log.error("unhandled error on %s %s", request.method, request.url.path, exc_info=exc)
    return error(500, "internal_error", "Something went wrong on our side; nothing was changed.")


def install(app: FastAPI) -> None:
    app.add_exception_handler(Refusal, _refused)
    app.add_exception_handler(RequestValidationError, _invalid)
    app.add_exception_handler(HTTPException, _http)
    app.add_exception_handler(RateLimited, _rate_limited)
    app.add_exception_handler(Exception, _crash)
