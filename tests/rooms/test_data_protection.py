"""Data protection (issue 6, part 5) against real servers: a participant who withdraws
leaves no trace of their name in any response, frame or export; the facilitator can
delete a room at once; closed rooms are deleted after the retention period by a task
that survives restarts; the join page says who runs the meeting and how long data is
kept."""

from __future__ import annotations

import asyncio
import contextlib
import io
import json
import re
import sqlite3
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import openpyxl
import pytest
from websockets.asyncio.client import connect
from websockets.exceptions import InvalidStatus

from tests.meeting import Meeting, Person
from tests.server import Server
from tests.stream import WAIT, open_stream, stream_url

JSONish = dict[str, Any]

NAME = "Zebedee Quartermaine"
NAME_PARTS = ("Zebedee", "Quartermaine")
WITHDRAWN = "A participant"


def room_seq(m: Meeting) -> int:
    response = m.http.get(m.url())
    assert response.status_code == 200, response.text
    return int(response.json()["seq"])


def assert_nameless(text: str, where: str) -> None:
    for part in NAME_PARTS:
        assert part not in text, f"{part!r} is still in {where}: {text[:3000]}"


def xlsx_text(content: bytes) -> str:
    workbook = openpyxl.load_workbook(io.BytesIO(content), read_only=True)
    try:
        return "\n".join(str(value) for sheet in workbook.worksheets
                         for row in sheet.iter_rows(values_only=True)
                         for value in row if value is not None)
    finally:
        workbook.close()


# --- withdrawal ------------------------------------------------------------------------


@dataclass
class Leaving:
    meeting: Meeting
    zeb: Person
    bea: Person
    carl: Person
    request: JSONish  # Zebedee asks Bea
    ask: JSONish  # Zebedee asks the room; Carl offers, Zebedee accepts
    offer: JSONish
    asked: JSONish  # Bea asks Zebedee; he answers yes: his commitment
    pending: JSONish  # Bea asks Zebedee again; unanswered when he leaves


def open_meeting(http: httpx.Client) -> Meeting:
    return Meeting.open(http, "Harbour partnership", "Join up the winter response")


def meeting_with_zebedee(http: httpx.Client, m: Meeting | None = None) -> Leaving:
    m = m or open_meeting(http)
    zeb = m.join(NAME, "Harbour Trust")
    bea = m.join("Bea Bellweather", "Council")
    carl = m.join("Carl Cooper", "NHS")
    m.push(text="What do you need, and what can you offer?", collects="any")
    request = m.card(zeb, "request", "Please share the night shelter rota",
                     to_participant_id=bea.id)
    ask = m.card(zeb, "ask", "Who can lend a van on Saturdays?")
    offer = m.card(carl, "offer", "Our depot van is free", reply_to=ask["id"])
    assert m.act(zeb, offer["id"], "accept").status_code == 200
    asked = m.card(bea, "request", "Can your volunteers meet the late trains?",
                   to_participant_id=zeb.id)
    answered = m.act(zeb, asked["id"], "reply", answer="yes", note="From next week")
    assert answered.status_code == 200, answered.text
    pending = m.card(bea, "request", "Could you join the Tuesday call?",
                     to_participant_id=zeb.id)
    reply = m.act(bea, request["id"], "reply", answer="try")
    assert reply.status_code == 200
    return Leaving(m, zeb, bea, carl, request, ask, offer, asked, pending)


def withdraw(leaving: Leaving) -> httpx.Response:
    m = leaving.meeting
    return m.http.post(m.url("/participants/me/withdraw"), headers=leaving.zeb.auth)


