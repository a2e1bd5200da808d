"""Cards: posting one, the board, and what happens to a card after: answers, acceptance,
withdrawal, progress on a commitment, and moderation."""

from __future__ import annotations

from sqlalchemy import func
from sqlmodel import col, select

from app.db import read_session
from app.rooms import rules, views
from app.rooms.log import lookup, transaction
from app.rooms.log.command import Log, Outcome, Transaction
from app.rooms.log.shown import card_json, cards_json
from app.rooms.models import Card, ProgressUpdate, Reply
from app.rooms.rules import CardDraft
from app.rooms.views import JSON


def post(log: Log, code: str, token: str | None, draft: CardDraft) -> Outcome:
    """Post a card; the same client_id again answers with the card it already made."""
    def apply(tx: Transaction) -> transaction.Applied:
        s, room, author = tx.session, tx.room, tx.participant
        existing = s.exec(lookup.RETRY_OF, params={"author_id": author.id,
                                                   "client_id": draft.client_id}).first()
        if existing is not None:  # a retry of a post that already landed
            return (lambda: card_json(tx, existing)), []
        card, emits = rules.post_card(
            room, draft, author=author, current=lookup.current(s, room),
            to_participant=lookup.participant(s, room, draft.to_participant_id),
            # Read only for a request to an organisation: an ask need not load the room.
            known_organisations=lookup.organisations(s, room) if draft.to_organisation
            else {},
            answered=lookup.card_or_none(s, room, draft.reply_to, seen_by=tx.actor),
            now=tx.now())
        s.add(card)
        return (lambda: card_json(tx, card)), emits
    outcome = transaction.run(log, code, token, ("participant",), apply)
    outcome.created = bool(outcome.events)
    return outcome


def board(log: Log, code: str, token: str | None) -> list[JSON]:
    """The cards; with a staff key, hidden and withdrawn ones too."""
    with read_session(log.engine) as s:
        room = lookup.room(s, code)
        actor = lookup.authorise(s, room, token, None) if token else None
        return cards_json(s, room, private=bool(actor and actor.is_staff))


def reply(log: Log, code: str, token: str | None, card_id: int, *, answer: str,
          note: str) -> Outcome:
    def apply(tx: Transaction) -> transaction.Applied:
        s = tx.session
        card = lookup.card(s, tx.room, card_id, seen_by=tx.actor)
        answered_before = s.exec(select(func.count()).select_from(Reply)
                                 .where(Reply.card_id == card.id)).one()
        answer_row, emits = rules.reply(tx.room, card, by=tx.participant, answer=answer,
                                        note=note, now=tx.now(),
                                        answered_before=answered_before)
        s.add(answer_row)
        return (lambda: card_json(tx, card)), emits
    return transaction.run(log, code, token, ("participant",), apply)


def accept(log: Log, code: str, token: str | None, card_id: int) -> Outcome:
    def apply(tx: Transaction) -> transaction.Applied:
        s, room = tx.session, tx.room
        offer = lookup.card(s, room, card_id, seen_by=tx.actor)
        answered = lookup.card_or_none(s, room, offer.reply_to, seen_by=tx.actor)
        emits = rules.accept(room, offer, answered=answered, by=tx.participant)
        return (lambda: card_json(tx, offer)), emits
    return transaction.run(log, code, token, ("participant",), apply)


def withdraw(log: Log, code: str, token: str | None, card_id: int) -> Outcome:
    def apply(tx: Transaction) -> transaction.Applied:
        # Its author may withdraw a card of theirs that the facilitator hid.
        card = lookup.card(tx.session, tx.room, card_id, seen_by=tx.actor, own_ok=True)
        emits = rules.withdraw(tx.room, card, by=tx.participant)
        return (lambda: card_json(tx, card)), emits
    return transaction.run(log, code, token, ("participant",), apply)


def report_progress(log: Log, code: str, token: str | None, card_id: int, *, progress: str,
                    note: str) -> Outcome:
    def apply(tx: Transaction) -> transaction.Applied:
        s = tx.session
        card = lookup.card(s, tx.room, card_id, seen_by=tx.actor)
        answered = lookup.card_or_none(s, tx.room, card.reply_to)
        emits = rules.report_progress(
            card, owner_id=views.commitment_owner_id(card, lookup.latest_reply(s, card)),
            beneficiary=views.beneficiary_id(card, answered), answered=answered,
            by=tx.participant, progress=progress, note=note, now=tx.now())
        # The card keeps the latest; the history keeps every one (the register's).
        s.add(ProgressUpdate(room_id=tx.room.id, card_id=card.id, progress=progress, note=note,
                             at=card.progress_updated_at, by_id=card.progress_updated_by_id,
                             by_shown=card.progress_updated_by_shown))
        return (lambda: card_json(tx, card)), emits
    return transaction.run(log, code, token, ("participant",), apply)


def moderate(log: Log, code: str, token: str | None, card_id: int, *, hidden: bool | None,
             spotlight: bool | None) -> Outcome:
    def apply(tx: Transaction) -> transaction.Applied:
        s, room = tx.session, tx.room
        card = lookup.card(s, room, card_id)
        spotlit = list(s.exec(select(Card).where(Card.room_id == room.id,
                                                 col(Card.spotlight).is_(True))))
        emits = rules.moderate(room, card, hidden=hidden, spotlight=spotlight,
                               spotlit=spotlit)
        return (lambda: card_json(tx, card)), emits
    return transaction.run(log, code, token, ("facilitator",), apply)
