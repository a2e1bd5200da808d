"""The leak scan (issue 12): every public surface — each GET route without a key, the
pages' HTML, the stream's snapshot, the `after=0` replay on the stream and on /events —
read after each kind of change a meeting makes, and once more after a restart, for the
words of every hidden, withdrawn and held thing and for the author of every anonymous
card.

To scan a new surface, add it to SURFACES: `test_the_scan_covers_every_get_route` fails
until every GET route the server documents is on that list.
"""

from __future__ import annotations

import asyncio
import io
import json
from collections.abc import Awaitable, Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

import httpx
import openpyxl

from tests.attack.conftest import open_stream
from tests.meeting import Meeting, Person, Series
from tests.server import Server

JSONish = dict[str, Any]
ANSWERS = ("yes", "no", "try", "unclear")


@dataclass
class Secrets:
    """What the public must not learn, as the meeting goes on."""

    words: dict[str, str] = field(default_factory=dict)  # what it is -> words no one may see
    anonymous: dict[int, Person] = field(default_factory=dict)  # card id -> its author
    held: set[int] = field(default_factory=set)  # requests whose answers are held


@dataclass
class Scan:
    server: Server
    http: httpx.Client
    meeting: Meeting
    secrets: Secrets
    series: Series  # the meeting is one of this partnership's
    later: Meeting  # its next meeting, which opens with the first one's open commitments

    def url(self, path: str) -> str:
        return path.format(code=self.meeting.code, pid=self.series.id)


# --- the surfaces ----------------------------------------------------------------------

Reader = Callable[[Scan], Awaitable[list[str]]]


@dataclass(frozen=True)
class Surface:
    name: str
    read: Reader
    path: str | None = None  # the route it reads, for the coverage check


def get(path: str) -> Surface:
    """A GET without a key; whatever it answers (a 401 too) is public."""
    async def read(scan: Scan) -> list[str]:
        response = await asyncio.to_thread(scan.http.get, scan.url(path))
        assert response.status_code < 500, (path, response.text)
        return [response.text]
    return Surface(f"GET {path}", read, path.split("?")[0])


def read_by_a_member(path: str) -> Surface:
    """A GET with the partnership's member key: shared with every member organisation,
    so what it answers is as good as public."""
    async def read(scan: Scan) -> list[str]:
        response = await asyncio.to_thread(scan.http.get, scan.url(path),
                                           headers=scan.series.member)
        assert response.status_code == 200, (path, response.text)
        if path.endswith(".xlsx"):  # compressed: the words are in its cells
            return [workbook_text(response.content)]
        return [response.text]
    return Surface(f"GET {path} (member key)", read, path)


def workbook_text(content: bytes) -> str:
    workbook = openpyxl.load_workbook(io.BytesIO(content), read_only=True)
    cells = [str(cell) for sheet in workbook for row in sheet.iter_rows(values_only=True)
             for cell in row if cell is not None]
    workbook.close()
    return "\n".join(cells)


async def later_matters(scan: Scan) -> list[str]:
    """The next meeting's matters arising: the first meeting's commitments, publicly."""
    response = await asyncio.to_thread(scan.http.get, scan.later.url("/matters"))
    assert response.status_code == 200, response.text
    return [response.text]


async def stream_snapshot(scan: Scan) -> list[str]:
    async with open_stream(scan.server, scan.meeting.code) as stream:
        await stream.snapshot()
        return list(stream.raw)


async def stream_replay(scan: Scan) -> list[str]:
    seq = (await asyncio.to_thread(scan.http.get, scan.meeting.url())).json()["seq"]
    async with open_stream(scan.server, scan.meeting.code, after=0) as stream:
        await stream.events_through(seq)
        return list(stream.raw)


