"""WebSocket client worker processes: many connections each, as little work per frame as
possible, so that the harness takes few CPU cycles from the server it measures.

Each connection is a bare asyncio Protocol speaking just enough RFC 6455: the upgrade
request, walking frame headers, answering pings, noticing a close. Text frames are not
decoded or parsed: a card is found by its marker at the start of its text
(`"text":"bk0000123 …`, which every target echoes in the card JSON; the client_id, which
carried it before, is no longer in Askroom's public views) with `bytearray.find`, and
the arrival time is taken once per TCP read (`time.monotonic()` is one clock for every
process on Linux). Arrivals are kept in one `array('d')` per client, indexed by card
number, and handed to the parent in one message at the end.

Protocol with the parent (a multiprocessing Pipe):
  worker -> ("connected", ok, failed, seconds)
  parent -> ("storm", start, spread)     every client drops and reconnects with `after`
  parent -> ("finish", ok_cards, deadline)  wait for those cards (until deadline), report
  worker -> ("results", {...})
"""

from __future__ import annotations

import asyncio
import base64
import contextlib
import os
import random
import resource
import socket
import time
from array import array
from collections import Counter
from dataclasses import dataclass
from multiprocessing.connection import Connection

MARK = b'"text":"bk'
DIGITS = 7
# The last event frame in a text frame (a batch holds several): `after` for a resume.
EVENT_SEQ = b'{"type":"event","seq":'
SNAPSHOT_SEQ = b'{"type":"snapshot","seq":'

PONG, CLOSE = 0x8A, 0x88
MAX_RESUMES = 5  # per client: a server that keeps closing must not make a loop


def marker(index: int) -> str:
    """Card `index`'s marker, as the clients look for it (its client_id, and its text's
    first word)."""
    return f"bk{index:0{DIGITS}d}"


@dataclass(frozen=True)
class WorkerConfig:
    ports: list[int]  # client i connects to ports[i % len(ports)] (several servers)
    path: str  # /ws/rooms/CODE
    count: int  # measured clients
    stalled: int  # extra clients that stop reading after the handshake
    cards: int  # card indices 0..cards-1 may arrive
    resume: bool  # reconnect with after=<last seq> when the server closes (app only)
    connect_concurrency: int = 100
    connect_timeout: float = 60.0
    seed: int = 0


class Client:
    """One viewer: its arrivals survive its reconnections."""

    __slots__ = ("index", "port", "arr", "last_seq", "conn", "closes", "resumes", "drop_at",
                 "back_at", "stalled")

    def __init__(self, index: int, port: int, cards: int, stalled: bool) -> None:
        self.index = index
        self.port = port
        self.arr = array("d", bytes(8 * cards))  # 0.0: not (yet) arrived
        self.last_seq = -1
        self.conn: Conn | None = None
        self.closes: list[int] = []
        self.resumes = 0
        self.drop_at = 0.0
        self.back_at = 0.0
        self.stalled = stalled


class Tally:
    """Worker-wide counters, bumped from data_received."""

    __slots__ = ("got", "dups", "running", "resume")

    def __init__(self, resume: bool) -> None:
        self.got = 0
        self.dups = 0
        self.running = True
        self.resume = resume


