"""Who may do what (SPEC §1 and §3), against the real server: every route of §3 tried with
every kind of caller, from one table."""

from __future__ import annotations

import json
import secrets
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import httpx
import pytest

from tests.meeting import Meeting, Person, bearer
from tests.server import Server


@dataclass(frozen=True)
class Route:
    name: str
    method: str
    # {code} is the room's code; {request}, {ask}, {offer} the ids of its cards.
    path: str
    body: dict[str, Any] | None = None
    # Who "participant" is for this route: the one person entitled to act.
    actor: str = "alice"
    # The code a bystander (a participant not entitled) is refused with.
    bystander_code: str = "wrong_role"


R = "/api/rooms/{code}"
ROUTES = {route.name: route for route in (
    Route("create room", "POST", "/api/rooms", {"title": "Another room"}),
    Route("get room", "GET", R),
    Route("change room", "PATCH", R, {"title": "Renamed"}),
    Route("join", "POST", R + "/participants", {"name": "Newcomer", "organisation": "Fire"}),
    Route("list participants", "GET", R + "/participants"),
    Route("prompt library", "GET", "/api/prompts"),
    Route("push prompt", "POST", R + "/prompts", {"library_key": "offers"}),
    Route("close prompt", "POST", R + "/prompts/current/close"),
    Route("timer", "POST", R + "/timer", {"seconds": 60}),
    Route("post card", "POST", R + "/cards",
          {"client_id": "matrix-1", "kind": "ask", "text": "A lift to the station"}),
    Route("list cards", "GET", R + "/cards"),
    Route("reply", "POST", R + "/cards/{request}/reply", {"answer": "try"},
          actor="bob", bystander_code="not_asked"),
    Route("accept", "POST", R + "/cards/{offer}/accept", bystander_code="not_your_card"),
    Route("withdraw", "POST", R + "/cards/{offer}/withdraw",
          actor="carol", bystander_code="not_your_card"),
    Route("progress", "POST", R + "/cards/{request}/progress", {"progress": "done"},
          actor="bob", bystander_code="not_your_commitment"),
    Route("moderate card", "PATCH", R + "/cards/{ask}", {"hidden": True}),
    Route("events", "GET", R + "/events?after=0"),
    Route("export csv", "GET", R + "/export.csv"),
    Route("export json", "GET", R + "/export.json"),
    Route("export xlsx", "GET", R + "/export.xlsx"),
    Route("progress history", "GET", R + "/progress"),
    Route("healthz", "GET", "/healthz"),
    Route("readyz", "GET", "/readyz"),
    # The README's additions to the SPEC.
    Route("whoami", "GET", R + "/me"),
    Route("mine", "GET", R + "/mine"),
    Route("run sheet", "GET", R + "/runsheet"),
    Route("plan step", "POST", R + "/runsheet", {"library_key": "offers"}),
    Route("next step", "POST", R + "/runsheet/next"),
    Route("reveal", "POST", R + "/reveal"),
    Route("leave", "POST", R + "/participants/me/withdraw", actor="dave"),
    Route("delete room", "DELETE", R),
)}

# THE table: each route of SPEC §3 and the status each caller gets. "participant" is the
# one entitled (the person asked, the asker, the author, the commitment's owner);
# "bystander" is another participant of the same room. Public reads that look at a
# credential refuse a bad one rather than quietly showing the public view (SPEC §3: "401
# no or bad credentials").
MATRIX = """
route                 none   junk   part   byst    org    fac o.part  o.fac
create room            201    201    201    201    201    201    201    201
get room               200    200    200    200    200    200    200    200
change room            401    401    403    403    403    200    401    401
join                   201    201    201    201    201    201    201    201
list participants      200    200    200    200    200    200    200    200
prompt library         200    200    200    200    200    200    200    200
push prompt            401    401    403    403    403    201    401    401
close prompt           401    401    403    403    403    200    401    401
timer                  401    401    403    403    403    200    401    401
post card              401    401    201    201    403    403    401    401
list cards             200    401    200    200    200    200    401    401
reply                  401    401    200    403    403    403    401    401
accept                 401    401    200    403    403    403    401    401
withdraw               401    401    200    403    403    403    401    401
progress               401    401    200    403    403    403    401    401
moderate card          401    401    403    403    403    200    401    401
events                 200    401    200    200    200    200    401    401
export csv             401    401    403    403    200    200    401    401
export json            401    401    403    403    200    200    401    401
export xlsx            401    401    403    403    200    200    401    401
progress history       401    401    403    403    200    200    401    401
healthz                200    200    200    200    200    200    200    200
readyz                 200    200    200    200    200    200    200    200
whoami                 401    401    200    200    200    200    401    401
mine                   401    401    200    200    403    403    401    401
run sheet              401    401    403    403    200    200    401    401
plan step              401    401    403    403    403    201    401    401
next step              401    401    403    403    403    200    401    401
reveal                 401    401    403    403    403    200    401    401
leave                  401    401    200    200    403    403    401    401
delete room            401    401    403    403    403    204    401    401
"""
# The callers the table's columns stand for.
CALLERS = {"none": "nobody", "junk": "garbage", "part": "participant", "byst": "bystander",
           "org": "organiser", "fac": "facilitator", "o.part": "other_participant",
           "o.fac": "other_facilitator"}


