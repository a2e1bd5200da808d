"""Prompts and the timer: what the room is answering now, and for how long."""

from __future__ import annotations

from datetime import datetime, timedelta

from app.rooms.models import Prompt, Room
from app.rooms.rules.base import Emit, Refusal, ensure_not_closed


def push_prompt(
    room: Room,
    *,
    current: Prompt | None,
    text: str,
    collects: str,
    library_key: str | None,
    duration_s: int | None,
    self_commit: bool,
    now: datetime,
    identity_choice: bool = False,
    run_item_id: int | None = None,
) -> tuple[Prompt, list[Emit]]:
    """The new prompt becomes current; the previous one, if any, closes first."""
    ensure_not_closed(room)
    emits: list[Emit] = []
    if current is not None:
        current.closed_at = now
        emits.append(Emit("prompt.closed", current))
    prompt = Prompt(
        room_id=room.id,
        text=text,
        collects=collects,
        library_key=library_key,
        duration_s=duration_s,
        self_commit=self_commit,
        identity_choice=identity_choice,
        run_item_id=run_item_id,
        opened_at=now,
    )
    emits.append(Emit("prompt.opened", prompt))
    return prompt, emits


def close_prompt(room: Room, *, current: Prompt | None, now: datetime) -> list[Emit]:
    ensure_not_closed(room)
    if current is None:
        raise Refusal("conflict", "no_current_prompt", "There is no current prompt to close.")
    current.closed_at = now
    return [Emit("prompt.closed", current)]


def set_timer(room: Room, seconds: int, now: datetime, *, _closing: bool = False) -> list[Emit]:
    """Start the timer for `seconds`, or stop it with 0."""
    if not _closing:
        ensure_not_closed(room)
    if seconds == 0:
        if room.timer_ends_at is None:
            return []
        room.timer_ends_at, room.timer_seconds = None, None
        return [Emit("timer.stopped")]
    room.timer_ends_at = now + timedelta(seconds=seconds)
    room.timer_seconds = seconds
    return [Emit("timer.started")]
