"""Partnerships (SPEC §10) through the real API: starting one, its keys, its meetings,
requests to member organisations, changing and deleting it, and what bad input gets."""

from __future__ import annotations

import httpx
import pytest

from tests.meeting import Meeting, Series, bearer


def test_a_partnership_starts_with_two_keys_shown_once(http: httpx.Client) -> None:
    series = Series.start(http, "East Partnership Board",
                          ("  County Council ", "NHS Trust"), mission="Fewer people out of work",
                          timezone="Europe/Dublin")
    body = series.created
    assert body["title"] == "East Partnership Board"
    assert body["members"] == ["County Council", "NHS Trust"]  # trimmed, in order
    assert body["timezone"] == "Europe/Dublin"
    assert body["ref_prefix"] == "EPB"
    assert body["role"] == "backbone" and body["meetings"] == []
    assert body["page_url"].endswith(f"/p/{series.id}#key={series.backbone_key}")
    assert series.backbone_key != series.member_key
    for key in (series.backbone, series.member):
        again = http.get(series.url(), headers=key).json()
        assert series.backbone_key not in str(again) and series.member_key not in str(again)
    assert http.get(series.url(), headers=series.member).json()["role"] == "member"


def test_the_time_zone_defaults_to_london_and_a_prefix_can_be_chosen(
        http: httpx.Client) -> None:
    series = Series.start(http, "a", ref_prefix="WG7")
    assert series.created["timezone"] == "Europe/London"
    assert series.created["ref_prefix"] == "WG7"


def test_meetings_are_numbered_in_series_and_take_the_partnerships_keys(
        http: httpx.Client) -> None:
    series = Series.start(http, "Employment Partnership", mission="Good work for everyone")
    first = series.next_meeting()
    second = series.next_meeting(title="Working group, March", purpose="", run_by="EPB team")
    assert (first.created["title"], first.created["partnership"]["number"]) == (
        "Employment Partnership — meeting 1", 1)
    assert first.created["purpose"] == "Good work for everyone"
    assert (second.created["title"], second.created["purpose"]) == ("Working group, March", "")
    assert second.created["partnership"]["number"] == 2
    assert "facilitator_key" not in second.created and "organiser_key" not in second.created
    assert second.created["facilitate_url"].endswith(f"/r/{second.code}/facilitate")
    assert [m["number"] for m in series.read()["meetings"]] == [1, 2]
    # The backbone key is every meeting's facilitator key; the member key its organiser's.
    renamed = http.patch(first.url(), json={"title": "Meeting one"}, headers=series.backbone)
    assert renamed.status_code == 200, renamed.text
    me = http.get(second.url("/me"), headers=series.member).json()
    assert me["role"] == "organiser"
    refused = http.patch(first.url(), json={"title": "No"}, headers=series.member)
    assert (refused.status_code, refused.json()["code"]) == (403, "wrong_role")
    exported = http.get(first.url("/export.json"), headers=series.member)
    assert exported.status_code == 200


def test_a_request_may_go_to_a_member_before_anyone_from_it_has_joined(
        http: httpx.Client) -> None:
    series = Series.start(http, members=("County Council", "NHS Trust"))
    meeting = series.next_meeting()
    assert meeting.created["partnership"]["members"] == ["County Council", "NHS Trust"]
    sam = meeting.join("Sam Carter", "Jobcentre")
    card = meeting.card(sam, "request", "Share the list of vacancies",
                        to_organisation="  county COUNCIL")
    assert card["to"]["organisation"] == "County Council"  # the partnership's spelling
    refused = meeting.post(sam, "request", "Nobody here", to_organisation="Police")
    assert (refused.status_code, refused.json()["code"]) == (422, "unknown_organisation")
    # Someone joining from a member takes its spelling, whatever they typed.
    alex = meeting.join("Alex Moss", "nhs  trust")
    assert alex.organisation == "NHS Trust"