def _parse_matrix(text: str) -> tuple[tuple[str, ...], dict[str, tuple[int, ...]]]:
    header, *rows = text.strip().splitlines()
    columns = header.split()[1:]
    table: dict[str, tuple[int, ...]] = {}
    for row in rows:
        words = row.split()
        name, statuses = " ".join(words[:-len(columns)]), words[-len(columns):]
        table[name] = tuple(int(status) for status in statuses)
    return tuple(CALLERS[column] for column in columns), table


WHO, STATUSES = _parse_matrix(MATRIX)

CELLS = [pytest.param(ROUTES[name], who, id=f"{name}-{who}")
         for name in STATUSES for who in WHO]


@dataclass
class Scene:
    """A room mid-meeting: Alice asked Bob (he said yes), Alice asked the room and Carol
    offered; Dave is there too and is owed nothing."""

    meeting: Meeting
    people: dict[str, Person]
    cards: dict[str, int]


def set_scene(http: httpx.Client) -> Scene:
    meeting = Meeting.open(http, "Role matrix")
    meeting.push(library_key="ask-for-help")
    alice = meeting.join("Alice", "NHS Somerset ICB")
    bob = meeting.join("Bob", "County Council")
    carol = meeting.join("Carol", "Somerset Voluntary Action")
    dave = meeting.join("Dave", "Avon and Somerset Police")
    request = meeting.card(alice, "request", "Share discharge data", to_participant_id=bob.id)
    ask = meeting.card(alice, "ask", "Volunteers for A&E at night")
    offer = meeting.card(carol, "offer", "Ten volunteers", reply_to=ask["id"])
    assert meeting.act(bob, request["id"], "reply", answer="yes").status_code == 200
    planned = http.post(meeting.url("/runsheet"), json={"library_key": "commitments"},
                        headers=meeting.facilitator)
    assert planned.status_code == 201, planned.text
    return Scene(meeting, {"alice": alice, "bob": bob, "carol": carol, "dave": dave},
                 {"request": request["id"], "ask": ask["id"], "offer": offer["id"]})


@dataclass(frozen=True)
class OtherRoom:
    facilitator_key: str
    participant_token: str


@pytest.fixture(scope="module")
def other_room(server: Server) -> Iterator[OtherRoom]:
    """Somebody else's meeting: its credentials must be worthless in ours."""
    with httpx.Client(base_url=server.url, timeout=10) as client:
        meeting = Meeting.open(client, "Another meeting")
        yield OtherRoom(meeting.facilitator_key, meeting.join("Eve", "Elsewhere").token)


def headers_for(who: str, route: Route, scene: Scene, other: OtherRoom) -> dict[str, str]:
    credentials = {
        "nobody": None,
        "garbage": secrets.token_urlsafe(24),
        "participant": scene.people[route.actor].token,
        "bystander": scene.people["dave"].token,
        "organiser": scene.meeting.organiser_key,
        "facilitator": scene.meeting.facilitator_key,
        "other_participant": other.participant_token,
        "other_facilitator": other.facilitator_key,
    }[who]
    return bearer(credentials) if credentials else {}


