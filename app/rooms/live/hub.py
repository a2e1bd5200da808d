"""This process's live sockets, per room: sockets attach and detach, committed events are
published, and two tasks run beside them: the listener (what other processes published,
through the broker) and the sweeper (what the broker may have lost).

The committing process delivers its own events to its own sockets at once (feed.py puts
them in order). Other processes learn of them only through a broker that reaches them
(Redis): the copy that comes back here is dropped by its seq. The in-memory broker
reaches no one else, so nothing is sent through it.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging

import orjson
from starlette.concurrency import run_in_threadpool

from app.rooms.live.broker import Broker
from app.rooms.live.feed import Feed, Limits
from app.rooms.live.message import (
    RESYNC,
    RecordedEvent,
    deleted_message,
    event_message,
    from_message,
)
from app.rooms.live.reads import Reads
from app.rooms.live.subscriber import Send, Subscriber
from app.rooms.live.transport import DirectLink
from app.rooms.vocab import CLOSE_GOING_AWAY, CLOSE_ROOM_GONE

log = logging.getLogger("askroom.hub")


class Hub:
    def __init__(self, service: Reads, broker: Broker, *, backlog: int = 512,
                 window: int = 1024, gap_wait_s: float = 0.25, sweep_s: float = 5.0,
                 buffer_limit: int = 1 << 20) -> None:
        self.service = service
        self.broker = broker
        self.limits = Limits(backlog=backlog, window=window, gap_wait_s=gap_wait_s)
        self.buffer_limit = buffer_limit
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
        if not self.broker.shared:
            self._room_gone(code)
            return
        try:
            await self.broker.publish(code, deleted_message(code))
        except Exception as error:  # each process's sweep notices the room is gone anyway
            log.warning("could not announce the deletion of room %s: %s", code, error)
            self._room_gone(code)

    def _room_gone(self, code: str) -> None:
        feed = self.feeds.pop(code, None)
        if feed is None:
            return
        feed.close()
        for sub in list(feed.subscribers):
            sub.end(CLOSE_ROOM_GONE)
        asyncio.get_running_loop().create_task(self._unsubscribe(code))

    async def publish(self, events: list[RecordedEvent]) -> None:
        """Called after a commit: deliver the events to this process's own streams at once,
        then, where the broker reaches other processes, send them on their room's channel.
        Own delivery never waits for the broker: a Redis that stops answering delays only
        this post's answer, not its room. A broker that is down loses nothing: the events
        are committed, and every process catches up from the database."""
        shared = self.broker.shared
        frames: list[bytes] = []
        for event in events:
            feed = self.feeds.get(event.room)
            if feed is None and not shared:
                continue
            # One serialisation of the private frame, for own sockets and the broker.
            frame = orjson.dumps(event.frame())
            if feed is not None:
                feed.arrive(event, frame)
            frames.append(frame)
        if not shared:
            return
        for event, frame in zip(events, frames, strict=True):
            try:
                await self.broker.publish(event.room, event_message(event, frame))
            except Exception as error:
                log.warning("could not publish seq %s of room %s: %s", event.seq, event.room,
                            error)
                feed = self.feeds.get(event.room)
                if feed is not None:
                    feed.resync()
                # The rest would wait as long; the others catch up from the database.
                return

    # --- sockets -----------------------------------------------------------------------

    async def attach(self, code: str, send: Send, *, after: int | None, private: bool,
                     link: DirectLink | None = None) -> Subscriber:
        """A socket joins the room: first its snapshot or replay, then every live event."""
        feed = await self._feed(code)
        sub = Subscriber(send, private=private, backlog=self.limits.backlog, link=link,
                         buffer_limit=self.buffer_limit)
        feed.subscribers.add(sub)
        try:
            await feed.catch_up(sub, after)
        except BaseException:
            self.detach(code, sub)
            raise
        return sub

    async def make_private(self, code: str, sub: Subscriber) -> None:
        """After a valid `auth`: a fresh private snapshot, then the private stream."""
        feed = self.feeds[code]
        sub.private, sub.ready = True, False
        await feed.catch_up(sub, None)

    def detach(self, code: str, sub: Subscriber) -> None:
        sub.finish()
        feed = self.feeds.get(code)
        if feed is None:
            return
        feed.subscribers.discard(sub)
        if not feed.subscribers:
            del self.feeds[code]
            feed.close()
            asyncio.get_running_loop().create_task(self._unsubscribe(code))

    # --- rooms -------------------------------------------------------------------------

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
        feed = Feed(code, seq, self.service, self.limits, self._room_gone)
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
                    feed.resync()
                continue
            feed = self.feeds.get(channel)
            if feed is None:
                continue
            try:
                decoded = from_message(message)
                if decoded is None:
                    self._room_gone(channel)
                else:
                    feed.arrive(*decoded)
            except Exception:
                log.exception("could not deliver an event in room %s", channel)

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
                    self.feeds[code].resync()
