"""The run sheet (issue 6, part 2) against a real server: the facilitator plans steps
(from the library or custom), reorders, changes and removes them, then steps through
them with Next — each pushed as the current prompt with its timer running, the time used
counted against the plan. Only the facilitator changes it; the organiser may read it;
the public stream learns that it changed, never what it says."""

from __future__ import annotations

import asyncio
import json
import time
from datetime import UTC, datetime
from typing import Any

import httpx
import pytest

from tests.meeting import Meeting
from tests.server import Server
from tests.stream import open_stream

JSONish = dict[str, Any]

# A custom step's text no public surface may carry before the step is pushed.
SECRET_STEP = "Quietly plan the Zanzibar budget swap"


@pytest.fixture
def meeting(http: httpx.Client) -> Meeting:
    return Meeting.open(http, "County partnership board", "Winter pressures")


@pytest.fixture
def library(http: httpx.Client) -> dict[str, JSONish]:
    response = http.get("/api/prompts")
    assert response.status_code == 200
    return {entry["key"]: entry for entry in response.json()}


def sheet(m: Meeting, headers: dict[str, str] | None = None) -> JSONish:
    response = m.http.get(m.url("/runsheet"), headers=headers or m.facilitator)
    assert response.status_code == 200, response.text
    return response.json()  # type: ignore[no-any-return]


def plan(m: Meeting, **step: Any) -> JSONish:
    response = m.http.post(m.url("/runsheet"), json=step, headers=m.facilitator)
    assert response.status_code == 201, response.text
    return response.json()  # type: ignore[no-any-return]


def next_step(m: Meeting) -> httpx.Response:
    return m.http.post(m.url("/runsheet/next"), headers=m.facilitator)


def reorder(m: Meeting, order: list[int]) -> httpx.Response:
    return m.http.put(m.url("/runsheet/order"), json={"order": order}, headers=m.facilitator)


def ids(run_sheet: JSONish) -> list[int]:
    return [step["id"] for step in run_sheet["steps"]]


def plan_three(m: Meeting, library: dict[str, JSONish]) -> tuple[JSONish, JSONish, JSONish]:
    """A library step by key, a custom step, a library step with its own duration."""
    first = plan(m, library_key="ask-for-help")
    second = plan(m, text=SECRET_STEP, collects="offer", duration_s=120)
    third = plan(m, library_key="commitments", duration_s=90)
    assert library["commitments"]["duration_s"] != 90, "the override must differ"
    return first, second, third


# --- planning ------------------------------------------------------------------------


def test_planned_steps_come_back_in_order_with_the_first_next(
        meeting: Meeting, library: dict[str, JSONish]) -> None:
    first, second, third = plan_three(meeting, library)

    ask = library["ask-for-help"]
    assert (first["library_key"], first["text"], first["collects"], first["duration_s"]) == (
        "ask-for-help", ask["text"], ask["collects"], ask["duration_s"])
    assert (second["library_key"], second["text"], second["collects"],
            second["duration_s"]) == (None, SECRET_STEP, "offer", 120)
    commitments = library["commitments"]
    assert (third["text"], third["collects"], third["duration_s"], third["self_commit"]) == (
        commitments["text"], commitments["collects"], 90, commitments["self_commit"])

    planned = sheet(meeting)
    assert ids(planned) == [first["id"], second["id"], third["id"]]
    positions = [step["position"] for step in planned["steps"]]
    assert positions == sorted(positions) and len(set(positions)) == 3
    assert [s["state"] for s in planned["steps"]] == ["planned"] * 3
    assert [s["used_s"] for s in planned["steps"]] == [0, 0, 0]
    assert planned["next"] == first["id"]
    assert planned["planned_s"] == ask["duration_s"] + 120 + 90
    assert planned["used_s"] == 0
    # Planning pushes nothing: the room has no current prompt yet.
    assert meeting.http.get(meeting.url()).json()["current_prompt"] is None


def test_bad_steps_are_refused(meeting: Meeting) -> None:
    for body, code in (({"library_key": "no-such-structure"}, "unknown_library_key"),
                       ({"text": "No kind given"}, None),
                       ({}, None),
                       ({"text": "x", "collects": "gossip"}, None),
                       ({"text": "Too long", "collects": "ask", "duration_s": 0}, None),
                       ({"text": "x", "collects": "ask", "colour": "red"}, None)):
        response = meeting.http.post(meeting.url("/runsheet"), json=body,
                                     headers=meeting.facilitator)
        assert response.status_code == 422, (body, response.text)
        if code:
            assert response.json()["code"] == code
    assert sheet(meeting)["steps"] == []


