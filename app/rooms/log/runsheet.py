"""The run sheet: the facilitator plans the meeting's prompts, reorders them, and steps
through them with Next (the RoomService's commands for it)."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

from sqlmodel import Session, col, select

from app.db import read_session
from app.prompts.library import get_prompt
from app.rooms import rules, views
from app.rooms.models import Prompt, Room, RunItem
from app.rooms.rules import Emit, Refusal
from app.rooms.views import JSON
from app.rooms.vocab import STAFF

if TYPE_CHECKING:
    from app.rooms.log.service import Actor, Outcome, RoomService

# Steps a run sheet may hold: a day's meeting has a dozen or two. Each runsheet.updated
# event carries the whole sheet (the console's store reads it), so this cap, with a step's
# text at most 280 characters, is what keeps every such event small (about 30 KB at most)
# however long the room has run.
MAX_STEPS = 60


class RunSheetCommands:
    def run_sheet(self: RoomService, code: str, token: str | None) -> JSON:
        """The plan, each step with its state and the time it has used so far."""
        with read_session(self.engine) as s:
            room = self._room(s, code)
            self._authorise(s, room, token, STAFF)
            return self._sheet_json(s, room)

    def plan_step(self: RoomService, code: str, token: str | None, **fields: Any) -> Outcome:
        def apply(s: Session, room: Room, actor: Actor) -> tuple[Any, list[Emit]]:
            step = RunItem(**prompt_fields(fields, missing_code="step_needs_text"),
                           position=0, room_id=0)  # after the auth
            planned = self._sheet(s, room)
            if len(planned) >= MAX_STEPS:
                raise Refusal("conflict", "run_sheet_full",
                              f"A run sheet holds at most {MAX_STEPS} steps: remove one first.")
            emits = rules.plan(room, planned, step)
            s.add(step)
            return (lambda: views.run_item_view(step)), emits
        return self._command(code, token, ("facilitator",), apply, created=True)

    def change_step(self: RoomService, code: str, token: str | None, step_id: int,
                    **fields: Any) -> Outcome:
        def apply(s: Session, room: Room, actor: Actor) -> tuple[Any, list[Emit]]:
            step = self._step(s, room, step_id)
            for name, value in fields.items():
                if value is not None:
                    setattr(step, name, value)
            return (lambda: views.run_item_view(step)), [Emit("runsheet.updated")]
        return self._command(code, token, ("facilitator",), apply)

    def remove_step(self: RoomService, code: str, token: str | None, step_id: int) -> Outcome:
        def apply(s: Session, room: Room, actor: Actor) -> tuple[Any, list[Emit]]:
            s.delete(self._step(s, room, step_id))
            return (lambda: None), [Emit("runsheet.updated")]
        return self._command(code, token, ("facilitator",), apply)

    def reorder_steps(self: RoomService, code: str, token: str | None,
                      order: list[int]) -> Outcome:
        def apply(s: Session, room: Room, actor: Actor) -> tuple[Any, list[Emit]]:
            emits = rules.reorder(room, self._sheet(s, room), order)
            return (lambda: self._sheet_json(s, room)), emits
        return self._command(code, token, ("facilitator",), apply)

    def next_step(self: RoomService, code: str, token: str | None) -> Outcome:
        """Push the next planned step as the current prompt, with its timer running."""
        def apply(s: Session, room: Room, actor: Actor) -> tuple[Any, list[Emit]]:
            step = rules.next_step(self._sheet(s, room), self._used_steps(s, room))
            if step is None:
                raise Refusal("conflict", "run_sheet_finished",
                              "Every step of the run sheet has been pushed.")
            now = self.clock()
            prompt, emits = rules.push_prompt(
                room, current=self._current(s, room), text=step.text, collects=step.collects,
                library_key=step.library_key, duration_s=step.duration_s,
                self_commit=step.self_commit, identity_choice=step.identity_choice,
                run_item_id=step.id, now=now)
            s.add(prompt)
            emits += rules.set_timer(room, step.duration_s or 0, now)
            emits.append(Emit("runsheet.updated"))  # a step went from planned to current
            return (lambda: views.prompt_view(prompt)), emits
        return self._command(code, token, ("facilitator",), apply)

    # --- helpers -------------------------------------------------------------------------

    def _step(self: RoomService, s: Session, room: Room, step_id: int) -> RunItem:
        step = s.get(RunItem, step_id)
        if step is None or step.room_id != room.id:
            raise Refusal("not_found", "step_not_found", "There is no such step on the run sheet.")
        return step

    def _used_steps(self: RoomService, s: Session, room: Room) -> set[int]:
        return set(s.exec(select(Prompt.run_item_id).where(
            Prompt.room_id == room.id, col(Prompt.run_item_id).is_not(None))))  # type: ignore[arg-type]

    def _sheet_json(self: RoomService, s: Session, room: Room) -> JSON:
        prompts = s.exec(select(Prompt).where(Prompt.room_id == room.id,
                                              col(Prompt.run_item_id).is_not(None))).all()
        now = self.clock()
        used: dict[int, float] = {}
        current: int | None = None
        for prompt in prompts:
            end = prompt.closed_at or now
            used[prompt.run_item_id] = used.get(prompt.run_item_id, 0) + _seconds(  # type: ignore[index]
                prompt.opened_at, end)
            if prompt.closed_at is None:
                current = prompt.run_item_id
        steps = []
        for item in self._sheet(s, room):
            state = "current" if item.id == current else "done" if item.id in used else "planned"
            steps.append({**views.run_item_view(item), "state": state,
                          "used_s": round(used.get(item.id, 0))})  # type: ignore[arg-type]
        upcoming = rules.next_step(self._sheet(s, room), set(used))
        return {
            "steps": steps,
            "next": upcoming.id if upcoming else None,
            "planned_s": sum(item.get("duration_s") or 0 for item in steps),
            "used_s": sum(item["used_s"] for item in steps),
        }


def _seconds(start: datetime, end: datetime) -> float:
    return max(0.0, (end - start).total_seconds())


def prompt_fields(fields: dict[str, Any], *, missing_code: str) -> dict[str, Any]:
    """A prompt (pushed, or a step of the run sheet) from the library by key, its text,
    kind, timing and self_commit unless given; or custom. The fields that are set."""
    key = fields.get("library_key")
    if key is not None:
        entry = get_prompt(key)
        if entry is None:
            raise Refusal("invalid", "unknown_library_key",
                          "There is no prompt with that key in the library.")
        defaults = {"text": entry.text, "collects": entry.collects,
                    "duration_s": entry.duration_s, "self_commit": entry.self_commit}
        fields = {**defaults, **{k: v for k, v in fields.items() if v is not None}}
    if not fields.get("text") or not fields.get("collects"):
        raise Refusal("invalid", missing_code,
                      "Give either a library_key, or a text and what it collects.")
    return {k: v for k, v in fields.items() if v is not None}
