"""Bad input against the real server (SPEC §7): a clear 4xx that changes nothing; hostile
text stored and returned exactly as written; the OpenAPI document covers SPEC §3."""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import httpx
import pytest

from tests.meeting import Meeting, Person


@dataclass
class Room:
    """An open room with a request, an ask and an offer in it, and someone elsewhere."""

    meeting: Meeting
    ann: Person  # asked the room, and asked Bo
    bo: Person  # of the County Council; offered to Ann's ask
    cy: Person  # asked nothing, owed nothing
    stranger: Person  # a participant of another room
    request: dict[str, Any]
    ask: dict[str, Any]
    offer: dict[str, Any]

    def seq(self) -> int:
        response = self.meeting.http.get(self.meeting.url())
        assert response.status_code == 200, response.text
        return int(response.json()["seq"])


@pytest.fixture
def room(http: httpx.Client) -> Room:
    meeting = Meeting.open(http, "Bad input")
    ann = meeting.join("Ann", "NHS Somerset ICB")
    bo = meeting.join("Bo", "County Council")
    cy = meeting.join("Cy", "Fire")
    elsewhere = Meeting.open(http, "Elsewhere")
    stranger = elsewhere.join("Stranger", "Elsewhere Trust")
    request = meeting.card(ann, "request", "Share discharge data", to_participant_id=bo.id)
    ask = meeting.card(ann, "ask", "Volunteers for A&E")
    offer = meeting.card(bo, "offer", "Ten volunteers", reply_to=ask["id"])
    return Room(meeting, ann, bo, cy, stranger, request, ask, offer)


def refused(response: httpx.Response, status: int, code: str) -> dict[str, Any]:
    assert response.status_code == status, response.text
    body = response.json()
    assert body["code"] == code, body
    assert isinstance(body["detail"], str) and body["detail"]
    return body  # type: ignore[no-any-return]


def card_body(**change: Any) -> dict[str, Any]:
    body = {"client_id": "bad-1", "kind": "ask", "text": "A lift to the station"}
    body.update(change)
    return {key: value for key, value in body.items() if value is not ...}


# --- cards that must not be posted -----------------------------------------------------

# (what is wrong, who posts, the body, status, code); bodies may name the room's cards.
BAD_CARDS: list[tuple[str, str, Callable[[Room], dict[str, Any]], int, str]] = [
    ("unknown kind", "ann", lambda r: card_body(kind="poem"), 422, "invalid_input"),
    ("no kind", "ann", lambda r: card_body(kind=...), 422, "invalid_input"),
    ("empty text", "ann", lambda r: card_body(text=""), 422, "invalid_input"),
    ("blank text", "ann", lambda r: card_body(text=" \n\t "), 422, "invalid_input"),
    ("oversize text", "ann", lambda r: card_body(text="x" * 501), 422, "invalid_input"),
    ("oversize text in emoji", "ann", lambda r: card_body(text="🙋" * 501), 422,
     "invalid_input"),
    ("text not a string", "ann", lambda r: card_body(text=42), 422, "invalid_input"),
    ("no client_id", "ann", lambda r: card_body(client_id=...), 422, "invalid_input"),
    ("request with no target", "ann", lambda r: card_body(kind="request"), 422,
     "request_needs_target"),
    ("request to someone in another room", "ann",
     lambda r: card_body(kind="request", to_participant_id=r.stranger.id), 422,
     "unknown_participant"),
    ("request to nobody at all", "ann",
     lambda r: card_body(kind="request", to_participant_id=2**40), 422,
     "unknown_participant"),
    ("request to an organisation not in the room", "ann",
     lambda r: card_body(kind="request", to_organisation="Elsewhere Trust"), 422,
     "unknown_organisation"),
    ("request to oneself", "ann",
     lambda r: card_body(kind="request", to_participant_id=r.ann.id), 422,
     "request_to_self"),
    ("ask with a target", "ann", lambda r: card_body(kind="ask", to_participant_id=r.bo.id),
     422, "target_not_allowed"),
    ("offer replying to an offer", "cy",
     lambda r: card_body(kind="offer", reply_to=r.offer["id"]), 422,
     "reply_to_not_ask_or_request"),
    ("offer replying to a card of no room", "cy",
     lambda r: card_body(kind="offer", reply_to=2**40), 422, "unknown_card"),
    ("ask replying to an ask", "cy", lambda r: card_body(kind="ask", reply_to=r.ask["id"]),
     422, "reply_to_not_allowed"),
    ("unknown field", "ann", lambda r: card_body(colour="red"), 422, "invalid_input"),
    ("author smuggled in", "ann", lambda r: card_body(author_id=r.bo.id), 422,
     "invalid_input"),
    ("negative target id", "ann",
     lambda r: card_body(kind="request", to_participant_id=-1), 422, "invalid_input"),
]


