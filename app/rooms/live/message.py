"""The message between the log and the live sockets: an event as committed.

The log records it, the broker carries it (as `to_message()` bytes), every process's hub
delivers it. It is the only thing the two halves share.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import orjson

JSON = dict[str, Any]


@dataclass(frozen=True)
class RecordedEvent:
    """An event as committed: what the broker carries and the stream sends."""

    room: str
    seq: int
    type: str
    at: str
    data: JSON
    card_id: int | None

    def to_message(self) -> bytes:
        return orjson.dumps(
            {"room": self.room, "seq": self.seq, "type": self.type, "at": self.at,
             "data": self.data, "card_id": self.card_id}
        )
