"""The organiser's report in a real browser against a real server: opened by the private
link, it turns a seeded meeting (both of SPEC's origin stories, a commitments round and
progress reported afterwards) into a printable document, for everyone or for one
organisation, and Chromium's print to PDF keeps every commitment."""

from __future__ import annotations

import io
import re
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import openpyxl
import pytest
from playwright.sync_api import BrowserContext, Page, expect
from pypdf import PdfReader

from tests.e2e.conftest import LAPTOP, PageErrors, assert_accessible, screenshot
from tests.meeting import Meeting, Person
from tests.server import Server

expect.set_options(timeout=10_000)

OUTPUT = Path(__file__).resolve().parents[2] / "test-output"
Contexts = Callable[..., BrowserContext]


@dataclass
class Seeded:
    meeting: Meeting
    people: dict[str, Person]
    hidden_text: str


def seed(http: httpx.Client) -> Seeded:
    """A county partnership board: requests answered yes, try, no and unclear and one left
    open, an ask with two accepted offers (and one not taken up), a commitments round, a
    card the facilitator hid, then the room closed and progress reported afterwards."""
    meeting = Meeting.open(http, "County partnership board: winter pressures",
                           "Get frail people home safely this winter, and people into work")
    response = http.patch(meeting.url(), json={"run_by": "Jo Banks, County Council"},
                          headers=meeting.facilitator)
    assert response.status_code == 200, response.text
    people = {
        "sam": meeting.join("Sam Carter", "Work Programme"),
        "alex": meeting.join("Alex Morgan", "Borough Council"),
        "dana": meeting.join("Dana Price", "Borough Council"),
        "priya": meeting.join("Priya Shah", "NHS CCG"),
        "morgan": meeting.join("Morgan Lee", "Voluntary Action"),
        "chris": meeting.join("Chris Okafor", "Public Health"),
    }
    sam, alex, dana, priya, morgan, chris = people.values()

    # Story 1: tell someone what they could do differently.
    meeting.push(library_key="do-differently")
    worth = meeting.card(sam, "request", "Tell your customers what a job is worth to them.",
                         to_participant_id=alex.id)
    assert meeting.act(alex, worth["id"], "reply", answer="yes",
                       note="You are right. I will change the team's remit and job "
                            "descriptions.").status_code == 200
    housing = meeting.card(priya, "request", "Share the housing-needs list with the hospital "
                           "discharge team every week.", to_organisation="Borough Council")
    assert meeting.act(dana, housing["id"], "reply", answer="try").status_code == 200
    ward = meeting.card(morgan, "request", "Give the voluntary sector a named contact on "
                        "every ward.", to_participant_id=priya.id)
    assert meeting.act(priya, ward["id"], "reply", answer="no",
                       note="Not this winter: the wards change too often.").status_code == 200
    referrals = meeting.card(alex, "request", "Sort the referrals out.",
                             to_organisation="Voluntary Action")
    assert meeting.act(morgan, referrals["id"], "reply", answer="unclear").status_code == 200
    meeting.card(sam, "request", "Run a job club in your Tuesday drop-in.",
                 to_organisation="Voluntary Action")
    figures = meeting.card(chris, "request", "Send Public Health the weekly flu admissions.",
                           to_participant_id=priya.id)
    assert meeting.act(priya, figures["id"], "reply", answer="yes").status_code == 200
    hidden = meeting.card(sam, "request", "Off-topic rant the facilitator hid.",
                          to_organisation="NHS CCG")
    assert http.patch(meeting.url(f"/cards/{hidden['id']}"), json={"hidden": True},
                      headers=meeting.facilitator).status_code == 200

    # Story 2: ask the room for help; two offers accepted, one not taken up.
    meeting.push(library_key="ask-for-help")
    winter = meeting.card(priya, "ask", "Norovirus, flu and no beds: frail people are sent "
                          "home at midnight. What can you do this week?")
    jabs = meeting.card(alex, "offer", "I will send every council employee a message about "
                        "flu jabs.", reply_to=winter["id"])
    volunteers = meeting.card(morgan, "offer", "We will send volunteers to A&E to see people "
                              "home at night.", reply_to=winter["id"])
    meeting.card(sam, "offer", "Our advisers could ring people after discharge.",
                 reply_to=winter["id"])
    for offer in (jabs, volunteers):
        assert meeting.act(priya, offer["id"], "accept").status_code == 200

    # A commitments round: self-commitments for the room.
    meeting.push(library_key="commitments")
    clinics = meeting.card(chris, "offer", "Publish the flu clinic times on every partner's "
                           "intranet by Friday.")
    recruit = meeting.card(morgan, "offer", "Recruit ten more night volunteers by December.")

    assert meeting.set_state("closed").status_code == 200
    # After the meeting: owners (and those they promised) report progress.
    for who, card, progress, note in [
        (alex, worth, "done", "Remit changed; new job descriptions are out."),
        (alex, jabs, "done", ""),
        (chris, clinics, "done", "On all five intranets."),
        (morgan, volunteers, "in_progress", "Six volunteers on the rota so far."),
        (morgan, recruit, "dropped", "The funding fell through."),
    ]:
        response = meeting.act(who, card["id"], "progress", progress=progress, note=note)
        assert response.status_code == 200, response.text
    return Seeded(meeting, people, hidden["text"])


