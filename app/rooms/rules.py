"""The room's rules: a pure core with no I/O.

Each command takes the state it needs (table objects, not yet or already loaded by the
service) and either refuses with a `Refusal` or changes that state and returns the
events to record, as `Emit`s. The service persists the change and the events in one
transaction; the rules never touch a database, a clock or a socket.
"""

from __future__ import annotations

import re
import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Literal

from app.rooms.models import Card, Participant, Prompt, Reply, Room, RunItem
from app.rooms.vocab import COMMITTING_ANSWERS, EventType

# No 0/O, 1/I/L: a code read off a projector must not be mistyped.
CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
CODE_LENGTH = 6
# Every card event carries all of a request's answers: a bound keeps those events small.
MAX_ANSWERS = 20
WITHDRAWN_NAME = "A participant"

RefusalKind = Literal["invalid", "unauthorised", "forbidden", "not_found", "conflict"]


class Refusal(Exception):
    """A command the rules refuse. `code` is stable for clients; `kind` picks the status."""

    def __init__(self, kind: RefusalKind, code: str, detail: str) -> None:
        super().__init__(detail)
        self.kind = kind
        self.code = code
        self.detail = detail


@dataclass(frozen=True)
class Emit:
    """An event to record: its type and the object whose view is its payload."""

    type: EventType
    subject: Room | Participant | Prompt | Card | RunItem | None = None
    # Several cards in one event (cards.renamed).
    subjects: tuple[Card, ...] = ()


# --- codes and names -------------------------------------------------------------------


def new_room_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


_CODE_RE = re.compile(f"[{CODE_ALPHABET}]{{{CODE_LENGTH}}}")


def parse_room_code(raw: str) -> str | None:
    """The canonical code for what someone typed (any case, spaces around), or None."""
    code = raw.strip().upper()
    return code if _CODE_RE.fullmatch(code) else None


def organisation_key(name: str) -> str:
    """Two spellings name one organisation when they match trimmed, spaced and case-folded."""
    return " ".join(name.split()).casefold()


# --- state checks ----------------------------------------------------------------------


def _ensure_not_closed(room: Room) -> None:
    if room.state == "closed":
        raise Refusal("conflict", "room_closed", "The room is closed: it is read-only now.")


def _ensure_open(room: Room, what: str) -> None:
    _ensure_not_closed(room)
    if room.state == "locked":
        raise Refusal("conflict", "room_locked", f"The room is locked: no new {what} for now.")


def _ensure_present(person: Participant) -> None:
    if person.withdrawn:
        raise Refusal("forbidden", "participant_left",
                      "You have withdrawn from this room: you can no longer post or answer.")


def _ensure_not_withdrawn(card: Card) -> None:
    if card.status == "withdrawn":
        raise Refusal("conflict", "card_withdrawn", "That card was withdrawn by its author.")


# --- the room --------------------------------------------------------------------------


def change_room(
    room: Room,
    *,
    state: str | None,
    title: str | None,
    purpose: str | None,
    current: Prompt | None,
    now: datetime,
    run_by: str | None = None,
    answers_held: bool | None = None,
    held: list[Card] | None = None,
) -> list[Emit]:
    """Rename, lock, unlock or close the room, or hold answers. Closing also ends the prompt
    and the timer; letting go of held answers reveals them (`held`: those not yet shown)."""
    _ensure_not_closed(room)
    emits: list[Emit] = []
    changed = False
    if title is not None and title != room.title:
        room.title, changed = title, True
    if purpose is not None and purpose != room.purpose:
        room.purpose, changed = purpose, True
    if run_by is not None and run_by != room.run_by:
        room.run_by, changed = run_by, True
    if answers_held is not None and answers_held != room.answers_held:
        room.answers_held, changed = answers_held, True
        if not answers_held:
            emits.extend(reveal(room, held or []))
    if state is not None and state != room.state:
        room.state, changed = state, True
        if state == "closed":
            room.closed_at = now
            if room.answers_held:  # nothing stays held in a room that is over
                room.answers_held = False
                emits.extend(reveal(room, held or [], _closing=True))
            if current is not None:
                current.closed_at = now
                emits.append(Emit("prompt.closed", current))
            emits.extend(set_timer(room, 0, now, _closing=True))
    if changed:
        emits.insert(0, Emit("room.updated", room))
    return emits


