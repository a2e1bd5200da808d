"""The seed's two meetings as a series (issue 14), in real browsers against a real
server: the working group's first meeting makes commitments; the second opens with
matters arising, where the council officer reports "done" from her phone and the board
shows it; the partnership page's register and kept rate change; the second meeting's
ask for help draws an offer that becomes a new register entry."""

from __future__ import annotations

import re
from collections.abc import Callable

import httpx
from playwright.sync_api import BrowserContext, expect

from tests.e2e.conftest import LAPTOP, PROJECTOR, PageErrors, screenshot
from tests.e2e.test_phone import Phones
from tests.meeting import Series
from tests.server import Server

Contexts = Callable[..., BrowserContext]
MEMBERS = ("County Council", "Jobcentre Plus", "Seetec Work Programme")


def test_the_second_meeting_opens_with_the_first_ones_promises(
        contexts: Contexts, page_errors: PageErrors, http: httpx.Client,
        server: Server) -> None:
    series = Series.start(http, "Unemployment working group", MEMBERS, ref_prefix="UWG")
    first = series.next_meeting()
    dev, maria = first.join("Dev Patel", "Seetec Work Programme"), first.join(
        "Maria Lopez", "County Council")
    first.push(library_key="do-differently")
    asked = first.card(dev, "request", "Mention the value of a job in every benefits "
                       "interview", to_participant_id=maria.id)
    assert first.act(maria, asked["id"], "reply", answer="yes").status_code == 200
    other = first.card(maria, "request", "Send us your referral numbers each month",
                       to_organisation="Jobcentre Plus")
    jo = first.join("Jo Reed", "Jobcentre Plus")
    assert first.act(jo, other["id"], "reply", answer="try").status_code == 200
    assert first.set_state("closed").status_code == 200

    second = series.next_meeting()
    board = page_errors.watch(contexts(PROJECTOR).new_page())
    board.goto(f"{server.url}/r/{second.code}/board")
    expect(board.locator("#conn")).to_have_attribute("data-state", "live")
    phones = Phones(contexts, server, second, page_errors)
    officer = phones.joined("Maria Lopez", "County Council")
    second.push(library_key="matters-arising")

    # The board: the first meeting's open commitments, by organisation.
    expect(board.locator("#prompt-kicker")).to_have_text("Now — matters arising")
    groups = board.locator(".matters-group")
    expect(groups).to_have_count(2)
    expect(board.locator(".matter")).to_have_count(2)
    expect(board.locator(".matter", has_text="UWG-1-01")).to_contain_text("Not started")
    screenshot(board, "series-board-matters")

    # Her phone: nothing to post, her organisation's matter first, with its form.
    expect(officer.locator("#composer")).to_be_hidden()
    mine = officer.locator("#matters-mine article")
    expect(mine).to_have_count(1)
    expect(mine.first).to_contain_text("Mention the value of a job")
    expect(officer.locator("#matters-others article")).to_have_count(1)
    mine.first.get_by_label("Where it has got to").select_option("done")
    mine.first.get_by_label("A line about it (optional)").fill("In the advisers' script now")
    screenshot(officer, "series-phone-matters", full_page=True)
    mine.first.get_by_role("button", name="Report").click()

    # The board shows it done; the register keeps it; the kept rate moves.
    expect(board.locator(".matter", has_text="UWG-1-01")).to_contain_text("Done")
    screenshot(board, "series-board-matter-done")
    register = http.get(series.url("/register"), headers=series.backbone).json()
    done = register["entries"][0]
    assert (done["ref"], done["status"]) == ("UWG-1-01", "done")
    assert done["history"][-1]["in_meeting"] == 2
    assert done["history"][-1]["by"]["name"] == "Maria Lopez"

    # The facilitator records the other one for Jobcentre Plus, who did not come.
    console = page_errors.watch(contexts(LAPTOP).new_page())
    console.goto(f"{server.url}/r/{second.code}/facilitate#key={series.backbone_key}")
    item = console.locator("#matters-items li", has_text="UWG-1-02")
    expect(item).to_be_visible()
    item.get_by_label("Progress of UWG-1-02").select_option("in_progress")
    item.get_by_label("A line about UWG-1-02").fill("Said by email: from March")
    item.get_by_role("button", name="Record for them").click()
    expect(item).to_contain_text("In progress: “Said by email: from March”")
    expect(board.locator(".matter", has_text="UWG-1-02")).to_contain_text("In progress")
    screenshot(console, "series-console-matters")
    history = http.get(series.url("/register"), headers=series.backbone).json()[
        "entries"][1]["history"]
    assert (history[-1]["on_behalf"], history[-1]["by"]) == (True, None)

    # The second meeting's ask for help draws an offer: a new entry.
    second.push(library_key="ask-for-help")
    expect(officer.locator("#composer")).to_be_visible()
    dev2 = second.join("Dev Patel", "Seetec Work Programme")
    ask = second.card(dev2, "ask", "Someone to run a CV clinic at the job fair")
    page = page_errors.watch(contexts(LAPTOP).new_page())
    page.goto(f"{server.url}/p/{series.id}#key={series.backbone_key}")
    expect(page.locator("#register-counts")).to_have_text(
        "2 commitments · 1 open · 0 overdue · 1 done · 0 dropped")
    offer = second.card(second.join("Sam Cole", "Jobcentre Plus"), "offer",
                        "Two advisers for the CV clinic", reply_to=ask["id"])
    assert second.act(dev2, offer["id"], "accept").status_code == 200
    page.reload()
    expect(page.locator("#register-list li", has_text="UWG-2-01")).to_contain_text(
        "Two advisers for the CV clinic")
    expect(page.locator("#register-charts svg").first).to_have_attribute(
        "aria-label", re.compile(r"Meeting 1 50%, Meeting 2 0%"))
    screenshot(page, "series-partnership-page", full_page=True)
    assert not page_errors.errors, page_errors.errors


def test_hundreds_of_open_matters_stay_readable_on_the_board(
        contexts: Contexts, page_errors: PageErrors, http: httpx.Client,
        server: Server) -> None:
    series = Series.start(http, "Big partnership", MEMBERS)
    first = series.next_meeting()
    people = [first.join(f"Person {n}", MEMBERS[n % 3]) for n in range(6)]
    for n in range(30):
        asker, asked = people[n % 6], people[(n + 1) % 6]
        card = first.card(asker, "request", f"Commitment number {n}",
                          to_participant_id=asked.id)
        assert first.act(asked, card["id"], "reply", answer="yes").status_code == 200
    second = series.next_meeting()
    second.push(library_key="matters-arising")
    board = page_errors.watch(contexts(PROJECTOR).new_page())
    board.goto(f"{server.url}/r/{second.code}/board")
    expect(board.locator("#matters-page")).to_have_text("· page 1 of 6")
    items = board.locator(".matter")
    expect(items).to_have_count(5)
    # Grouped: one organisation's whole list before the next's.
    expect(board.locator(".matters-group").first.locator(".matters-org")).to_contain_text(
        "County Council")
    screenshot(board, "series-board-many-matters")
    assert not page_errors.errors, page_errors.errors