def export(meeting: Meeting) -> dict[str, Any]:
    response = meeting.http.get(meeting.url("/export.json"), headers=meeting.organiser)
    assert response.status_code == 200, response.text
    return response.json()  # type: ignore[no-any-return]


@pytest.fixture(scope="module")
def seeded(server: Server) -> Iterator[Seeded]:
    """One seeded meeting for the module: the tests only read it."""
    with httpx.Client(base_url=server.url, timeout=10) as client:
        yield seed(client)


def commitments_of(log: dict[str, Any]) -> list[dict[str, Any]]:
    """The commitments the report must list: every one not hidden by the facilitator."""
    return [c for c in log["cards"] if c["commitment"] and not c["hidden"]]


def words(text: str) -> str:
    """Text with every run of white space (line breaks, no-break spaces) made one space."""
    return re.sub(r"\s+", " ", text).strip()


def pdf_text(path: Path) -> str:
    return words(" ".join(page.extract_text() for page in PdfReader(path).pages))


def org_key(name: str) -> str:
    return " ".join(name.split()).casefold()


def open_report(contexts: Contexts, page_errors: PageErrors, seeded: Seeded, *,
                key: str | None = None, query: str = "") -> Page:
    """The report as the organiser opens it: by the link with the key in the fragment."""
    page = page_errors.watch(contexts(LAPTOP).new_page())
    meeting = seeded.meeting
    fragment = f"#key={key or meeting.organiser_key}"
    page.goto(f"{meeting.http.base_url}/r/{meeting.code}/report{query}{fragment}")
    expect(page.locator("#report h1")).to_have_text(meeting.created["title"])
    return page


def wait_until_kept(page: Page, slot: str, key: str, timeout_s: float = 10) -> None:
    """Wait for the page to keep `key` in localStorage (it does so after the report is
    drawn). Not page.wait_for_function: its in-page polling evaluates a string, which the
    page's CSP refuses, so it failed whenever the first look came too early."""
    deadline = time.monotonic() + timeout_s
    while page.evaluate("slot => localStorage.getItem(slot)", slot) != key:
        assert time.monotonic() < deadline, f"{slot} was not kept"
        page.wait_for_timeout(50)


def write_pdf(page: Page, name: str) -> Path:
    OUTPUT.mkdir(parents=True, exist_ok=True)
    path = OUTPUT / f"{name}.pdf"
    page.pdf(path=str(path), format="A4", print_background=True)
    return path


