"""The ask-for-help story on the phones (issue 11, item 1), through the pages alone and
with the library's prompts as they are: the facilitator pushes "Ask the room for help",
one phone asks, the facilitator spotlights the ask, two other phones offer help from the
room's asks, the asker accepts an offer, and the board and the console show the
commitment. Then what the list of the room's asks must never show."""

from __future__ import annotations

import re

import httpx
from playwright.sync_api import Page, expect

from tests.e2e.conftest import PHONE, PageErrors, assert_accessible, screenshot
from tests.e2e.test_meeting import (
    ASK_FOR_HELP,
    LIVE,
    Contexts,
    Meeting,
    count,
    has_class,
    on_wall,
    push,
    section,
    send,
    settle,
)
from tests.meeting import Meeting as ApiMeeting
from tests.server import Server

SMALL_PHONE = {"width": 320, "height": 568}


def room_asks(phone: Page) -> Page:
    """The phone's list of others' asks, each with Offer help."""
    return section(phone, "Asks in the room")  # type: ignore[return-value]


def in_view(page: Page, selector: str) -> bool:
    """The element is on screen, below the pinned prompt and above the bottom edge."""
    return bool(page.evaluate("""selector => {
        const box = document.querySelector(selector).getBoundingClientRect();
        const bar = document.getElementById('prompt-bar');
        const top = bar && !bar.hidden ? bar.getBoundingClientRect().bottom : 0;
        return box.height > 0 && box.top >= top && box.bottom <= window.innerHeight;
    }""", selector))


def test_the_room_offers_help_from_the_phones_under_the_ask_prompt_alone(
        contexts: Contexts, page_errors: PageErrors, server: Server,
        http: httpx.Client) -> None:
    m = Meeting(contexts, page_errors, server)
    console = m.create_room("County partnership board", "Get frail people home safely this winter")
    board = m.board()
    priya = m.phone("Priya", "NHS Commissioning")
    jo = m.phone("Jo", "Voluntary Action")
    alex = m.phone("Alex", "Borough Council")
    assert priya.viewport_size == PHONE

    push(console, ASK_FOR_HELP)
    for phone in (priya, jo, alex):
        expect(phone.get_by_role("heading", name=ASK_FOR_HELP)).to_be_visible(timeout=LIVE)
        expect(room_asks(phone).get_by_text("No asks from others yet")).to_be_visible()
    ask = ("Norovirus and flu, no beds: frail people are being sent home at midnight. "
           "What can you do this week?")
    send(priya, ask)
    expect(priya.locator("#sent")).to_have_text("Asked the room")
    assert in_view(priya, "#sent"), "the confirmation is out of sight after sending"
    expect(board.locator("#wall .card", has_text=ask)).to_be_visible(timeout=LIVE)
    ask_id = m.card_id(http, ask)

    # Everyone else sees the ask with Offer help; the asker does not offer to herself.
    for phone in (jo, alex):
        card = room_asks(phone).locator(f'[data-card-id="{ask_id}"]')
        expect(card).to_contain_text(ask, timeout=LIVE)
        expect(card).to_contain_text("Priya")
        expect(card.get_by_role("button", name="Offer help")).to_be_visible()
    expect(room_asks(priya).locator("[data-card-id]")).to_have_count(0)
    expect(room_asks(priya).get_by_text("No asks from others yet")).to_be_visible()

    # A second ask arrives later; the spotlight still puts Priya's first.
    second = "Who can lend us a minibus on Saturdays?"
    send(alex, second)
    expect(alex.locator("#sent")).to_have_text("Asked the room")
    expect(room_asks(jo).locator("[data-card-id]")).to_have_count(2, timeout=LIVE)
    expect(room_asks(jo).locator("[data-card-id]").first).to_contain_text(second)
    console.locator(f'#cards [data-card-id="{ask_id}"]').get_by_role(
        "button", name="Spotlight").click()
    for phone in (jo, alex):
        first = room_asks(phone).locator("[data-card-id]").first
        expect(first).to_have_attribute("data-card-id", str(ask_id), timeout=LIVE)
        expect(first).to_contain_text("In the spotlight now")
    settle(jo)
    room_asks(jo).scroll_into_view_if_needed()
    screenshot(jo, "ask-for-help-room-asks-360")

    offers = {
        jo: "We will send volunteers to A&E to accompany people home at night.",
        alex: "I will co-ordinate a message to all our staff about flu jabs.",
    }
    for phone, text in offers.items():
        room_asks(phone).locator(f'[data-card-id="{ask_id}"]').get_by_role(
            "button", name="Offer help").click()
        expect(phone.get_by_role("heading", name="Offer help")).to_be_visible()
        reply = phone.get_by_label("In reply to")
        expect(reply).to_have_value(str(ask_id))
        expect(reply.locator("option:checked")).to_have_text(re.compile(r"^Ask from Priya: "))
        expect(phone.locator("#reply-quote")).to_have_text(ask)  # the option is cut short
        expect(phone.get_by_label("Message")).to_be_focused()
        if phone is jo:
            settle(jo)
            screenshot(jo, "ask-for-help-offer-composer-360")
        send(phone, text)
        expect(phone.locator("#sent")).to_have_text("Offer sent to Priya")
        assert in_view(phone, "#sent"), "the confirmation is out of sight after sending"
        # One offer per tap: the composer is back to what the prompt collects.
        expect(phone.get_by_role("heading", name=ASK_FOR_HELP)).to_be_visible()
        expect(board.locator("#wall .card", has_text=text)).to_be_visible(timeout=LIVE)
    settle(jo)
    screenshot(jo, "ask-for-help-offer-sent-360")
    offer_ids = {phone: m.card_id(http, text) for phone, text in offers.items()}
    assert {c["reply_to"] for c in m.cards(http) if c["kind"] == "offer"} == {ask_id}
    expect(room_asks(jo).locator(f'[data-card-id="{ask_id}"]')).to_contain_text(
        "2 offers so far, one of them yours", timeout=LIVE)

    # Priya accepts Jo's offer on her phone: a commitment on the board and the console.
    row = section(priya, "My asks").locator(".ph-offer", has_text=offers[jo])
    expect(row).to_be_visible(timeout=LIVE)
    row.get_by_role("button", name="Accept").click()
    expect(row).to_contain_text("Accepted — a commitment")
    expect(on_wall(board, offer_ids[jo])).to_have_class(has_class("is-commitment"), timeout=LIVE)
    expect(on_wall(board, offer_ids[alex])).not_to_have_class(has_class("is-commitment"))
    expect(board.locator("#commit-count")).to_have_text("1")
    expect(count(console, "commitments")).to_have_text("1", timeout=LIVE)
    expect(console.locator(f'#cards [data-card-id="{offer_ids[jo]}"]')).to_have_class(
        has_class("is-commitment"))
    expect(section(jo, "My commitments").get_by_text(offers[jo])).to_be_visible(timeout=LIVE)
    for phone, name in ((jo, "jo"), (priya, "priya")):
        settle(phone)
        assert_accessible(phone, f"{name}'s phone after the ask-for-help story")
    assert m.dialogs == []
    assert page_errors.errors == []


