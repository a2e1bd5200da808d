"""The projector board, /r/{code}/board (SPEC §5, DESIGN "Board"), in Chromium against a
real server: the meeting is played through the real API and the board must follow it
live, at projector sizes, without ever scrolling."""

from __future__ import annotations

import re
import time
from collections.abc import Callable
from typing import Any

import httpx
from playwright.sync_api import BrowserContext, Page, expect

from tests.e2e.conftest import (
    LAPTOP,
    PHONE,
    PROJECTOR,
    PROJECTOR_SMALL,
    PageErrors,
    assert_accessible,
    screenshot,
)
from tests.meeting import Meeting, Person
from tests.server import Server

expect.set_options(timeout=10_000)

HOSTILE = "<img src=x onerror=alert(1)>"
LIVE = 1_000  # ms: what arrives through the stream is on the wall within a second


def board_for(contexts: Callable[..., BrowserContext], server: Server, meeting: Meeting,
              errors: PageErrors, viewport: dict[str, int] = PROJECTOR) -> Page:
    """Open the board in a projector-sized context of its own, once it is live."""
    page = contexts(viewport).new_page()
    errors.watch(page)
    page.goto(f"{server.url}/r/{meeting.code}/board")
    expect(page.locator("#conn")).to_have_attribute("data-state", "live")
    return page


def card(page: Page, card_json: dict[str, Any]) -> Any:
    return page.locator(f'#wall [data-card-id="{card_json["id"]}"]')


def has_class(name: str) -> re.Pattern[str]:
    return re.compile(rf"(^|\s){re.escape(name)}(\s|$)")


def moderate(meeting: Meeting, card_id: int, **change: bool) -> None:
    response = meeting.http.patch(meeting.url(f"/cards/{card_id}"), json=change,
                                  headers=meeting.facilitator)
    assert response.status_code == 200, response.text


def reply(meeting: Meeting, who: Person, card_id: int, answer: str, note: str = "") -> None:
    response = meeting.act(who, card_id, "reply", answer=answer, note=note)
    assert response.status_code == 200, response.text


def font_px(locator: Any) -> float:
    return float(locator.evaluate("el => parseFloat(getComputedStyle(el).fontSize)"))


def no_scrollbars(page: Page) -> bool:
    return bool(page.evaluate(
        """() => { const d = document.documentElement;
                   return d.scrollHeight <= innerHeight && d.scrollWidth <= innerWidth; }"""))


def wall_view(page: Page) -> dict[str, Any]:
    """What a person in the room can read on the wall: the ids of the cards that are whole
    (inside the wall and the screen, clear of any fade), how many columns hold cards, and
    how many of those hold a whole card (`covered`).
    Settles arrival animations first, so boxes are where they come to rest."""
    # allSettled: the timer ring's transition is cancelled and restarted four times a second.
    page.evaluate("Promise.allSettled(document.getAnimations().map(a => a.finished))")
    return page.evaluate("""() => {
        const wall = document.getElementById('wall');
        const box = wall.getBoundingClientRect();
        const style = getComputedStyle(wall);
        const mask = style.maskImage || style.webkitMaskImage || '';
        const fade = Number((mask.match(/calc\\(100% - ([\\d.]+)px\\)/) || [0, 0])[1]);
        const top = Math.max(box.top, 0) - 0.5;
        const bottom = Math.min(box.bottom - fade, innerHeight) + 0.5;
        const cards = [...wall.querySelectorAll('.card')].filter(el => el.getClientRects().length);
        const whole = el => {
            const r = el.getBoundingClientRect();
            return r.top >= top && r.bottom <= bottom && r.left >= 0 && r.right <= innerWidth
                && !el.closest('.is-fading');
        };
        const column = el => Math.round(
            (el.closest('.wall-block, .wall-column') || el).getBoundingClientRect().left);
        // A card spread across two columns (too tall for one) holds both of them.
        const lefts = [...new Set(cards.map(column))];
        const spans = el => {
            const r = (el.closest('.wall-block, .wall-column') || el).getBoundingClientRect();
            return lefts.filter(x => x >= Math.round(r.left) - 1 && x < r.right); };
        return {whole: cards.filter(whole).map(el => Number(el.dataset.cardId)),
                drawn: cards.map(el => Number(el.dataset.cardId)),
                columns: lefts.length,
                covered: new Set(cards.filter(whole).flatMap(spans)).size};
    }""")


def whole_cards(page: Page, ids: list[int]) -> list[int]:
    """Those of ids that can be read whole on the wall."""
    seen = set(wall_view(page)["whole"])
    return [i for i in ids if i in seen]


def winter_meeting(http: httpx.Client) -> tuple[Meeting, dict[str, Person]]:
    meeting = Meeting.open(http, "County partnership board — winter pressures",
                           "Get frail people home safely this winter")
    people = {
        "sam": meeting.join("Sam Okafor", "Work Programme"),
        "alex": meeting.join("Alex Reid", "Borough Council"),
        "priya": meeting.join("Priya Shah", "NHS Commissioning"),
        "jo": meeting.join("Jo Barnes", "Age UK"),
        "dev": meeting.join("Dev Patel", "Fire & Rescue"),
    }
    return meeting, people


def play_winter_round(meeting: Meeting, p: dict[str, Person]) -> dict[str, dict[str, Any]]:
    """A short, real-looking round: requests answered each way, an ask with offers."""
    meeting.push(library_key="do-differently")
    made: dict[str, dict[str, Any]] = {}
    made["ask"] = meeting.card(p["priya"], "ask", "Norovirus and flu: no beds, frail people "
                               "sent home at midnight. What can you do this week?")
    made["volunteers"] = meeting.card(p["jo"], "offer", "We will send volunteers to A&E to "
                                      "accompany people home at night.", reply_to=made["ask"]["id"])
    made["jabs"] = meeting.card(p["alex"], "offer", "I will co-ordinate a message to all our "
                                "staff about flu jabs.", reply_to=made["ask"]["id"])
    assert meeting.act(p["priya"], made["volunteers"]["id"], "accept").status_code == 200
    made["fax"] = meeting.card(p["alex"], "request", "Stop sending referrals by fax.",
                               to_organisation="Work Programme")
    reply(meeting, p["sam"], made["fax"]["id"], "no")
    made["addresses"] = meeting.card(p["dev"], "request", "Share the list of vulnerable "
                                     "addresses so crews can fit smoke alarms.",
                                     to_organisation="NHS Commissioning")
    reply(meeting, p["priya"], made["addresses"]["id"], "try")
    made["contact"] = meeting.card(p["jo"], "request", "Give us a single named contact for "
                                   "hospital discharge.", to_participant_id=p["priya"].id)
    made["visits"] = meeting.card(p["dev"], "offer", "Our community safety team can do home "
                                  "visits at the weekend.")
    made["worth"] = meeting.card(p["sam"], "request", "Tell your customers what a job is worth "
                                 "to them — your advice never mentions it.",
                                 to_participant_id=p["alex"].id)
    reply(meeting, p["alex"], made["worth"]["id"], "yes",
          "You are right. I will change the team's remit.")
    return made


