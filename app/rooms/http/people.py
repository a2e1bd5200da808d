"""The API's people: who is asking, joining, who is here, a participant's own side of
the room, and leaving it."""

from __future__ import annotations

from typing import Any

from starlette.concurrency import run_in_threadpool

from app.ratelimit import LimitJoins
from app.rooms import schemas as s
from app.rooms import views
from app.rooms.http.deps import (
    REFUSALS,
    Code,
    Credential,
    HubDep,
    ServiceDep,
    api_router,
    errors,
)
from app.rooms.http.publish import run, run_long

router = api_router()


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
    return (await run(service, hub, service.join, code, body.name, body.organisation)).body


@router.get("/rooms/{code}/participants", response_model=list[s.Person],
            responses=errors(404), tags=["people"])
async def participants(code: Code, service: ServiceDep) -> Any:
    """Everyone in the room: the people and organisations a request can go to."""
    return await run_in_threadpool(service.participants, code)


@router.get("/rooms/{code}/mine", response_model=s.Mine, responses=REFUSALS, tags=["people"])
async def mine(code: Code, token: Credential, service: ServiceDep) -> Any:
    """A participant's own side: their cards, requests to them, offers to their cards,
    their commitments — with their own name and answers, whatever the room sees."""
    return await run_in_threadpool(service.mine, code, token)


@router.post("/rooms/{code}/participants/me/withdraw", response_model=s.Person,
             responses=REFUSALS, tags=["people"])
async def leave(code: Code, token: Credential, service: ServiceDep, hub: HubDep,
                body: s.NoFields | None = None) -> Any:
    """Withdraw from the room: your name is erased from every card, event and export."""
    return (await run_long(hub, service.leave, code, token)).body