def assert_error_body(response: httpx.Response) -> dict[str, Any]:
    """SPEC §3: errors are JSON {"detail": sentence, "code": stable code}."""
    assert response.headers["content-type"].startswith("application/json"), response.headers
    body = response.json()
    expected = {"detail", "code", "errors"} if response.status_code == 422 else {
        "detail", "code"}
    assert set(body) == expected, body
    assert isinstance(body["detail"], str) and body["detail"].strip()
    assert isinstance(body["code"], str) and body["code"]
    if response.status_code == 401:
        assert response.headers.get("www-authenticate") == "Bearer"
    return body  # type: ignore[no-any-return]


@pytest.mark.parametrize(("route", "who"), CELLS)
def test_role_matrix(http: httpx.Client, other_room: OtherRoom, route: Route, who: str) -> None:
    """Each route of SPEC §3 answers each kind of caller as the table says."""
    scene = set_scene(http)
    meeting = scene.meeting
    path = route.path.format(code=meeting.code, **scene.cards)
    seq = http.get(meeting.url()).json()["seq"]

    response = http.request(route.method, path, json=route.body,
                            headers=headers_for(who, route, scene, other_room))

    expected = STATUSES[route.name][WHO.index(who)]
    assert response.status_code == expected, response.text
    if expected >= 400:
        body = assert_error_body(response)
        if expected == 401:
            assert body["code"] == ("missing_credentials" if who == "nobody"
                                    else "bad_credentials")
        elif who == "bystander":
            assert body["code"] == route.bystander_code
        else:
            assert body["code"] == "wrong_role"
        assert http.get(meeting.url()).json()["seq"] == seq, "a refusal changed the room"


def test_the_table_covers_every_route_of_the_spec() -> None:
    assert {(r.method, r.path.split("?")[0]) for r in ROUTES.values()} >= {
        ("POST", "/api/rooms"), ("GET", R), ("PATCH", R),
        ("POST", R + "/participants"), ("GET", R + "/participants"), ("GET", "/api/prompts"),
        ("POST", R + "/prompts"), ("POST", R + "/prompts/current/close"),
        ("POST", R + "/timer"), ("POST", R + "/cards"), ("GET", R + "/cards"),
        ("POST", R + "/cards/{request}/reply"), ("POST", R + "/cards/{offer}/accept"),
        ("POST", R + "/cards/{offer}/withdraw"), ("POST", R + "/cards/{request}/progress"),
        ("PATCH", R + "/cards/{ask}"), ("GET", R + "/events"), ("GET", R + "/export.csv"),
        ("GET", R + "/export.json"), ("GET", R + "/export.xlsx"), ("GET", "/healthz"),
        ("GET", "/readyz"),
    }
    assert list(STATUSES) == list(ROUTES)
    assert all(len(statuses) == len(WHO) for statuses in STATUSES.values())
    assert WHO == ("nobody", "garbage", "participant", "bystander", "organiser",
                   "facilitator", "other_participant", "other_facilitator")


# --- keys belong to one room -----------------------------------------------------------


def test_a_facilitator_key_is_worthless_in_another_room(http: httpx.Client) -> None:
    ours, theirs = Meeting.open(http, "Ours"), Meeting.open(http, "Theirs")
    for method, tail, body in (("PATCH", "", {"state": "closed"}),
                               ("POST", "/prompts", {"library_key": "winfy"}),
                               ("POST", "/timer", {"seconds": 30}),
                               ("GET", "/export.json", None)):
        refused = http.request(method, theirs.url(tail), json=body, headers=ours.facilitator)
        assert refused.status_code == 401, (tail, refused.text)
        assert_error_body(refused)
    assert http.get(theirs.url()).json()["seq"] == 0
    assert http.get(theirs.url()).json()["state"] == "open"
    assert http.get(ours.url("/export.json"), headers=ours.facilitator).status_code == 200


def test_an_organiser_key_reads_only_its_own_room(http: httpx.Client) -> None:
    ours, theirs = Meeting.open(http, "Ours"), Meeting.open(http, "Theirs")
    for ext in ("csv", "json", "xlsx"):
        assert http.get(ours.url(f"/export.{ext}"), headers=ours.organiser).status_code == 200
        refused = http.get(theirs.url(f"/export.{ext}"), headers=ours.organiser)
        assert refused.status_code == 401, refused.text


