"""Reading the register's entries inside a session: the commitments of a partnership's
meetings (all of them, or those before a meeting), with their cards' views, the cards
they answer and every report of progress, made into entries by register.py."""

from __future__ import annotations

from datetime import date
from types import SimpleNamespace
from typing import Any

from sqlmodel import Session, SQLModel, col, select

from app.partnerships import register
from app.partnerships.models import Partnership
from app.rooms.models import Card, Participant, ProgressUpdate, Reply, Room
from app.rooms.views import JSON, card_view, iso, organisation_key, progress_update_view


def meetings_of(s: Session, partnership: Partnership) -> dict[int, Room]:
    """The partnership's meetings by room id, in series order."""
    return {m.id or 0: m for m in s.exec(select(Room).where(
        Room.partnership_id == partnership.id).order_by(col(Room.series_number)))}


def of(s: Session, partnership: Partnership, *, members: bool, today: date,
       before: int | None = None, card_id: int | None = None) -> list[JSON]:
    """The register's entries, oldest meeting first, each meeting's in the order they
    became commitments: as the secretariat reads them, or (`members`) as the rooms saw
    them. `before`: only meetings numbered below it; `card_id`: only that card's."""
    meetings = meetings_of(s, partnership)
    ids = [i for i, m in meetings.items() if before is None or (m.series_number or 0) < before]
    cards = _rows(s, Card, col(Card.room_id).in_(ids), col(Card.commitment_number).is_not(None),
                  *([col(Card.id) == card_id] if card_id is not None else []))
    people = {p.id: p for p in _rows(s, Participant, col(Participant.room_id).in_(list(meetings)))}
    views = _card_views(s, cards, people)
    number = {i: m.series_number for i, m in meetings.items()}
    history: dict[int, list[JSON]] = {}
    for update in _rows(s, ProgressUpdate, col(ProgressUpdate.card_id).in_([c.id for c in cards])):
        history.setdefault(update.card_id, []).append(
            {**progress_update_view(update, people),
             "in_meeting": number.get(update.in_room_id or 0)})
    write = register.members_entry if members else register.entry
    made = []
    for card in sorted(cards, key=lambda c: (meetings[c.room_id].series_number or 0,
                                             c.commitment_number or 0)):
        room = meetings[card.room_id]
        raised = register.Raised(room.code, room.series_number or 0, room.title,
                                 iso(room.created_at) or "")
        entry = write(partnership.ref_prefix, raised, card.commitment_number or 0,
                      views[card.id or 0], views.get(card.reply_to) if card.reply_to else None,
                      history.get(card.id or 0, []), today)
        if entry is not None:
            made.append(entry)
    return made


def who_asked_whom(s: Session, room_ids: list[int]) -> list[JSON]:
    """Requests between organisations across the meetings, most first: as the rooms saw
    them (not hidden, not withdrawn; an author anonymous to the room counts for none)."""
    people = {p.id: p for p in s.exec(select(Participant).where(
        col(Participant.room_id).in_(room_ids)))}
    requests = s.exec(select(Card).where(col(Card.room_id).in_(room_ids), Card.kind == "request",
                                         col(Card.hidden).is_(False), Card.status != "withdrawn",
                                         Card.identity != "anonymous"))
    spelling: dict[str, str] = {}
    pairs: dict[tuple[str, str], int] = {}
    for card in requests:
        author = people.get(card.author_id)
        target = people.get(card.to_participant_id) if card.to_participant_id else None
        to = card.to_organisation or (target.organisation if target else "")
        if author is None or not author.organisation or not to:
            continue
        ends = []
        for name in (author.organisation, to):
            key = organisation_key(name)
            ends.append(spelling.setdefault(key, name))
        if organisation_key(ends[0]) != organisation_key(ends[1]):
            pairs[(ends[0], ends[1])] = pairs.get((ends[0], ends[1]), 0) + 1
    ranked = sorted(pairs.items(), key=lambda pair: (-pair[1], pair[0]))
    return [{"from": a, "to": b, "requests": n} for (a, b), n in ranked]


def _rows(s: Session, model: type[SQLModel], *where: Any) -> list[Any]:
    """The rows of a table as plain objects with its column names, in id order: the views
    read only attributes, and ten thousand ORM instances cost more than the rest of the
    register together (bench/register.py)."""
    table = model.__table__  # type: ignore[attr-defined]
    result = s.connection().execute(select(table).where(*where).order_by(table.c.id))
    names = list(result.keys())
    return [SimpleNamespace(**dict(zip(names, row, strict=True))) for row in result]


def _card_views(s: Session, cards: list[Any], people: dict[int, Any]) -> dict[int, JSON]:
    """The private views of these cards and of the cards they answer, with their replies,
    by id: each card read once."""
    by_id = {card.id: card for card in cards}
    answered = {c.reply_to for c in cards if c.reply_to and c.reply_to not in by_id}
    if answered:
        by_id.update((c.id, c) for c in _rows(s, Card, col(Card.id).in_(answered)))
    replies: dict[int, list[Any]] = {}
    for reply in _rows(s, Reply, col(Reply.card_id).in_(list(by_id))):
        replies.setdefault(reply.card_id, []).append(reply)
    return {i: card_view(card, replies.get(i, []), people) for i, card in by_id.items()}
