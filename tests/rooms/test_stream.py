"""The live stream (SPEC §4) against a real `askroom serve`: snapshot, ordered events,
batches, resume with `after`, the public/private views, limits, Origin and slow clients."""

from __future__ import annotations

import asyncio
import itertools
import json
import socket
from collections.abc import Callable, Iterator
from contextlib import AsyncExitStack
from pathlib import Path
from typing import Any, TypeVar
from urllib.parse import urlsplit

import httpx
import pytest
from websockets.asyncio.client import connect
from websockets.exceptions import ConnectionClosed, InvalidStatus

from tests.meeting import Meeting, Person
from tests.server import Server
from tests.stream import WAIT, Frame, Stream, open_stream, stream_url

T = TypeVar("T")
_client_ids = itertools.count(1)


# --- a stream client ---------------------------------------------------------------------


async def handshake_status(server: Server, code: str, **options: Any) -> int:
    """The HTTP status a refused handshake gets (fails if the handshake succeeds)."""
    with pytest.raises(InvalidStatus) as refused:
        async with connect(stream_url(server, code), open_timeout=WAIT, **options):
            pass
    return refused.value.response.status_code


def seqs(events: list[Frame]) -> list[int]:
    return [e["seq"] for e in events]


def contiguous(first: int, last: int) -> list[int]:
    return list(range(first, last + 1))


# --- driving the meeting without blocking the event loop ---------------------------------


async def off_loop(action: Callable[..., T], *args: Any, **kwargs: Any) -> T:
    """The sync API helpers run in a thread, so the streams keep being read meanwhile."""
    return await asyncio.to_thread(action, *args, **kwargs)


def room_seq(meeting: Meeting) -> int:
    return int(meeting.http.get(meeting.url()).json()["seq"])


def hide(meeting: Meeting, card_id: int, hidden: bool = True) -> dict[str, Any]:
    response = meeting.http.patch(meeting.url(f"/cards/{card_id}"), json={"hidden": hidden},
                                  headers=meeting.facilitator)
    assert response.status_code == 200, response.text
    return response.json()  # type: ignore[no-any-return]


async def post_card(client: httpx.AsyncClient, meeting: Meeting, who: Person, kind: str,
                    text: str, deadline_s: float = 30.0) -> dict[str, Any]:
    """POST a card; if a rate limit answers 429, wait as told and send it again."""
    body = {"client_id": f"stream-{next(_client_ids)}", "kind": kind, "text": text}
    loop = asyncio.get_running_loop()
    deadline = loop.time() + deadline_s
    while True:
        response = await client.post(meeting.url("/cards"), json=body, headers=who.auth)
        if response.status_code != 429 or loop.time() > deadline:
            break
        await asyncio.sleep(float(response.headers.get("Retry-After", "1")))
    assert response.status_code == 201, response.text
    return response.json()  # type: ignore[no-any-return]


@pytest.fixture
def meeting(http: httpx.Client) -> Meeting:
    return Meeting.open(http, "Winter pressures", "Get frail people home safely")


# --- snapshot, then events ---------------------------------------------------------------


async def test_first_frame_is_a_snapshot_of_the_room(server: Server, meeting: Meeting) -> None:
    sam = meeting.join("Sam", "NHS commissioning")
    prompt = meeting.push(text="What do you need help with?", collects="ask")
    timer = meeting.http.post(meeting.url("/timer"), json={"seconds": 300},
                              headers=meeting.facilitator)
    assert timer.status_code == 200, timer.text
    card = meeting.card(sam, "ask", "No beds this winter")
    seq = room_seq(meeting)

    async with open_stream(server, meeting.code) as stream:
        snapshot = await stream.snapshot()

    assert snapshot["seq"] == seq
    assert snapshot["room"]["code"] == meeting.code
    assert snapshot["room"]["title"] == "Winter pressures"
    assert snapshot["prompt"]["id"] == prompt["id"]
    assert snapshot["timer"] is not None and snapshot["timer"]["ends_at"]
    assert [p["name"] for p in snapshot["participants"]] == ["Sam"]
    assert [(c["id"], c["text"]) for c in snapshot["cards"]] == [(card["id"], card["text"])]


