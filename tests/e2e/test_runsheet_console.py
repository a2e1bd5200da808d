"""Running a planned meeting from the console, in Chromium against a real server: the run
sheet (plan, reorder, Next, time against plan), the answer round (hold, reveal one, reveal
all) as the board shows it, identity choices (the console names, the board does not),
who runs the meeting, and deleting a room."""

from __future__ import annotations

import re
from collections.abc import Callable
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

Contexts = Callable[..., BrowserContext]
# A refused API call is logged by the browser itself; it is not a page error.
NETWORK_NOISE = "Failed to load resource"

OFFERS = "What could you offer others here — time, data, a contact, a room, a skill?"


def open_console(contexts: Contexts, page_errors: PageErrors, meeting: Meeting) -> Page:
    """The console as the facilitator opens it: by the private link from the API."""
    context = contexts(LAPTOP)
    context.add_init_script(
        f"localStorage.setItem('askroom:organiser:{meeting.code}', '{meeting.organiser_key}')")
    page = page_errors.watch(context.new_page())
    page.goto(meeting.created["facilitate_url"])
    expect(page.locator("#conn")).to_have_attribute("data-state", "live")
    return page


def open_board(contexts: Contexts, page_errors: PageErrors, meeting: Meeting) -> Page:
    page = page_errors.watch(contexts(PROJECTOR).new_page())
    page.goto(f"{meeting.http.base_url}/r/{meeting.code}/board")
    expect(page.locator("#conn")).to_have_attribute("data-state", "live")
    return page


def room(meeting: Meeting) -> dict[str, Any]:
    """The room as everyone (a phone, the board) gets it."""
    response = meeting.http.get(meeting.url())
    assert response.status_code == 200, response.text
    return response.json()  # type: ignore[no-any-return]


def run_sheet(meeting: Meeting) -> dict[str, Any]:
    response = meeting.http.get(meeting.url("/runsheet"), headers=meeting.facilitator)
    assert response.status_code == 200, response.text
    return response.json()  # type: ignore[no-any-return]


def steps(meeting: Meeting) -> list[tuple[str | None, str]]:
    return [(s["library_key"], s["text"]) for s in run_sheet(meeting)["steps"]]


def step_in(page: Page, index: int) -> Locator:
    return page.locator("#runsheet > li").nth(index)


def wall_card(page: Page, card: dict[str, Any]) -> Locator:
    return page.locator(f'#wall [data-card-id="{card["id"]}"]')


def console_card(page: Page, card: dict[str, Any]) -> Locator:
    return page.locator(f'#cards [data-card-id="{card["id"]}"]')


def scroll_to(page: Page, selector: str) -> None:
    """Scroll the console's column (not the page, which never scrolls) to an element."""
    page.locator(selector).evaluate("""el => { const col = el.closest('.col');
        const top = el.getBoundingClientRect().top - col.getBoundingClientRect().top;
        col.scrollTop += top - 12; }""")


def eventually(check: Callable[[], bool], page: Page, timeout_s: float = 5) -> None:
    """Poll the API until `check` holds (the page's request may still be on its way)."""
    for _ in range(int(timeout_s * 10)):
        if check():
            return
        page.wait_for_timeout(100)
    assert check()


