"""Hostile text through every text field of a real server (SPEC §7: "Text is stored as
written"; §6: formula injection neutralised).

Each string of the corpus plays a whole meeting in which it is the room's title and
purpose, the people's names and organisations, the prompt, every card, every answer's
note and every progress note, then the room's new title and purpose. It must come back
exactly as written from the API's answers, the GET routes, the live stream and
export.json; in export.csv and export.xlsx no cell may start like a formula, and no XLSX
cell may be one. (That the pages show it as text is the page tests' half.)
"""

from __future__ import annotations

import asyncio
import csv
import io
import itertools
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import httpx
import openpyxl
import pytest

from app.main import create_app
from tests.attack.conftest import open_stream
from tests.meeting import bearer
from tests.server import Server

LONG = ("=1+2<script>alert('x')</script>\"\\ 🚑 " * 20)[:500]
CORPUS = {
    "xss-script": "<script>alert(1)</script>",
    "xss-img": "<img src=x onerror=alert(1)>",
    "xss-svg": '"><svg onload=alert(1)>',
    "xss-close-script": "</script><!-- {{7*7}} ${7*7}",
    "html-entities": "&lt;b&gt; &amp;amp; &#x3C;i&#62;",
    "sql-drop": "'; DROP TABLE cards; --",
    "sql-or": "' OR '1'='1",
    "formula-hyperlink": '=HYPERLINK("http://x","y")',
    "formula-sum": "=1+2",
    "formula-dde": "=cmd|' /C calc'!A0",
    "formula-plus": "+SUM(A1)",
    "formula-minus": "-2+3",
    "formula-at": "@cmd",
    "formula-tab": "\t=1",
    "formula-cr": "\r=1+1",
    "emoji": "🚑🩺 👩🏽‍⚕️ 🏳️‍🌈 help",
    "rtl": "مرحبا بالعالم שלום",
    "bidi-override": "\u202eexe.txt\u202c and \u2066isolate\u2069",
    "zero-width": "a\u200bb\u200cc\u200dd\u2060e\ufefff",
    "unnormalised": "e\u0301 é \ufb01 \u212b Å",
    "quotes-backslashes": "\"double\" 'single' `back` \\ \\\\ \\n \\u0000 \\\"",
    "newlines": "line one\nline two\r\nline three",
    "escape-sequences": "\x1b[31mred\x1b[0m \x7f \x08",
    "json-lookalike": '{"type":"auth","key":"x"}',
    "long-500": LONG,
}
assert all(len(text) <= 500 and "\x00" not in text for text in CORPUS.values())

# Field limits (app/rooms/schemas.py): the corpus string, cut to fit, is what is sent.
TITLE, PURPOSE, NAME, ORGANISATION, PROMPT, TEXT = 120, 500, 60, 80, 280, 500

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
ISO_TIME = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z")
_client_ids = itertools.count(1)


def fit(text: str, limit: int) -> str:
    return text[:limit]


def renamed(text: str, limit: int) -> str:
    """A different hostile value for the same field, for PATCH to change it to."""
    return text[:limit - 1] + "¡"


def neutralised(text: str) -> str:
    return "'" + text if text.startswith(FORMULA_STARTS) else text


class Expected:
    """Every hostile value one meeting sends, field by field."""

    def __init__(self, text: str) -> None:
        self.text = s = text
        self.title, self.purpose = fit(s, TITLE), fit(s, PURPOSE)
        self.new_title, self.new_purpose = renamed(s, TITLE), renamed(s, PURPOSE)
        self.name, self.prompt, self.card = fit(s, NAME), fit(s, PROMPT), fit(s, TEXT)
        # An organisation is kept without the white space around it: the spelling is what
        # names it (SPEC §2 compares organisations trimmed; app/rooms/rules.py join()).
        self.organisation_sent = fit(s, ORGANISATION)
        self.organisation = self.organisation_sent.strip()

    @property
    def hostile(self) -> set[str]:
        return {self.title, self.purpose, self.new_title, self.new_purpose, self.name,
                self.organisation, self.prompt, self.card}