# --- what the board shows ----------------------------------------------------------------


def test_board_shows_the_room_and_how_to_join(contexts: Any, server: Server, http: httpx.Client,
                                              page_errors: PageErrors) -> None:
    meeting = Meeting.open(http, "Unemployment working group", "Help people into work")
    page = board_for(contexts, server, meeting, page_errors)

    expect(page.locator("#room-title")).to_have_text("Unemployment working group")
    # With no prompt yet, the purpose takes the centre of the board.
    expect(page.locator("#prompt-text")).to_have_text("Help people into work")
    # The code is one text run (it copies as typed) and the QR code is a real SVG.
    expect(page.locator("#join-code")).to_have_text(meeting.code)
    expect(page.locator("#join-host")).to_have_text(f"{server.url.split('://')[1]}/r/{meeting.code}")
    qr = page.locator("#join-qr svg")
    expect(qr).to_be_visible()
    box = qr.bounding_box()
    assert box and box["height"] >= 0.18 * PROJECTOR["height"], box  # big enough to scan
    expect(page.locator("#people-words")).to_have_text("No one has joined yet")
    meeting.join("Sam", "Work Programme")
    meeting.join("Alex", "Borough Council")
    expect(page.locator("#people-words")).to_have_text("2 people joined", timeout=LIVE)
    expect(page.locator("html")).to_have_attribute("data-theme", "dark")
    assert no_scrollbars(page)
    screenshot(page, "board-1080-empty")
    assert page_errors.errors == []


def test_prompt_and_timer_arrive_live_and_count_down(contexts: Any, server: Server,
                                                     http: httpx.Client,
                                                     page_errors: PageErrors) -> None:
    meeting = Meeting.open(http, "Working group", "Help people into work")
    page = board_for(contexts, server, meeting, page_errors)
    expect(page.locator("#prompt-text")).to_have_text("Help people into work")

    meeting.push(text="What do you need from the council to do your job?", collects="request")
    prompt = page.locator("#prompt-text")
    expect(prompt).to_have_text("What do you need from the council to do your job?", timeout=LIVE)
    assert font_px(prompt) >= 48
    expect(page.locator("#room-purpose")).to_have_text("Help people into work")  # now up top
    expect(page.locator("#room-purpose")).to_be_visible()

    response = http.post(meeting.url("/timer"), json={"seconds": 90}, headers=meeting.facilitator)
    assert response.status_code == 200, response.text
    timer = page.locator("#timer-text")
    expect(timer).to_have_text("1:30", timeout=LIVE)
    expect(timer).to_have_text("1:28", timeout=4_000)  # it counts down by itself
    offset = float(page.locator("#ring-left").get_attribute("stroke-dashoffset") or 0)
    assert offset > 0  # the ring has started to empty

    http.post(meeting.url("/timer"), json={"seconds": 0}, headers=meeting.facilitator)
    expect(page.locator("#timer")).to_be_hidden(timeout=LIVE)
    http.post(meeting.url("/prompts/current/close"), headers=meeting.facilitator)
    expect(prompt).to_have_text("Help people into work", timeout=LIVE)
    assert page_errors.errors == []


def test_request_shows_who_asked_whom_then_its_answer_and_commitment(
        contexts: Any, server: Server, http: httpx.Client, page_errors: PageErrors) -> None:
    meeting = Meeting.open(http, "Working group")
    sam = meeting.join("Sam Okafor", "Work Programme")
    alex = meeting.join("Alex Reid", "Borough Council")
    page = board_for(contexts, server, meeting, page_errors)

    request = meeting.card(sam, "request", "Tell your customers what a job is worth to them.",
                           to_participant_id=alex.id)
    shown = card(page, request)
    expect(shown).to_be_visible(timeout=LIVE)
    route = shown.locator(".card-route")
    expect(route).to_contain_text("Sam Okafor")
    expect(route).to_contain_text("Work Programme")
    expect(route).to_contain_text("→")
    expect(route).to_contain_text("Alex Reid")
    expect(route).to_contain_text("Borough Council")
    assert route.inner_text().index("Sam Okafor") < route.inner_text().index("Alex Reid")
    assert font_px(shown.locator(".card-text")) >= 28  # readable from the back of the hall
    expect(shown.locator(".answer")).to_have_count(0)
    expect(shown).not_to_have_class(has_class("is-commitment"))

    reply(meeting, alex, request["id"], "yes", "You are right. I will change the remit.")
    expect(shown.locator(".answer-yes")).to_have_text("Yes, I will", timeout=LIVE)
    expect(shown).to_have_class(has_class("is-commitment"))
    expect(shown.locator(".card-commitment")).to_contain_text("Alex Reid")
    expect(page.locator("#commit-count")).to_have_text("1")
    assert page_errors.errors == []


def test_offers_stack_under_the_ask_they_answer(contexts: Any, server: Server,
                                                http: httpx.Client,
                                                page_errors: PageErrors) -> None:
    meeting = Meeting.open(http, "Partnership board")
    priya = meeting.join("Priya", "NHS Commissioning")
    jo = meeting.join("Jo", "Age UK")
    alex = meeting.join("Alex", "Borough Council")
    page = board_for(contexts, server, meeting, page_errors)

    ask = meeting.card(priya, "ask", "Frail people are sent home at midnight. Who can help?")
    expect(card(page, ask)).to_be_visible(timeout=LIVE)
    first = meeting.card(jo, "offer", "Volunteers to take people home at night.",
                         reply_to=ask["id"])
    second = meeting.card(alex, "offer", "A flu-jab message to all our staff.",
                          reply_to=ask["id"])
    alone = meeting.card(jo, "offer", "Our minibus on Saturdays.")

    group = page.locator(".card-group", has=page.locator(f'[data-card-id="{ask["id"]}"]'))
    offers = group.locator(".offers > li > .card")
    expect(offers).to_have_count(2, timeout=LIVE)
    expect(offers.nth(0)).to_have_attribute("data-card-id", str(first["id"]))
    expect(offers.nth(1)).to_have_attribute("data-card-id", str(second["id"]))
    # Each offer is drawn once, under its ask; the standalone one stands on its own.
    expect(page.locator(f'#wall [data-card-id="{first["id"]}"]')).to_have_count(1)
    expect(card(page, alone)).to_be_visible()
    expect(group.locator(f'[data-card-id="{alone["id"]}"]')).to_have_count(0)
    ask_box, offer_box = card(page, ask).bounding_box(), offers.nth(0).bounding_box()
    assert ask_box and offer_box and offer_box["y"] > ask_box["y"] + ask_box["height"] - 1

    assert meeting.act(priya, first["id"], "accept").status_code == 200
    expect(offers.nth(0)).to_have_class(has_class("is-commitment"), timeout=LIVE)
    expect(offers.nth(1)).not_to_have_class(has_class("is-commitment"))
    # A withdrawn offer leaves the board.
    assert meeting.act(alex, second["id"], "withdraw").status_code == 200
    expect(offers).to_have_count(1, timeout=LIVE)
    expect(page.locator(f'[data-card-id="{second["id"]}"]')).to_have_count(0)
    assert page_errors.errors == []