def test_run_sheet_is_planned_reordered_and_stepped_through(
        contexts: Contexts, page_errors: PageErrors, http: httpx.Client) -> None:
    meeting = Meeting.open(http, "County partnership board", "Get frail people home this winter")
    page = open_console(contexts, page_errors, meeting)
    board = open_board(contexts, page_errors, meeting)
    expect(page.locator("#runsheet-empty")).to_be_visible()

    # Three steps: one from the library, one of our own, one whose duration we change.
    page.locator(".lib-item[data-key='ask-for-help']").get_by_role("button", name="Plan").click()
    expect(step_in(page, 0)).to_contain_text("Ask the room for help")
    custom = "What will your organisation change by Friday?"
    page.get_by_label("Prompt", exact=True).fill(custom)
    page.get_by_label("Collects").select_option("request")
    page.get_by_label("Duration (min)").fill("10")
    page.get_by_role("button", name="Add to run sheet").click()
    expect(step_in(page, 1)).to_contain_text(custom)
    expect(page.get_by_label("Prompt", exact=True)).to_have_value("")
    page.locator(".lib-item[data-key='offers']").get_by_role("button", name="Plan").click()
    expect(page.locator("#runsheet > li")).to_have_count(3)
    minutes = step_in(page, 2).get_by_label("Duration in minutes")
    expect(minutes).to_have_value("10")  # the library's 10 minutes
    minutes.fill("7")
    minutes.press("Enter")
    eventually(lambda: run_sheet(meeting)["steps"][2]["duration_s"] == 420, page)
    expect(page.locator("#runsheet-total")).to_have_text("0 s of 47 min used")
    assert room(meeting)["current_prompt"] is None  # planning pushes nothing
    assert steps(meeting) == [("ask-for-help", run_sheet(meeting)["steps"][0]["text"]),
                              (None, custom), ("offers", OFFERS)]

    # Reorder by keyboard: Offers up one, then Ask the room for help down one.
    step_in(page, 2).get_by_role("button", name="Move up").focus()
    page.keyboard.press("Enter")
    expect(step_in(page, 1)).to_contain_text("Offers")
    expect(step_in(page, 1).get_by_role("button", name="Move up")).to_be_focused()
    assert [key for key, _ in steps(meeting)] == ["ask-for-help", "offers", None]
    step_in(page, 0).get_by_role("button", name="Move down").click()
    expect(step_in(page, 0)).to_contain_text("Offers")
    assert [key for key, _ in steps(meeting)] == ["offers", "ask-for-help", None]
    expect(step_in(page, 0).get_by_role("button", name="Move up")).to_be_disabled()
    expect(step_in(page, 2).get_by_role("button", name="Move down")).to_be_disabled()

    # Next pushes step 1 with its timer; the room (phones, board) sees it.
    next_button = page.locator("#runsheet-next")
    next_words = next_button.locator(".next-words")
    expect(next_words).to_have_text("Next: Offers (7 min)")
    next_button.click()
    expect(page.locator("#current-prompt")).to_contain_text(OFFERS)
    current = room(meeting)["current_prompt"]
    assert (current["text"], current["library_key"]) == (OFFERS, "offers")
    assert room(meeting)["timer"]["seconds"] == 420
    expect(board.locator("#prompt-text")).to_have_text(OFFERS)
    expect(step_in(page, 0)).to_contain_text("On the board")
    expect(page.locator("#current-prompt")).to_contain_text("Step 1 of 3 on the run sheet")

    # Next again: step 2; step 1 is done, with the time it used against its plan.
    expect(next_words).to_have_text("Next: Ask the room for help (30 min)")
    page.wait_for_timeout(1200)  # so step 1 has used a visible second or more
    next_button.click()
    eventually(lambda: (room(meeting)["current_prompt"] or {}).get("library_key")
               == "ask-for-help", page)
    expect(board.locator("#prompt-text")).to_have_text(room(meeting)["current_prompt"]["text"])
    first = step_in(page, 0)
    expect(first).to_contain_text("Done")
    expect(first.locator(".step-used")).to_have_text(re.compile(r"^\d+ s of 7 min used$"))
    expect(step_in(page, 1)).to_contain_text("On the board")
    expect(next_words).to_have_text(f"Next: {custom} (10 min)")
    sheet = run_sheet(meeting)
    assert [s["state"] for s in sheet["steps"]] == ["done", "current", "planned"]
    assert sheet["steps"][0]["used_s"] >= 1
    expect(page.locator("#runsheet-total")).to_have_text(re.compile(r"^\d+ s of 47 min used$"))

    scroll_to(page, "#runsheet-title")
    assert_accessible(page, "the console with a run sheet under way")
    screenshot(page, "console-runsheet")
    assert page_errors.errors == []


