"""Names are personal data: a participant's own view of their cards, leaving a room (the
name is erased everywhere, the event log included), deleting a room at once, and
deleting closed rooms after the retention period (the RoomService's commands for it)."""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING, Any

import orjson
from sqlalchemy import delete, or_
from sqlmodel import Session, col, select

from app.db import checkpoint, is_sqlite, read_session, write_session
from app.rooms import rules, views
from app.rooms.models import Card, Event, Participant, Prompt, Reply, Room, RunItem
from app.rooms.rules import Emit
from app.rooms.views import JSON

if TYPE_CHECKING:
    from app.rooms.log.service import Actor, Outcome, RoomService


class PrivacyCommands:
    def mine(self: RoomService, code: str, token: str | None) -> JSON:
        """A participant's side of the room: the cards they wrote (with their own name,
        whatever the room sees), requests to them or their organisation (with their own
        answers, even while held), offers to their cards, and their commitments."""
        with read_session(self.engine) as s:
            room = self._room(s, code)
            me = self._authorise(s, room, token, ("participant",)).participant
            assert me is not None
            people = self._people(s, room)
            cards = self._cards_json(s, room, private=True, people=people)
            authored = {c["id"] for c in cards if c["author"] and c["author"]["id"] == me.id}
            mine = [
                views.public_card(card, viewer=me.id) for card in cards
                if card["id"] in authored
                or (not card["hidden"] and card["status"] != "withdrawn" and (
                    _asked(card, me) or card["reply_to"] in authored
                    or ((card["commitment"] or {}).get("owner") or {}).get("id") == me.id))
            ]
            return {"participant": views.person(me), "cards": mine}

    def leave(self: RoomService, code: str, token: str | None) -> Outcome:
        """The participant withdraws from the room: their name goes from every card, every
        stored event and every export; their cards stay, as "A participant"'s."""
        def apply(s: Session, room: Room, actor: Actor) -> tuple[Any, list[Emit]]:
            me = actor.participant
            assert me is not None
            if me.withdrawn:
                return (lambda: views.person(me)), []
            naming = _cards_naming(s, room, me)
            shown = [views.public_card(self._card_json(s, card)) for card in naming]
            emits = rules.leave(me)
            _erase_name(s, room, me, naming)
            # A card whose public view the new name does not change (one they wrote
            # unnamed, a held request they answered) goes to staff only, in one event
            # however many there are: a public event for it would point the room at what
            # was theirs.
            unchanged = tuple(card for card, before in zip(naming, shown, strict=True)
                              if views.public_card(self._card_json(s, card)) == before)
            emits += [Emit("card.updated", card) for card in naming if card not in unchanged]
            emits.append(Emit("cards.renamed", me, subjects=unchanged))
            return (lambda: views.person(me)), emits
        outcome = self._command(code, token, ("participant",), apply)
        if outcome.events and is_sqlite(self.engine):
            # The old pages, name and all, would otherwise stay in SQLite's log (-wal)
            # until it is overwritten: erasure is on disk too (secure_delete, db.py).
            checkpoint(self.engine, "TRUNCATE")
        return outcome

    def delete_room(self: RoomService, code: str, token: str | None) -> str:
        """Delete the room and everything in it, now. Returns its code."""
        with write_session(self.engine) as s:
            room = self._room(s, code, for_update=True)
            self._authorise(s, room, token, ("facilitator",))
            _delete(s, room)
            return room.code

    def expire_rooms(self: RoomService, retention_days: int) -> list[str]:
        """Delete the rooms closed more than `retention_days` ago; their codes."""
        cutoff = self.clock() - timedelta(days=retention_days)
        with write_session(self.engine) as s:
            rooms = s.exec(select(Room).where(Room.state == "closed",
                                              col(Room.closed_at) < cutoff)).all()
            for room in rooms:
                _delete(s, room)
            return [room.code for room in rooms]


def _asked(card: JSON, me: Participant) -> bool:
    to = card.get("to") or {}
    if (to.get("participant") or {}).get("id") == me.id:
        return True
    organisation = to.get("organisation")
    return bool(organisation) and rules.organisation_key(organisation) == me.organisation_key


def _cards_naming(s: Session, room: Room, person: Participant) -> list[Card]:
    """Cards whose views name this person: as author, as the one asked, as the one who
    answered (and so owns the commitment)."""
    answered = select(Reply.card_id).where(Reply.by_id == person.id)
    return list(s.exec(select(Card).where(Card.room_id == room.id, or_(
        Card.author_id == person.id, Card.to_participant_id == person.id,
        col(Card.id).in_(answered))).order_by(col(Card.id))))


def _erase_name(s: Session, room: Room, person: Participant, naming: list[Card]) -> None:
    """Rewrite the stored events, so no replay or export carries the old name. Only the
    events that can name them are read, by index: those of the cards that name them
    (`naming`), and those about anyone who has left, this person included (their
    participant.* and the staff-only cards.renamed, whose cards may name others). The
    work grows with what names them and with who has left, not with the room's history."""
    replacement = views.person(person)
    leavers = set(s.exec(select(Participant.id).where(
        Participant.room_id == room.id, col(Participant.withdrawn).is_(True))))
    about = or_(col(Event.participant_id).in_(leavers | {person.id}),
                col(Event.card_id).in_([c.id for c in naming]))
    for event in s.exec(select(Event).where(Event.room_id == room.id, about)):
        data = orjson.loads(event.data)
        if _replace_person(data, person.id, replacement):  # type: ignore[arg-type]
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


def _delete(s: Session, room: Room) -> None:
    """Everything of the room, children first (whatever the database's cascades)."""
    cards = select(Card.id).where(Card.room_id == room.id)
    s.execute(delete(Reply).where(col(Reply.card_id).in_(cards)))
    for table in (Event, Card, RunItem, Prompt, Participant):
        s.execute(delete(table).where(table.room_id == room.id))  # type: ignore[attr-defined]
    s.execute(delete(Room).where(col(Room.id) == room.id))
