"""The room's own rules: its code, its state and the answer round, and who is in it."""

from __future__ import annotations

import re
import secrets
from collections.abc import Mapping
from datetime import datetime

from app.rooms.models import Card, Participant, Prompt, Room
from app.rooms.rules.base import Emit, ensure_not_closed, ensure_open
from app.rooms.rules.prompts import set_timer
from app.rooms.views import organisation_key

# No 0/O, 1/I/L: a code read off a projector must not be mistyped.
CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
CODE_LENGTH = 6
WITHDRAWN_NAME = "A participant"


def new_room_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


_CODE_RE = re.compile(f"[{CODE_ALPHABET}]{{{CODE_LENGTH}}}")


def parse_room_code(raw: str) -> str | None:
    """The canonical code for what someone typed (any case, spaces around), or None."""
    code = raw.strip().upper()
    return code if _CODE_RE.fullmatch(code) else None


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
    ensure_not_closed(room)
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
            emits.extend(_close(room, current, held or [], now))
    if changed:
        emits.insert(0, Emit("room.updated", room))
    return emits


def _close(room: Room, current: Prompt | None, held: list[Card], now: datetime) -> list[Emit]:
    """A room that closes ends its prompt and its timer, and holds nothing back."""
    emits: list[Emit] = []
    room.closed_at = now
    if room.answers_held:
        room.answers_held = False
        emits.extend(reveal(room, held, _closing=True))
    if current is not None:
        current.closed_at = now
        emits.append(Emit("prompt.closed", current))
    emits.extend(set_timer(room, 0, now, _closing=True))
    return emits


def reveal(room: Room, requests: list[Card], *, _closing: bool = False) -> list[Emit]:
    """Show held answers to the room: one request's, or all of them at once."""
    if not _closing:
        ensure_not_closed(room)
    emits = []
    for request in requests:
        if request.kind == "request" and not request.answer_revealed:
            request.answer_revealed = True
            emits.append(Emit("card.updated", request))
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
    ensure_open(room, "participants")
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


def leave(participant: Participant) -> list[Emit]:
    """A participant withdraws from the room: their name is erased, not just hidden."""
    if participant.withdrawn:
        return []
    participant.withdrawn = True
    participant.name = WITHDRAWN_NAME
    return [Emit("participant.left", participant)]
