"""kill -9 in the middle of a meeting (SPEC §2: events are persisted in the same
transaction as their change; §4: resume with `after` loses nothing; README: a card
answered 201 survives a crash of the server process).

Several people post cards from threads and several streams watch while the server is
killed with SIGKILL: no shutdown, no flushing. Restarted on the same SQLite file, the
room must hold every card that was answered 201, every key and token must still work, a
retry of a post whose answer was lost must not make a second card, and each stream,
resuming with `after` = the last seq it saw, must have seen every event 1..N exactly
once, the same events the restarted server's log holds.
"""

from __future__ import annotations

import asyncio
import threading
from collections import Counter
from contextlib import AsyncExitStack
from dataclasses import dataclass, field
from typing import Any

import httpx

from tests.attack.conftest import Stream, open_stream, seqs
from tests.meeting import Meeting, Person
from tests.server import Server

POSTERS = 6
STREAMS = 3
KILL_AFTER = 60  # cards answered 201 before the kill, so the kill lands mid-stream
MAX_POSTS = 1000  # per poster: a bound, should the kill never come


@dataclass
class Poster:
    """One person posting cards as fast as the server answers, until it goes away."""

    who: Person
    landed: dict[str, dict[str, Any]] = field(default_factory=dict)  # client_id -> card
    in_flight: str | None = None  # the post whose answer the kill cut off, if any
    error: str | None = None


def post_until_the_server_dies(server: Server, code: str, poster: Poster,
                               landed: threading.Semaphore, stop: threading.Event) -> None:
    with httpx.Client(base_url=server.url, timeout=10) as http:
        for n in range(MAX_POSTS):
            if stop.is_set():
                return
            client_id = f"{poster.who.name}-{n}"
            body = {"client_id": client_id, "kind": "offer", "text": f"{poster.who.name} #{n}"}
            try:
                response = http.post(f"/api/rooms/{code}/cards", json=body,
                                     headers=poster.who.auth)
            except httpx.TransportError as lost:
                poster.in_flight, poster.error = client_id, repr(lost)
                return
            if response.status_code != 201:
                poster.error = f"{response.status_code} {response.text}"
                return
            poster.landed[client_id] = response.json()
            landed.release()


async def watch(stream: Stream) -> None:
    """Take every frame until the connection drops (as it will, with the server)."""
    await stream.read_until_closed(timeout=20)


async def test_a_killed_server_restarts_with_every_answered_card_and_streams_resume(
        fresh_server: Server) -> None:
    server = fresh_server
    with httpx.Client(base_url=server.url, timeout=10) as http:
        meeting = Meeting.open(http, "Winter crisis", "Get frail people home safely")
        meeting.push(library_key="offers")
        posters = [Poster(meeting.join(f"P{n}", f"Org {n}")) for n in range(POSTERS)]

    # Streams from the room's first event on, so that together they must see 1..N.
    async with AsyncExitStack() as stack:
        streams = [await stack.enter_async_context(open_stream(server, meeting.code, after=0))
                   for _ in range(STREAMS)]
        watchers = [asyncio.create_task(watch(stream)) for stream in streams]
        landed, stop = threading.Semaphore(0), threading.Event()
        threads = [threading.Thread(target=post_until_the_server_dies,
                                    args=(server, meeting.code, poster, landed, stop))
                   for poster in posters]
        for thread in threads:
            thread.start()
        try:
            for _ in range(KILL_AFTER):
                assert await asyncio.to_thread(landed.acquire, timeout=20), "posting stalled"
            await asyncio.to_thread(server.kill)
        finally:
            stop.set()
            for thread in threads:
                await asyncio.to_thread(thread.join, 20)
        await asyncio.wait_for(asyncio.gather(*watchers), 20)
    assert not any(thread.is_alive() for thread in threads)

    # The kill really cut posts short, or this test shows nothing about a crash.
    assert any(p.in_flight for p in posters), [p.error for p in posters]
    assert all(p.in_flight or p.error is None for p in posters), [p.error for p in posters]
    answered = {cid: card for p in posters for cid, card in p.landed.items()}
    assert len(answered) >= KILL_AFTER
    before = [stream.events for stream in streams]
    assert all(events for events in before), "a stream saw nothing before the kill"

    server.start()
    with httpx.Client(base_url=server.url, timeout=10) as http:
        meeting.http = http
        # The facilitator key still works, and every card answered 201 is there, as it
        # was answered.
        listing = http.get(meeting.url("/cards"), headers=meeting.facilitator)
        assert listing.status_code == 200, f"the facilitator key: {listing.text}"
        kept = {card["id"]: card for card in listing.json()}
        for card in answered.values():
            assert card["id"] in kept, f"card {card['id']} was answered 201 and is gone"
            assert kept[card["id"]]["text"] == card["text"]
            assert kept[card["id"]]["author"] == card["author"]

        # A post whose answer the kill cut off is retried with its client_id: it lands
        # once, whether or not it had landed before the kill.
        for poster in posters:
            if poster.in_flight is None:
                continue
            number = poster.in_flight.rsplit("-", 1)[1]
            retry = http.post(meeting.url("/cards"), headers=poster.who.auth, json={
                "client_id": poster.in_flight, "kind": "offer",
                "text": f"{poster.who.name} #{number}"})
            assert retry.status_code in (200, 201), f"{poster.who.name}'s token: {retry.text}"
        cards = http.get(meeting.url("/cards"), headers=meeting.facilitator).json()
        per_client_id = Counter((c["author"]["id"], c["client_id"]) for c in cards)
        assert max(per_client_id.values()) == 1, per_client_id.most_common(3)

        # Every token and both keys work as before.
        for poster in posters:
            meeting.card(poster.who, "offer", f"{poster.who.name} after the restart")
        meeting.push(text="What will you do next week?", collects="offer")
        export = http.get(meeting.url("/export.json"), headers=meeting.organiser)
        assert export.status_code == 200, export.text
        log = http.get(meeting.url("/events"), params={"after": 0}).json()
    events, last = log["events"], log["seq"]
    assert seqs(events) == list(range(1, last + 1))
    assert [e["seq"] for e in export.json()["events"]] == seqs(events)

    # Each stream resumes from the last seq it saw: before + after is 1..N, once each,
    # and the very events the log holds.
    for seen in before:
        async with open_stream(server, meeting.code, after=seen[-1]["seq"]) as resumed:
            rest = await resumed.events_through(last)
        assert seqs(seen + rest) == list(range(1, last + 1))
        assert seen + rest == events