@dataclass
class Played:
    code: str
    facilitator_key: str
    organiser_key: str
    expected: Expected
    plain: set[str] = field(default_factory=set)  # the meeting's own, non-hostile strings
    answers: list[Any] = field(default_factory=list)  # every API answer's JSON

    @property
    def room(self) -> str:
        return f"/api/rooms/{self.code}"

    def call(self, http: httpx.Client, method: str, url: str, status: int = 200,
             token: str | None = None, **body: Any) -> Any:
        """One call of the meeting; it must succeed, and its answer is kept."""
        headers = bearer(token) if token else None
        response = http.request(method, url, json=body or None, headers=headers)
        assert response.status_code == status, (method, url, response.status_code,
                                                 response.text)
        self.answers.append(response.json())
        return response.json()


def open_room(http: httpx.Client, e: Expected) -> Played:
    response = http.post("/api/rooms", json={"title": e.title, "purpose": e.purpose})
    assert response.status_code == 201, response.text
    room = response.json()
    assert (room["title"], room["purpose"]) == (e.title, e.purpose)
    played = Played(room["code"], room["facilitator_key"], room["organiser_key"], e,
                    answers=[room])
    played.plain |= {played.code, "Plain", "Plain org", "Helper org", room["join_url"],
                     room["board_url"], room["facilitate_url"], played.facilitator_key,
                     played.organiser_key}
    return played


def play(http: httpx.Client, played: Played) -> None:
    """The rest of a meeting in which every text field carries the hostile string."""
    e, r, fkey, call = played.expected, played.room, played.facilitator_key, played.call
    asker = call(http, "POST", f"{r}/participants", 201, name=e.name,
                 organisation=e.organisation_sent)
    helper = call(http, "POST", f"{r}/participants", 201, name=e.name,
                  organisation="Helper org")
    plain = call(http, "POST", f"{r}/participants", 201, name="Plain",
                 organisation="Plain org")
    assert (asker["name"], asker["organisation"]) == (e.name, e.organisation)
    assert (helper["name"], plain["name"]) == (e.name, "Plain")
    played.plain |= {asker["token"], helper["token"], plain["token"]}

    prompt = call(http, "POST", f"{r}/prompts", 201, fkey, text=e.prompt, collects="any")
    assert prompt["text"] == e.prompt

    def post(who: dict[str, Any], kind: str, **extra: Any) -> dict[str, Any]:
        client_id = f"hostile-{next(_client_ids)}"
        played.plain.add(client_id)
        card = call(http, "POST", f"{r}/cards", 201, who["token"], client_id=client_id,
                    kind=kind, text=e.card, **extra)
        assert card["text"] == e.card
        return card  # type: ignore[no-any-return]

    to_person = post(plain, "request", to_participant_id=helper["id"])
    answered = call(http, "POST", f"{r}/cards/{to_person['id']}/reply", 200, helper["token"],
                    answer="yes", note=e.card)
    assert answered["replies"][-1]["note"] == e.card
    progressed = call(http, "POST", f"{r}/cards/{to_person['id']}/progress", 200,
                      helper["token"], progress="in_progress", note=e.card)
    assert progressed["commitment"]["note"] == e.card

    to_organisation = post(plain, "request", to_organisation=e.organisation_sent)
    assert to_organisation["to"]["organisation"] == e.organisation
    answered = call(http, "POST", f"{r}/cards/{to_organisation['id']}/reply", 200,
                    asker["token"], answer="try", note=e.card)
    assert answered["replies"][-1]["note"] == e.card
    progressed = call(http, "POST", f"{r}/cards/{to_organisation['id']}/progress", 200,
                      asker["token"], progress="dropped", note=e.card)
    assert progressed["commitment"]["note"] == e.card

    ask = post(asker, "ask")
    offer = post(helper, "offer", reply_to=ask["id"])
    call(http, "POST", f"{r}/cards/{offer['id']}/accept", 200, asker["token"])
    progressed = call(http, "POST", f"{r}/cards/{offer['id']}/progress", 200, asker["token"],
                      progress="done", note=e.card)
    assert progressed["commitment"]["note"] == e.card

    changed = call(http, "PATCH", r, 200, fkey, title=e.new_title, purpose=e.new_purpose)
    assert (changed["title"], changed["purpose"]) == (e.new_title, e.new_purpose)


# --- what may come back ------------------------------------------------------------------