LONG_REQUEST = ("Tell your customers what a job is worth to them: your advice never mentions it, "
                "so people turn down work that would leave them better off.")
LONG_NOTE = ("You are right, and it has bothered me for a while. I will go back to the team this "
             "week, change the remit and the job descriptions so every adviser talks about what a "
             "job is worth, and report back to this group next month with the new wording and "
             "the first numbers, so you can hold me to it.")


def test_the_newest_answered_request_is_whole_with_its_commitment(
        contexts: Any, server: Server, http: httpx.Client, page_errors: PageErrors) -> None:
    """The key moment of a meeting: one request under the three-line prompt, answered
    "Yes, I will" with a long note. Nothing older competes with it, so all of it — the
    commitment line too — is in clear view, at both projector sizes."""
    meeting = Meeting.open(http, "Unemployment working group", "Help more people into good work")
    sam = meeting.join("Sam Okafor", "Work Programme")
    alex = meeting.join("Alex Reid", "Borough Council")
    meeting.push(library_key="do-differently")
    live = board_for(contexts, server, meeting, page_errors)
    request = meeting.card(sam, "request", LONG_REQUEST, to_participant_id=alex.id)
    expect(card(live, request)).to_be_visible(timeout=LIVE)
    reply(meeting, alex, request["id"], "yes", LONG_NOTE)  # answered while the board watches

    for viewport, page, name in ((PROJECTOR, live, "board-1080-one-answer"),
                                 (PROJECTOR_SMALL, None, "board-720-one-answer")):
        page = page or board_for(contexts, server, meeting, page_errors, viewport)
        shown = card(page, request)
        expect(shown.locator(".card-commitment")).to_contain_text("Alex Reid", timeout=LIVE)
        assert whole_cards(page, [request["id"]]) == [request["id"]], (viewport, wall_view(page))
        line = shown.locator(".card-commitment").bounding_box()
        wall = page.locator("#wall").bounding_box()
        assert line and wall and line["y"] + line["height"] <= wall["y"] + wall["height"]
        # Room is made above the wall, within limits: the prompt stays 48 px or more at 1080p
        # (so 32 px at 720p) and the join panel stays up.
        assert font_px(page.locator("#prompt-text")) >= 48 * viewport["height"] / 1080 - 0.5
        expect(page.locator("#join-code")).to_be_visible()
        assert no_scrollbars(page)
        screenshot(page, name)
    assert page_errors.errors == []


OFFER_TEXTS = [
    "We will send volunteers to A&E to accompany people home at night.",
    "I will co-ordinate a message to all our staff about flu jabs.",
    "Our crews can check on people the morning after they get home.",
    "We can open two step-down flats for people who cannot go home yet.",
    "Our befrienders will phone everyone discharged late, the next day.",
    "Our job coaches can cover the hospital help desk on weekday evenings.",
]


def check_ask_and_offers(page: Page, ask: dict[str, Any], offers: list[dict[str, Any]],
                         accepted: int = 0) -> None:
    """The ask and its newest offer are whole; every offer is either whole or counted in a
    "+N earlier offers" line (the oldest fold first, but never the first `accepted` ones:
    an accepted offer is a commitment and is always whole); each column used has a whole
    card."""
    view = wall_view(page)
    assert offers[-1]["id"] in view["whole"], ("newest offer", len(offers), view)
    assert ask["id"] in view["whole"], ("the ask", len(offers), view)
    assert view["covered"] >= view["columns"], view
    more = page.locator("#wall .offers-more:not([hidden])")
    folded = int(re.sub(r"\D", "", more.inner_text())) if more.count() else 0
    kept, rest = offers[:accepted], offers[accepted:]
    assert [o["id"] for o in offers if o["id"] in view["whole"]] == [
        o["id"] for o in kept + rest[folded:]], (folded, view)


def test_an_ask_and_its_offers_use_the_empty_columns_and_the_newest_offer_is_whole(
        contexts: Any, server: Server, http: httpx.Client, page_errors: PageErrors) -> None:
    meeting = Meeting.open(http, "County partnership board",
                           "Get frail people home safely this winter")
    priya = meeting.join("Priya Shah", "NHS Commissioning")
    helpers = [meeting.join(name, org) for name, org in (
        ("Jo Barnes", "Voluntary Action"), ("Alex Reid", "Borough Council"),
        ("Dev Patel", "Fire & Rescue"), ("Kim Lee", "Age UK"), ("Sam Okafor", "Work Programme"),
        ("Lee Ward", "Housing Trust"))]
    meeting.push(library_key="ask-for-help")
    ask = meeting.card(priya, "ask", "Norovirus and flu, no beds: frail people are being sent "
                       "home at midnight. What can you do this week?")
    page = board_for(contexts, server, meeting, page_errors)
    meeting.push(library_key="offers")
    offers: list[dict[str, Any]] = []
    for who, text in zip(helpers, OFFER_TEXTS, strict=True):
        offers.append(meeting.card(who, "offer", text, reply_to=ask["id"]))
        # The first is taken up: a commitment, never folded away (issue 11, item 2). It used
        # to be the first two; with every word 30 px, three offers kept whole and the ask
        # are more than three 1080p columns hold.
        if len(offers) <= 1:
            assert meeting.act(priya, offers[-1]["id"], "accept").status_code == 200
            expect(card(page, offers[-1])).to_have_class(has_class("is-commitment"), timeout=LIVE)
        expect(card(page, offers[-1])).to_be_visible(timeout=LIVE)
        if len(offers) == 2:
            # Three cards and three columns: empty columns are used before anything is cut.
            ids = [ask["id"], *(o["id"] for o in offers)]
            assert whole_cards(page, ids) == ids, wall_view(page)
        if len(offers) in (2, 3, 6):
            check_ask_and_offers(page, ask, offers, accepted=1)
            screenshot(page, f"board-1080-ask-{len(offers)}-offers")
    small = board_for(contexts, server, meeting, page_errors, PROJECTOR_SMALL)
    expect(card(small, offers[-1])).to_be_visible()
    check_ask_and_offers(small, ask, offers, accepted=1)
    assert no_scrollbars(page) and no_scrollbars(small)
    assert_accessible(small, "the board with an ask whose offers flow and fold")
    screenshot(small, "board-720-ask-6-offers")
    assert page_errors.errors == []


