"""The API's prompts and the timer: the library, making a prompt current, closing it,
and timing the room."""

from __future__ import annotations

from typing import Any

from app.prompts.library import load_library
from app.rooms import schemas as s
from app.rooms.http.deps import REFUSALS, Code, Credential, HubDep, ServiceDep, api_router
from app.rooms.http.publish import run

router = api_router()


@router.get("/prompts", response_model=list[s.LibraryEntry], tags=["prompts"])
async def prompt_library() -> Any:
    """The facilitation structures Askroom ships, with guidance for the facilitator."""
    return [entry.model_dump() for entry in load_library()]


@router.post("/rooms/{code}/prompts", status_code=201, response_model=s.PromptOut,
             responses=REFUSALS, tags=["prompts"])
async def push_prompt(code: Code, body: s.PromptPush, token: Credential, service: ServiceDep,
                      hub: HubDep) -> Any:
    """Make a prompt current: from the library by key, or your own text."""
    outcome = await run(service, hub, service.push_prompt, code, token, **body.model_dump())
    return outcome.body


@router.post("/rooms/{code}/prompts/current/close", response_model=s.PromptOut,
             responses=REFUSALS, tags=["prompts"])
async def close_prompt(code: Code, token: Credential, service: ServiceDep, hub: HubDep,
                       body: s.NoFields | None = None) -> Any:
    return (await run(service, hub, service.close_prompt, code, token)).body


@router.post("/rooms/{code}/timer", response_model=s.Timer, responses=REFUSALS,
             tags=["prompts"])
async def set_timer(code: Code, body: s.TimerSet, token: Credential, service: ServiceDep,
                    hub: HubDep) -> Any:
    """Start the timer for `seconds`; 0 stops it."""
    return (await run(service, hub, service.set_timer, code, token, body.seconds)).body