@pytest.mark.parametrize(("who", "make_body", "status", "code"),
                         [pytest.param(*case[1:], id=case[0]) for case in BAD_CARDS])
def test_a_bad_card_is_refused_and_changes_nothing(
        http: httpx.Client, room: Room, who: str, make_body: Callable[[Room], dict[str, Any]],
        status: int, code: str) -> None:
    seq = room.seq()
    author: Person = getattr(room, who)
    response = http.post(room.meeting.url("/cards"), json=make_body(room), headers=author.auth)
    body = refused(response, status, code)
    if status == 422 and code == "invalid_input":
        assert body["errors"], body
    assert room.seq() == seq
    assert len(http.get(room.meeting.url("/cards")).json()) == 3


def test_text_of_exactly_500_characters_is_accepted(room: Room) -> None:
    """The limit is 500 characters, not 500 bytes: the boundary on both sides."""
    for text in ("x" * 500, "🙋" * 500):
        card = room.meeting.card(room.ann, "ask", text)
        assert card["text"] == text


def test_a_reply_by_someone_not_asked_is_refused(http: httpx.Client, room: Room) -> None:
    seq = room.seq()
    for outsider in (room.cy, room.ann):
        response = room.meeting.act(outsider, room.request["id"], "reply", answer="yes")
        refused(response, 403, "not_asked")
    assert room.seq() == seq
    assert http.get(room.meeting.url("/cards")).json()[0]["status"] == "open"


def test_a_reply_to_a_card_that_is_not_a_request_is_refused(room: Room) -> None:
    seq = room.seq()
    refused(room.meeting.act(room.bo, room.ask["id"], "reply", answer="yes"), 422,
            "not_a_request")
    assert room.seq() == seq


@pytest.mark.parametrize("body", [{"answer": "maybe"}, {}, {"answer": "yes", "note": "x" * 501},
                                  {"answer": "yes", "mood": "happy"}],
                         ids=["unknown answer", "no answer", "oversize note", "unknown field"])
def test_a_bad_reply_is_refused(room: Room, body: dict[str, Any]) -> None:
    seq = room.seq()
    response = room.meeting.http.post(room.meeting.url(f"/cards/{room.request['id']}/reply"),
                                      json=body, headers=room.bo.auth)
    refused(response, 422, "invalid_input")
    assert room.seq() == seq


def test_progress_on_a_card_that_is_no_commitment_is_refused(room: Room) -> None:
    seq = room.seq()
    refused(room.meeting.act(room.bo, room.offer["id"], "progress", progress="done"), 409,
            "not_a_commitment")
    refused(room.meeting.act(room.bo, room.request["id"], "progress", progress="finished"),
            422, "invalid_input")
    assert room.seq() == seq


@pytest.mark.parametrize("body", [
    {"name": ""}, {"name": "   "}, {"name": "x" * 61}, {"name": "Ann", "organisation": "x" * 81},
    {"organisation": "Police"}, {"name": "Ann", "token": "mine"},
], ids=["empty name", "blank name", "oversize name", "oversize organisation", "no name",
        "unknown field"])
def test_a_bad_join_is_refused(http: httpx.Client, room: Room, body: dict[str, Any]) -> None:
    seq = room.seq()
    refused(http.post(room.meeting.url("/participants"), json=body), 422, "invalid_input")
    assert room.seq() == seq


