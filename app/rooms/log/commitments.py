"""Numbering a partnership meeting's commitments for the register (SPEC §10): each gets
the next item number of its meeting when it first becomes a commitment, and keeps it,
whatever happens to it afterwards, so a reference (EPB-3-07) never moves."""

from __future__ import annotations

from sqlalchemy import func
from sqlmodel import select

from app.rooms import views
from app.rooms.log import lookup
from app.rooms.log.command import Transaction
from app.rooms.models import Card
from app.rooms.rules import Emit

# The statuses in which a card can be a commitment (views.commitment_owner_id decides).
_MAY_COMMIT = frozenset({"yes", "try", "accepted"})


def number_new(tx: Transaction, emits: list[Emit]) -> None:
    """Give the cards these events made commitments their number (meetings only)."""
    if tx.room.partnership_id is None:
        return
    last: int | None = None
    for emit in emits:
        card = emit.subject
        if not isinstance(card, Card) or card.commitment_number is not None:
            continue
        if card.status not in _MAY_COMMIT and not card.self_commit:
            continue
        latest = lookup.latest_reply(tx.session, card) if card.kind == "request" else None
        if views.commitment_owner_id(card, latest) is None:
            continue
        if last is None:
            last = tx.session.exec(select(func.max(Card.commitment_number))
                                   .where(Card.room_id == tx.room.id)).one() or 0
        last += 1
        card.commitment_number = last
