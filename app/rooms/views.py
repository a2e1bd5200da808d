"""What the API and the stream say about rooms, people, prompts and cards, as JSON dicts.

Pure functions: the service loads the rows, these shape them. The private view is the
facilitator's; `public_*` derive what everyone else may see.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from typing import Any, TypeVar, overload

import orjson

from app.partnerships.models import Partnership
from app.rooms.models import Card, Participant, ProgressUpdate, Prompt, Reply, Room, RunItem
from app.rooms.vocab import ANSWERS, COMMITTING_ANSWERS, PRIVATE_EVENTS

JSON = dict[str, Any]
T = TypeVar("T")


def organisation_key(name: str) -> str:
    """Two spellings name one organisation when they match trimmed, spaced and case-folded."""
    return " ".join(name.split()).casefold()


def commitment_owner_id(card: Card, latest: Reply | None) -> int | None:
    """Who will act, if this card is a commitment."""
    if card.status == "withdrawn":
        return None
    if card.kind == "request":
        return latest.by_id if latest and card.status in COMMITTING_ANSWERS else None
    if card.kind == "offer" and (card.status == "accepted" or card.self_commit):
        return card.author_id
    return None


def beneficiary(kind: str, author: T, answered_author: T | None) -> T | None:
    """Whom a commitment is for: the requester, or the author of the ask or request an
    offer answers (None: the whole room). Of ids or of people's views alike."""
    return author if kind == "request" else answered_author


def beneficiary_id(card: Card, answered: Card | None) -> int | None:
    """The id of whom a commitment is for (`answered`: the card an offer answers)."""
    return beneficiary(card.kind, card.author_id, answered.author_id if answered else None)


def iso(moment: datetime | None) -> str | None:
    """ISO 8601 in UTC with a Z, to the millisecond; a naive time is taken as UTC."""
    if moment is None:
        return None
    if moment.tzinfo is not None:
        moment = moment.astimezone(UTC).replace(tzinfo=None)
    return moment.isoformat(timespec="milliseconds") + "Z"


@overload
def person(participant: Participant) -> JSON: ...
@overload
def person(participant: Participant | None) -> JSON | None: ...


def person(participant: Participant | None) -> JSON | None:
    if participant is None:
        return None
    return {"id": participant.id, "name": participant.name,
            "organisation": participant.organisation}


def progress_update_view(update: ProgressUpdate, people: Mapping[int, Participant]) -> JSON:
    """One report of progress as the organiser's log keeps it (the staff view)."""
    by = people.get(update.by_id) if update.by_id is not None else None
    return {"card_id": update.card_id, "progress": update.progress, "note": update.note,
            "at": iso(update.at), "by": person(by), "by_shown": update.by_shown,
            "on_behalf": update.on_behalf}


def timer_view(room: Room) -> JSON | None:
    if room.timer_ends_at is None:
        return None
    return {"ends_at": iso(room.timer_ends_at), "seconds": room.timer_seconds}


def prompt_view(prompt: Prompt | None) -> JSON | None:
    if prompt is None:
        return None
    return {
        "id": prompt.id,
        "text": prompt.text,
        "collects": prompt.collects,
        "library_key": prompt.library_key,
        "duration_s": prompt.duration_s,
        "self_commit": prompt.self_commit,
        "identity_choice": prompt.identity_choice,
        "run_item_id": prompt.run_item_id,
        "opened_at": iso(prompt.opened_at),
        "closed_at": iso(prompt.closed_at),
    }


def room_view(room: Room, *, current: Prompt | None, participant_count: int,
              partnership: Partnership | None = None) -> JSON:
    return {
        "code": room.code,
        "title": room.title,
        "purpose": room.purpose,
        "run_by": room.run_by,
        "state": room.state,
        "answers_held": room.answers_held,
        "seq": room.seq,
        "current_prompt": prompt_view(current),
        "participant_count": participant_count,
        "timer": timer_view(room),
        "created_at": iso(room.created_at),
        "closed_at": iso(room.closed_at),
        "partnership": meeting_of(partnership, room) if partnership is not None else None,
    }


def meeting_of(partnership: Partnership, room: Room) -> JSON:
    """A meeting's partnership, as its room tells everyone in it."""
    return {"id": partnership.code, "title": partnership.title, "number": room.series_number,
            "members": members(partnership)}


def members(partnership: Partnership) -> list[str]:
    names: list[str] = orjson.loads(partnership.members)
    return names


