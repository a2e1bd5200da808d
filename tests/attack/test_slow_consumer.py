"""A client that stops reading (SPEC §4: "A client too slow to keep up is dropped rather
than allowed to delay anyone else"; STYLE: bounded queues, never unbounded).

One stream client does the WebSocket handshake on a raw TCP socket with a tiny receive
buffer and then never reads; another reads everything. Then one request is answered
again and again with long notes, so every card.updated frame carries the whole card with
all its answers and the frames grow: some 20 MB is pushed at the stalled socket. The
reader must get every event promptly, the stalled socket must be closed by the server,
and the server's memory must not grow with what it could not send.
"""

from __future__ import annotations

import asyncio
import json
import socket
import time
from dataclasses import dataclass, field
from pathlib import Path

import httpx
from websockets.client import ClientProtocol
from websockets.frames import Frame as WebSocketFrame
from websockets.frames import Opcode
from websockets.protocol import State
from websockets.uri import parse_uri

from tests.attack.conftest import WAIT, Frame, Stream, open_stream, seqs, vm_rss_bytes
from tests.meeting import Meeting
from tests.server import Server
from tests.stream import stream_url

ANSWERS = 880
PER_REQUEST = 20  # a request takes at most 20 answers
NOTE = "🩺" * 500  # 2 kB of UTF-8: a card.updated frame after n answers is some n × 2.2 kB
PROMPT_S = 2.0  # each event reaches the reader within this of its POST's answer
# The server's own RSS may grow by this much while ~20 MB is pushed at the stalled
# socket. The same traffic is sent once before measuring, so the allocator, the thread
# pool and SQLite have what it needs already; what the server then legitimately keeps is
# a replay window of 4 events (ASKROOM_REPLAY_WINDOW below: the largest frames are ~330 kB,
# ~1.5 MB with their parsed data) and allocator slack: 1-5 MB measured here. A server that
# queued what the stalled socket cannot take (an unbounded outbox, or writes that do not
# wait for the transport to drain) holds nearly all of the ~20 MB the kernel's socket
# buffers cannot: 21 MB measured here with ASKROOM_WS_SEND_BACKLOG=100000.
MAX_GROWTH = 12 * 2**20


class StalledClient:
    """The handshake, done by hand on a socket with a tiny receive buffer; then nothing is
    read until `drain`, so the server's writes pile up against it."""

    def __init__(self, server: Server, code: str) -> None:
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        # Before connect, so the window the server sees is small from the start.
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
        self.sock.settimeout(WAIT)
        self.sock.connect(("127.0.0.1", server.port))
        self.protocol = ClientProtocol(parse_uri(stream_url(server, code)), max_size=None)
        self.frames: list[Frame] = []
        self.protocol.send_request(self.protocol.connect())
        self.sock.sendall(b"".join(self.protocol.data_to_send()))
        while self.protocol.state is State.CONNECTING:
            self._take(self.sock.recv(65536))
        assert self.protocol.state is State.OPEN, self.protocol.handshake_exc

    def _take(self, data: bytes) -> None:
        if data:
            self.protocol.receive_data(data)
        else:
            self.protocol.receive_eof()
        for frame in self.protocol.events_received():  # the handshake's answer, then frames
            if isinstance(frame, WebSocketFrame) and frame.opcode is Opcode.TEXT:
                self.frames.append(json.loads(frame.data))

    def drain(self, timeout: float) -> bool:
        """Read everything that reached it, answering the closing handshake if the server
        started one; True if the server then ended the connection."""
        deadline = time.monotonic() + timeout
        try:
            while time.monotonic() < deadline:
                data = self.sock.recv(1 << 20)
                self._take(data)
                if not data:
                    return True
                self.sock.sendall(b"".join(self.protocol.data_to_send()))
        except (ConnectionResetError, BrokenPipeError):
            return True
        except TimeoutError:
            return False
        return False

    def close(self) -> None:
        self.sock.close()

    def events(self) -> list[Frame]:
        flat: list[Frame] = []
        for frame in self.frames:
            flat.extend(frame["events"] if frame["type"] == "batch" else [frame])
        return [frame for frame in flat if frame["type"] == "event"]


async def read_with_arrival_times(stream: Stream, last: int,
                                  arrived: dict[int, float]) -> None:
    while stream.last_seq < last:
        frame = await stream.next(timeout=30)
        if frame["type"] == "event":
            arrived[frame["seq"]] = time.monotonic()


