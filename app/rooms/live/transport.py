"""Frames on the wire, and the one place that knows the server under the sockets.

The hub writes each event's frame bytes straight to a socket's transport, as
`websockets.broadcast()` does, when the server is uvicorn's sans-I/O WebSocket protocol
(`askroom serve`): no task, no await and no encoding per socket. That needs the server's
protocol object, which ASGI does not hand out: `KeepProtocol` finds it behind `send`
(uvicorn's `send` is a bound method of it) and `link_for()` makes the `DirectLink`. Under
any other server `link_for()` gives None and the socket falls back to a queued outbox
and a writer task of its own (subscriber.py), through the ASGI `send`; nothing else
differs. tests/rooms/test_transport.py and test_stream_queued.py hold both ends.
"""

from __future__ import annotations

import asyncio
from typing import Any

from starlette.types import ASGIApp, Receive, Scope, Send
from websockets.frames import Frame, Opcode

# Where `KeepProtocol` leaves the server's own protocol object for this socket.
PROTOCOL_KEY = "askroom.protocol"


def text_frame(payload: bytes) -> bytes:
    """A WebSocket text frame as a server sends it: final, unmasked, uncompressed."""
    return Frame(Opcode.TEXT, payload).serialize(mask=False)


class Wire:
    """One frame's JSON, and its bytes on the wire, built once however many sockets it
    goes to. The text is made only for sockets without a direct link."""

    __slots__ = ("json", "_frame", "_text")

    def __init__(self, json: bytes) -> None:
        self.json = json
        self._frame: bytes | None = None
        self._text: str | None = None

    @property
    def frame(self) -> bytes:
        if self._frame is None:
            self._frame = text_frame(self.json)
        return self._frame

    @property
    def text(self) -> str:
        if self._text is None:
            self._text = self.json.decode()
        return self._text


class KeepProtocol:
    """Outermost middleware: note the server's WebSocket protocol behind `send`."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "websocket":
            scope[PROTOCOL_KEY] = getattr(send, "__self__", None)
        await self.app(scope, receive, send)


def link_for(scope: Scope) -> DirectLink | None:
    """A direct link to this socket's transport, or None where the server is not one
    whose protocol we know (the queued fallback)."""
    protocol = scope.get(PROTOCOL_KEY)
    usable = all(hasattr(protocol, name) for name in ("transport", "conn", "close_sent"))
    if not usable:
        return None
    _release_handshake(protocol)
    return DirectLink(protocol)


def _release_handshake(protocol: Any) -> None:
    """uvicorn keeps the handshake's request and response, headers and all (about 4 KiB),
    for as long as the socket is open, and reads neither once the handshake is complete:
    let them go (SPEC §9 bounds the memory per idle client)."""
    if getattr(protocol, "handshake_complete", False):
        for name in ("request", "response"):
            if getattr(protocol, name, None) is not None:
                setattr(protocol, name, None)


class DirectLink:
    """A socket's transport, written to directly. Only for uvicorn's sans-I/O WebSocket
    protocol, whose connection state we respect (nothing after a close)."""

    # Per delivery, every attribute lookup counts: the transport's methods and the
    # protocol's `writable` event (made once with the protocol) are looked up here, once.
    __slots__ = ("protocol", "transport", "_writable", "_write", "_is_closing")

    def __init__(self, protocol: Any) -> None:
        self.protocol = protocol
        self.transport = protocol.transport
        self._writable: asyncio.Event | None = getattr(protocol, "writable", None)
        self._write = self.transport.write
        self._is_closing = self.transport.is_closing

    def buffered(self) -> int:
        # The protocol clears `writable` when its transport pauses writing: until then the
        # buffer is under the high-water mark, and asking its size per event would be waste.
        if self._writable is not None and self._writable.is_set():
            return 0
        return int(self.transport.get_write_buffer_size())

    def write(self, data: bytes) -> bool:
        if self.protocol.close_sent or self._is_closing():
            return False
        self._write(data)
        return True
