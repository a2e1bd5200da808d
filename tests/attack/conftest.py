"""What the attack tests share: a stream client that remembers everything it was sent, and
helpers that drive a meeting from threads while streams are read."""

from __future__ import annotations

import asyncio
import json
from collections import deque
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

from websockets.asyncio.client import ClientConnection, connect
from websockets.exceptions import ConnectionClosed

from tests.server import Server

Frame = dict[str, Any]

WAIT = 10.0  # seconds any single expected frame may take before a test fails


class Stream:
    """One client of `/ws/rooms/{code}`. Batch frames are flattened into the event frames
    they carry, as SPEC §4 says a client must treat them; `raw` keeps every text frame."""

    def __init__(self, ws: ClientConnection) -> None:
        self.ws = ws
        self.raw: list[str] = []
        self.events: list[Frame] = []  # every event frame taken so far, in arrival order
        self._pending: deque[Frame] = deque()

    @property
    def last_seq(self) -> int:
        return self.events[-1]["seq"] if self.events else 0

    async def next(self, timeout: float = WAIT) -> Frame:
        while not self._pending:
            raw = await asyncio.wait_for(self.ws.recv(), timeout)
            assert isinstance(raw, str), "the server sends JSON text frames"
            self.raw.append(raw)
            frame = json.loads(raw)
            if frame["type"] == "batch":
                assert frame["events"], "a batch frame with no events"
                self._pending.extend(frame["events"])
            else:
                self._pending.append(frame)
        frame = self._pending.popleft()
        if frame["type"] == "event":
            self.events.append(frame)
        return frame

    async def snapshot(self, timeout: float = WAIT) -> Frame:
        frame = await self.next(timeout)
        assert frame["type"] == "snapshot", frame
        return frame

    async def events_through(self, seq: int, timeout: float = WAIT) -> list[Frame]:
        """Event frames until one with `seq` or later arrives (each within `timeout`)."""
        taken: list[Frame] = []
        while self.last_seq < seq:
            frame = await self.next(timeout)
            assert frame["type"] == "event", frame
            taken.append(frame)
        return taken

    async def read_until_closed(self, timeout: float = WAIT) -> None:
        """Keep every frame until the connection ends, however it ends."""
        try:
            while True:
                await self.next(timeout)
        except ConnectionClosed:
            return


def stream_url(server: Server, code: str, after: int | None = None) -> str:
    query = "" if after is None else f"?after={after}"
    return f"{server.ws_url}/ws/rooms/{code}{query}"


@asynccontextmanager
async def open_stream(server: Server, code: str, after: int | None = None,
                      **options: Any) -> AsyncIterator[Stream]:
    options.setdefault("max_size", 64 * 2**20)  # a replay may come as one big batch
    async with connect(stream_url(server, code, after), open_timeout=WAIT, close_timeout=2,
                       **options) as ws:
        yield Stream(ws)


def seqs(events: list[Frame]) -> list[int]:
    return [event["seq"] for event in events]


def vm_rss_bytes(pid: int) -> int:
    """The resident memory of a process, from /proc (Linux)."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) * 1024
    raise AssertionError(f"no VmRSS for process {pid}")
