"""Rate limits against a real server with the real limits (SPEC §7)."""

from __future__ import annotations

import itertools
import json
import socket
import time
from collections.abc import Iterator
from contextlib import AsyncExitStack
from pathlib import Path

import httpx
import pytest
from websockets.asyncio.client import connect
from websockets.exceptions import InvalidStatus

from tests.meeting import Meeting
from tests.server import REAL_LIMITS, Server
from tests.stream import open_stream, stream_url


@pytest.fixture
def limited(tmp_path: Path) -> Iterator[httpx.Client]:
    running = Server(tmp_path / "askroom.db", env=REAL_LIMITS).start()
    with httpx.Client(base_url=running.url, timeout=10) as client:
        yield client
    running.stop()


def _assert_limited(response: httpx.Response) -> None:
    assert response.status_code == 429, response.text
    assert response.json()["code"] == "rate_limited"
    assert response.json()["detail"]
    assert 1 <= int(response.headers["retry-after"]) <= 60


def test_a_participant_may_post_ten_cards_in_ten_seconds_not_eleven(
        limited: httpx.Client) -> None:
    meeting = Meeting.open(limited)
    sam, other = meeting.join("Sam", "A"), meeting.join("Ola", "B")
    for n in range(10):
        assert meeting.post(sam, "ask", f"ask {n}").status_code == 201
    _assert_limited(meeting.post(sam, "ask", "one too many"))
    # The limit is the participant's own: someone else still posts.
    assert meeting.post(other, "ask", "mine").status_code == 201
    texts = [card["text"] for card in limited.get(meeting.url("/cards")).json()]
    assert "one too many" not in texts and len(texts) == 11


def test_an_address_may_create_ten_rooms_a_minute(limited: httpx.Client) -> None:
    for n in range(10):
        assert limited.post("/api/rooms", json={"title": f"room {n}"}).status_code == 201
    _assert_limited(limited.post("/api/rooms", json={"title": "eleventh"}))


def test_guessing_room_codes_is_cut_off_found_or_not(limited: httpx.Client) -> None:
    """Past 30 unknown codes a minute, even a real code answers 429: no enumeration."""
    real = Meeting.open(limited)
    alphabet = itertools.product("23456789ABCDEFGHJKMNPQRSTUVWXYZ", repeat=2)
    for first, second in itertools.islice(alphabet, 30):
        guess = f"ZZZZ{first}{second}"
        if guess != real.code:
            assert limited.get(f"/api/rooms/{guess}").status_code == 404
    _assert_limited(limited.get(f"/api/rooms/{real.code}"))
    _assert_limited(limited.get(f"/r/{real.code}"))


def test_an_address_may_join_a_hundred_and_twenty_times_a_minute(
        limited: httpx.Client) -> None:
    meeting = Meeting.open(limited)
    for n in range(120):
        meeting.join(f"Person {n}")
    _assert_limited(limited.post(meeting.url("/participants"), json={"name": "One more"}))
    assert limited.get(meeting.url()).json()["participant_count"] == 120


def test_the_memory_store_sweeps_at_most_once_a_second_not_after_every_hit() -> None:
    # limits' own memory store starts a sweeping thread 10 ms after every hit: at 20 cards
    # a second, one thread per card, competing with the fan-out.
    from limits import parse
    from limits.strategies import MovingWindowRateLimiter

    from app.ratelimit import QuietMemoryStorage

    storage = QuietMemoryStorage()
    limiter = MovingWindowRateLimiter(storage)
    three = parse("3/second")
    sweepers = set()
    for n in range(10):
        assert limiter.hit(three, "cards", "sam") is (n < 3)
        sweepers.add(id(storage.timer))
        time.sleep(0.02)
    assert len(sweepers) <= 2  # the one from start-up, and at most one more
    time.sleep(1.1)
    assert limiter.hit(three, "cards", "sam")  # the window moved on


@pytest.mark.parametrize("spelling", ["bearer {}", "BEARER {}", "Bearer   {}"])
def test_a_participant_cannot_escape_the_card_limit_by_spelling_the_header_differently(
        limited: httpx.Client, spelling: str) -> None:
    """The limit is the participant's, not the header's: every spelling that the bearer
    scheme accepts as their token is the same person."""
    meeting = Meeting.open(limited)
    sam = meeting.join("Sam", "A")
    for n in range(10):
        assert meeting.post(sam, "ask", f"ask {n}").status_code == 201
    body = {"client_id": "respelt", "kind": "ask", "text": "one too many"}
    _assert_limited(limited.post(meeting.url("/cards"), json=body,
                                 headers={"Authorization": spelling.format(sam.token)}))


