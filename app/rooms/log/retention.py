"""Deleting rooms: one at once (its facilitator), and those closed longer ago than the
retention period."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import timedelta

from sqlalchemy import delete
from sqlmodel import Session, col, select

from app.db import write_session
from app.rooms.log import lookup
from app.rooms.log.command import Log
from app.rooms.models import (
    Card,
    Event,
    Participant,
    ProgressUpdate,
    Prompt,
    Reply,
    Room,
    RunItem,
)


def delete_room(log: Log, code: str, token: str | None) -> str:
    """Delete the room and everything in it, now. Returns its code."""
    with write_session(log.engine) as s:
        room = lookup.room(s, code, for_update=True)
        lookup.authorise(s, room, token, ("facilitator",))
        _delete(s, room)
        return room.code


def expire_rooms(log: Log, retention_days: int) -> list[str]:
    """Delete the rooms closed more than `retention_days` ago; their codes. A meeting of
    a partnership is kept as long as its partnership is (SPEC §10)."""
    cutoff = log.clock() - timedelta(days=retention_days)
    with write_session(log.engine) as s:
        rooms = s.exec(select(Room).where(Room.state == "closed",
                                          col(Room.closed_at) < cutoff,
                                          col(Room.partnership_id).is_(None))).all()
        delete_rooms(s, rooms)
        return [room.code for room in rooms]


def delete_rooms(s: Session, rooms: Sequence[Room]) -> None:
    for room in rooms:
        _delete(s, room)


def _delete(s: Session, room: Room) -> None:
    """Everything of the room, children first (whatever the database's cascades)."""
    cards = select(Card.id).where(Card.room_id == room.id)
    s.execute(delete(Reply).where(col(Reply.card_id).in_(cards)))
    for table in (ProgressUpdate, Event, Card, RunItem, Prompt, Participant):
        s.execute(delete(table).where(col(table.room_id) == room.id))
    s.execute(delete(Room).where(col(Room.id) == room.id))
