"""This process's live sockets, per room, and the fan-out to them.

Events reach the hub only through the broker, after their transaction commits, and may
arrive out of order (two writers commit 10 and 11 and publish 11 first). Each room's
feed delivers strictly in seq order: it holds an early event back, and if the missing
seq has not come within `gap_wait_s` it reads it from the database.

Fan-out does no awaiting per socket: each frame is serialised once per view (public,
private) and appended to every socket's bounded outbox; each socket's own writer task
sends it. A socket whose outbox is full is dropped, so one slow phone never delays the
room; it reconnects with `after` and loses nothing.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import struct
from collections import deque
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

import orjson
from starlette.concurrency import run_in_threadpool

from app.rooms import views
from app.rooms.live.broker import RESYNC, Broker
from app.rooms.live.message import RecordedEvent
from app.rooms.log.service import RoomService
from app.rooms.rules import Refusal
from app.rooms.vocab import CLOSE_GOING_AWAY, CLOSE_ROOM_GONE, CLOSE_TOO_SLOW

log = logging.getLogger("askroom.hub")

Send = Callable[[str], Awaitable[None]]


def _dumps(value: Any) -> str:
    return orjson.dumps(value).decode()


# A room's memory window is bounded in size as well as in events: replay further back
# comes from the database.
MAX_WINDOW_CHARS = 8 * 1024 * 1024

# A batch frame stays modest, so that no client needs a large message limit to read it.
MAX_BATCH_CHARS = 256 * 1024


def _batch(frames: list[str]) -> str:
    # The frames are already JSON; joining text avoids parsing and re-serialising them.
    return '{"type":"batch","events":[' + ",".join(frames) + "]}"


def text_frame(payload: bytes) -> bytes:
    """A WebSocket text frame as a server sends it: final, unmasked, uncompressed."""
    size = len(payload)
    if size < 126:
        header = bytes((0x81, size))
    elif size < 1 << 16:
        header = struct.pack("!BBH", 0x81, 126, size)
    else:
        header = struct.pack("!BBQ", 0x81, 127, size)
    return header + payload


class Wire:
    """One frame's JSON text, and its bytes on the wire, built once however many sockets
    it goes to."""

    __slots__ = ("text", "_frame")

    def __init__(self, text: str) -> None:
        self.text = text
        self._frame: bytes | None = None

    @property
    def frame(self) -> bytes:
        if self._frame is None:
            self._frame = text_frame(self.text.encode())
        return self._frame


class DirectLink:
    """A socket's transport, written to directly, as `websockets.broadcast()` does: no
    task, no await and no per-socket encoding per event. Only for uvicorn's sans-I/O
    WebSocket protocol, whose connection state we respect (nothing after a close)."""

    # Per delivery, every attribute lookup counts: the transport's methods and the
    # protocol's `writable` event (made once with the protocol) are looked up here, once.
    __slots__ = ("protocol", "transport", "_writable", "_write", "_is_closing")

    def __init__(self, protocol: Any) -> None:
        self.protocol = protocol
        self.transport = protocol.transport
        self._writable: asyncio.Event | None = getattr(protocol, "writable", None)
        self._write = self.transport.write
        self._is_closing = self.transport.is_closing

    @classmethod
    def of(cls, protocol: Any) -> DirectLink | None:
        usable = all(hasattr(protocol, name) for name in ("transport", "conn", "close_sent"))
        return cls(protocol) if usable else None

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


class Subscriber:
    """One socket in one room: the last seq it was given, and what waits to be sent.

    `catch_up` holds its snapshot or replay and is sent first, however long; `outbox`
    holds live events and is bounded: a socket that lets `backlog` of them pile up is
    too slow and is dropped.
    """

    __slots__ = ("send", "link", "buffer_limit", "private", "backlog", "seq", "ready", "held",
                 "catch_up", "outbox", "wake", "finished", "close_code", "writer")

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
        if link is None:
            # Only a socket without a direct link queues frames for a writer task. The
            # others go without: a deque takes 760 bytes, and an asyncio.Event holds one.
            self.catch_up: deque[tuple[bool, str]] = deque()  # (is_event, frame)
            self.outbox: deque[tuple[bool, str]] = deque()
            self.wake = asyncio.Event()
        self.finished = asyncio.Event()
        # Why the server ends this stream, as a WebSocket close code; None: the client left.
        self.close_code: int | None = None
        self.writer: asyncio.Task[None] | None = None

    def push(self, wire: Wire) -> None:
        """A live event."""
        if self.finished.is_set():
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
        self.wake.set()

    def start_over(self, wires: list[Wire], *, snapshot: Wire | None = None) -> None:
        """A snapshot and/or replayed events, to be sent before anything live."""
        if self.link is not None:
            frames = ([snapshot.frame] if snapshot else []) + [w.frame for w in wires]
            if frames and not self.link.write(b"".join(frames)):
                self.finish()
            return
        self.outbox.clear()  # live frames queued so far are superseded by what follows
        if snapshot is not None:
            self.catch_up.append((False, snapshot.text))
        self.catch_up.extend((True, wire.text) for wire in wires)
        self.wake.set()

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
        self.finished.set()
        if self.writer is not None and self.writer is not asyncio.current_task():
            self.writer.cancel()

    def start(self) -> None:
        """Only a socket without a direct link needs a task of its own to send."""
        if self.link is None:
            self.writer = asyncio.create_task(self.write())

    async def write(self) -> None:
        """Send what waits, catch-up first, coalescing consecutive events into batches."""
        try:
            while True:
                await self.wake.wait()
                self.wake.clear()
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
    return _batch(frames)


@dataclass
class Entry:
    """A delivered event, kept for `after=N` replays from memory."""

    seq: int
    type: str
    at: str
    card_id: int | None
    data: dict[str, Any]
    private: Wire
    public: Wire


@dataclass
class Feed:
    """One room in this process."""

    code: str
    last_seq: int
    subscribers: set[Subscriber] = field(default_factory=set)
    window: deque[Entry] = field(default_factory=deque)
    window_chars: int = 0
    early: dict[int, RecordedEvent] = field(default_factory=dict)
    hidden: set[int] = field(default_factory=set)
    gap_task: asyncio.Task[None] | None = None
    snapshots: dict[bool, tuple[int, Wire]] = field(default_factory=dict)
    building: dict[bool, asyncio.Task[tuple[int, Wire]]] = field(default_factory=dict)


class Hub:
    def __init__(self, service: RoomService, broker: Broker, *, backlog: int = 512,
                 window: int = 1024, gap_wait_s: float = 0.25, sweep_s: float = 5.0,
                 buffer_limit: int = 1 << 20) -> None:
        self.service = service
        self.broker = broker
        self.backlog = backlog
        self.buffer_limit = buffer_limit
        self.window_size = window
        self.gap_wait_s = gap_wait_s
        self.sweep_s = sweep_s
        self.feeds: dict[str, Feed] = {}
        self._opening: dict[str, asyncio.Task[Feed]] = {}
        self._listener: asyncio.Task[None] | None = None
        self._sweeper: asyncio.Task[None] | None = None

    # --- life --------------------------------------------------------------------------

    async def start(self) -> None:
        await self.broker.connect()
        self._listener = asyncio.create_task(self._listen(), name="askroom-hub-listener")
        self._sweeper = asyncio.create_task(self._sweep(), name="askroom-hub-sweeper")

    async def stop(self) -> None:
        for task in (self._listener, self._sweeper):
            if task is not None:
                task.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await task
        for feed in self.feeds.values():
            for sub in list(feed.subscribers):
                sub.finish()
        await self.broker.disconnect()

    def going_away(self) -> None:
        """The server is stopping: end every stream with 1001, so clients reconnect at once."""
        for feed in self.feeds.values():
            for sub in list(feed.subscribers):
                sub.end(CLOSE_GOING_AWAY)

    async def room_deleted(self, code: str) -> None:
        """Tell every process: this room is gone, close its streams."""
        try:
            await self.broker.publish(code, orjson.dumps({"room": code, "control": "deleted"}))
        except Exception as error:  # each process's sweep notices the room is gone anyway
            log.warning("could not announce the deletion of room %s: %s", code, error)
            self._room_gone(code)

    def _room_gone(self, code: str) -> None:
        feed = self.feeds.pop(code, None)
        if feed is None:
            return
        if feed.gap_task is not None and feed.gap_task is not asyncio.current_task():
            feed.gap_task.cancel()
        for sub in list(feed.subscribers):
            sub.end(CLOSE_ROOM_GONE)
        asyncio.get_running_loop().create_task(self._unsubscribe(code))

    async def publish(self, events: list[RecordedEvent]) -> None:
        """Called after a commit: deliver the events to this process's own streams at once,
        then send them on their room's channel for the other processes (the copy that
        comes back is dropped by its seq). Own delivery never waits for the broker: a
        Redis that stops answering delays only this post's answer, not its room.
        A broker that is down loses nothing: the events are committed, and every process
        catches up from the database."""
        for event in events:
            feed = self.feeds.get(event.room)
            if feed is not None:
                self._arrive(feed, event)
        for event in events:
            try:
                await self.broker.publish(event.room, event.to_message())
            except Exception as error:
                log.warning("could not publish seq %s of room %s: %s", event.seq, event.room,
                            error)
                feed = self.feeds.get(event.room)
                if feed is not None:
                    self._resync(feed)
                # The rest would wait as long; the others catch up from the database.
                return

    # --- sockets -----------------------------------------------------------------------

    async def attach(self, code: str, send: Send, *, after: int | None, private: bool,
                     link: DirectLink | None = None) -> Subscriber:
        """A socket joins the room: first its snapshot or replay, then every live event."""
        feed = await self._feed(code)
        sub = Subscriber(send, private=private, backlog=self.backlog, link=link,
                         buffer_limit=self.buffer_limit)
        feed.subscribers.add(sub)
        sub.start()
        try:
            await self._catch_up(feed, sub, after)
        except BaseException:
            self.detach(code, sub)
            raise
        return sub

    async def make_private(self, code: str, sub: Subscriber) -> None:
        """After a valid `auth`: a fresh private snapshot, then the private stream."""
        feed = self.feeds[code]
        sub.private, sub.ready = True, False
        await self._catch_up(feed, sub, None)

    def detach(self, code: str, sub: Subscriber) -> None:
        sub.finish()
        feed = self.feeds.get(code)
        if feed is None:
            return
        feed.subscribers.discard(sub)
        if not feed.subscribers:
            del self.feeds[code]
            if feed.gap_task is not None:
                feed.gap_task.cancel()
            asyncio.get_running_loop().create_task(self._unsubscribe(code))

    async def _catch_up(self, feed: Feed, sub: Subscriber, after: int | None) -> None:
        replay = self._replay_from_window(feed, after, sub.private)
        if replay is None and after is not None:
            frames, room_seq = await run_in_threadpool(
                self.service.events_after, feed.code, after, private=sub.private)
            if after <= room_seq:
                replay = (max([after, *(f["seq"] for f in frames)]),
                          [Wire(_dumps(f)) for f in frames])
        if replay is not None:
            sub.seq = replay[0]
            sub.start_over(replay[1])
        else:  # no `after`, or one ahead of the room: start over from a snapshot
            sub.seq, snapshot = await self._snapshot(feed, sub.private)
            sub.start_over([], snapshot=snapshot)
        for seq, private, public in sub.held:
            if seq > sub.seq:
                sub.push(private if sub.private else public)
                sub.seq = seq
        sub.held.clear()
        sub.ready = True

    def _replay_from_window(self, feed: Feed, after: int | None,
                            private: bool) -> tuple[int, list[Wire]] | None:
        if after is None or after > feed.last_seq:
            return None
        if after < feed.last_seq and (not feed.window or feed.window[0].seq > after + 1):
            return None  # the window does not reach back that far
        frames = [e.private if private else e.public for e in feed.window if e.seq > after]
        return feed.last_seq, frames

    async def _snapshot(self, feed: Feed, private: bool) -> tuple[int, Wire]:
        """Built once per seq and view, however many sockets ask at once."""
        cached = feed.snapshots.get(private)
        if cached is not None and cached[0] == feed.last_seq:
            return cached
        task = feed.building.get(private)
        if task is None:
            task = asyncio.create_task(self._build_snapshot(feed, private))
            feed.building[private] = task
            task.add_done_callback(lambda _t: feed.building.pop(private, None))
        return await asyncio.shield(task)

    async def _build_snapshot(self, feed: Feed, private: bool) -> tuple[int, Wire]:
        snapshot = await run_in_threadpool(self.service.snapshot, feed.code, private=private)
        built = (snapshot["seq"], Wire(_dumps(snapshot)))
        feed.snapshots[private] = built
        return built

    # --- rooms and events --------------------------------------------------------------

    async def _feed(self, code: str) -> Feed:
        feed = self.feeds.get(code)
        if feed is not None:
            return feed
        opening = self._opening.get(code)
        if opening is None:
            opening = asyncio.create_task(self._open_feed(code))
            self._opening[code] = opening
            opening.add_done_callback(lambda _t: self._opening.pop(code, None))
        return await asyncio.shield(opening)

    async def _open_feed(self, code: str) -> Feed:
        # Subscribe first, then read the seq: an event committed in between arrives twice
        # (once published, once counted) and the seq check drops the copy; none is missed.
        await self.broker.subscribe(code)
        seq = await run_in_threadpool(self.service.room_seq, code)
        feed = Feed(code=code, last_seq=seq)
        self.feeds[code] = feed
        return feed

    async def _unsubscribe(self, code: str) -> None:
        if code not in self.feeds and code not in self._opening:
            await self.broker.unsubscribe(code)

    async def _listen(self) -> None:
        while True:
            channel, message = await self.broker.next_published()
            if channel == RESYNC:
                for feed in list(self.feeds.values()):
                    self._resync(feed)
                continue
            feed = self.feeds.get(channel)
            if feed is None:
                continue
            try:
                payload = orjson.loads(message)
                if payload.get("control") == "deleted":
                    self._room_gone(channel)
                else:
                    self._arrive(feed, RecordedEvent(**payload))
            except Exception:
                log.exception("could not deliver an event in room %s", channel)

    def _arrive(self, feed: Feed, event: RecordedEvent) -> None:
        if event.seq <= feed.last_seq:
            return  # already delivered
        feed.early[event.seq] = event
        while feed.last_seq + 1 in feed.early:
            self._deliver(feed, feed.early.pop(feed.last_seq + 1))
        if feed.early and (feed.gap_task is None or feed.gap_task.done()):
            feed.gap_task = asyncio.create_task(self._fill_gap(feed))

    def _resync(self, feed: Feed) -> None:
        """Events may have been lost on the way: read what is missing from the database."""
        if feed.gap_task is None or feed.gap_task.done():
            feed.gap_task = asyncio.create_task(self._fill_gap(feed, wait=0))

    async def _fill_gap(self, feed: Feed, wait: float | None = None) -> None:
        """Read events after the last delivered from the database, after waiting a moment
        for a missing seq to arrive by itself."""
        await asyncio.sleep(self.gap_wait_s if wait is None else wait)
        page = 500
        while self.feeds.get(feed.code) is feed:
            try:
                frames, _seq = await run_in_threadpool(
                    self.service.events_after, feed.code, feed.last_seq, private=True,
                    limit=page)
            except Refusal:  # the room was deleted
                self._room_gone(feed.code)
                return
            for frame in frames:
                card = frame["data"].get("card")
                self._arrive(feed, RecordedEvent(
                    room=feed.code, seq=frame["seq"], type=frame["event"], at=frame["at"],
                    data=frame["data"], card_id=card["id"] if card else None))
            if len(frames) < page:
                break

    async def _sweep(self) -> None:
        """Now and then, compare each room with the database: a message the broker lost
        with no later one behind it would otherwise go unnoticed."""
        while True:
            await asyncio.sleep(self.sweep_s)
            if not self.feeds:
                continue
            try:
                seqs = await run_in_threadpool(self.service.room_seqs, list(self.feeds))
            except Exception:
                log.exception("could not compare rooms with the database")
                continue
            for code in list(self.feeds):
                if code not in seqs:
                    self._room_gone(code)
                elif seqs[code] > self.feeds[code].last_seq:
                    self._resync(self.feeds[code])

    def _deliver(self, feed: Feed, event: RecordedEvent) -> None:
        """One event, in order: serialised once per view, queued on every socket."""
        data = event.data
        card = data.get("card")
        if card is not None:
            self._track_hidden(feed, card["id"], views.off_board(card))
        if event.type == "participant.left":
            # Their name was erased from the stored events: replays must come from there.
            feed.window.clear()
            feed.window_chars = 0
        private = Wire(_dumps(views.event_frame(event.seq, event.type, event.at, data)))
        entry = Entry(event.seq, event.type, event.at, event.card_id, data, private, private)
        entry.public = public = self._public_frame(entry, hidden_now=False)
        feed.last_seq = event.seq
        feed.window.append(entry)
        feed.window_chars += len(private.text)
        while feed.window and (len(feed.window) > self.window_size
                               or feed.window_chars > MAX_WINDOW_CHARS):
            feed.window_chars -= len(feed.window.popleft().private.text)
        for sub in list(feed.subscribers):
            if not sub.ready:
                sub.held.append((event.seq, private, public))
                if len(sub.held) > self.backlog:
                    sub.drop()
            elif event.seq > sub.seq:
                sub.seq = event.seq
                sub.push(private if sub.private else public)

    def _track_hidden(self, feed: Feed, card_id: int, hidden: bool) -> None:
        """Keep replays from memory true to the card's state now, as SPEC §4 asks."""
        if hidden == (card_id in feed.hidden):
            return
        if hidden:
            feed.hidden.add(card_id)
        else:
            feed.hidden.discard(card_id)
        for entry in feed.window:
            if entry.card_id == card_id:
                entry.public = self._public_frame(entry, hidden_now=hidden)

    @staticmethod
    def _public_frame(entry: Entry, *, hidden_now: bool) -> Wire:
        data = views.public_event_data(entry.type, entry.data, hidden_now=hidden_now)
        if data is entry.data:
            return entry.private
        return Wire(_dumps(views.event_frame(entry.seq, entry.type, entry.at, data)))
