"""The room's rules (SPEC §1, §2, §7), run directly on the pure core: no database, no server."""

from __future__ import annotations

import copy
import string
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from app.rooms import rules, vocab
from app.rooms.models import Card, Participant, Prompt, Reply, Room
from app.rooms.rules import (
    CODE_ALPHABET,
    CODE_LENGTH,
    CardDraft,
    Emit,
    Refusal,
    accept,
    change_room,
    close_prompt,
    join,
    moderate,
    new_room_code,
    parse_room_code,
    post_card,
    push_prompt,
    reply,
    report_progress,
    set_timer,
    withdraw,
)
from app.rooms.views import (
    beneficiary_id,
    card_view,
    commitment_owner_id,
    organisation_key,
    public_card,
    public_event_data,
)

NOW = datetime(2025, 3, 4, 10, 0, tzinfo=UTC)
LATER = NOW + timedelta(minutes=5)

# SPEC §3's card JSON, plus the client_id a poster uses to recognise its own card.
# SPEC §3's card, plus client_id, and the identity choice and held-answer flag that the
# README's additions describe.
CARD_KEYS = {
    "id", "kind", "text", "status", "hidden", "spotlight", "author", "to", "reply_to",
    "prompt_id", "replies", "commitment", "created_at", "seq", "client_id",
    "identity", "answer_revealed",
}

# --- building state --------------------------------------------------------------------


def make_room(state: str = "open", **fields: Any) -> Room:
    return Room(id=1, code="K7MQ2P", title="Unemployment working group", created_at=NOW,
                facilitator_key_hash="x", organiser_key_hash="y", state=state, **fields)


def make_person(pid: int, name: str, organisation: str = "") -> Participant:
    return Participant(id=pid, room_id=1, name=name, organisation=organisation,
                       organisation_key=organisation_key(organisation),
                       token_hash=f"h{pid}", joined_at=NOW)


def make_prompt(pid: int = 7, *, self_commit: bool = False, collects: str = "any") -> Prompt:
    return Prompt(id=pid, room_id=1, text="What do you need?", collects=collects,
                  self_commit=self_commit, opened_at=NOW)


def make_card(cid: int, kind: str, author: Participant, **fields: Any) -> Card:
    fields.setdefault("text", f"{kind} {cid}")
    return Card(id=cid, room_id=1, kind=kind, author_id=author.id, client_id=f"c{cid}",
                created_at=NOW, **fields)


def sam() -> Participant:
    """A Work Programme provider."""
    return make_person(1, "Sam", "Work Programme")


def alex() -> Participant:
    """The council's welfare-rights lead."""
    return make_person(2, "Alex", "Council")


def jo() -> Participant:
    """Another council officer, who typed the organisation differently."""
    person = make_person(3, "Jo", " COUNCIL ")
    person.organisation = "Council"  # join gives the room's first spelling
    return person


def pat() -> Participant:
    return make_person(4, "Pat", "NHS Trust")


def known(*people: Participant) -> dict[str, str]:
    """The room's organisations as the service hands them over: key → first spelling."""
    found: dict[str, str] = {}
    for person in people:
        if person.organisation_key:
            found.setdefault(person.organisation_key, person.organisation)
    return found


def request_to(author: Participant, cid: int = 10, *, person: Participant | None = None,
               organisation: str | None = None) -> Card:
    card = make_card(cid, "request", author)
    if person is not None:
        card.to_participant_id = person.id
    if organisation is not None:
        card.to_organisation = organisation
        card.to_organisation_key = organisation_key(organisation)
    return card


def post(room: Room, author: Participant, kind: str, **given: Any) -> tuple[Card, list[Emit]]:
    """post_card with nothing targeted or answered unless the test says so."""
    args: dict[str, Any] = {
        "text": "What I need from you is…", "client_id": "client-1", "current": None,
        "to_participant_id": None, "to_participant": None, "to_organisation": None,
        "known_organisations": known(sam(), alex(), pat()), "reply_to_id": None,
        "reply_to": None, "now": NOW,
    }
    args.update(given)
    draft = CardDraft(client_id=args.pop("client_id"), kind=kind, text=args.pop("text"),
                      to_participant_id=args.pop("to_participant_id"),
                      to_organisation=args.pop("to_organisation"),
                      reply_to=args.pop("reply_to_id"), identity=args.pop("identity", "named"))
    return post_card(room, draft, author=author, answered=args.pop("reply_to"), **args)


def types(emits: list[Emit]) -> list[str]:
    return [emit.type for emit in emits]


@contextmanager
def refused(kind: str, code: str) -> Iterator[None]:
    with pytest.raises(Refusal) as caught:
        yield
    assert (caught.value.kind, caught.value.code) == (kind, code)
    assert caught.value.detail


# --- room codes ------------------------------------------------------------------------


def test_code_alphabet_is_digits_and_capitals_without_look_alikes() -> None:
    assert set(CODE_ALPHABET) == set(string.digits + string.ascii_uppercase) - set("0O1IL")
    assert len(set(CODE_ALPHABET)) == len(CODE_ALPHABET)


def test_new_room_codes_are_six_characters_of_the_alphabet() -> None:
    codes = {new_room_code() for _ in range(300)}
    assert CODE_LENGTH == 6
    for code in codes:
        assert len(code) == 6
        assert set(code) <= set(CODE_ALPHABET)
        assert parse_room_code(code) == code
    assert len(codes) > 290  # drawn at random, not a fixed sequence


@pytest.mark.parametrize("typed", ["K7MQ2P", "k7mq2p", "K7mQ2p", "  k7mq2p ", "\tK7MQ2P\n"])
def test_parse_room_code_ignores_case_and_surrounding_space(typed: str) -> None:
    assert parse_room_code(typed) == "K7MQ2P"


