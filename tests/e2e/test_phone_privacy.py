"""The phone and personal data (issue 6): how the room sees an author's name, answers
held until the facilitator reveals them, who runs the meeting and how long names are
kept, withdrawing from a meeting, the link that keeps one's commitments, and a deleted
room. Chromium against a real server; each browser context is one person's phone."""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from playwright.sync_api import BrowserContext, Page, expect

from tests.e2e.conftest import PHONE, PageErrors, assert_accessible
from tests.e2e.test_phone import (
    OFFLINE,
    Phones,
    _token,
    errors_besides,
    section,
    send,
    settle,
    shot,
    until,
)
from tests.meeting import Meeting, Person
from tests.server import Server

expect.set_options(timeout=10_000)

ANNA, PRIYA, ALEX = "Anna Hiddenfield", "Priya Quietwater", "Alex Borough"
WS_REFUSED = "Unexpected response code: 404"  # a reconnect to a deleted room's stream


@pytest.fixture
def meeting(http: httpx.Client) -> Meeting:
    return Meeting.open(http, "County partnership board", "Get frail people home safely")


@pytest.fixture
def phones(contexts: Callable[..., BrowserContext], server: Server, meeting: Meeting,
           page_errors: PageErrors) -> Phones:
    return Phones(contexts, server, meeting, page_errors)


def public_cards(meeting: Meeting) -> list[dict[str, Any]]:
    response = meeting.http.get(meeting.url("/cards"))
    assert response.status_code == 200, response.text
    return response.json()  # type: ignore[no-any-return]


def staff_cards(meeting: Meeting) -> list[dict[str, Any]]:
    response = meeting.http.get(meeting.url("/cards"), headers=meeting.organiser)
    assert response.status_code == 200, response.text
    return response.json()  # type: ignore[no-any-return]


def person_of(page: Page, meeting: Meeting) -> Person:
    """The Person a phone joined as, with the token it keeps."""
    stored = json.loads(page.evaluate("code => localStorage.getItem(`askroom:me:${code}`)",
                                      meeting.code))
    return Person(stored["id"], stored["name"], stored["organisation"], stored["token"])


def identity(page: Page, choice: str) -> None:
    page.get_by_role("group", name="Show my name as").get_by_label(choice).check()


# --- who sees my name -------------------------------------------------------------------


