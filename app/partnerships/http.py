"""The partnership routes (SPEC §10) and its page, /p/{id}. Thin, like app/rooms/http:
validate, call the log, answer."""

from __future__ import annotations

from typing import Annotated, Any

import orjson
from fastapi import APIRouter, Depends, Path, Query, Request, Response
from fastapi.responses import HTMLResponse, JSONResponse
from starlette.concurrency import run_in_threadpool

from app.partnerships import export, log, matters
from app.partnerships import schemas as s
from app.ratelimit import LimitProgress, LimitRooms
from app.rooms.http.deps import (
    KEY_OPTIONAL,
    REFUSALS,
    Code,
    Credential,
    HubDep,
    ServiceDep,
    SettingsDep,
    api_router,
    errors,
    public_origin,
)
from app.rooms.http.pages import page
from app.rooms.http.publish import run
from app.rooms.rules import parse_room_code
from app.rooms.schemas import ProgressPost

router = api_router()
pages = APIRouter(include_in_schema=False)

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
Reference = Annotated[str, Path(min_length=1, max_length=24,
                                description="A register reference, such as EPB-3-07.")]
PartnershipId = Annotated[str, Path(min_length=1, max_length=16,
                                    description="The partnership's id.")]


@router.post("/partnerships", status_code=201, response_model=s.PartnershipCreated,
             tags=["partnerships"])
async def create_partnership(body: s.PartnershipCreate, request: Request,
                             service: ServiceDep, settings: SettingsDep,
                             _limit: LimitRooms) -> dict[str, Any]:
    """Start a partnership. Its two keys are shown once, here, and never again."""
    partnership, backbone_key, member_key = await run_in_threadpool(
        log.create, service.log, body.title, body.mission, body.members, body.timezone,
        body.ref_prefix)
    origin = public_origin(request, settings)
    return {**partnership, "backbone_key": backbone_key, "member_key": member_key,
            "page_url": f"{origin}/p/{partnership['id']}#key={backbone_key}"}


@router.get("/partnerships/{pid}", response_model=s.PartnershipOut,
            responses=errors(401, 403, 404), tags=["partnerships"])
async def get_partnership(pid: PartnershipId, token: Credential,
                          service: ServiceDep) -> dict[str, Any]:
    """The partnership and its meetings (its backbone or member key)."""
    return await run_in_threadpool(log.read, service.log, pid, token)


class RegisterFilters:
    """The register's filters, as query parameters of the register and its exports."""

    def __init__(self, organisation: Annotated[s.Member | None, Query()] = None,
                 status: Annotated[s.EntryStatus | None, Query()] = None,
                 meeting: Annotated[int | None, Query(ge=1, le=10_000)] = None,
                 overdue: Annotated[bool | None, Query()] = None) -> None:
        self.chosen = {"organisation": organisation, "status": status, "meeting": meeting,
                       "overdue": overdue}


Filters = Annotated[RegisterFilters, Depends()]


async def _register(service: ServiceDep, pid: str, token: str | None,
                    filters: RegisterFilters) -> dict[str, Any]:
    return await run_in_threadpool(log.read_register, service.log, pid, token,
                                   **filters.chosen)


@router.get("/partnerships/{pid}/register", response_model=s.RegisterOut,
            responses=errors(401, 403, 404), tags=["partnerships"])
async def read_register(pid: PartnershipId, token: Credential, service: ServiceDep,
                        filters: Filters) -> Response:
    """The action register: every commitment of every meeting, with its reference
    (EPB-3-07), owner, progress and whole history; filtered by the owner's organisation,
    status, meeting or overdue. The member key sees it as the rooms did."""
    # Answered as read (RegisterOut documents it): ten thousand entries through the
    # response model's validation and encoder cost a third again of reading them.
    return Response(orjson.dumps(await _register(service, pid, token, filters)),
                    media_type="application/json")


def _file(pid: str, extension: str) -> dict[str, str]:
    # The partnership's own code (the register was found by it), never the path's spelling.
    code = parse_room_code(pid) or "partnership"
    return {"Content-Disposition": f'attachment; filename="askroom-register-{code}.{extension}"'}


@router.get("/partnerships/{pid}/register.json", responses=errors(401, 403, 404),
            tags=["partnerships"])
async def register_json(pid: PartnershipId, token: Credential, service: ServiceDep,
                        filters: Filters) -> JSONResponse:
    """The register as JSON, as GET /register answers it."""
    register = await _register(service, pid, token, filters)
    return JSONResponse(register, headers=_file(pid, "json"))


