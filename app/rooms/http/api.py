"""The HTTP API, SPEC §3. Routes are thin: validate, call the service in a worker thread,
publish what it recorded, answer. Who may do what is checked by the service."""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Any

from fastapi import APIRouter, Path, Query, Request, Response
from fastapi.responses import JSONResponse
from starlette.concurrency import run_in_threadpool

from app.db import run_write
from app.prompts.library import load_library
from app.ratelimit import LimitCards, LimitJoins, LimitProgress, LimitRooms
from app.rooms import schemas as s
from app.rooms import views
from app.rooms.export import export_filename, log_to_csv, log_to_xlsx
from app.rooms.http.deps import Credential, HubDep, ServiceDep, SettingsDep, public_origin
from app.rooms.live.hub import Hub
from app.rooms.log.service import Outcome

Code = Annotated[str, Path(min_length=1, max_length=16, description="The room's join code.")]
CardId = Annotated[int, Path(ge=1, le=2**62)]
# The most events one GET /events answers: a page of the log, never all of it at once.
EVENTS_PAGE = 1000


def errors(*statuses: int) -> dict[int | str, dict[str, Any]]:
    return {status: {"model": s.InvalidOut if status == 422 else s.ErrorOut}
            for status in statuses}


router = APIRouter(prefix="/api", responses=errors(400, 413, 422, 429))
# Routes open to anyone with the code that also take a key (for the private view).
KEY_OPTIONAL = {"security": [{}, {"HTTPBearer": []}]}


async def run(hub: Hub, call: Callable[..., Outcome], *args: Any, **kwargs: Any) -> Outcome:
    """A command: its transaction (on the loop when SQLite is free: see run_write), then
    its events out to every stream."""
    outcome = await run_write(hub.service.engine, call, *args, **kwargs)
    await hub.publish(outcome.events)
    return outcome


async def run_long(hub: Hub, call: Callable[..., Outcome], *args: Any,
                   **kwargs: Any) -> Outcome:
    """A command whose work grows with the room (leaving rewrites every stored event):
    always in a worker thread, never holding up the loop."""
    outcome = await run_in_threadpool(call, *args, **kwargs)
    await hub.publish(outcome.events)
    return outcome


# --- rooms ------------------------------------------------------------------------------


@router.post("/rooms", status_code=201, response_model=s.RoomCreated, tags=["rooms"])
async def create_room(body: s.RoomCreate, request: Request, service: ServiceDep,
                      settings: SettingsDep, _limit: LimitRooms) -> dict[str, Any]:
    """Open a room. The two keys are shown once, here, and never again."""
    room, facilitator_key, organiser_key = await run_in_threadpool(
        service.create_room, body.title, body.purpose, body.run_by)
    origin = public_origin(request, settings)
    base = f"{origin}/r/{room['code']}"
    return {**room, "facilitator_key": facilitator_key, "organiser_key": organiser_key,
            "join_url": base, "board_url": f"{base}/board",
            "facilitate_url": f"{base}/facilitate#key={facilitator_key}"}


@router.get("/rooms/{code}", response_model=s.RoomOut, responses=errors(404), tags=["rooms"])
async def get_room(code: Code, service: ServiceDep) -> dict[str, Any]:
    return await run_in_threadpool(service.get_room, code)


@router.patch("/rooms/{code}", response_model=s.RoomOut, responses=errors(401, 403, 404, 409),
              tags=["rooms"])
async def change_room(code: Code, body: s.RoomChange, token: Credential, service: ServiceDep,
                      hub: HubDep) -> Any:
    """Rename, lock, unlock or close the room (facilitator)."""
    outcome = await run(hub, service.change_room, code, token, state=body.state,
                         title=body.title, purpose=body.purpose, run_by=body.run_by,
                         answers_held=body.answers_held)
    return outcome.body


# --- people -----------------------------------------------------------------------------


@router.get("/rooms/{code}/me", response_model=s.Whoami, responses=errors(401, 404),
            tags=["people"])
