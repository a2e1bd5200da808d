"""The landing page in a real browser against a real server: create a room and land in
its console already authorised; join a room by its code."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import httpx
from playwright.sync_api import BrowserContext, Page, expect

from tests.e2e.conftest import LAPTOP, PHONE, PageErrors, assert_accessible, screenshot
from tests.meeting import Meeting
from tests.server import Server

# A refused API call (404, 422) is logged by the browser itself; it is not a page error.
NETWORK_NOISE = "Failed to load resource"
Contexts = Callable[..., BrowserContext]


def landing(contexts: Contexts, page_errors: PageErrors, base_url: str,
            viewport: dict[str, int] | None = None) -> Page:
    page = page_errors.watch(contexts(viewport or LAPTOP).new_page())
    page.goto(f"{base_url}/")
    return page


def test_create_a_room_lands_on_its_console_already_authorised(
        contexts: Contexts, page_errors: PageErrors, http: httpx.Client) -> None:
    page = landing(contexts, page_errors, str(http.base_url))
    page.get_by_label("Title").fill("County partnership board")
    page.get_by_label("Purpose (optional)").fill("Get frail people home safely this winter")
    page.get_by_role("button", name="Create room").click()

    page.wait_for_url(re.compile(r"/r/[2-9A-HJKMNP-Z]{6}/facilitate$"))
    assert "#" not in page.url  # the key left the address bar
    code = page.url.rsplit("/", 2)[-2]
    expect(page.get_by_role("heading", level=1)).to_have_text("County partnership board")
    expect(page.locator("#conn")).to_have_attribute("data-state", "live")
    keys = page.evaluate(f"""[localStorage.getItem('askroom:facilitator:{code}'),
                              localStorage.getItem('askroom:organiser:{code}')]""")
    assert all(keys) and keys[0] != keys[1]

    # The controls work: the stored key is the facilitator's.
    page.get_by_role("button", name="Lock room").click()
    expect(page.locator("#room-state")).to_have_text("Locked")
    assert http.get(f"/api/rooms/{code}").json()["state"] == "locked"
    # The organiser key kept at creation becomes the organiser link, and it is valid.
    expect(page.locator("#organiser-body .link-masked")).to_contain_text(
        f"/r/{code}/facilitate#key=")
    organiser = httpx.get(f"{http.base_url}/api/rooms/{code}/export.json",
                          headers={"Authorization": f"Bearer {keys[1]}"})
    assert organiser.status_code == 200

    # Back on the landing page, the room is listed for this device.
    page.goto(f"{http.base_url}/")
    expect(page.locator("#recent")).to_contain_text("County partnership board")
    assert page_errors.errors == []


def test_a_new_room_shows_the_facilitator_their_own_link_once_to_keep(
        contexts: Contexts, page_errors: PageErrors, http: httpx.Client) -> None:
    context = contexts(LAPTOP, permissions=["clipboard-read", "clipboard-write"])
    page = page_errors.watch(context.new_page())
    page.goto(f"{http.base_url}/")
    page.get_by_label("Title").fill("County partnership board")
    page.get_by_role("button", name="Create room").click()
    page.wait_for_url(re.compile(r"/r/[2-9A-HJKMNP-Z]{6}/facilitate$"))
    code = page.url.rsplit("/", 2)[-2]
    key = page.evaluate(f"localStorage.getItem('askroom:facilitator:{code}')")

    created = page.get_by_role("region", name="Keep your facilitator link")
    expect(created).to_be_visible()
    expect(created).to_be_focused()
    # Masked on the screen (a shared screen never shows the key), whole on the clipboard.
    expect(created.locator(".link-masked")).to_contain_text(f"/r/{code}/facilitate#key=••••")
    expect(created).not_to_contain_text(key)
    created.get_by_role("button", name="Copy your facilitator link").click()
    expect(created.locator("#created-status")).to_contain_text("Copied")
    link = page.evaluate("navigator.clipboard.readText()")
    assert link == f"{http.base_url}/r/{code}/facilitate#key={key}"
    screenshot(page, "landing-created-facilitator-link")

    # The link opens the console on another device, as the facilitator's.
    other = page_errors.watch(contexts(LAPTOP).new_page())
    other.goto(link)
    expect(other.locator("#conn")).to_have_attribute("data-state", "live")
    expect(other.get_by_role("button", name="Lock room")).to_be_enabled()
    expect(other.locator("#created")).to_be_hidden()  # only on the device that created it

    # Kept: the note goes, the keyboard moves to the same link under Share and export,
    # and a reload does not show the note again.
    created.get_by_role("button", name="I have kept it").click()
    expect(created).to_be_hidden()
    expect(page.locator("#facilitator-copy")).to_be_focused()
    page.reload()
    expect(page.locator("#conn")).to_have_attribute("data-state", "live")
    expect(page.locator("#created")).to_be_hidden()
    assert page_errors.errors == []


def test_join_by_code_in_lower_case_goes_to_the_room(
        contexts: Contexts, page_errors: PageErrors, http: httpx.Client) -> None:
    meeting = Meeting.open(http)
    page = landing(contexts, page_errors, str(http.base_url), PHONE)
    typed = f"{meeting.code[:3].lower()} {meeting.code[3:].lower()}"
    page.get_by_label("Room code").fill(typed)
    page.get_by_role("button", name="Join", exact=True).click()
    page.wait_for_url(f"{http.base_url}/r/{meeting.code}")
    assert page_errors.errors == []


def test_an_unknown_or_malformed_code_is_explained(
        contexts: Contexts, page_errors: PageErrors, http: httpx.Client) -> None:
    page = landing(contexts, page_errors, str(http.base_url))
    code_field = page.get_by_label("Room code")
    error = page.locator("#join-error")

    code_field.fill("K7MQ0P")  # 0 is not in the code alphabet: no need to ask the server
    code_field.press("Enter")
    expect(error).to_contain_text("6 letters and digits")

    unknown = "ZZZZZ2"
    assert http.get(f"/api/rooms/{unknown}").status_code == 404
    code_field.fill(unknown.lower())
    page.get_by_role("button", name="Join", exact=True).click()
    expect(error).to_have_text("No room has that code")
    expect(code_field).to_have_attribute("aria-invalid", "true")
    assert page.url == f"{http.base_url}/"
    assert [e for e in page_errors.errors if NETWORK_NOISE not in e] == []


def test_a_blank_title_shows_the_servers_refusal(
        contexts: Contexts, page_errors: PageErrors, http: httpx.Client) -> None:
    page = landing(contexts, page_errors, str(http.base_url))
    page.get_by_label("Title").fill("   ")
    page.get_by_role("button", name="Create room").click()
    error = page.locator("#create-error")
    expect(error).to_have_text("Title can't be blank.")
    expect(page.get_by_label("Title")).to_be_focused()
    expect(page.get_by_role("button", name="Create room")).to_be_enabled()
    assert page.url == f"{http.base_url}/"
    assert [e for e in page_errors.errors if NETWORK_NOISE not in e] == []


def test_too_many_rooms_from_one_place_is_explained(
        contexts: Contexts, page_errors: PageErrors, tmp_path: Path) -> None:
    server = Server(tmp_path / "askroom.db", env={"ASKROOM_RATE_ROOMS": "1/minute"}).start()
    try:
        first = httpx.post(f"{server.url}/api/rooms", json={"title": "The one allowed"})
        assert first.status_code == 201
        page = landing(contexts, page_errors, server.url)
        page.get_by_label("Title").fill("One too many")
        page.get_by_role("button", name="Create room").click()
        expect(page.locator("#create-error")).to_have_text(
            "Too many rooms created from here — wait a minute")
        assert page.url == f"{server.url}/"
    finally:
        server.stop()
    assert [e for e in page_errors.errors if NETWORK_NOISE not in e] == []


def test_landing_is_accessible_and_looks_right_on_a_laptop_and_a_phone(
        contexts: Contexts, page_errors: PageErrors, http: httpx.Client) -> None:
    page = landing(contexts, page_errors, str(http.base_url))
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    assert_accessible(page, "the landing page on a laptop")
    screenshot(page, "landing")

    phone = landing(contexts, page_errors, str(http.base_url), PHONE)
    expect(phone.get_by_label("Room code")).to_be_visible()
    assert_accessible(phone, "the landing page on a phone")
    # Nothing wider than the phone: no sideways scrolling.
    assert phone.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    screenshot(phone, "landing-phone")
    assert page_errors.errors == []