def test_report_lists_every_commitment_and_organisation_with_the_kept_rate(
        contexts: Contexts, page_errors: PageErrors, seeded: Seeded) -> None:
    meeting = seeded.meeting
    log = export(meeting)
    commitments = commitments_of(log)
    assert len(commitments) == 7
    page = open_report(contexts, page_errors, seeded)

    # The key left the address bar at once, and stays on this device for the console.
    assert "#" not in page.url and meeting.organiser_key not in page.url
    wait_until_kept(page, f"askroom:organiser:{meeting.code}", meeting.organiser_key)
    expect(page.locator(".doc-purpose")).to_have_text(meeting.created["purpose"])
    facts = page.locator(".doc-facts")
    expect(facts).to_contain_text("Jo Banks, County Council")
    expect(facts).to_contain_text(re.compile(r"\d{1,2} (January|February|March|April|May|June|July|"
                                             r"August|September|October|November|December) \d{4}"))

    # Every commitment: its words, its owner, whom it is for, its progress.
    progress_words = {"done": "Done", "in_progress": "In progress", "not_started": "Not started",
                      "dropped": "Dropped"}
    entries = page.locator(".commitments .commitment")
    expect(entries).to_have_count(len(commitments))
    by_id = {card["id"]: card for card in log["cards"]}
    for card in commitments:
        entry = page.locator(f".commitments .commitment[data-card-id='{card['id']}']")
        expect(entry.locator(".c-what")).to_have_text(card["text"])
        owner = card["commitment"]["owner"]
        expect(entry).to_contain_text(owner["name"])
        expect(entry).to_contain_text(owner["organisation"])
        expect(entry.locator(".progress")).to_have_text(progress_words[card["commitment"]["progress"]])
        if card["commitment"]["note"]:
            expect(entry).to_contain_text(card["commitment"]["note"])
        if card["kind"] == "request":
            expect(entry).to_contain_text(card["author"]["name"])
        elif card["reply_to"]:
            asker = by_id[card["reply_to"]]
            expect(entry).to_contain_text(asker["author"]["name"])
            expect(entry.locator(".c-source")).to_contain_text(asker["text"])
        else:
            expect(entry).to_contain_text("The room")

    # The kept rate, worked out here from the API.
    done = sum(c["commitment"]["progress"] == "done" for c in commitments)
    rate = round(100 * done / len(commitments))
    expect(page.locator(".glance .kept-line")).to_have_text(
        f"{done} of {len(commitments)} commitments done ({rate}\u00a0%)")
    assert (done, rate) == (3, 43)
    legend = page.locator(".glance .kept-legend")
    for part in ("3 done", "1 in progress", "2 not started", "1 dropped"):
        expect(legend).to_contain_text(part)

    # Every organisation, by name, with its people; and a section of its own.
    organisations = {p["organisation"] for p in log["participants"]}
    assert len(organisations) >= 3
    people = page.locator(".people")
    for person in log["participants"]:
        expect(people).to_contain_text(person["name"])
    for name in organisations:
        expect(people.locator(".org-name", has_text=name)).to_have_count(1)
        section = page.locator(f".org-section[data-org='{org_key(name)}']")
        expect(section.locator(".org-title")).to_have_text(name)

    # Requests by answer, counted from the API; the map and its table of counts.
    requests = [c for c in log["cards"] if c["kind"] == "request" and not c["hidden"]]
    for answer in ("yes", "try", "no", "unclear", "open"):
        expected = sum(c["status"] == answer for c in requests)
        tile = page.locator(f".answer-summary .answer-is-{answer} .answer-count-n")
        expect(tile).to_have_text(str(expected))
    expect(page.locator(".map-section svg.map-svg .map-node")).to_have_count(len(organisations))
    expect(page.locator(".map-section .map-edge").first).to_be_visible()
    expect(page.locator(".map-section table.matrix tbody tr")).to_have_count(6)
    # What the facilitator hid stays out of the report.
    expect(page.locator("#report")).not_to_contain_text(seeded.hidden_text)
    expect(page.locator(".doc-foot")).to_contain_text("1 card hidden by the facilitator")

    screenshot(page, "report", full_page=True)
    assert_accessible(page, "the organiser's report")
    assert page_errors.errors == []