def card_view(card: Card, replies: Sequence[Reply], people: Mapping[int, Participant]) -> JSON:
    """The whole card, as SPEC §3 gives it, replies oldest first."""
    latest = replies[-1] if replies else None
    owner_id = commitment_owner_id(card, latest)
    to: JSON | None = None
    if card.kind == "request":
        to = {
            "participant": person(people.get(card.to_participant_id))
            if card.to_participant_id is not None else None,
            "organisation": card.to_organisation,
        }
    commitment: JSON | None = None
    if owner_id is not None:
        commitment = {
            "owner": person(people.get(owner_id)),
            "progress": card.progress,
            "note": card.progress_note,
            "updated_at": iso(card.progress_updated_at),
            "updated_by": person(people.get(card.progress_updated_by_id))
            if card.progress_updated_by_id is not None else None,
            "updated_by_shown": card.progress_updated_by_shown,
        }
    return {
        "id": card.id,
        "kind": card.kind,
        "text": card.text,
        "status": card.status,
        "identity": card.identity,
        "answer_revealed": card.answer_revealed,
        "hidden": card.hidden,
        "spotlight": card.spotlight,
        "author": person(people.get(card.author_id)),
        "to": to,
        "reply_to": card.reply_to,
        "prompt_id": card.prompt_id,
        "replies": [
            {"answer": r.answer, "note": r.note, "by": person(people.get(r.by_id)), "at": iso(r.at)}
            for r in replies
        ],
        "commitment": commitment,
        "created_at": iso(card.created_at),
        "seq": card.seq,
        "client_id": card.client_id,
    }


def hidden_stub(card_id: int) -> JSON:
    """All the public learns of a hidden card, or of any event of a card off the board
    now (hidden, or withdrawn since)."""
    return {"id": card_id, "hidden": True}


def withdrawn_stub(card_id: int) -> JSON:
    """All the public learns when an author withdraws a card: it leaves the board."""
    return {"id": card_id, "status": "withdrawn"}


def off_board(card: JSON) -> bool:
    """Hidden by the facilitator or withdrawn by its author: on no public surface."""
    return bool(card.get("hidden")) or card.get("status") == "withdrawn"


def run_item_view(item: RunItem) -> JSON:
    return {"id": item.id, "position": item.position, "library_key": item.library_key,
            "text": item.text, "collects": item.collects, "duration_s": item.duration_s,
            "self_commit": item.self_commit, "identity_choice": item.identity_choice}


def masked_author(card: JSON) -> JSON | None:
    """The author as the room may see them, by the identity they chose."""
    return masked_person(card.get("author"), card.get("identity", "named"))


def masked_person(who: JSON | None, identity: str) -> JSON | None:
    """A person as the room may see them, by the identity they chose on their card."""
    if who is None or identity == "named":
        return who
    if identity == "organisation":
        return {"id": None, "name": None, "organisation": who["organisation"]}
    return None


def public_progress_by(card: JSON, *, viewer: int | None) -> JSON:
    """The card with its commitment's `updated_by` as the room knows that person: masked
    as they chose on the card they wrote (this one, or the ask it answers; `updated_by_shown`
    says which). The viewer sees themselves. Unchanged, the same object."""
    commitment = card.get("commitment")
    by = commitment and commitment.get("updated_by")
    shown = commitment and commitment.get("updated_by_shown", "named")
    if not by or shown == "named" or by["id"] == viewer:
        return card
    return {**card, "commitment": {**commitment, "updated_by": masked_person(by, shown)}}


def public_card(card: JSON, *, viewer: int | None = None) -> JSON:
    """A card as the room sees it: the author only as they chose to be shown, and a held
    answer only as "answered". `viewer` is a participant who sees their own side: their
    own name and client ids on their cards, and their own answers while held."""
    author = card.get("author")
    own = bool(author) and viewer is not None and author["id"] == viewer
    # A client id is the author's business: a readable one ("sam-1") would name them.
    masked = card if own else {k: v for k, v in card.items() if k != "client_id"}
    if card.get("identity", "named") != "named" and not own:
        masked = {**masked, "author": masked_author(card)}
        commitment = card.get("commitment")
        if commitment and commitment["owner"] and author and \
                commitment["owner"]["id"] == author["id"]:
            masked["commitment"] = {**commitment, "owner": masked["author"]}
    masked = public_progress_by(masked, viewer=viewer)
    if card["kind"] == "request" and not card.get("answer_revealed", True):
        replies = card.get("replies") or []
        answered = [r for r in replies
                    if viewer is not None and (r.get("by") or {}).get("id") == viewer]
        # A withdrawn request says so, held or not; its answers stay unsaid all the same,
        # but for the viewer's own (a colleague's answer for the same organisation too).
        status = answered[-1]["answer"] if answered else "answered"
        commitment = masked.get("commitment")
        if commitment and (commitment.get("owner") or {}).get("id") != viewer:
            commitment = None
        masked = {**masked, "status": status if card["status"] in ANSWERS else card["status"],
                  "replies": answered, "commitment": commitment if answered else None}
    return masked


def public_event_data(event_type: str, data: JSON, *, hidden_now: bool) -> JSON:
    """An event's payload as the public may see it at the time of sending. `hidden_now`:
    the card is off the board now (hidden or withdrawn), so every event of it, old ones
    replayed included, is a stub."""
    if event_type in PRIVATE_EVENTS:
        return {}
    card = data.get("card")
    if card is None:
        return data
    if card.get("status") == "withdrawn" and not card.get("hidden"):
        return {"card": withdrawn_stub(card["id"])}
    if hidden_now or off_board(card):
        return {"card": hidden_stub(card["id"])}
    return {"card": public_card(card)}


def event_frame(seq: int, event_type: str, at: str, data: JSON) -> JSON:
    return {"type": "event", "seq": seq, "event": event_type, "at": at, "data": data}
