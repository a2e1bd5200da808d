"""A client of the live stream for tests: `Stream` reads frames, flattening batches
into the event frames they carry, as SPEC §4 says a client must treat them."""

from __future__ import annotations

import asyncio
import json
from collections import deque
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from websockets.asyncio.client import ClientConnection, connect
from websockets.exceptions import ConnectionClosed

from tests.server import Server

Frame = dict[str, Any]

WAIT = 5.0  # seconds any single expected frame may take before the test fails
SNAPSHOT_KEYS = {"type", "seq", "room", "prompt", "timer", "participants", "cards"}
EVENT_KEYS = {"type", "seq", "event", "at", "data"}


class Stream:
    """One client of `/ws/rooms/{code}`. Batch frames are flattened: the test sees the
    event frames one after another, as SPEC §4 says a client must treat them."""

    wait = WAIT  # the default for every `timeout` below

    def __init__(self, ws: ClientConnection) -> None:
        self.ws = ws
        self.raw: list[str] = []  # every text frame as it came, for "never carries" checks
        self._pending: deque[Frame] = deque()

    async def next(self, timeout: float | None = None) -> Frame:
        while not self._pending:
            raw = await asyncio.wait_for(self.ws.recv(), timeout or self.wait)
            assert isinstance(raw, str), "the server sends JSON text frames"
            self.raw.append(raw)
            frame = json.loads(raw)
            if frame["type"] == "batch":
                assert frame["events"], "a batch frame with no events"
                assert all(e["type"] == "event" for e in frame["events"]), frame
                seqs = [e["seq"] for e in frame["events"]]
                assert seqs == sorted(seqs), f"a batch out of seq order: {seqs}"
                self._pending.extend(frame["events"])
            else:
                self._pending.append(frame)
        return self._pending.popleft()

    async def snapshot(self, timeout: float | None = None) -> Frame:
        frame = await self.next(timeout)
        assert frame["type"] == "snapshot", frame
        assert set(frame) == SNAPSHOT_KEYS, sorted(frame)
        return frame

    async def event(self, timeout: float | None = None) -> Frame:
        frame = await self.next(timeout)
        assert frame["type"] == "event", frame
        assert set(frame) == EVENT_KEYS, sorted(frame)
        return frame

    async def events_through(self, seq: int, timeout: float | None = None) -> list[Frame]:
        """Event frames until one with `seq` arrives (each frame within `timeout`)."""
        events: list[Frame] = []
        while not events or events[-1]["seq"] < seq:
            events.append(await self.event(timeout))
        return events

    async def close_code(self, timeout: float | None = None) -> int | None:
        """Read until the server ends the connection; the close code it sent, if any."""
        try:
            while True:
                await self.next(timeout)
        except ConnectionClosed as closed:
            return closed.rcvd.code if closed.rcvd is not None else None

    async def send(self, message: str | bytes) -> None:
        await asyncio.wait_for(self.ws.send(message), self.wait)


def stream_url(server: Server, code: str, after: int | None = None) -> str:
    query = "" if after is None else f"?after={after}"
    return f"{server.ws_url}/ws/rooms/{code}{query}"


@asynccontextmanager
async def open_stream(server: Server, code: str, after: int | None = None, *,
                      key: str | None = None, client: type[Stream] = Stream,
                      **options: Any) -> AsyncIterator[Stream]:
    """A stream of the room for the length of the block. With `key`, it is upgraded to the
    private view after its snapshot (SPEC §4 `auth`); `options` go to `connect`."""
    async with connect(stream_url(server, code, after), open_timeout=client.wait,
                       close_timeout=2, **options) as ws:
        stream = client(ws)
        if key is not None:
            await stream.snapshot()
            await stream.send(json.dumps({"type": "auth", "key": key}))
        yield stream
