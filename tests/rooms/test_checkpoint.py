"""SQLite's log (WAL) is copied into the database file by the server in the background,
not inside whichever post fills the log (3-4 ms every ~150 cards, measured in bench/).

The wal-index (the `-shm` file, https://www.sqlite.org/walformat.html) says how far that
has gone: mxFrame, the last frame in the log, and nBackfill, the frames copied back.
"""

from __future__ import annotations

import struct
import time
from pathlib import Path

import httpx

from tests.meeting import Meeting
from tests.server import Server


def log_frames(db_path: Path) -> tuple[int, int]:
    """(frames in the log, frames copied into the database), from the wal-index header."""
    header = Path(f"{db_path}-shm").read_bytes()[:136]
    (last,) = struct.unpack_from("=I", header, 16)  # mxFrame, native byte order
    (copied,) = struct.unpack_from("=I", header, 96)  # nBackfill, in the checkpoint info
    return last, copied


def test_what_posts_write_is_checkpointed_in_the_background(
        server: Server, http: httpx.Client) -> None:
    meeting = Meeting.open(http, "Partnership board", "Join things up")
    sam = meeting.join("Sam", "Council")
    for n in range(20):  # a few dozen pages: far from SQLite's own checkpoint
        assert meeting.post(sam, "ask", f"Ask number {n}").status_code == 201
    deadline = time.monotonic() + 10
    while True:
        last, copied = log_frames(server.db_path)
        if last > 0 and copied == last:
            break
        assert time.monotonic() < deadline, f"{copied} of {last} frames copied back"
        time.sleep(0.1)
