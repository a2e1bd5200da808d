"""The action register (SPEC §10) through the real API: every commitment of every meeting
with a stable reference, its history and a secretariat's status; filters; the members'
view as the rooms saw it; and who may read it."""

from __future__ import annotations

from typing import Any

import httpx

from tests.meeting import Meeting, Person, Series, bearer


def register(series: Series, key: dict[str, str] | None = None, **filters: Any) -> Any:
    response = series.http.get(series.url("/register"), params=filters,
                               headers=key if key is not None else series.backbone)
    assert response.status_code == 200, response.text
    return response.json()


def yes(meeting: Meeting, asker: Person, asked: Person, text: str) -> int:
    card = meeting.card(asker, "request", text, to_participant_id=asked.id)
    assert meeting.act(asked, card["id"], "reply", answer="yes").status_code == 200
    return int(card["id"])


def test_each_commitment_gets_a_reference_that_never_moves(http: httpx.Client) -> None:
    series = Series.start(http, "East Partnership Board")
    first = series.next_meeting()
    sam, alex = first.join("Sam Carter", "Jobcentre"), first.join("Alex Moss", "County Council")
    first.push(text="What do you need?", collects="any")
    early = first.card(sam, "request", "Share the vacancy list", to_participant_id=alex.id)
    ask = first.card(sam, "ask", "A room for the job fair")
    offer = first.card(alex, "offer", "Our hall, free", reply_to=ask["id"])
    assert first.act(sam, offer["id"], "accept").status_code == 200
    # The older request becomes a commitment after the offer did: it comes second.
    assert first.act(alex, early["id"], "reply", answer="try").status_code == 200
    second = series.next_meeting()
    kim, lou = second.join("Kim Lee", "NHS Trust"), second.join("Lou Ray", "Fire Service")
    later = yes(second, kim, lou, "Fit smoke alarms on the estate")

    entries = register(series)["entries"]
    assert [(e["ref"], e["what"]) for e in entries] == [
        ("EPB-1-01", "Our hall, free"), ("EPB-1-02", "Share the vacancy list"),
        ("EPB-2-01", "Fit smoke alarms on the estate")]
    hall, vacancies, alarms = entries
    assert hall["owner"]["name"] == "Alex Moss" and hall["for_whom"]["name"] == "Sam Carter"
    assert vacancies["owner"]["name"] == "Alex Moss" and vacancies["kind"] == "request"
    assert alarms["meeting"] == {"code": second.code, "number": 2,
                                 "title": second.created["title"],
                                 "date": second.created["created_at"]}
    assert all(e["status"] == "open" and e["due"] is None for e in entries)

    # It stops being a commitment: it stays, with its reference, as dropped.
    assert first.act(alex, early["id"], "reply", answer="no").status_code == 200
    assert second.act(lou, later, "progress", progress="done", note="All fitted").status_code \
        == 200
    after = {e["ref"]: e for e in register(series)["entries"]}
    assert list(after) == ["EPB-1-01", "EPB-1-02", "EPB-2-01"]
    assert after["EPB-1-02"]["status"] == "dropped"
    assert after["EPB-2-01"]["status"] == "done"
    assert after["EPB-2-01"]["closed_at"] == after["EPB-2-01"]["history"][-1]["at"]
    assert after["EPB-1-01"]["closed_at"] is None