def test_a_participant_token_cannot_act_in_another_room(http: httpx.Client) -> None:
    ours, theirs = Meeting.open(http, "Ours"), Meeting.open(http, "Theirs")
    ann = ours.join("Ann", "Police")
    bo = theirs.join("Bo", "Fire")
    their_ask = theirs.card(bo, "ask", "Theirs")
    posted = theirs.post(ann, "ask", "Sneaking in")
    assert (posted.status_code, posted.json()["code"]) == (401, "bad_credentials")
    withdrawn = theirs.act(ann, their_ask["id"], "withdraw")
    assert withdrawn.status_code == 401
    assert [c["status"] for c in http.get(theirs.url("/cards")).json()] == ["open"]


def test_one_participant_cannot_act_as_another(http: httpx.Client) -> None:
    meeting = Meeting.open(http)
    ann, bo = meeting.join("Ann", "Police"), meeting.join("Bo", "Fire")
    ask = meeting.card(ann, "ask", "Ann's ask")
    refused = meeting.act(bo, ask["id"], "withdraw")
    assert (refused.status_code, refused.json()["code"]) == (403, "not_your_card")
    offer = meeting.card(bo, "offer", "Bo's offer", reply_to=ask["id"])
    self_accept = meeting.act(bo, offer["id"], "accept")
    assert (self_accept.status_code, self_accept.json()["code"]) == (403, "not_your_card")
    assert meeting.card(bo, "ask", "Bo's own")["author"]["name"] == "Bo"


def test_keys_and_tokens_are_long_random_and_distinct(http: httpx.Client) -> None:
    first, second = Meeting.open(http), Meeting.open(http)
    secrets_seen = [first.facilitator_key, first.organiser_key, second.facilitator_key,
                    second.organiser_key, first.join("Ann").token, first.join("Bo").token]
    assert len(set(secrets_seen)) == len(secrets_seen)
    # At least 128 bits: 22 URL-safe base64 characters carry 132.
    assert all(len(secret) >= 22 for secret in secrets_seen)


def test_a_non_bearer_authorization_header_counts_as_none(http: httpx.Client) -> None:
    meeting = Meeting.open(http)
    refused = http.get(meeting.url("/export.json"),
                       headers={"Authorization": f"Basic {meeting.facilitator_key}"})
    assert refused.status_code == 401
    assert assert_error_body(refused)["code"] == "missing_credentials"


# --- the shape of every error ----------------------------------------------------------


def test_every_kind_of_error_has_the_same_body(http: httpx.Client) -> None:
    meeting = Meeting.open(http)
    ann = meeting.join("Ann", "Police")
    json_headers = {**ann.auth, "Content-Type": "application/json"}
    cases = [
        (http.get("/api/rooms/ZZZZZZ"), 404, "room_not_found"),
        (http.post(meeting.url("/cards/999999/withdraw"), headers=ann.auth), 404,
         "card_not_found"),
        (http.get("/api/no-such-route"), 404, "not_found"),
        (http.put(meeting.url(), json={}), 405, "method_not_allowed"),
        (http.post(meeting.url("/cards"), content=b'{"kind": ', headers=json_headers), 400,
         "malformed_json"),
        (http.post(meeting.url("/cards"), json={"kind": "poem"}, headers=ann.auth), 422,
         "invalid_input"),
        (http.post(meeting.url("/cards"), content=b"x" * 20_000, headers=json_headers), 413,
         "too_large"),
        (http.patch(meeting.url(), json={"title": "x"}), 401, "missing_credentials"),
        (http.patch(meeting.url(), json={"title": "x"}, headers=ann.auth), 403, "wrong_role"),
    ]
    for response, status, code in cases:
        assert response.status_code == status, (code, response.text)
        assert assert_error_body(response)["code"] == code

    ok = meeting.set_state("closed")
    assert ok.status_code == 200
    conflict = meeting.post(ann, "ask", "Too late")
    assert conflict.status_code == 409
    assert assert_error_body(conflict)["code"] == "room_closed"


def test_a_422_names_each_field_refused(http: httpx.Client) -> None:
    meeting = Meeting.open(http)
    ann = meeting.join("Ann")
    response = http.post(meeting.url("/cards"), headers=ann.auth,
                         json={"client_id": "x", "kind": "poem", "text": ""})
    assert response.status_code == 422
    body = assert_error_body(response)
    assert {problem["field"] for problem in body["errors"]} == {"kind", "text"}
    assert all(isinstance(problem["message"], str) for problem in body["errors"])


