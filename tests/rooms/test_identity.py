"""Identity choices (issue 6, part 1) against a real server: an author who chose to be
shown by organisation only, or anonymously, reaches no public surface by name or id —
GET /cards, /rooms, /participants, /events, a public stream's snapshot, live frames and
`after=` replays, from memory and from the database after a restart — while the
facilitator and organiser (API, private stream, exports) always see who wrote what."""

from __future__ import annotations

import asyncio
import csv
import io
import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

import httpx
import openpyxl
import pytest

from tests.meeting import Meeting, Person
from tests.server import Server
from tests.stream import Frame, open_stream

JSONish = dict[str, Any]


# --- the meeting ---------------------------------------------------------------------


@dataclass
class Cast:
    """Who is in the room, and every card they posted, by (identity, kind)."""

    meeting: Meeting
    named: Person  # posts every kind of card under their own name
    org_only: Person  # posts every kind of card as "someone from NHS CCG"
    anonymous: Person  # posts every kind of card anonymously
    recipient: Person  # is asked, and answers
    asker: Person  # asks for help; the offers reply to that ask and she accepts them
    joined_seq: int = 0  # the room's seq once everyone had joined and the prompt was up
    cards: dict[tuple[str, str], JSONish] = field(default_factory=dict)
    ask_for_help: JSONish = field(default_factory=dict)
    request_to_named: JSONish = field(default_factory=dict)  # anonymous, to `named`

    @property
    def hidden_people(self) -> list[Person]:
        return [self.org_only, self.anonymous]

    @property
    def hidden_ids(self) -> set[int]:
        return {p.id for p in self.hidden_people}

    @property
    def hidden_words(self) -> list[str]:
        """What must never be in a public card: the hidden names, and the anonymous
        author's organisation (anonymous means not even the organisation)."""
        return [self.org_only.name, self.anonymous.name, self.anonymous.organisation]

    def identity_of(self, card_id: int) -> str | None:
        for (identity, _kind), card in self.cards.items():
            if card["id"] == card_id:
                return identity
        if card_id == self.request_to_named.get("id"):
            return "anonymous"
        return None

    @property
    def hidden_card_ids(self) -> set[int]:
        return {c["id"] for (identity, _), c in self.cards.items() if identity != "named"} | {
            self.request_to_named["id"]}


def join_everyone(http: httpx.Client) -> Cast:
    meeting = Meeting.open(http, "Winter pressures", "Get frail people home safely")
    cast = Cast(
        meeting=meeting,
        named=meeting.join("Nora Plainview", "Council"),
        org_only=meeting.join("Ottoline Vexley", "NHS CCG"),
        anonymous=meeting.join("Anselm Quibble", "Kestrel Trust"),
        recipient=meeting.join("Rita Answerwell", "Fire Service"),
        asker=meeting.join("Asha Helpwanted", "Housing Association"),
    )
    prompt = meeting.push(text="What do you need, and what can you offer?", collects="any",
                          identity_choice=True)
    assert prompt["identity_choice"] is True
    cast.ask_for_help = meeting.card(cast.asker, "ask", "Who can help get people home at night?")
    cast.joined_seq = room_seq(http, meeting.code)
    return cast


def post_every_kind(cast: Cast) -> None:
    """Each author posts a request (answered yes), an ask and an offer (accepted)."""
    m = cast.meeting
    for identity, author in (("named", cast.named), ("organisation", cast.org_only),
                             ("anonymous", cast.anonymous)):
        request = m.card(author, "request", f"Please call back within a day ({identity})",
                         to_participant_id=cast.recipient.id, identity=identity)
        ask = m.card(author, "ask", f"We need drivers on Fridays ({identity})",
                     identity=identity)
        offer = m.card(author, "offer", f"I can lend a minibus ({identity})",
                       reply_to=cast.ask_for_help["id"], identity=identity)
        for card in (request, ask, offer):
            assert card["identity"] == identity, card
        answered = m.act(cast.recipient, request["id"], "reply", answer="yes",
                         note="Will do from Monday")
        assert answered.status_code == 200, answered.text
        accepted = m.act(cast.asker, offer["id"], "accept")
        assert accepted.status_code == 200, accepted.text
        assert accepted.json()["commitment"] is not None
        cast.cards[(identity, "request")] = answered.json()
        cast.cards[(identity, "ask")] = ask
        cast.cards[(identity, "offer")] = accepted.json()
    cast.request_to_named = m.card(cast.anonymous, "request", "Please share the weekend rota",
                                   to_participant_id=cast.named.id, identity="anonymous")