def test_the_room_asks_never_show_hidden_withdrawn_or_anonymous_authors(
        contexts: Contexts, page_errors: PageErrors, server: Server,
        http: httpx.Client) -> None:
    api = ApiMeeting.open(http, "County partnership board")
    anna = api.join("Anna Secret", "NHS CCG")
    ben = api.join("Ben", "Borough Council")
    api.push(text="Ask the room for help, anonymously if you like", collects="ask",
             identity_choice=True)
    m = Meeting(contexts, page_errors, server)
    m.code = api.code
    sam = m.phone("Sam", "Work Programme")
    anonymous = api.card(anna, "ask", "Who knows the night bus contract?", identity="anonymous")
    hidden = api.card(ben, "ask", "A hidden ask")
    withdrawn = api.card(ben, "ask", "A withdrawn ask")
    kept = api.card(ben, "ask", "Who can lend a minibus?")
    assert api.http.patch(api.url(f"/cards/{hidden['id']}"), json={"hidden": True},
                          headers=api.facilitator).status_code == 200
    assert api.act(ben, withdrawn["id"], "withdraw").status_code == 200

    listed = room_asks(sam).locator("[data-card-id]")
    expect(listed).to_have_count(2, timeout=LIVE)
    expect(listed.nth(0)).to_have_attribute("data-card-id", str(kept["id"]))
    expect(listed.nth(1)).to_have_attribute("data-card-id", str(anonymous["id"]))
    expect(listed.nth(1)).to_contain_text("Anonymous")
    listed.nth(1).get_by_role("button", name="Offer help").click()
    expect(sam.get_by_label("In reply to")).to_have_value(str(anonymous["id"]))
    expect(sam.locator("#reply-select option:checked")).to_have_text(
        re.compile(r"^Ask from someone: Who knows"))
    words = sam.locator("main").inner_text()
    for secret in ("Anna Secret", "NHS CCG", "A hidden ask", "A withdrawn ask"):
        assert secret not in words, f"{secret!r} shows on another phone"
    sam.get_by_role("button", name="Back to asking the room").click()
    expect(sam.get_by_role("heading", name=ASK_FOR_HELP)).to_be_visible()
    assert page_errors.errors == []


def test_in_reply_to_is_never_an_empty_list(
        contexts: Contexts, page_errors: PageErrors, server: Server,
        http: httpx.Client) -> None:
    api = ApiMeeting.open(http, "County partnership board")
    ben = api.join("Ben", "Borough Council")
    m = Meeting(contexts, page_errors, server)
    m.code = api.code
    sam = m.phone("Sam", "Work Programme")
    api.push(library_key="offers")
    reply_field = sam.locator("#reply-field")
    expect(reply_field).to_contain_text(
        "No asks from others yet: this offer goes to the whole room.", timeout=LIVE)
    expect(sam.get_by_label("In reply to")).to_be_hidden()

    # My own ask is no target: the phone says so rather than list nothing.
    api.push(library_key="ask-for-help")
    send(sam, "Who can lend us a room for job clubs?")
    expect(sam.locator("#sent")).to_have_text("Asked the room")
    api.push(library_key="offers")
    expect(reply_field).to_contain_text("Your own asks can't be offered against", timeout=LIVE)
    expect(sam.get_by_label("In reply to")).to_be_hidden()
    expect(sam.locator("#sent")).to_have_text("")  # the last prompt's confirmation went

    ask = api.card(ben, "ask", "Who can lend a minibus?")
    expect(sam.get_by_label("In reply to")).to_be_visible(timeout=LIVE)
    expect(sam.locator("#reply-none")).to_be_hidden()
    # A spotlighted ask is chosen for the person; one they pick themselves stays.
    assert api.http.patch(api.url(f"/cards/{ask['id']}"), json={"spotlight": True},
                          headers=api.facilitator).status_code == 200
    expect(sam.get_by_label("In reply to")).to_have_value(str(ask["id"]), timeout=LIVE)
    assert page_errors.errors == []
