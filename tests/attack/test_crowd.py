"""A thousand phones on one room (SPEC §4, §9: one room, 1,000 clients, every card
delivered to every client).

1,000 WebSocket clients connect to one room, at most 100 handshakes at a time; each must
get its snapshot, and then a card posted once they are all in must reach every one of
them. The clients do as little as they can (no pings, no compression) so that, on two
cores shared with the server, the test measures the server and not itself.
"""

from __future__ import annotations

import asyncio
import json
import resource
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from websockets.asyncio.client import ClientConnection, connect

from tests.meeting import Meeting
from tests.server import Server
from tests.stream import stream_url

CLIENTS = 1000
HANDSHAKES_AT_ONCE = 100
FILES_NEEDED = 2 * CLIENTS + 1000  # both ends when the server inherits the limit, and slack


@pytest.fixture
def crowd_server(tmp_path: Path) -> Iterator[Server]:
    """A server of its own, started after this process may open enough sockets: the
    server inherits the limit, and needs one file per client too."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft < FILES_NEEDED:
        if hard != resource.RLIM_INFINITY and hard < FILES_NEEDED:
            pytest.fail(f"{CLIENTS} clients need {FILES_NEEDED} open files; the limit is {hard}")
        resource.setrlimit(resource.RLIMIT_NOFILE, (FILES_NEEDED, hard))
    running = Server(tmp_path / "askroom.db").start()
    try:
        yield running
    finally:
        running.stop()
        resource.setrlimit(resource.RLIMIT_NOFILE, (soft, hard))


async def _join_the_crowd(url: str, gate: asyncio.Semaphore) -> tuple[ClientConnection, int]:
    async with gate:
        ws = await connect(url, open_timeout=30, close_timeout=1, ping_interval=None,
                           compression=None, max_size=2**20)
        try:
            snapshot = json.loads(await asyncio.wait_for(ws.recv(), 30))
        except BaseException:
            ws.transport.abort()
            raise
    assert snapshot["type"] == "snapshot", snapshot
    return ws, snapshot["seq"]


async def _card_arrives(ws: ClientConnection, card_id: int) -> None:
    while True:
        frame = json.loads(await ws.recv())
        events = frame["events"] if frame["type"] == "batch" else [frame]
        if any(e["event"] == "card.created" and e["data"]["card"]["id"] == card_id
               for e in events):
            return


async def test_a_thousand_clients_each_get_the_snapshot_and_the_next_card(
        crowd_server: Server) -> None:
    server = crowd_server
    with httpx.Client(base_url=server.url, timeout=30) as http:
        meeting = Meeting.open(http, "Town hall", "Everyone in one room")
        speaker = meeting.join("Ali", "Council")
        meeting.card(speaker, "ask", "Who can help with winter beds?")
        seq = int(http.get(meeting.url()).json()["seq"])

        gate = asyncio.Semaphore(HANDSHAKES_AT_ONCE)
        url = stream_url(server, meeting.code)
        joining = [asyncio.create_task(_join_the_crowd(url, gate)) for _ in range(CLIENTS)]
        try:
            _done, pending = await asyncio.wait(joining, timeout=40)
            assert not pending, f"{len(pending)} of {CLIENTS} clients could not get in"
            crowd = [task.result() for task in joining]
            assert {snapshot_seq for _ws, snapshot_seq in crowd} == {seq}

            card = await asyncio.to_thread(meeting.card, speaker, "offer", "Ten beds, tonight")
            arrivals = [asyncio.create_task(asyncio.wait_for(_card_arrives(ws, card["id"]), 30))
                        for ws, _seq in crowd]
            results = await asyncio.gather(*arrivals, return_exceptions=True)
            missed = [r for r in results if isinstance(r, BaseException)]
            assert not missed, f"{len(missed)} clients never got the card: {missed[:3]!r}"
        finally:
            for task in joining:
                task.cancel()
            opened = [task.result()[0] for task in joining
                      if task.done() and not task.cancelled() and task.exception() is None]
            await asyncio.wait_for(asyncio.gather(*(ws.close() for ws in opened),
                                                  return_exceptions=True), 30)