@pytest.mark.parametrize("body", [
    {"title": ""}, {"title": " "}, {"title": "x" * 121}, {}, {"title": "Board", "code": "AAAAAA"},
], ids=["empty title", "blank title", "oversize title", "no title", "unknown field"])
def test_a_bad_room_is_refused(http: httpx.Client, body: dict[str, Any]) -> None:
    refused(http.post("/api/rooms", json=body), 422, "invalid_input")


@pytest.mark.parametrize(("tail", "body", "code"), [
    ("", {"state": "archived"}, "invalid_input"),
    ("", {"title": ""}, "invalid_input"),
    ("/prompts", {"library_key": "no-such-structure"}, "unknown_library_key"),
    ("/prompts", {"collects": "offer"}, "prompt_needs_text"),
    ("/prompts", {"text": "x" * 281, "collects": "offer"}, "invalid_input"),
    ("/prompts", {"text": "Offers?", "collects": "gifts"}, "invalid_input"),
    ("/timer", {"seconds": -1}, "invalid_input"),
    ("/timer", {}, "invalid_input"),
], ids=["unknown state", "empty title", "unknown library key", "prompt without text",
        "oversize prompt", "unknown collects", "negative timer", "no seconds"])
def test_a_bad_facilitator_command_is_refused(http: httpx.Client, room: Room, tail: str,
                                              body: dict[str, Any], code: str) -> None:
    seq = room.seq()
    method = "PATCH" if tail == "" else "POST"
    response = http.request(method, room.meeting.url(tail), json=body,
                            headers=room.meeting.facilitator)
    refused(response, 422, code)
    assert room.seq() == seq


# --- the room's state ------------------------------------------------------------------


def test_posting_to_a_locked_room_is_refused(room: Room) -> None:
    assert room.meeting.set_state("locked").status_code == 200
    seq = room.seq()
    refused(room.meeting.post(room.ann, "ask", "Too late"), 409, "room_locked")
    refused(room.meeting.http.post(room.meeting.url("/participants"), json={"name": "Late"}),
            409, "room_locked")
    assert room.seq() == seq


def test_posting_to_a_closed_room_is_refused(room: Room) -> None:
    assert room.meeting.set_state("closed").status_code == 200
    seq = room.seq()
    meeting = room.meeting
    refused(meeting.post(room.ann, "ask", "Too late"), 409, "room_closed")
    refused(meeting.act(room.bo, room.request["id"], "reply", answer="yes"), 409, "room_closed")
    refused(meeting.act(room.ann, room.offer["id"], "accept"), 409, "room_closed")
    refused(meeting.act(room.ann, room.ask["id"], "withdraw"), 409, "room_closed")
    refused(meeting.http.patch(meeting.url(f"/cards/{room.ask['id']}"), json={"hidden": True},
                               headers=meeting.facilitator), 409, "room_closed")
    refused(meeting.http.post(meeting.url("/prompts"), json={"library_key": "offers"},
                              headers=meeting.facilitator), 409, "room_closed")
    refused(meeting.http.post(meeting.url("/timer"), json={"seconds": 30},
                              headers=meeting.facilitator), 409, "room_closed")
    refused(meeting.http.post(meeting.url("/prompts/current/close"),
                              headers=meeting.facilitator), 409, "room_closed")
    refused(meeting.http.patch(meeting.url(), json={"title": "Renamed"},
                               headers=meeting.facilitator), 409, "room_closed")
    assert room.seq() == seq


def test_a_withdrawn_card_takes_no_more_answers_or_offers(room: Room) -> None:
    meeting = room.meeting
    assert meeting.act(room.ann, room.request["id"], "withdraw").status_code == 200
    assert meeting.act(room.ann, room.ask["id"], "withdraw").status_code == 200
    seq = room.seq()
    refused(meeting.act(room.bo, room.request["id"], "reply", answer="yes"), 409,
            "card_withdrawn")
    refused(meeting.post(room.cy, "offer", "Late offer", reply_to=room.ask["id"]), 409,
            "card_withdrawn")
    assert room.seq() == seq