async def test_events_after_the_snapshot_come_in_seq_order_once_each(
        server: Server, meeting: Meeting) -> None:
    sam = meeting.join("Sam", "Council")
    async with open_stream(server, meeting.code) as stream:
        snapshot = await stream.snapshot()
        for n in range(5):
            await off_loop(meeting.card, sam, "offer", f"Offer {n}")
        last = await off_loop(room_seq, meeting)
        events = await stream.events_through(last)
        assert seqs(events) == contiguous(snapshot["seq"] + 1, last)
        assert [e["data"]["card"]["text"] for e in events] == [f"Offer {n}" for n in range(5)]
        # Nothing repeated after the last one: the next frame is the next event.
        await off_loop(meeting.card, sam, "offer", "One more")
        assert (await stream.event())["seq"] == last + 1


async def test_every_client_in_a_room_receives_the_same_live_events(
        server: Server, meeting: Meeting) -> None:
    """card.created carries the whole card, as the API returns it, in data.card."""
    sam = meeting.join("Sam", "Work Programme")
    lee = meeting.join("Lee", "Council")
    async with (open_stream(server, meeting.code) as one,
                open_stream(server, meeting.code) as two,
                open_stream(server, meeting.code) as three):
        starts = [(await s.snapshot())["seq"] for s in (one, two, three)]
        assert len(set(starts)) == 1
        card = await off_loop(meeting.card, sam, "request", "Mention the value of work",
                              to_participant_id=lee.id)
        last = await off_loop(room_seq, meeting)
        seen = [await s.events_through(last) for s in (one, two, three)]

    assert seen[0] == seen[1] == seen[2]
    (created,) = seen[0]
    assert created["event"] == "card.created"
    assert created["seq"] == starts[0] + 1
    for field in ("id", "kind", "text", "status", "hidden", "spotlight", "author", "to",
                  "reply_to", "prompt_id", "replies", "commitment", "created_at", "seq"):
        assert created["data"]["card"][field] == card[field], field


# --- resume with after=N -----------------------------------------------------------------


async def test_resume_after_n_sends_exactly_the_later_events_then_live_ones(
        server: Server, meeting: Meeting) -> None:
    sam = meeting.join("Sam", "Council")
    for n in range(4):
        meeting.card(sam, "ask", f"Ask {n}")
    last = room_seq(meeting)
    resume_from = last - 3

    async with open_stream(server, meeting.code, after=resume_from) as stream:
        replayed = await stream.events_through(last)
        assert seqs(replayed) == contiguous(resume_from + 1, last)
        await off_loop(meeting.card, sam, "ask", "Live one")
        live = await stream.event()
    assert live["seq"] == last + 1
    assert live["data"]["card"]["text"] == "Live one"


async def test_resume_from_the_current_seq_sends_only_live_events(
        server: Server, meeting: Meeting) -> None:
    sam = meeting.join("Sam", "Council")
    last = room_seq(meeting)
    async with open_stream(server, meeting.code, after=last) as stream:
        await off_loop(meeting.card, sam, "ask", "After the resume")
        event = await stream.event()
    assert event["seq"] == last + 1


async def test_resume_after_a_seq_ahead_of_the_room_gets_a_snapshot(
        server: Server, meeting: Meeting) -> None:
    sam = meeting.join("Sam", "Council")
    meeting.card(sam, "ask", "Before")
    last = room_seq(meeting)
    async with open_stream(server, meeting.code, after=last + 50) as stream:
        snapshot = await stream.snapshot()
        assert snapshot["seq"] == last
        await off_loop(meeting.card, sam, "ask", "After")
        assert (await stream.event())["seq"] == last + 1


