"""What every rule shares: the refusal, the event to record, and the checks on state."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from app.rooms.models import Card, Participant, Prompt, Room, RunItem
from app.rooms.vocab import EventType

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
    # Several cards in one event (cards.renamed; matter.updated: the one it is about).
    subjects: tuple[Card, ...] = ()
    # A payload made by the command itself (matter.updated: the register's entry).
    data: dict[str, object] | None = None


def ensure_not_closed(room: Room) -> None:
    if room.state == "closed":
        raise Refusal("conflict", "room_closed", "The room is closed: it is read-only now.")


def ensure_open(room: Room, what: str) -> None:
    ensure_not_closed(room)
    if room.state == "locked":
        raise Refusal("conflict", "room_locked", f"The room is locked: no new {what} for now.")


def ensure_present(person: Participant) -> None:
    if person.withdrawn:
        raise Refusal("forbidden", "participant_left",
                      "You have withdrawn from this room: you can no longer post or answer.")


def ensure_not_withdrawn(card: Card) -> None:
    if card.status == "withdrawn":
        raise Refusal("conflict", "card_withdrawn", "That card was withdrawn by its author.")
