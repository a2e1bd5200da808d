"""One room in this process: its events in seq order, the recent ones kept for replays,
and its snapshots, each built once however many sockets ask.

Events may arrive out of order (two writers commit 10 and 11 and publish 11 first). A
feed delivers strictly in seq order: it holds an early event back, and if the missing
seq has not come within `gap_wait_s` it reads it from the database. Each event is
serialised once per view (public, private) and handed to every socket.
"""

from __future__ import annotations

import asyncio
import logging
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import orjson
from starlette.concurrency import run_in_threadpool

from app.rooms import views
from app.rooms.live.message import RecordedEvent
from app.rooms.live.reads import Reads
from app.rooms.live.subscriber import Subscriber
from app.rooms.live.transport import Wire
from app.rooms.rules import Refusal

log = logging.getLogger("askroom.hub")

# A room's memory window is bounded in size as well as in events: replay further back
# comes from the database.
MAX_WINDOW_BYTES = 8 * 1024 * 1024

# Events read per query when filling a gap.
GAP_PAGE = 500


@dataclass(frozen=True)
class Limits:
    backlog: int  # live events a socket may have waiting before it is dropped
    window: int  # events kept in memory for `after=N` replays
    gap_wait_s: float  # how long a missing seq may take to arrive by itself


@dataclass(slots=True)
class Entry:
    """A delivered event, kept for `after=N` replays from memory."""

    seq: int
    type: str
    at: str
    card_id: int | None
    data: dict[str, Any]
    private: Wire
    public: Wire