R = "/api/rooms/{code}"
SURFACES: list[Surface] = [
    get(R), get(R + "/participants"), get(R + "/cards"), get(R + "/events?after=0"),
    get(R + "/me"), get(R + "/mine"), get(R + "/runsheet"), get(R + "/export.json"),
    get(R + "/export.csv"), get(R + "/export.xlsx"), get(R + "/progress"), get(R + "/matters"),
    Surface("the next meeting's matters arising", later_matters), get("/api/prompts"),
    get("/healthz"),
    get("/readyz"), get("/openapi.json"), get("/docs"), get("/redoc"),
    # The pages.
    get("/"), get("/r/{code}"), get("/r/{code}/board"), get("/r/{code}/report"),
    get("/r/{code}/facilitate"),
    # The partnership the meeting belongs to.
    get("/api/partnerships/{pid}"), read_by_a_member("/api/partnerships/{pid}"),
    get("/api/partnerships/{pid}/register"),
    read_by_a_member("/api/partnerships/{pid}/register"),
    *(surface for kind in ("csv", "xlsx", "json") for surface in (
        get(f"/api/partnerships/{{pid}}/register.{kind}"),
        read_by_a_member(f"/api/partnerships/{{pid}}/register.{kind}"))),
    get("/p"),
    get("/p/{pid}"),
    Surface("stream snapshot", stream_snapshot),
    Surface("stream after=0 replay", stream_replay),
]


# --- what a leak is --------------------------------------------------------------------


def cards_in(value: Any) -> Iterator[JSONish]:
    """Every card view anywhere in a JSON value (lists, snapshots, events, batches)."""
    if isinstance(value, dict):
        if isinstance(value.get("id"), int) and isinstance(value.get("kind"), str):
            yield value
        for inner in value.values():
            yield from cards_in(inner)
    elif isinstance(value, list):
        for inner in value:
            yield from cards_in(inner)


def leaks_in(chunk: str, secrets: Secrets) -> list[str]:
    found = [f"{what} ({words!r})" for what, words in secrets.words.items() if words in chunk]
    try:
        body = json.loads(chunk)
    except ValueError:
        return found  # HTML, CSV, a spreadsheet's bytes: the words are all there is
    for card in cards_in(body):
        author = secrets.anonymous.get(card["id"])
        if author is not None:
            shown = card.get("author")
            if shown is not None or author.name in json.dumps(card) or card.get("client_id"):
                found.append(f"the author of anonymous card {card['id']}: {card}")
        if card["id"] in secrets.held and (
                card.get("status") in ANSWERS or card.get("replies") or card.get("commitment")):
            found.append(f"the held answer of card {card['id']}: {card}")
    return found


async def scan_everything(scan: Scan, after: str) -> None:
    problems = []
    for surface in SURFACES:
        for chunk in await surface.read(scan):
            problems += [f"{surface.name}: {leak}" for leak in leaks_in(chunk, scan.secrets)]
    assert not problems, f"after {after}:\n" + "\n".join(problems)


# --- the meeting, change by change -----------------------------------------------------


@dataclass
class Cast:
    nora: Person  # named, asks and is asked
    anselm: Person  # posts anonymously, and later leaves
    ottoline: Person  # posts anonymously and stays
    rita: Person  # answers while answers are held


def set_up(scan: Scan) -> Cast:
    m = scan.meeting
    cast = Cast(m.join("Nora Plainview", "Council"), m.join("Anselm Quibble", "Kestrel Trust"),
                m.join("Ottoline Vexley", "NHS CCG"), m.join("Rita Answerwell", "Fire"))
    m.push(text="What do you need, and what can you offer?", collects="any",
           identity_choice=True)
    m.card(cast.nora, "ask", "A named ask anyone may read")
    return cast


def post_anonymously(scan: Scan, cast: Cast) -> None:
    m = scan.meeting
    for author in (cast.anselm, cast.ottoline):
        for kind in ("ask", "offer"):
            body = {"client_id": f"{author.name.split()[0].lower()}-{kind}", "kind": kind,
                    "text": f"An anonymous {kind}", "identity": "anonymous"}
            posted = m.http.post(m.url("/cards"), json=body, headers=author.auth)
            assert posted.status_code == 201, posted.text
            scan.secrets.anonymous[posted.json()["id"]] = author
        request = m.card(author, "request", "An anonymous request",
                         to_participant_id=cast.nora.id, identity="anonymous")
        scan.secrets.anonymous[request["id"]] = author
        answered = m.act(cast.nora, request["id"], "reply", answer="yes")
        assert answered.status_code == 200, answered.text