def test_the_whole_history_and_the_filters(http: httpx.Client) -> None:
    series = Series.start(http, "Harbour Health", ref_prefix="HH")
    meeting = series.next_meeting()
    kim, lou = meeting.join("Kim Lee", "NHS Trust"), meeting.join("Lou Ray", "Fire Service")
    one = yes(meeting, kim, lou, "Fit smoke alarms")
    two = yes(meeting, lou, kim, "Share discharge dates")
    for progress, note in (("in_progress", "Half the estate"), ("done", "All fitted")):
        assert meeting.act(lou, one, "progress", progress=progress, note=note).status_code == 200
    assert meeting.act(kim, two, "progress", progress="dropped", note="Not ours").status_code \
        == 200
    whole = register(series)
    assert whole["counts"] == {"open": 0, "overdue": 0, "done": 1, "dropped": 1}
    (alarms,) = [e for e in whole["entries"] if e["ref"] == "HH-1-01"]
    assert [(h["progress"], h["note"], h["by"]["name"]) for h in alarms["history"]] == [
        ("in_progress", "Half the estate", "Lou Ray"), ("done", "All fitted", "Lou Ray")]
    assert [e["ref"] for e in register(series, organisation="fire  service")["entries"]] == [
        "HH-1-01"]
    assert [e["ref"] for e in register(series, status="dropped")["entries"]] == ["HH-1-02"]
    assert register(series, meeting=2)["entries"] == []
    assert len(register(series, overdue="false")["entries"]) == 2
    bad = http.get(series.url("/register"), params={"status": "late"}, headers=series.backbone)
    assert bad.status_code == 422


def test_members_see_the_register_as_the_rooms_saw_it(http: httpx.Client) -> None:
    series = Series.start(http)
    meeting = series.next_meeting()
    sam, alex = meeting.join("Sam Carter", "Jobcentre"), meeting.join("Alex Moss", "Council")
    rita = meeting.join("Rita Secret", "Kestrel Trust")
    meeting.push(text="Offers?", collects="any", identity_choice=True)
    ask = meeting.card(sam, "ask", "Help with CVs")
    offer = meeting.card(rita, "offer", "Two volunteers", reply_to=ask["id"],
                         identity="anonymous")
    assert meeting.act(sam, offer["id"], "accept").status_code == 200
    hidden = yes(meeting, sam, alex, "Hidden words 51fe")
    assert http.patch(meeting.url(f"/cards/{hidden}"), json={"hidden": True},
                      headers=series.backbone).status_code == 200
    held = http.patch(meeting.url(), json={"answers_held": True}, headers=series.backbone)
    assert held.status_code == 200
    yes(meeting, alex, sam, "Held yes c0aa")

    backbone = register(series)
    assert len(backbone["entries"]) == 3
    assert any(e["owner"]["name"] == "Rita Secret" for e in backbone["entries"])
    members = http.get(series.url("/register"), headers=series.member)
    assert members.status_code == 200
    assert members.json()["role"] == "member"
    for secret in ("Rita Secret", "Hidden words 51fe", "Held yes c0aa"):
        assert secret not in members.text, secret
    (volunteers,) = members.json()["entries"]
    assert volunteers["what"] == "Two volunteers" and volunteers["owner"] is None

    refused = [http.get(series.url("/register"), headers=key).status_code
               for key in (None, bearer("junk"), sam.auth,
                           bearer(Series.start(http, "Other").backbone_key))]
    assert refused == [401, 401, 401, 401]


def test_a_name_withdrawn_leaves_the_register_too(http: httpx.Client) -> None:
    series = Series.start(http)
    meeting = series.next_meeting()
    sam, alex = meeting.join("Sam Carter", "Jobcentre"), meeting.join("Alex Moss", "Council")
    card = yes(meeting, sam, alex, "Share the list")
    assert meeting.act(alex, card, "progress", progress="in_progress").status_code == 200
    left = http.post(meeting.url("/participants/me/withdraw"), headers=alex.auth)
    assert left.status_code == 200, left.text
    for key in (series.backbone, series.member):
        response = http.get(series.url("/register"), headers=key)
        assert "Alex Moss" not in response.text
        (entry,) = response.json()["entries"]
        assert entry["owner"] == {"id": alex.id, "name": "A participant",
                                  "organisation": "Council"}  # theirs, as their organisation's