def join(
    room: Room,
    *,
    name: str,
    organisation: str,
    token_hash: str,
    known_organisations: Mapping[str, str],
    now: datetime,
) -> tuple[Participant, list[Emit]]:
    """A person joins; their organisation takes the spelling the room saw first."""
    _ensure_open(room, "participants")
    key = organisation_key(organisation)
    participant = Participant(
        room_id=room.id,
        name=name,
        organisation=known_organisations.get(key, organisation.strip()) if key else "",
        organisation_key=key,
        token_hash=token_hash,
        joined_at=now,
    )
    return participant, [Emit("participant.joined", participant)]


# --- prompts and the timer -------------------------------------------------------------


def push_prompt(
    room: Room,
    *,
    current: Prompt | None,
    text: str,
    collects: str,
    library_key: str | None,
    duration_s: int | None,
    self_commit: bool,
    now: datetime,
    identity_choice: bool = False,
    run_item_id: int | None = None,
) -> tuple[Prompt, list[Emit]]:
    """The new prompt becomes current; the previous one, if any, closes first."""
    _ensure_not_closed(room)
    emits: list[Emit] = []
    if current is not None:
        current.closed_at = now
        emits.append(Emit("prompt.closed", current))
    prompt = Prompt(
        room_id=room.id,
        text=text,
        collects=collects,
        library_key=library_key,
        duration_s=duration_s,
        self_commit=self_commit,
        identity_choice=identity_choice,
        run_item_id=run_item_id,
        opened_at=now,
    )
    emits.append(Emit("prompt.opened", prompt))
    return prompt, emits


def close_prompt(room: Room, *, current: Prompt | None, now: datetime) -> list[Emit]:
    _ensure_not_closed(room)
    if current is None:
        raise Refusal("conflict", "no_current_prompt", "There is no current prompt to close.")
    current.closed_at = now
    return [Emit("prompt.closed", current)]


def set_timer(room: Room, seconds: int, now: datetime, *, _closing: bool = False) -> list[Emit]:
    """Start the timer for `seconds`, or stop it with 0."""
    if not _closing:
        _ensure_not_closed(room)
    if seconds == 0:
        if room.timer_ends_at is None:
            return []
        room.timer_ends_at, room.timer_seconds = None, None
        return [Emit("timer.stopped")]
    room.timer_ends_at = now + timedelta(seconds=seconds)
    room.timer_seconds = seconds
    return [Emit("timer.started")]


# --- cards -----------------------------------------------------------------------------


def post_card(
    room: Room,
    *,
    author: Participant,
    kind: str,
    text: str,
    client_id: str,
    current: Prompt | None,
    to_participant_id: int | None,
    to_participant: Participant | None,
    to_organisation: str | None,
    known_organisations: Mapping[str, str],
    reply_to_id: int | None,
    reply_to: Card | None,
    now: datetime,
    identity: str = "named",
) -> tuple[Card, list[Emit]]:
    """A participant posts a request, an ask or an offer.

    `to_participant` and `reply_to` are what the service found in this room for the ids
    given (None when nothing matched), so a target in another room is simply unknown.
    """
    _ensure_open(room, "cards")
    _ensure_present(author)
    if identity != "named" and not (current is not None and current.identity_choice):
        raise Refusal("invalid", "identity_not_allowed",
                      "This prompt asks for named cards: the facilitator has not offered a "
                      "choice of how names are shown.")
    card = Card(
        identity=identity,
        room_id=room.id,
        kind=kind,
        text=text,
        author_id=author.id,  # type: ignore[arg-type]
        client_id=client_id,
        prompt_id=current.id if current else None,
        created_at=now,
    )
    targeted = to_participant_id is not None or to_organisation is not None
    if kind == "request":
        if not targeted:
            raise Refusal("invalid", "request_needs_target",
                          "A request needs a person or an organisation to ask.")
        if reply_to_id is not None:
            raise Refusal("invalid", "reply_to_not_allowed", "Only an offer can reply to a card.")
        if to_participant_id is not None:
            if to_participant is None:
                raise Refusal("invalid", "unknown_participant",
                              "Nobody with that id is in this room.")
            if to_participant.id == author.id:
                raise Refusal("invalid", "request_to_self", "A request goes to someone else.")
            card.to_participant_id = to_participant.id
        if to_organisation is not None:
            key = organisation_key(to_organisation)
            if key not in known_organisations:
                raise Refusal("invalid", "unknown_organisation",
                              "Nobody from that organisation is in this room.")
            card.to_organisation, card.to_organisation_key = known_organisations[key], key
    else:
        if targeted:
            raise Refusal("invalid", "target_not_allowed",
                          f"An {kind} goes to the whole room, not to a person or organisation.")
        if reply_to_id is not None:
            if kind != "offer":
                raise Refusal("invalid", "reply_to_not_allowed",
                              "Only an offer can reply to a card.")
            if reply_to is None:
                raise Refusal("invalid", "unknown_card", "There is no such card in this room.")
            # Withdrawn first: a card off the board must not tell its kind.
            _ensure_not_withdrawn(reply_to)
            if reply_to.kind not in ("ask", "request"):
                raise Refusal("invalid", "reply_to_not_ask_or_request",
                              "An offer can answer an ask or a request, not another offer.")
            card.reply_to = reply_to.id
        card.self_commit = kind == "offer" and current is not None and current.self_commit
    return card, [Emit("card.created", card)]


