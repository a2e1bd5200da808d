"""The action register (SPEC §10): every commitment of every meeting of a partnership,
as a secretariat reads it. Pure: card views in, register entries out.

An entry's status is the secretariat's word for it: `done` and `dropped` as reported
(a withdrawn card, or one no longer a commitment, is dropped too), `overdue` when its due
date has passed, otherwise `open`. The members' view is the room's: what the room never
saw (hidden, withdrawn, a held answer) is not in it, and people are shown only as they
chose on the cards they wrote."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date

from app.rooms.views import (
    JSON,
    beneficiary,
    masked_person,
    off_board,
    organisation_key,
    public_card,
)

STATUSES = ("open", "overdue", "done", "dropped")
CLOSING = frozenset({"done", "dropped"})
# Each report of progress: what, when, by whom; in which later meeting (under matters
# arising) and whether the facilitator recorded it on someone's behalf.
HISTORY_FIELDS = ("progress", "note", "at", "by", "in_meeting", "on_behalf")


def reference(prefix: str, meeting_number: int, item: int) -> str:
    """EPB-3-07: the partnership, the meeting's number in the series, the item."""
    return f"{prefix}-{meeting_number}-{item:02d}"


def status(card: JSON, due: date | None, today: date) -> str:
    commitment = card["commitment"]
    if card["status"] == "withdrawn" or commitment is None:
        return "dropped"
    if commitment["progress"] in CLOSING:
        return str(commitment["progress"])
    if due is not None and due < today:
        return "overdue"
    return "open"


@dataclass(frozen=True)
class Raised:
    """Where an entry was raised: its meeting, and its number in the series."""

    code: str
    number: int
    title: str
    date: str


def entry(prefix: str, meeting: Raised, item: int, card: JSON, answered: JSON | None,
          history: Sequence[JSON], today: date) -> JSON:
    """One commitment as the secretariat reads it (`card`: its private view)."""
    commitment = card["commitment"] or {}
    closing = [u for u in history if u["progress"] in CLOSING]
    state = status(card, None, today)
    return {
        "ref": reference(prefix, meeting.number, item),
        "meeting": {"code": meeting.code, "number": meeting.number, "title": meeting.title,
                    "date": meeting.date},
        "raised_at": card["created_at"],
        "kind": card["kind"],
        "what": card["text"],
        "owner": commitment.get("owner"),
        "for_whom": beneficiary(card["kind"], card["author"],
                                answered["author"] if answered else None),
        "due": None,
        "progress": commitment.get("progress", "not_started"),
        "note": commitment.get("note", ""),
        "updated_at": commitment.get("updated_at"),
        "status": state,
        "closed_at": closing[-1]["at"] if closing and state in CLOSING else None,
        "history": [{k: u.get(k) for k in HISTORY_FIELDS} for u in history],
    }


def members_entry(prefix: str, meeting: Raised, item: int, card: JSON,
                  answered: JSON | None, history: Sequence[JSON], today: date) -> JSON | None:
    """The entry as the room saw it, or None if the room never saw it."""
    if off_board(card) or (card["kind"] == "request" and not card["answer_revealed"]):
        return None
    shown = public_card(card)
    shown_answered = public_card(answered) if answered else None
    masked = [{**u, "by": masked_person(u["by"], u["by_shown"])} for u in history]
    return entry(prefix, meeting, item, shown, shown_answered, masked, today)


def matches(item: JSON, *, organisation: str | None, status: str | None,
            meeting: int | None, overdue: bool | None) -> bool:
    """The register's filters: the owner's organisation, the status, the meeting's
    number, overdue or not."""
    owner = item["owner"] or {}
    if organisation is not None and organisation_key(owner.get("organisation") or "") != \
            organisation_key(organisation):
        return False
    if status is not None and item["status"] != status:
        return False
    if meeting is not None and item["meeting"]["number"] != meeting:
        return False
    return overdue is None or (item["status"] == "overdue") == overdue


def counts(items: Iterable[JSON]) -> Mapping[str, int]:
    tally = dict.fromkeys(STATUSES, 0)
    for item in items:
        tally[item["status"]] += 1
    return tally