def test_an_anonymous_ask_and_an_organisation_only_offer_never_show_the_names(
        phones: Phones, meeting: Meeting, page_errors: PageErrors) -> None:
    alex = phones.joined(ALEX, "Borough Council")
    anna = phones.joined(ANNA, "NHS CCG")
    priya = phones.joined(PRIYA, "Volunteer Centre")
    meeting.push(text="Ask the room for help, or offer it", collects="any", identity_choice=True)

    # Anna asks the room, anonymously.
    anna.get_by_role("button", name="Ask the room for help").click()
    choice = anna.get_by_role("group", name="Show my name as")
    expect(choice).to_be_visible()
    expect(choice.get_by_label("My name")).to_be_checked()
    expect(choice.get_by_text("Someone from NHS CCG")).to_be_visible()
    expect(choice.get_by_text("The facilitator and organiser can always see who wrote it.")
           ).to_be_visible()
    identity(anna, "Anonymous to the room")
    anna.get_by_label("Message").fill("Frail people are sent home at midnight. Who can help?")
    settle(anna)
    assert_accessible(anna, "the composer with the identity choice")
    anna.evaluate("document.getElementById('composer-heading').scrollIntoView()")
    shot(anna, "phone-identity-choice")
    anna.get_by_role("button", name="Send", exact=True).click()
    expect(anna.locator("#sent")).to_have_text("Asked the room")
    # The choice holds for the next post under this prompt.
    expect(choice.get_by_label("Anonymous to the room")).to_be_checked()

    # Priya offers help in reply, shown by her organisation only.
    priya.locator("#kind-tabs").get_by_role("button", name="Offer help").click()
    reply_to = priya.get_by_label("In reply to")
    option = reply_to.locator("option", has_text="Frail people")
    expect(option).to_have_text(re.compile(r"^Ask from someone: Frail people"))
    reply_to.select_option(label=option.inner_text())
    identity(priya, "My organisation only")
    send(priya, "Our volunteers will take people home from A&E at night.")
    expect(priya.locator("#sent")).to_have_text("Offer sent to someone")

    ask = until(lambda: [c for c in public_cards(meeting) if c["kind"] == "ask"], "the ask")[0]
    offer = until(lambda: [c for c in public_cards(meeting) if c["kind"] == "offer"],
                  "the offer")[0]
    # The room sees them as chosen; the organiser sees who wrote them.
    assert ask["identity"] == "anonymous" and ask["author"] is None
    assert offer["identity"] == "organisation"
    assert offer["author"] == {"id": None, "name": None, "organisation": "Volunteer Centre"}
    public_text = json.dumps(public_cards(meeting))
    assert ANNA not in public_text and PRIYA not in public_text
    staff = {c["kind"]: c for c in staff_cards(meeting)}
    assert staff["ask"]["author"]["name"] == ANNA
    assert staff["offer"]["author"]["name"] == PRIYA

    # Anna's own phone knows the ask is hers, and says how the room sees it.
    my_asks = section(anna, "My asks")
    ask_card = my_asks.locator(".card", has_text="Frail people")
    expect(ask_card).to_contain_text("Shown to the room as: Anonymous")
    offer_row = ask_card.locator(".ph-offer")
    expect(offer_row).to_contain_text("Someone from")
    expect(offer_row).to_contain_text("Volunteer Centre")
    offer_row.get_by_role("button", name="Accept").click()
    expect(offer_row).to_contain_text("Accepted — a commitment")
    expect(section(anna, "My commitments").get_by_text(
        "Someone from Volunteer Centre will do this for you.")).to_be_visible()

    # Priya's phone: her offer, her commitment, the room's view of her name.
    priya_commitments = section(priya, "My commitments")
    mine = priya_commitments.locator(".card", has_text="Our volunteers")
    expect(mine).to_contain_text("You will do this, for")
    expect(mine).to_contain_text("Shown to the room as: Someone from Volunteer Centre")

    # A reload has only the public stream and /mine: Anna's ask is still hers.
    anna.reload()
    expect(section(anna, "My asks").locator(".card", has_text="Frail people")).to_contain_text(
        "Shown to the room as: Anonymous")

    # Nobody else's page ever holds a hidden name; the authors' pages not each other's.
    settle_all(alex, anna, priya)
    assert ANNA not in alex.content() and PRIYA not in alex.content()
    assert PRIYA not in anna.content()
    assert ANNA not in priya.content()
    assert page_errors.errors == []


def settle_all(*pages: Page) -> None:
    for page in pages:
        page.wait_for_timeout(300)  # a late /mine or event would have landed by now


def test_the_choice_is_offered_only_when_the_prompt_allows_it_and_survives_the_outbox(
        phones: Phones, meeting: Meeting, page_errors: PageErrors) -> None:
    sam = phones.joined("Sam", "")  # no organisation: "organisation only" cannot apply
    meeting.push(text="Ask the room", collects="ask")
    expect(sam.locator("#prompt-text")).to_have_text("Ask the room")
    expect(sam.get_by_role("group", name="Show my name as")).to_be_hidden()
    radios = sam.locator("input[type=radio]")
    expect(radios).to_have_count(3)  # in the page, none of them shown
    for radio in radios.all():
        expect(radio).to_be_hidden()

    meeting.push(text="Ask the room, anonymously if you like", collects="ask",
                 identity_choice=True)
    group = sam.get_by_role("group", name="Show my name as")
    expect(group).to_be_visible()
    expect(group.get_by_label("My organisation only")).to_be_disabled()
    expect(group.get_by_text("You gave no organisation when you joined")).to_be_visible()

    # Queued while offline, the post keeps its choice.
    identity(sam, "Anonymous to the room")
    sam.context.set_offline(True)
    text = "Who has a spare room for a job club?"
    send(sam, text)
    waiting = section(sam, "Waiting to send")
    expect(waiting).to_contain_text("Shown to the room as: Anonymous")
    stored = sam.evaluate("code => JSON.parse(localStorage.getItem(`askroom:outbox:${code}`))",
                          meeting.code)
    assert [item["body"]["identity"] for item in stored] == ["anonymous"]
    sam.context.set_offline(False)
    card = until(lambda: [c for c in public_cards(meeting) if c["text"] == text], "the ask")[0]
    assert card["author"] is None and card["identity"] == "anonymous"
    expect(section(sam, "My asks").locator(".card", has_text=text)).to_contain_text(
        "Shown to the room as: Anonymous")

    # A new prompt starts again from "My name".
    meeting.push(text="And again", collects="ask", identity_choice=True)
    expect(sam.locator("#prompt-text")).to_have_text("And again")
    expect(group.get_by_label("My name")).to_be_checked()
    assert errors_besides(page_errors, OFFLINE) == []