async def test_resume_after_a_server_restart_replays_from_the_database(
        fresh_server: Server) -> None:
    """Also `after=0`: every event from seq 1."""
    with httpx.Client(base_url=fresh_server.url, timeout=10) as http:
        meeting = Meeting.open(http, "Restarted")
        sam = meeting.join("Sam", "Council")
        for n in range(3):
            meeting.card(sam, "offer", f"Offer {n}")
        last = room_seq(meeting)
        fresh_server.restart()

        async with open_stream(fresh_server, meeting.code, after=0) as everything:
            all_events = await everything.events_through(last)
        assert seqs(all_events) == contiguous(1, last)
        assert all_events[0]["event"] == "participant.joined"

        async with open_stream(fresh_server, meeting.code, after=2) as stream:
            replayed = await stream.events_through(last)
            assert seqs(replayed) == contiguous(3, last)
            await off_loop(meeting.card, sam, "offer", "After the restart")
            live = await stream.event()
        assert live["seq"] == last + 1
        assert live["data"]["card"]["text"] == "After the restart"


# --- hidden cards: the public never sees their text -------------------------------------


def assert_never_carries(stream: Stream, secret: str) -> None:
    leaks = [raw for raw in stream.raw if secret in raw]
    assert not leaks, f"a public frame carried hidden text: {leaks[0][:300]}"


def cards_by_id(events: list[Frame]) -> dict[int, list[Frame]]:
    found: dict[int, list[Frame]] = {}
    for e in events:
        card = e["data"].get("card")
        if card is not None:
            found.setdefault(card["id"], []).append(e)
    return found


async def test_hiding_a_card_reaches_the_public_as_a_stub_without_text(
        server: Server, meeting: Meeting) -> None:
    sam = meeting.join("Sam", "Council")
    async with open_stream(server, meeting.code) as public:
        await public.snapshot()
        card = await off_loop(meeting.card, sam, "ask", "Rude remark 7f3a")
        created = await public.event()
        assert created["data"]["card"]["text"] == "Rude remark 7f3a"
        await off_loop(hide, meeting, card["id"])
        hidden = await public.event()
        assert hidden["event"] == "card.updated"
        assert hidden["data"] == {"card": {"id": card["id"], "hidden": True}}
        # Any change to the card while hidden stays a stub too.
        await off_loop(meeting.act, sam, card["id"], "withdraw")
        withdrawn = await public.event()
        assert withdrawn["data"] == {"card": {"id": card["id"], "hidden": True}}
    assert sum("Rude remark 7f3a" in raw for raw in public.raw) == 1  # only before it was hidden


async def test_public_snapshot_leaves_out_the_text_of_hidden_cards(
        server: Server, meeting: Meeting) -> None:
    sam = meeting.join("Sam", "Council")
    hidden_card = meeting.card(sam, "ask", "Hidden words 91c2")
    shown = meeting.card(sam, "ask", "Shown words")
    hide(meeting, hidden_card["id"])
    async with open_stream(server, meeting.code) as public:
        snapshot = await public.snapshot()
    assert [c["text"] for c in snapshot["cards"] if c["id"] == shown["id"]] == ["Shown words"]
    assert all("text" not in c for c in snapshot["cards"] if c["id"] == hidden_card["id"])
    assert_never_carries(public, "Hidden words 91c2")


async def test_public_replay_from_memory_strips_a_card_hidden_since_it_was_created(
        server: Server, meeting: Meeting) -> None:
    """A watcher keeps the room live in the server, so `after=` is served from its window."""
    sam = meeting.join("Sam", "Council")
    async with open_stream(server, meeting.code) as watcher:
        start = (await watcher.snapshot())["seq"]
        card = await off_loop(meeting.card, sam, "ask", "Regretted words 44d0")
        await off_loop(meeting.card, sam, "ask", "Fine words")
        await off_loop(hide, meeting, card["id"])
        last = await off_loop(room_seq, meeting)
        await watcher.events_through(last)

        async with open_stream(server, meeting.code, after=start) as late:
            replayed = await late.events_through(last)
    assert seqs(replayed) == contiguous(start + 1, last)
    for event in cards_by_id(replayed)[card["id"]]:
        assert event["data"] == {"card": {"id": card["id"], "hidden": True}}
    assert_never_carries(late, "Regretted words 44d0")


