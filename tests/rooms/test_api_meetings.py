"""Meetings played through the real API of a real server: SPEC's two origin stories, their
exports read back with real parsers, and the room's other moves (organisations, retries,
the event log, moderation, prompts and the timer, locking)."""

from __future__ import annotations

import csv
import io
import json
import os
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import urlsplit

import httpx
import openpyxl
import pytest

from tests.meeting import Meeting, Person
from tests.server import Server

LOG_COLUMNS = [
    "seq", "created_at", "kind", "status", "text", "from_name", "from_organisation",
    "to_name", "to_organisation", "reply_to", "prompt", "answer", "answer_note",
    "answered_by", "answered_at", "commitment_owner", "progress", "hidden",
]
COMMITMENT_COLUMNS = [
    "owner", "owner_organisation", "what", "for_whom", "for_whom_organisation", "source",
    "progress", "note", "updated_by",
]
ORGANISATION_COLUMNS = [
    "organisation", "participants", "requests_made", "requests_received", "commitments_made",
]


def person(who: Person) -> dict[str, Any]:
    return {"id": who.id, "name": who.name, "organisation": who.organisation}


def ok(response: httpx.Response, status: int = 200) -> dict[str, Any]:
    assert response.status_code == status, response.text
    return response.json()  # type: ignore[no-any-return]


def room_seq(meeting: Meeting) -> int:
    return int(ok(meeting.http.get(meeting.url()))["seq"])


def public_cards(meeting: Meeting) -> list[dict[str, Any]]:
    return ok(meeting.http.get(meeting.url("/cards")))  # type: ignore[return-value]


def staff_cards(meeting: Meeting, headers: dict[str, str]) -> list[dict[str, Any]]:
    return ok(meeting.http.get(meeting.url("/cards"), headers=headers))  # type: ignore[return-value]


def all_events(meeting: Meeting, headers: dict[str, str] | None = None) -> list[dict[str, Any]]:
    return ok(meeting.http.get(meeting.url("/events"), params={"after": 0},
                               headers=headers))["events"]  # type: ignore[no-any-return]


def moderate(meeting: Meeting, card_id: int, **change: bool) -> httpx.Response:
    return meeting.http.patch(meeting.url(f"/cards/{card_id}"), json=change,
                              headers=meeting.facilitator)


# --- the two origin stories ------------------------------------------------------------


@dataclass
class Story:
    """A meeting played through, with what a reader of its log should find."""

    meeting: Meeting
    people: dict[str, Person]
    prompt: dict[str, Any]
    # The last answer the API gave about each card, in the order the cards were posted.
    cards: dict[str, dict[str, Any]]
    event_types: list[str]
    log: list[dict[str, Any]] = field(default_factory=list)
    commitments: list[list[Any]] = field(default_factory=list)
    organisations: list[list[Any]] = field(default_factory=list)


WELFARE_REQUEST = ("Advice to your customers never mentions the value of trying to get a "
                   "job. Could your advisers mention it in every benefits interview?")
WELFARE_NOTE = "You are right. I will go back and change the team's remit and job descriptions."
WELFARE_PROGRESS = "Remit rewritten; the job descriptions are with HR."


def play_working_group(http: httpx.Client) -> Story:
    """Story 1: a direct request in the unemployment working group, answered yes."""
    meeting = Meeting.open(http, "Unemployment working group",
                           "Help more people in the county into work")
    dev = meeting.join("Dev Patel", "Seetec Work Programme")
    maria = meeting.join("Maria Lopez", "County Council")
    sam = meeting.join("Sam Green", "Jobcentre Plus")
    pat = meeting.join("Pat Jones")
    prompt = meeting.push(library_key="do-differently")
    assert prompt["library_key"] == "do-differently"
    assert prompt["collects"] == "request"

    request = meeting.card(dev, "request", WELFARE_REQUEST, to_participant_id=maria.id)
    assert request["status"] == "open"
    assert request["to"] == {"participant": person(maria), "organisation": None}
    assert request["author"] == person(dev)
    assert request["prompt_id"] == prompt["id"]
    assert request["commitment"] is None

    answered = ok(meeting.act(maria, request["id"], "reply", answer="yes", note=WELFARE_NOTE))
    assert answered["status"] == "yes"
    assert [(r["answer"], r["note"], r["by"]) for r in answered["replies"]] == [
        ("yes", WELFARE_NOTE, person(maria))]
    assert answered["commitment"]["owner"] == person(maria)
    assert answered["commitment"]["progress"] == "not_started"

    reported = ok(meeting.act(maria, request["id"], "progress", progress="in_progress",
                              note=WELFARE_PROGRESS))
    assert reported["status"] == "yes"
    assert reported["commitment"]["owner"] == person(maria)
    assert reported["commitment"]["progress"] == "in_progress"
    assert reported["commitment"]["note"] == WELFARE_PROGRESS
    assert reported["commitment"]["updated_at"] is not None

    reply = reported["replies"][-1]
    story = Story(
        meeting, {"dev": dev, "maria": maria, "sam": sam, "pat": pat}, prompt,
        {"request": reported},
        ["participant.joined"] * 4 + ["prompt.opened", "card.created", "card.updated",
                                      "card.updated"],
    )
    story.log = [{
        "seq": reported["seq"], "created_at": request["created_at"], "kind": "request",
        "status": "yes", "text": WELFARE_REQUEST, "from_name": "Dev Patel",
        "from_organisation": "Seetec Work Programme", "to_name": "Maria Lopez",
        "to_organisation": "", "reply_to": "", "prompt": prompt["text"], "answer": "yes",
        "answer_note": WELFARE_NOTE, "answered_by": "Maria Lopez", "answered_at": reply["at"],
        "commitment_owner": "Maria Lopez", "progress": "in_progress", "hidden": "false",
    }]
    story.commitments = [["Maria Lopez", "County Council", WELFARE_REQUEST, "Dev Patel",
                          "Seetec Work Programme", WELFARE_REQUEST, "in_progress",
                          WELFARE_PROGRESS, "Maria Lopez"]]
    story.organisations = [
        ["Seetec Work Programme", 1, 1, 0, 0],
        ["County Council", 1, 0, 1, 1],
        ["Jobcentre Plus", 1, 0, 0, 0],
        ["(no organisation)", 1, 0, 0, 0],
    ]
    return story