def test_reorder_puts_steps_in_the_given_order_and_refuses_an_incomplete_one(
        meeting: Meeting, library: dict[str, JSONish]) -> None:
    first, second, third = plan_three(meeting, library)
    other = Meeting.open(meeting.http, "Another room")
    foreign = plan(other, text="Not yours", collects="ask")

    reordered = reorder(meeting, [third["id"], first["id"], second["id"]])
    assert reordered.status_code == 200, reordered.text
    assert ids(reordered.json()) == [third["id"], first["id"], second["id"]]
    assert ids(sheet(meeting)) == [third["id"], first["id"], second["id"]]
    assert sheet(meeting)["next"] == third["id"]

    for bad in ([third["id"], first["id"]],  # one missing
                [third["id"], first["id"], second["id"], second["id"]],  # one twice
                [third["id"], first["id"], first["id"]],  # a repeat in place of one
                [third["id"], first["id"], second["id"], foreign["id"]],  # another room's
                [third["id"], first["id"], 10**9],
                []):
        refused = reorder(meeting, bad)
        assert refused.status_code == 422, (bad, refused.text)
        assert refused.json()["code"] == "order_must_name_every_step", bad
    assert ids(sheet(meeting)) == [third["id"], first["id"], second["id"]], \
        "a refused order changes nothing"
    assert ids(sheet(other)) == [foreign["id"]]


def test_patch_changes_a_step_and_delete_removes_it(
        meeting: Meeting, library: dict[str, JSONish]) -> None:
    first, second, third = plan_three(meeting, library)

    changed = meeting.http.patch(meeting.url(f"/runsheet/{second['id']}"),
                                 json={"text": "Offer what you can", "duration_s": 60,
                                       "identity_choice": True},
                                 headers=meeting.facilitator)
    assert changed.status_code == 200, changed.text
    assert changed.json()["text"] == "Offer what you can"
    step = {s["id"]: s for s in sheet(meeting)["steps"]}[second["id"]]
    assert (step["text"], step["duration_s"], step["collects"], step["identity_choice"]) == (
        "Offer what you can", 60, "offer", True)
    bad = meeting.http.patch(meeting.url(f"/runsheet/{second['id']}"), json={"collects": "x"},
                             headers=meeting.facilitator)
    assert bad.status_code == 422

    removed = meeting.http.delete(meeting.url(f"/runsheet/{first['id']}"),
                                  headers=meeting.facilitator)
    assert removed.status_code == 204, removed.text
    assert ids(sheet(meeting)) == [second["id"], third["id"]]
    assert sheet(meeting)["next"] == second["id"]
    assert sheet(meeting)["planned_s"] == 60 + 90
    again = meeting.http.delete(meeting.url(f"/runsheet/{first['id']}"),
                                headers=meeting.facilitator)
    assert again.status_code == 404, again.text
    missing = meeting.http.patch(meeting.url(f"/runsheet/{first['id']}"), json={"text": "x"},
                                 headers=meeting.facilitator)
    assert missing.status_code == 404

    # A step of another room is not found through this one.
    other = Meeting.open(meeting.http, "Another room")
    theirs = plan(other, text="Theirs", collects="ask")
    for response in (meeting.http.patch(meeting.url(f"/runsheet/{theirs['id']}"),
                                        json={"text": "Mine now"}, headers=meeting.facilitator),
                     meeting.http.delete(meeting.url(f"/runsheet/{theirs['id']}"),
                                         headers=meeting.facilitator)):
        assert response.status_code == 404, response.text
    assert sheet(other)["steps"][0]["text"] == "Theirs"


# --- stepping through ----------------------------------------------------------------


def parse_iso(value: str) -> datetime:
    return datetime.fromisoformat(value.replace("Z", "+00:00"))


