"""What the stream and the exports read back: a room's snapshot, its events after a seq,
its latest seq, and the whole log for the organiser. Each read is one transaction."""

from __future__ import annotations

from collections.abc import Iterable

import orjson
from sqlalchemy import or_
from sqlmodel import Session, col, select

from app.db import read_session
from app.rooms import views
from app.rooms.log import lookup
from app.rooms.log.command import Actor, Log
from app.rooms.log.shown import cards_json, room_json
from app.rooms.models import Card, Event, Participant, ProgressUpdate, Prompt, Room
from app.rooms.views import JSON
from app.rooms.vocab import STAFF, Role


def snapshot(log: Log, code: str, *, private: bool) -> JSON:
    """The whole room at one seq, read in one consistent transaction."""
    with read_session(log.engine) as s:
        room = lookup.room(s, code)
        people = lookup.people(s, room)
        return {
            "type": "snapshot",
            "seq": room.seq,
            "room": room_json(s, room),
            "prompt": views.prompt_view(lookup.current(s, room)),
            "timer": views.timer_view(room),
            "participants": [views.person(p) for p in people.values() if not p.withdrawn],
            "cards": cards_json(s, room, private=private, people=people),
        }


def events_after(log: Log, code: str, after: int, *, private: bool,
                 limit: int | None = None) -> tuple[list[JSON], int]:
    """Event frames with seq > after, in order, as the viewer may see them now."""
    with read_session(log.engine) as s:
        room = lookup.room(s, code)
        query = select(Event).where(Event.room_id == room.id, Event.seq > after)
        rows = s.exec(query.order_by(col(Event.seq)).limit(limit)).all()
        # Cards off the board now: every event of theirs is a stub, old ones too.
        hidden = set() if private else set(s.exec(
            select(Card.id).where(Card.room_id == room.id, or_(
                col(Card.hidden).is_(True), col(Card.status) == "withdrawn"))))
        frames = []
        for row in rows:
            data = orjson.loads(row.data)
            if not private:
                data = views.public_event_data(row.type, data, hidden_now=row.card_id in hidden)
            frames.append(views.event_frame(row.seq, row.type, views.iso(row.at) or "", data))
        return frames, room.seq


def room_seq(log: Log, code: str) -> int:
    with read_session(log.engine) as s:
        return lookup.room(s, code).seq


def room_seqs(log: Log, codes: list[str]) -> dict[str, int]:
    """The latest seq of each of these rooms, in one query."""
    with read_session(log.engine) as s:
        rows = s.exec(select(Room.code, Room.seq).where(col(Room.code).in_(codes)))
        return dict(rows.all())


def export_log(log: Log, code: str, token: str | None, *, history: bool = False) -> JSON:
    """Everything, for the organiser: SPEC §6 export.json; with `history`, also every
    report of progress (`progress_history`, for the workbook's Progress sheet)."""
    with read_session(log.engine) as s:
        room = lookup.room(s, code)
        lookup.authorise(s, room, token, STAFF)
        people = lookup.people(s, room)
        extra = {"progress_history": _history(s, room, people)} if history else {}
        prompts = s.exec(select(Prompt).where(Prompt.room_id == room.id)
                         .order_by(col(Prompt.id))).all()
        events = s.exec(select(Event).where(Event.room_id == room.id)
                        .order_by(col(Event.seq))).all()
        return {
            "room": room_json(s, room, participant_count=len(people)),
            "prompts": [views.prompt_view(p) for p in prompts],
            "participants": [{**views.person(p), "joined_at": views.iso(p.joined_at)}
                             for p in people.values()],
            "cards": cards_json(s, room, private=True, people=people),
            "events": [{"seq": e.seq, "event": e.type, "at": views.iso(e.at),
                        "data": orjson.loads(e.data)} for e in events],
            **extra,
        }


def progress_history(log: Log, code: str, token: str | None) -> list[JSON]:
    """Every report of progress in the room, oldest first (staff)."""
    with read_session(log.engine) as s:
        room = lookup.room(s, code)
        lookup.authorise(s, room, token, STAFF)
        return _history(s, room, lookup.people(s, room))


def _history(s: Session, room: Room, people: dict[int, Participant]) -> list[JSON]:
    updates = s.exec(select(ProgressUpdate).where(ProgressUpdate.room_id == room.id)
                     .order_by(col(ProgressUpdate.id))).all()
    return [views.progress_update_view(u, people) for u in updates]


def authorise(log: Log, code: str, token: str | None, roles: Iterable[Role]) -> Actor:
    with read_session(log.engine) as s:
        return lookup.authorise(s, lookup.room(s, code), token, tuple(roles))