def seeded(http: httpx.Client) -> Cast:
    cast = join_everyone(http)
    post_every_kind(cast)
    return cast


# --- what may and may not be in a public card ----------------------------------------


def room_seq(http: httpx.Client, code: str) -> int:
    response = http.get(f"/api/rooms/{code}")
    assert response.status_code == 200, response.text
    return int(response.json()["seq"])


def people_ids(card: JSONish) -> set[int | None]:
    """Participant ids in a card's author, commitment owner and replies' `by`."""
    ids: set[int | None] = set()
    if card.get("author") is not None:
        ids.add(card["author"]["id"])
    commitment = card.get("commitment")
    if commitment and commitment.get("owner") is not None:
        ids.add(commitment["owner"]["id"])
    for reply in card.get("replies") or []:
        if reply.get("by") is not None:
            ids.add(reply["by"]["id"])
    return ids


def assert_public_card(card: JSONish, cast: Cast) -> None:
    """The card as the room may see it: masked as its author chose, and nowhere in it the
    hidden people's names, ids, or the anonymous author's organisation."""
    where = f"public card {card.get('id')}: {json.dumps(card)}"
    leaked = people_ids(card) & cast.hidden_ids
    assert not leaked, f"participant id(s) {leaked} of a hidden author in {where}"
    text = json.dumps(card)
    for word in cast.hidden_words:
        assert word not in text, f"{word!r} in {where}"
    identity = cast.identity_of(card["id"])
    # An offer's commitment (once accepted) is owned by its author: masked the same way.
    owner = (card.get("commitment") or {}).get("owner", "none yet")
    is_offer = card["kind"] == "offer" and owner != "none yet"
    if identity == "organisation":
        expected = {"id": None, "name": None, "organisation": cast.org_only.organisation}
        assert card["author"] == expected, where
        assert not is_offer or owner == expected, where
    elif identity == "anonymous":
        assert card["author"] is None, where
        assert not is_offer or owner is None, where
    elif identity == "named":
        assert card["author"]["name"] == cast.named.name, where
        assert not is_offer or owner["name"] == cast.named.name, where


def assert_offers_committed(cards: list[JSONish], cast: Cast) -> None:
    """The accepted offers of the hidden authors are there, as commitments."""
    accepted = {c["id"] for c in cards if c["kind"] == "offer" and c["commitment"]}
    for identity in ("organisation", "anonymous"):
        assert cast.cards[(identity, "offer")]["id"] in accepted, f"{identity} offer accepted"


def assert_no_hidden_words(text: str, cast: Cast, where: str) -> None:
    for word in cast.hidden_words:
        assert word not in text, f"{word!r} reached the public: {where}: {text[:2000]}"


def cards_in(frames: Iterable[Frame]) -> list[JSONish]:
    """Every card object in these snapshot or event frames (hidden stubs excluded)."""
    found: list[JSONish] = []
    for frame in frames:
        if frame["type"] == "snapshot":
            found.extend(frame["cards"])
        elif frame["type"] == "event" and "card" in frame["data"]:
            if "kind" in frame["data"]["card"]:
                found.append(frame["data"]["card"])
    return found


def assert_public_frames(frames: list[Frame], cast: Cast) -> None:
    cards = cards_in(frames)
    assert {c["id"] for c in cards} >= cast.hidden_card_ids, "the hidden authors' cards came"
    for card in cards:
        assert_public_card(card, cast)
    assert_offers_committed(cards, cast)