async def whoami(code: Code, token: Credential, service: ServiceDep) -> Any:
    """Whose key or token this is, in this room: lets a page check a stored credential."""
    actor = await run_in_threadpool(service.whoami, code, token)
    return {"role": actor.role, "participant": views.person(actor.participant)}


@router.post("/rooms/{code}/participants", status_code=201, response_model=s.JoinedParticipant,
             responses=errors(404, 409), tags=["people"])
async def join(code: Code, body: s.Join, service: ServiceDep, hub: HubDep,
               _limit: LimitJoins) -> Any:
    """Join the room while it is open. The token is shown once: keep it on the device."""
    return (await run(hub, service.join, code, body.name, body.organisation)).body


@router.get("/rooms/{code}/participants", response_model=list[s.Person],
            responses=errors(404), tags=["people"])
async def participants(code: Code, service: ServiceDep) -> Any:
    """Everyone in the room: the people and organisations a request can go to."""
    return await run_in_threadpool(service.participants, code)


# --- prompts and the timer --------------------------------------------------------------


@router.get("/prompts", response_model=list[s.LibraryEntry], tags=["prompts"])
async def prompt_library() -> Any:
    """The facilitation structures Askroom ships, with guidance for the facilitator."""
    return [entry.model_dump() for entry in load_library()]


@router.post("/rooms/{code}/prompts", status_code=201, response_model=s.PromptOut,
             responses=errors(401, 403, 404, 409), tags=["prompts"])
async def push_prompt(code: Code, body: s.PromptPush, token: Credential, service: ServiceDep,
                      hub: HubDep) -> Any:
    """Make a prompt current: from the library by key, or your own text."""
    outcome = await run(hub, service.push_prompt, code, token, library_key=body.library_key,
                         text=body.text, collects=body.collects, duration_s=body.duration_s,
                         self_commit=body.self_commit, identity_choice=body.identity_choice)
    return outcome.body


@router.post("/rooms/{code}/prompts/current/close", response_model=s.PromptOut,
             responses=errors(401, 403, 404, 409), tags=["prompts"])
async def close_prompt(code: Code, token: Credential, service: ServiceDep, hub: HubDep,
                       body: s.NoFields | None = None) -> Any:
    return (await run(hub, service.close_prompt, code, token)).body


@router.post("/rooms/{code}/timer", response_model=s.Timer,
             responses=errors(401, 403, 404, 409), tags=["prompts"])
async def set_timer(code: Code, body: s.TimerSet, token: Credential, service: ServiceDep,
                    hub: HubDep) -> Any:
    """Start the timer for `seconds`; 0 stops it."""
    return (await run(hub, service.set_timer, code, token, body.seconds)).body


# --- cards ------------------------------------------------------------------------------


@router.post("/rooms/{code}/cards", status_code=201, response_model=s.CardOut,
             responses={200: {"model": s.CardOut, "description": "A retry: the card that "
                              "this client_id already made."}, **errors(401, 403, 404, 409)},
             tags=["cards"])
async def post_card(code: Code, body: s.CardPost, token: Credential, response: Response,
                    service: ServiceDep, hub: HubDep, _limit: LimitCards) -> Any:
    """Post a request, an ask or an offer. The same client_id again returns the same card."""
    outcome = await run(hub, service.post_card, code, token, client_id=body.client_id,
                         kind=body.kind, text=body.text,
                         to_participant_id=body.to_participant_id,
                         to_organisation=body.to_organisation, reply_to=body.reply_to,
                         identity=body.identity)
    response.status_code = 201 if outcome.created else 200
    return outcome.body


@router.get("/rooms/{code}/cards", response_model=list[s.CardOut],
            responses=errors(401, 404), tags=["cards"], openapi_extra=KEY_OPTIONAL)
async def cards(code: Code, token: Credential, service: ServiceDep) -> Any:
    """The cards on the board, oldest first; with a facilitator or organiser key, hidden
    and withdrawn ones too."""
    return await run_in_threadpool(service.cards, code, token)


