"""Cards: posting a request, an ask or an offer, and what happens to one after: answers,
acceptance, withdrawal, progress on a commitment, and the facilitator's moderation."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime

from app.rooms.models import Card, Participant, Prompt, Reply, Room
from app.rooms.rules.base import (
    Emit,
    Refusal,
    ensure_not_closed,
    ensure_not_withdrawn,
    ensure_open,
    ensure_present,
)
from app.rooms.views import organisation_key
from app.rooms.vocab import CardKind, Identity

# Every card event carries all of a request's answers: a bound keeps those events small.
MAX_ANSWERS = 20


@dataclass(frozen=True)
class CardDraft:
    """A card as its author sends it: ids of what it targets or answers, not yet checked."""

    client_id: str
    kind: CardKind
    text: str
    to_participant_id: int | None = None
    to_organisation: str | None = None
    reply_to: int | None = None
    identity: Identity = "named"


def post_card(
    room: Room,
    draft: CardDraft,
    *,
    author: Participant,
    current: Prompt | None,
    to_participant: Participant | None,
    known_organisations: Mapping[str, str],
    answered: Card | None,
    now: datetime,
) -> tuple[Card, list[Emit]]:
    """A participant posts a request, an ask or an offer.

    `to_participant` and `answered` are what the log found in this room for the draft's
    ids (None when nothing matched), so a target in another room is simply unknown.
    """
    ensure_open(room, "cards")
    ensure_present(author)
    if draft.identity != "named" and not (current is not None and current.identity_choice):
        raise Refusal("invalid", "identity_not_allowed",
                      "This prompt asks for named cards: the facilitator has not offered a "
                      "choice of how names are shown.")
    assert author.id is not None
    card = Card(identity=draft.identity, room_id=room.id, kind=draft.kind, text=draft.text,
                author_id=author.id, client_id=draft.client_id,
                prompt_id=current.id if current else None, created_at=now)
    if draft.kind == "request":
        _address(card, draft, author, to_participant, known_organisations)
    else:
        _to_the_room(card, draft, answered)
        card.self_commit = draft.kind == "offer" and current is not None and current.self_commit
    return card, [Emit("card.created", card)]


def _address(card: Card, draft: CardDraft, author: Participant,
             to_participant: Participant | None, known_organisations: Mapping[str, str]) -> None:
    """A request goes to a person in the room, an organisation in the room, or both."""
    if draft.to_participant_id is None and draft.to_organisation is None:
        raise Refusal("invalid", "request_needs_target",
                      "A request needs a person or an organisation to ask.")
    if draft.reply_to is not None:
        raise Refusal("invalid", "reply_to_not_allowed", "Only an offer can reply to a card.")
    if draft.to_participant_id is not None:
        if to_participant is None:
            raise Refusal("invalid", "unknown_participant",
                          "Nobody with that id is in this room.")
        if to_participant.id == author.id:
            raise Refusal("invalid", "request_to_self", "A request goes to someone else.")
        card.to_participant_id = to_participant.id
    if draft.to_organisation is not None:
        key = organisation_key(draft.to_organisation)
        if key not in known_organisations:
            raise Refusal("invalid", "unknown_organisation",
                          "Nobody from that organisation is in this room.")
        card.to_organisation, card.to_organisation_key = known_organisations[key], key


def _to_the_room(card: Card, draft: CardDraft, answered: Card | None) -> None:
    """An ask or an offer goes to the whole room; an offer may answer an ask or request."""
    if draft.to_participant_id is not None or draft.to_organisation is not None:
        raise Refusal("invalid", "target_not_allowed",
                      f"An {draft.kind} goes to the whole room, not to a person or organisation.")
    if draft.reply_to is None:
        return
    if draft.kind != "offer":
        raise Refusal("invalid", "reply_to_not_allowed", "Only an offer can reply to a card.")
    if answered is None:
        raise Refusal("invalid", "unknown_card", "There is no such card in this room.")
    # Withdrawn first: a card off the board must not tell its kind.
    ensure_not_withdrawn(answered)
    if answered.kind not in ("ask", "request"):
        raise Refusal("invalid", "reply_to_not_ask_or_request",
                      "An offer can answer an ask or a request, not another offer.")
    card.reply_to = answered.id


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
    ensure_not_closed(room)
    if answered_before >= MAX_ANSWERS:
        raise Refusal("conflict", "too_many_answers",
                      f"This request has been answered {MAX_ANSWERS} times: the latest stands.")
    ensure_not_withdrawn(request)  # first: a card off the board must not tell its kind
    if request.kind != "request":
        raise Refusal("invalid", "not_a_request", "Only a request can be answered.")
    ensure_present(by)
    if not is_addressed_to(request, by):
        raise Refusal("forbidden", "not_asked",
                      "Only the person or organisation asked can answer this request.")
    request.status = answer
    request.answer_revealed = not room.answers_held
    assert request.id is not None and by.id is not None
    answer_row = Reply(card_id=request.id, by_id=by.id, answer=answer, note=note, at=now)
    return answer_row, [Emit("card.updated", request)]


def accept(room: Room, offer: Card, *, answered: Card | None, by: Participant) -> list[Emit]:
    """The author of an ask or request accepts an offer made to it."""
    ensure_not_closed(room)
    ensure_not_withdrawn(offer)  # first: a card off the board must not tell its kind
    if offer.kind != "offer":
        raise Refusal("invalid", "not_an_offer", "Only an offer can be accepted.")
    if answered is None:
        raise Refusal("invalid", "offer_answers_nothing",
                      "This offer does not reply to an ask or a request, so nobody accepts it.")
    if answered.author_id != by.id:
        raise Refusal("forbidden", "not_your_card",
                      "Only the author of the ask or request can accept offers to it.")
    ensure_present(by)
    if offer.status == "accepted":
        return []
    offer.status = "accepted"
    return [Emit("card.updated", offer)]


def withdraw(room: Room, card: Card, *, by: Participant) -> list[Emit]:
    ensure_not_closed(room)
    if card.author_id != by.id:
        raise Refusal("forbidden", "not_your_card", "Only its author can withdraw a card.")
    if card.status == "withdrawn":
        return []
    card.status, card.spotlight = "withdrawn", False
    return [Emit("card.updated", card)]


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
    ensure_not_closed(room)
    will_hide = hidden if hidden is not None else card.hidden
    if spotlight and will_hide:
        raise Refusal("conflict", "card_hidden", "A hidden card cannot be spotlighted.")
    if spotlight and not card.spotlight:
        ensure_not_withdrawn(card)
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
