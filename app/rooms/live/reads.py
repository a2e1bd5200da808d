"""What the live half reads from the log: the seam, as a protocol, so that `live/` needs
nothing of `log/` (the layers contract in pyproject.toml). The log's RoomService is the
one implementation; the hub calls these in a worker thread, never on the event loop."""

from __future__ import annotations

from typing import Any, Protocol

JSON = dict[str, Any]


class Reads(Protocol):
    def snapshot(self, code: str, *, private: bool) -> JSON:
        """The whole room at one seq (`seq` in it), as the viewer may see it."""
        ...

    def events_after(self, code: str, after: int, *, private: bool,
                     limit: int | None = None) -> tuple[list[JSON], int]:
        """Event frames with seq > after, in order, and the room's seq; `Refusal` if the
        room is gone."""
        ...

    def room_seq(self, code: str) -> int:
        """The room's latest seq; `Refusal` if there is no such room."""
        ...

    def room_seqs(self, codes: list[str]) -> dict[str, int]:
        """The latest seq of each of these rooms that still exists."""
        ...