async def test_public_replay_from_the_database_strips_hidden_cards_after_a_restart(
        fresh_server: Server) -> None:
    with httpx.Client(base_url=fresh_server.url, timeout=10) as http:
        meeting = Meeting.open(http, "Moderated")
        sam = meeting.join("Sam", "Council")
        card = meeting.card(sam, "ask", "Regretted words 0be7")
        hide(meeting, card["id"])
        last = room_seq(meeting)
        fresh_server.restart()
        async with open_stream(fresh_server, meeting.code, after=0) as late:
            replayed = await late.events_through(last)
    assert seqs(replayed) == contiguous(1, last)
    for event in cards_by_id(replayed)[card["id"]]:
        assert event["data"] == {"card": {"id": card["id"], "hidden": True}}
    assert_never_carries(late, "Regretted words 0be7")


async def test_a_withdrawn_card_is_a_stub_in_every_public_replay_but_stays_for_staff(
        fresh_server: Server) -> None:
    """Issue 12, item 6: withdrawn is off every public surface, as hidden is. Replays from
    memory (a watcher keeps the room live), from the database after a restart, and
    /events all give the withdrawn card's events as stubs; the live withdrawal says only
    `withdrawn`; staff replays and the export keep the words."""
    secret = "Withdrawn words 7f3a"
    with httpx.Client(base_url=fresh_server.url, timeout=10) as http:
        meeting = Meeting.open(http, "Second thoughts")
        sam = meeting.join("Sam", "Council")
        meeting.push(text="What do you need?", collects="any")
        async with open_stream(fresh_server, meeting.code) as watcher:
            await watcher.snapshot()
            card = await off_loop(meeting.card, sam, "ask", secret)
            withdrawn = await off_loop(meeting.act, sam, card["id"], "withdraw")
            assert withdrawn.status_code == 200, withdrawn.text
            kept = await off_loop(meeting.card, sam, "ask", "Still asking")
            last = await off_loop(room_seq, meeting)
            live = await watcher.events_through(last)
            assert cards_by_id(live)[card["id"]][-1]["data"] == {
                "card": {"id": card["id"], "status": "withdrawn"}}
            async with open_stream(fresh_server, meeting.code, after=0) as late:
                from_memory = await late.events_through(last)
            assert_never_carries(late, secret)

        def check(replayed: list[Frame], where: str) -> None:
            assert seqs(replayed) == contiguous(1, last), where
            stubs = [e["data"]["card"] for e in cards_by_id(replayed)[card["id"]]]
            assert len(stubs) == 2 and all("text" not in c for c in stubs), (where, stubs)
            assert cards_by_id(replayed)[kept["id"]][0]["data"]["card"]["text"] == "Still asking"
            assert secret not in json.dumps(replayed), where

        check(from_memory, "the replay from memory")
        check(http.get(meeting.url("/events")).json()["events"], "GET /events")
        await off_loop(fresh_server.restart)
        async with open_stream(fresh_server, meeting.code, after=0) as late:
            check(await late.events_through(last), "the replay after a restart")
        assert_never_carries(late, secret)
        check(http.get(meeting.url("/events")).json()["events"], "GET /events after a restart")
        # Staff keep it: their replay and the export.
        staff = http.get(meeting.url("/events"), headers=meeting.facilitator).json()["events"]
        assert secret in json.dumps(staff)
        assert secret in http.get(meeting.url("/export.json"), headers=meeting.organiser).text


