"""Matters arising (SPEC §10) through the real API and stream: a partnership's meeting
opens with the open commitments of its earlier meetings; the owner's organisation
reports on one from this meeting, or the facilitator records it for them; the
commitment changes where it was made, the register keeps the report, and both meetings'
streams say so."""

from __future__ import annotations

import asyncio
from typing import Any, NamedTuple

import httpx
import pytest

from tests.meeting import Meeting, Person, Series, bearer
from tests.server import Server
from tests.stream import open_stream


def matters(meeting: Meeting, key: dict[str, str] | None = None) -> list[dict[str, Any]]:
    response = meeting.http.get(meeting.url("/matters"), headers=key)
    assert response.status_code == 200, response.text
    return response.json()["matters"]  # type: ignore[no-any-return]


def report(meeting: Meeting, ref: str, who: Person | None, progress: str,
           note: str = "") -> httpx.Response:
    headers = who.auth if who else meeting.facilitator
    return meeting.http.post(meeting.url(f"/matters/{ref}/progress"),
                             json={"progress": progress, "note": note}, headers=headers)


def commit(meeting: Meeting, asker: Person, asked: Person, text: str) -> int:
    card = meeting.card(asker, "request", text, to_participant_id=asked.id)
    assert meeting.act(asked, card["id"], "reply", answer="yes").status_code == 200
    return int(card["id"])


class TwoMeetings(NamedTuple):
    series: Series
    first: Meeting
    second: Meeting
    cards: dict[str, int]  # the first meeting's open commitments, by a word for each
    people: dict[str, Person]  # the first meeting's, by first name


def two_meetings(http: httpx.Client) -> TwoMeetings:
    series = Series.start(http, "East Partnership Board", ("County Council", "Jobcentre"))
    first = series.next_meeting()
    sam, alex = first.join("Sam Carter", "Jobcentre"), first.join("Alex Moss",
                                                                   "County Council")
    cards = {"vacancies": commit(first, sam, alex, "Share the vacancy list"),
             "course": commit(first, alex, sam, "Two places on the course")}
    done = commit(first, sam, alex, "Book the hall")
    assert first.act(alex, done, "progress", progress="done").status_code == 200
    return TwoMeetings(series, first, series.next_meeting(), cards, {"sam": sam, "alex": alex})


def test_a_meeting_opens_with_the_earlier_meetings_open_commitments(
        http: httpx.Client) -> None:
    series, first, second, _cards, _people = two_meetings(http)
    open_now = matters(second)
    assert [(m["ref"], m["what"], m["owner"]["name"]) for m in open_now] == [
        ("EPB-1-01", "Share the vacancy list", "Alex Moss"),
        ("EPB-1-02", "Two places on the course", "Sam Carter")]
    assert matters(first) == []  # the first meeting has nothing before it
    assert matters(Meeting.open(http)) == []  # nor has a room of no partnership
    third = series.next_meeting()
    assert len(matters(third)) == 2  # still open: they carry on


async def test_the_owners_organisation_reports_and_both_streams_say_so(
        server: Server) -> None:
    with httpx.Client(base_url=server.url, timeout=10) as http:
        series, first, second, cards, _people = await asyncio.to_thread(two_meetings, http)
        maria = await asyncio.to_thread(second.join, "Maria Lopez", "county council")
        async with open_stream(server, second.code) as here, \
                open_stream(server, first.code) as there:
            await here.snapshot()
            await there.snapshot()
            response = await asyncio.to_thread(report, second, "epb-1-01", maria, "done",
                                               "Sent to every adviser")
            assert response.status_code == 200, response.text
            assert response.json()["status"] == "done"
            event = await here.event()
            assert event["event"] == "matter.updated"
            matter = event["data"]["matter"]
            assert (matter["ref"], matter["status"], matter["history"][-1]["in_meeting"]) == (
                "EPB-1-01", "done", 2)
            assert matter["history"][-1]["by"]["name"] == "Maria Lopez"
            changed = await there.event()
            assert changed["event"] == "card.updated"
            assert changed["data"]["card"]["id"] == cards["vacancies"]
            assert changed["data"]["card"]["commitment"]["progress"] == "done"
        assert [m["ref"] for m in await asyncio.to_thread(matters, second)] == ["EPB-1-02"]
        register = (await asyncio.to_thread(http.get, series.url("/register"),
                                            headers=series.backbone)).json()
        vacancies = register["entries"][0]
        assert vacancies["status"] == "done"
        assert [(h["progress"], h["note"], h["in_meeting"], h["on_behalf"])
                for h in vacancies["history"]] == [
            ("done", "Sent to every adviser", 2, False)]
        # The replay of the second meeting tells the same.
        async with open_stream(server, second.code, after=0) as replay:
            frames = await replay.events_through(event["seq"])
        assert frames[-1]["data"]["matter"]["ref"] == "EPB-1-01"