def every_http_response(leaving: Leaving) -> dict[str, httpx.Response]:
    m = leaving.meeting
    get = m.http.get
    responses = {
        "GET /cards (public)": get(m.url("/cards")),
        "GET /cards (participant)": get(m.url("/cards"), headers=leaving.bea.auth),
        "GET /cards (facilitator)": get(m.url("/cards"), headers=m.facilitator),
        "GET /cards (organiser)": get(m.url("/cards"), headers=m.organiser),
        "GET /participants": get(m.url("/participants")),
        "GET /rooms/{code}": get(m.url()),
        "GET /events (public)": get(m.url("/events"), params={"after": 0}),
        "GET /events (facilitator)": get(m.url("/events"), params={"after": 0},
                                         headers=m.facilitator),
        "GET /events (organiser)": get(m.url("/events"), params={"after": 0},
                                       headers=m.organiser),
        "export.json": get(m.url("/export.json"), headers=m.organiser),
        "export.csv": get(m.url("/export.csv"), headers=m.facilitator),
        "export.xlsx": get(m.url("/export.xlsx"), headers=m.organiser),
        "GET /mine (Bea)": get(m.url("/mine"), headers=leaving.bea.auth),
        "GET /mine (Carl)": get(m.url("/mine"), headers=leaving.carl.auth),
        "GET /mine (Zebedee)": get(m.url("/mine"), headers=leaving.zeb.auth),
        "GET /me (Zebedee)": get(m.url("/me"), headers=leaving.zeb.auth),
        "join page": get(f"/r/{m.code}"),
        "board page": get(f"/r/{m.code}/board"),
    }
    for where, response in responses.items():
        assert response.status_code == 200, (where, response.text)
    return responses


def text_of(where: str, response: httpx.Response) -> str:
    if where == "export.xlsx":
        return xlsx_text(response.content)
    return response.content.decode("utf-8-sig")


async def stream_texts(server: Server, m: Meeting, last: int) -> dict[str, str]:
    """What new streams are sent: snapshots and after=0 replays, public and private."""
    texts: dict[str, str] = {}
    async with open_stream(server, m.code) as public:
        await public.snapshot()
        texts["public snapshot"] = "".join(public.raw)
    async with open_stream(server, m.code, key=m.organiser_key) as staff:
        await staff.snapshot()
        texts["private snapshot"] = "".join(staff.raw)
    for after in (0, 1, 3):
        async with open_stream(server, m.code, after=after) as replay:
            await replay.events_through(last)
            texts[f"public after={after} replay"] = "".join(replay.raw)
    async with open_stream(server, m.code, after=0) as staff:
        await staff.events_through(last)
        await staff.send(json.dumps({"type": "auth", "key": m.facilitator_key}))
        await staff.snapshot()  # auth answers with a fresh private snapshot
        texts["private after=0 stream"] = "".join(staff.raw)
    return texts


