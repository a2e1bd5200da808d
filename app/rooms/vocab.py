"""The room's words, defined once: kinds, states, answers, roles, event types and the
stream's close codes. Python reads the Literals (and the tuples made from them); the pages
read `app/static/js/vocab.js`, which is written from this module
(`python -m app.rooms.vocab > app/static/js/vocab.js`) and checked against it by a test."""

from __future__ import annotations

from typing import Literal, get_args

import orjson

CardKind = Literal["request", "ask", "offer"]
Answer = Literal["yes", "no", "try", "unclear"]
Progress = Literal["not_started", "in_progress", "done", "dropped"]
# "review": matters arising, the open commitments of a partnership's earlier meetings.
Collects = Literal["request", "ask", "offer", "any", "review"]
RoomState = Literal["open", "locked", "closed"]
CardStatus = Literal["open", "yes", "no", "try", "unclear", "answered", "accepted", "withdrawn"]
Identity = Literal["named", "organisation", "anonymous"]
Role = Literal["facilitator", "organiser", "participant"]

CARD_KINDS: tuple[CardKind, ...] = get_args(CardKind)
ANSWERS: tuple[Answer, ...] = get_args(Answer)
PROGRESS: tuple[Progress, ...] = get_args(Progress)
ROOM_STATES: tuple[RoomState, ...] = get_args(RoomState)
COLLECTS: tuple[Collects, ...] = get_args(Collects)
IDENTITIES: tuple[Identity, ...] = get_args(Identity)
# The answers that make a request a commitment (SPEC §2).
COMMITTING_ANSWERS: tuple[Answer, ...] = ("yes", "try")
# Staff see everything; only the facilitator changes anything.
STAFF: tuple[Role, ...] = ("facilitator", "organiser")

EventType = Literal[
    "room.updated", "participant.joined", "participant.left", "prompt.opened",
    "prompt.closed", "timer.started", "timer.stopped", "card.created", "card.updated",
    "runsheet.updated", "cards.renamed", "matter.updated",
]
EVENT_TYPES: tuple[EventType, ...] = get_args(EventType)
# Meant for staff only: the public gets their seq, never their data, live or in a replay.
PRIVATE_EVENTS: frozenset[EventType] = frozenset({"runsheet.updated", "cards.renamed"})

# WebSocket close codes, and what a client should do on each.
CLOSE_GOING_AWAY = 1001  # the server is stopping: reconnect (to another process) with after
CLOSE_TOO_BIG = 1009  # a client message over the limit
CLOSE_TOO_SLOW = 1013  # "try again later": reconnect with after
CLOSE_BAD_KEY = 4401  # the auth key is not valid for this room: do not retry with it
CLOSE_ROOM_GONE = 4404  # the room was deleted: do not reconnect
CLOSE_REASONS = {CLOSE_GOING_AWAY: "server stopping: reconnect with after",
                 CLOSE_TOO_SLOW: "too slow: reconnect with after"}


def javascript() -> str:
    """The words the pages need, as the ES module app/static/js/vocab.js."""
    close = {"GOING_AWAY": CLOSE_GOING_AWAY, "TOO_BIG": CLOSE_TOO_BIG,
             "TOO_SLOW": CLOSE_TOO_SLOW, "BAD_KEY": CLOSE_BAD_KEY,
             "ROOM_GONE": CLOSE_ROOM_GONE}
    words = {"EVENT_TYPES": list(EVENT_TYPES), "PRIVATE_EVENTS": sorted(PRIVATE_EVENTS),
             "CARD_KINDS": list(CARD_KINDS), "ANSWERS": list(ANSWERS),
             "PROGRESS": list(PROGRESS), "ROOM_STATES": list(ROOM_STATES),
             "COLLECTS": list(COLLECTS), "IDENTITIES": list(IDENTITIES), "CLOSE": close}
    lines = ["// Written by `python -m app.rooms.vocab` from app/rooms/vocab.py; do not edit.",
             "// tests/rooms/test_vocab.py fails when the two disagree.", ""]
    for name, value in words.items():
        lines.append(f"export const {name} = Object.freeze({orjson.dumps(value).decode()});")
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    print(javascript(), end="")