def names_outside_participants(text: str, frames: list[Frame], cast: Cast) -> list[str]:
    """Hidden names in the raw text beyond those the participant list legitimately carries
    (the snapshot's `participants`, `participant.joined` events)."""
    legit = json.dumps([f.get("participants", f["data"].get("participant") if "data" in f
                                else None) for f in frames])
    return [word for word in cast.hidden_words if text.count(word) > legit.count(word)]


# --- a stream client ---------------------------------------------------------------------


async def replay(server: Server, code: str, after: int, through: int) -> tuple[str, list[Frame]]:
    """A new public stream's `after=` replay through seq `through`: raw text and frames."""
    async with open_stream(server, code, after) as stream:
        frames = await stream.events_through(through)
        return "".join(stream.raw), frames


async def staff_stream_snapshot(server: Server, code: str, key: str) -> Frame:
    async with open_stream(server, code) as stream:
        await stream.snapshot()
        await stream.send(json.dumps({"type": "auth", "key": key}))
        return await stream.snapshot()


# --- the public API ------------------------------------------------------------------


def test_public_cards_show_org_only_authors_by_organisation_and_anonymous_ones_not_at_all(
        http: httpx.Client) -> None:
    cast = seeded(http)
    m = cast.meeting

    for headers in ({}, cast.named.auth, cast.anonymous.auth):  # no key, or a participant's
        response = http.get(m.url("/cards"), headers=headers)
        assert response.status_code == 200, response.text
        assert_no_hidden_words(response.text, cast, "GET /cards")
        cards = response.json()
        assert {c["id"] for c in cards} >= cast.hidden_card_ids, "hidden authors' cards shown"
        for card in cards:
            assert_public_card(card, cast)
        assert_offers_committed(cards, cast)
        by_id = {c["id"]: c for c in cards}
        # The organisation does appear for organisation-only cards, on every kind.
        for kind in ("request", "ask", "offer"):
            card = by_id[cast.cards[("organisation", kind)]["id"]]
            assert card["author"]["organisation"] == "NHS CCG"
            assert card["identity"] == "organisation"
            assert by_id[cast.cards[("anonymous", kind)]["id"]]["identity"] == "anonymous"


def test_room_participants_and_event_log_carry_no_hidden_author(http: httpx.Client) -> None:
    cast = seeded(http)
    m = cast.meeting

    room = http.get(m.url())
    assert room.status_code == 200
    assert_no_hidden_words(room.text, cast, "GET /rooms/{code}")

    people = http.get(m.url("/participants"))
    assert people.status_code == 200
    # A list of people to address requests to: nothing in it ties anyone to a card.
    for entry in people.json():
        assert set(entry) == {"id", "name", "organisation"}, entry

    for headers in ({}, cast.recipient.auth):
        log = http.get(m.url("/events"), params={"after": 0}, headers=headers)
        assert log.status_code == 200, log.text
        frames = log.json()["events"]
        assert_public_frames(frames, cast)
        assert not names_outside_participants(log.text, frames, cast), \
            "a hidden name in /events beyond participant.joined"
        # After everyone joined, nothing at all in the log may name them.
        later = http.get(m.url("/events"), params={"after": cast.joined_seq}, headers=headers)
        assert later.status_code == 200
        assert later.json()["events"], "the cards' events are in the log"
        assert_no_hidden_words(later.text, cast, "GET /events?after=<joined>")


def test_request_to_a_named_person_stays_named_on_the_recipients_side(
        http: httpx.Client) -> None:
    cast = seeded(http)
    m = cast.meeting
    request = cast.request_to_named

    public = {c["id"]: c for c in http.get(m.url("/cards")).json()}[request["id"]]
    assert public["author"] is None
    assert public["to"]["participant"] == {"id": cast.named.id, "name": cast.named.name,
                                           "organisation": cast.named.organisation}

    theirs = http.get(m.url("/mine"), headers=cast.named.auth)
    assert theirs.status_code == 200, theirs.text
    asked = {c["id"]: c for c in theirs.json()["cards"]}
    assert request["id"] in asked, "the recipient sees the request made to them"
    assert asked[request["id"]]["to"]["participant"]["name"] == cast.named.name
    assert asked[request["id"]]["author"] is None, "the recipient sees the author as the room does"
    assert_no_hidden_words(json.dumps(asked[request["id"]]), cast, "the recipient's /mine")