def test_the_table_covers_every_route_the_server_documents(server: Server) -> None:
    """A route added to the API without a row here fails this test."""
    documented = {(method.upper(), path)
                  for path, operations in httpx.get(f"{server.url}/openapi.json").json()[
                      "paths"].items() for method in operations}
    tabled = {(r.method, r.path.split("?")[0].replace("{request}", "{card_id}")
               .replace("{offer}", "{card_id}").replace("{ask}", "{card_id}"))
              for r in ROUTES.values()}
    # A partnership's routes have their own table (tests/partnerships/test_roles.py), and
    # its meetings' matters arising theirs (tests/partnerships/test_matters.py).
    left_out = {(method, path) for method, path in documented - tabled
                if "{step_id}" not in path and not path.endswith("/runsheet/order")
                and not path.startswith("/api/partnerships") and "/matters" not in path}
    assert not left_out, f"routes with no row in MATRIX: {sorted(left_out)}"


# --- what each caller learns (issue 12) -------------------------------------------------

HIDDEN_TEXT = "Hidden words c1d9"
WITHDRAWN_TEXT = "Withdrawn words 8e2b"
HELD_NOTE = "Held note 5a70: yes, by Friday"
SECRETS = ("hidden", "withdrawn", "held", "anonymous")


@dataclass
class Secrets:
    """A room with one of each thing someone may not learn: Quentin wrote a card the
    facilitator hid, one he withdrew and one anonymously; Rhea asked Abe, who answered
    yes while answers are held; Bo is there and is owed nothing."""

    meeting: Meeting
    people: dict[str, Person]
    anonymous_card: int
    held_card: int


def set_secrets(http: httpx.Client) -> Secrets:
    m = Meeting.open(http, "Learning matrix")
    m.push(text="What do you need?", collects="any", identity_choice=True)
    quentin, rhea = m.join("Quentin Hider", "Harbour Trust"), m.join("Rhea Asker", "NHS")
    abe, bo = m.join("Abe Answerer", "Council"), m.join("Bo Bystander", "Police")
    hidden = m.card(quentin, "ask", HIDDEN_TEXT)
    assert http.patch(m.url(f"/cards/{hidden['id']}"), json={"hidden": True},
                      headers=m.facilitator).status_code == 200
    withdrawn = m.card(quentin, "ask", WITHDRAWN_TEXT)
    assert m.act(quentin, withdrawn["id"], "withdraw").status_code == 200
    anonymous = m.card(quentin, "ask", "An ask nobody may pin on anyone",
                       identity="anonymous")
    assert http.patch(m.url(), json={"answers_held": True},
                      headers=m.facilitator).status_code == 200
    held = m.card(rhea, "request", "Share the rota", to_participant_id=abe.id)
    assert m.act(abe, held["id"], "reply", answer="yes", note=HELD_NOTE).status_code == 200
    return Secrets(m, {"quentin": quentin, "rhea": rhea, "abe": abe, "bo": bo},
                   anonymous["id"], held["id"])


# Who may learn what: Quentin his own cards (and that the anonymous one is his), Abe his
# own held answer; the requester waits like the room; staff see everything.
LEARNS: dict[str, set[str]] = {
    "nobody": set(), "bo": set(), "rhea": set(), "quentin": {"hidden", "withdrawn",
                                                              "anonymous"},
    "abe": {"held"}, "organiser": set(SECRETS), "facilitator": set(SECRETS),
}


def cards_with_id(value: Any, card_id: int) -> Iterator[dict[str, Any]]:
    """Every card view with this id anywhere in a JSON answer (lists, events, exports)."""
    if isinstance(value, dict):
        if value.get("id") == card_id and "kind" in value:
            yield value
        for inner in value.values():
            yield from cards_with_id(inner, card_id)
    elif isinstance(value, list):
        for inner in value:
            yield from cards_with_id(inner, card_id)


def learned(scene: Secrets, text: str) -> set[str]:
    """Which secrets this answer gives away."""
    found = {name for name, words in (("hidden", HIDDEN_TEXT), ("withdrawn", WITHDRAWN_TEXT),
                                      ("held", HELD_NOTE)) if words in text}
    body = json.loads(text)
    if any(c.get("status") == "yes" or c.get("commitment")
           for c in cards_with_id(body, scene.held_card)):
        found.add("held")
    if any((c.get("author") or {}).get("id") == scene.people["quentin"].id
           for c in cards_with_id(body, scene.anonymous_card)):
        found.add("anonymous")
    return found