def test_commitments_counter_counts_what_the_room_leaves_with(
        contexts: Any, server: Server, http: httpx.Client, page_errors: PageErrors) -> None:
    meeting = Meeting.open(http, "Working group")
    sam = meeting.join("Sam", "Work Programme")
    alex = meeting.join("Alex", "Borough Council")
    page = board_for(contexts, server, meeting, page_errors)
    count, words = page.locator("#commit-count"), page.locator("#tally-words")
    expect(count).to_have_text("0")

    asked = [meeting.card(sam, "request", f"Request number {n}", to_participant_id=alex.id)
             for n in range(4)]
    reply(meeting, alex, asked[0]["id"], "yes")
    expect(count).to_have_text("1", timeout=LIVE)
    expect(words).to_have_text("commitment so far")
    reply(meeting, alex, asked[1]["id"], "try")
    reply(meeting, alex, asked[2]["id"], "no")
    reply(meeting, alex, asked[3]["id"], "unclear")
    ask = meeting.card(alex, "ask", "Who has a room for forty people?")
    offer = meeting.card(sam, "offer", "Our hall, free on Thursdays.", reply_to=ask["id"])
    assert meeting.act(alex, offer["id"], "accept").status_code == 200
    expect(count).to_have_text("3", timeout=LIVE)
    expect(words).to_have_text("commitments so far")
    # A yes changed to no is no longer a commitment.
    reply(meeting, alex, asked[0]["id"], "no")
    expect(count).to_have_text("2", timeout=LIVE)
    assert page_errors.errors == []


def test_spotlight_takes_the_centre_and_gives_it_back(contexts: Any, server: Server,
                                                      http: httpx.Client,
                                                      page_errors: PageErrors) -> None:
    meeting, people = winter_meeting(http)
    made = play_winter_round(meeting, people)
    page = board_for(contexts, server, meeting, page_errors)
    spotlight = page.locator("#spotlight")
    expect(spotlight).to_be_hidden()

    moderate(meeting, made["ask"]["id"], spotlight=True)
    expect(spotlight).to_be_visible(timeout=LIVE)
    big = spotlight.locator(f'[data-card-id="{made["ask"]["id"]}"]')
    expect(big).to_contain_text("Norovirus and flu")
    # The offers come with their ask, larger than any card on the wall. (The ask is older
    # than five cards: it may have faded off the wall, and can still be spotlighted.)
    expect(spotlight.locator(".offers .card")).to_have_count(2)
    on_wall = card(page, made["worth"]).locator(".card-text")
    assert font_px(big.locator(".card-text")) > font_px(on_wall)
    box = big.bounding_box()
    assert box and abs(box["x"] + box["width"] / 2 - PROJECTOR["width"] / 2) < 60  # centred
    expect(page.locator("#stage")).to_have_attribute("inert", "")
    page.wait_for_timeout(400)  # let the fade-in finish before the picture
    screenshot(page, "board-1080-spotlight")

    moderate(meeting, made["ask"]["id"], spotlight=False)
    expect(spotlight).to_be_hidden(timeout=LIVE)
    expect(page.locator("#stage")).not_to_have_attribute("inert", "")
    assert whole_cards(page, [made["worth"]["id"]]) == [made["worth"]["id"]]  # the wall is back
    assert page_errors.errors == []


def test_hidden_card_leaves_the_board_and_its_text_is_nowhere(
        contexts: Any, server: Server, http: httpx.Client, page_errors: PageErrors) -> None:
    meeting = Meeting.open(http, "Working group")
    sam = meeting.join("Sam", "Work Programme")
    secret = "Our chief executive is about to resign — do not repeat this"
    posted = meeting.card(sam, "ask", secret)
    kept = meeting.card(sam, "ask", "Who can lend us a minibus?")
    page = board_for(contexts, server, meeting, page_errors)
    expect(card(page, posted)).to_be_visible()

    moderate(meeting, posted["id"], spotlight=True)
    expect(page.locator("#spotlight")).to_be_visible(timeout=LIVE)
    moderate(meeting, posted["id"], hidden=True)  # hiding also ends its spotlight
    expect(card(page, posted)).to_have_count(0, timeout=LIVE)
    expect(page.locator("#spotlight")).to_be_hidden()
    expect(card(page, kept)).to_be_visible()
    assert "resign" not in page.content()
    # Nor after a reload: the snapshot never carries it.
    page.reload()
    expect(card(page, kept)).to_be_visible()
    assert "resign" not in page.content()
    assert page_errors.errors == []


def test_map_draws_requests_between_organisations_with_counts_and_answers(
        contexts: Any, server: Server, http: httpx.Client, page_errors: PageErrors) -> None:
    meeting = Meeting.open(http, "Working group")
    sam = meeting.join("Sam", "Work Programme")
    alex = meeting.join("Alex", "Borough Council")
    meeting.join("Kim", "borough  council")  # the same organisation, spelt otherwise
    page = board_for(contexts, server, meeting, page_errors)
    nodes = page.locator("#map .map-node")
    expect(nodes).to_have_count(2)

    first = meeting.card(sam, "request", "Phone us back within a day.", to_participant_id=alex.id)
    meeting.card(sam, "request", "Share your referral form.", to_organisation="Borough Council")
    meeting.card(alex, "request", "Send us your vacancies list.", to_participant_id=sam.id)
    edge = page.locator('#map .map-edge[data-from="work programme"][data-to="borough council"]')
    expect(edge).to_have_attribute("data-count", "2", timeout=LIVE)
    expect(page.locator('#map .map-edge[data-from="borough council"][data-to="work programme"]')
           ).to_have_attribute("data-count", "1")
    labels = page.locator("#map .map-label text")
    expect(labels).to_contain_text(["2"])
    # The text alternative says the same in words.
    rows = page.locator("#map table tbody tr")
    expect(rows.first).to_have_text("Work ProgrammeBorough Council22 waiting")

    reply(meeting, alex, first["id"], "yes")
    answered = page.locator('#map .map-edge.status-yes[data-from="work programme"]')
    expect(answered).to_have_attribute("data-count", "1", timeout=LIVE)
    expect(page.locator("#map .map-label.status-yes text")).to_have_text("1 yes")
    expect(rows.first).to_have_text("Work ProgrammeBorough Council21 waiting, 1 yes")
    expect(page.locator("#map svg")).to_have_attribute("role", "img")
    assert page_errors.errors == []


