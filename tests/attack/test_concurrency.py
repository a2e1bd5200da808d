"""Many people posting at the same instant (SPEC §2: seq 1, 2, 3, … with no gaps; §4: a
client sees each event once, in seq order, with no gaps).

20 participants post 100 cards from 20 threads released together by a barrier, while 3
streams watch throughout. Every stream must get seqs that are contiguous with no
duplicates, every card exactly once, and the room's seq must be its number of events.
"""

from __future__ import annotations

import asyncio
import threading
from collections import Counter
from typing import Any

import httpx

from tests.attack.conftest import open_stream, seqs
from tests.meeting import Meeting, Person
from tests.server import Server

PEOPLE = 20
CARDS_EACH = 5
STREAMS = 3


def post_together(server: Server, code: str, who: Person, start: threading.Barrier,
                  cards: list[dict[str, Any]]) -> None:
    with httpx.Client(base_url=server.url, timeout=30) as http:
        assert http.get("/healthz").status_code == 200  # the connection is open before the go
        start.wait(timeout=30)
        for n in range(CARDS_EACH):
            body = {"client_id": f"p{who.id}-{n}", "kind": "ask", "text": f"{who.name}: {n}"}
            response = http.post(f"/api/rooms/{code}/cards", json=body, headers=who.auth)
            assert response.status_code == 201, response.text
            cards.append(response.json())


async def test_simultaneous_posts_reach_every_stream_once_each_in_contiguous_seqs(
        server: Server, http: httpx.Client) -> None:
    meeting = Meeting.open(http, "Partnership board", "Join things up")
    meeting.push(library_key="ask-for-help")
    people = [meeting.join(f"Person {n}", f"Org {n}") for n in range(PEOPLE)]

    async with (open_stream(server, meeting.code) as one,
                open_stream(server, meeting.code) as two,
                open_stream(server, meeting.code) as three):
        streams = [one, two, three]
        start = {(await stream.snapshot())["seq"] for stream in streams}
        assert len(start) == 1
        (first,) = start

        barrier = threading.Barrier(PEOPLE)
        posted: list[list[dict[str, Any]]] = [[] for _ in people]
        threads = [threading.Thread(target=post_together,
                                    args=(server, meeting.code, who, barrier, cards))
                   for who, cards in zip(people, posted, strict=True)]
        for thread in threads:
            thread.start()
        # The streams are read while the posts go in, not only afterwards.
        last = first + PEOPLE * CARDS_EACH
        seen = await asyncio.wait_for(
            asyncio.gather(*(stream.events_through(last) for stream in streams)), 60)
        for thread in threads:
            await asyncio.to_thread(thread.join, 30)
        assert not any(thread.is_alive() for thread in threads)

    cards = [card for mine in posted for card in mine]
    assert len(cards) == PEOPLE * CARDS_EACH, "some posts failed: see the thread errors"
    card_ids = sorted(card["id"] for card in cards)
    assert sorted(card["seq"] for card in cards) == list(range(first + 1, last + 1))
    for n, events in enumerate(seen):
        assert seqs(events) == list(range(first + 1, last + 1)), f"stream {n}"
        created = Counter(e["data"]["card"]["id"] for e in events if e["event"] == "card.created")
        assert sorted(created) == card_ids and set(created.values()) == {1}, f"stream {n}"
        texts = {e["data"]["card"]["id"]: e["data"]["card"]["text"] for e in events}
        assert texts == {card["id"]: card["text"] for card in cards}, f"stream {n}"

    log = http.get(meeting.url("/events"), params={"after": 0}).json()
    assert log["seq"] == len(log["events"]) == last
    assert seqs(log["events"]) == list(range(1, last + 1))
    assert http.get(meeting.url()).json()["seq"] == last
    assert seen[0] == log["events"][first:]
