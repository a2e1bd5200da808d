"""Graceful shutdown: on SIGTERM the server closes streams with 1001 (so clients
reconnect at once) and finishes what it was writing."""

from __future__ import annotations

import asyncio
import signal
import threading

import httpx
from websockets.asyncio.client import connect
from websockets.exceptions import ConnectionClosed

from tests.meeting import Meeting
from tests.server import Server


async def test_sigterm_closes_every_stream_with_1001(fresh_server: Server) -> None:
    with httpx.Client(base_url=fresh_server.url) as http:
        meeting = Meeting.open(http)
    sockets = [await connect(f"{fresh_server.ws_url}/ws/rooms/{meeting.code}")
               for _ in range(3)]
    for ws in sockets:
        assert '"snapshot"' in await asyncio.wait_for(ws.recv(), 5)
    assert fresh_server.process is not None
    fresh_server.process.send_signal(signal.SIGTERM)
    for ws in sockets:
        try:
            await asyncio.wait_for(ws.recv(), 10)
        except ConnectionClosed as closed:
            assert closed.rcvd is not None and closed.rcvd.code == 1001
        else:
            raise AssertionError("the stream sent a frame instead of closing")
    await asyncio.to_thread(fresh_server.process.wait, 15)
    # uvicorn stops gracefully, then re-raises the signal it caught, as a process should.
    assert fresh_server.process.returncode in (0, -signal.SIGTERM)


def test_posts_under_way_at_sigterm_are_answered_and_kept(fresh_server: Server) -> None:
    """Every card answered 201 while the server was stopping is there after a restart."""
    with httpx.Client(base_url=fresh_server.url, timeout=10) as http:
        meeting = Meeting.open(http)
        sam = meeting.join("Sam", "Work Programme")
    accepted: list[str] = []
    stop = threading.Event()

    def post_until_refused() -> None:
        with httpx.Client(base_url=fresh_server.url, timeout=10) as client:
            poster = Meeting(client, meeting.code, meeting.facilitator_key, meeting.organiser_key)
            n = 0
            while not stop.is_set():
                n += 1
                try:
                    response = poster.post(sam, "ask", f"ask {threading.get_ident()} {n}")
                except httpx.TransportError:
                    return
                if response.status_code == 201:
                    accepted.append(response.json()["text"])

    threads = [threading.Thread(target=post_until_refused) for _ in range(4)]
    for thread in threads:
        thread.start()
    while len(accepted) < 20:
        threading.Event().wait(0.01)
    assert fresh_server.process is not None
    fresh_server.process.send_signal(signal.SIGTERM)
    fresh_server.process.wait(15)
    stop.set()
    for thread in threads:
        thread.join(10)
    fresh_server.process = None
    fresh_server.start()
    with httpx.Client(base_url=fresh_server.url) as http:
        kept = {card["text"] for card in http.get(meeting.url("/cards")).json()}
    assert set(accepted) <= kept
