"""Erasing a name: the cards that name a person, and the stored events rewritten so no
replay or export carries the old name."""

from __future__ import annotations

from typing import Any

import orjson
from sqlalchemy import and_, or_
from sqlmodel import Session, col, select

from app.rooms import views
from app.rooms.models import Card, Event, Participant, Reply, Room


def cards_naming(s: Session, room: Room, person: Participant) -> list[Card]:
    """Cards whose views name this person: as author, as the one asked, as the one who
    answered (and so owns the commitment)."""
    answered = select(Reply.card_id).where(Reply.by_id == person.id)
    return list(s.exec(select(Card).where(Card.room_id == room.id, or_(
        col(Card.author_id) == person.id, col(Card.to_participant_id) == person.id,
        col(Card.id).in_(answered))).order_by(col(Card.id))))


def erase_name(s: Session, room: Room, person: Participant, naming: list[Card]) -> None:
    """Rewrite the stored events, so no replay or export carries the old name. Only the
    events that can name them are read, by index: those of the cards that name them
    (`naming`), and those about anyone who has left, this person included (their
    participant.* and the staff-only cards.renamed, whose cards may name others), and the
    matter.updated of later meetings about those cards. The work grows with what names
    them and with who has left, not with the room's history."""
    assert person.id is not None
    replacement = views.person(person)
    leavers = set(s.exec(select(Participant.id).where(
        Participant.room_id == room.id, col(Participant.withdrawn).is_(True))))
    cards = [c.id for c in naming]
    here = and_(col(Event.room_id) == room.id,
                or_(col(Event.participant_id).in_(leavers | {person.id}),
                    col(Event.card_id).in_(cards)))
    # A partnership's later meetings report on these cards under matters arising.
    later = and_(col(Event.card_id).in_(cards), col(Event.type) == "matter.updated")
    for event in s.exec(select(Event).where(or_(here, later))):
        data = orjson.loads(event.data)
        if _replace_person(data, person.id, replacement):
            event.data = orjson.dumps(data).decode()
            s.add(event)


def _replace_person(value: Any, person_id: int, replacement: Any) -> bool:
    """Replace, in place, each {id, name, organisation} of this person; True if any."""
    changed = False
    if isinstance(value, dict):
        for key, inner in value.items():
            if isinstance(inner, dict) and inner.get("id") == person_id and "name" in inner:
                value[key] = replacement
                changed = True
            else:
                changed |= _replace_person(inner, person_id, replacement)
    elif isinstance(value, list):
        for inner in value:
            changed |= _replace_person(inner, person_id, replacement)
    return changed
