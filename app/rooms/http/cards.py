"""The API's cards: posting one, the board, and answering, accepting, withdrawing,
reporting progress on and moderating a card."""

from __future__ import annotations

from typing import Any

from fastapi import Response
from starlette.concurrency import run_in_threadpool

from app.ratelimit import LimitCards, LimitProgress
from app.rooms import schemas as s
from app.rooms.http.deps import (
    KEY_OPTIONAL,
    REFUSALS,
    CardId,
    Code,
    Credential,
    HubDep,
    ServiceDep,
    api_router,
    errors,
)
from app.rooms.http.publish import run

router = api_router()


@router.post("/rooms/{code}/cards", status_code=201, response_model=s.CardOut,
             responses={200: {"model": s.CardOut, "description": "A retry: the card that "
                              "this client_id already made."}, **REFUSALS},
             tags=["cards"])
async def post_card(code: Code, body: s.CardPost, token: Credential, response: Response,
                    service: ServiceDep, hub: HubDep, _limit: LimitCards) -> Any:
    """Post a request, an ask or an offer. The same client_id again returns the same card."""
    outcome = await run(service, hub, service.post_card, code, token, **body.model_dump())
    response.status_code = 201 if outcome.created else 200
    return outcome.body


@router.get("/rooms/{code}/cards", response_model=list[s.CardOut],
            responses=errors(401, 404), tags=["cards"], openapi_extra=KEY_OPTIONAL)
async def cards(code: Code, token: Credential, service: ServiceDep) -> Any:
    """The cards on the board, oldest first; with a facilitator or organiser key, hidden
    and withdrawn ones too."""
    return await run_in_threadpool(service.cards, code, token)


@router.post("/rooms/{code}/cards/{card_id}/reply", response_model=s.CardOut,
             responses=REFUSALS, tags=["cards"])
async def reply(code: Code, card_id: CardId, body: s.ReplyPost, token: Credential,
                service: ServiceDep, hub: HubDep) -> Any:
    """Answer a request addressed to you or your organisation: yes, no, try or unclear."""
    outcome = await run(service, hub, service.reply, code, token, card_id, answer=body.answer,
                        note=body.note)
    return outcome.body


@router.post("/rooms/{code}/cards/{card_id}/accept", response_model=s.CardOut,
             responses=REFUSALS, tags=["cards"])
async def accept(code: Code, card_id: CardId, token: Credential, service: ServiceDep,
                 hub: HubDep, body: s.NoFields | None = None) -> Any:
    """Accept an offer made to your ask or request: it becomes a commitment."""
    return (await run(service, hub, service.accept, code, token, card_id)).body


@router.post("/rooms/{code}/cards/{card_id}/withdraw", response_model=s.CardOut,
             responses=REFUSALS, tags=["cards"])
async def withdraw(code: Code, card_id: CardId, token: Credential, service: ServiceDep,
                   hub: HubDep, body: s.NoFields | None = None) -> Any:
    return (await run(service, hub, service.withdraw, code, token, card_id)).body


@router.post("/rooms/{code}/cards/{card_id}/progress", response_model=s.CardOut,
             responses=REFUSALS, tags=["cards"])
async def progress(code: Code, card_id: CardId, body: s.ProgressPost, token: Credential,
                   service: ServiceDep, hub: HubDep, _limit: LimitProgress) -> Any:
    """Report progress on a commitment (its owner or the person it is for), even after the
    room has closed."""
    outcome = await run(service, hub, service.report_progress, code, token, card_id,
                        progress=body.progress, note=body.note)
    return outcome.body


@router.patch("/rooms/{code}/cards/{card_id}", response_model=s.CardOut,
              responses=REFUSALS, tags=["cards"])
async def moderate(code: Code, card_id: CardId, body: s.CardModerate, token: Credential,
                   service: ServiceDep, hub: HubDep) -> Any:
    """Hide, unhide or spotlight a card (facilitator)."""
    outcome = await run(service, hub, service.moderate, code, token, card_id,
                        hidden=body.hidden, spotlight=body.spotlight)
    return outcome.body