def test_forty_cards_never_make_the_board_scroll(contexts: Any, server: Server,
                                                 http: httpx.Client,
                                                 page_errors: PageErrors) -> None:
    meeting, people = winter_meeting(http)
    made = play_winter_round(meeting, people)
    authors = list(people.values())
    lines = [
        "Can someone share last winter's discharge data by ward?",
        "We can lend two community transport drivers on weekday evenings.",
        "Put a named social worker on the frailty unit at weekends.",
        "Tell us before you change the eligibility criteria, not after.",
        "Our libraries could host flu-jab sessions in January.",
        "Who knows a landlord willing to take short-notice placements?",
        "Copy us into the weekly bed-state email.",
        "We will train our call handlers to spot carers in crisis.",
    ]
    posted = len(made)
    n = 0
    while posted < 40:
        who = authors[n % len(authors)]
        other = authors[(n + 1) % len(authors)]
        text = f"{lines[n % len(lines)]} ({n + 1})"
        kind = ["request", "offer", "ask", "request"][n % 4]
        extra = {"to_participant_id": other.id} if kind == "request" else {}
        meeting.card(who, kind, text, **extra)
        n += 1
        posted += 1
    # The longest prompt of the library (five lines on the board), then a full answer.
    meeting.push(library_key="winfy")
    last_answer = meeting.card(people["jo"], "request", "Send a nurse to our Tuesday drop-in.",
                               to_participant_id=people["priya"].id)
    reply(meeting, people["priya"], last_answer["id"], "yes",
          "Yes — from next week, every Tuesday morning; we will tell your volunteers who it is.")

    for viewport, name in ((PROJECTOR, "board-1080-cards"), (PROJECTOR_SMALL, "board-720-cards")):
        page = board_for(contexts, server, meeting, page_errors, viewport)
        expect(card(page, last_answer)).to_be_visible()
        # The newest card is whole, and every column holds at least one whole card.
        view = wall_view(page)
        assert last_answer["id"] in view["whole"], (viewport, view)
        assert view["covered"] >= view["columns"], (viewport, view)
        expect(page.locator("body")).to_have_class(has_class("join-compact"))
        assert no_scrollbars(page), viewport
        # Older cards fade off the bottom: what is drawn stays inside the wall.
        wall = page.locator("#wall").bounding_box()
        assert wall and wall["y"] + wall["height"] <= viewport["height"]
        assert page.locator("#wall .card").count() < 41
        screenshot(page, name)
    assert page_errors.errors == []


def test_hostile_text_is_shown_as_text(contexts: Any, server: Server, http: httpx.Client,
                                       page_errors: PageErrors) -> None:
    meeting = Meeting.open(http, HOSTILE, HOSTILE)
    mallory = meeting.join(HOSTILE, HOSTILE)
    alex = meeting.join("Alex", "Borough Council")
    page = board_for(contexts, server, meeting, page_errors)
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))

    request = meeting.card(mallory, "request", HOSTILE, to_participant_id=alex.id)
    reply(meeting, alex, request["id"], "yes", HOSTILE)
    meeting.card(alex, "request", "And back to you", to_organisation=HOSTILE)
    shown = card(page, request)
    expect(shown.locator(".card-text")).to_have_text(HOSTILE, timeout=LIVE)
    expect(shown.locator(".person-name").first).to_have_text(HOSTILE)
    expect(shown.locator(".org-name").first).to_have_text(HOSTILE)
    expect(page.locator("#room-title")).to_have_text(HOSTILE)
    expect(page.locator("#map .map-node title").first).to_have_text(HOSTILE)
    page.wait_for_timeout(300)
    assert page.locator("img").count() == 0
    assert dialogs == []
    assert page_errors.errors == []


def test_board_catches_up_after_a_dropped_connection(contexts: Any, server: Server,
                                                     http: httpx.Client,
                                                     page_errors: PageErrors) -> None:
    meeting = Meeting.open(http, "Working group")
    sam = meeting.join("Sam", "Work Programme")
    page = board_for(contexts, server, meeting, page_errors)
    before = meeting.card(sam, "ask", "Posted while the board was live")
    expect(card(page, before)).to_be_visible(timeout=LIVE)

    page.context.set_offline(True)
    expect(page.locator("#conn")).to_have_attribute("data-state", "offline")
    missed = [meeting.card(sam, "offer", f"Posted while the board was offline {n}")
              for n in (1, 2)]
    page.context.set_offline(False)
    expect(page.locator("#conn")).to_have_attribute("data-state", "live")
    for posted in missed:
        expect(card(page, posted)).to_have_count(1)
    expect(page.locator("#wall .card")).to_have_count(3)
    page.wait_for_timeout(500)  # nothing turns up twice a little later either
    expect(page.locator("#wall .card")).to_have_count(3)
    assert page_errors.errors == []


def test_board_is_accessible_in_both_themes_and_remembers_the_choice(
        contexts: Any, server: Server, http: httpx.Client, page_errors: PageErrors) -> None:
    meeting, people = winter_meeting(http)
    made = play_winter_round(meeting, people)
    http.post(meeting.url("/timer"), json={"seconds": 300}, headers=meeting.facilitator)
    page = board_for(contexts, server, meeting, page_errors)
    expect(card(page, made["worth"])).to_be_visible()
    assert_accessible(page, "the board (dark)")

    page.keyboard.press("t")
    expect(page.locator("html")).to_have_attribute("data-theme", "light")
    expect(page.locator("#btn-theme")).to_have_attribute("aria-pressed", "true")
    expect(page.locator("#btn-theme")).to_have_accessible_name("Light theme: on T")
    assert_accessible(page, "the board (light)")
    assert no_scrollbars(page)
    screenshot(page, "board-1080-light")

    page.reload()  # the choice is the projector's, kept across reloads
    expect(page.locator("#conn")).to_have_attribute("data-state", "live")
    expect(page.locator("html")).to_have_attribute("data-theme", "light")
    expect(page.locator("#btn-theme")).to_contain_text("Light theme: on")
    page.locator("#btn-theme").click()
    expect(page.locator("html")).to_have_attribute("data-theme", "dark")
    expect(page.locator("#btn-theme")).to_have_attribute("aria-pressed", "false")
    expect(page.locator("#btn-theme")).to_contain_text("Light theme: off")

    # J makes the join panel big again (or small); it never goes away while open.
    body = page.locator("body")
    expect(body).to_have_class(has_class("join-compact"))
    page.keyboard.press("j")
    expect(body).not_to_have_class(has_class("join-compact"))
    expect(page.locator("#join")).to_be_visible()
    assert page_errors.errors == []


def test_locked_room_pauses_posts_and_closed_room_says_thank_you(
        contexts: Any, server: Server, http: httpx.Client, page_errors: PageErrors) -> None:
    meeting = Meeting.open(http, "Working group")
    sam = meeting.join("Sam", "Work Programme")
    alex = meeting.join("Alex", "Borough Council")
    request = meeting.card(sam, "request", "Phone us back within a day.",
                           to_participant_id=alex.id)
    page = board_for(contexts, server, meeting, page_errors)
    banner = page.locator("#banner")
    expect(banner).to_be_hidden()

    assert meeting.set_state("locked").status_code == 200
    expect(banner).to_have_text("New posts are paused", timeout=LIVE)
    expect(page.locator("#join-paused")).to_be_visible()
    reply(meeting, alex, request["id"], "yes")  # answers still flow while locked
    expect(page.locator("#commit-count")).to_have_text("1", timeout=LIVE)

    assert meeting.set_state("closed").status_code == 200
    expect(page.locator("#prompt-text")).to_have_text("This meeting has closed — thank you",
                                                      timeout=LIVE)
    expect(page.locator("#closing-note")).to_have_text("The room leaves with 1 commitment.")
    expect(page.locator("#tally-words")).to_have_text("commitment made")
    expect(banner).to_be_hidden()
    expect(page.locator("#join")).to_be_hidden()
    expect(card(page, request)).to_be_visible()
    assert page_errors.errors == []


