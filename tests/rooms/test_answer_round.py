"""The answer round of What I Need From You (issue 6, part 3) against a real server: while
the facilitator holds answers, the people asked answer on their phones but the room sees
only "answered" — no answer, no note, no commitment, in the API, the log, snapshots and
live frames — until Reveal shows them, one request at a time or all at once. Letting go
of the hold, or closing the room, reveals them too."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from typing import Any

import httpx
import pytest

from tests.meeting import Meeting, Person
from tests.server import Server
from tests.stream import Frame, open_stream

JSONish = dict[str, Any]

# Words only the answers carry: none may reach the public before the reveal.
YES_NOTE = "I will rewrite the Zanzibar remit by Friday"
NO_NOTE = "Not while the Quokka budget is frozen"
ANSWER_MARKERS = ['"answer":', '"status":"yes"', '"status":"no"', '"note":"I will',
                  '"note":"Not while', YES_NOTE, NO_NOTE]


@dataclass
class Round:
    meeting: Meeting
    requester: Person
    welfare: Person  # asked the first request, answers yes
    health: Person  # asked the second, answers no
    first: JSONish
    second: JSONish


def hold(m: Meeting, held: bool = True) -> JSONish:
    response = m.http.patch(m.url(), json={"answers_held": held}, headers=m.facilitator)
    assert response.status_code == 200, response.text
    assert response.json()["answers_held"] is held
    return response.json()  # type: ignore[no-any-return]


def set_up(http: httpx.Client) -> Round:
    m = Meeting.open(http, "Unemployment working group")
    requester = m.join("Petra Provider", "Work Programme")
    welfare = m.join("Wendy Rights", "Council")
    health = m.join("Hari Health", "NHS")
    m.push(library_key="winfy")
    first = m.card(requester, "request", "Mention the value of work in your advice",
                   to_participant_id=welfare.id)
    second = m.card(requester, "request", "Share discharge data every week",
                    to_organisation="nhs")
    return Round(m, requester, welfare, health, first, second)


def answer(r: Round) -> None:
    """Both requests are answered: yes with a note, and no."""
    yes = r.meeting.act(r.welfare, r.first["id"], "reply", answer="yes", note=YES_NOTE)
    assert yes.status_code == 200, yes.text
    no = r.meeting.act(r.health, r.second["id"], "reply", answer="no", note=NO_NOTE)
    assert no.status_code == 200, no.text
    # The one who answered gets their own answer back.
    assert yes.json()["status"] == "yes" and yes.json()["replies"][0]["note"] == YES_NOTE
    assert no.json()["status"] == "no"


def public_cards(m: Meeting, headers: dict[str, str] | None = None) -> dict[int, JSONish]:
    response = m.http.get(m.url("/cards"), headers=headers or {})
    assert response.status_code == 200, response.text
    return {c["id"]: c for c in response.json()}


def assert_held(card: JSONish) -> None:
    """A held answer as the room sees it: answered, and nothing of the answer."""
    assert card["status"] == "answered", card
    assert card["replies"] == [], card
    assert card["commitment"] is None, card
    assert card["answer_revealed"] is False, card


def assert_no_answer_in(text: str, where: str) -> None:
    compact = text.replace(": ", ":").replace(", ", ",")
    for marker in ANSWER_MARKERS:
        assert marker not in compact, f"{marker!r} leaked before the reveal in {where}"


def room_seq(m: Meeting) -> int:
    return int(m.http.get(m.url()).json()["seq"])


def card_frames(frames: list[Frame], card_id: int) -> list[JSONish]:
    return [f["data"]["card"] for f in frames
            if f["type"] == "event" and f["data"].get("card", {}).get("id") == card_id]


# --- held --------------------------------------------------------------------------------


async def test_held_answers_never_reach_the_public_before_reveal(server: Server) -> None:
    with httpx.Client(base_url=server.url, timeout=10) as http:
        r = await asyncio.to_thread(set_up, http)
        m = r.meeting
        await asyncio.to_thread(hold, m)
        async with open_stream(server, m.code) as public, \
                open_stream(server, m.code, key=m.facilitator_key) as staff:
            await public.snapshot()
            await staff.snapshot()  # the private one, after auth
            public.raw.clear()
            await asyncio.to_thread(answer, r)
            last = await asyncio.to_thread(room_seq, m)
            live = await public.events_through(last)
            private = await staff.events_through(last)

        # Live public frames: "answered", nothing more.
        assert_no_answer_in("".join(public.raw), "live public frames")
        for card_id in (r.first["id"], r.second["id"]):
            updates = card_frames(live, card_id)
            assert updates, "the public hears that the request was answered"
            for card in updates:
                assert_held(card)
        # The facilitator's stream has the answers.
        assert card_frames(private, r.first["id"])[-1]["replies"][0]["note"] == YES_NOTE
        assert card_frames(private, r.second["id"])[-1]["status"] == "no"

        # The public API and log, and a new public stream's snapshot and replay.
        for headers in ({}, r.health.auth, r.requester.auth):  # nobody, or a participant
            response = await asyncio.to_thread(http.get, m.url("/cards"), headers=headers)
            assert_no_answer_in(response.text, "GET /cards")
            by_id = {c["id"]: c for c in response.json()}
            assert_held(by_id[r.first["id"]])
            assert_held(by_id[r.second["id"]])
            log = await asyncio.to_thread(http.get, m.url("/events"), params={"after": 0},
                                          headers=headers)
            assert_no_answer_in(log.text, "GET /events")
        async with open_stream(server, m.code) as late:
            snapshot = await late.snapshot()
            assert_no_answer_in("".join(late.raw), "a public snapshot")
        for card in snapshot["cards"]:
            assert_held(card)
        async with open_stream(server, m.code, after=0) as replay:
            await replay.events_through(last)
            assert_no_answer_in("".join(replay.raw), "an after=0 replay")


def test_each_side_sees_what_is_theirs_while_answers_are_held(http: httpx.Client) -> None:
    r = set_up(http)
    m = r.meeting
    hold(m)
    answer(r)

    # The requester waits like the room.
    theirs = {c["id"]: c for c in m.http.get(m.url("/mine"), headers=r.requester.auth)
              .json()["cards"]}
    assert_held(theirs[r.first["id"]])
    assert_held(theirs[r.second["id"]])

    # The one who answered sees their own answer, and their commitment.
    mine = m.http.get(m.url("/mine"), headers=r.welfare.auth)
    assert mine.status_code == 200, mine.text
    own = {c["id"]: c for c in mine.json()["cards"]}[r.first["id"]]
    assert own["status"] == "yes"
    assert own["replies"][0]["note"] == YES_NOTE
    assert own["commitment"]["owner"]["id"] == r.welfare.id
    health = {c["id"]: c for c in m.http.get(m.url("/mine"), headers=r.health.auth)
              .json()["cards"]}
    assert health[r.second["id"]]["status"] == "no"
    assert r.first["id"] not in health or health[r.first["id"]]["status"] == "answered"

    # Staff see every answer.
    for headers in (m.facilitator, m.organiser):
        staff = {c["id"]: c for c in m.http.get(m.url("/cards"), headers=headers).json()}
        assert staff[r.first["id"]]["status"] == "yes"
        assert staff[r.first["id"]]["replies"][0]["note"] == YES_NOTE
        assert staff[r.first["id"]]["commitment"]["owner"]["id"] == r.welfare.id
        assert staff[r.second["id"]]["status"] == "no"
        exported = m.http.get(m.url("/export.json"), headers=headers)
        assert YES_NOTE in exported.text and NO_NOTE in exported.text

    # An unanswered request is simply open, held or not.
    third = m.card(r.requester, "request", "Come to our next meeting",
                   to_participant_id=r.health.id)
    assert public_cards(m)[third["id"]]["status"] == "open"


# --- reveal ------------------------------------------------------------------------------


async def test_reveal_shows_one_request_then_all(server: Server) -> None:
    with httpx.Client(base_url=server.url, timeout=10) as http:
        r = await asyncio.to_thread(set_up, http)
        m = r.meeting
        await asyncio.to_thread(hold, m)
        await asyncio.to_thread(answer, r)
        async with open_stream(server, m.code) as public:
            await public.snapshot()
            public.raw.clear()

            one = await asyncio.to_thread(http.post, m.url("/reveal"),
                                          json={"card_id": r.first["id"]},
                                          headers=m.facilitator)
            assert one.status_code == 200, one.text
            assert [c["id"] for c in one.json()] == [r.first["id"]]
            seq = await asyncio.to_thread(room_seq, m)
            revealed = await public.events_through(seq)
            assert NO_NOTE not in "".join(public.raw), "only the one request is revealed"

            shown = card_frames(revealed, r.first["id"])[-1]
            assert shown["status"] == "yes" and shown["answer_revealed"] is True
            assert shown["replies"][0]["note"] == YES_NOTE
            assert shown["commitment"]["owner"]["id"] == r.welfare.id
            cards = await asyncio.to_thread(public_cards, m)
            assert cards[r.first["id"]]["status"] == "yes"
            assert cards[r.first["id"]]["commitment"]["owner"]["name"] == r.welfare.name
            assert_held(cards[r.second["id"]])

            rest = await asyncio.to_thread(http.post, m.url("/reveal"), headers=m.facilitator)
            assert rest.status_code == 200, rest.text
            assert [c["id"] for c in rest.json()] == [r.second["id"]], "only what was held"
            seq = await asyncio.to_thread(room_seq, m)
            revealed = await public.events_through(seq)
            shown = card_frames(revealed, r.second["id"])[-1]
            assert shown["status"] == "no" and shown["replies"][0]["note"] == NO_NOTE
            assert card_frames(revealed, r.first["id"]) == [], "revealed once only"

        cards = await asyncio.to_thread(public_cards, m)
        assert cards[r.second["id"]]["status"] == "no"
        assert cards[r.first["id"]]["status"] == "yes"
        assert (await asyncio.to_thread(http.get, m.url())).json()["answers_held"] is True
        # Still held: a later answer waits for the next reveal.
        again = await asyncio.to_thread(m.act, r.health, r.second["id"], "reply",
                                        answer="try", note="Perhaps monthly")
        assert again.status_code == 200
        assert_held((await asyncio.to_thread(public_cards, m))[r.second["id"]])
        empty = await asyncio.to_thread(http.post, m.url("/reveal"), json={},
                                        headers=m.facilitator)
        assert [c["id"] for c in empty.json()] == [r.second["id"]]
        assert (await asyncio.to_thread(public_cards, m))[r.second["id"]]["status"] == "try"


async def test_letting_go_of_the_hold_reveals_every_held_answer(server: Server) -> None:
    with httpx.Client(base_url=server.url, timeout=10) as http:
        r = await asyncio.to_thread(set_up, http)
        m = r.meeting
        await asyncio.to_thread(hold, m)
        await asyncio.to_thread(answer, r)
        async with open_stream(server, m.code) as public:
            await public.snapshot()
            room = await asyncio.to_thread(hold, m, False)
            updates = await public.events_through(room["seq"])
        assert card_frames(updates, r.first["id"])[-1]["status"] == "yes"
        assert card_frames(updates, r.second["id"])[-1]["status"] == "no"
        cards = await asyncio.to_thread(public_cards, m)
        assert cards[r.first["id"]]["replies"][0]["note"] == YES_NOTE
        assert cards[r.second["id"]]["replies"][0]["note"] == NO_NOTE
        # Not held any more: new answers show at once.
        later = await asyncio.to_thread(m.act, r.welfare, r.first["id"], "reply", answer="try")
        assert later.status_code == 200
        assert (await asyncio.to_thread(public_cards, m))[r.first["id"]]["status"] == "try"


async def test_closing_the_room_reveals_everything(server: Server) -> None:
    with httpx.Client(base_url=server.url, timeout=10) as http:
        r = await asyncio.to_thread(set_up, http)
        m = r.meeting
        await asyncio.to_thread(hold, m)
        await asyncio.to_thread(answer, r)
        async with open_stream(server, m.code) as public:
            await public.snapshot()
            closed = await asyncio.to_thread(m.set_state, "closed")
            assert closed.status_code == 200, closed.text
            assert closed.json()["answers_held"] is False
            updates = await public.events_through(closed.json()["seq"])
        assert card_frames(updates, r.first["id"])[-1]["status"] == "yes"
        assert card_frames(updates, r.second["id"])[-1]["status"] == "no"
        cards = await asyncio.to_thread(public_cards, m)
        assert cards[r.first["id"]]["commitment"]["owner"]["id"] == r.welfare.id
        assert cards[r.second["id"]]["replies"][0]["note"] == NO_NOTE
        async with open_stream(server, m.code) as late:
            snapshot = await late.snapshot()
        assert {c["id"]: c["status"] for c in snapshot["cards"]} == {
            r.first["id"]: "yes", r.second["id"]: "no"}


def test_only_the_facilitator_reveals(http: httpx.Client) -> None:
    r = set_up(http)
    m = r.meeting
    hold(m)
    answer(r)
    other = Meeting.open(http, "Another room")
    for who, headers, status in (("the requester", r.requester.auth, 403),
                                 ("the one who answered", r.welfare.auth, 403),
                                 ("the organiser", m.organiser, 403),
                                 ("another room's facilitator", other.facilitator, 401),
                                 ("nobody", {}, 401)):
        for body in (None, {"card_id": r.first["id"]}):
            refused = http.post(m.url("/reveal"), json=body, headers=headers)
            assert refused.status_code == status, (who, body, refused.text)
    for who, headers in (("a participant", r.requester.auth), ("the organiser", m.organiser)):
        refused = http.patch(m.url(), json={"answers_held": False}, headers=headers)
        assert refused.status_code == 403, (who, refused.text)
    cards = public_cards(m)
    assert_held(cards[r.first["id"]])
    assert_held(cards[r.second["id"]])
    # Revealing a card of another room, or no card at all, is not found.
    theirs = Meeting.open(http, "Third room")
    tam = theirs.join("Tam", "Police")
    tim = theirs.join("Tim", "Fire")
    foreign = theirs.card(tam, "request", "Theirs", to_participant_id=tim.id)
    for card_id in (foreign["id"], 10**9):
        missing = http.post(m.url("/reveal"), json={"card_id": card_id},
                            headers=m.facilitator)
        assert missing.status_code == 404, missing.text


@pytest.mark.parametrize("body", [{"card_id": 0}, {"card_id": "all"}, {"cards": [1]}])
def test_reveal_refuses_bad_input(http: httpx.Client, body: JSONish) -> None:
    r = set_up(http)
    hold(r.meeting)
    refused = http.post(r.meeting.url("/reveal"), json=body, headers=r.meeting.facilitator)
    assert refused.status_code == 422, refused.text


async def test_a_held_request_its_author_withdraws_leaves_the_board(server: Server) -> None:
    """Withdrawing is not an answer: the public must hear `withdrawn` (the board takes the
    card off), not a held "answered" that keeps it there, while new clients never see it."""
    with httpx.Client(base_url=server.url, timeout=10) as http:
        r = await asyncio.to_thread(set_up, http)
        m = r.meeting
        await asyncio.to_thread(hold, m)
        await asyncio.to_thread(answer, r)
        async with open_stream(server, m.code) as public:
            await public.snapshot()
            public.raw.clear()
            withdrawn = await asyncio.to_thread(m.act, r.requester, r.first["id"], "withdraw")
            assert withdrawn.status_code == 200, withdrawn.text
            assert withdrawn.json()["status"] == "withdrawn"
            update = (await public.events_through(withdrawn.json()["seq"]))[-1]
        assert_no_answer_in("".join(public.raw), "the withdrawal frame")
        card = update["data"]["card"]
        assert card["id"] == r.first["id"]
        assert card["status"] == "withdrawn", card
        assert r.first["id"] not in await asyncio.to_thread(public_cards, m)


def test_while_held_progress_answers_alike_whatever_was_answered(http: httpx.Client) -> None:
    """Issue 12, item 2: a bystander got 403 not_your_commitment on a held "yes" and 409
    not_a_commitment on a held "no", and the requester could move a held "yes". Until the
    reveal a held answer is no one's commitment yet: one refusal for everyone (the one who
    answered too: a public card.updated would tell the room it was a yes), nothing moves."""
    r = set_up(http)
    m = r.meeting
    bystander = m.join("Bo Bystander", "Fire Service")
    hold(m)
    answer(r)
    seq = http.get(m.url()).json()["seq"]

    def refusals(who: Person) -> list[tuple[int, str]]:
        out = []
        for card in (r.first, r.second):
            response = m.act(who, card["id"], "progress", progress="done", note="Sure")
            out.append((response.status_code, response.json().get("code", "")))
        return out

    refused = (409, "not_a_commitment")
    for who in (bystander, r.requester, r.welfare, r.health):
        assert refusals(who) == [refused, refused], who.name
    assert http.get(m.url()).json()["seq"] == seq, "no event was recorded"
    staff = {c["id"]: c for c in http.get(m.url("/cards"), headers=m.facilitator).json()}
    assert staff[r.first["id"]]["commitment"]["progress"] == "not_started"
    # After the reveal, the owner and the requester may update it, as always.
    revealed = http.post(m.url("/reveal"), headers=m.facilitator)
    assert revealed.status_code == 200, revealed.text
    for who in (r.welfare, r.requester):
        after = m.act(who, r.first["id"], "progress", progress="done")
        assert after.status_code == 200, after.text
    assert m.act(bystander, r.first["id"], "progress", progress="done").status_code == 403


async def test_leaving_does_not_tell_the_room_who_answered_a_held_request(
        server: Server) -> None:
    """Issue 12, item 1's side channels: while held, the room does not see who of an
    organisation answered. Someone who answered leaving must not be followed by a public
    card.updated for that request (it would point at them): its public view does not
    change, so only staff hear of it."""
    with httpx.Client(base_url=server.url, timeout=10) as http:
        r = await asyncio.to_thread(set_up, http)
        m = r.meeting
        await asyncio.to_thread(hold, m)
        await asyncio.to_thread(answer, r)  # Hari, of the NHS, answers the second: no
        before = await asyncio.to_thread(public_cards, m)
        async with open_stream(server, m.code) as public, \
                open_stream(server, m.code, key=m.facilitator_key) as staff:
            await public.snapshot()
            await staff.snapshot()
            left = await asyncio.to_thread(http.post, m.url("/participants/me/withdraw"),
                                           headers=r.health.auth)
            assert left.status_code == 200, left.text
            last = await asyncio.to_thread(room_seq, m)
            frames = await public.events_through(last)
            private = await staff.events_through(last)
        assert [f["event"] for f in frames] == ["participant.left", "cards.renamed"]
        assert frames[-1]["data"] == {}
        renamed = private[-1]["data"]["cards"]
        assert [c["id"] for c in renamed] == [r.second["id"]]
        assert renamed[0]["replies"][0]["by"]["name"] == "A participant"
        assert await asyncio.to_thread(public_cards, m) == before
