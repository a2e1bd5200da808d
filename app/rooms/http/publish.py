"""A command from a route: its transaction, then its events out to every stream."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from starlette.concurrency import run_in_threadpool

from app.db import run_write
from app.rooms.live.hub import Hub
from app.rooms.log.service import Outcome, RoomService


async def run(service: RoomService, hub: Hub, call: Callable[..., Outcome], *args: Any,
              **kwargs: Any) -> Outcome:
    """A command of `service`: its transaction (on the loop when SQLite is free: see
    run_write), then, committed, its events out to every stream."""
    outcome = await run_write(service.engine, call, *args, **kwargs)
    await hub.publish(outcome.events)
    return outcome


async def run_long(hub: Hub, call: Callable[..., Outcome], *args: Any,
                   **kwargs: Any) -> Outcome:
    """A command whose work grows with the room (leaving rewrites every stored event):
    always in a worker thread, never holding up the loop."""
    outcome = await run_in_threadpool(call, *args, **kwargs)
    await hub.publish(outcome.events)
    return outcome