WINTER_ASK = ("Winter crisis: norovirus and flu on the wards, no beds, frail people sent home "
              "at midnight. What can your organisation do about it this month?")
FLU_OFFER = "I will co-ordinate a message to all our staff about getting their flu jabs."
VOLUNTEER_OFFER = "We will send volunteers to A&E to accompany frail people home at night."


def play_partnership_board(http: httpx.Client) -> Story:
    """Story 2: an ask at the county partnership board, two offers accepted, the room
    closed, and progress reported afterwards."""
    meeting = Meeting.open(http, "County partnership board", "Join up care for older people")
    helen = meeting.join("Helen Ward", "NHS Somerset ICB")
    tom = meeting.join("Tom Reed", "County Council")
    asha = meeting.join("Asha Khan", "Somerset Voluntary Action")
    lee = meeting.join("Chris Lee", "Avon and Somerset Police")
    prompt = meeting.push(library_key="ask-for-help")
    assert prompt["collects"] == "ask"

    ask = meeting.card(helen, "ask", WINTER_ASK)
    assert (ask["kind"], ask["status"], ask["to"]) == ("ask", "open", None)
    flu = meeting.card(tom, "offer", FLU_OFFER, reply_to=ask["id"])
    volunteers = meeting.card(asha, "offer", VOLUNTEER_OFFER, reply_to=ask["id"])
    for offer in (flu, volunteers):
        assert (offer["status"], offer["reply_to"], offer["commitment"]) == (
            "open", ask["id"], None)

    flu = ok(meeting.act(helen, flu["id"], "accept"))
    volunteers = ok(meeting.act(helen, volunteers["id"], "accept"))
    assert (flu["status"], flu["commitment"]["owner"]) == ("accepted", person(tom))
    assert (volunteers["status"], volunteers["commitment"]["owner"]) == (
        "accepted", person(asha))

    closed = ok(meeting.set_state("closed"))
    assert closed["state"] == "closed"
    assert closed["current_prompt"] is None
    assert closed["closed_at"] is not None

    flu = ok(meeting.act(tom, flu["id"], "progress", progress="in_progress",
                         note="Message drafted; goes out Monday."))
    volunteers = ok(meeting.act(asha, volunteers["id"], "progress", progress="done",
                                note="Twelve volunteers on the night rota."))
    assert (flu["status"], flu["commitment"]["progress"]) == ("accepted", "in_progress")
    assert (volunteers["status"], volunteers["commitment"]["progress"]) == ("accepted", "done")

    story = Story(
        meeting, {"helen": helen, "tom": tom, "asha": asha, "lee": lee}, prompt,
        {"ask": ask, "flu": flu, "volunteers": volunteers},
        ["participant.joined"] * 4 + ["prompt.opened"] + ["card.created"] * 3
        + ["card.updated"] * 2 + ["room.updated", "prompt.closed"] + ["card.updated"] * 2,
    )
    blank = dict.fromkeys(("to_name", "to_organisation", "answer", "answer_note",
                           "answered_by", "answered_at"), "")
    story.log = [
        {"seq": ask["seq"], "created_at": ask["created_at"], "kind": "ask", "status": "open",
         "text": WINTER_ASK, "from_name": "Helen Ward", "from_organisation": "NHS Somerset ICB",
         **blank, "reply_to": "", "prompt": prompt["text"], "commitment_owner": "",
         "progress": "", "hidden": "false"},
        {"seq": flu["seq"], "created_at": flu["created_at"], "kind": "offer",
         "status": "accepted", "text": FLU_OFFER, "from_name": "Tom Reed",
         "from_organisation": "County Council", **blank, "reply_to": ask["id"],
         "prompt": prompt["text"], "commitment_owner": "Tom Reed", "progress": "in_progress",
         "hidden": "false"},
        {"seq": volunteers["seq"], "created_at": volunteers["created_at"], "kind": "offer",
         "status": "accepted", "text": VOLUNTEER_OFFER, "from_name": "Asha Khan",
         "from_organisation": "Somerset Voluntary Action", **blank, "reply_to": ask["id"],
         "prompt": prompt["text"], "commitment_owner": "Asha Khan", "progress": "done",
         "hidden": "false"},
    ]
    story.commitments = [
        ["Tom Reed", "County Council", FLU_OFFER, "Helen Ward", "NHS Somerset ICB",
         WINTER_ASK, "in_progress", "Message drafted; goes out Monday.", "Tom Reed"],
        ["Asha Khan", "Somerset Voluntary Action", VOLUNTEER_OFFER, "Helen Ward",
         "NHS Somerset ICB", WINTER_ASK, "done", "Twelve volunteers on the night rota.",
         "Asha Khan"],
    ]
    story.organisations = [
        ["NHS Somerset ICB", 1, 0, 0, 0],
        ["County Council", 1, 0, 0, 1],
        ["Somerset Voluntary Action", 1, 0, 0, 1],
        ["Avon and Somerset Police", 1, 0, 0, 0],
    ]
    return story


