"""A Redis that stops answering (hung, or its host unreachable: SIGSTOP here) must not stop
the server. Rate-limit questions (only posts ask them, and a 404 after its answer) wait
for it in a worker thread, at most half a second, then let the request through; the
process that commits an event delivers it to its own streams before it publishes; the
broker gives up after its own timeout and every other process catches up from the
database. Meanwhile the event loop serves everything else."""

from __future__ import annotations

import signal
import threading
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx
from websockets.asyncio.client import connect

from tests.meeting import Meeting, Person
from tests.server import Server
from tests.services import RedisServer
from tests.stream import Stream, stream_url


@dataclass
class Stalled:
    """A room on a server that uses Redis, one participant, a stream that has its
    snapshot, and then Redis stopped (SIGSTOP)."""

    redis: RedisServer
    server: Server
    meeting: Meeting
    sam: Person
    stream: Stream
    seq: int


@asynccontextmanager
async def redis_stopped_under_a_room(tmp_path: Path) -> AsyncIterator[Stalled]:
    redis = RedisServer().start()
    server = Server(tmp_path / "askroom.db", env={"ASKROOM_REDIS_URL": redis.url}).start()
    try:
        with httpx.Client(base_url=server.url, timeout=10) as http:
            meeting = Meeting.open(http)
            sam = meeting.join("Sam", "Council")
            async with connect(stream_url(server, meeting.code), max_size=None) as ws:
                stream = Stream(ws)
                seq = (await stream.snapshot())["seq"]
                assert redis.process is not None
                redis.process.send_signal(signal.SIGSTOP)
                yield Stalled(redis, server, meeting, sam, stream, seq)
    finally:
        if redis.process is not None:
            redis.process.send_signal(signal.SIGCONT)
        server.stop()
        redis.stop()


async def test_a_redis_that_stops_answering_holds_up_nothing_else(tmp_path: Path) -> None:
    async with redis_stopped_under_a_room(tmp_path) as room:
        server, meeting, sam, stream, seq = (room.server, room.meeting, room.sam, room.stream,
                                             room.seq)
        answers: list[httpx.Response] = []
        posting = threading.Thread(target=lambda: answers.append(
            meeting.post(sam, "ask", "Posted while Redis hangs")))
        posting.start()
        time.sleep(0.2)  # the post is now waiting on Redis
        with httpx.Client(base_url=server.url, timeout=5) as probe:
            assert probe.get("/healthz").status_code == 200
            # Answered while the post still waits (for seconds: the broker's own
            # timeout): a loop stuck on Redis would have answered after it.
            assert not answers
            # A room route is answered too (it asks Redis nothing: see the next test).
            assert probe.get(meeting.url()).status_code == 200
        posting.join(30)
        (answer,) = answers
        assert answer.status_code == 201, answer.text
        event = await stream.event(20)
        assert event["seq"] == seq + 1
        assert event["data"]["card"]["text"] == "Posted while Redis hangs"


async def test_own_streams_and_reads_do_not_wait_for_a_stopped_redis(tmp_path: Path) -> None:
    """While Redis is stopped, the process that commits an event delivers it to its own
    streams before its publish gives up, and reads of the room (GET, a new stream's
    snapshot) never ask Redis at all. Both are orderings, read from the server's log: a
    request that waited on Redis logs that it let the request through, and a publish
    that gave up logs so."""
    async with redis_stopped_under_a_room(tmp_path) as room:
        server, meeting, sam, stream, seq = (room.server, room.meeting, room.sam, room.stream,
                                             room.seq)
        with httpx.Client(base_url=server.url, timeout=5) as probe:
            assert probe.get(meeting.url()).status_code == 200
            assert probe.get(meeting.url("/cards")).status_code == 200
            assert probe.get(meeting.url("/events")).status_code == 200
        async with connect(stream_url(server, meeting.code)) as second:
            assert (await Stream(second).snapshot())["seq"] == seq
        assert "rate limits unavailable" not in server.log_path.read_text()

        answers: list[httpx.Response] = []
        posting = threading.Thread(target=lambda: answers.append(
            meeting.post(sam, "ask", "Delivered here while Redis hangs")))
        posting.start()
        event = await stream.event(20)
        assert event["seq"] == seq + 1
        assert event["data"]["card"]["text"] == "Delivered here while Redis hangs"
        # Redis is still stopped: the publish of this very event has not given up.
        assert f"could not publish seq {seq + 1}" not in server.log_path.read_text()
        assert not answers
        assert room.redis.process is not None
        room.redis.process.send_signal(signal.SIGCONT)
        posting.join(30)
        (answer,) = answers
        assert answer.status_code == 201, answer.text
