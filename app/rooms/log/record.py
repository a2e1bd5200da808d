"""Recording a command's events: each event type's payload, the new cards and the event
rows written by Core statements, and the room's seq moved on."""

from __future__ import annotations

from collections.abc import Callable
from typing import NamedTuple

import orjson
from sqlalchemy import Table, bindparam
from sqlalchemy.orm.attributes import set_committed_value
from sqlmodel import SQLModel

from app.rooms import views
from app.rooms.live.message import RecordedEvent
from app.rooms.log.command import Transaction
from app.rooms.log.shown import card_json, room_json, sheet_json
from app.rooms.models import Card, Participant, Prompt
from app.rooms.rules import Emit
from app.rooms.views import JSON
from app.rooms.vocab import EventType

# Statements every command with events runs, built once.
_EVENTS: Table = SQLModel.metadata.tables["events"]
_ROOMS: Table = SQLModel.metadata.tables["rooms"]
_INSERT_EVENTS = _EVENTS.insert()
_INSERT_CARD = SQLModel.metadata.tables["cards"].insert()
_SET_SEQ = _ROOMS.update().where(_ROOMS.c.id == bindparam("room_id")).values(
    seq=bindparam("new_seq"))


class Payload(NamedTuple):
    """An event's data, and the card or participant it is about (the log indexes both)."""

    data: JSON
    card_id: int | None = None
    participant_id: int | None = None


def _card(tx: Transaction, emit: Emit) -> Payload:
    card = emit.subject
    assert isinstance(card, Card)
    card.seq = tx.room.seq  # a card's seq is that of the last public event that changed it
    view = card_json(tx, card)
    if card.id is not None:
        tx.card_views[card.id] = view
    return Payload({"card": view}, card_id=card.id)


def _renamed(tx: Transaction, emit: Emit) -> Payload:
    # Staff only, so the cards keep their seq: a card's seq is that of the last public
    # event that changed it (SPEC §2: nothing about a staff-only event, its seq included,
    # changes what the public sees). Staff get this event's seq.
    assert isinstance(emit.subject, Participant)
    cards = [{**card_json(tx, card), "seq": tx.room.seq} for card in emit.subjects]
    return Payload({"cards": cards}, participant_id=emit.subject.id)


def _participant(tx: Transaction, emit: Emit) -> Payload:
    assert isinstance(emit.subject, Participant)
    return Payload({"participant": views.person(emit.subject)}, participant_id=emit.subject.id)


def _prompt(tx: Transaction, emit: Emit) -> Payload:
    assert isinstance(emit.subject, Prompt)
    return Payload({"prompt": views.prompt_view(emit.subject)})


def _room(tx: Transaction, emit: Emit) -> Payload:
    return Payload({"room": room_json(tx.session, tx.room)})


def _timer(tx: Transaction, emit: Emit) -> Payload:
    return Payload({"timer": views.timer_view(tx.room)})  # the timer lives on the room


def _runsheet(tx: Transaction, emit: Emit) -> Payload:
    # Each step with its state and the time it has used.
    return Payload({"runsheet": sheet_json(tx.session, tx.room, tx.now())["steps"]})


def _matter(tx: Transaction, emit: Emit) -> Payload:
    # A commitment of an earlier meeting, reported on in this one: the register's entry
    # as the room may see it (the command made it), about that card and the reporter.
    assert emit.data is not None and len(emit.subjects) == 1
    reporter = emit.subject.id if isinstance(emit.subject, Participant) else None
    return Payload({"matter": emit.data}, card_id=emit.subjects[0].id,
                   participant_id=reporter)


# Each event type, and how its payload is built from the command's state.
PAYLOADS: dict[EventType, Callable[[Transaction, Emit], Payload]] = {
    "room.updated": _room,
    "participant.joined": _participant,
    "participant.left": _participant,
    "prompt.opened": _prompt,
    "prompt.closed": _prompt,
    "timer.started": _timer,
    "timer.stopped": _timer,
    "card.created": _card,
    "card.updated": _card,
    "runsheet.updated": _runsheet,
    "cards.renamed": _renamed,
    "matter.updated": _matter,
}


def record(tx: Transaction, emit: Emit) -> RecordedEvent:
    """The event with the room's next seq: its row waits in `tx.event_rows`."""
    room = tx.room
    set_committed_value(room, "seq", room.seq + 1)  # written by write_log
    now = tx.now()
    payload = PAYLOADS[emit.type](tx, emit)
    tx.event_rows.append({
        "room_id": room.id, "seq": room.seq, "type": emit.type, "at": now,
        "card_id": payload.card_id, "participant_id": payload.participant_id,
        "data": orjson.dumps(payload.data).decode()})
    return RecordedEvent(room=room.code, seq=room.seq, type=emit.type,
                         at=views.iso(now) or "", data=payload.data, card_id=payload.card_id)


def insert_new_cards(tx: Transaction, emits: list[Emit]) -> None:
    """Write the cards this command creates, each with the seq of its first event, by
    a Core INSERT: the unit of work's flush cost three times the insert. They leave
    the session, noted in `tx.new_cards`: a new card has no replies yet, and its people
    are in the session's identity map, so its view needs no reads (see card_json)."""
    s = tx.session
    new = [obj for obj in s.new if isinstance(obj, Card)]
    tx.new_cards = {id(card) for card in new}
    if not new:
        return
    for seq, emit in enumerate(emits, tx.room.seq + 1):
        if isinstance(emit.subject, Card) and id(emit.subject) in tx.new_cards \
                and not emit.subject.seq:
            emit.subject.seq = seq
    connection = s.connection()
    for card in new:
        s.expunge(card)
        inserted = connection.execute(_INSERT_CARD, card.model_dump(exclude={"id"}))
        key = inserted.inserted_primary_key
        assert key is not None
        card.id = key[0]


def write_log(tx: Transaction) -> None:
    """The command's events and the room's new seq, as two Core statements: the unit
    of work's bookkeeping for rows this session never reads back cost more than the
    writes themselves (a third of a card's transaction)."""
    connection = tx.session.connection()
    connection.execute(_INSERT_EVENTS, tx.event_rows)
    tx.event_rows = []
    connection.execute(_SET_SEQ, {"room_id": tx.room.id, "new_seq": tx.room.seq})