@pytest.mark.parametrize("role", ["facilitator", "organiser"])
async def test_staff_auth_gets_a_private_snapshot_then_the_private_stream(
        server: Server, meeting: Meeting, role: str) -> None:
    key = meeting.facilitator_key if role == "facilitator" else meeting.organiser_key
    sam = meeting.join("Sam", "Council")
    earlier = meeting.card(sam, "ask", "Hidden before 5e1d")
    hide(meeting, earlier["id"])
    async with (open_stream(server, meeting.code) as staff,
                open_stream(server, meeting.code) as public):
        assert all(c["id"] != earlier["id"] for c in (await staff.snapshot())["cards"])
        await public.snapshot()
        await staff.send(json.dumps({"type": "auth", "key": key}))
        private = await staff.snapshot()
        assert [c["text"] for c in private["cards"] if c["id"] == earlier["id"]] == \
            ["Hidden before 5e1d"]

        later = await off_loop(meeting.card, sam, "ask", "Hidden later 8c4b")
        await off_loop(hide, meeting, later["id"])
        last = await off_loop(room_seq, meeting)
        staff_events = await staff.events_through(last)
        public_events = await public.events_through(last)
    assert seqs(staff_events) == seqs(public_events) == contiguous(private["seq"] + 1, last)
    staff_hidden = staff_events[-1]["data"]["card"]
    assert (staff_hidden["text"], staff_hidden["hidden"]) == ("Hidden later 8c4b", True)
    assert public_events[-1]["data"] == {"card": {"id": later["id"], "hidden": True}}
    assert_never_carries(public, "Hidden before 5e1d")


async def test_auth_with_a_bad_key_closes_the_socket_with_4401(
        server: Server, meeting: Meeting, http: httpx.Client) -> None:
    other_room = Meeting.open(http, "Another room")
    sam = meeting.join("Sam", "Council")
    for key in ("not-a-key", other_room.facilitator_key, sam.token, None):
        async with open_stream(server, meeting.code) as stream:
            await stream.snapshot()
            await stream.send(json.dumps({"type": "auth", "key": key}))
            assert await stream.close_code() == 4401, key


async def test_client_frames_other_than_auth_are_ignored(
        server: Server, meeting: Meeting) -> None:
    sam = meeting.join("Sam", "Council")
    async with open_stream(server, meeting.code) as stream:
        start = (await stream.snapshot())["seq"]
        for message in ("hello", "{not json", "[1, 2]", '{"type": "subscribe", "room": "X"}',
                        '{"type": "event", "seq": 999}', b"\x00\x01binary", "x" * 64 * 1024):
            await stream.send(message)
        await off_loop(meeting.card, sam, "ask", "Still listening")
        event = await stream.event()
    assert event["seq"] == start + 1
    assert event["data"]["card"]["text"] == "Still listening"


async def test_a_client_message_over_64_kib_closes_the_socket_with_1009(
        server: Server, meeting: Meeting) -> None:
    async with open_stream(server, meeting.code) as stream:
        await stream.snapshot()
        await stream.send("x" * (64 * 1024 + 1))
        assert await stream.close_code() == 1009


# --- handshake ---------------------------------------------------------------------------


async def test_a_foreign_origin_is_refused_with_403(server: Server, meeting: Meeting) -> None:
    assert await handshake_status(server, meeting.code, origin="http://evil.example") == 403


async def test_a_look_alike_origin_on_another_port_is_refused(
        server: Server, meeting: Meeting) -> None:
    host = urlsplit(server.url).hostname
    assert await handshake_status(server, meeting.code, origin=f"http://{host}:1") == 403


@pytest.mark.parametrize("origin", ["none", "own"])
async def test_no_origin_or_the_servers_own_origin_is_allowed(
        server: Server, meeting: Meeting, origin: str) -> None:
    options = {"origin": server.url} if origin == "own" else {}
    async with open_stream(server, meeting.code, **options) as stream:
        assert (await stream.snapshot())["room"]["code"] == meeting.code


@pytest.mark.parametrize("code", ["ZZZZZZ", "nope!"])
async def test_an_unknown_room_refuses_the_handshake_with_404(server: Server, code: str) -> None:
    assert await handshake_status(server, code) == 404


async def test_the_room_code_is_case_insensitive(server: Server, meeting: Meeting) -> None:
    async with open_stream(server, meeting.code.lower()) as stream:
        assert (await stream.snapshot())["room"]["code"] == meeting.code


# --- slow clients and load ---------------------------------------------------------------