# --- the body itself -------------------------------------------------------------------


@pytest.mark.parametrize("raw", [b'{"client_id": "x", "kind": "ask", ', b"not json at all",
                                 b'{"text": "unterminated}', b"\xff\xfe\x00"],
                         ids=["truncated", "not json", "unterminated string", "not utf-8"])
def test_malformed_json_is_refused_with_400(http: httpx.Client, room: Room, raw: bytes) -> None:
    seq = room.seq()
    response = http.post(room.meeting.url("/cards"), content=raw,
                         headers={**room.ann.auth, "Content-Type": "application/json"})
    refused(response, 400, "malformed_json")
    assert room.seq() == seq


# Commands that take no fields: a body is still input, and bad input must change nothing.
BODILESS = [
    pytest.param("ann", "/cards/{offer}/accept", id="accept"),
    pytest.param("bo", "/cards/{offer}/withdraw", id="withdraw"),
    pytest.param("facilitator", "/prompts/current/close", id="close prompt"),
]


def _bodiless(room: Room, who: str, tail: str) -> tuple[str, dict[str, str]]:
    room.meeting.push(library_key="offers")
    auth = room.meeting.facilitator if who == "facilitator" else getattr(room, who).auth
    return room.meeting.url(tail.format(offer=room.offer["id"])), auth


@pytest.mark.parametrize(("who", "tail"), BODILESS)
def test_malformed_json_to_a_command_without_fields_changes_nothing(
        http: httpx.Client, room: Room, who: str, tail: str) -> None:
    url, auth = _bodiless(room, who, tail)
    seq = room.seq()
    response = http.post(url, content=b'{"oops', headers={**auth,
                                                           "Content-Type": "application/json"})
    refused(response, 400, "malformed_json")
    assert room.seq() == seq


@pytest.mark.parametrize(("who", "tail"), BODILESS)
def test_unknown_fields_to_a_command_without_fields_change_nothing(
        http: httpx.Client, room: Room, who: str, tail: str) -> None:
    """E.g. {"note": ...} sent with an acceptance must not be silently dropped."""
    url, auth = _bodiless(room, who, tail)
    seq = room.seq()
    refused(http.post(url, json={"note": "Thanks, see you Tuesday"}, headers=auth), 422,
            "invalid_input")
    assert room.seq() == seq


@pytest.mark.parametrize(("who", "tail"), BODILESS)
def test_a_command_without_fields_takes_an_empty_object(
        http: httpx.Client, room: Room, who: str, tail: str) -> None:
    url, auth = _bodiless(room, who, tail)
    seq = room.seq()
    response = http.post(url, json={}, headers=auth)
    assert response.status_code == 200, response.text
    assert room.seq() == seq + 1


def test_a_body_over_16_kib_is_refused_with_413(http: httpx.Client, room: Room) -> None:
    seq = room.seq()
    body = json.dumps(card_body(text="x" * (16 * 1024))).encode()
    response = http.post(room.meeting.url("/cards"), content=body,
                         headers={**room.ann.auth, "Content-Type": "application/json"})
    refused(response, 413, "too_large")
    assert room.seq() == seq


@pytest.mark.parametrize(("size", "status"), [(16 * 1024, 201), (16 * 1024 + 1, 413)])
def test_the_body_limit_is_exactly_16_kib(http: httpx.Client, room: Room, size: int,
                                          status: int) -> None:
    """A valid card padded with white space to the limit is taken; one byte more is not."""
    body = json.dumps(card_body(client_id=f"padded-{size}"))
    raw = (body + " " * (size - len(body))).encode()
    assert len(raw) == size
    response = http.post(room.meeting.url("/cards"), content=raw,
                         headers={**room.ann.auth, "Content-Type": "application/json"})
    assert response.status_code == status, response.text