STORIES = pytest.mark.parametrize("play", [play_working_group, play_partnership_board],
                                  ids=["working_group", "partnership_board"])


def test_a_direct_request_answered_yes_becomes_her_commitment(http: httpx.Client) -> None:
    """The unemployment working group: request by participant id, yes with a note, progress."""
    story = play_working_group(http)
    request = story.cards["request"]
    assert public_cards(story.meeting) == [request]
    assert [e["event"] for e in all_events(story.meeting)] == story.event_types


def test_offers_to_an_ask_accepted_become_commitments_of_those_who_offered(
        http: httpx.Client) -> None:
    """The partnership board: one ask, two offers accepted, the room closed, progress
    reported after closing."""
    story = play_partnership_board(http)
    # As the room sees them: a client id only in its author's answers (issue 12).
    assert public_cards(story.meeting) == [{**card, "client_id": None}
                                           for card in story.cards.values()]
    assert story.cards["ask"]["status"] == "open"
    assert [e["event"] for e in all_events(story.meeting)] == story.event_types


def test_a_closed_room_takes_progress_but_no_new_cards_or_people(http: httpx.Client) -> None:
    story = play_partnership_board(http)
    meeting, helen = story.meeting, story.people["helen"]
    seq = room_seq(meeting)

    refused = meeting.post(helen, "ask", "One more thing before we go")
    assert (refused.status_code, refused.json()["code"]) == (409, "room_closed")
    joined = http.post(meeting.url("/participants"), json={"name": "Latecomer"})
    assert (joined.status_code, joined.json()["code"]) == (409, "room_closed")
    reopened = meeting.set_state("open")
    assert (reopened.status_code, reopened.json()["code"]) == (409, "room_closed")
    assert room_seq(meeting) == seq

    # The person a commitment is for may report on it too, even now.
    done = ok(meeting.act(helen, story.cards["flu"]["id"], "progress", progress="done"))
    assert done["commitment"]["progress"] == "done"
    assert room_seq(meeting) == seq + 1


# --- exports ---------------------------------------------------------------------------


@STORIES
def test_export_json_holds_room_prompts_people_cards_and_every_event(
        http: httpx.Client, play: Any) -> None:
    story = play(http)
    meeting = story.meeting
    for headers in (meeting.facilitator, meeting.organiser):
        response = http.get(meeting.url("/export.json"), headers=headers)
        assert response.status_code == 200, response.text
        log = response.json()
        assert set(log) == {"room", "prompts", "participants", "cards", "events"}

        room = ok(http.get(meeting.url()))
        assert log["room"]["code"] == meeting.code
        assert log["room"]["title"] == room["title"]
        assert log["room"]["state"] == room["state"]
        assert log["room"]["seq"] == room["seq"]

        assert [(p["id"], p["text"], p["library_key"]) for p in log["prompts"]] == [
            (story.prompt["id"], story.prompt["text"], story.prompt["library_key"])]
        assert [{k: p[k] for k in ("id", "name", "organisation")}
                for p in log["participants"]] == [person(p) for p in story.people.values()]
        assert all(p["joined_at"] for p in log["participants"])

        # The cards as the API last described them, replies and commitments included;
        # staff see each card's client id, which only its author's answers carry.
        assert all(c["client_id"] for c in log["cards"])
        assert [{**c, "client_id": None} for c in log["cards"]] == [
            {**c, "client_id": None} for c in story.cards.values()]

        events = log["events"]
        assert [e["seq"] for e in events] == list(range(1, room["seq"] + 1))
        assert [e["event"] for e in events] == story.event_types
        # A card's seq is the seq of the event that last changed it.
        for card in story.cards.values():
            touching = [e["seq"] for e in events if e["data"].get("card", {}).get("id")
                        == card["id"]]
            assert card["seq"] == touching[-1]