@pytest.mark.parametrize(
    "typed",
    ["", "   ", "K7MQ2", "K7MQ2PP", "K7M Q2P", "K7MQ-P", "K7MQ0P", "K7MQOP", "K7MQ1P",
     "K7MQIP", "K7MQLP", "k7mqlp", "K7MQ2É"],
)
def test_parse_room_code_refuses_wrong_length_or_characters(typed: str) -> None:
    assert parse_room_code(typed) is None


# --- organisations and joining -----------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "key"),
    [
        ("Work Programme", "work programme"),
        ("  Work Programme  ", "work programme"),
        ("WORK   programme", "work programme"),
        ("Work\tProgramme\n", "work programme"),
        ("Work\u00a0Programme", "work programme"),
        ("Straße", "strasse"),
        ("", ""),
        ("   ", ""),
    ],
)
def test_organisation_key_trims_collapses_space_and_casefolds(typed: str, key: str) -> None:
    assert organisation_key(typed) == key


def test_join_gives_a_later_participant_the_first_spelling_seen() -> None:
    room = make_room()
    person, emits = join(room, name="Jo", organisation="  council  ", token_hash="h9",
                         known_organisations=known(sam(), alex()), now=NOW)
    assert person.organisation == "Council"
    assert person.organisation_key == "council"
    assert (person.room_id, person.name, person.token_hash, person.joined_at) == (
        1, "Jo", "h9", NOW)
    assert types(emits) == ["participant.joined"]
    assert emits[0].subject is person


def test_join_with_a_new_organisation_keeps_it_as_typed_but_trimmed() -> None:
    person, _ = join(make_room(), name="Pat", organisation="  NHS Trust ", token_hash="h9",
                     known_organisations=known(sam()), now=NOW)
    assert (person.organisation, person.organisation_key) == ("NHS Trust", "nhs trust")


@pytest.mark.parametrize("organisation", ["", "   "])
def test_join_without_an_organisation_leaves_it_empty(organisation: str) -> None:
    person, emits = join(make_room(), name="Kim", organisation=organisation, token_hash="h9",
                         known_organisations=known(sam()), now=NOW)
    assert (person.organisation, person.organisation_key) == ("", "")
    assert types(emits) == ["participant.joined"]


@pytest.mark.parametrize(("state", "code"), [("locked", "room_locked"),
                                             ("closed", "room_closed")])
def test_join_is_refused_unless_the_room_is_open(state: str, code: str) -> None:
    with refused("conflict", code):
        join(make_room(state), name="Kim", organisation="", token_hash="h9",
             known_organisations={}, now=NOW)


# --- changing the room -------------------------------------------------------------------


def test_renaming_the_room_emits_room_updated() -> None:
    room = make_room()
    emits = change_room(room, state=None, title="Partnership board", purpose="Winter",
                        current=None, now=NOW)
    assert (room.title, room.purpose, room.state) == ("Partnership board", "Winter", "open")
    assert types(emits) == ["room.updated"]
    assert emits[0].subject is room


@pytest.mark.parametrize(("before", "after"), [("open", "locked"), ("locked", "open")])
def test_locking_and_unlocking_the_room(before: str, after: str) -> None:
    room = make_room(before)
    current = make_prompt()
    emits = change_room(room, state=after, title=None, purpose=None, current=current, now=NOW)
    assert room.state == after
    assert room.closed_at is None
    assert current.closed_at is None
    assert types(emits) == ["room.updated"]


def test_closing_the_room_closes_the_prompt_and_stops_the_timer() -> None:
    room = make_room("locked", timer_ends_at=LATER, timer_seconds=300)
    current = make_prompt()
    emits = change_room(room, state="closed", title=None, purpose=None, current=current,
                        now=NOW)
    assert (room.state, room.closed_at) == ("closed", NOW)
    assert current.closed_at == NOW
    assert (room.timer_ends_at, room.timer_seconds) == (None, None)
    assert types(emits) == ["room.updated", "prompt.closed", "timer.stopped"]
    assert emits[0].subject is room
    assert emits[1].subject is current


def test_closing_a_room_with_no_prompt_and_no_timer_only_updates_the_room() -> None:
    room = make_room()
    emits = change_room(room, state="closed", title=None, purpose=None, current=None, now=NOW)
    assert (room.state, room.closed_at) == ("closed", NOW)
    assert types(emits) == ["room.updated"]


@pytest.mark.parametrize(
    "change",
    [
        {"state": None, "title": None, "purpose": None},
        {"state": "open", "title": None, "purpose": None},
        {"state": None, "title": "Unemployment working group", "purpose": None},
        {"state": "open", "title": "Unemployment working group", "purpose": ""},
    ],
)
def test_a_change_that_changes_nothing_emits_nothing(change: dict[str, Any]) -> None:
    room = make_room()
    assert change_room(room, current=None, now=NOW, **change) == []
    assert (room.state, room.title, room.purpose) == ("open", "Unemployment working group", "")


@pytest.mark.parametrize(
    "change",
    [
        {"state": "open", "title": None, "purpose": None},
        {"state": "locked", "title": None, "purpose": None},
        {"state": "closed", "title": None, "purpose": None},
        {"state": None, "title": "Renamed", "purpose": None},
        {"state": None, "title": None, "purpose": "New purpose"},
    ],
)
def test_any_change_to_a_closed_room_is_refused(change: dict[str, Any]) -> None:
    room = make_room("closed", closed_at=NOW)
    with refused("conflict", "room_closed"):
        change_room(room, current=None, now=LATER, **change)
    assert (room.state, room.title, room.purpose, room.closed_at) == (
        "closed", "Unemployment working group", "", NOW)


# --- prompts and the timer ---------------------------------------------------------------