def test_printed_report_is_a_clean_pdf_with_every_commitment(
        contexts: Contexts, page_errors: PageErrors, seeded: Seeded) -> None:
    log = export(seeded.meeting)
    page = open_report(contexts, page_errors, seeded)
    expect(page.locator(".map-svg")).to_be_visible()
    text = pdf_text(write_pdf(page, "report"))
    assert seeded.meeting.created["title"] in text
    for card in commitments_of(log):
        assert words(card["text"]) in text, card["text"]
        assert card["commitment"]["owner"]["name"] in text
    assert "3 of 7 commitments done (43 %)" in text
    # Paper has no buttons or navigation, and nothing hidden.
    for screen_only in ("Print / Save as PDF", "Download CSV", "Show the report for", "Skip to"):
        assert screen_only not in text
    assert seeded.hidden_text not in text
    # The page header repeats the meeting's title from page two on, with page numbers.
    pages = PdfReader(OUTPUT / "report.pdf").pages
    assert len(pages) >= 2
    assert "Page 2 of" in pages[1].extract_text()
    assert seeded.meeting.created["title"] in words(pages[1].extract_text())
    assert page_errors.errors == []


def test_organisation_view_shows_only_that_organisation_and_keeps_the_key_out(
        contexts: Contexts, page_errors: PageErrors, seeded: Seeded) -> None:
    meeting = seeded.meeting
    log = export(meeting)
    page = open_report(contexts, page_errors, seeded)
    page.get_by_label("Show the report for:").select_option(label="NHS CCG")

    expect(page).to_have_url(re.compile(r"/report\?org=NHS%20CCG$"))
    assert meeting.organiser_key not in page.url
    expect(page.locator(".doc-kicker")).to_have_text("Report for NHS CCG")
    expect(page.locator(".org-section")).to_have_count(0)
    expect(page.locator(".map-section")).to_have_count(0)
    expect(page.locator(".people")).to_have_count(0)

    # Its commitments, and those made to it, in full; nobody else's.
    priya = seeded.people["priya"]
    mine = {c["id"] for c in commitments_of(log)
            if c["commitment"]["owner"]["id"] == priya.id
            or (c["kind"] == "request" and c["author"]["id"] == priya.id)
            or (c["reply_to"] and log_card(log, c["reply_to"])["author"]["id"] == priya.id)}
    shown = {int(i) for i in page.locator(".commitment").evaluate_all(
        "entries => entries.map(e => e.dataset.cardId)")}
    assert shown == mine and len(mine) == 4
    expect(page.locator("#report")).not_to_contain_text("Recruit ten more night volunteers")
    expect(page.locator("#report")).to_contain_text("Give the voluntary sector a named contact")

    # The shared link opens the same view on a device that keeps the key.
    page.reload()
    expect(page.locator(".doc-kicker")).to_have_text("Report for NHS CCG")
    expect(page.get_by_label("Show the report for:")).to_have_value(org_key("NHS CCG"))
    screenshot(page, "report-organisation", full_page=True)
    assert_accessible(page, "one organisation's report")

    text = pdf_text(write_pdf(page, "report-organisation"))
    for card_id in mine:
        assert words(log_card(log, card_id)["text"]) in text
    assert "Recruit ten more night volunteers" not in text
    assert "REPORT FOR NHS CCG" in text

    # Back to everyone: the query goes.
    page.get_by_label("Show the report for:").select_option(label="All organisations")
    expect(page).to_have_url(re.compile(r"/report$"))
    expect(page.locator(".org-section")).to_have_count(5)
    assert page_errors.errors == []


def log_card(log: dict[str, Any], card_id: int) -> dict[str, Any]:
    return next(c for c in log["cards"] if c["id"] == card_id)