async def test_withdrawal_erases_the_name_from_every_response_and_frame(
        fresh_server: Server) -> None:
    with httpx.Client(base_url=fresh_server.url, timeout=10) as http:
        m = await asyncio.to_thread(open_meeting, http)
        # Streams open from the start: the server keeps the room's events in memory, so
        # the replays below are served from there (with the name, until it is erased).
        async with open_stream(fresh_server, m.code) as live, \
                open_stream(fresh_server, m.code, key=m.facilitator_key) as staff:
            await live.snapshot()
            await staff.snapshot()
            leaving = await asyncio.to_thread(meeting_with_zebedee, http, m)
            named_cards = {leaving.request["id"], leaving.ask["id"], leaving.asked["id"],
                           leaving.pending["id"]}
            before = await asyncio.to_thread(room_seq, m)
            await live.events_through(before)
            await staff.events_through(before)
            # The name is really there before: these checks can see it.
            assert NAME in (await asyncio.to_thread(http.get, m.url("/cards"))).text
            assert NAME in "".join(live.raw)
            async with open_stream(fresh_server, m.code, after=0) as warm:
                await warm.events_through(before)
                assert NAME in "".join(warm.raw)
            live.raw.clear()
            staff.raw.clear()

            left = await asyncio.to_thread(withdraw, leaving)
            assert left.status_code == 200, left.text
            assert left.json() == {"id": leaving.zeb.id, "name": WITHDRAWN,
                                   "organisation": "Harbour Trust"}
            last = await asyncio.to_thread(room_seq, m)
            frames = await live.events_through(last)
            private = await staff.events_through(last)

            # Live clients: participant.left first, then each card that named them.
            assert frames[0]["event"] == "participant.left", frames
            assert frames[0]["data"]["participant"]["id"] == leaving.zeb.id
            updated = {f["data"]["card"]["id"] for f in frames[1:]
                       if f["event"] == "card.updated"}
            assert updated == named_cards, "a card.updated for each card that named them"
            # Then one staff-only cards.renamed for any they wrote unnamed: the public gets
            # its seq with nothing in it, whatever the number of such cards.
            assert [f["event"] for f in frames[1:]] == (
                ["card.updated"] * len(named_cards) + ["cards.renamed"])
            assert frames[-1]["data"] == {}
            assert [f["seq"] for f in private] == [f["seq"] for f in frames]
            for raw in (live.raw, staff.raw):
                assert_nameless("".join(raw), "the live frames after leaving")

            # Every HTTP response, public and staff.
            responses = await asyncio.to_thread(every_http_response, leaving)
            for where, response in responses.items():
                assert_nameless(text_of(where, response), where)
            # New streams while the room is live in the server (its feed, its memory).
            for where, text in (await stream_texts(fresh_server, m, last)).items():
                assert_nameless(text, f"{where} (room live in the server)")

        # Their cards stay, authored by "A participant".
        cards = {c["id"]: c for c in responses["GET /cards (facilitator)"].json()}
        for card_id in (leaving.request["id"], leaving.ask["id"]):
            assert cards[card_id]["author"] == {"id": leaving.zeb.id, "name": WITHDRAWN,
                                                "organisation": "Harbour Trust"}
            assert cards[card_id]["status"] != "withdrawn"
        assert cards[leaving.asked["id"]]["to"]["participant"]["name"] == WITHDRAWN
        assert cards[leaving.asked["id"]]["commitment"]["owner"]["name"] == WITHDRAWN
        assert cards[leaving.asked["id"]]["replies"][0]["by"]["name"] == WITHDRAWN
        public = {c["id"] for c in responses["GET /cards (public)"].json()}
        assert {leaving.request["id"], leaving.ask["id"]} <= public
        assert leaving.zeb.id not in {p["id"] for p in responses["GET /participants"].json()}
        assert WITHDRAWN in responses["export.csv"].content.decode("utf-8-sig")

        # They can no longer post or answer, but can still withdraw their own cards.
        refused = await asyncio.to_thread(m.post, leaving.zeb, "ask", "One more thing")
        assert refused.status_code == 403, refused.text
        assert refused.json()["code"] == "participant_left"
        answer = await asyncio.to_thread(m.act, leaving.zeb, leaving.pending["id"], "reply",
                                         answer="yes")
        assert answer.status_code == 403, answer.text
        assert answer.json()["code"] == "participant_left"
        again = await asyncio.to_thread(withdraw, leaving)
        assert again.status_code == 200 and again.json()["name"] == WITHDRAWN
        gone = await asyncio.to_thread(m.act, leaving.zeb, leaving.ask["id"], "withdraw")
        assert gone.status_code == 200, gone.text
        assert gone.json()["status"] == "withdrawn"
        # Nobody can address a request to them any more.
        target = await asyncio.to_thread(m.post, leaving.bea, "request", "Still there?",
                                         to_participant_id=leaving.zeb.id)
        assert target.status_code == 422, target.text
        last = await asyncio.to_thread(room_seq, m)

        # After a restart, from the database.
        await asyncio.to_thread(fresh_server.restart)
        responses = await asyncio.to_thread(every_http_response, leaving)
        for where, response in responses.items():
            assert_nameless(text_of(where, response), f"{where} after a restart")
        for where, text in (await stream_texts(fresh_server, m, last)).items():
            assert_nameless(text, f"{where} (after a restart)")