@pytest.mark.parametrize("state", ["open", "locked"])
def test_pushing_a_prompt_opens_it(state: str) -> None:
    """Prompts keep flowing in a locked room: only new cards and people are stopped."""
    prompt, emits = push_prompt(make_room(state), current=None, text="Ask the room",
                                collects="ask", library_key="ask-the-room", duration_s=600,
                                self_commit=False, now=NOW)
    assert (prompt.room_id, prompt.text, prompt.collects, prompt.library_key) == (
        1, "Ask the room", "ask", "ask-the-room")
    assert (prompt.duration_s, prompt.self_commit, prompt.opened_at, prompt.closed_at) == (
        600, False, NOW, None)
    assert types(emits) == ["prompt.opened"]
    assert emits[0].subject is prompt


def test_pushing_a_prompt_closes_the_previous_one_first() -> None:
    previous = make_prompt()
    prompt, emits = push_prompt(make_room(), current=previous, text="Offers", collects="offer",
                                library_key=None, duration_s=None, self_commit=True, now=LATER)
    assert previous.closed_at == LATER
    assert prompt.closed_at is None
    assert prompt.self_commit is True
    assert types(emits) == ["prompt.closed", "prompt.opened"]
    assert [emit.subject for emit in emits] == [previous, prompt]


def test_pushing_a_prompt_in_a_closed_room_is_refused() -> None:
    previous = make_prompt()
    with refused("conflict", "room_closed"):
        push_prompt(make_room("closed"), current=previous, text="Late", collects="any",
                    library_key=None, duration_s=None, self_commit=False, now=NOW)
    assert previous.closed_at is None


def test_closing_the_current_prompt() -> None:
    current = make_prompt()
    emits = close_prompt(make_room(), current=current, now=LATER)
    assert current.closed_at == LATER
    assert types(emits) == ["prompt.closed"]
    assert emits[0].subject is current


def test_closing_when_no_prompt_is_current_is_refused() -> None:
    with refused("conflict", "no_current_prompt"):
        close_prompt(make_room(), current=None, now=NOW)


@pytest.mark.parametrize("state", ["open", "locked"])
def test_starting_the_timer(state: str) -> None:
    room = make_room(state)
    emits = set_timer(room, 300, NOW)
    assert (room.timer_ends_at, room.timer_seconds) == (NOW + timedelta(seconds=300), 300)
    assert types(emits) == ["timer.started"]


def test_restarting_the_timer_replaces_the_running_one() -> None:
    room = make_room(timer_ends_at=LATER, timer_seconds=300)
    emits = set_timer(room, 60, NOW)
    assert (room.timer_ends_at, room.timer_seconds) == (NOW + timedelta(seconds=60), 60)
    assert types(emits) == ["timer.started"]


def test_stopping_the_timer() -> None:
    room = make_room(timer_ends_at=LATER, timer_seconds=300)
    emits = set_timer(room, 0, NOW)
    assert (room.timer_ends_at, room.timer_seconds) == (None, None)
    assert types(emits) == ["timer.stopped"]


def test_stopping_a_timer_that_is_not_running_emits_nothing() -> None:
    room = make_room()
    assert set_timer(room, 0, NOW) == []
    assert room.timer_ends_at is None


@pytest.mark.parametrize("seconds", [0, 60])
def test_the_timer_of_a_closed_room_cannot_be_set(seconds: int) -> None:
    room = make_room("closed")
    with refused("conflict", "room_closed"):
        set_timer(room, seconds, NOW)
    assert room.timer_ends_at is None


# --- posting cards -----------------------------------------------------------------------


def test_posting_a_request_to_a_person() -> None:
    author, target, current = sam(), alex(), make_prompt()
    card, emits = post(make_room(), author, "request", current=current,
                       to_participant_id=target.id, to_participant=target,
                       text="Mention the value of trying to get a job")
    assert (card.room_id, card.kind, card.author_id, card.client_id) == (
        1, "request", author.id, "client-1")
    assert card.text == "Mention the value of trying to get a job"
    assert (card.to_participant_id, card.to_organisation, card.to_organisation_key) == (
        target.id, None, None)
    assert (card.prompt_id, card.status, card.created_at, card.reply_to) == (
        current.id, "open", NOW, None)
    assert (card.hidden, card.spotlight, card.self_commit) == (False, False, False)
    assert types(emits) == ["card.created"]
    assert emits[0].subject is card


def test_a_card_posted_with_no_current_prompt_has_no_prompt_id() -> None:
    card, _ = post(make_room(), sam(), "ask")
    assert card.prompt_id is None


@pytest.mark.parametrize("typed", ["Council", "council", "  COUNCIL ", "Council\u00a0"])
def test_a_request_to_an_organisation_takes_the_rooms_spelling(typed: str) -> None:
    card, emits = post(make_room(), sam(), "request", to_organisation=typed)
    assert (card.to_organisation, card.to_organisation_key) == ("Council", "council")
    assert card.to_participant_id is None
    assert types(emits) == ["card.created"]


def test_a_request_to_a_person_and_an_organisation_keeps_both() -> None:
    target = alex()
    card, _ = post(make_room(), sam(), "request", to_participant_id=target.id,
                   to_participant=target, to_organisation="NHS Trust")
    assert (card.to_participant_id, card.to_organisation) == (target.id, "NHS Trust")


def test_a_request_with_no_target_is_refused() -> None:
    with refused("invalid", "request_needs_target"):
        post(make_room(), sam(), "request")


def test_a_request_to_someone_not_in_the_room_is_refused() -> None:
    """The service passes None for a target it did not find in this room (e.g. another room's)."""
    with refused("invalid", "unknown_participant"):
        post(make_room(), sam(), "request", to_participant_id=99, to_participant=None)


def test_a_request_to_oneself_is_refused() -> None:
    author = sam()
    with refused("invalid", "request_to_self"):
        post(make_room(), author, "request", to_participant_id=author.id,
             to_participant=sam())