def test_answer_round_holds_answers_off_the_board_until_revealed(
        contexts: Contexts, page_errors: PageErrors, http: httpx.Client) -> None:
    meeting = Meeting.open(http, "Unemployment working group", "Help people into work")
    sam = meeting.join("Sam Okafor", "Work Programme")
    alex = meeting.join("Alex Reid", "Borough Council")
    priya = meeting.join("Priya Shah", "NHS Commissioning")
    meeting.push(text="What do you need from another organisation here?", collects="request",
                 identity_choice=True)
    page = open_console(contexts, page_errors, meeting)
    board = open_board(contexts, page_errors, meeting)

    hold = page.get_by_role("switch", name="Hold answers")
    hold.check()
    expect(page.locator("#answers-state")).to_have_text("Answers are held")
    eventually(lambda: room(meeting)["answers_held"] is True, page)

    worth = meeting.card(sam, "request", "Tell your customers what a job is worth to them.",
                         to_participant_id=alex.id)
    fax = meeting.card(alex, "request", "Stop sending referrals by fax.",
                       to_organisation="Work Programme")
    beds = meeting.card(priya, "request", "Share the list of people waiting for a care package.",
                        to_organisation="Borough Council", identity="anonymous")
    for who, card, answer, note in [
            (alex, worth, "yes", "You are right: I will change the team remit."),
            (sam, fax, "no", "Our systems cannot take email yet."),
            (alex, beds, "try", "I will ask our data protection officer.")]:
        assert meeting.act(who, card["id"], "reply", answer=answer, note=note).status_code == 200

    # The board: answered, not which answer; the map counts them as "answered".
    for card in (worth, fax, beds):
        expect(wall_card(board, card).locator(".answer-held")).to_have_text(
            "Answered — to be revealed")
    # The anonymous request is on no arrow: the room does not know whose organisation asked.
    expect(board.locator("#map .map-edge.status-answered")).to_have_count(2)
    expect(board.locator("#legend-answered")).to_be_visible()
    html = board.content()
    for secret in ("Yes, I will", "I'll try", "change the team remit", "cannot take email",
                   "data protection officer", "Priya Shah"):
        assert secret not in html, secret
    assert board.locator("#wall .answer-yes, #wall .answer-no, #wall .answer-try").count() == 0
    expect(wall_card(board, beds)).to_contain_text("Anonymous")

    # The console: every answer, marked as held, with a Reveal each and a count.
    expect(page.locator("#held-count")).to_have_text("3 answers waiting to be revealed")
    held = console_card(page, worth)
    expect(held.locator(".answer-yes")).to_have_text("Yes, I will")
    expect(held).to_contain_text("change the team remit")
    expect(held).to_contain_text("Held: the board shows “answered”")
    expect(console_card(page, beds)).to_contain_text("Priya Shah")
    expect(console_card(page, beds)).to_contain_text("Shown to the room as: anonymous")
    scroll_to(page, "#answers-title")
    assert_accessible(page, "the console in an answer round")
    screenshot(page, "console-answer-round")
    board.wait_for_timeout(400)  # the last arrivals finish sliding in
    assert_accessible(board, "the board with held answers and an anonymous card")
    screenshot(board, "board-held-answers")

    # Reveal one: that answer, and only that one, reaches the board.
    held.get_by_role("button", name="Reveal").click()
    expect(wall_card(board, worth).locator(".answer-yes")).to_have_text("Yes, I will")
    expect(wall_card(board, worth)).to_contain_text("change the team remit")
    expect(wall_card(board, fax).locator(".answer-held")).to_be_visible()
    assert "cannot take email" not in board.content()
    expect(page.locator("#held-count")).to_have_text("2 answers waiting to be revealed")
    public = {c["id"]: c["status"] for c in http.get(meeting.url("/cards")).json()}
    assert (public[worth["id"]], public[fax["id"]], public[beds["id"]]) \
        == ("yes", "answered", "answered")

    # Reveal all: the rest appear together, with a brief glow.
    page.get_by_role("button", name="Reveal all answers").click()
    expect(wall_card(board, fax).locator(".answer-no")).to_be_visible()
    expect(wall_card(board, beds).locator(".answer-try")).to_have_text("I'll try")
    expect(wall_card(board, beds)).to_have_class(re.compile(r"\bjust-revealed\b"))
    expect(board.locator("#map .map-edge.status-answered")).to_have_count(0)
    expect(page.locator("#held-count")).to_have_text("No answers waiting yet")
    expect(console_card(page, worth)).not_to_contain_text("Held:")
    public = {c["id"]: c["status"] for c in http.get(meeting.url("/cards")).json()}
    assert [public[c["id"]] for c in (worth, fax, beds)] == ["yes", "no", "try"]

    hold.uncheck()
    eventually(lambda: room(meeting)["answers_held"] is False, page)
    assert page_errors.errors == []