def tiny_receive_buffer_socket(server: Server) -> socket.socket:
    """A connected socket whose kernel receive buffer is tiny, so not reading fills it."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
    sock.connect(("127.0.0.1", server.port))
    sock.setblocking(False)
    return sock


@pytest.fixture(scope="module")
def small_backlog_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """A server that drops a socket once 16 frames (or 64 kB, when it writes to the socket
    directly) wait for it, so a test fills it fast."""
    db = tmp_path_factory.mktemp("small-backlog") / "askroom.db"
    running = Server(db, env={"ASKROOM_WS_SEND_BACKLOG": "16",
                              "ASKROOM_WS_SEND_BUFFER_BYTES": "65536"}).start()
    yield running
    running.stop()


@pytest.mark.parametrize("served_from", ["memory", "database"])
async def test_resuming_after_more_events_than_the_send_backlog_loses_nothing(
        small_backlog_server: Server, served_from: str) -> None:
    """A long replay is not a slow client: it has not been sent anything yet to be slow on.

    With a watcher connected the server replays from its in-memory window; without one,
    from the database."""
    server = small_backlog_server
    async with AsyncExitStack() as stack:
        with httpx.Client(base_url=server.url, timeout=10) as http:
            meeting = Meeting.open(http, "Busy room")
            if served_from == "memory":
                watcher = await stack.enter_async_context(open_stream(server, meeting.code))
                await watcher.snapshot()
            for n in range(40):
                await off_loop(meeting.join, f"Person {n}", "Org")
            last = await off_loop(room_seq, meeting)
        if served_from == "memory":
            await watcher.events_through(last)
        async with open_stream(server, meeting.code, after=0) as late:
            events = await late.events_through(last)
    assert seqs(events) == contiguous(1, last)


async def test_a_client_that_stops_reading_is_dropped_and_resumes_without_loss(
        small_backlog_server: Server) -> None:
    """The other client gets every event promptly meanwhile.

    Each answer to a request is a card.updated carrying the whole card with all its
    replies, so the frames grow (to ~40 kB: a request takes at most 20 answers) and fill
    the kernel's buffers for the non-reader within a hundred-odd events."""
    server = small_backlog_server
    answers = 120
    with httpx.Client(base_url=server.url, timeout=10) as http:
        meeting = Meeting.open(http, "Slow phones")
        sam, lee = meeting.join("Sam", "Work Programme"), meeting.join("Lee", "Council")
        requests = [meeting.card(sam, "request", "🚑" * 500, to_participant_id=lee.id)
                    for _ in range(answers // 20)]
    reply = {"answer": "try", "note": "🩺" * 500}  # 2 kB of UTF-8 per answer
    async with (httpx.AsyncClient(base_url=server.url, timeout=10) as client,
                open_stream(server, meeting.code) as fast,
                open_stream(server, meeting.code, max_queue=1,
                            sock=tiny_receive_buffer_socket(server)) as slow):
        start = (await fast.snapshot())["seq"]
        for n in range(answers):
            request = requests[n // 20]
            answered = await client.post(meeting.url(f"/cards/{request['id']}/reply"),
                                         json=reply, headers=lee.auth)
            assert answered.status_code == 200, answered.text
            event = await fast.event(timeout=1.0)  # promptly, however full the slow one is
            assert event["seq"] == start + n + 1
        last = start + answers

        # Only now does the slow client read: what reached it, then the end of it.
        got: list[Frame] = []
        with pytest.raises(ConnectionClosed):
            while True:
                got.append(await slow.next())
        assert got[0]["type"] == "snapshot" and got[0]["seq"] == start
        before_drop = got[1:]
        assert len(before_drop) < answers, "the slow client was never dropped"
        assert seqs(before_drop) == contiguous(start + 1, start + len(before_drop))

        resume_from = before_drop[-1]["seq"] if before_drop else start
        # The server may coalesce the whole replay into one batch: these frames are big.
        async with open_stream(server, meeting.code, after=resume_from,
                               max_size=64 * 2**20) as again:
            rest = await again.events_through(last)
    assert seqs(before_drop + rest) == contiguous(start + 1, last)


async def test_concurrent_posting_reaches_every_client_contiguously_once_each(
        server: Server, meeting: Meeting) -> None:
    """5 people post 20 cards each at once; clients that join mid-burst (by snapshot, or
    resuming with `after`) get the same guarantee as those there from the start."""
    people = [meeting.join(f"Person {n}", f"Org {n}") for n in range(5)]
    async with AsyncExitStack() as stack:
        client = await stack.enter_async_context(
            httpx.AsyncClient(base_url=server.url, timeout=10))
        early = [await stack.enter_async_context(open_stream(server, meeting.code))
                 for _ in range(3)]
        start = (await early[0].snapshot())["seq"]
        for stream in early[1:]:
            assert (await stream.snapshot())["seq"] == start

        async def post_twenty(who: Person) -> list[int]:
            return [(await post_card(client, meeting, who, "offer", f"{who.name}: {n}"))["id"]
                    for n in range(20)]

        posting = asyncio.gather(*(post_twenty(p) for p in people))
        seen_early = await early[0].events_through(start + 30)
        resuming = await stack.enter_async_context(open_stream(server, meeting.code, after=start))
        joining = await stack.enter_async_context(open_stream(server, meeting.code))
        joined_at = (await joining.snapshot())["seq"]
        posted = await asyncio.wait_for(posting, 60)

        card_ids = sorted(i for ids in posted for i in ids)
        assert len(card_ids) == 100
        last = start + len(card_ids)
        seen = {"early": seen_early + await early[0].events_through(last)}
        for n, stream in enumerate(early[1:]):
            seen[f"early {n + 1}"] = await stream.events_through(last)
        seen["resuming"] = await resuming.events_through(last)
        for name, events in seen.items():
            assert seqs(events) == contiguous(start + 1, last), name
            created = [e["data"]["card"]["id"] for e in events if e["event"] == "card.created"]
            assert sorted(created) == card_ids, name
        if joined_at < last:
            assert seqs(await joining.events_through(last)) == contiguous(joined_at + 1, last)


# --- robustness and limits (issue 12) ----------------------------------------------------


async def test_resume_after_a_seq_past_any_the_database_holds_gets_a_snapshot(
        server: Server, meeting: Meeting) -> None:
    """30 digits is ahead of every room (SPEC §4): a snapshot, not a dropped socket."""
    sam = meeting.join("Sam", "Council")
    meeting.card(sam, "ask", "Before")
    last = room_seq(meeting)
    for after in (2**63 - 1, 2**63, 10**29):
        async with open_stream(server, meeting.code, after=after) as stream:
            assert (await stream.snapshot())["seq"] == last


@pytest.fixture
def named_server(tmp_path: Path) -> Iterator[Server]:
    """A server that knows its public address (ASKROOM_PUBLIC_URL), as deployed."""
    named = Server(tmp_path / "askroom.db")
    named.env["ASKROOM_PUBLIC_URL"] = named.url
    yield named.start()
    named.stop()


async def test_a_foreign_host_with_its_own_origin_is_refused_where_the_address_is_known(
        named_server: Server) -> None:
    """DNS rebinding: evil.example resolves to this server; its page's Origin matches the
    Host it sends. The server knows its own name, so it refuses the handshake."""
    with httpx.Client(base_url=named_server.url, timeout=10) as http:
        code = Meeting.open(http).code
    port = named_server.port
    rebound = f"http://evil.example:{port}"
    with socket.create_connection(("127.0.0.1", port)) as sock:
        with pytest.raises(InvalidStatus) as refused:
            async with connect(f"ws://evil.example:{port}/ws/rooms/{code}", sock=sock,
                               origin=rebound, open_timeout=WAIT):  # type: ignore[arg-type]
                pass
    assert refused.value.response.status_code == 403
    assert json.loads(refused.value.response.body)["code"] == "host_not_allowed"
    # Its own name, with or without a browser's Origin, still opens the stream.
    for options in ({}, {"origin": named_server.url}):
        async with open_stream(named_server, code, **options) as stream:
            assert (await stream.snapshot())["room"]["code"] == code