async def test_a_late_stream_resuming_across_the_withdrawal_gets_no_name(
        server: Server) -> None:
    """A phone that saw events before the withdrawal and reconnects with `after` gets the
    rest; nothing it is sent after the withdrawal names the person."""
    with httpx.Client(base_url=server.url, timeout=10) as http:
        leaving = await asyncio.to_thread(meeting_with_zebedee, http)
        m = leaving.meeting
        async with open_stream(server, m.code) as keep_feed_alive:
            await keep_feed_alive.snapshot()
            mid = await asyncio.to_thread(room_seq, m)
            late_card = await asyncio.to_thread(m.card, leaving.bea, "request",
                                                "Last one before you go",
                                                to_participant_id=leaving.zeb.id)
            assert (await asyncio.to_thread(withdraw, leaving)).status_code == 200
            last = await asyncio.to_thread(room_seq, m)
            await keep_feed_alive.events_through(last)
            for after in (mid - 1, mid, mid + 1, last - 1):
                async with open_stream(server, m.code, after=after) as phone:
                    frames = await phone.events_through(last)
                    assert_nameless("".join(phone.raw), f"a resume from after={after}")
                assert [f["seq"] for f in frames] == list(range(after + 1, last + 1))
        assert late_card["to"]["participant"]["name"] == NAME


def test_leaving_erases_the_name_from_what_staff_heard_when_someone_else_left(
        http: httpx.Client) -> None:
    """A held request Zebedee made to an organisation went, when the one who answered it
    left, into that leaver's staff-only cards.renamed (its public view did not change).
    When Zebedee leaves in turn, that stored event must lose his name too."""
    m = open_meeting(http)
    zeb, hari = m.join(NAME, "Harbour Trust"), m.join("Hari Health", "NHS")
    m.push(text="What do you need?", collects="any")
    assert http.patch(m.url(), json={"answers_held": True},
                      headers=m.facilitator).status_code == 200
    request = m.card(zeb, "request", "Share the discharge data", to_organisation="nhs")
    assert m.act(hari, request["id"], "reply", answer="yes").status_code == 200
    for who in (hari, zeb):
        left = http.post(m.url("/participants/me/withdraw"), headers=who.auth)
        assert left.status_code == 200, left.text
    log = http.get(m.url("/export.json"), headers=m.organiser)
    renamed = [e for e in log.json()["events"] if e["event"] == "cards.renamed"]
    assert [c["id"] for c in renamed[0]["data"]["cards"]] == [request["id"]]
    assert_nameless(log.text, "the export after both left")
    assert_nameless(http.get(m.url("/events"), headers=m.facilitator).text, "staff /events")


def test_a_withdrawn_participant_is_no_longer_counted_as_in_the_room(
        http: httpx.Client) -> None:
    """The room's participant count (console, board, snapshot) agrees with its list of
    participants: someone who withdrew has left."""
    leaving = meeting_with_zebedee(http)
    m = leaving.meeting
    assert withdraw(leaving).status_code == 200
    present = http.get(m.url("/participants")).json()
    assert [p["name"] for p in present] == ["Bea Bellweather", "Carl Cooper"]
    assert http.get(m.url()).json()["participant_count"] == len(present)


def test_a_withdrawn_name_leaves_the_database_files_on_disk(fresh_server: Server) -> None:
    """Issue 12, item 9: after withdrawal the SQLite -wal still held copies of the name
    (secure_delete was off, and the log keeps old pages until overwritten). The bytes of
    the database file and its log are read as they are on disk."""
    files = [fresh_server.db_path, Path(f"{fresh_server.db_path}-wal")]

    def on_disk() -> bytes:
        return b"".join(path.read_bytes() for path in files if path.exists())

    with httpx.Client(base_url=fresh_server.url, timeout=10) as http:
        leaving = meeting_with_zebedee(http)
        assert NAME.encode() in on_disk(), "the check can see the name before"
        assert withdraw(leaving).status_code == 200
        raw = on_disk()
        for part in NAME_PARTS:
            assert part.encode() not in raw, f"{part!r} is still on disk"
        # The room carries on: the name stays gone as others post.
        m = leaving.meeting
        m.card(leaving.bea, "ask", "After the withdrawal")
        assert http.get(m.url("/cards")).status_code == 200
    fresh_server.stop()
    for part in NAME_PARTS:
        assert part.encode() not in on_disk(), f"{part!r} is on disk after a stop"
    fresh_server.start()


