"""The one place commands run: lock the room, check who is asking, apply the rule, record
each event with the room's next seq, all in one transaction.

A command answers with its view and the recorded events; the caller publishes those after
the commit. Commands are synchronous (run them in a worker thread, or see db.run_write)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from app.db import write_session
from app.rooms import views
from app.rooms.log import commitments, lookup
from app.rooms.log.command import Log, Outcome, Transaction
from app.rooms.log.record import insert_new_cards, record, write_log
from app.rooms.rules import Emit
from app.rooms.vocab import Role

# What a command does inside its transaction: change the state through the rules, and
# return a way to build its answer (once the new rows have ids) and the events to record.
Applied = tuple[Callable[[], Any], list[Emit]]
Apply = Callable[[Transaction], Applied]


def _is_card(body: Any) -> bool:
    return isinstance(body, dict) and "kind" in body and "replies" in body


def run(log: Log, code: str, token: str | None, roles: tuple[Role, ...] | None,
        apply: Apply, *, created: bool = False) -> Outcome:
    """Run one command; `roles` None: anyone, with no credential asked (joining)."""
    with write_session(log.engine) as s:
        room = lookup.room(s, code, for_update=True)
        actor = lookup.authorise(s, room, token, roles) if roles is not None else None
        tx = Transaction(s, room, actor, log)
        answer, emits = apply(tx)
        commitments.number_new(tx, emits)
        insert_new_cards(tx, emits)
        s.flush()  # ids for new rows, before their views are taken
        events = [record(tx, emit) for emit in emits]
        if events:
            write_log(tx)
        body = answer()
    if actor is not None and actor.participant is not None and _is_card(body):
        # A participant sees a card as the room does, but for their own side.
        body = views.public_card(body, viewer=actor.participant.id)
    return Outcome(body=body, events=events, created=created)