# --- answers held until the facilitator reveals them ---------------------------------


def test_a_held_answer_is_seen_by_the_one_who_gave_it_and_by_the_room_only_after_reveal(
        phones: Phones, meeting: Meeting, page_errors: PageErrors) -> None:
    sam = phones.joined("Sam", "Work Programme")
    alex = phones.joined("Alex", "Borough Council")
    sam_person, alex_person = person_of(sam, meeting), person_of(alex, meeting)
    meeting.push(text="What I need from you is…", collects="request")
    held = meeting.http.patch(meeting.url(), json={"answers_held": True},
                              headers=meeting.facilitator)
    assert held.status_code == 200 and held.json()["answers_held"] is True
    request = meeting.card(sam_person, "request", "Share the caseload figures each month.",
                           to_participant_id=alex_person.id)
    note = "We will publish them on the first Monday"

    asked = section(alex, "Asked of me")
    expect(asked.get_by_text("Share the caseload figures")).to_be_visible()
    asked.get_by_label("Note (optional)").fill(note)
    asked.get_by_role("button", name="Yes, I will").click()
    expect(asked.locator(".ph-result")).to_have_text("You answered: Yes, I will")
    expect(asked.get_by_text("The facilitator will reveal answers to the room together.")
           ).to_be_visible()
    expect(asked.get_by_text(note)).to_be_visible()
    expect(section(alex, "My commitments").get_by_text("Share the caseload figures")
           ).to_be_visible()
    shot(alex, "phone-held-answer", full_page=True)

    # The requester learns that it was answered, not what.
    my_asks = section(sam, "My asks")
    expect(my_asks.locator(".card", has_text="Share the caseload figures")).to_contain_text(
        "Answered — to be revealed")
    expect(sam.locator("#announcer")).to_contain_text("Your request has been answered.")
    my_asks.scroll_into_view_if_needed()
    sam.evaluate("document.getElementById('asks').scrollIntoView()")
    shot(sam, "phone-held-answer-requester")
    [public] = public_cards(meeting)
    assert public["status"] == "answered" and public["replies"] == []
    sam.wait_for_timeout(300)
    content = sam.content()
    assert note not in content
    assert "Yes, I will" not in content and "answer-yes" not in content
    assert sam.get_by_text("will do this for you").count() == 0

    revealed = meeting.http.post(meeting.url("/reveal"), json={"card_id": request["id"]},
                                 headers=meeting.facilitator)
    assert revealed.status_code == 200, revealed.text
    card = my_asks.locator(".card", has_text="Share the caseload figures")
    expect(card.locator(".answer-yes")).to_have_text("Yes, I will")
    expect(card).to_contain_text(note)
    expect(section(sam, "My commitments").get_by_text("Alex will do this for you.")
           ).to_be_visible()
    expect(sam.locator("#announcer")).to_contain_text("Alex answered your request: Yes, I will")
    expect(asked.get_by_text("The facilitator will reveal answers")).to_have_count(0)
    assert page_errors.errors == []


# --- personal data on the join page -----------------------------------------------------