@STORIES
def test_export_csv_has_one_row_per_card_as_it_happened(http: httpx.Client, play: Any) -> None:
    story = play(http)
    response = http.get(story.meeting.url("/export.csv"), headers=story.meeting.organiser)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("text/csv")
    assert response.content.startswith(b"\xef\xbb\xbf")

    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"), newline="")))
    assert rows[0] == LOG_COLUMNS
    expected = [[str(row[column]) for column in LOG_COLUMNS] for row in story.log]
    assert len(rows[1:]) == len(expected)
    for got, want in zip(rows[1:], expected, strict=True):
        for column, cell, wanted in zip(LOG_COLUMNS, got, want, strict=True):
            assert cell == wanted, f"column {column}: {cell!r} != {wanted!r}"


def _sheet_rows(sheet: Any) -> list[list[Any]]:
    return [list(row) for row in sheet.iter_rows(values_only=True)]


def _xlsx_cell(value: Any) -> Any:
    """What a log value reads back as from the workbook: blank for "", numbers as numbers."""
    return None if value == "" else value


@STORIES
def test_export_xlsx_has_log_commitments_and_organisations_sheets(
        http: httpx.Client, play: Any) -> None:
    story = play(http)
    response = http.get(story.meeting.url("/export.xlsx"), headers=story.meeting.facilitator)
    assert response.status_code == 200, response.text
    assert "spreadsheetml" in response.headers["content-type"]
    workbook = openpyxl.load_workbook(io.BytesIO(response.content), read_only=True)
    assert workbook.sheetnames == ["Log", "Commitments", "Organisations", "Progress"]

    log = _sheet_rows(workbook["Log"])
    assert log[0] == LOG_COLUMNS
    assert log[1:] == [[_xlsx_cell(row[c]) for c in LOG_COLUMNS] for row in story.log]

    commitments = _sheet_rows(workbook["Commitments"])
    assert commitments[0] == COMMITMENT_COLUMNS
    assert commitments[1:] == [[_xlsx_cell(cell) for cell in row] for row in story.commitments]

    organisations = _sheet_rows(workbook["Organisations"])
    assert organisations[0] == ORGANISATION_COLUMNS
    assert organisations[1:] == story.organisations
    workbook.close()


def test_export_shows_a_hidden_card_marked_hidden(http: httpx.Client) -> None:
    meeting = Meeting.open(http)
    ann = meeting.join("Ann", "Police")
    card = meeting.card(ann, "ask", "Name and shame the worst ward")
    ok(moderate(meeting, card["id"], hidden=True))
    response = http.get(meeting.url("/export.csv"), headers=meeting.organiser)
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"), newline="")))
    assert [(r["text"], r["hidden"]) for r in rows] == [("Name and shame the worst ward", "true")]


# --- requests to organisations and organisation names ----------------------------------


def test_anyone_of_the_organisation_asked_may_answer_and_the_latest_answer_stands(
        http: httpx.Client) -> None:
    meeting = Meeting.open(http)
    helen = meeting.join("Helen", "NHS Somerset ICB")
    tom = meeting.join("Tom", "County Council")
    kim = meeting.join("Kim", " county  COUNCIL ")
    request = meeting.card(helen, "request", "Share your discharge data weekly",
                           to_organisation="county council")
    assert request["to"] == {"participant": None, "organisation": "County Council"}

    tried = ok(meeting.act(tom, request["id"], "reply", answer="try"))
    assert (tried["status"], tried["commitment"]["owner"]) == ("try", person(tom))

    agreed = ok(meeting.act(kim, request["id"], "reply", answer="yes", note="Every Friday"))
    assert agreed["status"] == "yes"
    assert [(r["answer"], r["by"]["name"]) for r in agreed["replies"]] == [
        ("try", "Tom"), ("yes", "Kim")]
    assert agreed["commitment"]["owner"] == person(kim)

    declined = ok(meeting.act(tom, request["id"], "reply", answer="no"))
    assert (declined["status"], declined["commitment"]) == ("no", None)

    outsider = meeting.act(helen, request["id"], "reply", answer="yes")
    assert (outsider.status_code, outsider.json()["code"]) == (403, "not_asked")
    assert public_cards(meeting)[0]["status"] == "no"


