"""What routes are handed: the service, the hub, the settings, and who is asking.

Every dependency is a coroutine: FastAPI runs a plain `def` one in the threadpool, a
thread hop each (five per POST of a card, before this was so)."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from app.config import Settings
from app.rooms.live.hub import Hub
from app.rooms.log.service import RoomService

_bearer = HTTPBearer(auto_error=False, description="A facilitator or organiser key, or a "
                     "participant token, for this room.")


async def get_service(request: Request) -> RoomService:
    return request.app.state.service  # type: ignore[no-any-return]


async def get_hub(request: Request) -> Hub:
    return request.app.state.hub  # type: ignore[no-any-return]


async def get_app_settings(request: Request) -> Settings:
    return request.app.state.settings  # type: ignore[no-any-return]


async def get_credential(
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
) -> str | None:
    return credentials.credentials if credentials else None


ServiceDep = Annotated[RoomService, Depends(get_service)]
HubDep = Annotated[Hub, Depends(get_hub)]
SettingsDep = Annotated[Settings, Depends(get_app_settings)]
Credential = Annotated[str | None, Depends(get_credential)]


def public_origin(request: Request, settings: Settings) -> str:
    """The origin for links the API hands out: configured, or the request's own."""
    return settings.public_url or str(request.base_url).rstrip("/")