def test_a_chunked_body_over_16_kib_is_refused_with_413(http: httpx.Client, room: Room) -> None:
    """No Content-Length to trust: the server has to count the bytes as they arrive."""
    seq = room.seq()

    def chunks() -> Iterator[bytes]:
        yield b'{"client_id": "big", "kind": "ask", "text": "'
        for _ in range(20):
            yield b"x" * 1024
        yield b'"}'

    request = http.build_request("POST", room.meeting.url("/cards"), content=chunks(),
                                 headers={**room.ann.auth, "Content-Type": "application/json"})
    assert "content-length" not in request.headers
    assert request.headers["transfer-encoding"] == "chunked"
    refused(http.send(request), 413, "too_large")
    assert room.seq() == seq


def test_a_chunked_body_under_the_limit_is_accepted(http: httpx.Client, room: Room) -> None:
    def chunks() -> Iterator[bytes]:
        yield b'{"client_id": "small", "kind": "ask", '
        yield b'"text": "Sent in two pieces"}'

    response = http.post(room.meeting.url("/cards"), content=chunks(),
                         headers={**room.ann.auth, "Content-Type": "application/json"})
    assert response.status_code == 201, response.text
    assert response.json()["text"] == "Sent in two pieces"


# --- unknown rooms and cards; codes as people type them --------------------------------


@pytest.mark.parametrize("code", ["ZZZZZZ", "zzzzzz", "ABC", "OOOOOO", "K7MQ2P1", "%20"],
                         ids=["well formed", "lower case", "short", "look-alikes", "long",
                              "blank"])
def test_an_unknown_room_is_404(http: httpx.Client, code: str) -> None:
    for method, tail, body in (("GET", "", None), ("GET", "/cards", None),
                               ("GET", "/participants", None), ("GET", "/events", None),
                               ("POST", "/participants", {"name": "Ann"})):
        refused(http.request(method, f"/api/rooms/{code}{tail}", json=body), 404,
                "room_not_found")


def test_an_unknown_card_is_404(http: httpx.Client, room: Room) -> None:
    elsewhere = Meeting.open(http, "Another")
    their_card = elsewhere.card(elsewhere.join("Dee"), "ask", "Theirs")
    seq = room.seq()
    for card_id in (2**40, their_card["id"]):
        meeting = room.meeting
        refused(meeting.act(room.bo, card_id, "reply", answer="yes"), 404, "card_not_found")
        refused(meeting.act(room.ann, card_id, "accept"), 404, "card_not_found")
        refused(meeting.act(room.ann, card_id, "withdraw"), 404, "card_not_found")
        refused(meeting.act(room.bo, card_id, "progress", progress="done"), 404,
                "card_not_found")
        refused(meeting.http.patch(meeting.url(f"/cards/{card_id}"), json={"hidden": True},
                                   headers=meeting.facilitator), 404, "card_not_found")
    assert room.seq() == seq
    assert elsewhere.http.get(elsewhere.url("/cards")).json()[0]["status"] == "open"


def test_a_room_code_is_case_insensitive(http: httpx.Client, room: Room) -> None:
    lower = room.meeting.code.lower()
    got = http.get(f"/api/rooms/{lower}")
    assert got.status_code == 200, got.text
    assert got.json()["code"] == room.meeting.code
    joined = http.post(f"/api/rooms/{lower}/participants", json={"name": "Dee"})
    assert joined.status_code == 201, joined.text
    posted = http.post(f"/api/rooms/{lower}/cards", headers=room.ann.auth,
                       json=card_body(client_id="lower"))
    assert posted.status_code == 201, posted.text
    assert any(c["id"] == posted.json()["id"]
               for c in http.get(room.meeting.url("/cards")).json())
    mixed = room.meeting.code[:3].lower() + room.meeting.code[3:]
    assert http.get(f"/api/rooms/{mixed}/participants").status_code == 200


# --- hostile text ----------------------------------------------------------------------

HOSTILE = [
    "<img src=x onerror=alert(1)>",
    "<script>document.title='owned'</script>",
    "'; DROP TABLE cards; --",
    "=1+2",
    "+SUM(A1:A9)",
    "-2+3",
    "@cmd",
    "Emoji 🙋‍♀️🤝🏽 and 👍🏿 and 🇬🇧",
    "RTL: مرحبا بكم — שלום לכולם",
    "\u202eevil\u202c and zero\u200bwidth",
    "\"double\" and 'single' and `back` quotes, \\backslash\\ and \\n not a newline",
    "line one\nline two\r\nline three\n",
    "  leading and trailing spaces  ",
    "{{ 7*7 }} ${7*7} %s %(x)s",
    "&lt;already escaped&gt; &amp;",
]


