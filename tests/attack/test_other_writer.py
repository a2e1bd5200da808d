"""Another process holding SQLite's write lock (a second server on the same file, a
backup tool, an admin with the sqlite3 shell): a write must wait for it without holding up
anything else. Writes run on the event loop when SQLite is free (app/db.py run_write);
this is the case where it is not.
"""

from __future__ import annotations

import sqlite3
import threading

import httpx

from tests.attack.conftest import open_stream
from tests.meeting import Meeting
from tests.server import Server


async def test_a_post_waits_for_another_writer_while_the_server_goes_on_answering(
        server: Server, http: httpx.Client) -> None:
    meeting = Meeting.open(http, "Partnership board", "Join things up")
    sam = meeting.join("Sam", "Council")
    async with open_stream(server, meeting.code) as stream:
        seq = (await stream.snapshot())["seq"]
        other = sqlite3.connect(server.db_path, isolation_level=None)
        other.execute("BEGIN IMMEDIATE")  # the write lock, held by someone else
        answers: list[httpx.Response] = []
        posting = threading.Thread(target=lambda: answers.append(
            meeting.post(sam, "ask", "Who can lend us a minibus on Friday?")))
        try:
            posting.start()
            posting.join(0.5)
            assert not answers, "the post cannot have been written while the lock is held"
            # Meanwhile the server answers reads, pages and health checks, and accepts
            # streams (a loop stuck waiting for the lock would answer none of these).
            with httpx.Client(base_url=server.url, timeout=5) as probe:
                assert probe.get("/healthz").status_code == 200
                assert probe.get(meeting.url("/cards")).json() == []
                assert probe.get(f"/r/{meeting.code}/board").status_code == 200
            async with open_stream(server, meeting.code) as late:
                assert (await late.snapshot())["seq"] == seq
            assert not answers
        finally:
            other.execute("COMMIT")
            other.close()
        posting.join(30)
        (answer,) = answers
        assert answer.status_code == 201, answer.text
        (event,) = await stream.events_through(seq + 1)
        assert event["data"]["card"]["text"] == "Who can lend us a minibus on Friday?"
