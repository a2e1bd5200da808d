"""Who set a commitment's progress (commitment.updated_by), over the real API: named in
the facilitator's and organiser's views and the exports, masked for the room exactly as
that person chose on the card they wrote, and erased when they withdraw."""

from __future__ import annotations

from typing import Any

import httpx

from tests.meeting import Meeting, Person


def public(meeting: Meeting, card_id: int) -> dict[str, Any]:
    cards = meeting.http.get(meeting.url("/cards")).json()
    return next(c for c in cards if c["id"] == card_id)  # type: ignore[no-any-return]


def private(meeting: Meeting, card_id: int) -> dict[str, Any]:
    cards = meeting.http.get(meeting.url("/cards"), headers=meeting.facilitator).json()
    return next(c for c in cards if c["id"] == card_id)  # type: ignore[no-any-return]


def mine(meeting: Meeting, who: Person, card_id: int) -> dict[str, Any]:
    cards = meeting.http.get(meeting.url("/mine"), headers=who.auth).json()["cards"]
    return next(c for c in cards if c["id"] == card_id)  # type: ignore[no-any-return]


def person(who: Person) -> dict[str, Any]:
    return {"id": who.id, "name": who.name, "organisation": who.organisation}


def progress(meeting: Meeting, who: Person, card_id: int, value: str) -> dict[str, Any]:
    response = meeting.act(who, card_id, "progress", progress=value)
    assert response.status_code == 200, response.text
    return response.json()  # type: ignore[no-any-return]


def test_nobody_has_set_progress_yet_then_the_owner_does(http: httpx.Client) -> None:
    meeting = Meeting.open(http)
    sam = meeting.join("Sam", "Work Programme")
    alex = meeting.join("Alex", "Borough Council")
    request = meeting.card(sam, "request", "Share the list.", to_participant_id=alex.id)
    card = meeting.act(alex, request["id"], "reply", answer="yes").json()
    assert card["commitment"]["updated_by"] is None
    card = progress(meeting, alex, request["id"], "in_progress")
    assert card["commitment"]["updated_by"] == person(alex)
    assert public(meeting, request["id"])["commitment"]["updated_by"] == person(alex)


def test_the_person_it_is_for_is_named_only_as_they_chose_on_their_own_card(
        http: httpx.Client) -> None:
    meeting = Meeting.open(http)
    kim = meeting.join("Kim Hidden", "Probation Service")
    lou = meeting.join("Lou Named", "Housing Trust")
    jo = meeting.join("Jo Helps", "Age UK")
    meeting.push(text="What would help you?", collects="any", identity_choice=True)
    # Kim asks anonymously; Lou answers yes; Kim (the person it is for) sets progress.
    request = meeting.card(kim, "request", "Call us before an eviction.",
                           to_participant_id=lou.id, identity="anonymous")
    assert meeting.act(lou, request["id"], "reply", answer="yes").status_code == 200
    progress(meeting, kim, request["id"], "done")
    # Kim asks the room by organisation only; Jo's offer is accepted; Kim sets progress.
    ask = meeting.card(kim, "ask", "Who can take referrals at weekends?", identity="organisation")
    offer = meeting.card(jo, "offer", "Our weekend team can.", reply_to=ask["id"])
    assert meeting.act(kim, offer["id"], "accept").status_code == 200
    progress(meeting, kim, offer["id"], "in_progress")

    # The facilitator and the organiser see who; the room does not.
    for card_id, shown in ((request["id"], "anonymous"), (offer["id"], "organisation")):
        assert private(meeting, card_id)["commitment"]["updated_by"] == person(kim)
        assert private(meeting, card_id)["commitment"]["updated_by_shown"] == shown
    assert public(meeting, request["id"])["commitment"]["updated_by"] is None
    assert public(meeting, offer["id"])["commitment"]["updated_by"] == {
        "id": None, "name": None, "organisation": "Probation Service"}
    # Lou and Jo, the owners, see Kim as the room does; Kim sees herself.
    assert mine(meeting, lou, request["id"])["commitment"]["updated_by"] is None
    assert mine(meeting, jo, offer["id"])["commitment"]["updated_by"]["name"] is None
    assert mine(meeting, kim, request["id"])["commitment"]["updated_by"] == person(kim)
    # Nor do the public event log's cards name her (she is on the list of who joined).
    def card_events(headers: dict[str, str] | None = None) -> str:
        events = http.get(meeting.url("/events"), headers=headers).json()["events"]
        return str([e["data"]["card"] for e in events if "card" in e["data"]])
    assert "Kim Hidden" not in card_events()
    assert "Kim Hidden" in card_events(meeting.organiser)
    log = http.get(meeting.url("/export.json"), headers=meeting.organiser).json()
    exported = {c["id"]: c for c in log["cards"]}
    assert exported[offer["id"]]["commitment"]["updated_by"] == person(kim)


def test_a_person_who_withdraws_is_erased_as_the_one_who_set_progress(
        http: httpx.Client) -> None:
    meeting = Meeting.open(http)
    sam = meeting.join("Sam Leaving", "Work Programme")
    alex = meeting.join("Alex", "Borough Council")
    request = meeting.card(sam, "request", "Share the list.", to_participant_id=alex.id)
    assert meeting.act(alex, request["id"], "reply", answer="yes").status_code == 200
    progress(meeting, sam, request["id"], "done")
    response = http.post(meeting.url("/participants/me/withdraw"), headers=sam.auth)
    assert response.status_code == 200, response.text

    by = private(meeting, request["id"])["commitment"]["updated_by"]
    assert by is not None and by["id"] == sam.id and by["name"] != "Sam Leaving"
    log = http.get(meeting.url("/export.json"), headers=meeting.organiser).json()
    assert "Sam Leaving" not in str(log)


def test_the_answer_and_the_event_name_the_asker_who_set_an_offers_progress(
        http: httpx.Client) -> None:
    """The asker is neither the offer's author nor a replier: their name must still be
    looked up for the command's answer and the card.updated the room hears."""
    meeting = Meeting.open(http)
    sam = meeting.join("Sam", "NHS Commissioning")
    priya = meeting.join("Priya", "Volunteer Centre")
    ask = meeting.card(sam, "ask", "Who can help at night?")
    offer = meeting.card(priya, "offer", "Volunteers at A&E.", reply_to=ask["id"])
    assert meeting.act(sam, offer["id"], "accept").status_code == 200
    card = progress(meeting, sam, offer["id"], "done")
    assert card["commitment"]["updated_by"] == person(sam)
    events = meeting.http.get(meeting.url("/events"), params={"after": 0}).json()["events"]
    last = [e for e in events if e["event"] == "card.updated"
            and e["data"]["card"].get("id") == offer["id"]][-1]
    assert last["data"]["card"]["commitment"]["updated_by"] == person(sam)