def test_on_postgresql_no_live_row_keeps_a_withdrawn_name(tmp_path: Path,
                                                          postgres_url: str) -> None:
    """What PostgreSQL guarantees (README, Decisions: erasure on disk): once the
    withdrawal is answered, no row any query can read holds the name. Old row versions
    stay as dead tuples until vacuum; that is documented, not hidden."""
    from sqlalchemy import text

    from app.db import make_engine
    from tests.scaleout.conftest import migrate

    assert migrate(postgres_url).returncode == 0
    server = Server(tmp_path / "unused.db", env={"ASKROOM_DATABASE_URL": postgres_url}).start()
    engine = make_engine(postgres_url)
    tables = ("rooms", "participants", "prompts", "cards", "replies", "events", "run_items")

    def rows() -> str:
        with engine.connect() as connection:
            return "\n".join(str(row) for table in tables for row in connection.execute(
                text(f"SELECT t::text FROM {table} t")))  # noqa: S608 (our own table names)

    try:
        with httpx.Client(base_url=server.url, timeout=10) as http:
            leaving = meeting_with_zebedee(http)
            assert NAME in rows(), "the check can see the name before"
            assert withdraw(leaving).status_code == 200
        assert_nameless(rows(), "PostgreSQL's live rows")
    finally:
        engine.dispose()
        server.stop()


def test_leaving_reads_only_the_events_that_name_the_person(tmp_path: Path) -> None:
    """Issue 12, item 7: leaving read and rewrote the room's whole event log under the
    write lock. The work now grows with what names the person, not with the room's
    history: a room of 300 other events costs no more than an empty one. (The service on
    a real SQLite file; an ORM event listener counts the event rows leaving loads.)"""
    from sqlalchemy import event as orm_event

    from app import schema
    from app.db import make_engine
    from app.rooms.log.service import RoomService
    from app.rooms.models import Event

    engine = make_engine(f"sqlite:///{tmp_path / 'history.db'}")
    schema.upgrade(engine)
    service = RoomService(engine)
    room, key, _ = service.create_room("A long meeting", "")
    code = room["code"]
    service.push_prompt(code, key, library_key=None, text="What do you need?",
                        collects="any", duration_s=None, self_commit=None)

    def post(token: str, client_id: str, **card: Any) -> JSONish:
        fields = {"kind": "ask", "text": "An ask", "to_participant_id": None,
                  "to_organisation": None, "reply_to": None, **card}
        return service.post_card(code, token, client_id=client_id, **fields).body  # type: ignore[no-any-return]

    zeb = service.join(code, NAME, "Harbour Trust").body
    bea = service.join(code, "Bea Bellweather", "Council").body
    post(zeb["token"], "z1")
    post(bea["token"], "b0", kind="request", to_participant_id=zeb["id"])
    for i in range(1, 300):
        post(bea["token"], f"b{i}", text=f"Another ask {i}")
    loaded: list[int] = []

    def count(target: Event, _context: Any) -> None:
        loaded.append(target.seq)

    orm_event.listen(Event, "load", count)
    try:
        service.leave(code, zeb["token"])
    finally:
        orm_event.remove(Event, "load", count)
    # His join, his ask, Bea's request to him: three events name him.
    assert len(loaded) == 3, f"leaving loaded {len(loaded)} events"
    log = service.export_log(code, key)
    assert_nameless(json.dumps(log), "the export after leaving")
    assert sum(e["event"] == "card.created" for e in log["events"]) == 301
    engine.dispose()


# --- deletion --------------------------------------------------------------------------