@pytest.mark.parametrize("organisation", ["Police", "", "   "])
def test_a_request_to_an_organisation_not_in_the_room_is_refused(organisation: str) -> None:
    with refused("invalid", "unknown_organisation"):
        post(make_room(), sam(), "request", to_organisation=organisation)


@pytest.mark.parametrize("kind", ["ask", "offer"])
@pytest.mark.parametrize(
    "target",
    [{"to_participant_id": 2, "to_participant": alex()}, {"to_organisation": "Council"}],
    ids=["person", "organisation"],
)
def test_an_ask_or_offer_with_a_target_is_refused(kind: str, target: dict[str, Any]) -> None:
    with refused("invalid", "target_not_allowed"):
        post(make_room(), sam(), kind, **target)


@pytest.mark.parametrize("kind", ["request", "ask"])
def test_only_an_offer_may_reply_to_a_card(kind: str) -> None:
    ask = make_card(20, "ask", pat())
    target = {"to_organisation": "Council"} if kind == "request" else {}
    with refused("invalid", "reply_to_not_allowed"):
        post(make_room(), sam(), kind, reply_to_id=ask.id, reply_to=ask, **target)


@pytest.mark.parametrize("answered_kind", ["ask", "request"])
def test_an_offer_may_reply_to_an_ask_or_a_request(answered_kind: str) -> None:
    answered = make_card(20, answered_kind, pat())
    card, emits = post(make_room(), sam(), "offer", reply_to_id=answered.id,
                       reply_to=answered)
    assert (card.kind, card.reply_to, card.status) == ("offer", 20, "open")
    assert types(emits) == ["card.created"]


def test_an_offer_replying_to_an_unknown_card_is_refused() -> None:
    with refused("invalid", "unknown_card"):
        post(make_room(), sam(), "offer", reply_to_id=99, reply_to=None)


def test_an_offer_replying_to_another_offer_is_refused() -> None:
    other = make_card(20, "offer", pat())
    with refused("invalid", "reply_to_not_ask_or_request"):
        post(make_room(), sam(), "offer", reply_to_id=other.id, reply_to=other)


def test_an_offer_replying_to_a_withdrawn_card_is_refused() -> None:
    ask = make_card(20, "ask", pat(), status="withdrawn")
    with refused("conflict", "card_withdrawn"):
        post(make_room(), sam(), "offer", reply_to_id=ask.id, reply_to=ask)


def test_an_offer_under_a_self_commit_prompt_is_a_commitment_from_the_start() -> None:
    author = sam()
    card, _ = post(make_room(), author, "offer", current=make_prompt(self_commit=True))
    assert card.self_commit is True
    assert commitment_owner_id(card, None) == author.id


@pytest.mark.parametrize(
    ("kind", "self_commit_prompt"),
    [("offer", False), ("offer", None), ("ask", True), ("request", True)],
)
def test_other_cards_are_not_commitments_when_posted(
    kind: str, self_commit_prompt: bool | None
) -> None:
    current = None if self_commit_prompt is None else make_prompt(self_commit=self_commit_prompt)
    target = {"to_organisation": "Council"} if kind == "request" else {}
    card, _ = post(make_room(), sam(), kind, current=current, **target)
    assert card.self_commit is False
    assert commitment_owner_id(card, None) is None


@pytest.mark.parametrize(("state", "code"), [("locked", "room_locked"),
                                             ("closed", "room_closed")])
@pytest.mark.parametrize("kind", ["request", "ask", "offer"])
def test_posting_is_refused_unless_the_room_is_open(kind: str, state: str, code: str) -> None:
    target = {"to_organisation": "Council"} if kind == "request" else {}
    with refused("conflict", code):
        post(make_room(state), sam(), kind, **target)


# --- replying to requests ----------------------------------------------------------------


@pytest.mark.parametrize("answer", ["yes", "no", "try", "unclear"])
def test_the_person_asked_replies(answer: str) -> None:
    author, target = sam(), alex()
    request = request_to(author, person=target)
    answer_row, emits = reply(make_room(), request, by=target, answer=answer,
                              note="You are right.", now=LATER)
    assert request.status == answer
    assert (answer_row.card_id, answer_row.by_id, answer_row.answer) == (
        request.id, target.id, answer)
    assert (answer_row.note, answer_row.at) == ("You are right.", LATER)
    assert types(emits) == ["card.updated"]
    assert emits[0].subject is request


@pytest.mark.parametrize("replier", [alex, jo], ids=["alex", "jo"])
def test_anyone_of_the_organisation_asked_may_reply(replier: Any) -> None:
    request = request_to(sam(), organisation="council")
    answer_row, emits = reply(make_room(), request, by=replier(), answer="yes", note="",
                              now=NOW)
    assert request.status == "yes"
    assert answer_row.by_id == replier().id
    assert types(emits) == ["card.updated"]


def test_a_request_to_a_person_and_an_organisation_may_be_answered_by_either() -> None:
    request = request_to(sam(), person=pat(), organisation="Council")
    reply(make_room(), request, by=pat(), answer="try", note="", now=NOW)
    reply(make_room(), request, by=jo(), answer="yes", note="", now=NOW)
    assert request.status == "yes"


@pytest.mark.parametrize(
    ("target", "replier"),
    [
        ({"person": alex()}, jo()),  # same organisation, but the request named a person
        ({"person": alex()}, sam()),  # the requester is not the one asked
        ({"organisation": "Council"}, pat()),
        ({"person": alex()}, make_person(5, "Kim")),  # no organisation matches no request
        ({"organisation": "Council"}, make_person(5, "Kim")),
        ({"person": alex(), "organisation": ""}, make_person(5, "Kim")),
    ],
    ids=["colleague-of-person", "requester", "other-organisation", "no-org-person",
         "no-org-organisation", "empty-organisation-key"],
)
def test_reply_by_someone_not_asked_is_refused(
    target: dict[str, Any], replier: Participant
) -> None:
    """An empty organisation key on a request must not match everyone without one."""
    request = request_to(sam(), **target)
    with refused("forbidden", "not_asked"):
        reply(make_room(), request, by=replier, answer="yes", note="", now=NOW)
    assert request.status == "open"