def test_next_pushes_each_step_with_its_timer_and_counts_time_used(
        meeting: Meeting, library: dict[str, JSONish]) -> None:
    first, second, third = plan_three(meeting, library)
    assert reorder(meeting, [third["id"], first["id"], second["id"]]).status_code == 200
    assert meeting.http.delete(meeting.url(f"/runsheet/{first['id']}"),
                               headers=meeting.facilitator).status_code == 204
    # Left: third (90 s), then second (120 s).

    pushed = next_step(meeting)
    assert pushed.status_code == 200, pushed.text
    prompt = pushed.json()
    assert (prompt["text"], prompt["collects"], prompt["duration_s"], prompt["run_item_id"],
            prompt["library_key"]) == (third["text"], third["collects"], 90, third["id"],
                                       "commitments")
    assert prompt["self_commit"] is True, "the library step's self_commit comes with it"
    room = meeting.http.get(meeting.url()).json()
    assert room["current_prompt"]["id"] == prompt["id"]
    assert room["current_prompt"]["text"] == third["text"]
    assert room["timer"]["seconds"] == 90
    remaining = (parse_iso(room["timer"]["ends_at"]) - datetime.now(UTC)).total_seconds()
    assert 80 < remaining <= 91, remaining
    now = sheet(meeting)
    assert [(s["id"], s["state"]) for s in now["steps"]] == [
        (third["id"], "current"), (second["id"], "planned")]
    assert now["next"] == second["id"]

    time.sleep(1.6)  # so the first step has used a second or more
    pushed_again = next_step(meeting)
    assert pushed_again.status_code == 200, pushed_again.text
    second_prompt = pushed_again.json()
    assert second_prompt["text"] == SECRET_STEP and second_prompt["run_item_id"] == second["id"]
    room = meeting.http.get(meeting.url()).json()
    assert room["current_prompt"]["id"] == second_prompt["id"], "Next closed the previous one"
    assert room["timer"]["seconds"] == 120
    done = sheet(meeting)
    states = {s["id"]: s for s in done["steps"]}
    assert states[third["id"]]["state"] == "done"
    assert states[third["id"]]["used_s"] >= 1, "the time the step was open is counted"
    assert states[third["id"]]["used_s"] < 30
    assert states[second["id"]]["state"] == "current"
    assert states[second["id"]]["used_s"] >= 0
    assert done["used_s"] == sum(s["used_s"] for s in done["steps"])
    assert done["next"] is None

    finished = next_step(meeting)
    assert finished.status_code == 409, finished.text
    assert finished.json()["code"] == "run_sheet_finished"
    assert meeting.http.get(meeting.url()).json()["current_prompt"]["id"] == second_prompt["id"]

    # A step planned later is next; the steps already used are not pushed again.
    fourth = plan(meeting, text="Debrief: what, so what, now what?", collects="any")
    assert sheet(meeting)["next"] == fourth["id"]
    last = next_step(meeting)
    assert last.status_code == 200 and last.json()["run_item_id"] == fourth["id"]
    # A step with no duration stops the previous step's timer rather than keeping it.
    assert meeting.http.get(meeting.url()).json()["timer"] is None
    assert next_step(meeting).status_code == 409


def test_next_on_an_empty_run_sheet_or_a_closed_room_is_refused(meeting: Meeting) -> None:
    empty = next_step(meeting)
    assert empty.status_code == 409 and empty.json()["code"] == "run_sheet_finished"
    plan(meeting, text="One more", collects="ask", duration_s=30)
    assert meeting.set_state("closed").status_code == 200
    closed = next_step(meeting)
    assert closed.status_code == 409 and closed.json()["code"] == "room_closed"
    late = meeting.http.post(meeting.url("/runsheet"), json={"text": "Too late",
                                                            "collects": "ask"},
                             headers=meeting.facilitator)
    assert late.status_code == 409


# --- who may ---------------------------------------------------------------------------


def test_only_the_facilitator_changes_the_run_sheet_and_the_organiser_may_read_it(
        meeting: Meeting, library: dict[str, JSONish]) -> None:
    first, second, third = plan_three(meeting, library)
    sam = meeting.join("Sam", "NHS")
    other = Meeting.open(meeting.http, "Another room")
    before = sheet(meeting)

    assert sheet(meeting, meeting.organiser) == before

    changes = [("POST", "/runsheet", {"text": "Mine", "collects": "ask"}),
               ("PATCH", f"/runsheet/{first['id']}", {"text": "Changed"}),
               ("DELETE", f"/runsheet/{first['id']}", None),
               ("PUT", "/runsheet/order", {"order": [third["id"], second["id"], first["id"]]}),
               ("POST", "/runsheet/next", None)]
    for who, headers, status in (("organiser", meeting.organiser, 403),
                                 ("participant", sam.auth, 403),
                                 ("another room's facilitator", other.facilitator, 401),
                                 ("nobody", {}, 401)):
        for method, tail, body in changes:
            response = meeting.http.request(method, meeting.url(tail), json=body,
                                            headers=headers)
            assert response.status_code == status, (who, method, tail, response.text)
    for who, headers, status in (("participant", sam.auth, 403), ("nobody", {}, 401),
                                 ("another room's organiser", other.organiser, 401)):
        response = meeting.http.get(meeting.url("/runsheet"), headers=headers)
        assert response.status_code == status, (who, response.text)
        assert SECRET_STEP not in response.text

    assert sheet(meeting) == before, "nothing refused changed the run sheet"
    assert meeting.http.get(meeting.url()).json()["current_prompt"] is None


# --- the stream ------------------------------------------------------------------------