async def test_deleting_a_room_closes_its_streams_and_every_route_answers_404(
        server: Server) -> None:
    with httpx.Client(base_url=server.url, timeout=10) as http:
        leaving = await asyncio.to_thread(meeting_with_zebedee, http)
        m = leaving.meeting
        step = await asyncio.to_thread(http.post, m.url("/runsheet"),
                                       json={"text": "Plan", "collects": "ask"},
                                       headers=m.facilitator)
        assert step.status_code == 201
        card = leaving.request["id"]
        bystander = await asyncio.to_thread(Meeting.open, http, "Another room")
        ann = await asyncio.to_thread(bystander.join, "Ann", "Council")

        async with open_stream(server, m.code) as public, \
                open_stream(server, m.code, key=m.organiser_key) as staff, \
                open_stream(server, bystander.code) as unrelated:
            await public.snapshot()
            await staff.snapshot()
            await unrelated.snapshot()
            deleted = await asyncio.to_thread(http.delete, m.url(), headers=m.facilitator)
            assert deleted.status_code == 204, deleted.text
            assert deleted.content == b""
            assert await public.close_code() == 4404
            assert await staff.close_code() == 4404
            # Another room's stream carries on.
            await asyncio.to_thread(bystander.card, ann, "ask", "Still here")
            assert (await unrelated.event())["event"] == "card.created"

        f, o, z = m.facilitator, m.organiser, leaving.zeb.auth
        routes: list[tuple[str, str, dict[str, str], Any]] = [
            ("GET", m.url(), {}, None),
            ("PATCH", m.url(), f, {"title": "Again"}),
            ("DELETE", m.url(), f, None),
            ("GET", m.url("/participants"), {}, None),
            ("POST", m.url("/participants"), {}, {"name": "Late", "organisation": ""}),
            ("POST", m.url("/participants/me/withdraw"), z, None),
            ("GET", m.url("/me"), z, None),
            ("GET", m.url("/mine"), z, None),
            ("POST", m.url("/prompts"), f, {"text": "Hello", "collects": "ask"}),
            ("POST", m.url("/prompts/current/close"), f, None),
            ("POST", m.url("/timer"), f, {"seconds": 60}),
            ("GET", m.url("/cards"), {}, None),
            ("GET", m.url("/cards"), f, None),
            ("POST", m.url("/cards"), z, {"client_id": "late", "kind": "ask", "text": "Hi"}),
            ("POST", m.url(f"/cards/{card}/reply"), z, {"answer": "yes"}),
            ("POST", m.url(f"/cards/{card}/accept"), z, None),
            ("POST", m.url(f"/cards/{card}/withdraw"), z, None),
            ("POST", m.url(f"/cards/{card}/progress"), z, {"progress": "done"}),
            ("PATCH", m.url(f"/cards/{card}"), f, {"hidden": True}),
            ("GET", m.url("/events"), {}, None),
            ("GET", m.url("/events"), o, None),
            ("GET", m.url("/export.json"), o, None),
            ("GET", m.url("/export.csv"), f, None),
            ("GET", m.url("/export.xlsx"), o, None),
            ("GET", m.url("/runsheet"), f, None),
            ("POST", m.url("/runsheet"), f, {"text": "Plan", "collects": "ask"}),
            ("PATCH", m.url(f"/runsheet/{step.json()['id']}"), f, {"text": "Changed"}),
            ("DELETE", m.url(f"/runsheet/{step.json()['id']}"), f, None),
            ("PUT", m.url("/runsheet/order"), f, {"order": [step.json()["id"]]}),
            ("POST", m.url("/runsheet/next"), f, None),
            ("POST", m.url("/reveal"), f, None),
            ("GET", f"/r/{m.code}", {}, None),
            ("GET", f"/r/{m.code}/board", {}, None),
            ("GET", f"/r/{m.code}/facilitate", {}, None),
            ("GET", f"/r/{m.code}/report", {}, None),
        ]
        for method, path, headers, body in routes:
            response = await asyncio.to_thread(http.request, method, path, json=body,
                                               headers=headers)
            assert response.status_code == 404, (method, path, response.status_code,
                                                 response.text[:300])
            assert_nameless(response.text, f"{method} {path} after deletion")
        with pytest.raises(InvalidStatus) as refused:
            async with connect(stream_url(server, m.code), open_timeout=WAIT):
                pass
        assert refused.value.response.status_code == 404
        with pytest.raises(InvalidStatus) as refused:
            async with connect(stream_url(server, m.code, after=0), open_timeout=WAIT):
                pass
        assert refused.value.response.status_code == 404
        # The other room is untouched.
        assert (await asyncio.to_thread(http.get, bystander.url())).status_code == 200