def hide_a_card(scan: Scan, cast: Cast) -> None:
    m = scan.meeting
    words = "Hidden words 2c9f"
    card = m.card(cast.nora, "ask", words)
    offer = m.card(cast.ottoline, "offer", "Hidden offer 61ad", reply_to=card["id"])
    for hidden in (card, offer):
        moderated = m.http.patch(m.url(f"/cards/{hidden['id']}"), json={"hidden": True},
                                 headers=m.facilitator)
        assert moderated.status_code == 200, moderated.text
    scan.secrets.words["a hidden card"] = words
    scan.secrets.words["a hidden offer"] = "Hidden offer 61ad"


def withdraw_a_card(scan: Scan, cast: Cast) -> None:
    m = scan.meeting
    words = "Withdrawn words 0d47"
    card = m.card(cast.nora, "ask", words)
    spotlit = m.http.patch(m.url(f"/cards/{card['id']}"), json={"spotlight": True},
                           headers=m.facilitator)
    assert spotlit.status_code == 200, spotlit.text
    assert m.act(cast.nora, card["id"], "withdraw").status_code == 200
    scan.secrets.words["a withdrawn card"] = words


def hold_an_answer(scan: Scan, cast: Cast) -> None:
    m = scan.meeting
    held = m.http.patch(m.url(), json={"answers_held": True}, headers=m.facilitator)
    assert held.status_code == 200, held.text
    note = "Held note 4be1: yes, from Monday"
    for answer in ("yes", "no"):
        request = m.card(cast.nora, "request", f"A request answered {answer} while held",
                         to_participant_id=cast.rita.id)
        replied = m.act(cast.rita, request["id"], "reply", answer=answer, note=note)
        assert replied.status_code == 200, replied.text
        scan.secrets.held.add(request["id"])
    scan.secrets.words["a held answer's note"] = note


def an_anonymous_author_leaves(scan: Scan, cast: Cast) -> None:
    m = scan.meeting
    left = m.http.post(m.url("/participants/me/withdraw"), headers=cast.anselm.auth)
    assert left.status_code == 200, left.text
    # Their name is gone from everything now, not only from their cards.
    scan.secrets.words["a withdrawn participant's name"] = cast.anselm.name


CHANGES: list[Callable[[Scan, Cast], None]] = [
    post_anonymously, hide_a_card, withdraw_a_card, hold_an_answer,
    an_anonymous_author_leaves,
]


async def test_no_public_surface_leaks_after_any_change_or_a_restart(
        fresh_server: Server) -> None:
    with httpx.Client(base_url=fresh_server.url, timeout=10) as http:
        series = await asyncio.to_thread(Series.start, http, "Leak scan partnership",
                                         ("Council", "NHS CCG"))
        meeting = await asyncio.to_thread(series.next_meeting, title="Leak scan")
        later = await asyncio.to_thread(series.next_meeting, title="Leak scan, again")
        scan = Scan(fresh_server, http, meeting, Secrets(), series, later)
        cast = await asyncio.to_thread(set_up, scan)
        await scan_everything(scan, "the room was set up")
        # A watcher keeps the room live in the server: replays come from its memory.
        async with open_stream(fresh_server, meeting.code) as watcher:
            await watcher.snapshot()
            for change in CHANGES:
                await asyncio.to_thread(change, scan, cast)
                await scan_everything(scan, change.__name__)
        # The checks can see what they look for: staff see every secret word.
        staff = await asyncio.to_thread(http.get, meeting.url("/export.json"),
                                        headers=meeting.organiser)
        for what, words in scan.secrets.words.items():
            if what != "a withdrawn participant's name":
                assert words in staff.text, what
        assert {c["id"] for c in staff.json()["cards"]
                if c["identity"] == "anonymous"} == set(scan.secrets.anonymous)
        await asyncio.to_thread(fresh_server.restart)
        await scan_everything(scan, "a restart")


async def test_the_scan_covers_every_get_route(server: Server) -> None:
    """A route added later must join SURFACES."""
    with httpx.Client(base_url=server.url, timeout=10) as http:
        spec = http.get("/openapi.json").json()
    documented = {path for path, methods in spec["paths"].items() if "get" in methods}
    scanned = {surface.path for surface in SURFACES if surface.path}
    assert documented <= scanned, sorted(documented - scanned)
