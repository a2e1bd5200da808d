"""The room: opening one, reading it, changing it, and the answer round's reveal."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session

from app.db import read_session, write_session
from app.rooms import rules
from app.rooms.keys import hash_secret, new_secret
from app.rooms.log import lookup, transaction
from app.rooms.log.command import Log, Outcome, Transaction
from app.rooms.log.shown import card_json, room_json
from app.rooms.models import Room
from app.rooms.views import JSON


def create(log: Log, title: str, purpose: str, run_by: str = "") -> tuple[JSON, str, str]:
    """A new room with a fresh code; returns its view and the two keys (shown once)."""
    facilitator_key, organiser_key = new_secret(), new_secret()
    room = open_room(log, lambda s: {
        "title": title, "purpose": purpose, "run_by": run_by,
        "facilitator_key_hash": hash_secret(facilitator_key),
        "organiser_key_hash": hash_secret(organiser_key)})
    return room, facilitator_key, organiser_key


def open_room(log: Log, columns: Callable[[Session], dict[str, Any]]) -> JSON:
    """Insert a room with a fresh code and `columns(session)`, read in the same
    transaction; on a clash (a code, or a meeting's number, taken meanwhile) all again."""
    for _attempt in range(10):
        try:
            with write_session(log.engine) as s:
                room = Room(code=rules.new_room_code(), created_at=log.clock(), **columns(s))
                s.add(room)
                s.flush()
                return room_json(s, room)
        except IntegrityError:
            continue
    raise RuntimeError("could not draw a free room code")


def get(log: Log, code: str) -> JSON:
    with read_session(log.engine) as s:
        return room_json(s, lookup.room(s, code))


def change(log: Log, code: str, token: str | None, *, state: str | None = None,
           title: str | None = None, purpose: str | None = None, run_by: str | None = None,
           answers_held: bool | None = None) -> Outcome:
    def apply(tx: Transaction) -> transaction.Applied:
        s, room = tx.session, tx.room
        emits = rules.change_room(room, state=state, title=title, purpose=purpose,
                                  run_by=run_by, answers_held=answers_held,
                                  held=lookup.held(s, room), current=lookup.current(s, room),
                                  now=tx.now())
        return (lambda: room_json(s, room)), emits
    return transaction.run(log, code, token, ("facilitator",), apply)


def reveal(log: Log, code: str, token: str | None, card_id: int | None) -> Outcome:
    """Show held answers: one request's, or (no card) all of them at once."""
    def apply(tx: Transaction) -> transaction.Applied:
        s, room = tx.session, tx.room
        requests = [lookup.card(s, room, card_id)] if card_id else lookup.held(s, room)
        emits = rules.reveal(room, requests)
        return (lambda: [card_json(tx, c) for c in requests]), emits
    return transaction.run(log, code, token, ("facilitator",), apply)