def test_without_a_key_the_report_says_whom_it_is_for_and_takes_a_pasted_link(
        contexts: Contexts, page_errors: PageErrors, seeded: Seeded) -> None:
    meeting = seeded.meeting
    page = page_errors.watch(contexts(LAPTOP).new_page())
    page.goto(f"{meeting.http.base_url}/r/{meeting.code}/report")
    gate = page.locator("#gate")
    expect(gate.get_by_role("heading", level=1)).to_have_text(
        "The report is for the facilitator and the organiser")
    expect(page.locator("#report")).to_be_hidden()
    expect(page.locator("#toolbar")).to_be_hidden()
    assert_accessible(page, "the report's key panel")

    # The facilitator's private link, pasted whole, opens it and is kept in its own slot.
    page.get_by_label("Private link or key").fill(meeting.created["facilitate_url"])
    page.get_by_role("button", name="Open the report").click()
    expect(page.locator("#report h1")).to_have_text(meeting.created["title"])
    expect(page.locator(".commitments .commitment")).to_have_count(7)
    slot = f"askroom:facilitator:{meeting.code}"
    wait_until_kept(page, slot, meeting.facilitator_key)
    assert page.evaluate(f"localStorage.getItem('askroom:organiser:{meeting.code}')") is None

    # The exports download with the key in a header.
    with page.expect_download() as download:
        page.get_by_role("button", name="Download CSV").click()
    path = download.value.path()
    assert download.value.suggested_filename.endswith(".csv")
    assert "Recruit ten more night volunteers by December." in Path(path).read_text("utf-8-sig")
    assert page_errors.errors == []


def test_a_participant_token_is_refused(
        contexts: Contexts, page_errors: PageErrors, seeded: Seeded, http: httpx.Client) -> None:
    meeting = seeded.meeting
    sam = seeded.people["sam"]
    response = http.get(meeting.url("/export.json"), headers=sam.auth)
    assert response.status_code == 403

    page = page_errors.watch(contexts(LAPTOP).new_page())
    page.goto(f"{meeting.http.base_url}/r/{meeting.code}/report#key={sam.token}")
    expect(page.locator("#gate-error")).to_have_text(re.compile("participant's link"))
    assert sam.token not in page.url
    expect(page.locator("#report")).to_be_hidden()
    expect(page.locator("body")).not_to_contain_text("Recruit ten more night volunteers")
    for role in ("facilitator", "organiser"):
        assert page.evaluate(f"localStorage.getItem('askroom:{role}:{meeting.code}')") is None
    assert page_errors.errors == []


def test_a_stale_key_on_this_device_is_forgotten(
        contexts: Contexts, page_errors: PageErrors, seeded: Seeded) -> None:
    """A key kept on the device that no longer opens the room (another room's) is dropped."""
    meeting = seeded.meeting
    other = Meeting.open(meeting.http, "Another meeting")
    context = contexts(LAPTOP)
    context.add_init_script(
        f"localStorage.setItem('askroom:organiser:{meeting.code}', '{other.organiser_key}')")
    page = page_errors.watch(context.new_page())
    page.goto(f"{meeting.http.base_url}/r/{meeting.code}/report")
    expect(page.locator("#gate-error")).to_have_text(re.compile("not valid for this room"))
    assert page.evaluate(f"localStorage.getItem('askroom:organiser:{meeting.code}')") is None
    assert page_errors.errors == []


def test_authors_who_chose_not_to_be_named_stay_unnamed_in_the_report(
        contexts: Contexts, page_errors: PageErrors, http: httpx.Client) -> None:
    """The report is meant to be sent on, so it shows authors as the room saw them."""
    meeting = Meeting.open(http, "Safe to speak")
    kim = meeting.join("Kim Hidden", "Probation Service")
    lou = meeting.join("Lou Named", "Housing Trust")
    meeting.push(text="What would help you?", collects="any", identity_choice=True)
    request = meeting.card(kim, "request", "Call us before an eviction.",
                           to_participant_id=lou.id, identity="anonymous")
    assert meeting.act(lou, request["id"], "reply", answer="yes").status_code == 200
    offer = meeting.card(kim, "offer", "A probation officer at every housing panel.",
                         identity="organisation")
    ask = meeting.card(lou, "ask", "Who can take referrals at weekends?")
    reply = meeting.card(kim, "offer", "Our weekend duty team can.", reply_to=ask["id"],
                         identity="organisation")
    assert meeting.act(lou, reply["id"], "accept").status_code == 200
    assert offer["commitment"] is None  # not a self-commit prompt: a plain offer

    page = page_errors.watch(contexts(LAPTOP).new_page())
    page.goto(f"{http.base_url}/r/{meeting.code}/report#key={meeting.organiser_key}")
    asked = page.locator(f".commitments .commitment[data-card-id='{request['id']}']")
    expect(asked).to_contain_text("Lou Named")
    expect(asked).to_contain_text("Anonymous")
    expect(asked).not_to_contain_text("Kim Hidden")
    weekend = page.locator(f".commitments .commitment[data-card-id='{reply['id']}']")
    expect(weekend).to_contain_text("Someone from")
    expect(weekend).to_contain_text("Probation Service")
    expect(weekend).not_to_contain_text("Kim Hidden")
    # Only the list of who took part (public to the room anyway) names Kim.
    expect(page.locator("#report").get_by_text("Kim Hidden")).to_have_count(1)
    expect(page.locator(".people")).to_contain_text("Kim Hidden")
    assert page_errors.errors == []