def test_hostile_text_is_stored_and_returned_exactly(http: httpx.Client) -> None:
    meeting = Meeting.open(http, "<b>Title</b> '; --", "=HYPERLINK(\"http://evil\")")
    author = meeting.join("<i>Ann</i> \"O'Neil\" 🙋", "=cmd|' /C calc'!A0")
    asked = meeting.join("שלום Bo", "  Org <svg onload=alert(1)>  ")
    posted = [meeting.card(author, "ask", text) for text in HOSTILE]
    request = meeting.card(author, "request", HOSTILE[0], to_participant_id=asked.id)
    note = "</textarea><script>alert(1)</script>\n'; DELETE FROM replies; --"
    replied = meeting.act(asked, request["id"], "reply", answer="unclear", note=note)
    assert replied.status_code == 200, replied.text

    assert [card["text"] for card in posted] == HOSTILE
    assert replied.json()["replies"][0]["note"] == note
    assert author.name == "<i>Ann</i> \"O'Neil\" 🙋"
    assert author.organisation == "=cmd|' /C calc'!A0"

    listed = http.get(meeting.url("/cards"))
    assert listed.headers["content-type"].startswith("application/json")
    assert [card["text"] for card in listed.json()] == [*HOSTILE, HOSTILE[0]]
    assert listed.json()[0]["author"]["name"] == author.name
    assert listed.json()[-1]["replies"][0]["note"] == note
    people = http.get(meeting.url("/participants")).json()
    assert [(p["name"], p["organisation"]) for p in people] == [
        (author.name, author.organisation), ("שלום Bo", asked.organisation)]

    room = http.get(meeting.url()).json()
    assert (room["title"], room["purpose"]) == ("<b>Title</b> '; --",
                                                "=HYPERLINK(\"http://evil\")")

    events = http.get(meeting.url("/events")).json()["events"]
    created = [e["data"]["card"]["text"] for e in events if e["event"] == "card.created"]
    assert created == [*HOSTILE, HOSTILE[0]]

    log = http.get(meeting.url("/export.json"), headers=meeting.organiser).json()
    assert [card["text"] for card in log["cards"]] == [*HOSTILE, HOSTILE[0]]
    assert log["cards"][-1]["replies"][0]["note"] == note
    assert [p["name"] for p in log["participants"]] == [author.name, "שלום Bo"]
    assert log["room"]["title"] == "<b>Title</b> '; --"


def test_formula_like_text_is_neutralised_only_in_the_spreadsheet_exports(
        http: httpx.Client) -> None:
    meeting = Meeting.open(http)
    ann = meeting.join("Ann", "Police")
    for text in ("=1+2", "+1", "-1", "@SUM(A1)", "plain"):
        meeting.card(ann, "ask", text)
    response = http.get(meeting.url("/export.csv"), headers=meeting.facilitator)
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"), newline="")))
    assert [row["text"] for row in rows] == ["'=1+2", "'+1", "'-1", "'@SUM(A1)", "plain"]
    log = http.get(meeting.url("/export.json"), headers=meeting.facilitator).json()
    assert [card["text"] for card in log["cards"]] == ["=1+2", "+1", "-1", "@SUM(A1)", "plain"]


# --- the OpenAPI document --------------------------------------------------------------

