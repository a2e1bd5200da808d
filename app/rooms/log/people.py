"""The people in a room: joining, who is here, who is asking, a participant's own side
of the room, and leaving it (names are personal data: leaving erases the name everywhere,
the event log included)."""

from __future__ import annotations

from app.db import checkpoint, is_sqlite, read_session
from app.rooms import rules, views
from app.rooms.keys import hash_secret, new_secret
from app.rooms.log import erasure, lookup, transaction
from app.rooms.log.command import Actor, Log, Outcome, Transaction
from app.rooms.log.shown import card_json, cards_json
from app.rooms.models import Participant
from app.rooms.rules import Emit
from app.rooms.views import JSON


def join(log: Log, code: str, name: str, organisation: str) -> Outcome:
    token = new_secret()

    def apply(tx: Transaction) -> transaction.Applied:
        participant, emits = rules.join(
            tx.room, name=name, organisation=organisation, token_hash=hash_secret(token),
            known_organisations=lookup.organisations(tx.session, tx.room), now=tx.now())
        tx.session.add(participant)
        return (lambda: {**views.person(participant), "token": token}), emits
    return transaction.run(log, code, None, None, apply, created=True)


def participants(log: Log, code: str) -> list[JSON]:
    with read_session(log.engine) as s:
        room = lookup.room(s, code)
        return [views.person(p) for p in lookup.present(s, room)]


def whoami(log: Log, code: str, token: str | None) -> Actor:
    with read_session(log.engine) as s:
        return lookup.authorise(s, lookup.room(s, code), token, None)


def mine(log: Log, code: str, token: str | None) -> JSON:
    """A participant's side of the room: the cards they wrote (with their own name,
    whatever the room sees), requests to them or their organisation (with their own
    answers, even while held), offers to their cards, and their commitments."""
    with read_session(log.engine) as s:
        room = lookup.room(s, code)
        me = lookup.authorise(s, room, token, ("participant",)).participant
        assert me is not None
        cards = cards_json(s, room, private=True, people=lookup.people(s, room))
        authored = {c["id"] for c in cards if c["author"] and c["author"]["id"] == me.id}
        return {"participant": views.person(me), "cards": [
            views.public_card(card, viewer=me.id) for card in cards
            if card["id"] in authored
            or (not card["hidden"] and card["status"] != "withdrawn" and (
                _asked(card, me) or card["reply_to"] in authored
                or ((card["commitment"] or {}).get("owner") or {}).get("id") == me.id))
        ]}


def _asked(card: JSON, me: Participant) -> bool:
    to = card.get("to") or {}
    if (to.get("participant") or {}).get("id") == me.id:
        return True
    organisation: str | None = to.get("organisation")
    return bool(organisation) and views.organisation_key(organisation or "") == me.organisation_key


def leave(log: Log, code: str, token: str | None) -> Outcome:
    """The participant withdraws from the room: their name goes from every card, every
    stored event and every export; their cards stay, as "A participant"'s."""
    outcome = transaction.run(log, code, token, ("participant",), _leave)
    if outcome.events and is_sqlite(log.engine):
        # The old pages, name and all, would otherwise stay in SQLite's log (-wal)
        # until it is overwritten: erasure is on disk too (secure_delete, db.py).
        checkpoint(log.engine, "TRUNCATE")
    return outcome


def _leave(tx: Transaction) -> transaction.Applied:
    s, room, me = tx.session, tx.room, tx.participant
    if me.withdrawn:
        return (lambda: views.person(me)), []
    naming = erasure.cards_naming(s, room, me)
    shown = [views.public_card(card_json(tx, card)) for card in naming]
    emits = rules.leave(me)
    erasure.erase_name(s, room, me, naming)
    # A card whose public view the new name does not change (one they wrote unnamed, a
    # held request they answered) goes to staff only, in one event however many there
    # are: a public event for it would point the room at what was theirs.
    unchanged = tuple(card for card, before in zip(naming, shown, strict=True)
                      if views.public_card(card_json(tx, card)) == before)
    emits += [Emit("card.updated", card) for card in naming if card not in unchanged]
    emits.append(Emit("cards.renamed", me, subjects=unchanged))
    return (lambda: views.person(me)), emits