@router.post("/rooms/{code}/cards/{card_id}/reply", response_model=s.CardOut,
             responses=errors(401, 403, 404, 409), tags=["cards"])
async def reply(code: Code, card_id: CardId, body: s.ReplyPost, token: Credential,
                service: ServiceDep, hub: HubDep) -> Any:
    """Answer a request addressed to you or your organisation: yes, no, try or unclear."""
    outcome = await run(hub, service.reply, code, token, card_id, answer=body.answer,
                         note=body.note)
    return outcome.body


@router.post("/rooms/{code}/cards/{card_id}/accept", response_model=s.CardOut,
             responses=errors(401, 403, 404, 409), tags=["cards"])
async def accept(code: Code, card_id: CardId, token: Credential, service: ServiceDep,
                 hub: HubDep, body: s.NoFields | None = None) -> Any:
    """Accept an offer made to your ask or request: it becomes a commitment."""
    return (await run(hub, service.accept, code, token, card_id)).body


@router.post("/rooms/{code}/cards/{card_id}/withdraw", response_model=s.CardOut,
             responses=errors(401, 403, 404, 409), tags=["cards"])
async def withdraw(code: Code, card_id: CardId, token: Credential, service: ServiceDep,
                   hub: HubDep, body: s.NoFields | None = None) -> Any:
    return (await run(hub, service.withdraw, code, token, card_id)).body


@router.post("/rooms/{code}/cards/{card_id}/progress", response_model=s.CardOut,
             responses=errors(401, 403, 404, 409), tags=["cards"])
async def progress(code: Code, card_id: CardId, body: s.ProgressPost, token: Credential,
                   service: ServiceDep, hub: HubDep, _limit: LimitProgress) -> Any:
    """Report progress on a commitment (its owner or the person it is for), even after the
    room has closed."""
    outcome = await run(hub, service.report_progress, code, token, card_id,
                         progress=body.progress, note=body.note)
    return outcome.body


@router.patch("/rooms/{code}/cards/{card_id}", response_model=s.CardOut,
              responses=errors(401, 403, 404, 409), tags=["cards"])
async def moderate(code: Code, card_id: CardId, body: s.CardModerate, token: Credential,
                   service: ServiceDep, hub: HubDep) -> Any:
    """Hide, unhide or spotlight a card (facilitator)."""
    outcome = await run(hub, service.moderate, code, token, card_id, hidden=body.hidden,
                         spotlight=body.spotlight)
    return outcome.body


# --- the log ----------------------------------------------------------------------------


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


_EXPORT = {"responses": {**errors(401, 403, 404)}, "tags": ["exports"]}


@router.get("/rooms/{code}/export.json", **_EXPORT)  # type: ignore[arg-type]
async def export_json(code: Code, token: Credential, service: ServiceDep) -> JSONResponse:
    """The whole log: room, prompts, participants, cards and every event (SPEC §6)."""
    log = await run_in_threadpool(service.export_log, code, token)
    return JSONResponse(log, headers=_attachment(log, "json"))


@router.get("/rooms/{code}/export.csv", response_class=Response, **_EXPORT)  # type: ignore[arg-type]
async def export_csv(code: Code, token: Credential, service: ServiceDep) -> Response:
    """One row per card, UTF-8 with BOM for Excel; formula-like cells neutralised."""
    log = await run_in_threadpool(service.export_log, code, token)
    return _download(log_to_csv(log), "text/csv; charset=utf-8", log, "csv")


@router.get("/rooms/{code}/export.xlsx", response_class=Response, **_EXPORT)  # type: ignore[arg-type]
async def export_xlsx(code: Code, token: Credential, service: ServiceDep) -> Response:
    """The log, plus Commitments and Organisations sheets."""
    log = await run_in_threadpool(service.export_log, code, token)
    media = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    return _download(await run_in_threadpool(log_to_xlsx, log), media, log, "xlsx")