def test_progress_reports_are_limited_per_participant(limited: httpx.Client) -> None:
    meeting = Meeting.open(limited)
    dev, maria = meeting.join("Dev", "A"), meeting.join("Maria", "B")
    meeting.push(text="What will you do differently?", collects="request")
    request = meeting.card(dev, "request", "Share the rota", to_participant_id=maria.id)
    assert meeting.act(maria, request["id"], "reply", answer="yes").status_code == 200
    steps = itertools.cycle(["in_progress", "not_started"])
    for _ in range(20):
        answer = meeting.act(maria, request["id"], "progress", progress=next(steps))
        assert answer.status_code == 200, answer.text
    _assert_limited(meeting.act(maria, request["id"], "progress", progress="done"))
    # Respelling the header is the same person.
    _assert_limited(limited.post(meeting.url(f"/cards/{request['id']}/progress"),
                                 json={"progress": "done"},
                                 headers={"Authorization": f"bearer  {maria.token}"}))
    # The limit is Maria's own: Dev (the requester) may still report.
    assert meeting.act(dev, request["id"], "progress", progress="done").status_code == 200


async def test_one_address_may_hold_only_so_many_live_streams(tmp_path: Path) -> None:
    """ASKROOM_SOCKETS_PER_ADDRESS (5 here; 1,000 by default): past it the handshake gets
    429 too_many_sockets; another address, or the same once one closes, still gets in."""
    running = Server(tmp_path / "askroom.db",
                     env={**REAL_LIMITS, "ASKROOM_SOCKETS_PER_ADDRESS": "5"}).start()
    try:
        with httpx.Client(base_url=running.url, timeout=10) as http:
            code = Meeting.open(http).code
        async with AsyncExitStack() as stack:
            streams = [await stack.enter_async_context(open_stream(running, code))
                       for _ in range(5)]
            for stream in streams:
                await stream.snapshot()
            with pytest.raises(InvalidStatus) as refused:
                async with open_stream(running, code):
                    pass
            assert refused.value.response.status_code == 429
            assert json.loads(refused.value.response.body)["code"] == "too_many_sockets"
            # Another address (127.0.0.2 is loopback too) is counted on its own.
            sock = socket.create_connection(("127.0.0.1", running.port),
                                            source_address=("127.0.0.2", 0))
            async with connect(stream_url(running, code), sock=sock) as other:
                assert json.loads(await other.recv())["type"] == "snapshot"
            await streams[0].ws.close()
            # The server counts the stream closed once its handler ends: wait for that.
            for _ in range(500):
                try:
                    async with open_stream(running, code) as again:
                        assert (await again.snapshot())["room"]["code"] == code
                        break
                except InvalidStatus as still:
                    assert still.response.status_code == 429
            else:
                pytest.fail("a closed stream was never counted out")
    finally:
        running.stop()


def test_partnerships_are_limited_like_rooms_and_with_them(limited: httpx.Client) -> None:
    """Starting a partnership counts in the rooms' bucket (SPEC §10)."""
    for n in range(9):
        assert limited.post("/api/rooms", json={"title": f"room {n}"}).status_code == 201
    started = limited.post("/api/partnerships", json={"title": "Tenth, a partnership"})
    assert started.status_code == 201, started.text
    _assert_limited(limited.post("/api/partnerships", json={"title": "Eleventh"}))
    _assert_limited(limited.post("/api/rooms", json={"title": "Twelfth"}))


def test_reports_on_matters_arising_are_progress_reports_and_limited_so(
        limited: httpx.Client) -> None:
    from tests.meeting import Series

    series = Series.start(limited, "Limited", ("Council",))
    first = series.next_meeting()
    dev, maria = first.join("Dev", "A"), first.join("Maria", "Council")
    request = first.card(dev, "request", "Share the rota", to_participant_id=maria.id)
    assert first.act(maria, request["id"], "reply", answer="yes").status_code == 200
    second = series.next_meeting()
    jo = second.join("Jo", "Council")
    steps = itertools.cycle(["in_progress", "not_started"])
    for _ in range(20):
        answer = limited.post(second.url("/matters/LIM-1-01/progress"),
                              json={"progress": next(steps)}, headers=jo.auth)
        assert answer.status_code == 200, answer.text
    _assert_limited(limited.post(second.url("/matters/LIM-1-01/progress"),
                                 json={"progress": "done"}, headers=jo.auth))