def test_identity_choice_the_console_names_the_author_and_the_board_does_not(
        contexts: Contexts, page_errors: PageErrors, http: httpx.Client) -> None:
    meeting = Meeting.open(http, "Winter pressures partnership board")
    sam = meeting.join("Sam Okafor", "Work Programme")
    jo = meeting.join("Jo Barnes", "Age UK")
    page = open_console(contexts, page_errors, meeting)
    board = open_board(contexts, page_errors, meeting)

    page.get_by_label("Prompt", exact=True).fill("What is the hardest thing about this winter?")
    page.get_by_label("Collects").select_option("any")
    page.get_by_label("Let people choose how their name is shown (named / organisation only "
                      "/ anonymous)").check()
    page.locator("#custom-form").get_by_role("button", name="Push").click()
    expect(page.locator("#current-prompt")).to_contain_text("People choose how their name is shown")
    assert room(meeting)["current_prompt"]["identity_choice"] is True

    secret = meeting.card(sam, "ask", "We cannot staff the night shift: who can lend a hand?",
                          identity="anonymous")
    someone = meeting.card(jo, "offer", "Two volunteers on Tuesday nights.",
                           reply_to=secret["id"], identity="organisation")

    shown = wall_card(board, secret)
    expect(shown).to_contain_text("Anonymous")
    expect(wall_card(board, someone)).to_contain_text("Someone from")
    expect(wall_card(board, someone)).to_contain_text("Age UK")
    html = board.content()
    assert "Sam Okafor" not in html and "Jo Barnes" not in html

    expect(console_card(page, secret)).to_contain_text("Sam Okafor")
    expect(console_card(page, secret)).to_contain_text("Shown to the room as: anonymous")
    expect(console_card(page, someone)).to_contain_text("Jo Barnes")
    expect(console_card(page, someone)).to_contain_text("Shown to the room as: organisation only")
    board.wait_for_timeout(400)
    assert_accessible(board, "the board with anonymous and organisation-only authors")
    screenshot(board, "board-anonymous")

    # Jo leaves the room: her name goes from the console too, and no page trips on it.
    left = http.post(meeting.url("/participants/me/withdraw"), headers=jo.auth)
    assert left.status_code == 200, left.text
    expect(console_card(page, someone)).not_to_contain_text("Jo Barnes")
    expect(page.locator("#people")).not_to_contain_text("Jo Barnes")
    expect(wall_card(board, someone)).to_contain_text("Someone from")

    # The console-wide choice applies to library pushes too.
    page.get_by_label("Let people choose how their name is shown, for prompts", exact=False).check()
    page.locator(".lib-item[data-key='commitments']").get_by_role("button", name="Push").click()
    eventually(lambda: (room(meeting)["current_prompt"] or {}).get("library_key")
               == "commitments", page)
    assert room(meeting)["current_prompt"]["identity_choice"] is True
    assert page_errors.errors == []