def test_the_register_downloads_as_csv_xlsx_and_json(http: httpx.Client) -> None:
    import csv
    import io

    import openpyxl

    series = Series.start(http, "East Partnership Board", ("County Council", "Fire Service"))
    first, second = series.next_meeting(), series.next_meeting()
    sam, alex = first.join("Sam Carter", "Jobcentre"), first.join("Alex Moss", "County Council")
    done = yes(first, sam, alex, "=HYPERLINK(\"http://x\") share the list")
    assert first.act(alex, done, "progress", progress="done", note="Sent").status_code == 200
    yes(first, alex, sam, "Two places on the course")
    kim, lou = second.join("Kim Lee", "Fire Service"), second.join("Lou Ray", "county council")
    yes(second, kim, lou, "Fit smoke alarms")

    response = http.get(series.url("/register.csv"), headers=series.backbone)
    assert response.status_code == 200, response.text
    assert response.headers["content-disposition"].endswith(
        f'filename="askroom-register-{series.id}.csv"')
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"), newline="")))
    assert rows[0][:5] == ["ref", "meeting", "raised_at", "kind", "what"]
    assert [r[0] for r in rows[1:]] == ["EPB-1-01", "EPB-1-02", "EPB-2-01"]
    assert rows[1][4].startswith("'=HYPERLINK")  # no formula reaches a spreadsheet
    assert rows[1][rows[0].index("status")] == "done"

    workbook = openpyxl.load_workbook(io.BytesIO(http.get(
        series.url("/register.xlsx"), headers=series.member).content), read_only=True)
    assert workbook.sheetnames == ["Register", "By organisation", "By meeting", "History"]
    by_org = [list(r) for r in workbook["By organisation"].iter_rows(values_only=True)]
    assert by_org == [
        ["organisation", "commitments", "open", "overdue", "done", "dropped", "kept_rate"],
        ["County Council", 2, 1, 0, 1, 0, "50%"], ["Jobcentre", 1, 1, 0, 0, 0, "0%"]]
    by_meeting = [list(r) for r in workbook["By meeting"].iter_rows(values_only=True)]
    assert [(r[0], r[1], r[-1]) for r in by_meeting[1:]] == [
        (f"1. {first.created['title']}", 2, "50%"), (f"2. {second.created['title']}", 1, "0%")]
    history = [list(r) for r in workbook["History"].iter_rows(values_only=True)]
    assert [(r[0], r[2], r[3], r[4]) for r in history[1:]] == [
        ("EPB-1-01", "done", "Sent", "Alex Moss")]
    workbook.close()

    as_json = http.get(series.url("/register.json"), params={"status": "open"},
                       headers=series.member)
    assert as_json.headers["content-disposition"].endswith('.json"')
    assert [e["ref"] for e in as_json.json()["entries"]] == ["EPB-1-02", "EPB-2-01"]
    for path in ("/register.csv", "/register.xlsx", "/register.json"):
        assert http.get(series.url(path)).status_code == 401


def test_who_asked_whom_across_the_series(http: httpx.Client) -> None:
    series = Series.start(http, "Harbour", ("County Council", "NHS Trust"))
    for _ in range(2):
        meeting = series.next_meeting()
        sam, alex = meeting.join("Sam", "NHS Trust"), meeting.join("Alex", "county council")
        meeting.card(sam, "request", "To a person", to_participant_id=alex.id)
        meeting.card(sam, "request", "To an organisation", to_organisation="County Council")
        hidden = meeting.card(alex, "request", "Hidden", to_participant_id=sam.id)
        assert http.patch(meeting.url(f"/cards/{hidden['id']}"), json={"hidden": True},
                          headers=series.backbone).status_code == 200
    meeting.push(text="Anyone?", collects="any", identity_choice=True)
    meeting.card(alex, "request", "Anonymous", to_participant_id=sam.id, identity="anonymous")
    asked = http.get(series.url(), headers=series.member).json()["asked"]
    assert asked == [{"from": "NHS Trust", "to": "County Council", "requests": 4}]
