"""The participant's phone, /r/{code} (SPEC §5, DESIGN "Phone"), driven in Chromium
against a real server: each browser context is one person's phone; the room is set up
and checked through the real API."""

from __future__ import annotations

import json
import re
import time
from collections.abc import Callable
from typing import Any

import httpx
import pytest
from playwright.sync_api import BrowserContext, Page, expect

from tests.e2e.conftest import PHONE, PageErrors, assert_accessible, screenshot
from tests.meeting import Meeting, Person
from tests.server import Server

expect.set_options(timeout=10_000)

HOSTILE = "<img src=x onerror=alert(1)>"
WAITING = "Waiting to send — it will be sent when you're back online"


def until(check: Callable[[], Any], what: str, timeout: float = 10.0) -> Any:
    """Poll `check` until it returns something truthy; fail after `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while True:
        value = check()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.05)


OFFLINE = "net::ERR_INTERNET_DISCONNECTED"


def errors_besides(page_errors: PageErrors, *provoked: int | str) -> list[str]:
    """The page's errors, less the browser's own log line for failures a test provoked
    (an HTTP status, or a network error such as OFFLINE)."""
    expected = tuple(f"the server responded with a status of {p}" if isinstance(p, int) else p
                     for p in provoked)
    return [e for e in page_errors.errors if not (e.startswith("console: Failed to load resource")
                                                  and any(x in e for x in expected))]


def settle(page: Page) -> None:
    """Let arrival animations finish, so checks see the page as a person would."""
    page.evaluate("Promise.all(document.getAnimations().map(a => a.finished))")


def shot(page: Page, name: str, *, full_page: bool = False) -> None:
    settle(page)
    if full_page:
        page.evaluate("window.scrollTo(0, 0)")
    screenshot(page, name, full_page=full_page)


def cards(meeting: Meeting) -> list[dict[str, Any]]:
    response = meeting.http.get(meeting.url("/cards"), headers=meeting.facilitator)
    assert response.status_code == 200, response.text
    return response.json()  # type: ignore[no-any-return]


def cards_with_text(meeting: Meeting, text: str) -> list[dict[str, Any]]:
    return [card for card in cards(meeting) if card["text"] == text]


def person_named(meeting: Meeting, name: str) -> dict[str, Any]:
    people = meeting.http.get(meeting.url("/participants")).json()
    return next(p for p in people if p["name"] == name)


class Phones:
    """Open the phone page in a fresh context (a device of its own) and join through it."""

    def __init__(self, contexts: Callable[..., BrowserContext], server: Server,
                 meeting: Meeting, errors: PageErrors) -> None:
        self.contexts, self.server, self.meeting, self.errors = contexts, server, meeting, errors

    def open(self, viewport: dict[str, int] | None = None, **options: Any) -> Page:
        page = self.contexts(viewport or PHONE, **options).new_page()
        self.errors.watch(page)
        page.goto(f"{self.server.url}/r/{self.meeting.code}")
        expect(page.locator(".conn")).to_have_attribute("data-state", "live")
        return page

    def joined(self, name: str, organisation: str = "", **options: Any) -> Page:
        page = self.open(**options)
        join(page, name, organisation)
        return page


def join(page: Page, name: str, organisation: str) -> None:
    page.get_by_label("Name", exact=True).fill(name)
    page.get_by_label("Organisation", exact=True).fill(organisation)
    page.get_by_role("button", name="Join").click()
    expect(page.locator("#me")).to_contain_text(name)


def section(page: Page, heading: str) -> Any:
    return page.locator("section.ph-section").filter(
        has=page.get_by_role("heading", name=re.compile(f"^{re.escape(heading)}")))


def send(page: Page, message: str) -> None:
    page.get_by_label("Message").fill(message)
    page.get_by_role("button", name="Send", exact=True).click()


@pytest.fixture
def meeting(http: httpx.Client) -> Meeting:
    return Meeting.open(http, "Unemployment working group", "Help more people into good work")


@pytest.fixture
def phones(contexts: Callable[..., BrowserContext], server: Server, meeting: Meeting,
           page_errors: PageErrors) -> Phones:
    return Phones(contexts, server, meeting, page_errors)


# --- joining ---------------------------------------------------------------------------


def test_join_with_name_and_organisation_and_a_reload_stays_signed_in(
        phones: Phones, meeting: Meeting, page_errors: PageErrors) -> None:
    meeting.join("Alex", "Borough Council")
    page = phones.open()
    expect(page.get_by_role("heading", name="Unemployment working group")).to_be_visible()
    expect(page.get_by_text("Help more people into good work")).to_be_visible()
    # Organisations already in the room are offered as suggestions.
    expect(page.locator("#join-orgs option[value='Borough Council']")).to_have_count(1)
    assert_accessible(page, "the join form")
    shot(page, "phone-join")

    page.get_by_role("button", name="Join").click()
    expect(page.get_by_text("Please type your name.")).to_be_visible()

    join(page, "Sam", "Work Programme")
    expect(page.get_by_role("button", name="Join")).to_be_hidden()
    assert person_named(meeting, "Sam")["organisation"] == "Work Programme"
    expect(page.locator("#prompt")).to_contain_text("Waiting for the facilitator's next prompt")

    page.reload()
    expect(page.locator("#me")).to_contain_text("Sam")
    expect(page.get_by_label("Message")).to_be_visible()
    expect(page.get_by_role("button", name="Join")).to_be_hidden()
    assert len([p for p in meeting.http.get(meeting.url("/participants")).json()
                if p["name"] == "Sam"]) == 1, "a reload must not join again"

    # A token the server no longer knows sends the person back to the join form.
    page.evaluate("""code => {
        const key = `askroom:me:${code}`;
        localStorage.setItem(key, JSON.stringify({...JSON.parse(localStorage.getItem(key)),
                                                  token: "not-a-real-token"}));
    }""", meeting.code)
    page.reload()
    expect(page.get_by_role("button", name="Join")).to_be_visible()
    expect(page.get_by_text("Please join again")).to_be_visible()
    assert errors_besides(page_errors, 401) == []


def test_a_locked_room_refuses_to_join_with_the_reason(
        phones: Phones, meeting: Meeting, page_errors: PageErrors) -> None:
    page = phones.open()
    assert meeting.set_state("locked").status_code == 200
    expect(page.locator("#join-locked")).to_be_visible()
    page.get_by_label("Name", exact=True).fill("Late Larry")
    page.get_by_role("button", name="Join").click()
    expect(page.get_by_role("alert")).to_have_text(
        "The room is locked: no new participants for now.")
    assert meeting.set_state("closed").status_code == 200
    expect(page.get_by_role("heading", name="This meeting has closed")).to_be_visible()
    expect(page.get_by_role("button", name="Join")).to_be_hidden()
    assert errors_besides(page_errors, 409) == []


# --- prompts, requests and answers -----------------------------------------------------


def test_a_request_to_a_named_person_is_answered_on_their_phone(
        phones: Phones, meeting: Meeting, page_errors: PageErrors) -> None:
    alex_phone = phones.joined("Alex", "Borough Council")
    sam = phones.joined("Sam", "Work Programme")
    alex = person_named(meeting, "Alex")

    meeting.push(text="Tell another person one thing they could do differently.",
                 collects="request")
    expect(sam.locator("#prompt-text")).to_have_text(
        "Tell another person one thing they could do differently.")
    assert meeting.http.post(meeting.url("/timer"), json={"seconds": 300},
                             headers=meeting.facilitator).status_code == 200
    expect(sam.locator("#prompt-timer")).to_have_text(re.compile(r"^[45]:\d\d left$"))
    expect(sam.locator("#kind-tabs")).to_be_hidden()  # the prompt decides the kind

    # Nothing valid chosen: a clear error, and nothing is sent.
    sam.get_by_label("To", exact=True).fill("Nobody by this name")
    send(sam, "Please share the job-outcome figures.")
    expect(sam.locator("#to-error")).to_contain_text("Choose someone from the list")
    assert cards(meeting) == []

    # The type-ahead lists people and organisations, never oneself.
    to = sam.get_by_label("To", exact=True)
    to.fill("")
    to.press_sequentially("o")
    listbox = sam.get_by_role("listbox")
    expect(listbox.get_by_role("option", name=re.compile("^Alex"))).to_be_visible()
    expect(listbox.get_by_role("option", name=re.compile("^Borough Council"))).to_be_visible()
    expect(listbox.get_by_role("option", name=re.compile("^Sam"))).to_have_count(0)
    to.fill("al")
    shot(sam, "phone-composer-request")
    listbox.get_by_role("option", name=re.compile("^Alex")).click()
    send(sam, "Tell your customers what a job is worth to them.")
    expect(sam.locator("#sent")).to_have_text("Sent to Alex")
    expect(sam.get_by_label("Message")).to_have_value("")

    [card] = until(lambda: cards(meeting), "the request")
    assert card["kind"] == "request"
    assert card["author"]["name"] == "Sam"
    assert card["to"]["participant"]["id"] == alex["id"]

    # Alex's phone: the request arrives live, is announced, and is counted.
    asked = section(alex_phone, "Asked of me")
    expect(asked.get_by_text("Tell your customers what a job is worth to them.")).to_be_visible()
    expect(alex_phone.locator("#asked-count")).to_contain_text("1")
    expect(alex_phone.locator("#announcer")).to_contain_text(
        "New request from Sam: Tell your customers what a job is worth to them.")
    shot(alex_phone, "phone-asked-of-me", full_page=True)

    # Locked: no new posts, but answers still flow.
    assert meeting.set_state("locked").status_code == 200
    expect(alex_phone.locator("#room-notice")).to_contain_text(
        "The facilitator has paused new posts")
    expect(alex_phone.locator("#composer")).to_be_hidden()

    asked.get_by_label("Note (optional)").fill("You are right: I will change the team's remit.")
    asked.get_by_role("button", name="Yes, I will").click()
    expect(asked.locator(".ph-result")).to_have_text("You answered: Yes, I will")
    expect(alex_phone.locator("#asked-count")).to_be_hidden()
    answered = until(lambda: [c for c in cards(meeting) if c["status"] == "yes"], "the answer")[0]
    assert answered["replies"][-1]["note"] == "You are right: I will change the team's remit."
    assert answered["commitment"]["owner"]["id"] == alex["id"]

    # Both phones now count it among their commitments.
    alex_commitments = section(alex_phone, "My commitments")
    expect(alex_commitments.get_by_text("You will do this, for")).to_be_visible()
    expect(section(sam, "My commitments").get_by_text("Alex will do this for you.")).to_be_visible()
    expect(sam.locator("#announcer")).to_contain_text("Alex answered your request: Yes, I will")

    # The answer may be changed.
    asked.get_by_role("button", name="Change the answer").click()
    asked.get_by_role("button", name="I'll try").click()
    expect(asked.locator(".ph-result")).to_have_text("You answered: I'll try")
    until(lambda: cards(meeting)[0]["status"] == "try", "the changed answer")
    assert page_errors.errors == []


def test_the_to_list_stays_put_under_a_finger_while_the_room_moves(
        phones: Phones, meeting: Meeting, page_errors: PageErrors) -> None:
    """Cards arriving while someone chooses a recipient must not rebuild the options they
    are about to tap (a tap pressed on one element and released on its replacement is no
    click); a new person in the room does change the list."""
    phones.joined("Alex", "Borough Council")
    sam = phones.joined("Sam", "Work Programme")
    meeting.push(text="Tell another person one thing they could do differently.",
                 collects="request")
    expect(sam.locator("#prompt-text")).to_contain_text("differently")
    to = sam.get_by_label("To", exact=True)
    to.fill("o")
    alex = sam.get_by_role("listbox").get_by_role("option", name=re.compile("^Alex"))
    expect(alex).to_be_visible()

    other = meeting.join("Ola", "")  # a new person who matches "o": the list changes
    expect(sam.get_by_role("listbox").get_by_role("option", name=re.compile("^Ola"))
           ).to_be_visible()
    alex.evaluate("li => { li.dataset.marked = 'before the cards'; }")
    for n in range(5):
        assert meeting.post(other, "request", f"Could you share the rota {n}?",
                            to_participant_id=person_named(meeting, "Sam")["id"]
                            ).status_code == 201
    expect(section(sam, "Asked of me").get_by_text("Could you share the rota 4?")).to_be_visible()
    # The same element, never rebuilt while five cards came in.
    expect(alex).to_have_attribute("data-marked", "before the cards")
    alex.click()
    expect(to).to_have_value("Alex (Borough Council)")
    send(sam, "Tell your customers what a job is worth to them.")
    expect(sam.locator("#sent")).to_have_text("Sent to Alex")
    assert page_errors.errors == []


def test_the_kind_tabs_follow_an_open_prompt(
        phones: Phones, meeting: Meeting, page_errors: PageErrors) -> None:
    meeting.join("Alex", "Borough Council")
    sam = phones.joined("Sam", "Work Programme")
    meeting.push(text="Anything goes", collects="any")
    tabs = sam.locator("#kind-tabs")
    expect(tabs).to_be_visible()
    request_tab = tabs.get_by_role("button", name="Ask someone to do something differently")
    ask_tab = tabs.get_by_role("button", name="Ask the room for help")
    expect(request_tab).to_have_attribute("aria-pressed", "true")
    ask_tab.click()
    expect(ask_tab).to_have_attribute("aria-pressed", "true")
    expect(request_tab).to_have_attribute("aria-pressed", "false")
    expect(sam.get_by_label("To", exact=True)).to_be_hidden()
    send(sam, "Who can lend us a room for job clubs?")
    expect(sam.locator("#sent")).to_have_text("Asked the room")
    [card] = until(lambda: cards(meeting), "the ask")
    assert card["kind"] == "ask" and card["to"] is None

    # An organisation is a target too.
    request_tab.click()
    to = sam.get_by_label("To", exact=True)
    to.fill("borough")
    sam.get_by_role("option", name=re.compile("^Borough Council")).click()
    send(sam, "Put a jobs adviser in the benefits office.")
    expect(sam.locator("#sent")).to_have_text("Sent to Borough Council")
    request = until(lambda: [c for c in cards(meeting) if c["kind"] == "request"], "the request")[0]
    assert request["to"] == {"participant": None, "organisation": "Borough Council"}

    # Withdrawing one's own card asks first, then takes it off every list.
    ask_card = section(sam, "My asks").locator(".card", has_text="Who can lend us a room")
    ask_card.get_by_role("button", name="Withdraw").click()
    ask_card.get_by_role("button", name="Keep it").click()
    ask_card.get_by_role("button", name="Withdraw").click()
    ask_card.get_by_role("button", name="Yes, withdraw").click()
    expect(section(sam, "My asks").get_by_text("Who can lend us a room")).to_have_count(0)
    until(lambda: next(c for c in cards(meeting) if c["kind"] == "ask")["status"] == "withdrawn",
          "the withdrawal")

    # A prompt that collects one kind replaces the tabs.
    meeting.push(text="What could you offer others here?", collects="offer")
    expect(tabs).to_be_hidden()
    expect(sam.get_by_role("heading", name="Offer help")).to_be_visible()
    # Nothing to reply to (only his own request is open): a sentence says so, never an
    # empty list (issue 11, item 1 changed this from an In reply to of one "general offer").
    expect(sam.locator("#reply-field")).to_contain_text("Your own asks can't be offered against")
    expect(sam.get_by_label("In reply to")).to_be_hidden()
    assert page_errors.errors == []


def test_hostile_text_from_another_participant_is_shown_as_text(
        phones: Phones, meeting: Meeting, page_errors: PageErrors) -> None:
    sam = phones.joined("Sam", "Work Programme")
    dialogs: list[str] = []
    sam.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    eve = meeting.join(HOSTILE, "<b>Org</b>")
    sam_id = person_named(meeting, "Sam")["id"]
    meeting.card(eve, "request", HOSTILE, to_participant_id=sam_id)
    asked = section(sam, "Asked of me")
    expect(asked.locator(".card-text")).to_have_text(HOSTILE)
    expect(asked.locator(".person-name").first).to_have_text(HOSTILE)
    expect(sam.locator("#announcer")).to_contain_text(f"New request from {HOSTILE}: {HOSTILE}")
    sam.wait_for_timeout(300)  # an injected onerror would have fired by now
    assert sam.locator("main img, #announcer img").count() == 0
    assert sam.locator("main b").count() == 0
    assert dialogs == []
    assert page_errors.errors == []


# --- asks, offers, commitments ------------------------------------------------------------


def test_an_accepted_offer_is_a_commitment_on_both_phones_with_progress_after_closing(
        phones: Phones, meeting: Meeting, page_errors: PageErrors) -> None:
    sam = phones.joined("Sam", "NHS Commissioning")
    priya = phones.joined("Priya", "Volunteer Centre")
    meeting.push(text="Ask the room for help", collects="ask")
    expect(sam.locator("#prompt-text")).to_have_text("Ask the room for help")
    send(sam, "Frail people are sent home at midnight. Who can help?")
    expect(sam.locator("#sent")).to_have_text("Asked the room")
    my_asks = section(sam, "My asks")
    expect(my_asks.get_by_text("No offers yet.")).to_be_visible()

    meeting.push(text="Offer help to the asks", collects="offer")
    reply_to = priya.get_by_label("In reply to")
    expect(reply_to.locator("option", has_text="Frail people")).to_have_count(1)
    reply_to.select_option(label=reply_to.locator("option", has_text="Frail people").inner_text())
    send(priya, "Volunteers will accompany people home from A&E at night.")
    expect(priya.locator("#sent")).to_have_text("Offer sent to Sam")
    offer = until(lambda: [c for c in cards(meeting) if c["kind"] == "offer"], "the offer")[0]
    ask = next(c for c in cards(meeting) if c["kind"] == "ask")
    assert offer["reply_to"] == ask["id"]

    expect(sam.locator("#announcer")).to_contain_text("New offer from Priya")
    offer_row = my_asks.locator(".ph-offer")
    expect(offer_row).to_contain_text("Volunteers will accompany people home")
    offer_row.get_by_role("button", name="Accept").click()
    expect(offer_row).to_contain_text("Accepted — a commitment")
    until(lambda: cards_with_text(meeting, offer["text"])[0]["status"] == "accepted", "acceptance")

    sam_commitments = section(sam, "My commitments")
    priya_commitments = section(priya, "My commitments")
    expect(sam_commitments.get_by_text(offer["text"])).to_be_visible()
    expect(priya_commitments.get_by_text(offer["text"])).to_be_visible()
    expect(priya.locator("#announcer")).to_contain_text("Sam accepted your offer")

    # Progress from the owner's phone shows on the phone of the person it is for.
    priya_commitments.get_by_role("button", name="In progress").click()
    until(lambda: cards_with_text(meeting, offer["text"])[0]["commitment"]["progress"]
          == "in_progress", "progress")
    expect(sam_commitments.get_by_role("button", name="In progress")).to_have_attribute(
        "aria-pressed", "true")
    expect(priya_commitments.locator(".updated-by")).to_have_count(0)

    # Every section with a card in it, for the accessibility check and the screenshot.
    priya_person = Person(**{**person_named(meeting, "Priya"), "token": _token(priya, meeting)})
    sam_id = person_named(meeting, "Sam")["id"]
    meeting.push(text="Requests", collects="request")
    meeting.card(priya_person, "request", "Share the discharge list with us each evening.",
                 to_participant_id=sam_id)
    expect(section(sam, "Asked of me").get_by_text("Share the discharge list")).to_be_visible()
    settle(sam)
    assert_accessible(sam, "the joined phone with cards in every section")
    shot(sam, "phone-commitments", full_page=True)
    sam_commitments.scroll_into_view_if_needed()

    assert meeting.set_state("closed").status_code == 200
    expect(sam.locator("#room-notice")).to_contain_text("This meeting has closed")
    expect(sam.locator("#composer")).to_be_hidden()
    expect(section(sam, "Asked of me").get_by_role("button", name="Yes, I will")).to_have_count(0)
    # SPEC: progress is allowed after closing.
    sam_commitments.get_by_role("button", name="Done").click()
    until(lambda: cards_with_text(meeting, offer["text"])[0]["commitment"]["progress"] == "done",
          "progress after closing")
    expect(priya_commitments.get_by_role("button", name="Done")).to_have_attribute(
        "aria-pressed", "true")
    # The owner learns who set it when it was not them (issue 11); their own updates say nothing.
    expect(priya_commitments.locator(".updated-by")).to_have_text(
        re.compile(r"Progress updated by\s*Sam\s*NHS Commissioning"))
    expect(sam_commitments.locator(".updated-by")).to_have_text("Progress updated by you")
    settle(sam)
    assert_accessible(sam, "a closed room")
    assert page_errors.errors == []


def _token(page: Page, meeting: Meeting) -> str:
    stored = page.evaluate("code => localStorage.getItem(`askroom:me:${code}`)", meeting.code)
    return str(json.loads(stored)["token"])


# --- offline: never lost, never doubled -------------------------------------------------


def outbox(page: Page, meeting: Meeting) -> list[dict[str, Any]]:
    stored = page.evaluate("code => localStorage.getItem(`askroom:outbox:${code}`)", meeting.code)
    return json.loads(stored) if stored else []  # type: ignore[no-any-return]


def test_a_message_sent_offline_waits_and_arrives_exactly_once(
        phones: Phones, meeting: Meeting, page_errors: PageErrors) -> None:
    sam = phones.joined("Sam", "Work Programme")
    meeting.push(text="Ask the room", collects="ask")
    expect(sam.locator("#prompt-text")).to_have_text("Ask the room")
    sam.context.set_offline(True)
    expect(sam.locator(".conn")).to_have_text(
        "Offline — your message will be sent when you're back online")

    text = "Can anyone host a job club on Tuesdays?"
    send(sam, text)
    waiting = section(sam, "Waiting to send")
    expect(waiting.get_by_text(text)).to_be_visible()
    expect(waiting.get_by_text(WAITING)).to_be_visible()
    [queued] = outbox(sam, meeting)
    shot(sam, "phone-offline", full_page=True)
    sam.wait_for_timeout(300)
    assert cards_with_text(meeting, text) == []

    sam.context.set_offline(False)
    expect(waiting).to_be_hidden()
    expect(section(sam, "My asks").get_by_text(text)).to_be_visible()
    expect(sam.locator(".conn")).to_have_text("Live")
    [card] = until(lambda: cards_with_text(meeting, text), "the queued ask")
    assert card["client_id"] == queued["client_id"]
    sam.wait_for_timeout(500)
    assert len(cards_with_text(meeting, text)) == 1
    assert outbox(sam, meeting) == []
    assert errors_besides(page_errors, OFFLINE) == []


def test_the_outbox_survives_a_reload_while_offline(
        phones: Phones, meeting: Meeting, page_errors: PageErrors) -> None:
    sam = phones.joined("Sam", "Work Programme")
    meeting.push(text="Ask the room", collects="ask")
    expect(sam.locator("#prompt-text")).to_have_text("Ask the room")  # the composer asks the room
    context = sam.context
    context.set_offline(True)
    text = "Who knows the DWP district manager?"
    send(sam, text)
    expect(section(sam, "Waiting to send").get_by_text(text)).to_be_visible()
    # The phone's browser drops the tab while still offline (no page can load offline
    # without a service worker, so the reload happens as the network returns).
    sam.close()
    context.set_offline(False)
    again = context.new_page()
    page_errors.watch(again)
    again.goto(f"{phones.server.url}/r/{meeting.code}")
    expect(section(again, "My asks").get_by_text(text)).to_be_visible()
    until(lambda: cards_with_text(meeting, text), "the ask sent after the reload")
    again.wait_for_timeout(500)
    assert len(cards_with_text(meeting, text)) == 1
    assert outbox(again, meeting) == []
    assert errors_besides(page_errors, OFFLINE) == []


def test_a_lost_answer_and_a_failing_server_never_double_a_card(
        phones: Phones, meeting: Meeting, page_errors: PageErrors) -> None:
    sam = phones.joined("Sam", "Work Programme")
    meeting.push(text="Ask the room", collects="ask")
    expect(sam.locator("#prompt-text")).to_have_text("Ask the room")
    posted: list[str] = []

    def lose_the_answer(route: Any) -> None:
        """The server makes the card, but the phone never hears back: it sees a 502."""
        posted.append(json.loads(route.request.post_data or "{}").get("client_id"))
        route.fetch()
        route.fulfill(status=502, json={"detail": "Bad gateway", "code": "bad_gateway"})

    sam.route(re.compile(r"/api/rooms/[^/]+/cards$"), lose_the_answer)
    text = "Could someone review our CV workshop?"
    send(sam, text)
    expect(section(sam, "My asks").get_by_text(text)).to_be_visible()
    sam.unroute_all(behavior="wait")
    # The card reached the room's stream (or a retry got 200 with the same card), so the
    # phone knows it was delivered and stops trying.
    waiting = section(sam, "Waiting to send")
    expect(waiting).to_be_hidden()
    assert outbox(sam, meeting) == []
    assert len(cards_with_text(meeting, text)) == 1
    assert len(set(posted)) == 1

    # A plain 5xx before the server did anything: retried with the same client_id.
    failures = {"left": 1}
    seen: list[str] = []

    def fail_once(route: Any) -> None:
        seen.append(json.loads(route.request.post_data or "{}").get("client_id"))
        if failures["left"]:
            failures["left"] -= 1
            route.fulfill(status=503, json={"detail": "Unavailable", "code": "unavailable"})
        else:
            route.continue_()

    sam.route(re.compile(r"/api/rooms/[^/]+/cards$"), fail_once)
    second = "And a mock interview panel?"
    send(sam, second)
    expect(waiting.get_by_text(second)).to_be_visible()
    expect(waiting.get_by_text("the server did not answer")).to_be_visible()
    sam.context.set_offline(True)   # the network blinks: the "online" event retries at once
    sam.context.set_offline(False)
    expect(section(sam, "My asks").get_by_text(second)).to_be_visible()
    until(lambda: cards_with_text(meeting, second), "the retried card")
    assert len(cards_with_text(meeting, second)) == 1
    assert len(seen) >= 2 and len(set(seen)) == 1, seen
    assert errors_besides(page_errors, 502, 503, OFFLINE) == []


# --- small screens and themes -------------------------------------------------------------


@pytest.mark.parametrize("viewport, name", [
    ({"width": 320, "height": 640}, "phone-320"),
    ({"width": 180, "height": 370}, "phone-zoom-200"),  # a 360 px phone at 200 % zoom
])
def test_the_page_fits_small_screens_without_sideways_scrolling(
        phones: Phones, meeting: Meeting, page_errors: PageErrors,
        viewport: dict[str, int], name: str) -> None:
    alex = meeting.join("Alex", "Borough Council with a long name for a council")
    meeting.push(text="Tell another person one thing they could do differently.",
                 collects="request")
    page = phones.open(viewport)
    join(page, "Sam", "Work Programme")
    meeting.card(alex, "request", "Please bring the caseload figures to the next meeting.",
                 to_participant_id=person_named(meeting, "Sam")["id"])
    expect(section(page, "Asked of me").get_by_text("caseload figures")).to_be_visible()
    overflow = page.evaluate(
        "document.scrollingElement.scrollWidth - document.scrollingElement.clientWidth")
    assert overflow <= 0, f"{overflow}px of sideways scrolling at {viewport['width']}px"
    shot(page, name)
    assert page_errors.errors == []


def test_dark_theme_follows_the_phone_setting(
        phones: Phones, meeting: Meeting, page_errors: PageErrors) -> None:
    alex = meeting.join("Alex", "Borough Council")
    meeting.push(text="Tell another person one thing they could do differently.",
                 collects="request")
    page = phones.open(color_scheme="dark")
    assert page.evaluate("document.documentElement.dataset.theme") == "dark"
    join(page, "Sam", "Work Programme")
    meeting.card(alex, "request", "Please bring the caseload figures to the next meeting.",
                 to_participant_id=person_named(meeting, "Sam")["id"])
    expect(section(page, "Asked of me").get_by_text("caseload figures")).to_be_visible()
    settle(page)
    assert_accessible(page, "the phone in the dark theme")
    shot(page, "phone-dark")
    assert page_errors.errors == []


# --- the pinned prompt and the "sent" line (issue 11, items 5 and 6) ----------------------


def pinned_box(page: Page) -> dict[str, float] | None:
    """The box of whatever holds the prompt at the top of the screen, if anything does."""
    return page.evaluate("""() => {
        const el = document.elementFromPoint(window.innerWidth / 2, 4);
        const pinned = el && el.closest('#prompt, #prompt-bar');
        if (!pinned) return null;
        const r = pinned.getBoundingClientRect();
        return {top: r.top, bottom: r.bottom, height: r.height};
    }""")


def test_a_long_prompt_shrinks_to_one_line_once_scrolled_on_a_small_phone(
        phones: Phones, meeting: Meeting, http: httpx.Client, page_errors: PageErrors) -> None:
    small = {"width": 320, "height": 568}
    longest = max(http.get("/api/prompts").json(), key=lambda p: len(p["text"]))
    meeting.push(library_key=longest["key"])
    page = phones.open(small)
    join(page, "Sam", "Work Programme")
    sam_id = person_named(meeting, "Sam")["id"]
    for name in ("Alex", "Jo", "Priya"):
        asker = meeting.join(name, "Borough Council")
        meeting.card(asker, "request", f"{name} asks: bring the caseload figures next time.",
                     to_participant_id=sam_id)
    asked = section(page, "Asked of me").locator(".ph-list > .card")
    expect(asked).to_have_count(3)
    expect(page.locator("#prompt-text")).to_have_text(longest["text"])
    shot(page, "phone-320-prompt-in-place")

    for index in range(3):
        asked.nth(index).evaluate("el => el.scrollIntoView({block: 'start'})")
        page.evaluate("new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))")
        box = until(lambda: pinned_box(page), "the pinned prompt")
        assert box["height"] <= 0.15 * small["height"], (
            f"the pinned prompt takes {box['height']:.0f} of {small['height']} px")
        head = asked.nth(index).locator(".card-head").bounding_box()
        assert head and head["y"] >= box["bottom"], (
            f"card {index + 1}'s header ({head}) is under the pinned prompt ({box})")
    expect(page.locator("#prompt-bar")).to_contain_text(longest["text"])
    shot(page, "phone-320-prompt-pinned")

    # The whole prompt is one tap away, and back to one line.
    page.get_by_role("button", name="Show all").click()
    expect(page.get_by_role("button", name="Show less")).to_have_attribute(
        "aria-expanded", "true")
    shot(page, "phone-320-prompt-pinned-open")
    page.get_by_role("button", name="Show less").click()
    page.evaluate("window.scrollTo(0, 0)")
    expect(page.locator("#prompt-bar")).to_be_hidden()
    settle(page)
    assert_accessible(page, "the phone with its prompt in place")
    assert page_errors.errors == []


def test_the_sent_line_is_in_view_after_sending_and_gone_when_the_prompt_changes_kind(
        phones: Phones, meeting: Meeting, page_errors: PageErrors) -> None:
    meeting.join("Alex", "Borough Council")
    meeting.push(text="Tell another person here one thing they could do differently that "
                 "would help you do your job. Name them, and say what would change.",
                 collects="request", identity_choice=True)
    sam = phones.joined("Sam", "Work Programme")
    assert sam.viewport_size == PHONE
    sam.get_by_label("To", exact=True).fill("Alex")
    sam.get_by_role("option", name=re.compile("^Alex")).click()
    sam.get_by_label("Message").fill("Put a jobs adviser in the benefits office on Fridays.")
    # The thumb is on Send at the bottom of the screen, as after scrolling down to it.
    sam.evaluate("""() => {
        const send = document.getElementById('send').getBoundingClientRect();
        window.scrollBy(0, send.bottom - window.innerHeight + 2);
    }""")
    send_box = sam.get_by_role("button", name="Send", exact=True).bounding_box()
    assert send_box and send_box["y"] + send_box["height"] > PHONE["height"] - 10, (
        f"Send is at {send_box}: not at the bottom of the screen, so this checks nothing")
    sam.get_by_role("button", name="Send", exact=True).click()
    sent = sam.locator("#sent")
    expect(sent).to_have_text("Sent to Alex")
    box = sent.bounding_box()
    assert box and box["y"] >= 0 and box["y"] + box["height"] <= PHONE["height"], (
        f"the confirmation is at {box}, outside the {PHONE['height']} px screen")
    shot(sam, "phone-360-sent-in-view")

    # Another prompt, another kind: the last confirmation goes.
    meeting.push(library_key="ask-for-help")
    expect(sam.get_by_role("heading", name="Ask the room for help")).to_be_visible()
    expect(sent).to_have_text("")
    expect(sent).to_be_hidden()

    # New words clear it too.
    send(sam, "Who can lend us a room for job clubs?")
    expect(sent).to_have_text("Asked the room")
    sam.get_by_label("Message").fill("And")
    expect(sent).to_be_hidden()
    assert page_errors.errors == []


# --- the join code on the smallest phones (issue 11, item 10) -----------------------------


def test_the_code_placeholder_and_a_typed_code_fit_whole_at_320_px(
        contexts: Callable[..., BrowserContext], server: Server, meeting: Meeting,
        page_errors: PageErrors) -> None:
    page = page_errors.watch(contexts({"width": 320, "height": 568}).new_page())
    page.goto(f"{server.url}/")
    code = page.get_by_label("Room code")
    placeholder = code.get_attribute("placeholder")
    assert placeholder and len(placeholder) == 6
    # The placeholder is drawn as a typed code is (same spacing): what fits one fits both.
    style = code.evaluate("""el => {
        const field = getComputedStyle(el), hint = getComputedStyle(el, '::placeholder');
        return [field.letterSpacing, hint.letterSpacing, field.fontSize, hint.fontSize];
    }""")
    assert style[0] == style[1] and style[2] == style[3], style
    screenshot(page, "landing-320-code-placeholder")
    for typed in (placeholder, meeting.code, "WWWWWW"):
        code.fill(typed)
        room = code.evaluate("el => [el.scrollWidth, el.clientWidth]")
        assert room[0] <= room[1], f"{typed!r} is cut: {room[0]} px in a {room[1]} px box"
    screenshot(page, "landing-320-code-typed")
    assert page.evaluate("document.documentElement.scrollWidth") <= 320
    assert page_errors.errors == []
