"""The live stream, SPEC §4: `GET /ws/rooms/{code}` upgraded to a WebSocket."""

from __future__ import annotations

import asyncio
import contextlib
from collections import Counter
from urllib.parse import urlsplit

import orjson
from fastapi import APIRouter, WebSocket
from fastapi.responses import JSONResponse
from starlette.concurrency import run_in_threadpool
from starlette.types import ASGIApp, Receive, Scope, Send

from app.config import Settings
from app.ratelimit import client_address
from app.rooms.live.hub import DirectLink, Hub, Subscriber
from app.rooms.log.service import RoomService
from app.rooms.rules import Refusal, parse_room_code
from app.rooms.vocab import CLOSE_BAD_KEY, CLOSE_REASONS, CLOSE_TOO_BIG, STAFF

router = APIRouter()

# Seqs are 64-bit integers in the database: an `after` past the largest is ahead of any
# room, and gets a snapshot (SPEC §4), never a query the database cannot take.
MAX_SEQ = 2**63 - 1

# Where the outermost middleware leaves the server's own protocol object for this socket.
PROTOCOL_KEY = "askroom.protocol"


class KeepProtocol:
    """Outermost: note the server's WebSocket protocol behind `send` (uvicorn's `send` is a
    bound method of it), so the hub can write frames to its transport directly."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "websocket":
            scope[PROTOCOL_KEY] = getattr(send, "__self__", None)
        await self.app(scope, receive, send)


def origin_allowed(ws: WebSocket, settings: Settings) -> bool:
    """Browsers send Origin; other clients need not. A foreign page may not listen in."""
    origin = ws.headers.get("origin")
    if origin is None:
        return True
    origin = origin.rstrip("/")
    scheme = "https" if ws.url.scheme == "wss" else "http"
    own = f"{scheme}://{ws.headers.get('host', '')}"
    allowed = {own, *settings.allowed_origins}
    if settings.public_url:
        allowed.add(settings.public_url)
    return origin in allowed


def host_allowed(ws: WebSocket, settings: Settings) -> bool:
    """Against DNS rebinding: a foreign name that resolves to this server makes its page's
    Origin match the Host it sends. Where the public address or allowed origins are set,
    the Host must be one of theirs; unset, any Host is this server's own."""
    named = [settings.public_url, *settings.allowed_origins]
    hosts = {_host_port(urlsplit(origin).netloc, urlsplit(origin).scheme)
             for origin in named if origin}
    if not hosts:
        return True
    scheme = "https" if ws.url.scheme == "wss" else "http"
    return _host_port(ws.headers.get("host", ""), scheme) in hosts


def _host_port(netloc: str, scheme: str) -> str:
    # "example.org" and "example.org:443" are one host for https (and :80 for http).
    default = ":443" if scheme == "https" else ":80"
    return netloc.lower().removesuffix(default)


def _deny(status: int, code: str, detail: str) -> JSONResponse:
    return JSONResponse({"detail": detail, "code": code}, status_code=status)


@router.websocket("/ws/rooms/{code}")
async def stream(ws: WebSocket, code: str, after: int | None = None) -> None:
    settings: Settings = ws.app.state.settings
    if not host_allowed(ws, settings):
        await ws.send_denial_response(_deny(403, "host_not_allowed",
                                            "This server does not answer to that name."))
        return
    if not origin_allowed(ws, settings):
        await ws.send_denial_response(_deny(403, "origin_not_allowed",
                                            "This page's origin may not open the stream."))
        return
    if after is not None and after < 0:
        await ws.send_denial_response(_deny(422, "invalid_input", "after must be 0 or more."))
        return
    if after is not None and after > MAX_SEQ:
        after = None
    # Each socket holds memory and a place in every fan-out: one address may hold only so
    # many, in this process (ASKROOM_SOCKETS_PER_ADDRESS).
    address = client_address(ws.scope)
    open_sockets: Counter[str] = ws.app.state.open_sockets
    if open_sockets[address] >= settings.sockets_per_address:
        await ws.send_denial_response(_deny(
            429, "too_many_sockets", "Too many live streams from this address: close one."))
        return
    open_sockets[address] += 1
    try:
        await _serve(ws, code, after)
    finally:
        open_sockets[address] -= 1
        if not open_sockets[address]:
            del open_sockets[address]


async def _serve(ws: WebSocket, code: str, after: int | None) -> None:
    settings: Settings = ws.app.state.settings
    service: RoomService = ws.app.state.service
    hub: Hub = ws.app.state.hub
    canonical = parse_room_code(code)
    try:
        if canonical is None:
            raise Refusal("not_found", "room_not_found", "There is no room with that code.")
        if canonical not in hub.feeds:  # a room live in this process exists: no read needed
            await run_in_threadpool(service.room_seq, canonical)
    except Refusal as refusal:
        await ws.send_denial_response(_deny(404, refusal.code, refusal.detail))
        return
    code = canonical
    await ws.accept()
    link = DirectLink.of(ws.scope.get(PROTOCOL_KEY))
    sub = await hub.attach(code, ws.send_text, after=after, private=False, link=link)
    reader = asyncio.create_task(_read(ws, code, sub, service, hub, settings))
    try:
        await sub.finished.wait()
    finally:
        reader.cancel()
        hub.detach(code, sub)
    if sub.close_code is not None:
        # A slow socket may be stuck behind a full buffer: try to say why, but do not wait.
        with contextlib.suppress(Exception):
            await asyncio.wait_for(
                ws.close(sub.close_code, CLOSE_REASONS.get(sub.close_code, "")), timeout=1.0)


async def _read(ws: WebSocket, code: str, sub: Subscriber, service: RoomService, hub: Hub,
                settings: Settings) -> None:
    """Client frames: only `auth` means anything; everything else is ignored."""
    try:
        while True:
            message = await ws.receive()
            if message["type"] == "websocket.disconnect":
                break
            raw = message.get("text") or message.get("bytes") or ""
            if len(raw) > settings.ws_max_message_bytes:
                await ws.close(CLOSE_TOO_BIG, "message too big")
                break
            try:
                frame = orjson.loads(raw)
            except orjson.JSONDecodeError:
                continue
            if not isinstance(frame, dict) or frame.get("type") != "auth":
                continue
            key = frame.get("key")
            try:
                actor = await run_in_threadpool(service.authorise, code,
                                                key if isinstance(key, str) else None,
                                                STAFF)
            except Refusal:
                await ws.close(CLOSE_BAD_KEY, "that key is not valid for this room")
                break
            if actor.is_staff and not sub.private:
                await hub.make_private(code, sub)
    except Exception:
        pass  # the connection is gone; the endpoint cleans up
    finally:
        sub.finish()
