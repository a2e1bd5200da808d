"""The transport seam (app/rooms/live/transport.py): frame bytes as the websockets library
reads them, and a direct link to the socket under uvicorn's sans-I/O protocol, with the
queued fallback (no link) under any other. Real uvicorn servers on loopback, a real
websockets client."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator
from typing import Any

import pytest
import uvicorn
from starlette.types import Receive, Scope, Send
from websockets.asyncio.client import connect
from websockets.frames import Frame, Opcode
from websockets.streams import StreamReader

from app.rooms.live.transport import DirectLink, KeepProtocol, Wire, link_for, text_frame
from tests.server import free_port


@pytest.mark.parametrize("size", [0, 1, 125, 126, 65535, 65536, 300_000])
def test_a_text_frame_reads_back_as_the_same_payload(size: int) -> None:
    payload = b"a" * size
    reader = StreamReader()
    reader.feed_data(text_frame(payload))
    parser = Frame.parse(reader.read_exact, mask=False)
    with pytest.raises(StopIteration) as parsed:
        next(parser)
    frame = parsed.value.value
    assert (frame.opcode, frame.fin, frame.data) == (Opcode.TEXT, True, payload)


def test_a_wire_builds_its_frame_once_and_its_text_on_demand() -> None:
    wire = Wire(b'{"type":"event","seq":1}')
    assert wire.frame is wire.frame
    assert wire.frame == text_frame(wire.json)
    assert wire.text == '{"type":"event","seq":1}'


def test_no_protocol_or_an_unknown_one_means_the_queued_fallback() -> None:
    assert link_for({"type": "websocket"}) is None
    assert link_for({"type": "websocket", "askroom.protocol": object()}) is None


class _Recorder:
    """An ASGI app that accepts a socket, writes one frame through whatever link it gets,
    and notes that link."""

    def __init__(self) -> None:
        self.links: list[DirectLink | None] = []
        self.protocols: list[Any] = []

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "websocket":
            return
        await receive()  # websocket.connect
        await send({"type": "websocket.accept"})
        link = link_for(scope)
        self.links.append(link)
        self.protocols.append(scope.get("askroom.protocol"))
        if link is not None:
            assert link.buffered() == 0
            assert link.write(text_frame(b'{"via":"link"}'))
        else:
            await send({"type": "websocket.send", "text": '{"via":"send"}'})
        while (await receive())["type"] != "websocket.disconnect":
            pass


@contextlib.asynccontextmanager
async def _serving(app: _Recorder, ws: str) -> AsyncIterator[int]:
    port = free_port()
    server = uvicorn.Server(uvicorn.Config(KeepProtocol(app), host="127.0.0.1", port=port,
                                           ws=ws, lifespan="off", log_level="warning"))
    task = asyncio.create_task(server.serve())
    while not server.started:
        await asyncio.sleep(0.01)
    try:
        yield port
    finally:
        server.should_exit = True
        await task


async def test_under_the_sans_io_protocol_frames_go_straight_to_the_transport() -> None:
    app = _Recorder()
    async with _serving(app, "websockets-sansio") as port, \
            connect(f"ws://127.0.0.1:{port}/") as client:
        assert await asyncio.wait_for(client.recv(), 5) == '{"via":"link"}'
        await client.ping()  # the socket lives on without the handshake's request
    assert isinstance(app.links[0], DirectLink)
    assert app.protocols[0].request is None and app.protocols[0].response is None


# uvicorn's other WebSocket implementation (on websockets' legacy one) is deprecated.
@pytest.mark.filterwarnings("ignore::DeprecationWarning",
                            "ignore::uvicorn.config.UvicornDeprecationWarning")
async def test_under_another_protocol_frames_go_through_send() -> None:
    app = _Recorder()
    async with _serving(app, "websockets") as port, \
            connect(f"ws://127.0.0.1:{port}/") as client:
        assert await asyncio.wait_for(client.recv(), 5) == '{"via":"send"}'
    assert app.links == [None]