def test_the_facilitator_records_it_on_someones_behalf(http: httpx.Client) -> None:
    series, _first, second, _cards, _people = two_meetings(http)
    response = report(second, "EPB-1-02", None, "in_progress", "Said aloud: one place left")
    assert response.status_code == 200, response.text
    entry = response.json()
    assert entry["progress"] == "in_progress" and entry["status"] == "open"
    assert entry["history"][-1]["on_behalf"] is True
    assert entry["history"][-1]["by"] is None
    assert matters(second)[1]["note"] == "Said aloud: one place left"


@pytest.mark.parametrize(("ref", "status", "code"), [
    ("EPB-1-09", 404, "matter_not_found"),
    ("XYZ-1-01", 404, "matter_not_found"),
    ("EPB-2-01", 404, "matter_not_found"),  # this meeting's own: not a matter arising
    ("EPB-1-03", 409, "matter_closed"),  # done already
    ("not a ref", 404, "matter_not_found"),
])
def test_what_a_bad_reference_gets(http: httpx.Client, ref: str, status: int,
                                   code: str) -> None:
    _series, _first, second, _cards, _people = two_meetings(http)
    response = report(second, ref, None, "done")
    assert (response.status_code, response.json()["code"]) == (status, code), response.text


def test_who_may_report(http: httpx.Client) -> None:
    series, _first, second, _cards, _people = two_meetings(http)
    kim = second.join("Kim Lee", "Fire Service")
    nobody = second.join("Pat Nobody")
    for who, status, code in ((kim, 403, "not_your_matter"), (nobody, 403, "not_your_matter")):
        response = report(second, "EPB-1-01", who, "done")
        assert (response.status_code, response.json()["code"]) == (status, code)
    for headers, status, code in ((series.member, 403, "wrong_role"),
                                  (None, 401, "missing_credentials"),
                                  (bearer("junk"), 401, "bad_credentials")):
        response = http.post(second.url("/matters/EPB-1-01/progress"),
                             json={"progress": "done"}, headers=headers)
        assert (response.status_code, response.json()["code"]) == (status, code)
    plain = Meeting.open(http)
    pat = plain.join("Pat", "Council")
    response = report(plain, "EPB-1-01", pat, "done")
    assert (response.status_code, response.json()["code"]) == (409, "not_a_meeting")
    assert all(m["progress"] == "not_started" for m in matters(second))


async def test_a_name_withdrawn_leaves_the_later_meetings_streams_too(
        server: Server) -> None:
    with httpx.Client(base_url=server.url, timeout=10) as http:
        _series, first, second, _cards, people = await asyncio.to_thread(two_meetings, http)
        maria = await asyncio.to_thread(second.join, "Maria Lopez", "County Council")
        assert (await asyncio.to_thread(report, second, "EPB-1-01", maria, "in_progress")
                ).status_code == 200
        left = await asyncio.to_thread(http.post, first.url("/participants/me/withdraw"),
                                       headers=people["alex"].auth)
        assert left.status_code == 200, left.text
        # The reporter leaves the second meeting.
        assert (await asyncio.to_thread(http.post, second.url("/participants/me/withdraw"),
                                        headers=maria.auth)).status_code == 200
        async with open_stream(server, second.code, after=0) as replay:
            seq = http.get(second.url()).json()["seq"]
            await replay.events_through(seq)
        told = "".join(replay.raw) + http.get(second.url("/matters")).text
        assert "Alex Moss" not in told and "Maria Lopez" not in told
        staff = http.get(second.url("/export.json"), headers=second.organiser).text
        assert "Alex Moss" not in staff and "Maria Lopez" not in staff


def test_these_are_every_matters_route(http: httpx.Client) -> None:
    """A matters route added without its tests here fails this test."""
    documented = {(method.upper(), path)
                  for path, operations in http.get("/openapi.json").json()["paths"].items()
                  for method in operations if "/matters" in path}
    assert documented == {("GET", "/api/rooms/{code}/matters"),
                          ("POST", "/api/rooms/{code}/matters/{ref}/progress")}
