"""Finding a room's rows inside a session: the room itself, who is asking, its cards,
people, prompt and run sheet. What is not in this room is not found."""

from __future__ import annotations

from sqlalchemy import bindparam
from sqlmodel import Session, col, select

from app.partnerships.models import Partnership
from app.rooms import views
from app.rooms.keys import hash_secret, matches
from app.rooms.log.command import Actor
from app.rooms.models import Card, Participant, Prompt, Reply, Room, RunItem
from app.rooms.rules import Refusal, parse_room_code
from app.rooms.views import organisation_key
from app.rooms.vocab import Role

# Statements every command runs, built once: building one costs more than running it.
_ROOM_BY_CODE = select(Room).where(Room.code == bindparam("code"))
_ROOM_TO_WRITE = _ROOM_BY_CODE.with_for_update()
_BY_TOKEN = select(Participant).where(Participant.token_hash == bindparam("token_hash"))
_CURRENT_PROMPT = select(Prompt).where(Prompt.room_id == bindparam("room_id"),
                                       col(Prompt.closed_at).is_(None))
RETRY_OF = select(Card).where(Card.author_id == bindparam("author_id"),
                              Card.client_id == bindparam("client_id"))


def room(s: Session, code: str, *, for_update: bool = False) -> Room:
    canonical = parse_room_code(code)
    found = s.exec(_ROOM_TO_WRITE if for_update else _ROOM_BY_CODE,
                   params={"code": canonical}).first()
    if canonical is None or found is None:
        raise Refusal("not_found", "room_not_found", "There is no room with that code.")
    return found


def authorise(s: Session, room: Room, token: str | None,
              roles: tuple[Role, ...] | None) -> Actor:
    """Who is asking, checked against this room only; `roles` None means any role."""
    if not token:
        raise Refusal("unauthorised", "missing_credentials",
                      "This needs a key or token: send 'Authorization: Bearer …'.")
    actor: Actor | None = None
    if matches(token, room.facilitator_key_hash):
        actor = Actor("facilitator")
    elif matches(token, room.organiser_key_hash):
        actor = Actor("organiser")
    else:
        participant = s.exec(_BY_TOKEN, params={"token_hash": hash_secret(token)}).first()
        if participant is not None and participant.room_id == room.id:
            actor = Actor("participant", participant)
    if actor is None:
        raise Refusal("unauthorised", "bad_credentials",
                      "That key or token is not valid for this room.")
    if roles is not None and actor.role not in roles:
        article = "An" if actor.role[0] in "aeiou" else "A"
        raise Refusal("forbidden", "wrong_role",
                      f"{article} {actor.role} cannot do this; it is for: {', '.join(roles)}.")
    return actor


def held(s: Session, room: Room) -> list[Card]:
    """Requests whose answers wait to be revealed."""
    return list(s.exec(select(Card).where(Card.room_id == room.id, Card.kind == "request",
                                          col(Card.answer_revealed).is_(False))
                       .order_by(col(Card.id))))


def sheet(s: Session, room: Room) -> list[RunItem]:
    return list(s.exec(select(RunItem).where(RunItem.room_id == room.id)
                       .order_by(col(RunItem.position))))


def step(s: Session, room: Room, step_id: int) -> RunItem:
    found = s.get(RunItem, step_id)
    if found is None or found.room_id != room.id:
        raise Refusal("not_found", "step_not_found", "There is no such step on the run sheet.")
    return found


def current(s: Session, room: Room) -> Prompt | None:
    return s.exec(_CURRENT_PROMPT, params={"room_id": room.id}).first()


def participant(s: Session, room: Room, pid: int | None) -> Participant | None:
    if pid is None:
        return None
    found = s.get(Participant, pid)
    here = found is not None and found.room_id == room.id and not found.withdrawn
    return found if here else None


def card_or_none(s: Session, room: Room, card_id: int | None, *,
                 seen_by: Actor | None = None, own_ok: bool = False) -> Card | None:
    """The card with this id in this room. For a participant (`seen_by`), a hidden card
    is no card at all, the same answer as an unknown id (but for its author, if
    `own_ok`): what a command answers or refuses must not tell it is there."""
    found = s.get(Card, card_id) if card_id is not None else None
    me = seen_by.participant if seen_by is not None else None
    if found is not None and found.hidden and me is not None and not (
            own_ok and found.author_id == me.id):
        found = None
    return found if found is not None and found.room_id == room.id else None


def card(s: Session, room: Room, card_id: int | None, *, seen_by: Actor | None = None,
         own_ok: bool = False) -> Card:
    """As `card_or_none`, refusing when there is no such card."""
    found = card_or_none(s, room, card_id, seen_by=seen_by, own_ok=own_ok)
    if found is None:
        raise Refusal("not_found", "card_not_found", "There is no such card in this room.")
    return found


def partnership(s: Session, room: Room) -> Partnership | None:
    """The partnership the room is a meeting of, if any."""
    return s.get(Partnership, room.partnership_id) if room.partnership_id else None


def organisations(s: Session, room: Room) -> dict[str, str]:
    """Each organisation's key and its spelling: a partnership's members as the
    partnership spells them, then the spelling first seen in this room."""
    rows = s.exec(select(Participant.organisation_key, Participant.organisation)
                  .where(Participant.room_id == room.id, Participant.organisation_key != "")
                  .order_by(col(Participant.id)))
    found: dict[str, str] = {}
    series = partnership(s, room)
    if series is not None:
        found.update((organisation_key(name), name) for name in views.members(series))
    for key, spelling in rows:
        found.setdefault(key, spelling)
    return found


def people(s: Session, room: Room) -> dict[int, Participant]:
    rows = s.exec(select(Participant).where(Participant.room_id == room.id)
                  .order_by(col(Participant.id)))
    return {p.id: p for p in rows if p.id is not None}


def present(s: Session, room: Room) -> list[Participant]:
    """The people still in the room: those who left are no one's target any more."""
    return [p for p in people(s, room).values() if not p.withdrawn]


def latest_reply(s: Session, card: Card) -> Reply | None:
    return s.exec(select(Reply).where(Reply.card_id == card.id)
                  .order_by(col(Reply.id).desc())).first()


def used_steps(s: Session, room: Room) -> set[int]:
    """The run-sheet steps already pushed as prompts."""
    return {item_id for item_id in s.exec(select(Prompt.run_item_id).where(
        Prompt.room_id == room.id, col(Prompt.run_item_id).is_not(None)))
        if item_id is not None}