@dataclass
class Round:
    """One room in which requests are answered ANSWERS times while a reader watches."""

    reader: Stream | None = None
    stalled: StalledClient | None = None
    start: int = 0
    answered: dict[int, float] = field(default_factory=dict)  # seq -> when its POST answered
    arrived: dict[int, float] = field(default_factory=dict)  # seq -> when the reader got it
    pushed: int = 0  # bytes of card JSON answered, about what each frame carried
    rss_before: int = 0
    rss_after: int = 0


async def answer_again_and_again(server: Server, *, with_stalled_client: bool) -> Round:
    played = Round()
    assert server.process is not None
    with httpx.Client(base_url=server.url, timeout=10) as http:
        meeting = Meeting.open(http, "Slow phones")
        sam, lee = meeting.join("Sam", "Work Programme"), meeting.join("Lee", "Council")
        requests = [meeting.card(sam, "request", "🚑" * 500, to_participant_id=lee.id)
                    for _ in range(ANSWERS // PER_REQUEST)]
    reply_urls = [meeting.url(f"/cards/{request['id']}/reply") for request in requests]
    if with_stalled_client:
        played.stalled = StalledClient(server, meeting.code)
    async with (httpx.AsyncClient(base_url=server.url, timeout=10) as client,
                open_stream(server, meeting.code) as reader):
        played.reader = reader
        played.start = (await reader.snapshot())["seq"]
        reading = asyncio.create_task(
            read_with_arrival_times(reader, played.start + ANSWERS, played.arrived))
        played.rss_before = vm_rss_bytes(server.process.pid)
        for n in range(ANSWERS):
            response = await client.post(reply_urls[n // PER_REQUEST],
                                         json={"answer": "try", "note": NOTE},
                                         headers=lee.auth)
            assert response.status_code == 200, response.text
            played.answered[response.json()["seq"]] = time.monotonic()
            played.pushed += len(response.content)
        await asyncio.wait_for(reading, 30)
        played.rss_after = vm_rss_bytes(server.process.pid)
    return played


async def test_a_stalled_client_is_dropped_without_delaying_others_or_growing_memory(
        tmp_path: Path) -> None:
    server = Server(tmp_path / "askroom.db", env={"ASKROOM_WS_SEND_BACKLOG": "16",
                                                  "ASKROOM_WS_SEND_BUFFER_BYTES": "262144",
                                                  "ASKROOM_REPLAY_WINDOW": "4"}).start()
    played: Round | None = None
    try:
        # The same traffic once first, with nobody stalled: the allocator, the thread pool
        # and SQLite's caches reach the size this traffic needs before memory is measured.
        await answer_again_and_again(server, with_stalled_client=False)
        played = await answer_again_and_again(server, with_stalled_client=True)
        reader, stalled, start = played.reader, played.stalled, played.start
        assert reader is not None and stalled is not None
        last = start + ANSWERS

        # The reader got every event, once, in order, each within PROMPT_S of its answer.
        assert seqs(reader.events) == list(range(start + 1, last + 1))
        late = {seq: round(played.arrived[seq] - at, 2) for seq, at in played.answered.items()
                if played.arrived[seq] - at > PROMPT_S}
        assert not late, f"events that reached the reader late (seq: seconds): {late}"

        # About 20 MB went out to each socket (the frames carry what the answers carry).
        assert played.pushed > 18 * 2**20, played.pushed
        growth = played.rss_after - played.rss_before
        assert growth < MAX_GROWTH, f"the server grew by {growth / 2**20:.1f} MB"

        # The stalled socket got a prefix of the events, and then the server closed it.
        assert stalled.drain(timeout=30), "the server never closed the stalled socket"
        if stalled.protocol.close_rcvd is not None:  # it may not fit in before the close
            assert stalled.protocol.close_rcvd.code == 1013  # "try again later"
        assert stalled.frames and stalled.frames[0]["type"] == "snapshot"
        got = seqs(stalled.events())
        assert got == list(range(start + 1, start + 1 + len(got)))
        assert len(got) < ANSWERS, "the stalled socket was sent everything: never dropped"
    finally:
        if played is not None and played.stalled is not None:
            played.stalled.close()
        server.stop()
