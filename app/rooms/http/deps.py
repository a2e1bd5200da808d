"""What routes are handed: the service, the hub, the settings, who is asking, and the
path parameters and error answers every route of the API shares.

Every dependency is a coroutine: FastAPI runs a plain `def` one in the threadpool, a
thread hop each."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from pydantic import BaseModel, Field

from app.config import Settings
from app.rooms.live.hub import Hub
from app.rooms.log.service import RoomService

_bearer = HTTPBearer(auto_error=False, description="A facilitator or organiser key, or a "
                     "participant token, for this room.")


async def get_service(request: Request) -> RoomService:
    service: RoomService = request.app.state.service
    return service


async def get_hub(request: Request) -> Hub:
    hub: Hub = request.app.state.hub
    return hub


async def get_app_settings(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


async def get_credential(
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
) -> str | None:
    return credentials.credentials if credentials else None


ServiceDep = Annotated[RoomService, Depends(get_service)]
HubDep = Annotated[Hub, Depends(get_hub)]
SettingsDep = Annotated[Settings, Depends(get_app_settings)]
Credential = Annotated[str | None, Depends(get_credential)]

Code = Annotated[str, Path(min_length=1, max_length=16, description="The room's join code.")]
CardId = Annotated[int, Path(ge=1, le=2**62)]
StepId = Annotated[int, Path(ge=1, le=2**62)]
# Routes open to anyone with the code that also take a key (for the private view).
KEY_OPTIONAL: dict[str, Any] = {"security": [{}, {"HTTPBearer": []}]}


class ErrorOut(BaseModel):
    """SPEC §3's error body (app/errors.py answers every error with it)."""

    detail: str = Field(description="A sentence for a person.")
    code: str = Field(description="Stable, for programs.")


class InvalidOut(ErrorOut):
    errors: list[dict[str, object]] = Field(default_factory=list,
                                            description="Each field that was refused, and why.")


def errors(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """The error answers a route documents, each as SPEC §3's error body."""
    return {status: {"model": InvalidOut if status == 422 else ErrorOut}
            for status in statuses}


# What a command may be refused with, beyond what any route may answer.
REFUSALS = errors(401, 403, 404, 409)


def api_router() -> APIRouter:
    """A router for part of the API: under /api, with the errors any route may answer."""
    return APIRouter(prefix="/api", responses=errors(400, 413, 422, 429))


def public_origin(request: Request, settings: Settings) -> str:
    """The origin for links the API hands out: configured, or the request's own."""
    return settings.public_url or str(request.base_url).rstrip("/")
