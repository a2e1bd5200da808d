"""A partnership in a real browser against a real server: the landing page's path to
start one, its two links shown once, its page, and opening its meetings from there."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import httpx
from playwright.sync_api import BrowserContext, Page, expect

from tests.e2e.conftest import (
    LAPTOP,
    PHONE,
    PageErrors,
    assert_accessible,
    screenshot,
)
from tests.e2e.test_phone import Phones, send
from tests.meeting import Series
from tests.server import Server

Contexts = Callable[..., BrowserContext]


def start_from_the_landing_page(page: Page, base_url: str) -> dict[str, str]:
    page.goto(f"{base_url}/")
    page.get_by_role("link", name="Start a partnership").click()
    page.wait_for_url(re.compile(r"/p$"))
    page.get_by_label("Name of the partnership").fill("East Employment Partnership")
    page.get_by_label("Shared mission (optional)").fill("Good work for everyone")
    page.get_by_label("Member organisations (one per line)").fill(
        "County Council\n\n  NHS Trust \nJobcentre Plus")
    page.get_by_role("button", name="Start the partnership").click()
    expect(page.get_by_role("heading", name="Keep these two links")).to_be_visible()
    backbone = page.locator("#backbone-link").inner_text()
    member = page.locator("#member-link").inner_text()
    return {"backbone": backbone, "member": member}


def test_the_secretariat_starts_a_partnership_and_opens_its_first_meeting(
        contexts: Contexts, page_errors: PageErrors, http: httpx.Client) -> None:
    page = page_errors.watch(contexts(LAPTOP).new_page())
    links = start_from_the_landing_page(page, str(http.base_url))
    assert re.search(r"/p/[2-9A-HJKMNP-Z]{6}#key=", links["backbone"])
    assert links["backbone"] != links["member"]
    screenshot(page, "partnership-started-laptop")
    assert_accessible(page, "the partnership's two links")

    page.get_by_role("link", name="Open the partnership page").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("East Employment Partnership")
    assert "#" not in page.url  # the key left the address bar
    pid = page.url.rsplit("/", 1)[-1]
    expect(page.locator("#p-members li")).to_have_count(3)
    expect(page.locator("#p-role")).to_have_text("Secretariat")
    expect(page.get_by_text("No meetings yet.")).to_be_visible()
    expect(page.locator("#member-link")).to_have_text(links["member"])
    assert_accessible(page, "the partnership page, empty")

    # The secretariat adds a member; a duplicate spelling is refused, saying why.
    page.get_by_role("button", name="Change the members").click()
    members = page.get_by_label("Member organisations (one per line)")
    members.fill(members.input_value() + "\nhousing trust\nCounty  council")
    page.get_by_role("button", name="Save the members").click()
    expect(page.locator("#members-error")).to_contain_text("name the same organisation")
    members.fill(members.input_value().replace("\nCounty  council", ""))
    page.get_by_role("button", name="Save the members").click()
    expect(page.locator("#p-members li")).to_have_count(4)
    expect(page.get_by_role("button", name="Change the members")).to_be_focused()
    assert http.get(f"/api/partnerships/{pid}", headers={
        "Authorization": f"Bearer {links['member'].split('#key=')[1]}"}).json()[
        "members"][-1] == "housing trust"

    page.get_by_role("button", name="Open meeting 1").click()
    page.wait_for_url(re.compile(r"/r/[2-9A-HJKMNP-Z]{6}/facilitate$"))
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "East Employment Partnership — meeting 1")
    expect(page.locator("#conn")).to_have_attribute("data-state", "live")
    page.get_by_role("button", name="Lock room").click()  # the backbone key runs it
    expect(page.locator("#room-state")).to_have_text("Locked")

    page.goto(f"{http.base_url}/p/{pid}")  # the key is kept on this device
    expect(page.locator("#meetings li")).to_have_count(1)
    expect(page.locator("#meetings li").first).to_contain_text("Locked")
    expect(page.get_by_role("button", name="Open meeting 2")).to_be_visible()
    screenshot(page, "partnership-page-laptop")
    assert not page_errors.errors, page_errors.errors


def test_a_member_reads_the_partnership_on_a_phone_and_cannot_run_it(
        contexts: Contexts, page_errors: PageErrors, http: httpx.Client) -> None:
    series = Series.start(http, "Harbour Health Network", ("Harbour Trust", "GP Federation"))
    series.next_meeting()
    series.next_meeting(title="Winter planning")
    page = page_errors.watch(contexts(PHONE).new_page())
    page.goto(f"{http.base_url}/p/{series.id}#key={series.member_key}")
    expect(page.locator("#p-role")).to_have_text("Member (read only)")
    items = page.locator("#meetings li")
    expect(items).to_have_count(2)
    expect(items.first).to_contain_text("Winter planning")  # the latest first
    expect(page.get_by_role("button", name=re.compile("Open meeting"))).to_be_hidden()
    expect(page.get_by_role("link", name="Console")).to_have_count(0)
    expect(page.get_by_role("button", name="Change the members")).to_be_hidden()
    screenshot(page, "partnership-page-phone", full_page=True)
    assert_accessible(page, "the partnership page, a member on a phone")
    assert not page_errors.errors, page_errors.errors


def test_a_wrong_or_missing_key_gets_the_gate(contexts: Contexts, page_errors: PageErrors,
                                             http: httpx.Client) -> None:
    series = Series.start(http)
    page = page_errors.watch(contexts(PHONE).new_page())
    page.goto(f"{http.base_url}/p/{series.id}")
    gate = page.get_by_role("heading", name="This page needs the partnership's private link")
    expect(gate).to_be_visible()
    page.get_by_label("Private link or key").fill(f"{http.base_url}/p/{series.id}#key=nope")
    page.get_by_role("button", name="Open the partnership").click()
    expect(page.locator("#gate-error")).to_contain_text("not this partnership's")
    page.get_by_label("Private link or key").fill(
        f"{http.base_url}/p/{series.id}#key={series.backbone_key}")
    page.get_by_role("button", name="Open the partnership").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(series.created["title"])
    assert not page_errors.errors, page_errors.errors


def test_a_refused_partnership_says_what_to_fix(contexts: Contexts, page_errors: PageErrors,
                                                http: httpx.Client) -> None:
    page = page_errors.watch(contexts(PHONE).new_page())
    page.goto(f"{http.base_url}/p")
    page.get_by_label("Name of the partnership").fill("Duplicates")
    page.get_by_label("Member organisations (one per line)").fill("Fire Service\nfire  service")
    page.get_by_role("button", name="Start the partnership").click()
    expect(page.locator("#start-error")).to_contain_text("name the same organisation")
    expect(page.get_by_label("Member organisations (one per line)")).to_be_focused()
    screenshot(page, "partnership-refused-phone")
    assert not page_errors.errors, page_errors.errors


def test_a_phone_in_a_meeting_asks_a_member_nobody_came_from(
        contexts: Contexts, page_errors: PageErrors, http: httpx.Client,
        server: Server) -> None:
    series = Series.start(http, "East Employment Partnership",
                          ("County Council", "Jobcentre Plus", "Fire Service"))
    meeting = series.next_meeting()
    phones = Phones(contexts, server, meeting, page_errors)
    sam = phones.joined("Sam Carter", "jobcentre  plus")
    expect(sam.locator("#me")).to_contain_text("Jobcentre Plus")  # the member's spelling
    meeting.push(text="Who can help with this, now?", collects="request")
    to = sam.get_by_label("To", exact=True)
    to.press_sequentially("coun")
    option = sam.get_by_role("listbox").get_by_role("option", name=re.compile("^County Council"))
    expect(option).to_contain_text("a member of the partnership, nobody here yet")
    screenshot(sam, "partnership-phone-to-member")
    option.click()
    send(sam, "Share the list of vacancies before the jobs fair")
    expect(sam.locator("#sent")).to_have_text("Sent to County Council")
    cards = http.get(meeting.url("/cards")).json()
    assert [c["to"]["organisation"] for c in cards] == ["County Council"]
    assert not page_errors.errors, page_errors.errors



def test_the_register_on_the_partnership_page_filters_charts_and_downloads(
        contexts: Contexts, page_errors: PageErrors, http: httpx.Client) -> None:
    from tests.e2e.conftest import PROJECTOR

    series = Series.start(http, "East Employment Partnership",
                          ("County Council", "Jobcentre Plus", "Fire Service"))
    first, second = series.next_meeting(), series.next_meeting()
    sam, alex = first.join("Sam Carter", "Jobcentre Plus"), first.join("Alex Moss",
                                                                        "County Council")
    for text, asker, asked in (("Share the vacancy list", sam, alex),
                               ("Two places on the course", alex, sam)):
        card = first.card(asker, "request", text, to_participant_id=asked.id)
        assert first.act(asked, card["id"], "reply", answer="yes").status_code == 200
    assert first.act(alex, http.get(first.url("/cards")).json()[0]["id"], "progress",
                     progress="done", note="Sent on Monday").status_code == 200
    kim, lou = second.join("Kim Lee", "Fire Service"), second.join("Lou Ray", "County Council")
    card = second.card(kim, "request", "Fit smoke alarms on the estate",
                       to_participant_id=lou.id)
    assert second.act(lou, card["id"], "reply", answer="try").status_code == 200

    page = page_errors.watch(contexts(LAPTOP).new_page())
    page.goto(f"{http.base_url}/p/{series.id}#key={series.backbone_key}")
    entries = page.locator("#register-list li")
    expect(entries).to_have_count(3)
    expect(page.locator("#register-counts")).to_have_text(
        "3 commitments · 2 open · 0 overdue · 1 done · 0 dropped")
    expect(entries.first).to_contain_text("EEP-1-01")
    expect(entries.first).to_contain_text("Done")
    charts = page.locator("#register-charts figure")
    expect(charts).to_have_count(2)
    expect(charts.first.locator("svg")).to_have_attribute(
        "aria-label", "Kept rate by meeting (share done): Meeting 1 50%, Meeting 2 0%")
    expect(page.locator("#asked li")).to_have_count(3)  # who asked whom, across both
    expect(page.locator("#asked li").first).to_contain_text("1 request")
    screenshot(page, "partnership-register-laptop", full_page=True)
    assert_accessible(page, "the partnership page with its register")

    page.get_by_label("Organisation", exact=True).select_option("County Council")
    expect(entries).to_have_count(2)
    page.get_by_label("Status", exact=True).select_option("open")
    expect(entries).to_have_count(1)
    expect(entries.first).to_contain_text("Fit smoke alarms on the estate")
    page.get_by_label("Overdue only").check()
    expect(page.get_by_text("No commitment matches these filters.")).to_be_visible()
    page.get_by_label("Overdue only").uncheck()

    with page.expect_download() as download:
        page.get_by_role("button", name="CSV").click()
    assert download.value.suggested_filename == f"askroom-register-{series.id}.csv"
    assert "EEP-2-01" in Path(download.value.path()).read_text(encoding="utf-8-sig")

    phone = page_errors.watch(contexts(PHONE).new_page())
    phone.goto(f"{http.base_url}/p/{series.id}#key={series.member_key}")
    expect(phone.locator("#register-list li")).to_have_count(3)
    screenshot(phone, "partnership-register-phone", full_page=True)
    wall = page_errors.watch(contexts(PROJECTOR).new_page())
    wall.goto(f"{http.base_url}/p/{series.id}#key={series.member_key}")
    expect(wall.locator("#register-list li")).to_have_count(3)
    screenshot(wall, "partnership-register-projector")
    assert not page_errors.errors, page_errors.errors


def test_a_phone_from_an_earlier_meeting_finds_its_own_commitments_first(
        contexts: Contexts, page_errors: PageErrors, http: httpx.Client,
        server: Server) -> None:
    series = Series.start(http, "Harbour Health Network", ("County Council", "NHS Trust"))
    first = series.next_meeting()
    device = contexts(PHONE)  # one phone, at both meetings
    phone = page_errors.watch(device.new_page())
    phone.goto(f"{server.url}/r/{first.code}")
    phone.get_by_label("Name", exact=True).fill("Alex Moss")
    phone.get_by_label("Organisation", exact=True).fill("County Council")
    phone.get_by_role("button", name="Join").click()
    expect(phone.locator("#me")).to_contain_text("Alex Moss")
    people = {p["name"]: p for p in http.get(first.url("/participants")).json()}
    kim = first.join("Kim Lee", "NHS Trust")
    jo = first.join("Jo Reed", "County Council")
    for asked_id, asked_token in ((jo.id, jo.auth), (people["Alex Moss"]["id"], None)):
        card = first.card(kim, "request", f"Request to {asked_id}", to_participant_id=asked_id)
        if asked_token is not None:
            assert http.post(first.url(f"/cards/{card['id']}/reply"), json={"answer": "yes"},
                             headers=asked_token).status_code == 200
        else:
            alex_card = card
    # Alex answers on the phone: the second commitment is theirs.
    phone.get_by_role("button", name="Yes, I will").first.click()
    expect(phone.locator("#commitments")).to_contain_text(alex_card["text"])

    second = series.next_meeting()
    second.push(library_key="matters-arising")
    phone.goto(f"{server.url}/r/{second.code}")
    phone.get_by_label("Name", exact=True).fill("Alex Moss")
    phone.get_by_label("Organisation", exact=True).fill("County Council")
    phone.get_by_role("button", name="Join").click()
    mine = phone.locator("#matters-mine article")
    expect(mine).to_have_count(2)
    expect(mine.first).to_contain_text("HHN-1-02 · from meeting 1 · yours")
    expect(mine.nth(1)).to_contain_text("HHN-1-01")
    assert not page_errors.errors, page_errors.errors