async def test_public_stream_learns_the_run_sheet_changed_but_never_its_steps(
        server: Server, meeting: Meeting, library: dict[str, JSONish]) -> None:
    m = meeting

    def room_seq() -> int:
        return int(m.http.get(m.url()).json()["seq"])

    async with open_stream(server, m.code) as public, open_stream(server, m.code) as staff:
        await public.snapshot()
        await staff.snapshot()
        await staff.send(json.dumps({"type": "auth", "key": m.organiser_key}))
        await staff.snapshot()
        public.raw.clear()

        first, second, third = await asyncio.to_thread(plan_three, m, library)
        await asyncio.to_thread(reorder, m, [second["id"], third["id"], first["id"]])
        await asyncio.to_thread(
            m.http.patch, m.url(f"/runsheet/{first['id']}"), json={"duration_s": 300},
            headers=m.facilitator)
        await asyncio.to_thread(m.http.delete, m.url(f"/runsheet/{third['id']}"),
                                headers=m.facilitator)
        last = await asyncio.to_thread(room_seq)

        public_events = await public.events_through(last)
        staff_events = await staff.events_through(last)

    # Three plans, one reorder, one change, one removal: six events, in both views.
    assert [e["event"] for e in public_events] == ["runsheet.updated"] * 6
    assert [e["seq"] for e in public_events] == [e["seq"] for e in staff_events]
    for event in public_events:
        assert event["data"] == {}, event
    raw = "".join(public.raw)
    assert SECRET_STEP not in raw
    assert library["commitments"]["text"] not in raw

    assert [e["event"] for e in staff_events] == ["runsheet.updated"] * 6
    steps = staff_events[-1]["data"]["runsheet"]
    assert [s["id"] for s in steps] == [second["id"], first["id"]]
    assert steps[0]["text"] == SECRET_STEP
    assert {s["id"]: s for s in steps}[first["id"]]["duration_s"] == 300
    after_reorder = staff_events[3]["data"]["runsheet"]
    assert [s["id"] for s in after_reorder] == [second["id"], third["id"], first["id"]]

    # The public log and replays say the same: a change, no content.
    log = m.http.get(m.url("/events"), params={"after": 0})
    assert SECRET_STEP not in log.text
    assert [e["data"] for e in log.json()["events"] if e["event"] == "runsheet.updated"] == \
        [{}] * 6
    async with open_stream(server, m.code, after=0) as replay:
        replayed = await replay.events_through(last)
        assert SECRET_STEP not in "".join(replay.raw)
    assert [e["data"] for e in replayed] == [{}] * 6
    staff_log = m.http.get(m.url("/events"), params={"after": 0}, headers=m.facilitator)
    assert SECRET_STEP in staff_log.text


def test_a_step_that_offers_identity_choice_lets_authors_choose_when_pushed(
        meeting: Meeting) -> None:
    sam = meeting.join("Sam", "NHS")
    plan(meeting, text="What worries you? Say it anonymously if you like", collects="ask",
         identity_choice=True, duration_s=60)
    plan(meeting, text="Now, named", collects="ask")
    pushed = next_step(meeting)
    assert pushed.status_code == 200 and pushed.json()["identity_choice"] is True
    card = meeting.card(sam, "ask", "Nobody reads the discharge letters", identity="anonymous")
    assert card["identity"] == "anonymous"
    assert next_step(meeting).json()["identity_choice"] is False
    refused = meeting.post(sam, "ask", "And this?", identity="anonymous")
    assert refused.status_code == 422 and refused.json()["code"] == "identity_not_allowed"


def test_a_run_sheet_holds_sixty_steps_and_each_change_stays_small(meeting: Meeting) -> None:
    """Unbounded growth (issue 12): each runsheet.updated carries the whole sheet, so the
    sheet is capped; at the cap, with the longest texts, one change stays ~30 KB."""
    steps = [plan(meeting, text=f"{n:02d} " + "x" * 277, collects="ask", duration_s=600)
             for n in range(60)]
    refused = meeting.http.post(meeting.url("/runsheet"), json={
        "text": "One more", "collects": "ask"}, headers=meeting.facilitator)
    assert refused.status_code == 409, refused.text
    assert refused.json()["code"] == "run_sheet_full"
    assert len(sheet(meeting)["steps"]) == 60
    removed = meeting.http.delete(meeting.url(f"/runsheet/{steps[0]['id']}"),
                                  headers=meeting.facilitator)
    assert removed.status_code == 204
    plan(meeting, text="One more", collects="ask")
    events = meeting.http.get(meeting.url("/events"), headers=meeting.facilitator).json()
    sizes = [len(json.dumps(e["data"])) for e in events["events"]
             if e["event"] == "runsheet.updated"]
    assert len(sizes) == 62
    assert max(sizes) < 40_000