@pytest.mark.parametrize("who", list(LEARNS))
def test_what_each_caller_learns(http: httpx.Client, who: str) -> None:
    """Every read a caller may make, and what it tells them: no more than the table says,
    and (so that the check can see it) no less."""
    scene = set_secrets(http)
    m = scene.meeting
    staff = {"organiser": m.organiser_key, "facilitator": m.facilitator_key}
    headers = {} if who == "nobody" else bearer(
        staff[who] if who in staff else scene.people[who].token)
    reads = ["", "/participants", "/cards", "/events?after=0", "/me", "/mine",
             "/export.json", "/runsheet"]
    told: set[str] = set()
    for tail in reads:
        response = http.get(m.url(tail), headers=headers)
        assert response.status_code in (200, 401, 403), (tail, response.text)
        if response.status_code == 200:
            told |= learned(scene, response.text)
    assert told == LEARNS[who], f"{who} learns {sorted(told)}"


def test_acting_on_a_hidden_card_answers_as_an_unknown_card(http: httpx.Client) -> None:
    """Issue 12, item 5: accepting a hidden offer returned its text (and made it a
    commitment), answering a hidden request returned its text, an offer could reply to a
    hidden card, and reply_to's refusals told a hidden card's kind. For participants a
    hidden card is no card: 404 card_not_found (422 unknown_card for reply_to), exactly as
    for an id that does not exist; only its author may still withdraw it."""
    m = Meeting.open(http, "Hidden from participants")
    m.push(text="What do you need?", collects="any")
    rhea, abe, quentin = (m.join("Rhea", "NHS"), m.join("Abe", "Council"),
                          m.join("Quentin", "Trust"))
    ask = m.card(rhea, "ask", "Who can drive on Fridays?")
    offer = m.card(quentin, "offer", "Hidden offer 3b8e", reply_to=ask["id"])
    request = m.card(rhea, "request", "Hidden request 9d1c", to_participant_id=abe.id)
    committed = m.card(rhea, "request", "Hidden commitment 0f4a", to_participant_id=abe.id)
    assert m.act(abe, committed["id"], "reply", answer="yes").status_code == 200
    hidden_ask = m.card(rhea, "ask", "Hidden ask 77c2")
    for card in (offer, request, committed, hidden_ask):
        assert http.patch(m.url(f"/cards/{card['id']}"), json={"hidden": True},
                          headers=m.facilitator).status_code == 200
    seq = http.get(m.url()).json()["seq"]
    missing = 2**40

    def answer(response: httpx.Response) -> tuple[int, str]:
        for secret in ("3b8e", "9d1c", "0f4a", "77c2"):
            assert secret not in response.text, response.text
        return response.status_code, response.json()["code"]

    not_found = (404, "card_not_found")
    for who, card_id, verb, body in ((rhea, offer["id"], "accept", {}),
                                     (abe, request["id"], "reply", {"answer": "yes"}),
                                     (abe, committed["id"], "progress", {"progress": "done"}),
                                     (rhea, committed["id"], "progress", {"progress": "done"}),
                                     (abe, hidden_ask["id"], "withdraw", {})):
        assert answer(m.act(who, card_id, verb, **body)) == not_found, (verb, card_id)
        assert answer(m.act(who, missing, verb, **body)) == not_found, (verb, "missing")
    unknown = (422, "unknown_card")
    for reply_to in (hidden_ask["id"], offer["id"], request["id"], missing):
        refused = m.post(quentin, "offer", "Me too", reply_to=reply_to)
        assert answer(refused) == unknown, reply_to
    assert http.get(m.url()).json()["seq"] == seq, "a refusal changed the room"
    staff = {c["id"]: c for c in http.get(m.url("/cards"), headers=m.facilitator).json()}
    assert staff[offer["id"]]["status"] == "open"
    # Its author may still take back a card of theirs the facilitator hid.
    taken_back = m.act(quentin, offer["id"], "withdraw")
    assert taken_back.status_code == 200, taken_back.text
    assert taken_back.json()["status"] == "withdrawn"