def test_mine_shows_authors_their_own_name_on_their_hidden_cards_and_no_one_elses(
        http: httpx.Client) -> None:
    cast = seeded(http)
    m = cast.meeting

    for identity, author in (("organisation", cast.org_only), ("anonymous", cast.anonymous)):
        mine = http.get(m.url("/mine"), headers=author.auth)
        assert mine.status_code == 200, mine.text
        assert mine.json()["participant"]["name"] == author.name
        own = {c["id"]: c for c in mine.json()["cards"]}
        for kind in ("request", "ask", "offer"):
            card = own.get(cast.cards[(identity, kind)]["id"])
            assert card is not None, f"their own {kind} is in their /mine"
            assert card["author"] == {"id": author.id, "name": author.name,
                                      "organisation": author.organisation}
            assert card["identity"] == identity

    # The asker sees the offers to her ask, but the hidden authors stay hidden from her.
    asker = http.get(m.url("/mine"), headers=cast.asker.auth)
    assert asker.status_code == 200
    offers = {c["id"]: c for c in asker.json()["cards"] if c["reply_to"] is not None}
    assert {cast.cards[(i, "offer")]["id"] for i in ("named", "organisation", "anonymous")} \
        <= set(offers)
    for card in asker.json()["cards"]:
        assert_public_card(card, cast)
    # So does the person asked, on the requests made of her.
    recipient = http.get(m.url("/mine"), headers=cast.recipient.auth)
    assert recipient.status_code == 200
    for card in recipient.json()["cards"]:
        assert_public_card(card, cast)


def test_a_choice_of_identity_needs_a_prompt_that_offers_it(http: httpx.Client) -> None:
    m = Meeting.open(http, "Named only")
    ann = m.join("Ann", "Council")
    ben = m.join("Ben", "NHS")

    for identity in ("organisation", "anonymous"):
        refused = m.post(ann, "ask", "No prompt yet", identity=identity)
        assert refused.status_code == 422, refused.text
        assert refused.json()["code"] == "identity_not_allowed"

    prompt = m.push(text="Tell someone what they could do differently", collects="any")
    assert prompt["identity_choice"] is False
    for identity, extra in (("organisation", {"to_participant_id": ben.id}),
                            ("anonymous", {})):
        refused = m.post(ann, "request" if extra else "ask", "Who wrote this?",
                         identity=identity, **extra)
        assert refused.status_code == 422, refused.text
        assert refused.json()["code"] == "identity_not_allowed"
    assert http.get(m.url("/cards")).json() == [], "a refused card changes nothing"

    named = m.card(ann, "ask", "Named is fine", identity="named")
    assert named["identity"] == "named" and named["author"]["name"] == "Ann"
    bogus = m.post(ann, "ask", "Unknown identity", identity="invisible")
    assert bogus.status_code == 422

    # The choice ends with the prompt that offered it.
    m.push(text="Anything, anonymously", collects="any", identity_choice=True)
    assert m.card(ann, "ask", "Now I may", identity="anonymous")["identity"] == "anonymous"
    m.push(text="Named again", collects="any")
    again = m.post(ann, "ask", "Not any more", identity="anonymous")
    assert again.status_code == 422 and again.json()["code"] == "identity_not_allowed"


# --- the facilitator and organiser see everyone --------------------------------------