class Conn(asyncio.Protocol):
    """One TCP connection of a client."""

    def __init__(self, client: Client, request: bytes, opened: asyncio.Future[None],
                 tally: Tally) -> None:
        self.client = client
        self.arr = client.arr
        self.request = request
        self.opened = opened
        self.tally = tally
        self.transport: asyncio.Transport | None = None
        self.buf = bytearray()
        self.upgraded = False
        self.closed = False
        self.server_closed = False

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self.transport = transport  # type: ignore[assignment]
        self.transport.write(self.request)  # type: ignore[union-attr]

    def connection_lost(self, exc: Exception | None) -> None:
        self.closed = True
        if not self.opened.done():
            self.opened.set_exception(ConnectionError("closed during the handshake"))
        elif not self.server_closed and self.client.conn is self:
            self.client.closes.append(1006)  # lost without a close frame
            _maybe_resume(self.client, self.tally)

    def data_received(self, data: bytes) -> None:
        now = time.monotonic()
        if not self.upgraded:
            self.buf += data
            end = self.buf.find(b"\r\n\r\n")
            if end < 0:
                return
            if not self.buf.startswith(b"HTTP/1.1 101"):
                self.opened.set_exception(ConnectionError(bytes(self.buf[:40]).decode()))
                self.transport.close()  # type: ignore[union-attr]
                return
            self.upgraded = True
            data = bytes(self.buf[end + 4:])
            self.buf = bytearray()
            self.opened.set_result(None)
            if self.client.stalled:  # keep what came with the 101, read nothing more
                self.buf = bytearray(data)
                self.transport.pause_reading()  # type: ignore[union-attr]
                return
            if not data:
                return
        buf = self.buf
        if buf:
            buf += data
            data = buf  # type: ignore[assignment]
        n = len(data)
        pos = 0
        while n - pos >= 2:
            length = data[pos + 1] & 0x7F
            start = pos + 2
            if length == 126:
                if n - pos < 4:
                    break
                length = (data[pos + 2] << 8) | data[pos + 3]
                start = pos + 4
            elif length == 127:
                if n - pos < 10:
                    break
                length = int.from_bytes(data[pos + 2:pos + 10], "big")
                start = pos + 10
            end = start + length
            if end > n:
                break
            opcode = data[pos] & 0x0F
            if opcode <= 2:
                self._scan(data, start, end, now)
            elif opcode == 9:  # ping: a client that does not answer is dropped
                self._send(PONG, bytes(data[start:end]))
            elif opcode == 8:
                code = int.from_bytes(data[start:start + 2], "big") if length >= 2 else 1005
                self._server_close(code)
                return
            pos = end
        if pos == n:
            self.buf = bytearray()
        elif data is buf:
            del buf[:pos]
        else:
            self.buf = bytearray(data[pos:])

    def _scan(self, data: bytes, start: int, end: int, now: float) -> None:
        arr = self.arr
        i = data.find(MARK, start, end)
        while i >= 0:
            j = i + len(MARK)
            k = int(data[j:j + DIGITS])
            if k < len(arr):
                if arr[k] == 0.0:
                    arr[k] = now
                    self.tally.got += 1
                else:
                    self.tally.dups += 1  # the stream promises each event once
            i = data.find(MARK, j + DIGITS, end)
        if self.tally.resume:
            self._note_seq(data, start, end)

    def _note_seq(self, data: bytes, start: int, end: int) -> None:
        i = data.rfind(EVENT_SEQ, start, end)
        if i >= 0:
            i += len(EVENT_SEQ)
        elif data.startswith(SNAPSHOT_SEQ, start):
            i = start + len(SNAPSHOT_SEQ)
        else:
            return
        j = data.find(b",", i, end)
        self.client.last_seq = int(data[i:j])

    def _send(self, opcode: int, payload: bytes) -> None:
        # Client frames must be masked; a zero mask leaves the payload as it is.
        if self.transport is not None and not self.transport.is_closing():
            self.transport.write(bytes((opcode, 0x80 | len(payload))) + b"\0\0\0\0" + payload)

    def _server_close(self, code: int) -> None:
        self.server_closed = True
        self.client.closes.append(code)
        self._send(CLOSE, code.to_bytes(2, "big"))
        self.transport.close()  # type: ignore[union-attr]
        if self.client.conn is self:
            _maybe_resume(self.client, self.tally)

    def leave(self) -> None:
        """The client goes: a close frame, then the TCP close."""
        self.server_closed = True  # not the server's doing: no resume
        self._send(CLOSE, (1000).to_bytes(2, "big"))
        if self.transport is not None:
            self.transport.close()


# --- opening and resuming ------------------------------------------------------------------

_config: WorkerConfig | None = None
_gate: asyncio.Semaphore | None = None


def _request(port: int, path: str) -> bytes:
    key = base64.b64encode(os.urandom(16)).decode()
    return (f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nUpgrade: websocket\r\n"
            f"Connection: Upgrade\r\nSec-WebSocket-Key: {key}\r\n"
            "Sec-WebSocket-Version: 13\r\n\r\n").encode()


async def _open(client: Client, tally: Tally, after: int | None = None) -> None:
    assert _config is not None and _gate is not None
    loop = asyncio.get_running_loop()
    path = _config.path if after is None else f"{_config.path}?after={after}"
    async with _gate:
        opened: asyncio.Future[None] = loop.create_future()
        conn = Conn(client, _request(client.port, path), opened, tally)
        client.conn = conn
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        if client.stalled:  # a phone that stops reading: let the server's buffers fill soon
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
        sock.setblocking(False)
        try:
            async with asyncio.timeout(_config.connect_timeout):
                await loop.sock_connect(sock, ("127.0.0.1", client.port))
                await loop.create_connection(lambda: conn, sock=sock)
                await opened
        except BaseException:
            sock.close()
            raise


def _maybe_resume(client: Client, tally: Tally) -> None:
    """The server closed the stream (too slow, going away): come back with `after`."""
    if not (tally.running and tally.resume) or client.resumes >= MAX_RESUMES:
        return
    client.resumes += 1
    loop = asyncio.get_running_loop()
    delay = 0.1 + random.random() * 0.4
    loop.call_later(delay, lambda: loop.create_task(_resume(client, tally)))


