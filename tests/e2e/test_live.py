"""live.js and RoomStore in Chromium against a real server: the one connection every page
follows a room through, what it leaves behind when closed, and how the store treats an
event type it does not know."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

import httpx
from playwright.sync_api import BrowserContext, Page, expect

from tests.e2e.conftest import PageErrors
from tests.meeting import Meeting
from tests.server import Server

expect.set_options(timeout=10_000)


def until(page: Page, check: str, timeout_s: float = 10) -> None:
    """Wait until `check` (a JavaScript expression) is true in the page. Not
    page.wait_for_function: its in-page polling evaluates a string, which the CSP refuses."""
    deadline = time.monotonic() + timeout_s
    while not page.evaluate(check):
        assert time.monotonic() < deadline, f"timed out waiting for {check}"
        page.wait_for_timeout(50)


def board(contexts: Callable[..., BrowserContext], server: Server, meeting: Meeting,
          errors: PageErrors) -> Page:
    """A page of the app (the board), live, to run the modules in."""
    page = contexts().new_page()
    errors.watch(page)
    page.goto(f"{server.url}/r/{meeting.code}/board")
    expect(page.locator("#conn")).to_have_attribute("data-state", "live")
    return page


# Counts the sockets opened from here on to one room's stream, and the window/document
# listeners of the three kinds live.js uses that are added and not yet removed.
WATCH = """(code) => {
  window.__sockets = 0;
  const Native = window.WebSocket;
  window.WebSocket = class extends Native {
    constructor(url, ...rest) {
      super(url, ...rest);
      if (String(url).includes(`/ws/rooms/${code}`)) window.__sockets += 1;
    }
  };
  window.__listening = new Map();
  for (const target of [window, document]) {
    const add = target.addEventListener.bind(target);
    const remove = target.removeEventListener.bind(target);
    target.addEventListener = (type, fn, options) => {
      const watched = ["online", "offline", "visibilitychange"].includes(type);
      if (watched) window.__listening.set(fn, type);
      add(type, fn, options);
    };
    target.removeEventListener = (type, fn, options) => {
      window.__listening.delete(fn);
      remove(type, fn, options);
    };
  }
}"""


def test_a_followed_store_reconnects_when_online_and_a_closed_one_never_again(
        contexts: Any, server: Server, http: httpx.Client, page_errors: PageErrors) -> None:
    """Back online, the connection starts a fresh socket; once closed, it takes its
    listeners off the window and nothing (online, a visible tab) opens a socket for it."""
    page = board(contexts, server, Meeting.open(http, "The page's own room"), page_errors)
    meeting = Meeting.open(http, "Live connection")  # followed by hand, below
    page.evaluate(WATCH, meeting.code)
    page.evaluate("""async (code) => {
      const { RoomStore } = await import("/static/js/store.js");
      window.__store = new RoomStore();
      window.__states = [];
      window.__live = window.__store.follow(code, { onStatus: (s) => window.__states.push(s) });
    }""", meeting.code)
    until(page, "window.__states.includes('live') && window.__store.room !== null")
    assert page.evaluate("window.__sockets") == 1
    assert sorted(page.evaluate("[...window.__listening.values()]")) == [
        "offline", "online", "visibilitychange"]

    page.evaluate("window.dispatchEvent(new Event('online'))")
    until(page, "window.__sockets === 2")
    until(page, "window.__states.filter((s) => s === 'live').length === 2")

    page.evaluate("window.__live.close()")
    assert page.evaluate("window.__listening.size") == 0
    page.evaluate("""() => {
      window.dispatchEvent(new Event('online'));
      document.dispatchEvent(new Event('visibilitychange'));
    }""")
    page.wait_for_timeout(1500)  # longer than the first reconnect's back-off
    assert page.evaluate("window.__sockets") == 2
    assert page_errors.errors == []


def test_the_store_passes_over_an_event_type_it_does_not_know(
        contexts: Any, server: Server, http: httpx.Client, page_errors: PageErrors) -> None:
    """A newer server's event type counts its seq and changes nothing, so a page left
    open through an upgrade keeps working; the types it knows still apply."""
    meeting = Meeting.open(http, "Old page, new server")
    page = board(contexts, server, meeting, page_errors)
    seen = page.evaluate("""async () => {
      const { RoomStore } = await import("/static/js/store.js");
      const store = new RoomStore();
      const changes = [];
      store.subscribe((change) => changes.push(change.type));
      const room = { code: "ABCDE2", title: "Room", state: "open", seq: 4 };
      store.applySnapshot({ type: "snapshot", seq: 4, room, prompt: null, timer: null,
                            participants: [], cards: [] });
      store.applyEvent({ type: "event", seq: 5, event: "room.weather_changed",
                         at: "2030-01-01T00:00:00Z", data: { weather: "rain" } });
      const afterUnknown = { seq: store.seq, roomSeq: store.room.seq, changes: [...changes],
                             title: store.room.title };
      const renamed = { ...room, title: "Renamed" };
      store.applyEvent({ type: "event", seq: 6, event: "room.updated",
                         at: "2030-01-01T00:00:01Z", data: { room: renamed } });
      return { afterUnknown, changes, title: store.room.title };
    }""")
    assert seen["afterUnknown"] == {"seq": 5, "roomSeq": 5, "changes": ["snapshot"],
                                    "title": "Room"}
    assert seen["changes"] == ["snapshot", "room.updated"]
    assert seen["title"] == "Renamed"
    assert page_errors.errors == []