def test_facilitator_and_organiser_see_every_author_in_api_stream_and_exports(
        server: Server, http: httpx.Client) -> None:
    cast = seeded(http)
    m = cast.meeting
    expected = {c["id"]: author for (identity, _), c in cast.cards.items()
                for author in [{"named": cast.named, "organisation": cast.org_only,
                                "anonymous": cast.anonymous}[identity]]}
    expected[cast.request_to_named["id"]] = cast.anonymous

    def assert_named(cards: list[JSONish], where: str) -> None:
        by_id = {c["id"]: c for c in cards}
        for card_id, author in expected.items():
            card = by_id[card_id]
            assert card["author"] == {"id": author.id, "name": author.name,
                                      "organisation": author.organisation}, where
            if card["kind"] == "offer":
                assert card["commitment"]["owner"]["name"] == author.name, where

    for headers in (m.facilitator, m.organiser):
        response = http.get(m.url("/cards"), headers=headers)
        assert response.status_code == 200
        assert_named(response.json(), "GET /cards with a staff key")
        log = http.get(m.url("/events"), params={"after": 0}, headers=headers)
        assert_named(cards_in(log.json()["events"]), "GET /events with a staff key")

        exported = http.get(m.url("/export.json"), headers=headers)
        assert exported.status_code == 200
        assert_named(exported.json()["cards"], "export.json")

        text = http.get(m.url("/export.csv"), headers=headers).content.decode("utf-8-sig")
        rows = {row["text"]: row for row in csv.DictReader(io.StringIO(text))}
        for (identity, kind), card in cast.cards.items():
            author = expected[card["id"]]
            assert rows[card["text"]]["from_name"] == author.name, (identity, kind)
            assert rows[card["text"]]["from_organisation"] == author.organisation
            if kind == "offer":
                assert rows[card["text"]]["commitment_owner"].startswith(author.name)

        workbook = openpyxl.load_workbook(io.BytesIO(
            http.get(m.url("/export.xlsx"), headers=headers).content), read_only=True)
        try:
            cells = {str(v) for ws in workbook.worksheets for row in ws.iter_rows(values_only=True)
                     for v in row if v is not None}
        finally:
            workbook.close()
        for person in cast.hidden_people:
            assert any(person.name in cell for cell in cells), f"{person.name} in export.xlsx"

    snapshot = asyncio.run(staff_stream_snapshot(server, m.code, m.organiser_key))
    assert_named(snapshot["cards"], "the private snapshot")


# --- the public stream: snapshot, live frames, replays, restart ----------------------


async def test_public_stream_frames_snapshot_and_replays_never_name_hidden_authors(
        fresh_server: Server) -> None:
    with httpx.Client(base_url=fresh_server.url, timeout=10) as http:
        cast = await asyncio.to_thread(join_everyone, http)
        code = cast.meeting.code
        async with open_stream(fresh_server, code) as live, \
                open_stream(fresh_server, code) as staff:
            await live.snapshot()
            await staff.snapshot()
            await staff.send(json.dumps({"type": "auth", "key": cast.meeting.facilitator_key}))
            await staff.snapshot()
            staff.raw.clear()
            live.raw.clear()

            await asyncio.to_thread(post_every_kind, cast)
            last = room_seq(http, code)

            # Live frames, as they came (raw text, batches and all).
            frames = await live.events_through(last)
            assert_no_hidden_words("".join(live.raw), cast, "live public frames")
            assert_public_frames(frames, cast)
            assert any(f["event"] == "card.updated" and f["data"]["card"]["kind"] == "offer"
                       and f["data"]["card"]["status"] == "accepted" for f in frames)
            # ... while the facilitator's stream names them.
            await staff.events_through(last)
            for person in cast.hidden_people:
                assert person.name in "".join(staff.raw), "the private stream names authors"

            # A new public stream's snapshot: names only in the participant list.
            async with open_stream(fresh_server, code) as late:
                snapshot = await late.snapshot()
                raw = "".join(late.raw)
            assert_public_frames([snapshot], cast)
            assert not names_outside_participants(raw, [snapshot], cast)

            # Replays served from the server's memory (the room's feed is live).
            raw, replayed = await replay(fresh_server, code, cast.joined_seq, last)
            assert [f["seq"] for f in replayed] == list(range(cast.joined_seq + 1, last + 1))
            assert_no_hidden_words(raw, cast, "an after= replay from memory")
            assert_public_frames(replayed, cast)
            raw, replayed = await replay(fresh_server, code, 0, last)
            assert_public_frames(replayed, cast)
            assert not names_outside_participants(raw, replayed, cast)

    # After a restart, the same replays come from the database.
    await asyncio.to_thread(fresh_server.restart)
    raw, replayed = await replay(fresh_server, code, cast.joined_seq, last)
    assert [f["seq"] for f in replayed] == list(range(cast.joined_seq + 1, last + 1))
    assert_no_hidden_words(raw, cast, "an after= replay from the database")
    assert_public_frames(replayed, cast)
    raw, replayed = await replay(fresh_server, code, 0, last)
    assert_public_frames(replayed, cast)
    assert not names_outside_participants(raw, replayed, cast)
    async with open_stream(fresh_server, code) as again:
        snapshot = await again.snapshot()
        raw = "".join(again.raw)
    assert_public_frames([snapshot], cast)
    assert not names_outside_participants(raw, [snapshot], cast)