def test_new_cards_are_announced_and_arrive_gently(contexts: Any, server: Server,
                                                   http: httpx.Client,
                                                   page_errors: PageErrors) -> None:
    meeting = Meeting.open(http, "Working group")
    sam = meeting.join("Sam", "Work Programme")
    page = board_for(contexts, server, meeting, page_errors)
    page.evaluate("""() => { window.arrived = [];
        new MutationObserver((records) => { for (const r of records) for (const n of r.addedNodes)
          if (n.querySelector && n.querySelector('.card.arriving')) window.arrived.push(1); })
        .observe(document.getElementById('wall'), {subtree: true, childList: true}); }""")
    meeting.card(sam, "ask", "Who can host the next meeting?")
    expect(page.locator("#announcer")).to_contain_text(
        "New ask from Sam (Work Programme): Who can host the next meeting?", timeout=LIVE)
    assert page.evaluate("window.arrived.length") >= 1
    duration = page.locator("#wall .card").first.evaluate(
        "el => getComputedStyle(el).animationDuration")
    assert duration in ("0s", "0.18s"), duration  # ≤ 200 ms, or none once arrived
    time.sleep(0.3)
    expect(page.locator("#wall .card.arriving")).to_have_count(0)
    assert page_errors.errors == []


LONG_ORGANISATIONS = [
    "Borough Council", "Work Programme", "Citizens Advice Bureau", "NHS Foundation Trust",
    "Jobcentre Plus", "Housing Association", "Chamber of Commerce",
    "Further Education College", "Mental Health Charity", "Police and Crime Commissioner",
    "Voluntary Action", "Public Health",
]


def map_label_clashes(page: Page) -> list[str]:
    """Every way the map's names fail to read: two names whose boxes meet, a name outside
    the map's own box, a count pill on a name. Empty when all read clearly."""
    return list(page.evaluate("""() => {
        const map = document.querySelector('#map svg').getBoundingClientRect();
        const named = sel => [...document.querySelectorAll(sel)].map(el => ({
            what: el.textContent, box: el.getBoundingClientRect()}));
        const names = named('#map .map-name');
        const pills = named('#map .map-label');
        const meet = (a, b) => a.left < b.right && b.left < a.right
                               && a.top < b.bottom && b.top < a.bottom;
        const clashes = [];
        names.forEach((a, i) => {
            const r = a.box;
            if (r.left < map.left - .5 || r.right > map.right + .5 || r.top < map.top - .5
                || r.bottom > map.bottom + .5) clashes.push(`${a.what} is outside the map`);
            names.slice(i + 1).forEach(b => {
                if (meet(a.box, b.box)) clashes.push(`${a.what} meets ${b.what}`);
            });
            pills.forEach(p => {
                if (meet(a.box, p.box)) clashes.push(`pill ${p.what} covers ${a.what}`);
            });
        });
        return clashes;
    }"""))