def test_an_organisation_keeps_the_spelling_first_seen(http: httpx.Client) -> None:
    meeting = Meeting.open(http)
    first = meeting.join("Ann", "NHS CCG")
    second = meeting.join("Bo", " nhs  ccg ")
    other = meeting.join("Cy", "NHS CCG Somerset")
    assert (first.organisation, second.organisation, other.organisation) == (
        "NHS CCG", "NHS CCG", "NHS CCG Somerset")
    listed = ok(http.get(meeting.url("/participants")))
    assert [(p["name"], p["organisation"]) for p in listed] == [
        ("Ann", "NHS CCG"), ("Bo", "NHS CCG"), ("Cy", "NHS CCG Somerset")]


# --- idempotency and the event log -----------------------------------------------------


def test_posting_the_same_client_id_twice_makes_one_card(http: httpx.Client) -> None:
    meeting = Meeting.open(http)
    ann = meeting.join("Ann", "Police")
    body = {"client_id": "phone-1-card-1", "kind": "ask", "text": "Who runs the night bus?"}

    first = http.post(meeting.url("/cards"), json=body, headers=ann.auth)
    seq = room_seq(meeting)
    retry = http.post(meeting.url("/cards"), json=body, headers=ann.auth)
    assert first.status_code == 201, first.text
    assert retry.status_code == 200, retry.text
    assert retry.json()["id"] == first.json()["id"]
    assert retry.json() == first.json()
    assert room_seq(meeting) == seq
    assert [c["id"] for c in public_cards(meeting)] == [first.json()["id"]]
    assert [e["event"] for e in all_events(meeting)].count("card.created") == 1


def test_concurrent_retries_of_one_post_make_one_card(http: httpx.Client,
                                                     server: Server) -> None:
    """A phone on a bad connection retries while the first try is still in flight."""
    meeting = Meeting.open(http)
    ann = meeting.join("Ann", "Police")
    body = {"client_id": "flaky-1", "kind": "ask", "text": "Who has a minibus?"}

    def post(_: int) -> tuple[int, int]:
        with httpx.Client(base_url=server.url, timeout=10) as client:
            response = client.post(meeting.url("/cards"), json=body, headers=ann.auth)
            return response.status_code, response.json()["id"]

    with ThreadPoolExecutor(10) as pool:
        answers = list(pool.map(post, range(10)))
    assert sorted(status for status, _ in answers) == [200] * 9 + [201]
    assert len({card_id for _, card_id in answers}) == 1
    assert len(public_cards(meeting)) == 1
    assert [e["event"] for e in all_events(meeting)] == ["participant.joined", "card.created"]


def test_concurrent_posts_get_consecutive_seqs(http: httpx.Client, server: Server) -> None:
    meeting = Meeting.open(http)
    people = [meeting.join(f"Person {n}") for n in range(8)]

    def post(who: Person) -> int:
        with httpx.Client(base_url=server.url, timeout=10) as client:
            response = client.post(meeting.url("/cards"), headers=who.auth, json={
                "client_id": "one", "kind": "offer", "text": f"Offer from {who.name}"})
            assert response.status_code == 201, response.text
            return int(response.json()["seq"])

    with ThreadPoolExecutor(8) as pool:
        seqs = list(pool.map(post, people))
    assert sorted(seqs) == list(range(9, 17))
    assert [e["seq"] for e in all_events(meeting)] == list(range(1, 17))
    assert room_seq(meeting) == 16


def test_a_client_id_belongs_to_its_author(http: httpx.Client) -> None:
    """Another participant reusing a client_id gets a card of their own, not someone else's."""
    meeting = Meeting.open(http)
    ann, bo = meeting.join("Ann"), meeting.join("Bo")
    body = {"client_id": "same", "kind": "offer", "text": "A room for Tuesday"}
    mine = http.post(meeting.url("/cards"), json=body, headers=ann.auth)
    theirs = http.post(meeting.url("/cards"), json=body, headers=bo.auth)
    assert (mine.status_code, theirs.status_code) == (201, 201)
    assert theirs.json()["author"] == person(bo)
    assert theirs.json()["id"] != mine.json()["id"]


def test_events_after_n_are_exactly_the_later_events_in_order(http: httpx.Client) -> None:
    meeting = Meeting.open(http)
    ann, bo = meeting.join("Ann", "Police"), meeting.join("Bo", "Fire")
    meeting.push(library_key="winfy")
    request = meeting.card(ann, "request", "Tell us about hoarders", to_participant_id=bo.id)
    ok(meeting.act(bo, request["id"], "reply", answer="try"))

    everything = ok(http.get(meeting.url("/events")))
    assert everything["seq"] == room_seq(meeting) == 5
    events = everything["events"]
    assert [e["seq"] for e in events] == [1, 2, 3, 4, 5]
    assert [e["event"] for e in events] == [
        "participant.joined", "participant.joined", "prompt.opened", "card.created",
        "card.updated"]
    assert all(e["type"] == "event" and e["at"] for e in events)
    assert events[3]["data"]["card"]["text"] == "Tell us about hoarders"

    for after in range(6):
        page = ok(http.get(meeting.url("/events"), params={"after": after}))
        assert page == {"events": events[after:], "seq": 5, "more": False}
    beyond = ok(http.get(meeting.url("/events"), params={"after": 99}))
    assert beyond == {"events": [], "seq": 5, "more": False}