@pytest.mark.parametrize("kind", ["ask", "offer"])
def test_only_a_request_can_be_answered(kind: str) -> None:
    card = make_card(10, kind, sam())
    with refused("invalid", "not_a_request"):
        reply(make_room(), card, by=alex(), answer="yes", note="", now=NOW)
    assert card.status == "open"


def test_a_withdrawn_request_cannot_be_answered() -> None:
    request = request_to(sam(), person=alex())
    request.status = "withdrawn"
    with refused("conflict", "card_withdrawn"):
        reply(make_room(), request, by=alex(), answer="yes", note="", now=NOW)
    assert request.status == "withdrawn"


def test_replies_still_flow_in_a_locked_room() -> None:
    request = request_to(sam(), person=alex())
    _, emits = reply(make_room("locked"), request, by=alex(), answer="no", note="", now=NOW)
    assert request.status == "no"
    assert types(emits) == ["card.updated"]


def test_a_reply_in_a_closed_room_is_refused() -> None:
    request = request_to(sam(), person=alex())
    with refused("conflict", "room_closed"):
        reply(make_room("closed"), request, by=alex(), answer="yes", note="", now=NOW)
    assert request.status == "open"


def test_a_requests_status_is_its_latest_answer() -> None:
    room, request = make_room(), request_to(sam(), organisation="Council")
    history = []
    for by, answer in [(alex(), "unclear"), (jo(), "yes"), (alex(), "no")]:
        answer_row, _ = reply(room, request, by=by, answer=answer, note="", now=NOW)
        history.append(answer_row)
        assert request.status == answer
    assert commitment_owner_id(request, history[-1]) is None
    assert commitment_owner_id(request, history[1]) is None  # status says no now
    again, _ = reply(room, request, by=jo(), answer="try", note="", now=LATER)
    assert commitment_owner_id(request, again) == jo().id


# --- accepting offers --------------------------------------------------------------------


@pytest.mark.parametrize("state", ["open", "locked"])
@pytest.mark.parametrize("answered_kind", ["ask", "request"])
def test_the_asker_accepts_an_offer_and_it_becomes_a_commitment(
    answered_kind: str, state: str
) -> None:
    asker, helper = pat(), sam()
    answered = make_card(20, answered_kind, asker)
    offer = make_card(21, "offer", helper, reply_to=answered.id)
    emits = accept(make_room(state), offer, answered=answered, by=asker)
    assert offer.status == "accepted"
    assert types(emits) == ["card.updated"]
    assert emits[0].subject is offer
    assert commitment_owner_id(offer, None) == helper.id
    assert beneficiary_id(offer, answered) == asker.id


@pytest.mark.parametrize("by", [sam, alex], ids=["offer-author", "bystander"])
def test_accepting_an_offer_to_someone_elses_card_is_refused(by: Any) -> None:
    answered = make_card(20, "ask", pat())
    offer = make_card(21, "offer", sam(), reply_to=answered.id)
    with refused("forbidden", "not_your_card"):
        accept(make_room(), offer, answered=answered, by=by())
    assert offer.status == "open"


def test_accepting_an_offer_that_answers_nothing_is_refused() -> None:
    offer = make_card(21, "offer", sam())
    with refused("invalid", "offer_answers_nothing"):
        accept(make_room(), offer, answered=None, by=pat())
    assert offer.status == "open"


@pytest.mark.parametrize("kind", ["ask", "request"])
def test_only_an_offer_can_be_accepted(kind: str) -> None:
    answered = make_card(20, "ask", pat())
    card = make_card(21, kind, sam(), reply_to=answered.id)
    with refused("invalid", "not_an_offer"):
        accept(make_room(), card, answered=answered, by=pat())
    assert card.status == "open"


def test_accepting_a_withdrawn_offer_is_refused() -> None:
    answered = make_card(20, "ask", pat())
    offer = make_card(21, "offer", sam(), reply_to=answered.id, status="withdrawn")
    with refused("conflict", "card_withdrawn"):
        accept(make_room(), offer, answered=answered, by=pat())
    assert offer.status == "withdrawn"


def test_accepting_an_offer_twice_emits_nothing_the_second_time() -> None:
    answered = make_card(20, "ask", pat())
    offer = make_card(21, "offer", sam(), reply_to=answered.id)
    assert types(accept(make_room(), offer, answered=answered, by=pat())) == ["card.updated"]
    assert accept(make_room(), offer, answered=answered, by=pat()) == []
    assert offer.status == "accepted"


def test_accepting_in_a_closed_room_is_refused() -> None:
    answered = make_card(20, "ask", pat())
    offer = make_card(21, "offer", sam(), reply_to=answered.id)
    with refused("conflict", "room_closed"):
        accept(make_room("closed"), offer, answered=answered, by=pat())
    assert offer.status == "open"


# --- withdrawing -------------------------------------------------------------------------


@pytest.mark.parametrize("state", ["open", "locked"])
@pytest.mark.parametrize(("kind", "status"), [("request", "open"), ("request", "yes"),
                                              ("ask", "open"), ("offer", "accepted")])
def test_the_author_withdraws_a_card(kind: str, status: str, state: str) -> None:
    card = make_card(10, kind, sam(), status=status)
    emits = withdraw(make_room(state), card, by=sam())
    assert card.status == "withdrawn"
    assert types(emits) == ["card.updated"]
    assert emits[0].subject is card
    assert commitment_owner_id(card, None) is None


def test_withdrawing_a_spotlit_card_takes_it_out_of_the_spotlight() -> None:
    card = make_card(10, "ask", sam(), spotlight=True)
    withdraw(make_room(), card, by=sam())
    assert (card.status, card.spotlight) == ("withdrawn", False)


