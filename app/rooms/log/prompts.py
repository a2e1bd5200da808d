"""Prompts and the timer: what the room answers now, filled from the library or written
by the facilitator, and for how long."""

from __future__ import annotations

from dataclasses import asdict, dataclass, fields
from datetime import datetime

from app.prompts.library import get_prompt
from app.rooms import rules, views
from app.rooms.log import lookup, transaction
from app.rooms.log.command import Log, Outcome, Transaction
from app.rooms.models import Prompt, RunItem
from app.rooms.rules import Emit, Refusal


@dataclass(frozen=True)
class PromptFields:
    """What a prompt asks, pushed now or planned as a step of the run sheet."""

    text: str
    collects: str
    library_key: str | None = None
    duration_s: int | None = None
    self_commit: bool = False
    identity_choice: bool = False

    @classmethod
    def of_step(cls, step: RunItem) -> PromptFields:
        return cls(**{f.name: getattr(step, f.name) for f in fields(cls)})

    def as_step(self) -> RunItem:
        """A step to plan; the rules place it on the sheet."""
        return RunItem(**asdict(self), position=0, room_id=0)


def fill(*, missing_code: str, library_key: str | None = None, text: str | None = None,
         collects: str | None = None, duration_s: int | None = None,
         self_commit: bool | None = None, identity_choice: bool = False) -> PromptFields:
    """A prompt from the library by key (its text, kind, timing and self_commit unless
    given), or custom: then its text and what it collects are needed."""
    if library_key is not None:
        entry = get_prompt(library_key)
        if entry is None:
            raise Refusal("invalid", "unknown_library_key",
                          "There is no prompt with that key in the library.")
        text = text if text is not None else entry.text
        collects = collects if collects is not None else entry.collects
        duration_s = duration_s if duration_s is not None else entry.duration_s
        self_commit = self_commit if self_commit is not None else entry.self_commit
    if not text or not collects:
        raise Refusal("invalid", missing_code,
                      "Give either a library_key, or a text and what it collects.")
    return PromptFields(text=text, collects=collects, library_key=library_key,
                        duration_s=duration_s, self_commit=bool(self_commit),
                        identity_choice=identity_choice)


def open_prompt(tx: Transaction, asked: PromptFields, now: datetime, *,
                run_item_id: int | None = None) -> tuple[Prompt, list[Emit]]:
    """The prompt becomes current (the one before it closes), in this transaction."""
    prompt, emits = rules.push_prompt(
        tx.room, current=lookup.current(tx.session, tx.room), text=asked.text,
        collects=asked.collects, library_key=asked.library_key, duration_s=asked.duration_s,
        self_commit=asked.self_commit, identity_choice=asked.identity_choice,
        run_item_id=run_item_id, now=now)
    tx.session.add(prompt)
    return prompt, emits


def push(log: Log, code: str, token: str | None, asked: PromptFields) -> Outcome:
    def apply(tx: Transaction) -> transaction.Applied:
        prompt, emits = open_prompt(tx, asked, tx.now())
        return (lambda: views.prompt_view(prompt)), emits
    return transaction.run(log, code, token, ("facilitator",), apply, created=True)


def close(log: Log, code: str, token: str | None) -> Outcome:
    def apply(tx: Transaction) -> transaction.Applied:
        current = lookup.current(tx.session, tx.room)
        emits = rules.close_prompt(tx.room, current=current, now=tx.now())
        return (lambda: views.prompt_view(current)), emits
    return transaction.run(log, code, token, ("facilitator",), apply)


def set_timer(log: Log, code: str, token: str | None, seconds: int) -> Outcome:
    def apply(tx: Transaction) -> transaction.Applied:
        room = tx.room
        emits = rules.set_timer(room, seconds, tx.now())
        return (lambda: {"ends_at": views.iso(room.timer_ends_at),
                         "seconds": room.timer_seconds}), emits
    return transaction.run(log, code, token, ("facilitator",), apply)
