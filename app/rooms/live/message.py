"""The message between the log and the live sockets: an event as committed, and its codec.

The log records it, the broker carries it (as `event_message()` bytes), every process's
hub delivers it. It is the only thing the two halves share.

On the broker a message is one line of JSON naming the room, a newline, then the event's
stream frame exactly as the sockets receive it: the committing process serialises the
frame once for its own sockets and for the broker, and a receiving process sends on the
bytes it was given. orjson never writes a raw newline, so the first one splits the two.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import orjson

from app.rooms import views

JSON = dict[str, Any]

# A pseudo-channel: the broker lost messages (it reconnected), so the hub must read what
# it missed from the database.
RESYNC = ""


@dataclass(frozen=True, slots=True)
class RecordedEvent:
    """An event as committed: what the broker carries and the stream sends."""

    room: str
    seq: int
    type: str
    at: str
    data: JSON
    card_id: int | None

    def frame(self) -> JSON:
        """The event as its stream frame, in the private view (staff see everything)."""
        return views.event_frame(self.seq, self.type, self.at, self.data)

    @classmethod
    def from_frame(cls, room: str, frame: JSON) -> RecordedEvent:
        """The event back from a private stream frame (the log's replays give frames)."""
        card = frame["data"].get("card")
        return cls(room=room, seq=frame["seq"], type=frame["event"], at=frame["at"],
                   data=frame["data"], card_id=card["id"] if card else None)

    def to_message(self, frame: bytes | None = None) -> bytes:
        """The broker's bytes; `frame`: this event's private frame, if already serialised."""
        return event_message(self, orjson.dumps(self.frame()) if frame is None else frame)


def event_message(event: RecordedEvent, frame: bytes) -> bytes:
    return orjson.dumps({"room": event.room, "card_id": event.card_id}) + b"\n" + frame


def deleted_message(room: str) -> bytes:
    """Every process closes this room's streams."""
    return orjson.dumps({"room": room, "control": "deleted"})


def from_message(message: bytes) -> tuple[RecordedEvent, bytes] | None:
    """The event and its frame's bytes, or None for a deleted room."""
    head, _, frame = message.partition(b"\n")
    about = orjson.loads(head)
    if about.get("control") == "deleted":
        return None
    decoded = orjson.loads(frame)
    event = RecordedEvent(room=about["room"], seq=decoded["seq"], type=decoded["event"],
                          at=decoded["at"], data=decoded["data"], card_id=about["card_id"])
    return event, frame