@pytest.fixture
def short_retention_server(tmp_path: Path) -> Iterator[Server]:
    running = Server(tmp_path / "askroom.db", env={"ASKROOM_RETENTION_DAYS": "30"}).start()
    yield running
    running.stop()


def test_the_join_page_says_who_runs_the_meeting_and_how_long_names_are_kept(
        contexts: Callable[..., BrowserContext], short_retention_server: Server,
        page_errors: PageErrors) -> None:
    with httpx.Client(base_url=short_retention_server.url, timeout=10) as http:
        room = http.post("/api/rooms", json={
            "title": "Winter pressures", "run_by": "Somerset Partnership Team"}).json()
        plain = Meeting.open(http, "No organiser named")
    page = page_errors.watch(contexts(PHONE).new_page())
    page.goto(f"{short_retention_server.url}/r/{room['code']}")
    data = page.get_by_role("complementary", name="Your personal data")
    expect(data).to_contain_text("This meeting is run by Somerset Partnership Team")
    expect(data).to_contain_text(
        "Your name is shown to the people in this room. It is deleted 30 days after the "
        "meeting closes, and you can withdraw at any time.")
    settle(page)
    assert_accessible(page, "the join page with its data protection note")
    shot(page, "phone-join-data-protection")

    page.goto(f"{short_retention_server.url}/r/{plain.code}")
    expect(page.get_by_text("deleted 30 days after the meeting closes")).to_be_visible()
    expect(page.get_by_text("This meeting is run by")).to_have_count(0)
    assert page_errors.errors == []


# --- withdrawing from the meeting -----------------------------------------------------


def test_withdrawing_from_the_meeting_removes_the_name_from_everything(
        phones: Phones, meeting: Meeting, page_errors: PageErrors) -> None:
    leaving = "Samira Leaveswell"
    alex = phones.joined("Alex", "Borough Council")
    samira = phones.joined(leaving, "Work Programme")
    samira_person, alex_person = person_of(samira, meeting), person_of(alex, meeting)
    meeting.push(text="What I need from you is…", collects="request")
    meeting.card(samira_person, "request", "Bring the discharge list to each meeting.",
                 to_participant_id=alex_person.id)
    expect(section(alex, "Asked of me").get_by_text(leaving)).to_be_visible()
    expect(section(samira, "My asks").get_by_text("Bring the discharge list")).to_be_visible()

    samira.get_by_role("button", name="Withdraw from this meeting").click()
    confirm = samira.get_by_role("group", name="Withdraw from this meeting?")
    expect(confirm).to_contain_text(
        "Your name will be removed from everything in this room. Your cards stay, as "
        "'A participant', unless you withdraw them first.")
    expect(confirm.get_by_role("button", name="Stay in the meeting")).to_be_focused()
    settle(samira)
    assert_accessible(samira, "the withdraw confirmation")
    samira.evaluate("document.getElementById('footer').scrollIntoView({block: 'end'})")
    shot(samira, "phone-withdraw")
    # Staying changes nothing.
    confirm.get_by_role("button", name="Stay in the meeting").click()
    expect(samira.get_by_role("button", name="Withdraw from this meeting")).to_be_focused()
    assert any(p["name"] == leaving
               for p in meeting.http.get(meeting.url("/participants")).json())

    samira.get_by_role("button", name="Withdraw from this meeting").click()
    confirm.get_by_role("button", name="Withdraw from this meeting").click()
    expect(samira.get_by_role("heading", name="You have left this meeting")).to_be_visible()
    shot(samira, "phone-left")
    expect(samira.get_by_label("Message")).to_be_hidden()
    assert samira.evaluate("code => localStorage.getItem(`askroom:me:${code}`)",
                           meeting.code) is None

    [card] = until(lambda: [c for c in staff_cards(meeting)
                            if c["author"]["name"] == "A participant"], "the erased name")
    assert card["text"] == "Bring the discharge list to each meeting."
    assert leaving not in json.dumps(public_cards(meeting))
    assert leaving not in json.dumps(staff_cards(meeting))
    assert leaving not in meeting.http.get(meeting.url("/participants")).text
    # The other phone follows live: the request now comes from "A participant".
    asked = section(alex, "Asked of me")
    expect(asked.locator(".card-route")).to_contain_text("A participant")
    alex.wait_for_timeout(300)
    assert leaving not in alex.content()
    assert page_errors.errors == []


