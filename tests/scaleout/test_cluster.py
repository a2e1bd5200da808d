"""Several processes serve one room: each event once, in seq order, on every process."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Callable
from contextlib import AsyncExitStack
from typing import Any

import httpx
from websockets.asyncio.client import connect

from tests.meeting import Meeting, Person
from tests.server import Server
from tests.services import RedisServer
from tests.stream import Frame, Stream, stream_url

Cluster = Callable[..., tuple[Server, Server]]


def on(server: Server, meeting: Meeting, http: httpx.Client) -> Meeting:
    """The same meeting, driven through another process."""
    return Meeting(http, meeting.code, meeting.facilitator_key, meeting.organiser_key)


async def open_stream(stack: AsyncExitStack, server: Server, code: str,
                      after: int | None = None) -> Stream:
    ws = await stack.enter_async_context(
        connect(stream_url(server, code, after), max_size=None, open_timeout=10))
    return Stream(ws)


async def events_until(stream: Stream, seq: int, timeout: float = 10) -> list[Frame]:
    events: list[Frame] = []
    while not events or events[-1]["seq"] < seq:
        events.append(await stream.event(timeout))
    return events


def assert_each_once_in_order(events: list[Frame], first: int, last: int) -> None:
    assert [e["seq"] for e in events] == list(range(first, last + 1))


async def test_clients_on_b_see_what_is_posted_through_a_and_b_in_order(
        cluster: Cluster) -> None:
    a, b = cluster()
    with httpx.Client(base_url=a.url, timeout=10) as via_a, \
            httpx.Client(base_url=b.url, timeout=10) as via_b:
        meeting_a = Meeting.open(via_a, "County partnership board")
        meeting_b = on(b, meeting_a, via_b)
        sam = meeting_a.join("Sam", "Work Programme")
        alex = meeting_b.join("Alex", "Borough Council")
        async with AsyncExitStack() as stack:
            on_a = await open_stream(stack, a, meeting_a.code)
            on_b = await open_stream(stack, b, meeting_a.code)
            start = (await on_b.snapshot())["seq"]
            assert (await on_a.snapshot())["seq"] == start
            posted: list[dict[str, Any]] = []
            for n in range(20):
                meeting = meeting_a if n % 2 == 0 else meeting_b
                who = sam if n % 2 == 0 else alex
                posted.append(await asyncio.to_thread(meeting.card, who, "ask", f"ask {n}"))
            request = await asyncio.to_thread(meeting_b.card, sam, "request", "Change the remit",
                                              to_participant_id=alex.id)
            reply = await asyncio.to_thread(meeting_a.act, alex, request["id"], "reply",
                                            answer="yes", note="I will")
            assert reply.status_code == 200
            last = reply.json()["seq"]
            for stream in (on_a, on_b):
                events = await events_until(stream, last)
                assert_each_once_in_order(events, start + 1, last)
                texts = [e["data"]["card"]["text"] for e in events if e["event"] == "card.created"]
                assert texts == [card["text"] for card in posted] + ["Change the remit"]
                assert events[-1]["data"]["card"]["status"] == "yes"
                assert events[-1]["data"]["card"]["commitment"]["owner"]["id"] == alex.id


async def test_a_client_resumes_on_the_other_process_with_after(cluster: Cluster) -> None:
    a, b = cluster()
    with httpx.Client(base_url=a.url, timeout=10) as via_a:
        meeting = Meeting.open(via_a)
        sam = meeting.join("Sam", "Work Programme")
        async with AsyncExitStack() as stack:
            on_a = await open_stream(stack, a, meeting.code)
            start = (await on_a.snapshot())["seq"]
            for n in range(5):
                await asyncio.to_thread(meeting.card, sam, "ask", f"before {n}")
            seen = await events_until(on_a, start + 5)
            await on_a.ws.close()
            for n in range(5):  # while the client is away
                await asyncio.to_thread(meeting.card, sam, "ask", f"away {n}")
            on_b = await open_stream(stack, b, meeting.code, after=seen[-1]["seq"])
            await asyncio.to_thread(meeting.card, sam, "ask", "after")
            resumed = await events_until(on_b, start + 11)
            assert_each_once_in_order(seen + resumed, start + 1, start + 11)
            assert resumed[-1]["data"]["card"]["text"] == "after"


async def test_a_hundred_posts_spread_over_both_processes_arrive_once_each_everywhere(
        cluster: Cluster) -> None:
    a, b = cluster()
    with httpx.Client(base_url=a.url, timeout=10) as via_a:
        meeting = Meeting.open(via_a)
        people = [meeting.join(f"Person {n}", f"Org {n % 4}") for n in range(20)]
    async with AsyncExitStack() as stack:
        streams = [await open_stream(stack, server, meeting.code) for server in (a, b, a, b)]
        starts = {(await s.snapshot())["seq"] for s in streams}
        assert len(starts) == 1
        start = starts.pop()
        barrier = threading.Barrier(20)
        answers: list[int] = []

        def post_five(person: Person, server: Server) -> None:
            with httpx.Client(base_url=server.url, timeout=20) as http:
                mine = on(server, meeting, http)
                barrier.wait(10)
                for n in range(5):
                    answers.append(mine.post(person, "offer", f"{person.name} {n}").status_code)

        threads = [threading.Thread(target=post_five, args=(p, (a, b)[i % 2]))
                   for i, p in enumerate(people)]
        for thread in threads:
            thread.start()
        await asyncio.to_thread(lambda: [t.join(60) for t in threads])
        assert answers.count(201) == 100
        for stream in streams:
            events = await events_until(stream, start + 100, timeout=15)
            assert_each_once_in_order(events, start + 1, start + 100)
            texts = {e["data"]["card"]["text"] for e in events}
            assert len(texts) == 100


async def test_redis_going_away_loses_nothing_and_doubles_nothing(cluster: Cluster) -> None:
    """Writes go on while Redis is away (the database is the truth); /readyz says the
    broker is down; when it is back, every client has every event exactly once."""
    redis = RedisServer().start()
    try:
        a, b = cluster(redis)
        with httpx.Client(base_url=a.url, timeout=10) as via_a, \
                httpx.Client(base_url=b.url, timeout=10) as via_b:
            meeting_a = Meeting.open(via_a)
            meeting_b = on(b, meeting_a, via_b)
            sam = meeting_a.join("Sam", "Work Programme")
            async with AsyncExitStack() as stack:
                streams = [await open_stream(stack, s, meeting_a.code) for s in (a, b)]
                start = (await streams[0].snapshot())["seq"]
                await streams[1].snapshot()
                await asyncio.to_thread(meeting_a.card, sam, "ask", "before")
                await asyncio.to_thread(redis.stop)
                for n in range(6):
                    meeting = meeting_a if n % 2 else meeting_b
                    response = await asyncio.to_thread(meeting.post, sam, "ask", f"during {n}")
                    assert response.status_code == 201, response.text
                assert via_a.get("/readyz").status_code == 503
                assert via_b.get("/readyz").status_code == 503
                await asyncio.to_thread(redis.start)
                await asyncio.to_thread(meeting_b.card, sam, "ask", "after")
                for stream in streams:
                    events = await events_until(stream, start + 8, timeout=20)
                    assert_each_once_in_order(events, start + 1, start + 8)
                for _ in range(100):
                    if via_a.get("/readyz").status_code == 200:
                        break
                    await asyncio.sleep(0.1)
                assert via_a.get("/readyz").status_code == 200
    finally:
        redis.stop()