def _enums(node: Any) -> Iterator[str]:
    """Every string an OpenAPI schema allows as an enum or a const."""
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "enum":
                yield from (v for v in value if isinstance(v, str))
            elif key == "const" and isinstance(value, str):
                yield value
            else:
                yield from _enums(value)
    elif isinstance(node, list):
        for value in node:
            yield from _enums(value)


# The API's own words: its enums (kinds, states, answers, ...), and the event types.
ENUMS = set(_enums(create_app().openapi())) | {
    "room.updated", "participant.joined", "prompt.opened", "prompt.closed", "timer.started",
    "timer.stopped", "card.created", "card.updated", "snapshot"}


def strings(document: Any) -> Iterator[str]:
    """Every string value in a JSON document (not the keys: those are the API's own)."""
    if isinstance(document, str):
        yield document
    elif isinstance(document, dict):
        for value in document.values():
            yield from strings(value)
    elif isinstance(document, list):
        for value in document:
            yield from strings(value)


def assert_as_written(document: Any, played: Played, *, where: str,
                      must_hold: set[str]) -> None:
    """Every string in `document` is, exactly, a value the meeting sent or one of the
    API's own; and each of `must_hold` is there."""
    known = played.expected.hostile | played.plain | ENUMS | {""}
    found = set(strings(document))
    for value in found:
        assert value in known or ISO_TIME.fullmatch(value), (
            f"{where}: {value!r} is none of the values sent ({played.expected.text!r})")
    missing = must_hold - found
    assert not missing, f"{where}: never came back: {sorted(missing)!r}"


def assert_cards_as_written(cards: list[dict[str, Any]], e: Expected, *, where: str) -> None:
    assert len(cards) == 4, where
    for card in cards:
        assert card["text"] == e.card, where
        assert (card["author"]["name"], card["author"]["organisation"]) in (
            (e.name, e.organisation), (e.name, "Helper org"), ("Plain", "Plain org")), where
        assert all(reply["note"] == e.card for reply in card["replies"]), where
        assert card["commitment"] is None or card["commitment"]["note"] == e.card, where
    requests = [card["to"] for card in cards if card["kind"] == "request"]
    assert [to["organisation"] for to in requests] == [None, e.organisation], where
    assert requests[0]["participant"]["name"] == e.name, where


def assert_room_as_written(room: dict[str, Any], e: Expected, *, where: str) -> None:
    assert (room["title"], room["purpose"]) == (e.new_title, e.new_purpose), where
    assert room["current_prompt"]["text"] == e.prompt, where


def assert_people_as_written(people: list[dict[str, Any]], e: Expected, *, where: str) -> None:
    assert [(p["name"], p["organisation"]) for p in people] == [
        (e.name, e.organisation), (e.name, "Helper org"), ("Plain", "Plain org")], where


def xlsx_unescaped(text: str) -> str:
    """A cell's text as a spreadsheet shows it: characters XML cannot carry are stored as
    `_xHHHH_` (ECMA-376 Part 1, §22.9.2.19), which openpyxl leaves as they are."""
    return re.sub(r"_x([0-9A-Fa-f]{4})_", lambda m: chr(int(m.group(1), 16)), text)


def assert_no_cell_is_a_formula(rows: list[list[Any]], *, where: str) -> None:
    for row in rows:
        for cell in row:
            assert not (isinstance(cell, str) and cell.startswith(FORMULA_STARTS)), (
                f"{where}: a cell a spreadsheet would run: {cell!r}")


# --- the test ----------------------------------------------------------------------------