# --- moderation ------------------------------------------------------------------------


def test_a_hidden_card_never_reaches_the_public(http: httpx.Client) -> None:
    meeting = Meeting.open(http)
    ann, bo = meeting.join("Ann", "Police"), meeting.join("Bo", "Fire")
    secret = "Ward 7 staff are useless XK-4471"
    card = meeting.card(ann, "ask", secret)
    visible = meeting.card(bo, "offer", "Data on fires in homes")

    hidden = ok(moderate(meeting, card["id"], hidden=True))
    assert hidden["hidden"] is True

    for headers in ({}, bo.auth, ann.auth):
        for tail in ("/cards", "/events"):
            raw = http.get(meeting.url(tail), headers=headers)
            assert raw.status_code == 200, raw.text
            assert secret not in raw.text
            assert "XK-4471" not in raw.text
    assert [c["id"] for c in public_cards(meeting)] == [visible["id"]]
    stubs = [e["data"]["card"] for e in all_events(meeting)
             if e["data"].get("card", {}).get("id") == card["id"]]
    assert stubs and all(stub == {"id": card["id"], "hidden": True} for stub in stubs)

    for headers in (meeting.facilitator, meeting.organiser):
        seen = {c["id"]: c for c in staff_cards(meeting, headers)}
        assert (seen[card["id"]]["text"], seen[card["id"]]["hidden"]) == (secret, True)
        assert secret in http.get(meeting.url("/events"), headers=headers).text

    ok(moderate(meeting, card["id"], hidden=False))
    assert [c["text"] for c in public_cards(meeting)] == [secret, "Data on fires in homes"]


def test_only_one_card_holds_the_spotlight(http: httpx.Client) -> None:
    meeting = Meeting.open(http)
    ann = meeting.join("Ann", "Police")
    first = meeting.card(ann, "ask", "First ask")
    second = meeting.card(ann, "ask", "Second ask")

    assert ok(moderate(meeting, first["id"], spotlight=True))["spotlight"] is True
    assert ok(moderate(meeting, second["id"], spotlight=True))["spotlight"] is True
    assert [(c["id"], c["spotlight"]) for c in public_cards(meeting)] == [
        (first["id"], False), (second["id"], True)]

    ok(moderate(meeting, second["id"], spotlight=False))
    assert [c["spotlight"] for c in public_cards(meeting)] == [False, False]

    ok(moderate(meeting, first["id"], spotlight=True))
    ok(moderate(meeting, first["id"], hidden=True))
    assert [c["spotlight"] for c in staff_cards(meeting, meeting.facilitator)] == [False, False]
    refused = moderate(meeting, first["id"], spotlight=True)
    assert (refused.status_code, refused.json()["code"]) == (409, "card_hidden")


def test_a_withdrawn_card_leaves_the_board(http: httpx.Client) -> None:
    meeting = Meeting.open(http)
    ann = meeting.join("Ann", "Police")
    keep = meeting.card(ann, "ask", "Keep this one")
    drop = meeting.card(ann, "ask", "Drop this one")
    ok(moderate(meeting, drop["id"], spotlight=True))

    withdrawn = ok(meeting.act(ann, drop["id"], "withdraw"))
    assert (withdrawn["status"], withdrawn["spotlight"]) == ("withdrawn", False)
    assert [c["id"] for c in public_cards(meeting)] == [keep["id"]]
    assert [(c["id"], c["status"]) for c in staff_cards(meeting, meeting.facilitator)] == [
        (keep["id"], "open"), (drop["id"], "withdrawn")]


# --- prompts, the timer and the room's state -------------------------------------------


def test_pushing_a_prompt_makes_it_current_and_closes_the_previous(http: httpx.Client) -> None:
    meeting = Meeting.open(http)
    first = meeting.push(library_key="winfy")
    assert ok(http.get(meeting.url()))["current_prompt"] == first
    second = meeting.push(text="What could you offer?", collects="offer", duration_s=300)
    assert (second["library_key"], second["duration_s"], second["self_commit"]) == (
        None, 300, False)
    assert ok(http.get(meeting.url()))["current_prompt"] == second
    events = all_events(meeting)
    assert [e["event"] for e in events] == ["prompt.opened", "prompt.closed", "prompt.opened"]
    assert events[1]["data"]["prompt"]["id"] == first["id"]
    assert events[1]["data"]["prompt"]["closed_at"] is not None

    closed = http.post(meeting.url("/prompts/current/close"), headers=meeting.facilitator)
    assert closed.status_code == 200, closed.text
    assert (closed.json()["id"], closed.json()["closed_at"] is not None) == (second["id"], True)
    assert ok(http.get(meeting.url()))["current_prompt"] is None
    again = http.post(meeting.url("/prompts/current/close"), headers=meeting.facilitator)
    assert (again.status_code, again.json()["code"]) == (409, "no_current_prompt")