class Feed:
    def __init__(self, code: str, last_seq: int, reads: Reads, limits: Limits,
                 gone: Callable[[str], None]) -> None:
        self.code = code
        self.last_seq = last_seq
        self.reads = reads
        self.limits = limits
        self.gone = gone  # the room was deleted: the hub ends its streams
        self.subscribers: set[Subscriber] = set()
        self.window: deque[Entry] = deque()
        self.window_bytes = 0
        self.early: dict[int, tuple[RecordedEvent, bytes | None]] = {}
        self.hidden: set[int] = set()
        self.gap_task: asyncio.Task[None] | None = None
        self.snapshots: dict[bool, tuple[int, Wire]] = {}
        self.building: dict[bool, asyncio.Task[tuple[int, Wire]]] = {}
        self.closed = False

    def close(self) -> None:
        """This process stops following the room."""
        self.closed = True
        if self.gap_task is not None and self.gap_task is not asyncio.current_task():
            self.gap_task.cancel()

    # --- events in order ---------------------------------------------------------------

    def arrive(self, event: RecordedEvent, frame: bytes | None = None) -> None:
        """An event from any writer; `frame`: its private frame, if already serialised."""
        if event.seq <= self.last_seq:
            return  # already delivered
        self.early[event.seq] = (event, frame)
        while self.last_seq + 1 in self.early:
            self.deliver(*self.early.pop(self.last_seq + 1))
        if self.early and (self.gap_task is None or self.gap_task.done()):
            self.gap_task = asyncio.create_task(self._fill_gap(self.limits.gap_wait_s))

    def resync(self) -> None:
        """Events may have been lost on the way: read what is missing from the database."""
        if self.gap_task is None or self.gap_task.done():
            self.gap_task = asyncio.create_task(self._fill_gap(0))

    async def _fill_gap(self, wait: float) -> None:
        """Read events after the last delivered from the database, after waiting a moment
        for a missing seq to arrive by itself."""
        await asyncio.sleep(wait)
        while not self.closed:
            try:
                frames, _seq = await run_in_threadpool(
                    self.reads.events_after, self.code, self.last_seq, private=True,
                    limit=GAP_PAGE)
            except Refusal:  # the room was deleted
                self.gone(self.code)
                return
            for frame in frames:
                self.arrive(RecordedEvent.from_frame(self.code, frame))
            if len(frames) < GAP_PAGE:
                break

    def deliver(self, event: RecordedEvent, frame: bytes | None = None) -> None:
        """One event, in order: serialised once per view, handed to every socket."""
        data = event.data
        card = data.get("card")
        if card is not None:
            self._track_hidden(card["id"], views.off_board(card))
        if event.type == "participant.left":
            # Their name was erased from the stored events: replays must come from there.
            self.window.clear()
            self.window_bytes = 0
        private = Wire(orjson.dumps(event.frame()) if frame is None else frame)
        entry = Entry(event.seq, event.type, event.at, event.card_id, data, private, private)
        entry.public = public = _public_frame(entry, hidden_now=False)
        self.last_seq = event.seq
        self._keep(entry)
        backlog = self.limits.backlog
        for sub in list(self.subscribers):
            if not sub.ready:
                sub.held.append((event.seq, private, public))
                if len(sub.held) > backlog:
                    sub.drop()
            elif event.seq > sub.seq:
                sub.seq = event.seq
                sub.push(private if sub.private else public)

    def _keep(self, entry: Entry) -> None:
        window = self.window
        window.append(entry)
        self.window_bytes += len(entry.private.json)
        while window and (len(window) > self.limits.window
                          or self.window_bytes > MAX_WINDOW_BYTES):
            self.window_bytes -= len(window.popleft().private.json)

    def _track_hidden(self, card_id: int, hidden: bool) -> None:
        """Keep replays from memory true to the card's state now, as SPEC §4 asks."""
        if hidden == (card_id in self.hidden):
            return
        if hidden:
            self.hidden.add(card_id)
        else:
            self.hidden.discard(card_id)
        for entry in self.window:
            if entry.card_id == card_id:
                entry.public = _public_frame(entry, hidden_now=hidden)

    # --- a socket joins ----------------------------------------------------------------

    async def catch_up(self, sub: Subscriber, after: int | None) -> None:
        """Its snapshot or replay, then the live events that came meanwhile."""
        replay = self._replay_from_window(after, sub.private)
        if replay is None and after is not None:
            frames, room_seq = await run_in_threadpool(
                self.reads.events_after, self.code, after, private=sub.private)
            if after <= room_seq:
                replay = (max([after, *(f["seq"] for f in frames)]),
                          [Wire(orjson.dumps(f)) for f in frames])
        if replay is not None:
            sub.seq = replay[0]
            sub.start_over(replay[1])
        else:  # no `after`, or one ahead of the room: start over from a snapshot
            sub.seq, snapshot = await self._snapshot(sub.private)
            sub.start_over([], snapshot=snapshot)
        for seq, private, public in sub.held:
            if seq > sub.seq:
                sub.push(private if sub.private else public)
                sub.seq = seq
        sub.held.clear()
        sub.ready = True

    def _replay_from_window(self, after: int | None,
                            private: bool) -> tuple[int, list[Wire]] | None:
        if after is None or after > self.last_seq:
            return None
        if after < self.last_seq and (not self.window or self.window[0].seq > after + 1):
            return None  # the window does not reach back that far
        frames = [e.private if private else e.public for e in self.window if e.seq > after]
        return self.last_seq, frames

    async def _snapshot(self, private: bool) -> tuple[int, Wire]:
        """Built once per seq and view, however many sockets ask at once."""
        cached = self.snapshots.get(private)
        if cached is not None and cached[0] == self.last_seq:
            return cached
        task = self.building.get(private)
        if task is None:
            task = asyncio.create_task(self._build_snapshot(private))
            self.building[private] = task
            task.add_done_callback(lambda _t: self.building.pop(private, None))
        return await asyncio.shield(task)

    async def _build_snapshot(self, private: bool) -> tuple[int, Wire]:
        snapshot = await run_in_threadpool(self.reads.snapshot, self.code, private=private)
        built = (snapshot["seq"], Wire(orjson.dumps(snapshot)))
        self.snapshots[private] = built
        return built


def _public_frame(entry: Entry, *, hidden_now: bool) -> Wire:
    data = views.public_event_data(entry.type, entry.data, hidden_now=hidden_now)
    if data is entry.data:
        return entry.private
    return Wire(orjson.dumps(views.event_frame(entry.seq, entry.type, entry.at, data)))