def test_only_the_facilitator_deletes_a_room(http: httpx.Client) -> None:
    m = Meeting.open(http, "Keep me")
    sam = m.join("Sam", "NHS")
    other = Meeting.open(http, "Another room")
    for who, headers, status in (("a participant", sam.auth, 403),
                                 ("the organiser", m.organiser, 403),
                                 ("another room's facilitator", other.facilitator, 401),
                                 ("nobody", {}, 401)):
        refused = http.delete(m.url(), headers=headers)
        assert refused.status_code == status, (who, refused.text)
    assert http.get(m.url()).status_code == 200
    assert http.get(m.url("/participants")).json()[0]["name"] == "Sam"
    # A closed room can be deleted at once too, without waiting for retention.
    assert m.set_state("closed").status_code == 200
    assert http.delete(m.url(), headers=m.facilitator).status_code == 204
    assert http.get(m.url()).status_code == 404
    assert http.get(other.url()).status_code == 200


# --- retention -------------------------------------------------------------------------

ISO_DB = re.compile(r"^\d{4}-\d\d-\d\d[ T]\d\d:\d\d:\d\d(\.\d{1,6})?([+-]\d\d:\d\d)?$")


def backdate_closing(db_path: Path, code: str, by: timedelta) -> None:
    """Move a room's `closed_at` into the past, in the format the server wrote it."""
    backdate(db_path, "rooms", "closed_at", code, by)


def backdate(db_path: Path, table: str, column: str, code: str, by: timedelta) -> None:
    """Move a time of the row with this code into the past, in the server's format."""
    with contextlib.closing(sqlite3.connect(db_path, timeout=10)) as db, db:
        (stored,) = db.execute(f"SELECT {column} FROM {table} WHERE code = ?",  # noqa: S608
                               (code,)).fetchone()
        assert isinstance(stored, str) and ISO_DB.match(stored), stored
        moment = datetime.fromisoformat(stored) - by
        separator = "T" if "T" in stored else " "
        fraction = re.search(r"\.(\d+)", stored)
        text = moment.strftime(f"%Y-%m-%d{separator}%H:%M:%S")
        if fraction:
            text += "." + f"{moment.microsecond:06d}"[:len(fraction.group(1))]
        if moment.tzinfo is not None:
            text += stored[-6:]
        assert len(text) == len(stored), (stored, text)
        changed = db.execute(f"UPDATE {table} SET {column} = ? WHERE code = ?",  # noqa: S608
                             (text, code))
        assert changed.rowcount == 1


def wait_until(condition: Callable[[], bool], timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"not within {timeout} s: {what}")
        time.sleep(0.1)


RETENTION = {"ASKROOM_RETENTION_DAYS": "1", "ASKROOM_RETENTION_CHECK_S": "0.5"}


