"""The ceiling: a bare `websockets` server that fans each posted card out with
`websockets.broadcast()`, and nothing else (no database, no ordering, no slow-client
policy). It takes the posts over HTTP/1.1 keep-alive on a second port, from the same
harness code that posts to Askroom, and sends a frame of the same shape and size as
Askroom's `card.created` event, so the path it measures is comparable.

    python -m bench.ceiling --ws-port 9001 --http-port 9002
"""

from __future__ import annotations

import argparse
import asyncio
from datetime import UTC, datetime
from typing import Any

import orjson
from websockets.asyncio.server import ServerConnection, broadcast, serve

CARDS_PATH = b"/cards"  # any POST whose path ends so: the room code is not looked at


def card_json(seq: int, body: dict[str, Any]) -> dict[str, Any]:
    """A card as Askroom's API gives it (SPEC §3), for the frame to weigh the same."""
    author = {"id": 1, "name": "Bench poster", "organisation": "Bench"}
    now = datetime.now(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")
    return {"id": seq, "kind": body.get("kind", "ask"), "text": body.get("text", ""),
            "status": "open", "hidden": False, "spotlight": False, "author": author,
            "to": None, "reply_to": None, "prompt_id": None, "replies": [],
            "commitment": None, "created_at": now, "seq": seq}


def event_frame(seq: int, card: dict[str, Any]) -> dict[str, Any]:
    return {"type": "event", "seq": seq, "event": "card.created", "at": card["created_at"],
            "data": {"card": card}}


class Posts(asyncio.Protocol):
    """Just enough HTTP/1.1 for the harness: Content-Length bodies, keep-alive."""

    def __init__(self, room: Room) -> None:
        self.room = room
        self.buf = bytearray()
        self.transport: asyncio.Transport | None = None

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self.transport = transport  # type: ignore[assignment]

    def data_received(self, data: bytes) -> None:
        self.buf += data
        while True:
            head_end = self.buf.find(b"\r\n\r\n")
            if head_end < 0:
                return
            head = bytes(self.buf[:head_end]).lower()
            length = 0
            for line in head.split(b"\r\n")[1:]:
                if line.startswith(b"content-length:"):
                    length = int(line[15:])
            if len(self.buf) < head_end + 4 + length:
                return
            body = bytes(self.buf[head_end + 4:head_end + 4 + length])
            del self.buf[:head_end + 4 + length]
            method, path = head.split(b" ", 2)[:2]
            if method == b"post" and path.endswith(CARDS_PATH):
                self._answer(201, self.room.post(orjson.loads(body)))
            elif path == b"/healthz":
                self._answer(200, b'{"status":"ok"}')
            else:
                self._answer(404, b'{"detail":"not found"}')

    def _answer(self, status: int, body: bytes) -> None:
        assert self.transport is not None
        self.transport.write(b"HTTP/1.1 %d X\r\ncontent-type: application/json\r\n"
                             b"content-length: %d\r\n\r\n%s" % (status, len(body), body))


class Room:
    def __init__(self) -> None:
        self.sockets: set[ServerConnection] = set()
        self.seq = 0

    def post(self, body: dict[str, Any]) -> bytes:
        self.seq += 1
        card = card_json(self.seq, body)
        broadcast(self.sockets, orjson.dumps(event_frame(self.seq, card)).decode())
        return orjson.dumps(card)

    async def stream(self, ws: ServerConnection) -> None:
        self.sockets.add(ws)
        try:
            await ws.wait_closed()
        finally:
            self.sockets.discard(ws)


async def run(ws_port: int, http_port: int) -> None:
    room = Room()
    loop = asyncio.get_running_loop()
    http = await loop.create_server(lambda: Posts(room), "127.0.0.1", http_port, backlog=4096)
    # The same socket settings as `askroom serve`: no compression, 64 KiB client messages.
    async with serve(room.stream, "127.0.0.1", ws_port, compression=None, max_size=65536,
                     backlog=4096):
        async with http:
            await asyncio.Future()  # until the harness terminates the process


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--ws-port", type=int, required=True)
    parser.add_argument("--http-port", type=int, required=True)
    args = parser.parse_args()
    import uvloop  # as uvicorn picks it for Askroom

    try:
        uvloop.run(run(args.ws_port, args.http_port))
    except KeyboardInterrupt:
        pass


if __name__ == "__main__":
    main()
