"""The API's run sheet: the planned prompts, planning, changing, removing and reordering
a step, and pushing the next one."""

from __future__ import annotations

from typing import Any

from fastapi import Response
from starlette.concurrency import run_in_threadpool

from app.rooms import schemas as s
from app.rooms import schemas_runsheet as plan
from app.rooms.http.deps import (
    REFUSALS,
    Code,
    Credential,
    HubDep,
    ServiceDep,
    StepId,
    api_router,
)
from app.rooms.http.publish import run

router = api_router()


@router.get("/rooms/{code}/runsheet", response_model=plan.RunSheetOut, responses=REFUSALS,
            tags=["run sheet"])
async def run_sheet(code: Code, token: Credential, service: ServiceDep) -> Any:
    """The planned prompts in order, each with its state and the time it has used."""
    return await run_in_threadpool(service.run_sheet, code, token)


@router.post("/rooms/{code}/runsheet", status_code=201, response_model=plan.StepOut,
             responses=REFUSALS, tags=["run sheet"])
async def plan_step(code: Code, body: plan.StepIn, token: Credential, service: ServiceDep,
                    hub: HubDep) -> Any:
    """Add a step at the end: a library prompt by key, or your own text."""
    outcome = await run(service, hub, service.plan_step, code, token, **body.model_dump())
    return outcome.body


@router.patch("/rooms/{code}/runsheet/{step_id}", response_model=plan.StepOut,
              responses=REFUSALS, tags=["run sheet"])
async def change_step(code: Code, step_id: StepId, body: plan.StepChange, token: Credential,
                      service: ServiceDep, hub: HubDep) -> Any:
    outcome = await run(service, hub, service.change_step, code, token, step_id,
                        **body.model_dump())
    return outcome.body


@router.delete("/rooms/{code}/runsheet/{step_id}", status_code=204, responses=REFUSALS,
               tags=["run sheet"])
async def remove_step(code: Code, step_id: StepId, token: Credential, service: ServiceDep,
                      hub: HubDep) -> Response:
    await run(service, hub, service.remove_step, code, token, step_id)
    return Response(status_code=204)


@router.put("/rooms/{code}/runsheet/order", response_model=plan.RunSheetOut, responses=REFUSALS,
            tags=["run sheet"])
async def reorder_steps(code: Code, body: plan.StepOrder, token: Credential,
                        service: ServiceDep, hub: HubDep) -> Any:
    """Put the steps in this order (every step's id, each once)."""
    return (await run(service, hub, service.reorder_steps, code, token, body.order)).body


@router.post("/rooms/{code}/runsheet/next", response_model=s.PromptOut, responses=REFUSALS,
             tags=["run sheet"])
async def next_step(code: Code, token: Credential, service: ServiceDep, hub: HubDep,
                    body: s.NoFields | None = None) -> Any:
    """Push the next planned step as the current prompt, its timer running."""
    return (await run(service, hub, service.next_step, code, token)).body
