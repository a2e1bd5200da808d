"""The run sheet: the meeting's planned prompts, in order."""

from __future__ import annotations

from app.rooms.models import Room, RunItem
from app.rooms.rules.base import Emit, Refusal, ensure_not_closed


def plan(room: Room, sheet: list[RunItem], item: RunItem) -> list[Emit]:
    """Add a step at the end of the run sheet."""
    ensure_not_closed(room)
    assert room.id is not None
    item.room_id = room.id
    item.position = max((i.position for i in sheet), default=0) + 1
    return [Emit("runsheet.updated")]


def reorder(room: Room, sheet: list[RunItem], order: list[int]) -> list[Emit]:
    """Put the run sheet in this order; `order` must name every step exactly once."""
    ensure_not_closed(room)
    if sorted(order) != sorted(i.id for i in sheet if i.id is not None):
        raise Refusal("invalid", "order_must_name_every_step",
                      "Give the ids of every step on the run sheet, each once.")
    by_id = {i.id: i for i in sheet}
    for position, item_id in enumerate(order, start=1):
        by_id[item_id].position = position
    return [Emit("runsheet.updated")]


def next_step(sheet: list[RunItem], used: set[int]) -> RunItem | None:
    """The first step, in run-sheet order, that has not been pushed yet."""
    for item in sorted(sheet, key=lambda i: i.position):
        if item.id not in used:
            return item
    return None
