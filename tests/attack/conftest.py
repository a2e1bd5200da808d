"""What the attack tests share: a stream client that remembers everything it was sent, and
helpers that drive a meeting from threads while streams are read."""

from __future__ import annotations

from contextlib import AbstractAsyncContextManager
from pathlib import Path
from typing import Any

from websockets.asyncio.client import ClientConnection

from tests.server import Server
from tests.stream import Frame
from tests.stream import Stream as BaseStream
from tests.stream import open_stream as open_any_stream

WAIT = 10.0  # seconds any single expected frame may take before a test fails


class Stream(BaseStream):
    """tests/stream.py's client, waiting longer (these tests load the machine), that also
    remembers every event frame it took, in arrival order."""

    wait = WAIT

    def __init__(self, ws: ClientConnection) -> None:
        super().__init__(ws)
        self.events: list[Frame] = []

    @property
    def last_seq(self) -> int:
        return self.events[-1]["seq"] if self.events else 0

    async def next(self, timeout: float | None = None) -> Frame:
        frame = await super().next(timeout)
        if frame["type"] == "event":
            self.events.append(frame)
        return frame

    async def events_through(self, seq: int, timeout: float | None = None) -> list[Frame]:
        """Event frames until one with `seq` or later has come: none if it already has."""
        taken: list[Frame] = []
        while self.last_seq < seq:
            taken.append(await self.event(timeout))
        return taken

    async def read_until_closed(self, timeout: float | None = None) -> None:
        """Keep every frame until the connection ends, however it ends."""
        await self.close_code(timeout)


def open_stream(server: Server, code: str, after: int | None = None,
                **options: Any) -> AbstractAsyncContextManager[Stream]:
    """tests/stream.py's, with this module's Stream; a replay may come as one big batch."""
    options.setdefault("max_size", 64 * 2**20)
    return open_any_stream(server, code, after, client=Stream, **options)


def seqs(events: list[Frame]) -> list[int]:
    return [event["seq"] for event in events]


def vm_rss_bytes(pid: int) -> int:
    """The resident memory of a process, from /proc (Linux)."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) * 1024
    raise AssertionError(f"no VmRSS for process {pid}")