@router.get("/partnerships/{pid}/register.csv", response_class=Response,
            responses=errors(401, 403, 404), tags=["partnerships"])
async def register_csv(pid: PartnershipId, token: Credential, service: ServiceDep,
                       filters: Filters) -> Response:
    """One row per commitment, UTF-8 with a BOM; formula-like cells neutralised."""
    register = await _register(service, pid, token, filters)
    return Response(export.register_csv(register["entries"]), headers=_file(pid, "csv"),
                    media_type="text/csv; charset=utf-8")


@router.get("/partnerships/{pid}/register.xlsx", response_class=Response,
            responses=errors(401, 403, 404), tags=["partnerships"])
async def register_xlsx(pid: PartnershipId, token: Credential, service: ServiceDep,
                        filters: Filters) -> Response:
    """Sheets Register, By organisation, By meeting (each with its kept rate: the share
    of commitments done) and History (every progress report)."""
    register = await _register(service, pid, token, filters)
    content = await run_in_threadpool(export.register_xlsx, register["entries"])
    return Response(content, headers=_file(pid, "xlsx"), media_type=XLSX)


@router.patch("/partnerships/{pid}", response_model=s.PartnershipOut, responses=REFUSALS,
              tags=["partnerships"])
async def change_partnership(pid: PartnershipId, body: s.PartnershipChange, token: Credential,
                             service: ServiceDep) -> dict[str, Any]:
    """Rename it, restate its mission, change its members or time zone (backbone)."""
    return await run_in_threadpool(log.change, service.log, pid, token, **body.model_dump())


@router.delete("/partnerships/{pid}", status_code=204, responses=REFUSALS,
               tags=["partnerships"])
async def delete_partnership(pid: PartnershipId, token: Credential, service: ServiceDep,
                             hub: HubDep) -> Response:
    """Delete the partnership and every meeting of it, now (backbone). Their streams
    close with 4404."""
    for code in await run_in_threadpool(log.delete, service.log, pid, token):
        await hub.room_deleted(code)
    return Response(status_code=204)


@router.post("/partnerships/{pid}/rooms", status_code=201, response_model=s.MeetingCreated,
             responses=REFUSALS, tags=["partnerships"])
async def open_meeting(pid: PartnershipId, body: s.MeetingCreate, token: Credential,
                       request: Request, service: ServiceDep,
                       settings: SettingsDep) -> dict[str, Any]:
    """Open the partnership's next meeting (backbone): a room numbered next in the
    series, whose facilitator key is the backbone key and organiser key the member key."""
    room = await run_in_threadpool(log.open_meeting, service.log, pid, token, body.title,
                                   body.purpose, body.run_by)
    base = f"{public_origin(request, settings)}/r/{room['code']}"
    return {**room, "join_url": base, "board_url": f"{base}/board",
            "facilitate_url": f"{base}/facilitate"}


# --- matters arising, in a meeting -------------------------------------------------------


@router.get("/rooms/{code}/matters", response_model=s.MattersOut, responses=errors(401, 404),
            tags=["matters arising"], openapi_extra=KEY_OPTIONAL)
async def open_matters(code: Code, token: Credential, service: ServiceDep) -> dict[str, Any]:
    """The open commitments of the partnership's earlier meetings (none for a room that is
    not a meeting of one): as the rooms saw them, or in full with a staff key."""
    return await run_in_threadpool(matters.open_matters, service.log, code, token)


@router.post("/rooms/{code}/matters/{ref}/progress", response_model=s.RegisterEntry,
             responses=REFUSALS, tags=["matters arising"])
async def report_matter(code: Code, ref: Reference, body: ProgressPost, token: Credential,
                        service: ServiceDep, hub: HubDep, _limit: LimitProgress) -> Any:
    """Report progress on a matter arising: someone present from the owner's
    organisation, or the facilitator on their behalf. The commitment changes where it was
    made, its history keeps the report, and this meeting's stream gets matter.updated."""
    outcome = await run(service, hub, matters.report, service.log, code, token, ref,
                        progress=body.progress, note=body.note)
    return outcome.body


@pages.get("/p/{pid}", response_class=HTMLResponse)
async def partnership_page(request: Request, pid: str) -> HTMLResponse:
    """The shell; the page reads the partnership with the key in its fragment."""
    return page(request, "partnership.html", pid=pid)


@pages.get("/p", response_class=HTMLResponse)
async def new_partnership_page(request: Request) -> HTMLResponse:
    return page(request, "partnership_new.html")