def test_a_card_is_posted_under_the_current_prompt(http: httpx.Client) -> None:
    meeting = Meeting.open(http)
    ann = meeting.join("Ann")
    before = meeting.card(ann, "ask", "Before any prompt")
    prompt = meeting.push(library_key="offers")
    during = meeting.card(ann, "offer", "During the prompt")
    ok(http.post(meeting.url("/prompts/current/close"), headers=meeting.facilitator))
    after = meeting.card(ann, "offer", "After it closed")
    assert (before["prompt_id"], during["prompt_id"], after["prompt_id"]) == (
        None, prompt["id"], None)


def test_an_offer_under_a_self_commit_prompt_is_its_authors_commitment(
        http: httpx.Client) -> None:
    meeting = Meeting.open(http)
    ann = meeting.join("Ann", "Police")
    prompt = meeting.push(library_key="commitments")
    assert prompt["self_commit"] is True
    offer = meeting.card(ann, "offer", "I will ring the night-bus operator by Friday")
    assert offer["commitment"]["owner"] == person(ann)
    assert ok(meeting.act(ann, offer["id"], "progress", progress="done"))[
        "commitment"]["progress"] == "done"


def test_the_timer_starts_and_stops(http: httpx.Client) -> None:
    meeting = Meeting.open(http)
    started_at = datetime.now(UTC)
    timer = ok(http.post(meeting.url("/timer"), json={"seconds": 90},
                         headers=meeting.facilitator))
    ends_at = datetime.fromisoformat(timer["ends_at"].replace("Z", "+00:00"))
    assert timedelta(seconds=85) < ends_at - started_at < timedelta(seconds=95)
    assert ok(http.get(meeting.url()))["timer"]["ends_at"] == timer["ends_at"]

    stopped = ok(http.post(meeting.url("/timer"), json={"seconds": 0},
                           headers=meeting.facilitator))
    assert stopped["ends_at"] is None
    assert ok(http.get(meeting.url()))["timer"] is None
    assert [e["event"] for e in all_events(meeting)] == ["timer.started", "timer.stopped"]


def test_closing_the_room_ends_the_prompt_and_the_timer(http: httpx.Client) -> None:
    meeting = Meeting.open(http)
    meeting.push(library_key="offers")
    ok(http.post(meeting.url("/timer"), json={"seconds": 60}, headers=meeting.facilitator))
    closed = ok(meeting.set_state("closed"))
    assert (closed["state"], closed["current_prompt"], closed["timer"]) == ("closed", None, None)
    assert [e["event"] for e in all_events(meeting)][-3:] == [
        "room.updated", "prompt.closed", "timer.stopped"]


def test_a_locked_room_takes_no_new_people_or_cards_but_answers_still_flow(
        http: httpx.Client) -> None:
    meeting = Meeting.open(http)
    ann, bo = meeting.join("Ann", "Police"), meeting.join("Bo", "Fire")
    request = meeting.card(ann, "request", "Fit smoke alarms for our clients",
                           to_participant_id=bo.id)
    ask = meeting.card(ann, "ask", "A venue for the next meeting")
    offer = meeting.card(bo, "offer", "Our training room", reply_to=ask["id"])
    extra = meeting.card(bo, "offer", "Biscuits")

    locked = ok(meeting.set_state("locked"))
    assert locked["state"] == "locked"
    assert ok(http.get(meeting.url()))["state"] == "locked"
    seq = room_seq(meeting)

    joined = http.post(meeting.url("/participants"), json={"name": "Latecomer"})
    assert (joined.status_code, joined.json()["code"]) == (409, "room_locked")
    posted = meeting.post(ann, "ask", "One more")
    assert (posted.status_code, posted.json()["code"]) == (409, "room_locked")
    assert room_seq(meeting) == seq

    assert ok(meeting.act(bo, request["id"], "reply", answer="yes"))["status"] == "yes"
    assert ok(meeting.act(ann, offer["id"], "accept"))["status"] == "accepted"
    assert ok(meeting.act(bo, extra["id"], "withdraw"))["status"] == "withdrawn"
    assert ok(meeting.act(bo, request["id"], "progress", progress="in_progress"))[
        "commitment"]["progress"] == "in_progress"
    assert room_seq(meeting) == seq + 4

    assert ok(meeting.set_state("open"))["state"] == "open"
    assert meeting.join("Latecomer").name == "Latecomer"


def test_a_room_can_be_renamed_and_given_a_purpose(http: httpx.Client) -> None:
    meeting = Meeting.open(http, "Draft title")
    renamed = ok(http.patch(meeting.url(), json={"title": "Winter board",
                                                 "purpose": "No one sent home at midnight"},
                            headers=meeting.facilitator))
    assert (renamed["title"], renamed["purpose"], renamed["state"]) == (
        "Winter board", "No one sent home at midnight", "open")
    assert [e["event"] for e in all_events(meeting)] == ["room.updated"]