def test_map_names_of_many_organisations_never_overlap_at_projector_sizes(
        contexts: Any, server: Server, http: httpx.Client, page_errors: PageErrors) -> None:
    """Twelve organisations with long names (and seven): every name reads whole, apart from
    the others and from the count pills, inside the map, at both projector sizes."""
    for count in (12, 7):
        meeting = Meeting.open(http, f"Partnership summit of {count}")
        people = [meeting.join(f"Delegate {i}", name)
                  for i, name in enumerate(LONG_ORGANISATIONS[:count])]
        for i, who in enumerate(people):  # each asks a neighbour and someone across the ring
            for step in (1, count // 2):
                made = meeting.card(who, "request", f"Request {i}-{step}",
                                    to_organisation=LONG_ORGANISATIONS[(i + step) % count])
                if i % 3 == 0:
                    reply(meeting, people[(i + step) % count], made["id"],
                          ("yes", "try", "no")[step % 3])
        for viewport in (PROJECTOR, PROJECTOR_SMALL):
            page = board_for(contexts, server, meeting, page_errors, viewport)
            expect(page.locator("#map .map-node")).to_have_count(count)
            expect(page.locator("#map .map-edge").first).to_be_visible()
            size = f"{viewport['width']}x{viewport['height']}"
            screenshot(page, f"board-map-{count}-orgs-{size}-dark")  # to look at, even on failure
            assert map_label_clashes(page) == [], f"{count} organisations at {size}"
            page.keyboard.press("t")
            expect(page.locator("html")).to_have_attribute("data-theme", "light")
            screenshot(page, f"board-map-{count}-orgs-{size}-light")
            assert map_label_clashes(page) == [], f"{count} organisations at {size}, light"
            assert no_scrollbars(page)
    assert page_errors.errors == []


# --- organisation colours (issue 11, item 4) ---------------------------------------------

# "NHS CCG" and "Borough Council" took the same hue from the old hash of the name.
TWELVE_ORGANISATIONS = ["NHS CCG", "Borough Council", *[
    name for name in LONG_ORGANISATIONS if name != "Borough Council"][:10]]

CHIP_COLOURS = """sel => { const found = {};
    for (const chip of document.querySelectorAll(sel)) {
        const name = chip.querySelector('.org-name'), swatch = chip.querySelector('.org-swatch');
        if (!name || !swatch || !chip.getClientRects().length) continue;
        (found[name.textContent] ||= new Set()).add(getComputedStyle(swatch).backgroundColor);
    }
    return Object.fromEntries(Object.entries(found).map(([k, v]) => [k, [...v]])); }"""


def one_colour_each(found: dict[str, list[str]], where: str) -> dict[str, str]:
    """Each organisation drawn in one colour only; returns organisation -> colour."""
    assert all(len(colours) == 1 for colours in found.values()), f"{where}: {found}"
    return {name: colours[0] for name, colours in found.items()}


def map_colours(page: Page) -> dict[str, str]:
    return dict(page.evaluate("""() => Object.fromEntries([...document.querySelectorAll(
        '#map .map-node')].map(n => [n.querySelector('title').textContent,
                                     getComputedStyle(n.querySelector('circle')).fill]))"""))


def contrast(a: str, b: str) -> float:
    """WCAG contrast of two CSS colours given as rgb(…) or #rrggbb."""
    def luminance(colour: str) -> float:
        if colour.startswith("#"):
            rgb = [int(colour[i:i + 2], 16) for i in (1, 3, 5)]
        else:
            rgb = [int(float(v)) for v in re.findall(r"[\d.]+", colour)[:3]]
        lin = [c / 255 / 12.92 if c / 255 <= 0.03928 else ((c / 255 + 0.055) / 1.055) ** 2.4
               for c in rgb]
        return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]
    high, low = sorted((luminance(a), luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def card_surfaces(page: Page) -> list[str]:
    return [page.evaluate(f"getComputedStyle(document.documentElement).getPropertyValue('{var}')")
            .strip() for var in ("--surface", "--surface-2")]


def test_twelve_organisations_get_twelve_colours_everywhere(
        contexts: Any, server: Server, http: httpx.Client, page_errors: PageErrors) -> None:
    """Colours are given per room in order of arrival, not by a hash of the name: twelve
    organisations, twelve colours, the same one for an organisation on the board's map and
    cards, on a phone and in the console, also after a reload and after someone withdraws."""
    meeting = Meeting.open(http, "Partnership summit")
    early = meeting.join("Early Bird", "Quiet Trust")  # withdraws later, keeping their card
    people = [meeting.join(f"Delegate {chr(65 + i)}", name)
              for i, name in enumerate(TWELVE_ORGANISATIONS)]
    meeting.card(early, "request", "Keep the minutes for us", to_organisation="NHS CCG")
    for i, who in enumerate(people):
        meeting.card(who, "request", f"Request {i}: call us back this week",
                     to_organisation=TWELVE_ORGANISATIONS[(i + 1) % 12])
    orgs = set(TWELVE_ORGANISATIONS)

    page = board_for(contexts, server, meeting, page_errors)
    expect(page.locator("#map .map-node")).to_have_count(13)
    on_map = map_colours(page)
    assert len({on_map[name] for name in orgs}) == 12, on_map
    on_cards = one_colour_each(page.evaluate(CHIP_COLOURS, "#wall .org"), "board cards")
    assert len(on_cards) >= 6, on_cards  # most of the dozen cards are up whole
    assert all(on_cards[name] == on_map[name] for name in on_cards), (on_cards, on_map)
    screenshot(page, "board-colours-12-orgs-1080-dark")
    for theme in ("dark", "light"):  # AA for graphics (3:1) against the cards of both themes
        if theme == "light":
            page.keyboard.press("t")
            expect(page.locator("html")).to_have_attribute("data-theme", "light")
        low = min(contrast(colour, surface) for colour in on_map.values()
                  for surface in card_surfaces(page))
        assert low >= 3, f"{theme}: {low:.2f}"
    page.keyboard.press("t")

    # Someone withdraws and the board is reloaded: nobody's colour moves.
    assert meeting.http.post(meeting.url("/participants/me/withdraw"),
                             headers=early.auth).status_code == 200
    page.reload()
    expect(page.locator("#conn")).to_have_attribute("data-state", "live")
    expect(page.locator("#map .map-node")).to_have_count(13)
    assert map_colours(page) == on_map

    console = contexts(LAPTOP).new_page()
    page_errors.watch(console)
    console.goto(meeting.created["facilitate_url"])
    expect(console.locator("#conn")).to_have_attribute("data-state", "live")
    in_console = one_colour_each(console.evaluate(CHIP_COLOURS, ".org"), "console")
    assert orgs <= set(in_console), in_console
    assert all(in_console[name] == on_map[name] for name in orgs), (in_console, on_map)

    phone = contexts(PHONE).new_page()
    page_errors.watch(phone)
    phone.goto(f"{server.url}/r/{meeting.code}")
    phone.get_by_label("Name", exact=True).fill("Late Comer")
    phone.get_by_label("Organisation", exact=True).fill("nhs  ccg")  # the same organisation
    phone.get_by_role("button", name="Join").click()
    expect(phone.locator("#me")).to_contain_text("Late Comer")
    meeting.push(text="Ask someone for one thing", collects="request")
    on_phone: dict[str, set[str]] = {}
    for name in TWELVE_ORGANISATIONS:
        phone.get_by_label("To", exact=True).fill(name)
        option = phone.locator("#to-options .combo-organisation").first
        expect(option).to_be_visible()
        for org, colours in phone.evaluate(CHIP_COLOURS, "#to-options .org").items():
            on_phone.setdefault(org, set()).update(colours)
    phone_colours = one_colour_each({k: sorted(v) for k, v in on_phone.items()}, "phone")
    assert all(phone_colours[name] == on_map[name] for name in orgs), on_phone
    mine = one_colour_each(phone.evaluate(CHIP_COLOURS, "#me .org"), "phone header")
    assert mine == {"NHS CCG": on_map["NHS CCG"]}, mine
    assert page_errors.errors == []


# --- read from the back of the hall (issue 11, item 9) -----------------------------------


def small_text(page: Page, least: float) -> list[str]:
    """Every piece of text a person in the room can see (not the visually-hidden words for
    screen readers, not the operator's control strip) drawn under `least` px on screen."""
    return list(page.evaluate("""least => {
        const small = [];
        const walker = document.createTreeWalker(document.getElementById('board'),
                                                 NodeFilter.SHOW_TEXT);
        for (let node = walker.nextNode(); node; node = walker.nextNode()) {
            const el = node.parentElement;
            if (!node.textContent.trim()) continue;
            if (el.closest('.visually-hidden, .controls, title')) continue;
            if (!el.checkVisibility({visibilityProperty: true, opacityProperty: true})) continue;
            const range = document.createRange();
            range.selectNodeContents(node);
            const box = range.getBoundingClientRect();
            if (!box.width || box.bottom <= 0 || box.top >= innerHeight) continue;
            const faded = el.closest('.is-fading');  // the bottom of a fading card is gone
            if (faded && box.top > faded.getBoundingClientRect().top + 2) continue;
            let size = parseFloat(getComputedStyle(el).fontSize);
            if (el instanceof SVGElement) size *= el.getScreenCTM().a;  // the map's own scale
            const words = node.textContent.trim().slice(0, 30);
            if (size < least - 0.05) small.push(`${words}: ${size.toFixed(1)} px`);
        }
        return small;
    }""", least))


def dozen_cards(meeting: Meeting, p: dict[str, Person]) -> dict[str, dict[str, Any]]:
    """The winter round (a yes, a try and an accepted offer) and four cards more: twelve."""
    return {**play_winter_round(meeting, p), **four_more_cards(meeting, p)}


def four_more_cards(meeting: Meeting, p: dict[str, Person]) -> dict[str, dict[str, Any]]:
    """An ask, two requests and an offer, none of them a commitment."""
    made: dict[str, dict[str, Any]] = {}
    made["beds"] = meeting.card(p["sam"], "ask", "Who can find two step-down beds by Friday?")
    made["rota"] = meeting.card(p["priya"], "request", "Put a discharge nurse on the weekend "
                                "rota.", to_organisation="Borough Council")
    made["leaflet"] = meeting.card(p["jo"], "offer", "We can print the winter leaflet for "
                                   "everyone.")
    made["alarms"] = meeting.card(p["alex"], "request", "Fit key safes when you fit smoke "
                                  "alarms.", to_participant_id=p["dev"].id)
    return made


def test_board_text_reads_from_the_back_of_the_hall(
        contexts: Any, server: Server, http: httpx.Client, page_errors: PageErrors) -> None:
    """At 1280x720 no text a person must read is under 20 px (30 px at 1080p): cards, their
    organisations, the map's names and counts, the legend, the tally, the join panel."""
    meeting, people = winter_meeting(http)
    dozen_cards(meeting, people)
    for viewport, least in ((PROJECTOR_SMALL, 20), (PROJECTOR, 30)):
        page = board_for(contexts, server, meeting, page_errors, viewport)
        expect(page.locator("#wall .card").first).to_be_visible()
        expect(page.locator("#map .map-node")).to_have_count(5)
        for theme in ("dark", "light"):
            size = f"{viewport['width']}x{viewport['height']}"
            screenshot(page, f"board-dozen-{size}-{theme}")
            small = small_text(page, least)
            assert small == [], f"{size}, {theme}: {small}"
            page.keyboard.press("t")
        assert map_label_clashes(page) == []
    assert page_errors.errors == []


# --- commitments are the outcome (issue 11, item 2) --------------------------------------


def cut_short(page: Page, ids: list[int]) -> list[int]:
    """Those of ids whose words on the wall are cut short (clamped with "…")."""
    return list(page.evaluate("""ids => ids.filter(id => [...document.querySelectorAll(
        `#wall [data-card-id="${id}"] :is(.card-text, .card-note, .person-name, .org-name)`)]
        .some(el => el.scrollHeight > el.clientHeight + 1 || el.scrollWidth > el.clientWidth + 1))
    """, ids))


def check_commitments_first(page: Page, made: dict[str, dict[str, Any]], kept: list[int],
                            size: str) -> None:
    """Commitments fade last: every one is whole on the wall and not cut short, an accepted
    offer with it (never folded away: its ask's "+N earlier/other offers" line counts only
    the others); the newest card shows, and when it is not whole (it is no commitment and
    the commitments took the room) no other card but the commitments and their asks is."""
    view = wall_view(page)
    newest = max(c["id"] for c in made.values())
    assert [i for i in kept if i not in view["whole"]] == [], (size, view)
    assert cut_short(page, kept) == [], size
    assert newest in view["drawn"], (size, view)
    if newest not in view["whole"]:
        asks = {c["reply_to"] for c in made.values() if c["id"] in kept and c.get("reply_to")}
        assert set(view["whole"]) <= {*kept, *asks}, (size, view)
    # What folded into the line (a fading group's offers are cut off the bottom instead).
    folds = page.evaluate("""() => [...document.querySelectorAll('#wall .card-group')]
        .filter(group => !group.querySelector('.placed-main.is-fading'))
        .map(group => [[...group.querySelectorAll('.offers-more')].filter(el => !el.hidden)
                         .map(el => el.textContent).join(''),
                       [...group.querySelectorAll('.offer-item')].filter(el => el.hidden)
                         .length])
        .filter(([line, folded]) => line || folded)""")
    for line, folded in folds:
        assert re.fullmatch(rf"\+{folded} (earlier|other) offers?", line), (size, folds)
    # Drawn tighter to hold them all, the cards keep the least size of the room's text.
    assert small_text(page, 20 if size.endswith("x720") else 30) == [], size


def test_commitments_are_the_last_to_fade_and_the_closed_board_lists_them(
        contexts: Any, server: Server, http: httpx.Client, page_errors: PageErrors) -> None:
    """A dozen cards, three commitments (a yes, a try, an accepted offer): at both projector
    sizes every commitment is whole and uncut (the ask an accepted offer answers drawn short,
    as its context) while the cards without one, even the newest, fade first; the accepted
    offer is never folded into "+N earlier offers"; closed, the board shows the
    commitments it counts, every one readable."""
    meeting, people = winter_meeting(http)
    made = play_winter_round(meeting, people)  # eight cards, the yes the newest
    http.post(meeting.url("/timer"), json={"seconds": 300}, headers=meeting.facilitator)
    kept = [made["worth"]["id"], made["addresses"]["id"], made["volunteers"]["id"]]
    pages = [board_for(contexts, server, meeting, page_errors, viewport)
             for viewport in (PROJECTOR, PROJECTOR_SMALL)]
    for page in pages:
        expect(page.locator("#commit-count")).to_have_text("3")
        size = f"{page.viewport_size['width']}x{page.viewport_size['height']}"  # type: ignore[index]
        screenshot(page, f"board-commitments-{size}-open-dark")
        check_commitments_first(page, made, kept, size)
        page.keyboard.press("t")
        screenshot(page, f"board-commitments-{size}-open-light")
        page.keyboard.press("t")

    more = four_more_cards(meeting, people)  # none a commitment: a dozen cards
    for page in pages:
        expect(card(page, more["alarms"])).to_be_visible()
        size = f"{page.viewport_size['width']}x{page.viewport_size['height']}"  # type: ignore[index]
        screenshot(page, f"board-commitments-{size}-open-dozen-dark")
        check_commitments_first(page, {**made, **more}, kept, size)
        page.keyboard.press("t")
        screenshot(page, f"board-commitments-{size}-open-dozen-light")
        page.keyboard.press("t")

    assert meeting.set_state("closed").status_code == 200
    for page in pages:
        size = f"{page.viewport_size['width']}x{page.viewport_size['height']}"  # type: ignore[index]
        expect(page.locator("#closing-note")).to_have_text("The room leaves with 3 commitments.")
        expect(page.locator("#wall .card.is-commitment")).to_have_count(3)
        wall_view(page)  # settled
        screenshot(page, f"board-commitments-{size}-closed-first")
        assert whole_cards(page, kept) == kept, (size, wall_view(page))
        assert cut_short(page, kept) == [], size
        # What the board shows closed is what it counts: the commitments (and the ask the
        # accepted offer answers), nothing else.
        drawn = set(wall_view(page)["drawn"])
        assert drawn == {*kept, made["ask"]["id"]}, (size, drawn)
        for theme in ("dark", "light"):
            screenshot(page, f"board-commitments-{size}-closed-{theme}")
            assert small_text(page, 20 if page.viewport_size["height"] == 720 else 30) == []  # type: ignore[index]
            page.keyboard.press("t")
    assert page_errors.errors == []


def test_a_closed_board_with_many_commitments_shows_every_one_a_page_at_a_time(
        contexts: Any, server: Server, http: httpx.Client, page_errors: PageErrors) -> None:
    """More commitments than the wall holds whole: the closed board pages through them, and
    every one of them is read whole on some page."""
    meeting, people = winter_meeting(http)
    cast = list(people.values())
    kept = []
    for n in range(9):
        asker, asked = cast[n % 5], cast[(n + 2) % 5]
        made = meeting.card(asker, "request", f"Commitment number {n + 1}: call the families "
                            "on the list before the weekend.", to_participant_id=asked.id)
        reply(meeting, asked, made["id"], "yes" if n % 2 else "try")
        kept.append(made["id"])
    assert meeting.set_state("closed").status_code == 200
    page = board_for(contexts, server, meeting, page_errors, PROJECTOR_SMALL)
    line = page.locator("#closing-page")
    expect(line).to_have_text(re.compile(r"^Commitments 1–\d of 9$"))
    seen: set[int] = set()
    for _ in range(9):
        words = line.inner_text()
        wall_view(page)
        whole = whole_cards(page, kept)
        assert whole and cut_short(page, whole) == [], words
        seen.update(whole)
        screenshot(page, f"board-closed-9-commitments-{len(seen)}")
        if seen == set(kept):
            break
        expect(line).not_to_have_text(words, timeout=30_000)  # the next page
    assert seen == set(kept)
    assert page_errors.errors == []