SPEC_ROUTES = {
    ("post", "/api/rooms"),
    ("get", "/api/rooms/{}"),
    ("patch", "/api/rooms/{}"),
    ("post", "/api/rooms/{}/participants"),
    ("get", "/api/rooms/{}/participants"),
    ("get", "/api/prompts"),
    ("post", "/api/rooms/{}/prompts"),
    ("post", "/api/rooms/{}/prompts/current/close"),
    ("post", "/api/rooms/{}/timer"),
    ("post", "/api/rooms/{}/cards"),
    ("get", "/api/rooms/{}/cards"),
    ("post", "/api/rooms/{}/cards/{}/reply"),
    ("post", "/api/rooms/{}/cards/{}/accept"),
    ("post", "/api/rooms/{}/cards/{}/withdraw"),
    ("post", "/api/rooms/{}/cards/{}/progress"),
    ("patch", "/api/rooms/{}/cards/{}"),
    ("get", "/api/rooms/{}/events"),
    ("get", "/api/rooms/{}/export.csv"),
    ("get", "/api/rooms/{}/export.json"),
    ("get", "/api/rooms/{}/export.xlsx"),
    ("get", "/healthz"),
    ("get", "/readyz"),
}


def test_the_openapi_document_lists_every_route_of_the_spec(http: httpx.Client) -> None:
    response = http.get("/openapi.json")
    assert response.status_code == 200, response.text
    document = response.json()
    assert document["openapi"].startswith("3.")
    listed = {(method, re.sub(r"\{[^}]+\}", "{}", path))
              for path, operations in document["paths"].items()
              for method in operations if method in ("get", "post", "patch", "put", "delete")}
    assert SPEC_ROUTES <= listed, SPEC_ROUTES - listed
    events = next(ops["get"] for path, ops in document["paths"].items()
                  if path.endswith("/events"))
    assert "after" in {parameter["name"] for parameter in events["parameters"]}


# --- exports: the file's name and formulas behind whitespace (issue 12) ----------------


@pytest.mark.parametrize("spelling", ["{}", "{lower}", "%09{}", "{}%20", "%20{lower}%09"])
@pytest.mark.parametrize("extension", ["json", "csv", "xlsx"])
def test_the_export_is_named_by_the_rooms_own_code_however_the_path_spells_it(
        http: httpx.Client, spelling: str, extension: str) -> None:
    meeting = Meeting.open(http)
    path = spelling.format(meeting.code, lower=meeting.code.lower())
    response = http.get(f"/api/rooms/{path}/export.{extension}", headers=meeting.facilitator)
    assert response.status_code == 200, response.text
    assert response.headers["content-disposition"] == (
        f'attachment; filename="askroom-{meeting.code}.{extension}"')


def test_formulas_behind_leading_whitespace_are_neutralised_in_the_csv(
        http: httpx.Client) -> None:
    """Some spreadsheets strip a leading newline, tab, CR or spaces, then read a formula."""
    meeting = Meeting.open(http)
    ann = meeting.join("Ann", "Police")
    texts = ["\n=1+2", "\r\n+1", "\t-1", "  @SUM(A1)", "\u00a0=cmd", "\nplain", " - a list"]
    for text in texts:
        meeting.card(ann, "ask", text)
    response = http.get(meeting.url("/export.csv"), headers=meeting.facilitator)
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"), newline="")))
    assert [row["text"] for row in rows] == ["'" + text for text in texts]
    log = http.get(meeting.url("/export.json"), headers=meeting.facilitator).json()
    assert [card["text"] for card in log["cards"]] == texts


# --- the log's page size (issue 12) ------------------------------------------------------


def test_events_come_in_pages_of_at_most_a_thousand_with_more_saying_what_waits(
        http: httpx.Client) -> None:
    meeting = Meeting.open(http)
    ann = meeting.join("Ann", "Police")
    for n in range(4):
        meeting.card(ann, "ask", f"ask {n}")  # seqs 1 (the join) to 5
    pages, after = [], 0
    while True:
        page = http.get(meeting.url("/events"), params={"after": after, "limit": 2}).json()
        assert page["seq"] == 5
        pages.append([e["seq"] for e in page["events"]])
        if not page["more"]:
            break
        after = page["events"][-1]["seq"]
    assert pages == [[1, 2], [3, 4], [5]]
    whole = http.get(meeting.url("/events")).json()
    assert ([e["seq"] for e in whole["events"]], whole["more"]) == ([1, 2, 3, 4, 5], False)
    for limit in (0, 1001):
        refused(http.get(meeting.url("/events"), params={"limit": limit}), 422,
                "invalid_input")