def test_answers_carry_the_fields_the_spec_promises(http: httpx.Client) -> None:
    meeting = Meeting.open(http)
    assert {"code", "title", "purpose", "state", "facilitator_key", "organiser_key",
            "join_url", "board_url", "facilitate_url"} <= set(meeting.created)
    joined = http.post(meeting.url("/participants"), json={"name": "Ann", "organisation": "X"})
    assert set(joined.json()) == {"id", "name", "organisation", "token"}
    ann = Person(**joined.json())
    bo = meeting.join("Bo", "Y")
    assert {"code", "title", "purpose", "state", "seq", "current_prompt", "participant_count",
            "timer"} <= set(ok(http.get(meeting.url())))
    assert all(set(p) == {"id", "name", "organisation"}
               for p in ok(http.get(meeting.url("/participants"))))
    request = meeting.card(ann, "request", "Please", to_participant_id=bo.id)
    card = ok(meeting.act(bo, request["id"], "reply", answer="yes", note="Will do"))
    assert {"id", "kind", "text", "status", "hidden", "spotlight", "author", "to", "reply_to",
            "prompt_id", "replies", "commitment", "created_at", "seq"} <= set(card)
    assert set(card["to"]) == {"participant", "organisation"}
    assert set(card["replies"][0]) == {"answer", "note", "by", "at"}
    assert set(card["commitment"]) == {"owner", "progress", "note", "updated_at", "updated_by",
                                       "updated_by_shown"}
    page = ok(http.get(meeting.url("/events")))
    assert set(page) == {"events", "seq", "more"}
    assert all({"type", "seq", "event", "at", "data"} <= set(e) for e in page["events"])


# --- the library and the links ---------------------------------------------------------


def test_the_prompt_library_lists_the_spec_structures(http: httpx.Client) -> None:
    """The appendix's six, and Part II's matters arising (SPEC §10)."""
    library = ok(http.get("/api/prompts"))
    assert isinstance(library, list)
    by_key = {entry["key"]: entry for entry in library}
    assert len(library) == len(by_key) == 7
    assert {key: (e["collects"], e["self_commit"]) for key, e in by_key.items()} == {
        "winfy": ("request", False),
        "do-differently": ("request", False),
        "ask-for-help": ("ask", False),
        "offers": ("offer", False),
        "fifteen-percent": ("offer", True),
        "commitments": ("offer", True),
        "matters-arising": ("review", False),
    }
    for entry in library:
        assert {"key", "title", "text", "collects", "duration_s", "guidance"} <= set(entry)
        assert entry["title"] and entry["text"] and entry["guidance"]
        assert 0 < len(entry["text"]) <= 280
        assert isinstance(entry["duration_s"], int) and entry["duration_s"] > 0


def test_a_new_room_hands_out_its_links_with_the_key_only_in_the_fragment(
        http: httpx.Client, server: Server) -> None:
    response = http.post("/api/rooms", json={"title": "Links", "purpose": "Check them"})
    assert response.status_code == 201, response.text
    room = response.json()
    code, key = room["code"], room["facilitator_key"]
    origin = os.environ.get("ASKROOM_PUBLIC_URL", server.url).rstrip("/")

    assert (room["title"], room["purpose"], room["state"]) == ("Links", "Check them", "open")
    assert len(code) == 6 and code == code.upper()
    assert room["join_url"] == f"{origin}/r/{code}"
    assert room["board_url"] == f"{origin}/r/{code}/board"
    assert room["facilitate_url"] == f"{origin}/r/{code}/facilitate#key={key}"
    parts = urlsplit(room["facilitate_url"])
    assert parts.fragment == f"key={key}"
    assert key not in parts.path and key not in parts.query
    for other in ("join_url", "board_url"):
        assert key not in room[other] and room["organiser_key"] not in room[other]

    public = http.get(f"/api/rooms/{code}").text
    assert key not in public and room["organiser_key"] not in public
    assert "facilitator_key" not in json.loads(public)


def test_me_says_whose_key_or_token_it_is(http: httpx.Client) -> None:
    """A page can check a stored credential without changing anything."""
    meeting = Meeting.open(http)
    sam = meeting.join("Sam", "Work Programme")
    me = meeting.url("/me")
    assert http.get(me, headers=meeting.facilitator).json() == {
        "role": "facilitator", "participant": None}
    assert http.get(me, headers=meeting.organiser).json()["role"] == "organiser"
    assert http.get(me, headers=sam.auth).json() == {
        "role": "participant",
        "participant": {"id": sam.id, "name": "Sam", "organisation": "Work Programme"}}
    assert http.get(me).status_code == 401
    other = Meeting.open(http)
    assert http.get(me, headers=other.facilitator).status_code == 401
