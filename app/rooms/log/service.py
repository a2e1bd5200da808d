"""The log's front door: one object the routes, the hub and the sockets are handed.

`RoomService` holds where the log is kept and passes each call to the module of its
subject (rooms, people, prompts, cards, runsheet, reads, retention), where the command
or read is written. Commands return an `Outcome` whose events the caller publishes after
the commit; everything here is synchronous (run it in a worker thread)."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import datetime
from typing import Any

from sqlalchemy import Engine

from app.rooms.log import cards, people, prompts, reads, retention, rooms, runsheet
from app.rooms.log.command import Actor, Log, Outcome, utcnow
from app.rooms.rules import CardDraft
from app.rooms.views import JSON
from app.rooms.vocab import Role

__all__ = ["Actor", "Outcome", "RoomService"]


class RoomService:
    def __init__(self, engine: Engine, clock: Callable[[], datetime] = utcnow) -> None:
        self.log = Log(engine, clock)

    @property
    def engine(self) -> Engine:
        return self.log.engine

    # --- rooms ---------------------------------------------------------------------------

    def create_room(self, title: str, purpose: str, run_by: str = "") -> tuple[JSON, str, str]:
        return rooms.create(self.log, title, purpose, run_by)

    def get_room(self, code: str) -> JSON:
        return rooms.get(self.log, code)

    def change_room(self, code: str, token: str | None, **changes: Any) -> Outcome:
        return rooms.change(self.log, code, token, **changes)

    def reveal(self, code: str, token: str | None, card_id: int | None) -> Outcome:
        return rooms.reveal(self.log, code, token, card_id)

    def delete_room(self, code: str, token: str | None) -> str:
        return retention.delete_room(self.log, code, token)

    def expire_rooms(self, retention_days: int) -> list[str]:
        return retention.expire_rooms(self.log, retention_days)

    # --- people --------------------------------------------------------------------------

    def join(self, code: str, name: str, organisation: str) -> Outcome:
        return people.join(self.log, code, name, organisation)

    def participants(self, code: str) -> list[JSON]:
        return people.participants(self.log, code)

    def whoami(self, code: str, token: str | None) -> Actor:
        return people.whoami(self.log, code, token)

    def mine(self, code: str, token: str | None) -> JSON:
        return people.mine(self.log, code, token)

    def leave(self, code: str, token: str | None) -> Outcome:
        return people.leave(self.log, code, token)

    # --- prompts and the timer -----------------------------------------------------------

    def push_prompt(self, code: str, token: str | None, **asked: Any) -> Outcome:
        """Fields as `prompts.fill` takes them: filled (or refused) before the lock."""
        filled = prompts.fill(missing_code="prompt_needs_text", **asked)
        return prompts.push(self.log, code, token, filled)

    def close_prompt(self, code: str, token: str | None) -> Outcome:
        return prompts.close(self.log, code, token)

    def set_timer(self, code: str, token: str | None, seconds: int) -> Outcome:
        return prompts.set_timer(self.log, code, token, seconds)

    # --- cards ---------------------------------------------------------------------------

    def post_card(self, code: str, token: str | None, **draft: Any) -> Outcome:
        """`draft`: the fields of a `CardDraft` (as the API's CardPost has them)."""
        return cards.post(self.log, code, token, CardDraft(**draft))

    def cards(self, code: str, token: str | None) -> list[JSON]:
        return cards.board(self.log, code, token)

    def reply(self, code: str, token: str | None, card_id: int, *, answer: str,
              note: str) -> Outcome:
        return cards.reply(self.log, code, token, card_id, answer=answer, note=note)

    def accept(self, code: str, token: str | None, card_id: int) -> Outcome:
        return cards.accept(self.log, code, token, card_id)

    def withdraw(self, code: str, token: str | None, card_id: int) -> Outcome:
        return cards.withdraw(self.log, code, token, card_id)

    def report_progress(self, code: str, token: str | None, card_id: int, *, progress: str,
                        note: str) -> Outcome:
        return cards.report_progress(self.log, code, token, card_id, progress=progress,
                                     note=note)

    def moderate(self, code: str, token: str | None, card_id: int, *, hidden: bool | None,
                 spotlight: bool | None) -> Outcome:
        return cards.moderate(self.log, code, token, card_id, hidden=hidden,
                              spotlight=spotlight)

    # --- the run sheet -------------------------------------------------------------------

    def run_sheet(self, code: str, token: str | None) -> JSON:
        return runsheet.run_sheet(self.log, code, token)

    def plan_step(self, code: str, token: str | None, **asked: Any) -> Outcome:
        return runsheet.plan_step(self.log, code, token, **asked)

    def change_step(self, code: str, token: str | None, step_id: int,
                    **changes: Any) -> Outcome:
        return runsheet.change_step(self.log, code, token, step_id, **changes)

    def remove_step(self, code: str, token: str | None, step_id: int) -> Outcome:
        return runsheet.remove_step(self.log, code, token, step_id)

    def reorder_steps(self, code: str, token: str | None, order: list[int]) -> Outcome:
        return runsheet.reorder_steps(self.log, code, token, order)

    def next_step(self, code: str, token: str | None) -> Outcome:
        return runsheet.next_step(self.log, code, token)

    # --- reads: the stream (what the hub calls) and the export ---------------------------

    def snapshot(self, code: str, *, private: bool) -> JSON:
        return reads.snapshot(self.log, code, private=private)

    def events_after(self, code: str, after: int, *, private: bool,
                     limit: int | None = None) -> tuple[list[JSON], int]:
        return reads.events_after(self.log, code, after, private=private, limit=limit)

    def room_seq(self, code: str) -> int:
        return reads.room_seq(self.log, code)

    def room_seqs(self, codes: list[str]) -> dict[str, int]:
        return reads.room_seqs(self.log, codes)

    def progress_history(self, code: str, token: str | None) -> list[JSON]:
        return reads.progress_history(self.log, code, token)

    def export_log(self, code: str, token: str | None, *, history: bool = False) -> JSON:
        return reads.export_log(self.log, code, token, history=history)

    def authorise(self, code: str, token: str | None, roles: Iterable[Role]) -> Actor:
        return reads.authorise(self.log, code, token, roles)
