"""Two `askroom serve` processes on one PostgreSQL database and one Redis: the scale-out
of SPEC §8, with real servers on loopback."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from tests.server import Server
from tests.services import RedisServer


def migrate(database_url: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "app.cli", "migrate"],
                          env={**os.environ, "ASKROOM_DATABASE_URL": database_url},
                          capture_output=True, text=True, timeout=60, check=False)


@pytest.fixture
def cluster(tmp_path: Path, postgres_url: str,
            redis_server: RedisServer) -> Iterator[Callable[..., tuple[Server, Server]]]:
    """Start two processes (A and B) on a fresh, migrated PostgreSQL database and Redis."""
    started: list[Server] = []

    def start(redis: RedisServer = redis_server) -> tuple[Server, Server]:
        assert migrate(postgres_url).returncode == 0
        env = {"ASKROOM_DATABASE_URL": postgres_url, "ASKROOM_REDIS_URL": redis.url,
               "ASKROOM_SWEEP_S": "1"}
        for name in ("a", "b"):
            started.append(Server(tmp_path / f"{name}.db", env=env,
                                  log_path=tmp_path / f"{name}.log").start())
        return started[-2], started[-1]

    yield start
    for server in started:
        server.stop()
