"""The API for running a planned meeting and for what comes after it: the run sheet, the
answer round's reveal, a participant's own view, leaving, and deleting a room."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Path, Response
from starlette.concurrency import run_in_threadpool

from app.rooms import schemas as s
from app.rooms.http.api import Code, errors, run, run_long
from app.rooms.http.deps import Credential, HubDep, ServiceDep

router = APIRouter(prefix="/api", responses=errors(400, 413, 422, 429))
StepId = Annotated[int, Path(ge=1, le=2**62)]
REFUSALS = errors(401, 403, 404, 409)


@router.get("/rooms/{code}/runsheet", response_model=s.RunSheetOut, responses=REFUSALS,
            tags=["run sheet"])
async def run_sheet(code: Code, token: Credential, service: ServiceDep) -> Any:
    """The planned prompts in order, each with its state and the time it has used."""
    return await run_in_threadpool(service.run_sheet, code, token)


@router.post("/rooms/{code}/runsheet", status_code=201, response_model=s.StepOut,
             responses=REFUSALS, tags=["run sheet"])
async def plan_step(code: Code, body: s.StepIn, token: Credential, service: ServiceDep,
                    hub: HubDep) -> Any:
    """Add a step at the end: a library prompt by key, or your own text."""
    outcome = await run(hub, service.plan_step, code, token, **body.model_dump())
    return outcome.body


@router.patch("/rooms/{code}/runsheet/{step_id}", response_model=s.StepOut,
              responses=REFUSALS, tags=["run sheet"])
async def change_step(code: Code, step_id: StepId, body: s.StepChange, token: Credential,
                      service: ServiceDep, hub: HubDep) -> Any:
    outcome = await run(hub, service.change_step, code, token, step_id, **body.model_dump())
    return outcome.body


@router.delete("/rooms/{code}/runsheet/{step_id}", status_code=204, responses=REFUSALS,
               tags=["run sheet"])
async def remove_step(code: Code, step_id: StepId, token: Credential, service: ServiceDep,
                      hub: HubDep) -> Response:
    await run(hub, service.remove_step, code, token, step_id)
    return Response(status_code=204)


@router.put("/rooms/{code}/runsheet/order", response_model=s.RunSheetOut, responses=REFUSALS,
            tags=["run sheet"])
async def reorder_steps(code: Code, body: s.StepOrder, token: Credential,
                        service: ServiceDep, hub: HubDep) -> Any:
    """Put the steps in this order (every step's id, each once)."""
    return (await run(hub, service.reorder_steps, code, token, body.order)).body


@router.post("/rooms/{code}/runsheet/next", response_model=s.PromptOut, responses=REFUSALS,
             tags=["run sheet"])
async def next_step(code: Code, token: Credential, service: ServiceDep, hub: HubDep,
                    body: s.NoFields | None = None) -> Any:
    """Push the next planned step as the current prompt, its timer running."""
    return (await run(hub, service.next_step, code, token)).body


@router.post("/rooms/{code}/reveal", response_model=list[s.CardOut], responses=REFUSALS,
             tags=["answer round"])
async def reveal(code: Code, token: Credential, service: ServiceDep, hub: HubDep,
                 body: s.RevealIn | None = None) -> Any:
    """Show held answers to the room: one request's, or all at once."""
    card_id = body.card_id if body else None
    return (await run(hub, service.reveal, code, token, card_id)).body


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


@router.delete("/rooms/{code}", status_code=204, responses=REFUSALS, tags=["rooms"])
async def delete_room(code: Code, token: Credential, service: ServiceDep,
                      hub: HubDep) -> Response:
    """Delete the room and everything in it, now (facilitator). Streams close with 4404."""
    deleted = await run_in_threadpool(service.delete_room, code, token)
    await hub.room_deleted(deleted)
    return Response(status_code=204)