def organisation_figures(page: Page, name: str) -> dict[str, int]:
    """The figures the report shows in one organisation's section, by their label."""
    section = page.locator(f".org-section[data-org='{org_key(name)}']")
    expect(section.locator(".figure").first).to_be_visible()
    pairs = section.locator(".figure").evaluate_all(
        "figures => figures.map(f => [f.querySelector('.figure-label').textContent,"
        " Number(f.querySelector('.figure-n').textContent)])")
    return dict(pairs)


def test_the_report_and_the_xlsx_count_each_organisation_the_same_way(
        contexts: Contexts, page_errors: PageErrors, http: httpx.Client) -> None:
    """One definition (export.py counts_in_the_room, report-model.js countsInTheRoom): a
    withdrawn or hidden card counts for nobody, an anonymous author for no organisation."""
    meeting = Meeting.open(http, "One count for each")
    sam = meeting.join("Sam Carter", "Work Programme")
    alex = meeting.join("Alex Morgan", "Borough Council")
    dana = meeting.join("Dana Price", "Borough Council")
    priya = meeting.join("Priya Shah", "NHS CCG")
    meeting.push(text="What do you need, and what can you give?", collects="any",
                 identity_choice=True)
    withdrawn = meeting.card(sam, "request", "Asked, then taken back.", to_participant_id=alex.id)
    assert meeting.act(sam, withdrawn["id"], "withdraw").status_code == 200
    hidden = meeting.card(sam, "request", "Off topic.", to_organisation="Borough Council")
    assert http.patch(meeting.url(f"/cards/{hidden['id']}"), json={"hidden": True},
                      headers=meeting.facilitator).status_code == 200
    anonymous = meeting.card(priya, "request", "Call us before a discharge.",
                             to_organisation="Borough Council", identity="anonymous")
    assert meeting.act(alex, anonymous["id"], "reply", answer="yes").status_code == 200
    named = meeting.card(sam, "request", "Send the weekly admissions.",
                         to_participant_id=priya.id)
    assert meeting.act(priya, named["id"], "reply", answer="yes").status_code == 200
    ask = meeting.card(sam, "ask", "Who can lend a room on Tuesdays?")
    offer = meeting.card(dana, "offer", "Ours, any Tuesday.", reply_to=ask["id"],
                         identity="anonymous")
    assert meeting.act(sam, offer["id"], "accept").status_code == 200

    response = http.get(meeting.url("/export.xlsx"), headers=meeting.organiser)
    assert response.status_code == 200
    sheet = openpyxl.load_workbook(io.BytesIO(response.content))["Organisations"]
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0] == ("organisation", "participants", "requests_made", "requests_received",
                       "commitments_made")
    xlsx = {row[0]: row[1:] for row in rows[1:]}
    expected = {
        "Work Programme": (1, 1, 0, 0),   # the named request only
        "Borough Council": (2, 0, 1, 1),  # the anonymous request, and Alex's yes to it
        "NHS CCG": (1, 0, 1, 1),          # Priya's anonymous request counts for nobody
    }
    assert xlsx == expected

    page = page_errors.watch(contexts(LAPTOP).new_page())
    page.goto(f"{http.base_url}/r/{meeting.code}/report#key={meeting.organiser_key}")
    for name, (people, made, received, committed) in expected.items():
        shown = organisation_figures(page, name)
        assert (shown["requests made"], shown["requests received"],
                shown["commitments made"]) == (made, received, committed), name
        assert shown.get("person took part", shown.get("people took part")) == people
    assert page_errors.errors == []