@pytest.mark.parametrize("identity", ["organisation", "anonymous"])
async def test_hiding_and_showing_a_hidden_authors_card_keeps_them_masked(
        server: Server, identity: str) -> None:
    """A moderated card comes back to the public as the room may see it, not as the
    facilitator does: unhiding goes through the same masking as posting."""
    with httpx.Client(base_url=server.url, timeout=10) as http:
        cast = await asyncio.to_thread(seeded, http)
        m = cast.meeting
        card = cast.cards[(identity, "ask")]
        async with open_stream(server, m.code) as live:
            await live.snapshot()
            live.raw.clear()
            for hidden in (True, False):
                response = await asyncio.to_thread(
                    http.patch, m.url(f"/cards/{card['id']}"), json={"hidden": hidden},
                    headers=m.facilitator)
                assert response.status_code == 200, response.text
            frames = await live.events_through(room_seq(http, m.code))
        assert_no_hidden_words("".join(live.raw), cast, "hide/unhide frames")
        shown = [f["data"]["card"] for f in frames if "kind" in f["data"].get("card", {})]
        assert shown, "the unhidden card came back to the public"
        for public in shown:
            assert_public_card(public, cast)


async def test_an_anonymous_author_leaving_does_not_point_the_room_at_their_cards(
        server: Server) -> None:
    """When someone withdraws from the room, the public hears `participant.left` with their
    id. Their organisation-only and anonymous cards look exactly the same to the public
    before and after (no name was ever shown), so a public `card.updated` for them right
    after `participant.left` would only tell the room who wrote them."""
    with httpx.Client(base_url=server.url, timeout=10) as http:
        cast = await asyncio.to_thread(seeded, http)
        m = cast.meeting
        hidden = {c["id"] for (identity, _), c in cast.cards.items() if identity != "named"}
        async with open_stream(server, m.code) as live:
            await live.snapshot()
            live.raw.clear()
            for person in cast.hidden_people:
                left = await asyncio.to_thread(
                    http.post, m.url("/participants/me/withdraw"), headers=person.auth)
                assert left.status_code == 200, left.text
            frames = await live.events_through(room_seq(http, m.code))
        assert [f["data"]["participant"]["id"] for f in frames
                if f["event"] == "participant.left"] == [cast.org_only.id, cast.anonymous.id]
        pointed = {f["data"]["card"]["id"] for f in frames if f["event"] == "card.updated"}
        assert not pointed & (hidden | {cast.request_to_named["id"]}), (
            f"after participant.left, public card.updated frames single out the hidden "
            f"authors' cards {sorted(pointed & (hidden | {cast.request_to_named['id']}))}")
        for card in cards_in(frames):
            assert_public_card(card, cast)