@pytest.mark.parametrize("by", [alex, pat], ids=["the-person-asked", "bystander"])
def test_withdrawing_someone_elses_card_is_refused(by: Any) -> None:
    card = request_to(sam(), person=alex())
    with refused("forbidden", "not_your_card"):
        withdraw(make_room(), card, by=by())
    assert card.status == "open"


def test_withdrawing_twice_emits_nothing_the_second_time() -> None:
    card = make_card(10, "ask", sam())
    assert types(withdraw(make_room(), card, by=sam())) == ["card.updated"]
    assert withdraw(make_room(), card, by=sam()) == []
    assert card.status == "withdrawn"


def test_withdrawing_in_a_closed_room_is_refused() -> None:
    card = make_card(10, "ask", sam())
    with refused("conflict", "room_closed"):
        withdraw(make_room("closed"), card, by=sam())
    assert card.status == "open"


# --- commitments -------------------------------------------------------------------------


def _answered(status: str) -> tuple[Card, Reply | None]:
    request = request_to(sam(), organisation="Council")
    request.status = status
    latest = None if status == "open" else Reply(card_id=10, by_id=jo().id, answer=status,
                                                 at=NOW)
    return request, latest


@pytest.mark.parametrize(("status", "owner"), [("yes", 3), ("try", 3), ("no", None),
                                               ("unclear", None), ("open", None)])
def test_a_request_is_a_commitment_of_the_replier_when_the_answer_is_yes_or_try(
    status: str, owner: int | None
) -> None:
    request, latest = _answered(status)
    assert commitment_owner_id(request, latest) == owner


def test_a_withdrawn_request_is_no_commitment_even_after_a_yes() -> None:
    request, latest = _answered("yes")
    request.status = "withdrawn"
    assert commitment_owner_id(request, latest) is None


@pytest.mark.parametrize(
    ("card", "owner"),
    [
        (make_card(21, "offer", sam(), reply_to=20, status="accepted"), 1),
        (make_card(21, "offer", sam(), self_commit=True), 1),
        (make_card(21, "offer", sam(), reply_to=20), None),
        (make_card(21, "offer", sam()), None),
        (make_card(21, "offer", sam(), reply_to=20, status="withdrawn"), None),
        (make_card(21, "offer", sam(), self_commit=True, status="withdrawn"), None),
        (make_card(21, "ask", sam()), None),
    ],
    ids=["accepted", "self-commit", "open", "unanswering", "withdrawn-accepted",
         "withdrawn-self-commit", "ask"],
)
def test_an_offer_is_a_commitment_of_its_author_when_accepted_or_self_committed(
    card: Card, owner: int | None
) -> None:
    assert commitment_owner_id(card, None) == owner


def test_a_commitment_is_for_the_requester_or_the_author_of_what_the_offer_answers() -> None:
    request, _ = _answered("yes")
    assert beneficiary_id(request, None) == sam().id
    ask = make_card(20, "ask", pat())
    offer = make_card(21, "offer", sam(), reply_to=20, status="accepted")
    assert beneficiary_id(offer, ask) == pat().id
    assert beneficiary_id(make_card(22, "offer", sam(), self_commit=True), None) is None


def _progress(card: Card, by: Participant, answered: Card | None = None,
              latest: Reply | None = None) -> list[Emit]:
    return report_progress(card, owner_id=commitment_owner_id(card, latest),
                           beneficiary=beneficiary_id(card, answered), by=by,
                           progress="in_progress", note="Remit rewritten", now=LATER)


@pytest.mark.parametrize("by", [jo, sam], ids=["owner", "requester"])
def test_the_owner_or_the_requester_reports_progress(by: Any) -> None:
    request, latest = _answered("yes")
    emits = _progress(request, by(), latest=latest)
    assert (request.progress, request.progress_note, request.progress_updated_at) == (
        "in_progress", "Remit rewritten", LATER)
    assert types(emits) == ["card.updated"]
    assert emits[0].subject is request


@pytest.mark.parametrize("by", [sam, pat], ids=["offerer", "asker"])
def test_the_offerer_or_the_asker_reports_progress_on_an_accepted_offer(by: Any) -> None:
    ask = make_card(20, "ask", pat())
    offer = make_card(21, "offer", sam(), reply_to=20, status="accepted")
    assert types(_progress(offer, by(), answered=ask)) == ["card.updated"]
    assert offer.progress == "in_progress"


@pytest.mark.parametrize("by", [alex, pat], ids=["colleague-of-owner", "bystander"])
def test_progress_by_anyone_else_is_refused(by: Any) -> None:
    request, latest = _answered("yes")
    with refused("forbidden", "not_your_commitment"):
        _progress(request, by(), latest=latest)
    assert (request.progress, request.progress_updated_at) == ("not_started", None)


@pytest.mark.parametrize("status", ["open", "no", "unclear", "withdrawn"])
def test_progress_on_what_is_not_a_commitment_is_refused(status: str) -> None:
    request, latest = _answered("yes" if status == "withdrawn" else status)
    request.status = status
    with refused("conflict", "not_a_commitment"):
        _progress(request, sam(), latest=latest)
    assert request.progress == "not_started"


def test_progress_is_still_reported_after_the_room_is_closed() -> None:
    room, request = make_room(), request_to(sam(), person=alex())
    latest, _ = reply(room, request, by=alex(), answer="yes", note="", now=NOW)
    change_room(room, state="closed", title=None, purpose=None, current=None, now=NOW)
    assert types(_progress(request, alex(), latest=latest)) == ["card.updated"]
    assert request.progress == "in_progress"


# --- moderation --------------------------------------------------------------------------


