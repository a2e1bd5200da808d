"""One socket in one room: the last seq it was given, and what waits to be sent.

A socket with a direct link (transport.py) is written to at once, and is dropped when its
transport's buffer passes `buffer_limit`. Without one, frames wait in a bounded outbox
for a writer task, started when there is something to write and gone when all is sent;
a socket that lets `backlog` events pile up is dropped. Either way one slow phone never
delays the room: it reconnects with `after` and loses nothing.

Each socket costs memory for as long as it is open (SPEC §9 bounds it per idle client):
so slots, no event object, and nothing allocated for a path the socket does not take.
"""

from __future__ import annotations

import asyncio
from collections import deque
from collections.abc import Awaitable, Callable

from app.rooms.live.transport import DirectLink, Wire
from app.rooms.vocab import CLOSE_TOO_SLOW

Send = Callable[[str], Awaitable[None]]

# A batch frame stays modest, so that no client needs a large message limit to read it.
MAX_BATCH_CHARS = 256 * 1024


class Subscriber:
    """`catch_up` holds its snapshot or replay and is sent first, however long; `outbox`
    holds live events and is bounded. `reader` is the task reading the client's frames:
    when the server ends the stream it is cancelled, so that the endpoint closes."""

    __slots__ = ("send", "link", "buffer_limit", "private", "backlog", "seq", "ready", "held",
                 "catch_up", "outbox", "finished", "close_code", "writer", "reader")

    def __init__(self, send: Send, *, private: bool, backlog: int,
                 link: DirectLink | None = None, buffer_limit: int = 1 << 20) -> None:
        self.send = send
        self.link = link
        self.buffer_limit = buffer_limit
        self.private = private
        self.backlog = backlog
        self.seq = 0
        self.ready = False  # False while its snapshot or replay is being built
        self.held: list[tuple[int, Wire, Wire]] = []  # live events that came meanwhile
        if link is None:  # an empty deque takes 760 bytes: only the queued path has them
            self.catch_up: deque[tuple[bool, str]] = deque()  # (is_event, frame)
            self.outbox: deque[tuple[bool, str]] = deque()
        self.finished = False
        # Why the server ends this stream, as a WebSocket close code; None: the client left.
        self.close_code: int | None = None
        self.writer: asyncio.Task[None] | None = None
        self.reader: asyncio.Task[None] | None = None

    def push(self, wire: Wire) -> None:
        """A live event."""
        if self.finished:
            return
        if self.link is not None:
            if self.link.buffered() > self.buffer_limit:
                self.drop()
            elif not self.link.write(wire.frame):
                self.finish()
            return
        if len(self.outbox) >= self.backlog:
            self.drop()
            return
        self.outbox.append((True, wire.text))
        self._wake()

    def start_over(self, wires: list[Wire], *, snapshot: Wire | None = None) -> None:
        """A snapshot and/or replayed events, to be sent before anything live."""
        if self.finished:
            return
        if self.link is not None:
            frames = ([snapshot.frame] if snapshot else []) + [w.frame for w in wires]
            if frames and not self.link.write(b"".join(frames)):
                self.finish()
            return
        self.outbox.clear()  # live frames queued so far are superseded by what follows
        if snapshot is not None:
            self.catch_up.append((False, snapshot.text))
        self.catch_up.extend((True, wire.text) for wire in wires)
        self._wake()

    def drop(self) -> None:
        """Too slow: stop sending; the endpoint closes the socket."""
        self.end(CLOSE_TOO_SLOW)

    def end(self, close_code: int) -> None:
        """The server ends the stream; the endpoint closes the socket with `close_code`."""
        self.close_code = close_code
        if self.link is None:
            self.outbox.clear()
            self.catch_up.clear()
        self.finish()

    def finish(self) -> None:
        if self.finished:
            return
        self.finished = True
        current = asyncio.current_task()
        # Taken before cancelling: the endpoint tells the server's cancel from any other
        # by finding `reader` gone.
        reader, self.reader = self.reader, None
        for task in (self.writer, reader):
            if task is not None and task is not current:
                task.cancel()

    def _wake(self) -> None:
        if self.writer is None or self.writer.done():
            self.writer = asyncio.create_task(self._write())

    async def _write(self) -> None:
        """Send what waits, catch-up first, coalescing consecutive events into batches."""
        try:
            while self.catch_up or self.outbox:
                await self.send(_take(self.catch_up or self.outbox))
        except asyncio.CancelledError:
            raise
        except Exception:  # the socket went away mid-send
            self.finish()


def _take(queue: deque[tuple[bool, str]]) -> str:
    """The next frame to send: a snapshot alone, or as many events as fit one batch."""
    is_event, frame = queue.popleft()
    if not is_event or not queue or not queue[0][0]:
        return frame
    frames, size = [frame], len(frame)
    while queue and queue[0][0] and size + len(queue[0][1]) <= MAX_BATCH_CHARS:
        frame = queue.popleft()[1]
        frames.append(frame)
        size += len(frame)
    # The frames are already JSON; joining text avoids parsing and re-serialising them.
    return '{"type":"batch","events":[' + ",".join(frames) + "]}"