def test_organiser_sees_the_run_sheet_and_the_answer_round_read_only(
        contexts: Contexts, page_errors: PageErrors, http: httpx.Client) -> None:
    meeting = Meeting.open(http)
    for key in ("do-differently", "commitments"):
        assert http.post(meeting.url("/runsheet"), json={"library_key": key},
                         headers=meeting.facilitator).status_code == 201
    assert http.post(meeting.url("/runsheet/next"), headers=meeting.facilitator).status_code == 200
    http.patch(meeting.url(), json={"answers_held": True}, headers=meeting.facilitator)
    page = page_errors.watch(contexts(LAPTOP).new_page())
    page.goto(f"{meeting.created['join_url']}/facilitate#key={meeting.organiser_key}")
    expect(page.locator("#role-note")).to_contain_text("read-only")
    expect(step_in(page, 0)).to_contain_text("On the board")
    expect(step_in(page, 1)).to_contain_text("Commitments round")
    expect(step_in(page, 1)).to_contain_text("10 min planned")
    expect(page.locator("#answers-state")).to_have_text("Answers are held")
    for hidden in ("Next", "Move up", "Remove", "Plan", "Reveal all answers", "Delete room now…"):
        expect(page.get_by_role("button", name=hidden)).to_have_count(0)
    expect(page.get_by_role("switch", name="Hold answers")).to_be_hidden()

    # The facilitator pushes the next step elsewhere: the organiser's sheet follows.
    assert http.post(meeting.url("/runsheet/next"), headers=meeting.facilitator).status_code == 200
    expect(step_in(page, 0)).to_contain_text("Done")
    expect(step_in(page, 1)).to_contain_text("On the board")
    assert [e for e in page_errors.errors if NETWORK_NOISE not in e] == []


def test_run_by_is_edited_and_the_room_is_deleted_with_its_code_typed(
        contexts: Contexts, page_errors: PageErrors, http: httpx.Client) -> None:
    meeting = Meeting.open(http, "Partnership board")
    meeting.join("Sam Okafor", "Work Programme")
    page = open_console(contexts, page_errors, meeting)
    board = open_board(contexts, page_errors, meeting)

    page.get_by_role("button", name="Edit who runs this meeting").click()
    page.get_by_role("textbox", name="Who runs this meeting").fill(
        "County Partnership Board secretariat")
    page.get_by_role("button", name="Save").click()
    expect(page.locator("#run-by-text")).to_have_text("County Partnership Board secretariat")
    assert room(meeting)["run_by"] == "County Partnership Board secretariat"
    expect(page.get_by_role("link", name="The organiser's report")).to_have_attribute(
        "href", f"/r/{meeting.code}/report")

    page.get_by_role("button", name="Delete room now…").click()
    code_field = page.get_by_label("Type the room code")
    expect(code_field).to_be_focused()
    code_field.fill("WRONG1")
    page.get_by_role("button", name="Delete the room").click()
    expect(page.locator("#delete-error")).to_contain_text(f"Type the room code, {meeting.code}")
    assert room(meeting)["code"] == meeting.code  # nothing deleted
    code_field.fill(meeting.code.lower())
    page.get_by_role("button", name="Delete the room").click()

    expect(page.get_by_role("heading", name="Room deleted")).to_be_visible()
    expect(page.get_by_role("link", name="Back to Askroom")).to_have_attribute("href", "/")
    assert http.get(meeting.url()).status_code == 404
    expect(board.get_by_role("heading", name="This room has been deleted")).to_be_visible()
    expect(board.locator("#conn")).to_have_text("Room deleted")
    assert page.evaluate(f"localStorage.getItem('askroom:facilitator:{meeting.code}')") is None
    assert [e for e in page_errors.errors if NETWORK_NOISE not in e] == []


def test_landing_create_form_records_who_runs_the_meeting(
        contexts: Contexts, page_errors: PageErrors, http: httpx.Client) -> None:
    page = page_errors.watch(contexts(LAPTOP).new_page())
    page.goto(f"{http.base_url}/")
    page.get_by_label("Title").fill("County partnership board")
    page.get_by_label("Who runs this meeting (optional)").fill("Surrey Heartlands ICS")
    page.get_by_role("button", name="Create room").click()
    page.wait_for_url(re.compile(r"/r/[2-9A-HJKMNP-Z]{6}/facilitate$"))
    code = page.url.rsplit("/", 2)[-2]
    assert http.get(f"/api/rooms/{code}").json()["run_by"] == "Surrey Heartlands ICS"
    expect(page.locator("#run-by-text")).to_have_text("Surrey Heartlands ICS")
    assert page_errors.errors == []