@pytest.mark.parametrize("state", ["open", "locked"])
def test_hiding_a_card(state: str) -> None:
    card = make_card(10, "ask", sam())
    emits = moderate(make_room(state), card, hidden=True, spotlight=None, spotlit=[])
    assert (card.hidden, card.spotlight) == (True, False)
    assert types(emits) == ["card.updated"]
    assert emits[0].subject is card


def test_hiding_a_spotlit_card_takes_it_out_of_the_spotlight() -> None:
    card = make_card(10, "ask", sam(), spotlight=True)
    emits = moderate(make_room(), card, hidden=True, spotlight=None, spotlit=[card])
    assert (card.hidden, card.spotlight) == (True, False)
    assert types(emits) == ["card.updated"]


def test_unhiding_a_card() -> None:
    card = make_card(10, "ask", sam(), hidden=True)
    emits = moderate(make_room(), card, hidden=False, spotlight=None, spotlit=[])
    assert card.hidden is False
    assert types(emits) == ["card.updated"]


@pytest.mark.parametrize(
    ("fields", "hidden", "spotlight"),
    [({"hidden": True}, True, None), ({}, False, None), ({"spotlight": True}, None, True),
     ({}, None, False), ({}, None, None)],
)
def test_moderation_that_changes_nothing_emits_nothing(
    fields: dict[str, Any], hidden: bool | None, spotlight: bool | None
) -> None:
    card = make_card(10, "ask", sam(), **fields)
    spotlit = [card] if card.spotlight else []
    assert moderate(make_room(), card, hidden=hidden, spotlight=spotlight,
                    spotlit=spotlit) == []


def test_spotlighting_a_card() -> None:
    card = make_card(10, "ask", sam())
    emits = moderate(make_room(), card, hidden=None, spotlight=True, spotlit=[])
    assert card.spotlight is True
    assert types(emits) == ["card.updated"]
    assert emits[0].subject is card


def test_the_spotlight_holds_one_card_at_a_time() -> None:
    before = make_card(10, "ask", pat(), spotlight=True)
    card = make_card(11, "ask", sam())
    emits = moderate(make_room(), card, hidden=None, spotlight=True, spotlit=[before])
    assert (before.spotlight, card.spotlight) == (False, True)
    assert types(emits) == ["card.updated", "card.updated"]
    assert {id(emit.subject) for emit in emits} == {id(before), id(card)}


def test_taking_a_card_out_of_the_spotlight() -> None:
    card = make_card(10, "ask", sam(), spotlight=True)
    emits = moderate(make_room(), card, hidden=None, spotlight=False, spotlit=[card])
    assert card.spotlight is False
    assert types(emits) == ["card.updated"]


@pytest.mark.parametrize("hidden", [None, True])
def test_a_hidden_card_cannot_be_spotlighted(hidden: bool | None) -> None:
    card = make_card(10, "ask", sam(), hidden=True)
    other = make_card(11, "ask", pat(), spotlight=True)
    with refused("conflict", "card_hidden"):
        moderate(make_room(), card, hidden=hidden, spotlight=True, spotlit=[other])
    assert (card.spotlight, other.spotlight) == (False, True)


def test_a_withdrawn_card_cannot_be_spotlighted() -> None:
    card = make_card(10, "ask", sam(), status="withdrawn")
    with refused("conflict", "card_withdrawn"):
        moderate(make_room(), card, hidden=None, spotlight=True, spotlit=[])
    assert card.spotlight is False


@pytest.mark.parametrize(("hidden", "spotlight"), [(True, None), (None, True), (None, False)])
def test_moderating_in_a_closed_room_is_refused(
    hidden: bool | None, spotlight: bool | None
) -> None:
    card = make_card(10, "ask", sam(), spotlight=spotlight is False)
    with refused("conflict", "room_closed"):
        moderate(make_room("closed"), card, hidden=hidden, spotlight=spotlight, spotlit=[])
    assert (card.hidden, card.spotlight) == (False, spotlight is False)


# --- views -------------------------------------------------------------------------------


PEOPLE = {p.id: p for p in (sam(), alex(), jo(), pat())}
HIDDEN_10 = {"card": {"id": 10, "hidden": True}}


def _person_json(person: Participant) -> dict[str, Any]:
    return {"id": person.id, "name": person.name, "organisation": person.organisation}


@pytest.mark.parametrize("kind", ["request", "ask", "offer"])
def test_card_view_has_the_keys_of_the_spec_and_the_client_id(kind: str) -> None:
    card = request_to(sam(), person=alex()) if kind == "request" else make_card(10, kind, sam())
    view = card_view(card, [], PEOPLE)
    assert set(view) == CARD_KEYS
    assert view["author"] == _person_json(sam())
    assert (view["id"], view["kind"], view["status"], view["client_id"]) == (
        10, kind, "open", "c10")
    assert view["created_at"] == "2025-03-04T10:00:00.000Z"
    assert (view["replies"], view["commitment"]) == ([], None)


@pytest.mark.parametrize("kind", ["ask", "offer"])
def test_card_view_has_no_target_for_asks_and_offers(kind: str) -> None:
    assert card_view(make_card(10, kind, sam()), [], PEOPLE)["to"] is None


def test_card_view_of_a_request_names_whom_it_asks() -> None:
    view = card_view(request_to(sam(), person=alex(), organisation="Council"), [], PEOPLE)
    assert view["to"] == {"participant": _person_json(alex()), "organisation": "Council"}
    view = card_view(request_to(sam(), organisation="Council"), [], PEOPLE)
    assert view["to"] == {"participant": None, "organisation": "Council"}


