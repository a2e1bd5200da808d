"""The live stream, SPEC §4: `GET /ws/rooms/{code}` upgraded to a WebSocket."""

from __future__ import annotations

import asyncio
import contextlib
from collections import Counter
from urllib.parse import urlsplit

import orjson
from fastapi import APIRouter, WebSocket
from fastapi.exceptions import WebSocketRequestValidationError
from fastapi.responses import JSONResponse
from pydantic import TypeAdapter, ValidationError
from starlette.concurrency import run_in_threadpool
from starlette.routing import WebSocketRoute

from app.config import Settings
from app.ratelimit import client_address
from app.rooms.live.hub import Hub
from app.rooms.live.subscriber import Subscriber
from app.rooms.live.transport import link_for
from app.rooms.log.service import RoomService
from app.rooms.rules import Refusal, parse_room_code
from app.rooms.vocab import CLOSE_BAD_KEY, CLOSE_REASONS, CLOSE_TOO_BIG, STAFF

# Seqs are 64-bit integers in the database: an `after` past the largest is ahead of any
# room, and gets a snapshot (SPEC §4), never a query the database cannot take.
MAX_SEQ = 2**63 - 1

_AFTER: TypeAdapter[int | None] = TypeAdapter(int | None)


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


def _after(ws: WebSocket) -> int | None:
    """The `after` query parameter, validated as FastAPI validates a parameter."""
    try:
        return _AFTER.validate_python(ws.query_params.get("after"))
    except ValidationError as error:
        raise WebSocketRequestValidationError(
            [{**e, "loc": ("query", "after")} for e in error.errors(include_url=False)]
        ) from None


async def stream(ws: WebSocket) -> None:
    """A plain Starlette route, not FastAPI's: its dependency machinery (two exit stacks
    and their frames) would stay in memory for as long as each socket is open."""
    code: str = ws.path_params["code"]
    after = _after(ws)
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
    sub = await hub.attach(code, ws.send_text, after=after, private=False,
                           link=link_for(ws.scope))
    # This task reads the client's frames itself (a task per socket costs memory), and the
    # hub cancels it through `sub.reader` when the server ends the stream.
    sub.reader = task = asyncio.current_task()
    try:
        if not sub.finished:
            await _read(ws, code, sub, service, hub, settings)
    except asyncio.CancelledError:
        if sub.reader is not None or (task is not None and task.uncancel() > 0):
            raise  # not the hub's cancel
    finally:
        sub.reader = None
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


router = APIRouter(routes=[WebSocketRoute("/ws/rooms/{code}", stream)])