async def _resume(client: Client, tally: Tally) -> None:
    with contextlib.suppress(Exception):
        await _open(client, tally, after=max(client.last_seq, 0))


async def _bounce(client: Client, tally: Tally) -> None:
    """The reconnect storm: drop the connection, come straight back with `after`."""
    if client.conn is None or client.conn.closed:
        return
    client.drop_at = time.monotonic()
    client.conn.leave()
    with contextlib.suppress(Exception):
        await _open(client, tally, after=max(client.last_seq, 0))
        client.back_at = time.monotonic()


# --- the worker process --------------------------------------------------------------------


def main(pipe: Connection, config: WorkerConfig, first_index: int) -> None:
    """Process entry point."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
    try:
        import uvloop
        uvloop.run(_work(pipe, config, first_index))
    except KeyboardInterrupt:
        pass


async def _work(pipe: Connection, config: WorkerConfig, first_index: int) -> None:
    global _config, _gate
    _config, _gate = config, asyncio.Semaphore(config.connect_concurrency)
    random.seed(config.seed)
    tally = Tally(config.resume)
    n = config.count + config.stalled
    clients = [Client(i, config.ports[(first_index + i) % len(config.ports)], config.cards,
                      stalled=i >= config.count) for i in range(n)]
    started = time.monotonic()
    # The stalled clients join first: in a server that keeps one list of sockets they then
    # sit ahead of the others, as a phone that joined early and went to sleep would.
    stalled = clients[config.count:]
    opened = await asyncio.gather(*(_open(c, tally) for c in stalled), return_exceptions=True)
    opened += await asyncio.gather(*(_open(c, tally) for c in clients[:config.count]),
                                   return_exceptions=True)
    failed = sum(isinstance(o, BaseException) for o in opened)
    pipe.send(("connected", n - failed, failed, time.monotonic() - started))

    loop = asyncio.get_running_loop()
    commands: asyncio.Queue[tuple] = asyncio.Queue()
    loop.add_reader(pipe.fileno(), lambda: commands.put_nowait(pipe.recv()))
    measured = clients[:config.count]
    storm: list[asyncio.Task[None]] = []
    while True:
        command = await commands.get()
        if command[0] == "storm":
            _, start, spread = command
            for c in measured:
                delay = max(0.0, start + random.random() * spread - time.monotonic())
                loop.call_later(delay, lambda c=c: storm.append(
                    loop.create_task(_bounce(c, tally))))
        elif command[0] == "finish":
            _, ok_cards, deadline = command
            await _wait_for(measured, tally, ok_cards, deadline)
            break
        else:  # "stop"
            break
    loop.remove_reader(pipe.fileno())
    os.set_blocking(pipe.fileno(), True)  # the loop made it non-blocking; results are large
    tally.running = False
    stalled_closes = await _stalled_fate(clients[config.count:])
    for c in clients:
        if c.conn is not None and not c.conn.closed:
            c.conn.transport.close()  # type: ignore[union-attr]
    pipe.send(("results", {
        "arrivals": b"".join(c.arr.tobytes() for c in measured),
        "drop_at": array("d", (c.drop_at for c in measured)).tobytes(),
        "back_at": array("d", (c.back_at for c in measured)).tobytes(),
        "closes": dict(Counter(code for c in measured for code in c.closes)),
        "resumes": sum(c.resumes for c in measured),
        "dups": tally.dups,
        "stalled_closes": stalled_closes,
        "cpu_s": sum(resource.getrusage(resource.RUSAGE_SELF)[:2]),
    }))
    await asyncio.sleep(0.2)  # let the close frames go out


async def _wait_for(clients: list[Client], tally: Tally, ok_cards: list[int],
                    deadline: float) -> None:
    """Until every client has every card that was posted, or the deadline."""
    need = len(clients) * len(ok_cards)
    while time.monotonic() < deadline:
        if tally.got >= need and all(c.arr[k] for c in clients for k in ok_cards):
            return
        await asyncio.sleep(0.05 if tally.got < need else 0.5)


async def _stalled_fate(stalled: list[Client]) -> dict[str, int]:
    """Did the server drop the clients that stopped reading? Read again and see."""
    if not stalled:
        return {}
    for c in stalled:
        if c.conn is not None and not c.conn.closed:
            c.stalled = False
            c.conn.transport.resume_reading()  # type: ignore[union-attr]
    await asyncio.sleep(3.0)  # time to read what the server had buffered for them
    return dict(Counter(str(c.closes[0]) if c.closes else "lost" if c.conn.closed else "open"
                        for c in stalled if c.conn is not None))
