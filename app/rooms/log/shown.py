"""The views a command or a read answers with, built from what the session holds: a card
with its replies and people, the cards of a room, the room, the run sheet."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import func
from sqlmodel import Session, col, select

from app.rooms import rules, views
from app.rooms.log import lookup
from app.rooms.log.command import Transaction
from app.rooms.models import Card, Participant, Prompt, Reply, Room
from app.rooms.views import JSON


def card_json(tx: Transaction, card: Card) -> JSON:
    """The card's whole view. Within one command, the view its event recorded is the
    answer too: built once, not twice."""
    s = tx.session
    recorded = tx.card_views.get(card.id) if card.id is not None else None
    if recorded is not None and recorded["seq"] == card.seq:
        return recorded
    if id(card) in tx.new_cards:
        # Read to be written: the session's identity map has its people, and
        # Session.get looks there before it asks the database.
        people = {pid: s.get(Participant, pid)
                  for pid in (card.author_id, card.to_participant_id) if pid is not None}
        return views.card_view(card, [], {pid: p for pid, p in people.items() if p})
    replies = list(s.exec(select(Reply).where(Reply.card_id == card.id)
                          .order_by(col(Reply.id))))
    ids = {card.author_id, card.to_participant_id, card.progress_updated_by_id,
           *(r.by_id for r in replies)} - {None}
    found = s.exec(select(Participant).where(col(Participant.id).in_(ids)))
    return views.card_view(card, replies, {p.id: p for p in found if p.id is not None})


def cards_json(s: Session, room: Room, *, private: bool,
               people: dict[int, Participant] | None = None) -> list[JSON]:
    """Cards oldest first; the public never gets hidden or withdrawn ones."""
    query = select(Card).where(Card.room_id == room.id)
    if not private:
        query = query.where(col(Card.hidden).is_(False), Card.status != "withdrawn")
    cards = s.exec(query.order_by(col(Card.id))).all()
    by_card: dict[int, list[Reply]] = {}
    replies = s.exec(select(Reply).join(Card).where(Card.room_id == room.id)
                     .order_by(col(Reply.id)))
    for r in replies:
        by_card.setdefault(r.card_id, []).append(r)
    people = people if people is not None else lookup.people(s, room)
    shown = [views.card_view(c, by_card.get(c.id, []) if c.id is not None else [], people)
             for c in cards]
    return shown if private else [views.public_card(card) for card in shown]


def room_json(s: Session, room: Room, *, participant_count: int | None = None) -> JSON:
    if participant_count is None:
        participant_count = s.exec(select(func.count()).select_from(Participant).where(
            Participant.room_id == room.id, col(Participant.withdrawn).is_(False))).one()
    return views.room_view(room, current=lookup.current(s, room),
                           participant_count=participant_count,
                           partnership=lookup.partnership(s, room))


def sheet_json(s: Session, room: Room, now: datetime) -> JSON:
    """The plan, each step with its state and the time it has used so far."""
    prompts = s.exec(select(Prompt).where(Prompt.room_id == room.id,
                                          col(Prompt.run_item_id).is_not(None))).all()
    used: dict[int, float] = {}
    current: int | None = None
    for prompt in prompts:
        if prompt.run_item_id is None:
            continue
        end = prompt.closed_at or now
        used[prompt.run_item_id] = used.get(prompt.run_item_id, 0) + max(
            0.0, (end - prompt.opened_at).total_seconds())
        if prompt.closed_at is None:
            current = prompt.run_item_id
    steps = []
    sheet = lookup.sheet(s, room)
    for item in sheet:
        state = "current" if item.id == current else "done" if item.id in used else "planned"
        steps.append({**views.run_item_view(item), "state": state,
                      "used_s": round(used.get(item.id, 0) if item.id is not None else 0)})
    upcoming = rules.next_step(sheet, set(used))
    return {
        "steps": steps,
        "next": upcoming.id if upcoming else None,
        "planned_s": sum(item.get("duration_s") or 0 for item in steps),
        "used_s": sum(item["used_s"] for item in steps),
    }