def test_a_plain_room_knows_no_partnership(http: httpx.Client) -> None:
    room = Meeting.open(http)
    assert http.get(room.url()).json()["partnership"] is None


def test_the_backbone_changes_the_partnership_and_its_meetings_see_the_members(
        http: httpx.Client) -> None:
    series = Series.start(http, members=("County Council",))
    meeting = series.next_meeting()
    changed = http.patch(series.url(), json={"members": ["County Council", "Housing Trust"],
                                             "mission": "Homes and work"},
                         headers=series.backbone)
    assert changed.status_code == 200, changed.text
    assert changed.json()["members"] == ["County Council", "Housing Trust"]
    assert http.get(meeting.url()).json()["partnership"]["members"][-1] == "Housing Trust"
    sam = meeting.join("Sam Carter")
    meeting.card(sam, "request", "Two flats", to_organisation="Housing Trust")
    for key in (series.member, None, bearer("garbage")):
        refused = http.patch(series.url(), json={"title": "Mine now"}, headers=key)
        assert refused.status_code in (401, 403), refused.text
    assert series.read()["title"] == "East Partnership Board"


def test_the_backbone_deletes_the_partnership_with_every_meeting(http: httpx.Client) -> None:
    series = Series.start(http)
    meetings = [series.next_meeting(), series.next_meeting()]
    refused = http.delete(series.url(), headers=series.member)
    assert (refused.status_code, refused.json()["code"]) == (403, "wrong_role")
    assert http.delete(series.url(), headers=series.backbone).status_code == 204
    assert http.get(series.url(), headers=series.backbone).json()["code"] == (
        "partnership_not_found")
    for meeting in meetings:
        assert http.get(meeting.url()).json()["code"] == "room_not_found"


@pytest.mark.parametrize(("body", "field"), [
    ({"title": "x", "members": ["Org"] * 2}, "duplicate_member"),
    ({"title": "x", "members": ["County Council", " county  council "]}, "duplicate_member"),
    ({"title": "x", "members": [f"Org {n}" for n in range(61)]}, "members"),
    ({"title": "x", "members": ["   "]}, "members"),
    ({"title": "x", "members": ["x" * 81]}, "members"),
    ({"title": "x", "timezone": "Europe/Atlantis"}, "timezone"),
    ({"title": "x", "ref_prefix": "e-p"}, "ref_prefix"),
    ({"title": "x", "ref_prefix": "TOOLONGPREFIX"}, "ref_prefix"),
    ({"title": "   "}, "title"),
    ({"title": "x", "owner": "me"}, "owner"),
])
def test_bad_input_is_refused_naming_what_was_wrong(http: httpx.Client, body: dict[str, object],
                                                  field: str) -> None:
    response = http.post("/api/partnerships", json=body)
    assert response.status_code == 422, response.text
    error = response.json()
    if field == "duplicate_member":
        assert error["code"] == "duplicate_member"
    else:
        assert error["code"] == "invalid_input" and field in str(error["errors"])


def test_a_meeting_opened_with_the_wrong_key_is_not_opened(http: httpx.Client) -> None:
    series = Series.start(http)
    other = Series.start(http, "Another partnership")
    room = Meeting.open(http)
    for key, status, code in ((series.member, 403, "wrong_role"),
                              (other.backbone, 401, "bad_credentials"),
                              (room.facilitator, 401, "bad_credentials"),
                              (None, 401, "missing_credentials")):
        response = http.post(series.url("/rooms"), json={}, headers=key)
        assert (response.status_code, response.json()["code"]) == (status, code)
    assert series.read()["meetings"] == []
    unknown = http.post("/api/partnerships/ZZZZZZ/rooms", json={}, headers=series.backbone)
    assert (unknown.status_code, unknown.json()["code"]) == (404, "partnership_not_found")
    bad = http.post(series.url("/rooms"), json={"title": ""}, headers=series.backbone)
    assert bad.status_code == 422
    assert series.read()["meetings"] == []