def test_nothing_public_about_an_unnamed_card_changes_when_its_author_leaves(
        http: httpx.Client) -> None:
    """Issue 12, item 1: three people each post two anonymous asks, one withdraws. Before
    the fix the staff-only cards.renamed set the leaver's cards' seq to its own, so on the
    public GET /cards exactly their cards shared one seq, right after participant.left.
    Every public view of every card, by anyone but staff, is the same before and after."""
    m = Meeting.open(http, "Quiet asks")
    people = [m.join(name, org) for name, org in (("Ida Threlkeld", "Council"),
                                                  ("Jago Penhallow", "NHS"),
                                                  ("Kerensa Trewin", "Fire Service"))]
    m.push(text="What do you need?", collects="any", identity_choice=True)
    for round_ in range(2):
        for person in people:
            m.card(person, "ask", f"Anonymous ask {round_} of someone", identity="anonymous")
            m.card(person, "ask", f"Org-only ask {round_}", identity="organisation")

    def public_views() -> dict[str, Any]:
        return {"cards": http.get(m.url("/cards")).json(),
                "cards (participant)": http.get(m.url("/cards"),
                                                headers=people[0].auth).json(),
                "mine": http.get(m.url("/mine"), headers=people[0].auth).json()["cards"]}

    before = public_views()
    leaving = http.post(m.url("/participants/me/withdraw"), headers=people[1].auth)
    assert leaving.status_code == 200, leaving.text
    after = public_views()
    assert after == before
    assert len({c["seq"] for c in after["cards"]}) == len(after["cards"]), "one seq per card"
    # Staff see the author's new name; the event that told them has its own seq.
    staff = {c["id"]: c for c in http.get(m.url("/cards"), headers=m.facilitator).json()}
    theirs = [c for c in staff.values() if c["author"]["id"] == people[1].id]
    assert theirs and {c["author"]["name"] for c in theirs} == {"A participant"}
    log = http.get(m.url("/events"), headers=m.facilitator).json()["events"]
    renamed = [e for e in log if e["event"] == "cards.renamed"]
    assert len(renamed) == 1
    assert {c["id"] for c in renamed[0]["data"]["cards"]} == {c["id"] for c in theirs}
    assert {c["seq"] for c in renamed[0]["data"]["cards"]} == {renamed[0]["seq"]}


def test_a_client_id_reaches_only_its_author_and_staff(http: httpx.Client) -> None:
    """Issue 12, item 12: the README's curl example uses readable client ids ("sam-1"),
    which on a public card would name an anonymous author."""
    m = Meeting.open(http, "Client ids")
    sam, ann = m.join("Sam Readable", "Council"), m.join("Ann Other", "NHS")
    m.push(text="What do you need?", collects="any", identity_choice=True)
    body = {"client_id": "sam-1", "kind": "ask", "text": "Quietly asking",
            "identity": "anonymous"}
    posted = http.post(m.url("/cards"), json=body, headers=sam.auth)
    assert posted.status_code == 201 and posted.json()["client_id"] == "sam-1"
    again = http.post(m.url("/cards"), json=body, headers=sam.auth)  # a retry finds it
    assert again.status_code == 200 and again.json()["client_id"] == "sam-1"
    responses = {
        "GET /cards": http.get(m.url("/cards")),
        "GET /cards (Ann)": http.get(m.url("/cards"), headers=ann.auth),
        "GET /events": http.get(m.url("/events")),
        "GET /mine (Ann)": http.get(m.url("/mine"), headers=ann.auth),
        "board page": http.get(f"/r/{m.code}/board"),
    }
    for where, response in responses.items():
        assert response.status_code == 200, where
        assert "sam-1" not in response.text, where
    own = http.get(m.url("/mine"), headers=sam.auth).json()["cards"]
    assert [c["client_id"] for c in own] == ["sam-1"]
    staff = http.get(m.url("/cards"), headers=m.facilitator).json()
    assert [c["client_id"] for c in staff] == ["sam-1"]