async def test_closed_rooms_past_retention_are_deleted_also_after_a_restart(
        tmp_path: Path) -> None:
    db_path = tmp_path / "askroom.db"
    server = await asyncio.to_thread(Server(db_path, env=RETENTION).start)
    try:
        with httpx.Client(base_url=server.url, timeout=10) as http:
            old = await asyncio.to_thread(meeting_with_zebedee, http)
            second = await asyncio.to_thread(Meeting.open, http, "Closed yesterday")
            recent = await asyncio.to_thread(Meeting.open, http, "Closed this morning")
            still_open = await asyncio.to_thread(Meeting.open, http, "Still meeting")
            for m in (old.meeting, second, recent):
                closed = await asyncio.to_thread(m.set_state, "closed")
                assert closed.status_code == 200, closed.text
                assert closed.json()["closed_at"] is not None

            async with open_stream(server, old.meeting.code) as watching:
                await watching.snapshot()
                await asyncio.to_thread(backdate_closing, db_path, old.meeting.code,
                                        timedelta(days=2))
                await asyncio.to_thread(backdate_closing, db_path, recent.code,
                                        timedelta(hours=12))
                await asyncio.to_thread(
                    wait_until, lambda: http.get(old.meeting.url()).status_code == 404, 5,
                    "the room closed two days ago is deleted")
                assert await watching.close_code() == 4404, "its streams are closed"
            for gone in ("/cards", "/participants", "/events"):
                assert http.get(old.meeting.url(gone)).status_code == 404
            assert http.get(old.meeting.url("/export.json"),
                            headers=old.meeting.facilitator).status_code == 404
            time.sleep(0.7)  # another run of the task
            for kept in (second, recent, still_open):
                assert http.get(kept.url()).status_code == 200, kept.title

            # The join page tells people the period this server keeps their data.
            room = http.post("/api/rooms", json={"title": "Short", "run_by": "Fire Service"})
            page = http.get(f"/r/{room.json()['code']}")
            assert "Fire Service" in page.text
            assert re.search(r"\b1\s+days?\b", page.text), "retention of 1 day on the page"
            assert not re.search(r"\b90\s+days\b", page.text)
    finally:
        await asyncio.to_thread(server.stop)

    # No trace of the deleted room's people in the database either.
    with contextlib.closing(sqlite3.connect(db_path)) as db:
        for table in ("participants", "cards", "events"):
            rows = db.execute(f"SELECT * FROM {table}").fetchall()  # noqa: S608
            assert_nameless(repr(rows), f"the {table} table")

    # Backdate the other room while the server is down; on start the task finds it, with
    # nothing remembered from before: checking only hourly, it must run soon after start.
    backdate_closing(db_path, second.code, timedelta(days=2))
    restarted = await asyncio.to_thread(
        Server(db_path, env={"ASKROOM_RETENTION_DAYS": "1",
                             "ASKROOM_RETENTION_CHECK_S": "3600"}).start)
    try:
        with httpx.Client(base_url=restarted.url, timeout=10) as http:
            await asyncio.to_thread(
                wait_until, lambda: http.get(second.url()).status_code == 404, 5,
                "the room backdated while the server was down is deleted after the restart")
            assert http.get(recent.url()).status_code == 200
            assert http.get(still_open.url()).status_code == 200
    finally:
        await asyncio.to_thread(restarted.stop)


def test_join_page_says_who_runs_the_meeting_and_how_long_data_is_kept(
        http: httpx.Client) -> None:
    created = http.post("/api/rooms", json={"title": "Harbour partnership",
                                            "run_by": "Kestrel County Council"})
    assert created.status_code == 201, created.text
    assert created.json()["run_by"] == "Kestrel County Council"
    code = created.json()["code"]
    page = http.get(f"/r/{code}")
    assert page.status_code == 200
    assert "Kestrel County Council" in page.text, "the join page names who runs the meeting"
    assert re.search(r"\b90\s+days\b", page.text), "the default retention, 90 days"

    # Changing who runs it shows on the page too.
    changed = http.patch(f"/api/rooms/{code}", json={"run_by": "Harbour Trust <Data team>"},
                         headers={"Authorization": f"Bearer {created.json()['facilitator_key']}"})
    assert changed.status_code == 200 and changed.json()["run_by"] == "Harbour Trust <Data team>"
    page = http.get(f"/r/{code}")
    assert "Harbour Trust &lt;Data team&gt;" in page.text, "shown as text, escaped"
    assert "<Data team>" not in page.text
    # The configured period: see the retention test, whose server keeps data for 1 day.