# --- my commitments after the meeting ------------------------------------------------------


def test_the_kept_link_signs_in_on_another_phone_after_the_meeting_has_closed(
        phones: Phones, meeting: Meeting, page_errors: PageErrors) -> None:
    priya = phones.joined("Priya", "Volunteer Centre",
                          permissions=["clipboard-read", "clipboard-write"])
    keep = priya.get_by_role("heading", name="Keep this link to update your commitments later")
    expect(keep).to_be_hidden()  # nothing to keep yet
    meeting.push(text="What will you do in the next two weeks?", collects="offer",
                 self_commit=True)
    expect(priya.get_by_role("heading", name="Offer help")).to_be_visible()
    send(priya, "Brief every volunteer driver on the night discharge route.")
    commitments = section(priya, "My commitments")
    expect(commitments.get_by_text("Brief every volunteer driver")).to_be_visible()
    expect(keep).to_be_visible()
    commitments.get_by_role("button", name="Copy link").click()
    expect(commitments.get_by_role("status")).to_contain_text("Link copied")
    link = priya.evaluate("navigator.clipboard.readText()")
    token = _token(priya, meeting)
    assert link == f"{phones.server.url}/r/{meeting.code}#token={token}"

    assert meeting.set_state("closed").status_code == 200
    other = phones.contexts(PHONE).new_page()  # a fresh device, after the meeting
    page_errors.watch(other)
    other.goto(link)
    expect(other.locator("#me")).to_contain_text("Priya")
    assert "#" not in other.url and token not in other.url
    assert other.evaluate("code => JSON.parse(localStorage.getItem(`askroom:me:${code}`)).token",
                          meeting.code) == token
    expect(other.locator("#room-notice")).to_contain_text("This meeting has closed")
    theirs = section(other, "My commitments")
    expect(theirs.get_by_text("Brief every volunteer driver")).to_be_visible()
    theirs.get_by_role("button", name="Done").click()
    until(lambda: staff_cards(meeting)[0]["commitment"]["progress"] == "done", "progress")
    expect(theirs.get_by_role("button", name="Done")).to_have_attribute("aria-pressed", "true")

    # A link whose token the room does not know leaves the person at the join page.
    stranger = phones.contexts(PHONE).new_page()
    page_errors.watch(stranger)
    stranger.goto(f"{phones.server.url}/r/{meeting.code}#token=not-a-token")
    expect(stranger.get_by_role("status").filter(has_text="That link no longer signs anyone in")
           ).to_be_visible()
    assert "#" not in stranger.url
    assert errors_besides(page_errors, 401) == []


# --- a deleted room -------------------------------------------------------------------------


def test_a_deleted_room_says_so_and_nothing_else(
        phones: Phones, meeting: Meeting, page_errors: PageErrors) -> None:
    sam = phones.joined("Sam", "Work Programme")
    away = phones.joined("Alex", "Borough Council")  # offline when it happens
    away.context.set_offline(True)
    expect(away.locator(".conn")).to_have_attribute("data-state", "offline")

    deleted = meeting.http.delete(meeting.url(), headers=meeting.facilitator)
    assert deleted.status_code == 204
    message = "This meeting's room has been deleted."
    expect(sam.get_by_role("heading", name=message)).to_be_visible()
    assert sam.locator("main").inner_text().strip() == message
    shot(sam, "phone-deleted")
    assert "County partnership board" not in sam.content()
    assert "Sam" not in sam.locator("body").inner_text()
    assert sam.evaluate("code => localStorage.getItem(`askroom:me:${code}`)", meeting.code) is None

    # Back online, the stream is refused: the phone asks the API and learns why.
    away.context.set_offline(False)
    expect(away.get_by_role("heading", name=message)).to_be_visible()
    assert away.locator("main").inner_text().strip() == message
    assert errors_besides(page_errors, OFFLINE, 404, WS_REFUSED) == []
