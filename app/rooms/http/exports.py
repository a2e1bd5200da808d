"""The API's reads of the log: a page of events, and the exports (JSON, CSV, XLSX) for
facilitator and organiser."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import Query, Response
from fastapi.responses import JSONResponse
from starlette.concurrency import run_in_threadpool

from app.rooms import schemas as s
from app.rooms.export import export_filename, log_to_csv, log_to_xlsx
from app.rooms.http.deps import KEY_OPTIONAL, Code, Credential, ServiceDep, api_router, errors

router = api_router()
# The most events one GET /events answers: a page of the log, never all of it at once.
EVENTS_PAGE = 1000
EXPORT_ERRORS = errors(401, 403, 404)


@router.get("/rooms/{code}/events", response_model=s.EventPage,
            responses=errors(401, 404), tags=["stream"], openapi_extra=KEY_OPTIONAL)
async def events(code: Code, token: Credential, service: ServiceDep,
                 after: Annotated[int, Query(ge=0, le=2**62)] = 0,
                 limit: Annotated[int, Query(ge=1, le=EVENTS_PAGE)] = EVENTS_PAGE) -> Any:
    """The events after `after`, in order, at most `limit` of them (`more` says whether
    later ones wait: ask again after the last seq); as the public may see them, or, with
    a facilitator or organiser key, all of them."""
    private = False
    if token:
        actor = await run_in_threadpool(service.whoami, code, token)
        private = actor.is_staff
    frames, seq = await run_in_threadpool(service.events_after, code, after, private=private,
                                          limit=limit + 1)
    return {"events": frames[:limit], "seq": seq, "more": len(frames) > limit}


def _attachment(log: dict[str, Any], extension: str) -> dict[str, str]:
    return {"Content-Disposition": f'attachment; filename="{export_filename(log, extension)}"'}


def _download(content: bytes, media_type: str, log: dict[str, Any], extension: str) -> Response:
    return Response(content, media_type=media_type, headers=_attachment(log, extension))


@router.get("/rooms/{code}/export.json", responses=EXPORT_ERRORS, tags=["exports"])
async def export_json(code: Code, token: Credential, service: ServiceDep) -> JSONResponse:
    """The whole log: room, prompts, participants, cards and every event (SPEC §6)."""
    log = await run_in_threadpool(service.export_log, code, token)
    return JSONResponse(log, headers=_attachment(log, "json"))


@router.get("/rooms/{code}/export.csv", response_class=Response, responses=EXPORT_ERRORS,
            tags=["exports"])
async def export_csv(code: Code, token: Credential, service: ServiceDep) -> Response:
    """One row per card, UTF-8 with BOM for Excel; formula-like cells neutralised."""
    log = await run_in_threadpool(service.export_log, code, token)
    return _download(log_to_csv(log), "text/csv; charset=utf-8", log, "csv")


@router.get("/rooms/{code}/export.xlsx", response_class=Response, responses=EXPORT_ERRORS,
            tags=["exports"])
async def export_xlsx(code: Code, token: Credential, service: ServiceDep) -> Response:
    """The log, plus Commitments, Organisations and Progress (every report of progress)
    sheets."""
    log = await run_in_threadpool(service.export_log, code, token, history=True)
    media = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    return _download(await run_in_threadpool(log_to_xlsx, log), media, log, "xlsx")


@router.get("/rooms/{code}/progress", response_model=list[s.ProgressUpdateOut],
            responses=EXPORT_ERRORS, tags=["exports"])
async def progress_history(code: Code, token: Credential, service: ServiceDep) -> Any:
    """Every report of progress on the room's commitments, oldest first, with who made it
    and when (facilitator or organiser): a commitment itself holds only the latest."""
    return await run_in_threadpool(service.progress_history, code, token)
