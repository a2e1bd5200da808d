"""The run sheet: the facilitator plans the meeting's prompts, reorders them, and steps
through them with Next."""

from __future__ import annotations

from typing import Any

from app.db import read_session
from app.rooms import rules, views
from app.rooms.log import lookup, prompts, transaction
from app.rooms.log.command import Log, Outcome, Transaction
from app.rooms.log.shown import sheet_json
from app.rooms.rules import Emit, Refusal
from app.rooms.views import JSON
from app.rooms.vocab import STAFF

# Steps a run sheet may hold: a day's meeting has a dozen or two. Each runsheet.updated
# event carries the whole sheet (the console's store reads it), so this cap, with a step's
# text at most 280 characters, is what keeps every such event small (about 30 KB at most)
# however long the room has run.
MAX_STEPS = 60


def run_sheet(log: Log, code: str, token: str | None) -> JSON:
    """The plan, each step with its state and the time it has used so far."""
    with read_session(log.engine) as s:
        room = lookup.room(s, code)
        lookup.authorise(s, room, token, STAFF)
        return sheet_json(s, room, log.clock())


def plan_step(log: Log, code: str, token: str | None, **asked: Any) -> Outcome:
    def apply(tx: Transaction) -> transaction.Applied:
        step = prompts.fill(missing_code="step_needs_text", **asked).as_step()
        planned = lookup.sheet(tx.session, tx.room)
        if len(planned) >= MAX_STEPS:
            raise Refusal("conflict", "run_sheet_full",
                          f"A run sheet holds at most {MAX_STEPS} steps: remove one first.")
        emits = rules.plan(tx.room, planned, step)
        tx.session.add(step)
        return (lambda: views.run_item_view(step)), emits
    return transaction.run(log, code, token, ("facilitator",), apply, created=True)


def change_step(log: Log, code: str, token: str | None, step_id: int,
                **changes: Any) -> Outcome:
    def apply(tx: Transaction) -> transaction.Applied:
        step = lookup.step(tx.session, tx.room, step_id)
        for name, value in changes.items():
            if value is not None:
                setattr(step, name, value)
        return (lambda: views.run_item_view(step)), [Emit("runsheet.updated")]
    return transaction.run(log, code, token, ("facilitator",), apply)


def remove_step(log: Log, code: str, token: str | None, step_id: int) -> Outcome:
    def apply(tx: Transaction) -> transaction.Applied:
        tx.session.delete(lookup.step(tx.session, tx.room, step_id))
        return (lambda: None), [Emit("runsheet.updated")]
    return transaction.run(log, code, token, ("facilitator",), apply)


def reorder_steps(log: Log, code: str, token: str | None, order: list[int]) -> Outcome:
    def apply(tx: Transaction) -> transaction.Applied:
        emits = rules.reorder(tx.room, lookup.sheet(tx.session, tx.room), order)
        return (lambda: sheet_json(tx.session, tx.room, tx.now())), emits
    return transaction.run(log, code, token, ("facilitator",), apply)


def next_step(log: Log, code: str, token: str | None) -> Outcome:
    """Push the next planned step as the current prompt, with its timer running."""
    def apply(tx: Transaction) -> transaction.Applied:
        s, room = tx.session, tx.room
        step = rules.next_step(lookup.sheet(s, room), lookup.used_steps(s, room))
        if step is None:
            raise Refusal("conflict", "run_sheet_finished",
                          "Every step of the run sheet has been pushed.")
        now = tx.now()
        prompt, emits = prompts.open_prompt(tx, prompts.PromptFields.of_step(step), now,
                                            run_item_id=step.id)
        emits += rules.set_timer(room, step.duration_s or 0, now)
        emits.append(Emit("runsheet.updated"))  # a step went from planned to current
        return (lambda: views.prompt_view(prompt)), emits
    return transaction.run(log, code, token, ("facilitator",), apply)
