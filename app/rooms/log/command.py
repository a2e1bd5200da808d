"""What every command works with: where the log is kept, who is asking, the transaction
a command runs in (and what its steps hand on to each other), and what it answers."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Engine
from sqlmodel import Session

from app.rooms.live.message import RecordedEvent
from app.rooms.models import Participant, Room
from app.rooms.views import JSON
from app.rooms.vocab import STAFF, Role


def utcnow() -> datetime:
    return datetime.now(UTC)


@dataclass(frozen=True)
class Log:
    """The database the room's log is kept in, and the clock its events are stamped by."""

    engine: Engine
    clock: Callable[[], datetime] = utcnow


@dataclass(frozen=True)
class Actor:
    role: Role
    participant: Participant | None = None

    @property
    def is_staff(self) -> bool:
        return self.role in STAFF


@dataclass
class Outcome:
    """What a command answers, and the events it recorded."""

    body: Any
    events: list[RecordedEvent]
    created: bool = False


@dataclass
class Transaction:
    """One command's transaction: the room it locked and who asks, and what one step
    leaves for the next (the cards it creates, the card views their events recorded, the
    event rows still to write)."""

    session: Session
    room: Room
    actor: Actor | None
    log: Log
    new_cards: set[int] = field(default_factory=set)  # id() of each new Card object
    card_views: dict[int, JSON] = field(default_factory=dict)  # by card id
    event_rows: list[JSON] = field(default_factory=list)

    @property
    def participant(self) -> Participant:
        """The participant asking: for commands only a participant may run."""
        assert self.actor is not None and self.actor.participant is not None
        return self.actor.participant

    def now(self) -> datetime:
        return self.log.clock()
