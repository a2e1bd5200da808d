"""A real Askroom server for tests: `askroom serve` in its own process on a free
loopback port, on a SQLite file the test owns."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


# Most tests act for a whole room from one address and one token at machine speed; the
# rate-limit tests start servers with the real limits (`Server(..., env=REAL_LIMITS)`).
RELAXED_LIMITS = {"ASKROOM_RATE_CARDS": "100000/second", "ASKROOM_RATE_ROOMS": "100000/second",
                  "ASKROOM_RATE_JOINS": "100000/second", "ASKROOM_RATE_MISSES": "100000/second",
                  "ASKROOM_RATE_PROGRESS": "100000/second",
                  "ASKROOM_SOCKETS_PER_ADDRESS": "100000"}
REAL_LIMITS = dict.fromkeys(RELAXED_LIMITS, "")


class Server:
    def __init__(self, db_path: Path, env: dict[str, str] | None = None,
                 log_path: Path | None = None, log_level: str = "warning",
                 uvicorn_ws: str | None = None) -> None:
        self.db_path = db_path
        self.log_level = log_level
        # Set: not `askroom serve` but bare uvicorn with this WebSocket implementation, as
        # someone who runs the app under their own server gets.
        self.uvicorn_ws = uvicorn_ws
        self.port = free_port()
        merged = {**os.environ, "ASKROOM_DATABASE_URL": f"sqlite:///{db_path}",
                  **RELAXED_LIMITS, **(env or {})}
        # An empty value means: leave the setting at the server's own default.
        self.env = {name: value for name, value in merged.items() if value != ""}
        self.log_path = log_path or db_path.with_suffix(".log")
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def ws_url(self) -> str:
        return f"ws://127.0.0.1:{self.port}"

    def start(self, timeout: float = 20.0) -> Server:
        with self.log_path.open("ab") as log:  # the child keeps its own copy of the fd
            command = ["app.cli", "serve"] if self.uvicorn_ws is None else [
                "uvicorn", "app.main:create_app", "--factory", "--ws", self.uvicorn_ws]
            self.process = subprocess.Popen(
                [sys.executable, "-m", *command, "--port", str(self.port),
                 "--log-level", self.log_level],
                env=self.env, stdout=log, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"server exited: {self.log_path.read_text()[-2000:]}")
            try:
                if httpx.get(f"{self.url}/healthz", timeout=1).status_code == 200:
                    return self
            except httpx.TransportError:
                pass
            time.sleep(0.05)
        raise RuntimeError("server did not start in time")

    def stop(self, sig: int = signal.SIGTERM) -> None:
        if self.process is None:
            return
        if self.process.poll() is None:
            self.process.send_signal(sig)
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(5)
        self.process = None

    def kill(self) -> None:
        """kill -9: no shutdown, no flushing."""
        self.stop(signal.SIGKILL)

    def restart(self) -> Server:
        self.stop()
        return self.start()
