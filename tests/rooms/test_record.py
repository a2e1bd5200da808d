"""The log's one table of event payloads (app/rooms/log/record.py)."""

from __future__ import annotations

from app.rooms.log.record import PAYLOADS
from app.rooms.vocab import EVENT_TYPES


def test_every_event_type_has_exactly_one_way_to_build_its_payload() -> None:
    """A new event type in the vocabulary fails here until the log knows its payload."""
    assert sorted(PAYLOADS) == sorted(EVENT_TYPES)