def test_the_printed_report_never_ends_with_a_page_of_only_the_footer(
        contexts: Contexts, page_errors: PageErrors, http: httpx.Client) -> None:
    """Rooms of sizes whose footer used to land on a page of its own (A4, Chromium)."""
    page = page_errors.watch(contexts(LAPTOP).new_page())
    for size in (9, 10, 15, 16):
        meeting = Meeting.open(http, f"Footer check {size}")
        ann = meeting.join("Ann Lee", "Borough Council")
        meeting.push(library_key="commitments")
        for number in range(size):
            meeting.card(ann, "offer", f"Commitment number {number}: publish the clinic times "
                                       "on every partner's intranet by Friday.")
        page.goto(f"{http.base_url}/r/{meeting.code}/report#key={meeting.organiser_key}")
        expect(page.locator("#report h1")).to_have_text(f"Footer check {size}")
        pages = PdfReader(io.BytesIO(page.pdf(format="A4", print_background=True))).pages
        last = words(pages[-1].extract_text())
        assert "Prepared from the Askroom log" in last, size  # the footer is there, whole
        assert "Askroom deletes the meeting's data" in last, size
        assert "Commitment number" in last, (size, last)  # and not alone
    assert page_errors.errors == []


def test_progress_set_by_the_person_it_is_for_says_who_in_the_report_and_the_xlsx(
        contexts: Contexts, page_errors: PageErrors, http: httpx.Client) -> None:
    meeting = Meeting.open(http, "Who updated it")
    sam = meeting.join("Sam Carter", "Work Programme")
    alex = meeting.join("Alex Morgan", "Borough Council")
    kim = meeting.join("Kim Hidden", "Probation Service")
    meeting.push(text="What would help you?", collects="any", identity_choice=True)
    by_sam = meeting.card(sam, "request", "Share the list every week.", to_participant_id=alex.id)
    by_owner = meeting.card(sam, "request", "Come to the Tuesday panel.",
                            to_participant_id=alex.id)
    by_kim = meeting.card(kim, "request", "Call us before an eviction.",
                          to_participant_id=alex.id, identity="anonymous")
    for card in (by_sam, by_owner, by_kim):
        assert meeting.act(alex, card["id"], "reply", answer="yes").status_code == 200
    for who, card in ((sam, by_sam), (alex, by_owner), (kim, by_kim)):
        response = meeting.act(who, card["id"], "progress", progress="in_progress")
        assert response.status_code == 200, response.text

    page = page_errors.watch(contexts(LAPTOP).new_page())
    page.goto(f"{http.base_url}/r/{meeting.code}/report#key={meeting.organiser_key}")
    entry = page.locator(f".commitments .commitment[data-card-id='{by_sam['id']}']")
    expect(entry.locator(".c-updated-by")).to_have_text(re.compile(
        r"^Progress updated by Sam Carter\s*Work Programme$"))
    for quiet in (by_owner, by_kim):  # the owner; someone anonymous to the room
        entry = page.locator(f".commitments .commitment[data-card-id='{quiet['id']}']")
        expect(entry.locator(".progress")).to_have_text("In progress")
        expect(entry.locator(".c-updated-by")).to_have_count(0)
    assert page.locator(".commitments").inner_text().count("Kim Hidden") == 0

    # The organiser's own workbook names who set each one.
    response = http.get(meeting.url("/export.xlsx"), headers=meeting.organiser)
    sheet = openpyxl.load_workbook(io.BytesIO(response.content))["Commitments"]
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][-1] == "updated_by"
    assert {row[2]: row[-1] for row in rows[1:]} == {
        by_sam["text"]: "Sam Carter", by_owner["text"]: "Alex Morgan",
        by_kim["text"]: "Kim Hidden"}
    assert page_errors.errors == []