@pytest.mark.parametrize("text", CORPUS.values(), ids=CORPUS.keys())
async def test_hostile_text_comes_back_as_written_and_exports_cannot_run_it(
        server: Server, text: str) -> None:
    e = Expected(text)
    everything = {e.title, e.purpose, e.name, e.organisation, e.prompt, e.card, e.new_title,
                  e.new_purpose}
    latest = {e.name, e.organisation, e.prompt, e.card, e.new_title, e.new_purpose}
    with httpx.Client(base_url=server.url, timeout=10) as http:
        played = open_room(http, e)
        staff = bearer(played.facilitator_key)
        # The live stream watches from the room's first event to its last.
        async with open_stream(server, played.code) as stream:
            first = await stream.snapshot()
            assert (first["room"]["title"], first["room"]["purpose"]) == (e.title, e.purpose)
            await asyncio.to_thread(play, http, played)
            seq = http.get(played.room).json()["seq"]
            await stream.events_through(seq)
        async with open_stream(server, played.code) as late:
            snapshot = await late.snapshot()

        # The API's answers.
        assert_as_written(played.answers, played, where="API answers", must_hold=everything)

        # The GET routes, for the public and for the facilitator.
        room = http.get(played.room).json()
        assert_room_as_written(room, e, where="GET room")
        assert_people_as_written(http.get(f"{played.room}/participants").json(), e,
                                 where="GET participants")
        for view, headers in (("public", {}), ("staff", staff)):
            cards = http.get(f"{played.room}/cards", headers=headers).json()
            assert_cards_as_written(cards, e, where=f"GET cards, {view}")
        events = http.get(f"{played.room}/events", params={"after": 0}).json()["events"]
        assert [event["seq"] for event in events] == list(range(1, seq + 1))
        assert_as_written([room, events], played, where="GET room and events",
                          must_hold=everything - {e.title, e.purpose})

        # The stream: the same events as the log, and a snapshot as written.
        assert stream.events == events
        assert_as_written([first, *stream.events], played, where="stream",
                          must_hold=everything)
        assert_room_as_written(snapshot["room"] | {"current_prompt": snapshot["prompt"]}, e,
                               where="snapshot")
        assert_people_as_written(snapshot["participants"], e, where="snapshot")
        assert_cards_as_written(snapshot["cards"], e, where="snapshot")
        assert_as_written(snapshot, played, where="snapshot", must_hold=latest)

        # export.json.
        log = http.get(f"{played.room}/export.json", headers=staff)
        assert log.status_code == 200, log.text
        exported = log.json()
        assert_room_as_written(exported["room"], e, where="export.json")
        assert [prompt["text"] for prompt in exported["prompts"]] == [e.prompt]
        assert_people_as_written(exported["participants"], e, where="export.json")
        assert_cards_as_written(exported["cards"], e, where="export.json")
        # The public log, but for client ids: only staff (and authors) see those (issue 12).
        for event in exported["events"]:
            event["data"].get("card", {}).pop("client_id", None)
        assert exported["events"] == [{k: v for k, v in event.items() if k != "type"}
                                      for event in events]
        assert_as_written(exported, played, where="export.json",
                          must_hold=everything - {e.title, e.purpose})

        # export.csv: every cell safe, and the text otherwise as written.
        answer = http.get(f"{played.room}/export.csv", headers=staff)
        assert answer.status_code == 200, answer.text
        table = list(csv.reader(io.StringIO(answer.content.decode("utf-8-sig"), newline="")))
        header, rows = table[0], table[1:]
        assert len(rows) == 4
        assert_no_cell_is_a_formula(rows, where="export.csv")
        column = {name: [row[i] for row in rows] for i, name in enumerate(header)}
        assert column["text"] == [neutralised(e.card)] * 4
        assert column["prompt"] == [neutralised(e.prompt)] * 4
        assert column["from_name"] == [neutralised(n) for n in ("Plain", "Plain", e.name,
                                                                e.name)]
        assert column["to_organisation"] == ["", neutralised(e.organisation), "", ""]
        assert column["answer_note"] == [neutralised(e.card)] * 2 + ["", ""]

        # export.xlsx: no formulas anywhere, no cell that would become one.
        answer = http.get(f"{played.room}/export.xlsx", headers=staff)
        assert answer.status_code == 200, answer.text
        workbook = openpyxl.load_workbook(io.BytesIO(answer.content))
        for sheet in workbook.worksheets:
            cells = [cell for row in sheet.iter_rows() for cell in row]
            formulas = [cell.coordinate for cell in cells if cell.data_type == "f"]
            assert not formulas, f"export.xlsx {sheet.title}: formulas in {formulas}"
            assert_no_cell_is_a_formula([[cell.value for cell in cells]],
                                        where=f"export.xlsx {sheet.title}")
        log_sheet = workbook["Log"]
        texts = [row[4] for row in log_sheet.iter_rows(min_row=2, values_only=True)]
        assert [xlsx_unescaped(text) for text in texts] == [neutralised(e.card)] * 4