def test_card_view_of_a_request_answered_yes_shows_the_commitment_and_its_owner() -> None:
    request = request_to(sam(), organisation="Council")
    first, _ = reply(make_room(), request, by=alex(), answer="unclear", note="Which team?",
                     now=NOW)
    second, _ = reply(make_room(), request, by=jo(), answer="yes", note="I will.", now=LATER)
    view = card_view(request, [first, second], PEOPLE)
    assert view["status"] == "yes"
    assert [(r["answer"], r["note"], r["by"]) for r in view["replies"]] == [
        ("unclear", "Which team?", _person_json(alex())),
        ("yes", "I will.", _person_json(jo())),
    ]
    assert view["replies"][1]["at"] == "2025-03-04T10:05:00.000Z"
    assert view["commitment"] == {"owner": _person_json(jo()), "progress": "not_started",
                                  "note": "", "updated_at": None, "updated_by": None,
                                  "updated_by_shown": "named"}


def test_public_event_data_hides_the_text_of_a_hidden_card() -> None:
    card = make_card(10, "ask", sam(), hidden=True, text="Something unkind")
    data = {"card": card_view(card, [], PEOPLE)}
    assert public_event_data("card.updated", data, hidden_now=True) == HIDDEN_10
    assert public_event_data("card.updated", data, hidden_now=False) == HIDDEN_10


def test_public_event_data_hides_a_card_hidden_since_the_event() -> None:
    """An event recorded while the card was visible, replayed after it was hidden."""
    data = {"card": card_view(make_card(10, "ask", sam(), text="Something unkind"), [], PEOPLE)}
    assert public_event_data("card.updated", data, hidden_now=True) == HIDDEN_10


@pytest.mark.parametrize(
    "data",
    [
        {"card": card_view(make_card(10, "ask", sam()), [], PEOPLE)},
        {"participant": _person_json(sam())},
        {"timer": None},
        {"room": {"code": "K7MQ2P", "title": "t"}},
    ],
    ids=["visible-card", "participant", "timer", "room"],
)
def test_public_event_data_leaves_everything_else_untouched(data: dict[str, Any]) -> None:
    expected = copy.deepcopy(data)
    if "card" in expected:  # but for the client id: the author's business (issue 12)
        del expected["card"]["client_id"]
    assert public_event_data("card.updated", data, hidden_now=False) == expected


def test_no_public_view_carries_the_client_id_but_the_authors_own() -> None:
    """A readable client id ("sam-1") would name the author of an anonymous card."""
    card = card_view(make_card(10, "ask", sam(), identity="anonymous"),
                     [], PEOPLE)
    assert "client_id" not in public_card(card)
    assert "client_id" not in public_card(card, viewer=alex().id)
    assert "client_id" not in public_event_data("card.created", {"card": card},
                                                hidden_now=False)["card"]
    assert public_card(card, viewer=sam().id)["client_id"] == "c10"


def test_a_withdrawn_card_is_a_stub_in_every_public_event_of_it() -> None:
    """Withdrawn is off every public surface, as hidden is: the withdrawal itself says
    only that; earlier events replayed after it carry no text (issue 12)."""
    gone = {"card": card_view(make_card(10, "ask", sam(), status="withdrawn",
                                        text="Never mind"), [], PEOPLE)}
    assert public_event_data("card.updated", gone, hidden_now=False) == {
        "card": {"id": 10, "status": "withdrawn"}}
    earlier = {"card": card_view(make_card(10, "ask", sam(), text="Never mind"), [], PEOPLE)}
    assert public_event_data("card.created", earlier, hidden_now=True) == HIDDEN_10


def test_a_held_answer_is_no_ones_commitment_yet() -> None:
    """While held, progress is refused alike whatever was answered and whoever asks, the
    one who answered included: a public card.updated would tell the room it was a yes."""
    for answer in vocab.ANSWERS:
        request = request_to(sam(), person=alex())
        latest, _ = reply(make_room(answers_held=True), request, by=alex(), answer=answer,
                          note="", now=NOW)
        for who in (sam(), alex(), jo()):
            with refused("conflict", "not_a_commitment"):
                report_progress(request, owner_id=commitment_owner_id(request, latest),
                                beneficiary=sam().id, by=who, progress="done", note="",
                                now=NOW)
        assert request.progress == "not_started"


def test_answering_or_accepting_a_withdrawn_card_is_refused_alike_whatever_its_kind() -> None:
    """A card off the board must not tell its kind through the refusal."""
    for kind in vocab.CARD_KINDS:
        gone = make_card(20, kind, pat(), status="withdrawn")
        with refused("conflict", "card_withdrawn"):
            reply(make_room(), gone, by=alex(), answer="yes", note="", now=NOW)
        with refused("conflict", "card_withdrawn"):
            accept(make_room(), gone, answered=None, by=sam())


def test_an_offer_to_a_withdrawn_card_is_refused_alike_whatever_its_kind() -> None:
    """A card off the board must not tell its kind through the refusal."""
    for kind in ("ask", "offer"):
        gone = make_card(20, kind, pat(), status="withdrawn")
        with refused("conflict", "card_withdrawn"):
            post_card(make_room(), CardDraft(client_id="x", kind="offer", text="I can",
                                             reply_to=20),
                      author=sam(), current=None, to_participant=None, known_organisations={},
                      answered=gone, now=NOW)


def test_a_request_takes_at_most_twenty_answers() -> None:
    """Each card event carries every answer: the bound keeps those events small."""
    request = request_to(sam(), person=alex())
    reply(make_room(), request, by=alex(), answer="no", note="", now=NOW, answered_before=19)
    assert request.status == "no"
    with refused("conflict", "too_many_answers"):
        reply(make_room(), request, by=alex(), answer="yes", note="", now=NOW,
              answered_before=20)
    assert request.status == "no"


def test_a_held_answer_is_not_revealed_until_the_facilitator_says() -> None:
    room = make_room()
    room.answers_held = True
    request = request_to(sam(), person=alex())
    reply(room, request, by=alex(), answer="yes", note="", now=NOW)
    assert (request.status, request.answer_revealed) == ("yes", False)
    assert [e.type for e in rules.reveal(room, [request])] == ["card.updated"]
    assert request.answer_revealed
    assert rules.reveal(room, [request]) == []
