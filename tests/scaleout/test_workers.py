"""`askroom serve --workers N`: N processes on one port, events crossing through Redis."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
import time
from contextlib import AsyncExitStack
from pathlib import Path

import httpx
from websockets.asyncio.client import connect

from tests.meeting import Meeting
from tests.scaleout.conftest import migrate
from tests.server import RELAXED_LIMITS, free_port
from tests.services import RedisServer
from tests.stream import Stream


def test_more_than_one_worker_without_redis_is_refused(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "app.cli", "serve", "--workers", "2", "--port",
         str(free_port())],
        env={**os.environ, "ASKROOM_DATABASE_URL": f"sqlite:///{tmp_path / 'a.db'}"},
        capture_output=True, text=True, timeout=30, check=False)
    assert result.returncode == 2
    assert "ASKROOM_REDIS_URL" in result.stderr


async def test_two_workers_on_one_port_serve_one_room_together(
        postgres_url: str, redis_server: RedisServer, tmp_path: Path) -> None:
    assert migrate(postgres_url).returncode == 0
    port = free_port()
    env = {**os.environ, **RELAXED_LIMITS, "ASKROOM_DATABASE_URL": postgres_url,
           "ASKROOM_REDIS_URL": redis_server.url}
    with (tmp_path / "serve.log").open("wb") as log:
        process = subprocess.Popen(
            [sys.executable, "-m", "app.cli", "serve", "--workers", "2", "--port", str(port),
             "--log-level", "warning"], env=env, stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                if httpx.get(f"{url}/readyz").status_code == 200:
                    break
            except httpx.TransportError:
                pass
            assert time.monotonic() < deadline, "workers did not start"
            await asyncio.sleep(0.1)
        with httpx.Client(base_url=url, timeout=10) as http:
            meeting = Meeting.open(http)
            sam = meeting.join("Sam", "Work Programme")
            async with AsyncExitStack() as stack:
                # Several sockets: the kernel hands them to whichever worker accepts first.
                streams = [Stream(await stack.enter_async_context(
                    connect(f"ws://127.0.0.1:{port}/ws/rooms/{meeting.code}")))
                    for _ in range(8)]
                start = {(await s.snapshot())["seq"] for s in streams}
                assert len(start) == 1
                first = start.pop()
                for n in range(10):
                    await asyncio.to_thread(meeting.card, sam, "ask", f"ask {n}")
                for stream in streams:
                    seqs = [(await stream.event(10))["seq"] for _ in range(10)]
                    assert seqs == list(range(first + 1, first + 11))
    finally:
        process.terminate()
        process.wait(20)
