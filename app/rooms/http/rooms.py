"""The API's rooms (SPEC §3): opening one, reading it, changing it, revealing held
answers, deleting it. Routes are thin: validate, call the service, publish, answer."""

from __future__ import annotations

from typing import Any

from fastapi import Request, Response
from starlette.concurrency import run_in_threadpool

from app.ratelimit import LimitRooms
from app.rooms import schemas as s
from app.rooms.http.deps import (
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
from app.rooms.http.publish import run

router = api_router()


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


@router.patch("/rooms/{code}", response_model=s.RoomOut, responses=REFUSALS, tags=["rooms"])
async def change_room(code: Code, body: s.RoomChange, token: Credential, service: ServiceDep,
                      hub: HubDep) -> Any:
    """Rename, lock, unlock or close the room (facilitator)."""
    outcome = await run(service, hub, service.change_room, code, token, **body.model_dump())
    return outcome.body


@router.post("/rooms/{code}/reveal", response_model=list[s.CardOut], responses=REFUSALS,
             tags=["answer round"])
async def reveal(code: Code, token: Credential, service: ServiceDep, hub: HubDep,
                 body: s.RevealIn | None = None) -> Any:
    """Show held answers to the room: one request's, or all at once."""
    card_id = body.card_id if body else None
    return (await run(service, hub, service.reveal, code, token, card_id)).body


@router.delete("/rooms/{code}", status_code=204, responses=REFUSALS, tags=["rooms"])
async def delete_room(code: Code, token: Credential, service: ServiceDep,
                      hub: HubDep) -> Response:
    """Delete the room and everything in it, now (facilitator). Streams close with 4404."""
    deleted = await run_in_threadpool(service.delete_room, code, token)
    await hub.room_deleted(deleted)
    return Response(status_code=204)
