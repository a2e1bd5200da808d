"""The stream under a server that is not `askroom serve`: bare uvicorn with its legacy
`websockets` implementation, whose sockets the hub cannot write to directly. Each socket
then has an outbox and a writer task of its own (app/rooms/live/hub.py Subscriber); the
contract (SPEC §4) is the same: each event once, in order, batches flattened, resumable.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests.attack.conftest import open_stream, seqs
from tests.meeting import Meeting
from tests.server import Server


@pytest.fixture(scope="module")
def queued_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    running = Server(tmp_path_factory.mktemp("queued") / "askroom.db",
                     uvicorn_ws="websockets").start()
    yield running
    running.stop()


async def test_every_event_reaches_every_stream_once_in_order_and_resumes(
        queued_server: Server, tmp_path: Path) -> None:
    with httpx.Client(base_url=queued_server.url, timeout=10) as http:
        meeting = Meeting.open(http, "Partnership board", "Join things up")
        sam = meeting.join("Sam", "Council")
        async with open_stream(queued_server, meeting.code) as one, \
                open_stream(queued_server, meeting.code) as two:
            start = (await one.snapshot())["seq"]
            assert (await two.snapshot())["seq"] == start
            texts = [f"Ask number {n}" for n in range(40)]
            for text in texts:  # quickly: the writer tasks coalesce what piles up
                assert meeting.post(sam, "ask", text).status_code == 201
            last = start + len(texts)
            for stream in (one, two):
                events = await stream.events_through(last)
                assert seqs(events) == list(range(start + 1, last + 1))
                assert [e["data"]["card"]["text"] for e in events] == texts
            hidden = meeting.card(sam, "ask", "Hide me")
            assert http.patch(meeting.url(f"/cards/{hidden['id']}"), json={"hidden": True},
                              headers=meeting.facilitator).status_code == 200
        # Resuming after the 10th card replays the rest, the hidden card as a stub.
        async with open_stream(queued_server, meeting.code, after=start + 10) as again:
            replayed = await again.events_through(last + 2)
            assert seqs(replayed) == list(range(start + 11, last + 3))
            stub = replayed[-2]["data"]["card"]
            assert stub["hidden"] is True and "text" not in stub
