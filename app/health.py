"""Health checks for the load balancer and the orchestrator: is it serving, is it ready."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel
from sqlalchemy import text
from starlette.concurrency import run_in_threadpool

router = APIRouter(tags=["health"])


class Health(BaseModel):
    status: str


@router.get("/healthz", response_model=Health)
async def healthz() -> dict[str, str]:
    """The process is serving."""
    return {"status": "ok"}


@router.get("/readyz", response_model=Health, responses={503: {"model": Health}})
async def readyz(request: Request) -> JSONResponse:
    """The database answers, and the broker where one is configured."""
    state = request.app.state

    def database_answers() -> bool:
        with state.engine.connect() as connection:
            connection.execute(text("SELECT 1"))
        return True

    try:
        ready = await run_in_threadpool(database_answers) and await state.hub.broker.ping()
    except Exception:
        ready = False
    return JSONResponse({"status": "ready" if ready else "unavailable"},
                        status_code=200 if ready else 503)