def is_addressed_to(request: Card, person: Participant) -> bool:
    if request.to_participant_id is not None and request.to_participant_id == person.id:
        return True
    return bool(request.to_organisation_key) and request.to_organisation_key == (
        person.organisation_key
    )


def reply(
    room: Room, request: Card, *, by: Participant, answer: str, note: str, now: datetime,
    answered_before: int = 0,
) -> tuple[Reply, list[Emit]]:
    """The person asked answers; the latest answer is the request's status.
    `answered_before`: how many answers the request already has."""
    _ensure_not_closed(room)
    if answered_before >= MAX_ANSWERS:
        raise Refusal("conflict", "too_many_answers",
                      f"This request has been answered {MAX_ANSWERS} times: the latest stands.")
    _ensure_not_withdrawn(request)  # first: a card off the board must not tell its kind
    if request.kind != "request":
        raise Refusal("invalid", "not_a_request", "Only a request can be answered.")
    _ensure_present(by)
    if not is_addressed_to(request, by):
        raise Refusal("forbidden", "not_asked",
                      "Only the person or organisation asked can answer this request.")
    request.status = answer
    request.answer_revealed = not room.answers_held
    answer_row = Reply(card_id=request.id, by_id=by.id, answer=answer, note=note, at=now)  # type: ignore[arg-type]
    return answer_row, [Emit("card.updated", request)]


def accept(room: Room, offer: Card, *, answered: Card | None, by: Participant) -> list[Emit]:
    """The author of an ask or request accepts an offer made to it."""
    _ensure_not_closed(room)
    _ensure_not_withdrawn(offer)  # first: a card off the board must not tell its kind
    if offer.kind != "offer":
        raise Refusal("invalid", "not_an_offer", "Only an offer can be accepted.")
    if answered is None:
        raise Refusal("invalid", "offer_answers_nothing",
                      "This offer does not reply to an ask or a request, so nobody accepts it.")
    if answered.author_id != by.id:
        raise Refusal("forbidden", "not_your_card",
                      "Only the author of the ask or request can accept offers to it.")
    _ensure_present(by)
    if offer.status == "accepted":
        return []
    offer.status = "accepted"
    return [Emit("card.updated", offer)]


def withdraw(room: Room, card: Card, *, by: Participant) -> list[Emit]:
    _ensure_not_closed(room)
    if card.author_id != by.id:
        raise Refusal("forbidden", "not_your_card", "Only its author can withdraw a card.")
    if card.status == "withdrawn":
        return []
    card.status, card.spotlight = "withdrawn", False
    return [Emit("card.updated", card)]


def commitment_owner_id(card: Card, latest: Reply | None) -> int | None:
    """Who will act, if this card is a commitment."""
    if card.status == "withdrawn":
        return None
    if card.kind == "request":
        return latest.by_id if latest and card.status in COMMITTING_ANSWERS else None
    if card.kind == "offer" and (card.status == "accepted" or card.self_commit):
        return card.author_id
    return None


def beneficiary_id(card: Card, answered: Card | None) -> int | None:
    """Whom a commitment is for: the requester, or the author of the ask an offer answers."""
    if card.kind == "request":
        return card.author_id
    return answered.author_id if answered else None


