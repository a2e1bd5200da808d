"""The servers under test, each in its own process on 127.0.0.1, and what /proc says
about them.

- `app`: `python -m app.cli serve` on a fresh SQLite file with relaxed rate limits;
  with `servers > 1`, that many processes on one SQLite file (WAL works across processes
  on one host) and a `redis-server` of its own, as ASKROOM_REDIS_URL.
- `app-pg`: the real scale-out set-up (SPEC §9): `servers` processes on a PostgreSQL
  cluster of their own (tests/services.py's, fsync off like the tests') and a Redis.
- `ceiling`: bench/ceiling.py, bare `websockets.broadcast`.
- `naive`: bench/naive.py, FastAPI docs' broadcast loop under uvicorn.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import httpx

from bench.machine import cpu_of, status_kib
from tests.services import PostgresServer

ROOT = Path(__file__).resolve().parent.parent
# As tests/server.py: the harness posts for a whole room from few addresses at machine speed.
RELAXED_LIMITS = {"ASKROOM_RATE_CARDS": "100000/second", "ASKROOM_RATE_ROOMS": "100000/second",
                  "ASKROOM_RATE_JOINS": "100000/second", "ASKROOM_RATE_MISSES": "100000/second",
                  "ASKROOM_RATE_PROGRESS": "100000/second",
                  "ASKROOM_SOCKETS_PER_ADDRESS": "100000"}
ROOM_CODE = "BENCH1"  # ceiling and naive accept any code


def snapshot_app(workdir: Path) -> tuple[Path, str]:
    """A copy of app/ as it is now, for every app server of this invocation: app/ may be
    edited while a benchmark runs, and runs compared with each other must measure the
    same code. Returns the directory to run from and a fingerprint of the code."""
    root = workdir / "app-snapshot"
    shutil.copytree(ROOT / "app", root / "app",
                    ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
    digest = hashlib.sha1()
    for path in sorted((root / "app").rglob("*.py")):
        digest.update(path.relative_to(root).as_posix().encode() + b"\0" + path.read_bytes())
    return root, digest.hexdigest()[:12]


def git_head() -> str:
    """The commit app/ was taken from (read only)."""
    out = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, text=True,
                         capture_output=True, check=False)
    return out.stdout.strip()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Proc:
    """A child process and its /proc figures."""

    def __init__(self, argv: list[str], env: dict[str, str], log: Path,
                 cwd: Path = ROOT) -> None:
        self.log = log
        with log.open("ab") as out:  # the child keeps its own copy of the fd
            self.popen = subprocess.Popen(argv, env=env, cwd=cwd, stdout=out,
                                          stderr=subprocess.STDOUT)
        self.pid = self.popen.pid

    def cpu_seconds(self) -> float:
        return cpu_of(self.pid)

    def status_kib(self, name: str) -> int:
        return status_kib(self.pid, name)

    def alive(self) -> bool:
        return self.popen.poll() is None

    def stop(self) -> None:
        if self.popen.poll() is None:
            self.popen.send_signal(signal.SIGTERM)
            try:
                self.popen.wait(10)
            except subprocess.TimeoutExpired:
                self.popen.kill()
                self.popen.wait(5)


@dataclass
class Target:
    name: str
    ws_ports: list[int]
    post_urls: list[str]  # base URLs the cards are posted to, round-robin
    health_urls: list[str]
    procs: list[Proc]  # the server processes measured (not redis)
    helpers: list[Proc | PostgresServer] = field(default_factory=list)
    code: str = ROOM_CODE
    tokens: list[str] = field(default_factory=lambda: ["bench"])

    def wait_ready(self, timeout: float = 30.0) -> None:
        deadline = time.monotonic() + timeout
        for url in self.health_urls:
            while True:
                if not all(p.alive() for p in self.procs):
                    tail = self.procs[0].log.read_text()[-2000:]
                    raise RuntimeError(f"{self.name} exited: {tail}")
                try:
                    if httpx.get(url, timeout=1).status_code == 200:
                        break
                except httpx.TransportError:
                    pass
                if time.monotonic() > deadline:
                    raise RuntimeError(f"{self.name} did not start in time")
                time.sleep(0.05)

    def cpu_seconds(self) -> float:
        return sum(p.cpu_seconds() for p in self.procs)

    def rss_kib(self) -> int:
        return sum(p.status_kib("VmRSS") for p in self.procs)

    def peak_rss_kib(self) -> int:
        return sum(p.status_kib("VmHWM") for p in self.procs)

    def stop(self) -> None:
        for p in [*self.procs, *self.helpers]:
            p.stop()


def start(name: str, workdir: Path, *, servers: int = 1) -> Target:
    python = sys.executable
    if name == "ceiling":
        ws, http = free_port(), free_port()
        proc = Proc([python, "-m", "bench.ceiling", "--ws-port", str(ws), "--http-port",
                     str(http)], dict(os.environ), workdir / "ceiling.log")
        base = f"http://127.0.0.1:{http}"
        target = Target(name, [ws], [base], [f"{base}/healthz"], [proc])
    elif name == "naive":
        port = free_port()
        proc = Proc([python, "-m", "bench.naive", "--port", str(port)], dict(os.environ),
                    workdir / "naive.log")
        base = f"http://127.0.0.1:{port}"
        target = Target(name, [port], [base], [f"{base}/healthz"], [proc])
    elif name == "app":
        target = _start_app(workdir, servers)
    elif name == "app-pg":
        target = _start_app(workdir, servers, postgres=True)
    elif name.startswith("app+"):  # the app under an experiment (see EXPERIMENTS)
        target = _start_app(workdir, servers, experiments=name.split("+")[1:])
    else:
        raise ValueError(name)
    try:
        target.wait_ready()
    except BaseException:
        target.stop()
        raise
    return target


# Experiments: the same `askroom serve`, started by a prelude that changes one thing in the
# process before the app is imported, to test a hypothesis about a hot spot without
# editing app/. Named on the command line as `--target app+NAME` (several: app+A+B).
EXPERIMENTS = {
    # How long a thread that wants the GIL (the database thread) may have to wait for the
    # one that holds it (the event loop); Python's default is 5 ms.
    "si0.5": "sys.setswitchinterval(0.0005)",
    # Where the garbage collector's time goes: each pass timed per generation, the totals
    # rewritten to $BENCH_GC_LOG at most every second (uvicorn ends on the signal itself,
    # so there is no exit hook to rely on).
    "gcstats": (
        "import gc, json, os, time\n"
        "_gc = {'passes': [0, 0, 0], 'ms': [0.0, 0.0, 0.0], 'max_ms': [0.0] * 3, 'full': [],\n"
        "       'slow': []}\n"
        "_at = {'start': 0.0, 'written': 0.0}\n"
        "def _timed(phase, info):\n"
        "    now = time.perf_counter()\n"
        "    if phase == 'start':\n"
        "        _at['start'] = now\n"
        "        return\n"
        "    g, took = info['generation'], (now - _at['start']) * 1000\n"
        "    _gc['passes'][g] += 1\n"
        "    _gc['ms'][g] += took\n"
        "    _gc['max_ms'][g] = max(_gc['max_ms'][g], took)\n"
        "    if g == 2 or took > 0.5:  # when (time.monotonic()) and how long (ms)\n"
        "        _gc['full' if g == 2 else 'slow'].append((g, round(time.monotonic(), 3),\n"
        "                                                 round(took, 1)))\n"
        "    if now - _at['written'] > 1.0:\n"
        "        _at['written'] = now\n"
        "        with open(os.environ.get('BENCH_GC_LOG', '/dev/null'), 'w') as out:\n"
        "            out.write(json.dumps(_gc) + '\\n')\n"
        "gc.callbacks.append(_timed)"),
    # Where a POST's time goes before its first socket write, per POST: request in ->
    # endpoint -> committed -> delivery starts (ms), medians and p99s rewritten to
    # $BENCH_PHASES_LOG at most every second. For posts one at a time (bench/postpath.py).
    "phases": (
        "import json, os, statistics, time\n"
        "import app.rooms.http.publish as _api, app.rooms.live.feed as _feed\n"
        "import app.rooms.live.transport as _transport\n"
        "_t, _rows, _slow, _at = {}, [], [], {'written': 0.0}\n"
        "_call, _run = _transport.KeepProtocol.__call__, _api.run_write\n"
        "_deliver = _feed.Feed.deliver\n"
        "async def _timed_call(self, scope, receive, send):\n"
        "    if scope['type'] == 'http' and scope['method'] == 'POST':\n"
        "        _t.clear()\n"
        "        _t['in'] = time.perf_counter()\n"
        "    await _call(self, scope, receive, send)\n"
        "async def _timed_run(engine, call, *args, **kwargs):\n"
        "    _t['endpoint'] = time.perf_counter()\n"
        "    outcome = await _run(engine, call, *args, **kwargs)\n"
        "    _t['committed'] = time.perf_counter()\n"
        "    return outcome\n"
        "def _timed_deliver(self, event, frame=None):\n"
        "    if 'committed' in _t and 'out' not in _t:\n"
        "        _t['out'] = now = time.perf_counter()\n"
        "        _rows.append((_t['endpoint'] - _t['in'], _t['committed'] - _t['endpoint'],\n"
        "                      now - _t['committed']))\n"
        "        if _rows[-1][1] > 0.002:  # a slow transaction: when (time.monotonic())\n"
        "            _slow.append((round(time.monotonic(), 3), round(_rows[-1][1] * 1000, 1)))\n"
        "        if now - _at['written'] > 1.0:\n"
        "            _at['written'] = now\n"
        "            cols = list(zip(*_rows))\n"
        "            q = lambda c: [round(statistics.median(c) * 1000, 3),\n"
        "                           round(sorted(c)[int(len(c) * 0.99)] * 1000, 3)]\n"
        "            with open(os.environ.get('BENCH_PHASES_LOG', '/dev/null'), 'w') as out:\n"
        "                out.write(json.dumps({'posts': len(_rows), 'to_endpoint': q(cols[0]),\n"
        "                    'transaction': q(cols[1]), 'to_delivery': q(cols[2]),\n"
        "                    'slow_transactions': _slow}) + '\\n')\n"
        "    _deliver(self, event, frame)\n"
        "_transport.KeepProtocol.__call__ = _timed_call\n"
        "_api.run_write = _timed_run\n"
        "_feed.Feed.deliver = _timed_deliver"),
}


def _serve_argv(port: int, experiments: list[str]) -> list[str]:
    args = ["serve", "--port", str(port), "--log-level", "warning"]
    if not experiments:
        return [sys.executable, "-m", "app.cli", *args]
    prelude = "\n".join(["import sys", *(EXPERIMENTS[e] for e in experiments)])
    return [sys.executable, "-c",
            f"{prelude}\nfrom app.cli import main\nsys.exit(main({args!r}))"]


def _start_app(workdir: Path, servers: int, experiments: list[str] | None = None,
               postgres: bool = False) -> Target:
    helpers: list[Proc | PostgresServer] = []
    if postgres:
        cluster = PostgresServer().start()
        helpers.append(cluster)
        url = cluster.fresh_database()
    else:
        url = f"sqlite:///{workdir / f'askroom-{time.monotonic_ns()}.db'}"
    env = {**os.environ, "ASKROOM_DATABASE_URL": url, **RELAXED_LIMITS}
    if servers > 1 or postgres:
        redis_port = free_port()
        helpers.append(Proc(["redis-server", "--port", str(redis_port), "--bind", "127.0.0.1",
                             "--save", "", "--appendonly", "no"], dict(os.environ),
                            workdir / "redis.log"))
        env["ASKROOM_REDIS_URL"] = f"redis://127.0.0.1:{redis_port}/0"
        time.sleep(0.3)  # redis-server is ready in well under that
    if postgres:  # `serve` upgrades only SQLite itself; PostgreSQL is migrated first
        subprocess.run([sys.executable, "-m", "app.cli", "migrate"], env=env, check=True,
                       cwd=workdir / "app-snapshot", capture_output=True, timeout=120)
    ports = [free_port() for _ in range(servers)]
    procs = []
    for i, port in enumerate(ports):
        # From the snapshot: `python -m` and `-c` put the working directory first on
        # sys.path, ahead of the editable install of the live tree.
        procs.append(Proc(_serve_argv(port, experiments or []), env, workdir / f"app-{i}.log",
                          cwd=workdir / "app-snapshot"))
        if i == 0 and (servers > 1 or postgres):  # the first makes the schema; alone
            Target("app", ports[:1], [], [f"http://127.0.0.1:{port}/healthz"],
                   procs[:1]).wait_ready()
    urls = [f"http://127.0.0.1:{p}" for p in ports]
    name = f"app-pg{servers}" if postgres else "app" if servers == 1 else f"app-redis{servers}"
    name = "+".join([name, *(experiments or [])])
    return Target(name, ports, urls,
                  [f"{u}/healthz" for u in urls], procs, helpers)


def set_up_room(target: Target, posters: int) -> None:
    """Askroom needs a room and participants (a token each) to post with."""
    if not target.name.startswith("app"):
        target.tokens = ["bench"] * max(1, posters)
        return
    base = target.post_urls[0]
    with httpx.Client(base_url=base, timeout=30) as http:
        room = http.post("/api/rooms", json={"title": "Bench room", "purpose": "Fan-out"})
        room.raise_for_status()
        target.code = room.json()["code"]
        tokens = []
        for i in range(max(1, posters)):
            joined = http.post(f"/api/rooms/{target.code}/participants",
                               json={"name": f"Poster {i}", "organisation": f"Org {i % 20}"})
            joined.raise_for_status()
            tokens.append(joined.json()["token"])
        target.tokens = tokens
