"""The facilitator's console in a real browser against a real server: opened by the
private link, it runs prompts, the timer, moderation and the room, and hands on the log."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx
from playwright.sync_api import BrowserContext, Locator, Page, expect

from tests.e2e.conftest import (
    LAPTOP,
    PROJECTOR,
    PageErrors,
    assert_accessible,
    screenshot,
)
from tests.meeting import Meeting

HOSTILE = "<img src=x onerror=alert(1)>"
# A refused API call (401/403/409) is logged by the browser itself; it is not a page error.
NETWORK_NOISE = "Failed to load resource"
Contexts = Callable[..., BrowserContext]


def open_console(contexts: Contexts, page_errors: PageErrors, meeting: Meeting,
                 *, viewport: dict[str, int] | None = None, organiser_link_kept: bool = True,
                 url: str | None = None, **options: object) -> Page:
    """The console as the facilitator opens it: by the private link from the API."""
    context = contexts(viewport or LAPTOP, **options)
    if organiser_link_kept:
        # What the landing page does on creating a room: keep the organiser key.
        context.add_init_script(
            f"localStorage.setItem('askroom:organiser:{meeting.code}', '{meeting.organiser_key}')")
    page = page_errors.watch(context.new_page())
    page.goto(url or meeting.created["facilitate_url"])
    expect(page.locator("#conn")).to_have_attribute("data-state", "live")
    return page


def room(meeting: Meeting) -> dict[str, Any]:
    response = meeting.http.get(meeting.url())
    assert response.status_code == 200
    return response.json()  # type: ignore[no-any-return]


def card_in(page: Page, card_id: int) -> Locator:
    return page.locator(f"#cards [data-card-id='{card_id}']")


def errors_but_network(page_errors: PageErrors) -> list[str]:
    return [e for e in page_errors.errors if NETWORK_NOISE not in e]


def test_private_link_authorises_and_leaves_the_address_bar(
        contexts: Contexts, page_errors: PageErrors, http: httpx.Client) -> None:
    meeting = Meeting.open(http, "Unemployment working group", "Help people into work")
    page = open_console(contexts, page_errors, meeting)
    assert "#" not in page.url and meeting.facilitator_key not in page.url
    assert page.evaluate(f"localStorage.getItem('askroom:facilitator:{meeting.code}')") \
        == meeting.facilitator_key
    expect(page.get_by_role("heading", level=1)).to_have_text("Unemployment working group")
    # Stored, so a reload without the fragment is still the facilitator's console.
    page.reload()
    expect(page.locator("#conn")).to_have_attribute("data-state", "live")
    expect(page.get_by_role("button", name="Lock room")).to_be_enabled()
    assert page_errors.errors == []


def test_prompts_from_the_library_and_your_own_then_close(
        contexts: Contexts, page_errors: PageErrors, http: httpx.Client) -> None:
    meeting = Meeting.open(http)
    page = open_console(contexts, page_errors, meeting)

    winfy = page.locator(".lib-item[data-key='winfy']")
    winfy.get_by_text("Steps, timings and guidance").click()
    expect(winfy.get_by_text("Only four answers are allowed", exact=False)).to_be_visible()
    expect(winfy.locator(".lib-steps li")).to_have_count(6)
    winfy.get_by_role("button", name="Push").click()
    expect(page.locator("#current-prompt")).to_contain_text("What do you need from another group")
    expect(winfy).to_contain_text("On the board")
    assert room(meeting)["current_prompt"]["library_key"] == "winfy"

    page.get_by_label("Prompt", exact=True).fill("What could you lend another service this winter?")
    page.get_by_label("Collects").select_option("offer")
    page.get_by_label("Duration (min)").fill("4")
    page.get_by_label("Offers are commitments").check()
    page.locator("#custom-form").get_by_role("button", name="Push").click()
    expect(page.locator("#current-prompt")).to_contain_text("lend another service")
    current = room(meeting)["current_prompt"]
    assert (current["text"], current["collects"], current["duration_s"], current["self_commit"]) \
        == ("What could you lend another service this winter?", "offer", 240, True)

    page.get_by_role("button", name="Close prompt").click()
    expect(page.locator("#current-prompt")).to_contain_text("No prompt is open")
    assert room(meeting)["current_prompt"] is None
    assert page_errors.errors == []


def test_timer_starts_counts_down_and_stops(
        contexts: Contexts, page_errors: PageErrors, http: httpx.Client) -> None:
    meeting = Meeting.open(http)
    page = open_console(contexts, page_errors, meeting)
    page.get_by_role("button", name="3 min", exact=True).click()
    clock = page.locator("#timer-clock")
    expect(clock).to_have_text(re.compile(r"^(3:00|2:5\d)$"))
    first = clock.inner_text()
    expect(clock).not_to_have_text(first, timeout=3000)  # it counts down, live
    assert room(meeting)["timer"]["seconds"] == 180
    page.get_by_role("button", name="Stop timer").click()
    expect(clock).to_have_text("–:––")
    assert room(meeting)["timer"] is None
    assert page_errors.errors == []


def test_cards_arrive_live_and_are_moderated(
        contexts: Contexts, page_errors: PageErrors, http: httpx.Client) -> None:
    meeting = Meeting.open(http)
    page = open_console(contexts, page_errors, meeting)
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    sam = meeting.join("Sam", "Work Programme")
    priya = meeting.join("Priya", "NHS")

    ask = meeting.card(priya, "ask", "No beds this winter: who can help people home at night?")
    hostile = meeting.card(sam, "offer", HOSTILE, reply_to=ask["id"])
    card = card_in(page, hostile["id"])
    expect(card).to_be_visible()
    expect(card.locator(".card-text")).to_have_text(HOSTILE)  # as text, never as HTML
    assert card.locator("img").count() == 0
    # Newest first.
    expect(page.locator("#cards .card").first).to_have_attribute("data-card-id", str(hostile["id"]))

    # By keyboard: the card is re-drawn and the focus stays on its toggle.
    card.get_by_role("button", name="Hide").focus()
    page.keyboard.press("Enter")
    expect(card).to_contain_text("Hidden from the board")
    expect(card.get_by_role("button", name="Unhide")).to_be_focused()
    expect(card).to_have_class(re.compile(r"\bis-hidden\b"))
    public = http.get(meeting.url("/cards")).json()
    assert hostile["id"] not in [c["id"] for c in public]
    card.get_by_role("button", name="Unhide").click()
    expect(card).not_to_contain_text("Hidden from the board")
    assert hostile["id"] in [c["id"] for c in http.get(meeting.url("/cards")).json()]

    ask_card = card_in(page, ask["id"])
    ask_card.get_by_role("button", name="Spotlight").click()
    expect(ask_card).to_contain_text("Spotlight on the board")
    expect(page.locator("#spotlight")).to_contain_text("No beds this winter")
    spotlit = [c for c in http.get(meeting.url("/cards")).json() if c["spotlight"]]
    assert [c["id"] for c in spotlit] == [ask["id"]]
    ask_card.get_by_role("button", name="End spotlight").click()
    expect(page.locator("#spotlight")).to_be_hidden()
    assert not any(c["spotlight"] for c in http.get(meeting.url("/cards")).json())
    assert dialogs == []
    assert page_errors.errors == []


def test_lock_unlock_and_close_the_room(
        contexts: Contexts, page_errors: PageErrors, http: httpx.Client) -> None:
    meeting = Meeting.open(http)
    page = open_console(contexts, page_errors, meeting)

    page.get_by_role("button", name="Lock room").click()
    expect(page.locator("#room-state")).to_have_text("Locked")
    refused = http.post(meeting.url("/participants"), json={"name": "Late", "organisation": ""})
    assert refused.status_code == 409
    page.get_by_role("button", name="Unlock room").click()
    expect(page.locator("#room-state")).to_have_text("Open")
    meeting.join("On time", "")

    page.get_by_role("button", name="Close room…").click()
    confirm = page.get_by_role("button", name="Yes, close the room")
    expect(confirm).to_be_focused()
    page.get_by_role("button", name="Cancel").click()
    assert room(meeting)["state"] == "open"
    page.get_by_role("button", name="Close room…").click()
    confirm.click()
    expect(page.locator("#room-state")).to_have_text("Closed")
    assert room(meeting)["state"] == "closed"
    expect(page.get_by_role("button", name="Lock room")).to_be_hidden()
    expect(page.locator(".lib-item").first.get_by_role("button", name="Push")).to_be_disabled()
    assert page_errors.errors == []


def test_counts_and_people_by_organisation_update_live(
        contexts: Contexts, page_errors: PageErrors, http: httpx.Client) -> None:
    meeting = Meeting.open(http)
    page = open_console(contexts, page_errors, meeting)
    count = lambda key: page.locator(f"#counts [data-count='{key}'] dd")  # noqa: E731
    expect(count("participants")).to_have_text("0")

    sam = meeting.join("Sam", "Work Programme")
    alex = meeting.join("Alex", "Borough Council")
    meeting.join("Tom", "borough  council")  # the same organisation, spelt otherwise
    expect(count("participants")).to_have_text("3")
    request = meeting.card(sam, "request", "Tell customers what a job is worth.",
                           to_participant_id=alex.id)
    meeting.card(sam, "offer", "Two days of data analysis.")
    expect(count("requests")).to_have_text("1")
    expect(count("offers")).to_have_text("1")
    expect(count("commitments")).to_have_text("0")
    assert meeting.act(alex, request["id"], "reply", answer="yes").status_code == 200
    expect(count("answered")).to_have_text("1")
    expect(count("commitments")).to_have_text("1")

    council = page.locator("#people .org-group[data-organisation='Borough Council']")
    expect(council.locator("li")).to_have_text(["Alex", "Tom"])
    programme = page.locator("#people .org-group[data-organisation='Work Programme']")
    expect(programme.locator("li")).to_have_text(["Sam"])
    expect(page.locator("#people .org-group")).to_have_count(2)
    assert page_errors.errors == []


def test_organiser_link_copies_and_the_log_downloads(
        contexts: Contexts, page_errors: PageErrors, http: httpx.Client) -> None:
    meeting = Meeting.open(http)
    sam = meeting.join("Sam", "Work Programme")
    meeting.card(sam, "ask", "=HYPERLINK(\"x\") who has a spare room on Tuesdays?")
    page = open_console(contexts, page_errors, meeting,
                        permissions=["clipboard-read", "clipboard-write"])

    expect(page.locator("#organiser-body .link-masked")).to_contain_text("#key=••••")
    expect(page.locator("#organiser-body .link-masked")).not_to_contain_text(meeting.organiser_key)
    page.get_by_role("button", name="Copy the organiser link").click()
    expect(page.locator("#organiser-status")).to_contain_text("Copied")
    link = f"{meeting.created['join_url']}/facilitate#key={meeting.organiser_key}"
    assert page.evaluate("navigator.clipboard.readText()") == link

    with page.expect_download() as info:
        page.get_by_role("button", name="CSV").click()
    download = info.value
    assert download.suggested_filename == f"askroom-{meeting.code}.csv"
    content = Path(download.path()).read_bytes()
    assert content.startswith("\ufeffseq,created_at,kind,status,text,".encode())
    assert b"'=HYPERLINK" in content
    assert page_errors.errors == []


def test_organiser_link_opens_a_read_only_console(
        contexts: Contexts, page_errors: PageErrors, http: httpx.Client) -> None:
    meeting = Meeting.open(http)
    sam = meeting.join("Sam", "Work Programme")
    hidden = meeting.card(sam, "ask", "Hidden from the public")
    meeting.http.patch(meeting.url(f"/cards/{hidden['id']}"), json={"hidden": True},
                       headers=meeting.facilitator)
    url = f"{meeting.created['join_url']}/facilitate#key={meeting.organiser_key}"
    page = open_console(contexts, page_errors, meeting, url=url, organiser_link_kept=False)
    expect(page.locator("#role-note")).to_contain_text("read-only")
    expect(card_in(page, hidden["id"])).to_contain_text("Hidden from the board")
    expect(page.get_by_role("button", name=re.compile("^Push"))).to_have_count(0)
    expect(page.get_by_role("button", name="Lock room")).to_be_hidden()
    expect(page.get_by_role("button", name="Hide")).to_have_count(0)
    expect(page.get_by_role("button", name="CSV")).to_be_visible()
    # The organiser's key is kept as the organiser's, not as the facilitator's.
    assert page.evaluate(f"localStorage.getItem('askroom:facilitator:{meeting.code}')") is None
    assert errors_but_network(page_errors) == []  # the role check is answered 403


def test_no_key_shows_the_private_link_panel_and_a_pasted_key_opens_it(
        contexts: Contexts, page_errors: PageErrors, http: httpx.Client) -> None:
    meeting = Meeting.open(http, "Partnership board")
    context = contexts(LAPTOP)
    page = page_errors.watch(context.new_page())
    page.goto(f"{http.base_url}/r/{meeting.code.lower()}/facilitate")
    expect(page.get_by_role("heading", name="open it with your private link")).to_be_visible()
    expect(page.get_by_role("button", name="Lock room")).to_be_hidden()
    assert_accessible(page, "the console without a key")
    page.get_by_label("Private link or key").fill(meeting.created["facilitate_url"])
    page.get_by_role("button", name="Open the console").click()
    expect(page.locator("#conn")).to_have_attribute("data-state", "live")
    expect(page.get_by_role("button", name="Lock room")).to_be_visible()
    assert page_errors.errors == []


def test_a_wrong_key_is_denied(
        contexts: Contexts, page_errors: PageErrors, http: httpx.Client) -> None:
    meeting = Meeting.open(http)
    other = Meeting.open(http)  # a real key, of another room
    page = page_errors.watch(contexts(LAPTOP).new_page())
    page.goto(f"{http.base_url}/r/{meeting.code}/facilitate#key={other.facilitator_key}")
    expect(page.locator("#gate-error")).to_contain_text("That key is not valid for this room")
    expect(page.locator("#conn")).to_have_text("Key not valid")
    assert "#" not in page.url
    assert page.evaluate(f"localStorage.getItem('askroom:facilitator:{meeting.code}')") is None
    expect(page.get_by_role("button", name="Lock room")).to_be_hidden()
    assert errors_but_network(page_errors) == []


def test_console_is_accessible_and_looks_right(
        contexts: Contexts, page_errors: PageErrors, http: httpx.Client) -> None:
    meeting = Meeting.open(http, "Winter pressures partnership board",
                           "Get frail people home safely this winter")
    sam = meeting.join("Sam Okafor", "Work Programme")
    alex = meeting.join("Alex Reid", "Borough Council")
    priya = meeting.join("Priya Shah", "NHS Commissioning")
    jo = meeting.join("Jo Evans", "Age UK")
    mina = meeting.join("Mina", "")
    meeting.push(library_key="do-differently")
    request = meeting.card(sam, "request", "Tell your customers what a job is worth to them.",
                           to_participant_id=alex.id)
    meeting.act(alex, request["id"], "reply", answer="yes",
                note="You are right. I will change the team remit.")
    ask = meeting.card(priya, "ask", "No beds, frail people sent home at midnight. Who can help?")
    offer = meeting.card(jo, "offer", "Volunteers at A&E to take people home at night.",
                         reply_to=ask["id"])
    meeting.act(priya, offer["id"], "accept")
    meeting.card(alex, "request", "Share discharge plans before a client leaves the ward.",
                 to_organisation="NHS Commissioning")
    hidden = meeting.card(mina, "request", HOSTILE, to_participant_id=sam.id)
    http.patch(meeting.url(f"/cards/{hidden['id']}"), json={"hidden": True},
               headers=meeting.facilitator)
    http.patch(meeting.url(f"/cards/{ask['id']}"), json={"spotlight": True},
               headers=meeting.facilitator)
    http.post(meeting.url("/timer"), json={"seconds": 300}, headers=meeting.facilitator)

    page = open_console(contexts, page_errors, meeting)
    expect(card_in(page, hidden["id"])).to_contain_text("Hidden from the board")
    expect(page.locator(".lib-item")).to_have_count(6)
    page.locator(".lib-item").first.get_by_text("Steps, timings and guidance").click()
    assert_accessible(page, "the console with cards")
    screenshot(page, "console")

    wide = open_console(contexts, page_errors, meeting, viewport=PROJECTOR)
    expect(wide.locator(".lib-item")).to_have_count(6)
    screenshot(wide, "console-1920")
    assert page_errors.errors == []


def test_the_console_shows_the_facilitators_own_link_to_copy(
        contexts: Contexts, page_errors: PageErrors, http: httpx.Client) -> None:
    meeting = Meeting.open(http)
    page = open_console(contexts, page_errors, meeting, viewport={"width": 1366, "height": 768},
                        permissions=["clipboard-read", "clipboard-write"])
    box = page.locator("#facilitator")
    expect(box).to_contain_text("Your facilitator link")
    expect(box.locator(".link-masked")).to_contain_text(f"/r/{meeting.code}/facilitate#key=••••")
    expect(box).not_to_contain_text(meeting.facilitator_key)
    box.get_by_role("button", name="Show your facilitator link").click()
    link = f"{meeting.created['join_url']}/facilitate#key={meeting.facilitator_key}"
    expect(box.locator("#facilitator-link")).to_have_value(link)
    box.get_by_role("button", name="Copy your facilitator link").click()
    expect(box.locator("#facilitator-status")).to_contain_text("Copied")
    assert page.evaluate("navigator.clipboard.readText()") == link
    assert page.locator("#created").is_hidden()  # the "room created" note is the landing's
    box.scroll_into_view_if_needed()
    screenshot(page, "console-facilitator-link")

    # The organiser sees no facilitator link (their key is not the facilitator's).
    organiser = open_console(contexts, page_errors, meeting, organiser_link_kept=False,
                             url=f"{meeting.created['join_url']}/facilitate#key="
                                 f"{meeting.organiser_key}")
    expect(organiser.locator("#role-note")).to_contain_text("read-only")
    expect(organiser.locator("#facilitator")).to_be_hidden()
    assert meeting.facilitator_key not in organiser.content()
    assert errors_but_network(page_errors) == []


def test_the_gate_says_where_the_private_link_can_be_found_again(
        contexts: Contexts, page_errors: PageErrors, http: httpx.Client) -> None:
    meeting = Meeting.open(http)
    page = page_errors.watch(contexts(LAPTOP).new_page())
    page.goto(f"{http.base_url}/r/{meeting.code}/facilitate")
    expect(page.locator("#gate")).to_contain_text("shows it again under Your facilitator link")
    assert page_errors.errors == []


def test_after_pushing_by_keyboard_the_focus_is_on_the_pushed_prompt_in_view(
        contexts: Contexts, page_errors: PageErrors, http: httpx.Client) -> None:
    meeting = Meeting.open(http)
    page = open_console(contexts, page_errors, meeting, viewport={"width": 1366, "height": 768})
    push = page.locator(".lib-item[data-key='ask-for-help']").get_by_role("button", name="Push")
    push.focus()
    page.keyboard.press("Enter")
    current = page.locator("#current-prompt")
    expect(current).to_contain_text("Close prompt")
    expect(current).to_be_focused()
    expect(current).to_be_in_viewport()
    # The empty list no longer asks for a prompt: one is open.
    expect(page.locator("#cards-empty")).to_contain_text("No cards yet — waiting for the room")
    expect(page.locator("#cards-empty")).not_to_contain_text("Push a prompt")
    page.keyboard.press("Tab")  # and the keyboard goes on from there, into the prompt
    expect(current.get_by_role("button").first).to_be_focused()
    assert page_errors.errors == []


def test_skip_to_the_cards_focuses_them_without_moving_the_page(
        contexts: Contexts, page_errors: PageErrors, http: httpx.Client) -> None:
    meeting = Meeting.open(http)
    page = open_console(contexts, page_errors, meeting, viewport={"width": 1366, "height": 768})
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Skip to the cards")
    expect(skip).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.locator("main")).to_be_focused()
    assert page.evaluate("document.scrollingElement.scrollTop") == 0
    # Nothing hangs below the window: the page cannot be scrolled at all.
    assert page.evaluate("document.scrollingElement.scrollHeight") == 768
    expect(page.locator(".console-bar")).to_be_in_viewport(ratio=1)
    assert page_errors.errors == []


def test_progress_set_by_the_person_it_is_for_says_who_on_the_console(
        contexts: Contexts, page_errors: PageErrors, http: httpx.Client) -> None:
    meeting = Meeting.open(http)
    sam = meeting.join("Sam", "Work Programme")
    alex = meeting.join("Alex", "Borough Council")
    request = meeting.card(sam, "request", "Share the list every week.", to_participant_id=alex.id)
    assert meeting.act(alex, request["id"], "reply", answer="yes").status_code == 200
    page = open_console(contexts, page_errors, meeting)
    card = card_in(page, request["id"])
    expect(card.locator(".card-commitment")).to_be_visible()
    assert meeting.act(alex, request["id"], "progress", progress="in_progress").status_code == 200
    expect(card.locator(".progress")).to_have_text("In progress")
    expect(card.locator(".updated-by")).to_have_count(0)  # the owner: nothing to add
    # Sam, whom it is for, marks it done: the console says so, live.
    assert meeting.act(sam, request["id"], "progress", progress="done").status_code == 200
    expect(card.locator(".updated-by")).to_have_text(re.compile(
        r"^Progress updated by Sam\s*Work Programme$"))
    assert page_errors.errors == []