def report_progress(
    card: Card,
    *,
    owner_id: int | None,
    beneficiary: int | None,
    by: Participant,
    progress: str,
    note: str,
    now: datetime,
    answered: Card | None = None,
) -> list[Emit]:
    """Progress on a commitment, by its owner or the person it is for; even after closing.
    `answered` is the ask or request an offer answers (how the room knows the person it is for).
    A held answer is no one's commitment yet: until the reveal, every caller gets the same
    refusal whatever was answered, and no public card.updated tells the room it was yes."""
    if owner_id is None or (card.kind == "request" and not card.answer_revealed):
        raise Refusal("conflict", "not_a_commitment", "This card is not a commitment (yet).")
    if by.id not in (owner_id, beneficiary):
        raise Refusal("forbidden", "not_your_commitment",
                      "Only the owner of a commitment, or the person it is for, can update it.")
    card.progress, card.progress_note, card.progress_updated_at = progress, note, now
    card.progress_updated_by_id = by.id
    card.progress_updated_by_shown = shown_as(by.id, card, answered)
    return [Emit("card.updated", card)]


def shown_as(person_id: int, card: Card, answered: Card | None) -> str:
    """How the room knows a person in a commitment: as they chose on the card they wrote
    (the commitment itself, or the ask or request it answers); named otherwise."""
    for written in (card, answered):
        if written is not None and written.author_id == person_id:
            return written.identity
    return "named"


def moderate(
    room: Room,
    card: Card,
    *,
    hidden: bool | None,
    spotlight: bool | None,
    spotlit: list[Card],
) -> list[Emit]:
    """Hide, unhide or spotlight a card. One card at a time holds the spotlight."""
    _ensure_not_closed(room)
    will_hide = hidden if hidden is not None else card.hidden
    if spotlight and will_hide:
        raise Refusal("conflict", "card_hidden", "A hidden card cannot be spotlighted.")
    if spotlight and not card.spotlight:
        _ensure_not_withdrawn(card)
    emits: list[Emit] = []
    if spotlight and not card.spotlight:
        for other in spotlit:
            if other.id != card.id and other.spotlight:
                other.spotlight = False
                emits.append(Emit("card.updated", other))
    changed = False
    if hidden is not None and hidden != card.hidden:
        card.hidden, changed = hidden, True
        if hidden:
            card.spotlight = False
    if spotlight is not None and spotlight != card.spotlight:
        card.spotlight, changed = spotlight, True
    if changed:
        emits.append(Emit("card.updated", card))
    return emits


# --- the answer round ------------------------------------------------------------------


def reveal(room: Room, requests: list[Card], *, _closing: bool = False) -> list[Emit]:
    """Show held answers to the room: one request's, or all of them at once."""
    if not _closing:
        _ensure_not_closed(room)
    emits = []
    for request in requests:
        if request.kind == "request" and not request.answer_revealed:
            request.answer_revealed = True
            emits.append(Emit("card.updated", request))
    return emits


# --- the run sheet ---------------------------------------------------------------------


def plan(room: Room, sheet: list[RunItem], item: RunItem) -> list[Emit]:
    """Add a step at the end of the run sheet."""
    _ensure_not_closed(room)
    item.room_id = room.id  # type: ignore[assignment]
    item.position = max((i.position for i in sheet), default=0) + 1
    return [Emit("runsheet.updated")]


def reorder(room: Room, sheet: list[RunItem], order: list[int]) -> list[Emit]:
    """Put the run sheet in this order; `order` must name every step exactly once."""
    _ensure_not_closed(room)
    if sorted(order) != sorted(i.id for i in sheet):  # type: ignore[type-var]
        raise Refusal("invalid", "order_must_name_every_step",
                      "Give the ids of every step on the run sheet, each once.")
    by_id = {i.id: i for i in sheet}
    for position, item_id in enumerate(order, start=1):
        by_id[item_id].position = position
    return [Emit("runsheet.updated")]


def next_step(sheet: list[RunItem], used: set[int]) -> RunItem | None:
    """The first step, in run-sheet order, that has not been pushed yet."""
    for item in sorted(sheet, key=lambda i: i.position):
        if item.id not in used:
            return item
    return None


# --- leaving ---------------------------------------------------------------------------


def leave(participant: Participant) -> list[Emit]:
    """A participant withdraws from the room: their name is erased, not just hidden."""
    if participant.withdrawn:
        return []
    participant.withdrawn = True
    participant.name = WITHDRAWN_NAME
    return [Emit("participant.left", participant)]
