"""Every progress update is kept (SPEC §10: "the register keeps them all; Part I kept only
the latest"), for every room: GET /progress and the workbook's Progress sheet, for staff,
with who made each and when; erased names stay erased there too."""

from __future__ import annotations

import io
from pathlib import Path

import httpx
import openpyxl

from app import schema
from app.db import make_engine
from tests.meeting import Meeting
from tests.server import Server

WITHDRAWN = "A participant"


def commitment(meeting: Meeting) -> tuple[int, object, object]:
    sam = meeting.join("Sam Carter", "Work Programme")
    alex = meeting.join("Alex Moss", "Borough Council")
    request = meeting.card(sam, "request", "Share the vacancy list", to_participant_id=alex.id)
    assert meeting.act(alex, request["id"], "reply", answer="yes").status_code == 200
    return request["id"], sam, alex


def report(meeting: Meeting, who: object, card_id: int, progress: str, note: str) -> None:
    response = meeting.act(who, card_id, "progress", progress=progress, note=note)  # type: ignore[arg-type]
    assert response.status_code == 200, response.text


def test_every_update_is_kept_with_who_and_when(http: httpx.Client) -> None:
    meeting = Meeting.open(http)
    card_id, sam, alex = commitment(meeting)
    report(meeting, alex, card_id, "in_progress", "Asked HR for it")
    report(meeting, sam, card_id, "in_progress", "Chased it")  # the person it is for
    report(meeting, alex, card_id, "done", "Sent on Monday")
    history = http.get(meeting.url("/progress"), headers=meeting.organiser).json()
    assert [(u["card_id"], u["progress"], u["note"], u["by"]["name"]) for u in history] == [
        (card_id, "in_progress", "Asked HR for it", "Alex Moss"),
        (card_id, "in_progress", "Chased it", "Sam Carter"),
        (card_id, "done", "Sent on Monday", "Alex Moss")]
    assert [u["at"] for u in history] == sorted(u["at"] for u in history)
    card = next(c for c in http.get(meeting.url("/cards")).json() if c["id"] == card_id)
    assert (card["commitment"]["progress"], card["commitment"]["note"]) == (
        "done", "Sent on Monday")  # the commitment itself holds the latest, as before

    workbook = openpyxl.load_workbook(io.BytesIO(http.get(
        meeting.url("/export.xlsx"), headers=meeting.organiser).content), read_only=True)
    rows = [list(r) for r in workbook["Progress"].iter_rows(values_only=True)]
    assert rows[0] == ["at", "what", "owner", "owner_organisation", "progress", "note",
                       "updated_by"]
    assert [r[1:] for r in rows[1:]] == [
        ["Share the vacancy list", "Alex Moss", "Borough Council", "in_progress",
         "Asked HR for it", "Alex Moss"],
        ["Share the vacancy list", "Alex Moss", "Borough Council", "in_progress",
         "Chased it", "Sam Carter"],
        ["Share the vacancy list", "Alex Moss", "Borough Council", "done",
         "Sent on Monday", "Alex Moss"]]
    workbook.close()


def test_the_history_is_for_staff_and_forgets_a_name_that_was_withdrawn(
        http: httpx.Client) -> None:
    meeting = Meeting.open(http)
    card_id, _sam, alex = commitment(meeting)
    report(meeting, alex, card_id, "in_progress", "")
    for key in (None, alex.auth, _sam.auth):  # type: ignore[attr-defined]
        assert http.get(meeting.url("/progress"), headers=key).status_code in (401, 403)
    left = http.post(meeting.url("/participants/me/withdraw"), headers=alex.auth)  # type: ignore[attr-defined]
    assert left.status_code == 200, left.text
    history = http.get(meeting.url("/progress"), headers=meeting.facilitator)
    assert "Alex Moss" not in history.text
    assert history.json()[0]["by"]["name"] == WITHDRAWN


def test_an_older_database_starts_its_history_with_each_latest_update(
        tmp_path: Path) -> None:
    """Upgrading to the history (0006) keeps what was kept before: each latest update."""
    db_path = tmp_path / "askroom.db"
    server = Server(db_path).start()
    try:
        with httpx.Client(base_url=server.url, timeout=10) as http:
            meeting = Meeting.open(http)
            card_id, _sam, alex = commitment(meeting)
            report(meeting, alex, card_id, "in_progress", "First")
            report(meeting, alex, card_id, "done", "Latest")
    finally:
        server.stop()
    engine = make_engine(f"sqlite:///{db_path}")
    config = schema._config(engine)
    from alembic import command

    with engine.connect() as connection:
        config.attributes["connection"] = connection
        command.downgrade(config, "0005")  # as it was before the history
        connection.commit()
    schema.upgrade(engine)
    engine.dispose()
    server = Server(db_path).start()
    try:
        with httpx.Client(base_url=server.url, timeout=10) as http:
            history = http.get(meeting.url("/progress"), headers=meeting.organiser).json()
    finally:
        server.stop()
    assert [(u["card_id"], u["progress"], u["note"], u["by"]["name"]) for u in history] == [
        (card_id, "done", "Latest", "Alex Moss")]
