"""The fan-out benchmark (SPEC §9): real servers, real WebSocket clients in their own
processes, cards posted over HTTP; for every card, the time from its POST to its arrival
at every client. The ceiling (bare `websockets.broadcast`) and the naive FastAPI pattern
run under the same harness, in the same invocation, so the app's figures can be read as
ratios to the ceiling's on a machine that is never quiet.

    python -m bench.fanout --clients 1000 --rate 20 --seconds 10 --runs 3
    python -m bench.fanout --clients 1000 --seconds 10 --burst --target ceiling,app
    python -m bench.fanout --clients 1000 --rate 20 --seconds 10 --reconnect-storm
    python -m bench.fanout --clients 1000 --rate 20 --seconds 10 --stalled 1 --target app
    python -m bench.fanout --clients 5000 --idle
    python -m bench.fanout --clients 20000 --rate 2 --seconds 10 --target app-redis
    python -m bench.fanout --clients 20000 --rate 5 --seconds 10 --target app-pg --drain 30

Prints one JSON line per run as it ends, then a table and one summary JSON line.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import multiprocessing
import os
import shlex
import shutil
import subprocess
import sys
import tempfile
import time
from array import array
from dataclasses import dataclass, replace
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

from bench import clients, machine, posting, stats, targets
from bench.hotspots import Profiler

SUMMARY_KEYS = ("p50_ms", "p95_ms", "p99_ms", "max_ms", "first_p99_ms", "spread_p99_ms",
                "post_p50_ms", "post_p99_ms", "server_cpu_pct", "server_cpu_us_per_delivery",
                "peak_rss_mib", "idle_kib_per_client", "delivered_pct")


@dataclass(frozen=True)
class Plan:
    clients: int
    rate: float
    seconds: float
    processes: int
    stalled: int = 0
    burst: bool = False
    storm: bool = False
    idle: bool = False
    drain: float = 15.0
    servers: int = 2
    profile: Path | None = None
    profile_idle: bool = False
    quiet_wait: float = 30.0

    @property
    def cards(self) -> int:
        if self.idle:
            return 0
        return self.clients if self.burst else max(1, round(self.rate * self.seconds))

    @property
    def scenario(self) -> str:
        name = ("idle" if self.idle else "burst" if self.burst
                else "storm" if self.storm else "steady")
        return name + (f"+stalled{self.stalled}" if self.stalled else "")


# --- one run -------------------------------------------------------------------------------


def run_once(name: str, plan: Plan, workdir: Path) -> dict[str, Any]:
    servers = plan.servers if name in ("app-redis", "app-pg") else 1
    kind = "app" if name in ("app", "app-redis") else name
    target = targets.start(kind, workdir, servers=servers)
    workers: list[tuple[multiprocessing.process.BaseProcess, Connection]] = []
    try:
        targets.set_up_room(target, plan.clients if plan.burst else 1)
        return _measure(target, plan, workers)
    finally:
        for _process, pipe in workers:
            try:
                pipe.send(("stop",))
            except OSError:
                pass
        for process, _pipe in workers:
            process.join(10)
            if process.is_alive():
                process.kill()
        target.stop()


def _measure(target: targets.Target, plan: Plan, workers: list) -> dict:
    waited = machine.wait_for_quiet(plan.quiet_wait)
    load = os.getloadavg()[0]  # how busy the shared machine was, for reading the figures
    rss_before = target.rss_kib()
    connect_s = _start_clients(target, plan, workers)
    connected = sum(w["ok"] for w in connect_s) - plan.stalled
    time.sleep(1.0)  # let the server settle (snapshots built, buffers sent) before weighing
    idle_kib = (target.rss_kib() - rss_before) / max(1, connected + plan.stalled)

    profiler = _profiler(target, plan)
    pids = [process.pid for process, _pipe in workers]
    ours0 = machine.own_and_children(pids)
    busy0, cpu0, wall0 = machine.machine_busy(), target.cpu_seconds(), time.monotonic()
    offsets = posting.schedule(plan.cards, rate=plan.rate, seconds=plan.seconds,
                               burst=plan.burst)
    posted = asyncio.run(posting.post_all(
        target, offsets, storm_after=plan.seconds / 2 if plan.storm else None,
        pipes=[pipe for _p, pipe in workers]))
    ok = [k for k, (_sent, status, _done) in enumerate(posted) if status in (200, 201)]
    deadline = time.monotonic() + plan.drain
    for _process, pipe in workers:
        pipe.send(("finish", ok, deadline))
    results = [_receive(pipe, "results", plan.drain + 60) for _p, pipe in workers]
    busy1, cpu1, wall1 = machine.machine_busy(), target.cpu_seconds(), time.monotonic()
    ours1 = machine.own_and_children(pids)
    peak = target.peak_rss_kib()
    hot = profiler.stop() if profiler else None

    sent = [s for s, _status, _done in posted]
    rows, back_at, drop_at = _rows(results, plan)
    # Every card posted counts, answered or not: a POST that timed out while its card went
    # out late (or never) is a delivery missed, not a card forgotten.
    every = range(len(posted))
    latencies = stats.deliveries(rows, sent, every)
    expected = len(rows) * len(posted)
    post_times = sorted(done - s for s, status, done in posted if status in (200, 201))
    closes: dict[str, int] = {}
    for r in results:
        for code, n in r["closes"].items():
            closes[str(code)] = closes.get(str(code), 0) + n
    out: dict[str, Any] = {
        "bench": "fanout", "target": target.name, "scenario": plan.scenario,
        "clients": plan.clients, "connected": connected, "client_processes": plan.processes,
        "connect_s": round(max(w["seconds"] for w in connect_s), 1),
        "rate": None if plan.burst else plan.rate, "seconds": plan.seconds,
        "cards": plan.cards, "failed_posts": plan.cards - len(ok),
        "delivered": len(latencies), "expected": expected,
        "delivered_pct": round(100 * len(latencies) / expected, 3) if expected else None,
        "p50_ms": stats.ms(stats.percentile(latencies, 0.50)),
        "p95_ms": stats.ms(stats.percentile(latencies, 0.95)),
        "p99_ms": stats.ms(stats.percentile(latencies, 0.99)),
        "max_ms": stats.ms(latencies[-1] if latencies else None),
        **stats.per_card(rows, sent, every),
        "post_p50_ms": stats.ms(stats.percentile(post_times, 0.50)),
        "post_p99_ms": stats.ms(stats.percentile(post_times, 0.99)),
        "server_processes": len(target.procs),
        "peak_rss_mib": round(peak / 1024, 1),
        "idle_kib_per_client": round(idle_kib, 1),
        "closes": closes, "resumes": sum(r["resumes"] for r in results),
        "duplicates": sum(r["dups"] for r in results),
        "client_cpu_s": round(sum(r["cpu_s"] for r in results), 1),
        "loadavg_1m": round(load, 2), "waited_for_quiet_s": waited,
        "tcp_wmem_max": machine.tcp_wmem_max(),
    }
    if not plan.idle:  # with nothing posted, the window is too short for rates to mean much
        wall = wall1 - wall0
        out.update({
            "server_cpu_pct": round(100 * (cpu1 - cpu0) / wall, 1),
            # CPU time is what a busy machine turns into latency; steadier than latency.
            "server_cpu_us_per_delivery": round(1e6 * (cpu1 - cpu0) / len(latencies), 1)
            if latencies else None,
            # What everything else on the shared machine used meanwhile, in % of one core
            # (of the 100 x cores there are): the noise this run was measured in.
            "others_cpu_pct": round(100 * ((busy1 - busy0) - (cpu1 - cpu0) - (ours1 - ours0))
                                    / wall, 1),
            "harness_cpu_pct": round(100 * (ours1 - ours0) / wall, 1),
        })
    # The slowest POSTs, with when they were sent: a pattern in time points at a cause.
    slow = sorted(ok, key=lambda k: posted[k][2] - posted[k][0], reverse=True)[:5]
    out["slowest_posts"] = [[k, round(posted[k][0] - sent[0], 2),
                             stats.ms(posted[k][2] - posted[k][0])] for k in slow]
    if plan.stalled:
        out["stalled_fate"] = {str(k): v for r in results
                               for k, v in r["stalled_closes"].items()}
    if plan.storm and ok:
        storm_start = min((d for d in drop_at if d), default=0.0)
        out.update(stats.catch_up(rows, sent, ok, back_at, storm_start))
    if hot:
        out["profile"] = hot
    return out


def _profiler(target: targets.Target, plan: Plan) -> Profiler | None:
    if plan.profile is None or not target.name.startswith("app"):
        return None
    idle = "-idle" if plan.profile_idle else ""
    pid = target.procs[0].pid
    return Profiler(pid, plan.profile / f"{target.name}-{plan.scenario}{idle}-{pid}.txt",
                    idle=plan.profile_idle)


def _start_clients(target: targets.Target, plan: Plan, workers: list) -> list[dict]:
    """Worker processes, each with its share of the clients; wait until all are in."""
    context = multiprocessing.get_context("spawn")
    share, extra = divmod(plan.clients, plan.processes)
    first = 0
    for i in range(plan.processes):
        count = share + (i < extra)
        config = clients.WorkerConfig(
            ports=target.ws_ports, path=f"/ws/rooms/{target.code}", count=count,
            stalled=plan.stalled if i == 0 else 0, cards=plan.cards,
            resume=target.name.startswith("app"), seed=i)
        ours, theirs = context.Pipe()
        process = context.Process(target=clients.main, args=(theirs, config, first),
                                  daemon=True)
        process.start()
        workers.append((process, ours))
        first += count
    replies = [_receive(pipe, "connected", 300) for _p, pipe in workers]
    return [{"ok": r[1], "failed": r[2], "seconds": r[3]} for r in replies]


def _receive(pipe: Connection, kind: str, timeout: float) -> Any:
    if not pipe.poll(timeout):
        raise RuntimeError(f"a client worker sent no {kind!r} within {timeout:.0f} s")
    message = pipe.recv()
    if message[0] != kind:
        raise RuntimeError(f"a client worker sent {message[0]!r}, expected {kind!r}")
    return message if kind == "connected" else message[1]


def _rows(results: list[dict], plan: Plan) -> tuple[list[array], list[float], list[float]]:
    rows, back_at, drop_at = [], [], []
    if plan.cards == 0:
        return rows, back_at, drop_at
    for r in results:
        arrivals = array("d")
        arrivals.frombytes(r["arrivals"])
        rows += [arrivals[i:i + plan.cards] for i in range(0, len(arrivals), plan.cards)]
        back, drop = array("d"), array("d")
        back.frombytes(r["back_at"])
        drop.frombytes(r["drop_at"])
        back_at += back
        drop_at += drop
    return rows, back_at, drop_at


# --- the command ---------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    if args.sndbuf_max and not os.environ.get("BENCH_NETNS"):
        return _in_own_netns(args.sndbuf_max, sys.argv[1:] if argv is None else argv)
    names = ["ceiling", "naive", "app"] if args.target == "all" else args.target.split(",")
    if args.redis and "app-redis" not in names:
        names.append("app-redis")
    plan = Plan(clients=args.clients, rate=args.rate, seconds=args.seconds,
                processes=args.processes, burst=args.burst, storm=args.reconnect_storm,
                idle=args.idle, drain=args.drain, servers=args.servers,
                profile=args.profile, profile_idle=args.profile_idle,
                quiet_wait=args.quiet_wait)
    if plan.storm:  # only Askroom resumes with `after`; the others would simply lose cards
        names = [n for n in names if n.startswith("app")]
    variants = [plan] + ([replace(plan, stalled=args.stalled)] if args.stalled else [])
    workdir = Path(tempfile.mkdtemp(prefix="askroom-bench-"))
    _snapshot_dir, fingerprint = targets.snapshot_app(workdir)
    code = {"git_head": targets.git_head(), "app_fingerprint": fingerprint}
    runs: list[dict[str, Any]] = []
    try:
        for run in range(args.runs):  # interleaved, so slow spells of the machine spread
            for name in names:
                for variant in variants:
                    result = run_once(name, variant, workdir)
                    result["run"] = run + 1
                    result.update(code)
                    runs.append(result)
                    _emit(result, args.json_out)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    summary = stats.summarise_runs(runs, SUMMARY_KEYS)
    for row in runs:
        row["label"] = f"{row['target']} {row['scenario']} #{row['run']}"
    for row in summary:
        row["label"] = f"{row['target']} {row['scenario']} median"
    print()
    print(stats.table(runs + summary))
    _emit({"bench": "fanout-summary", "clients": args.clients,
           "rate": None if plan.burst or plan.idle else args.rate,
           "seconds": args.seconds, **code,
           "medians": [{k: v for k, v in row.items() if k != "label"} for row in summary]},
          args.json_out)
    return 0


def _in_own_netns(sndbuf_max: int, argv: list[str]) -> int:
    """Run this same command in a network namespace of its own (root only), whose TCP send
    buffers grow to at most `sndbuf_max` bytes instead of the host's 4 MiB: on loopback a
    client that stops reading otherwise takes minutes to push back on the server. The
    host's own setting is left alone."""
    setup = (f"ip link set lo up && echo '4096 {min(16384, sndbuf_max)} {sndbuf_max}' "
             "> /proc/sys/net/ipv4/tcp_wmem")
    command = " ".join(["exec", sys.executable, "-m", "bench.fanout", *map(shlex.quote, argv)])
    return subprocess.call(["unshare", "--net", "sh", "-c", f"{setup} && {command}"],
                           env={**os.environ, "BENCH_NETNS": "1"})




def _emit(record: dict[str, Any], path: Path | None) -> None:
    line = json.dumps(record, separators=(",", ":"))
    print(line, flush=True)
    if path is not None:
        with path.open("a") as out:
            out.write(line + "\n")


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="python -m bench.fanout",
                                description=__doc__.split("\n\n")[0],
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--clients", type=int, default=1000, help="WebSocket clients (default 1000)")
    p.add_argument("--rate", type=float, default=20, help="cards per second (default 20)")
    p.add_argument("--seconds", type=float, default=10, help="posting time (default 10)")
    p.add_argument("--target", default="all",
                   help="comma-separated: ceiling, naive, app, app-redis (SQLite + Redis), app-pg "
                        "(PostgreSQL + Redis); all = the first "
                        "three (default); app+NAME: the app under an experiment of "
                        "bench/targets.py EXPERIMENTS (si0.5, gcstats, phases)")
    p.add_argument("--runs", type=int, default=1, help="rounds of every target, interleaved")
    p.add_argument("--processes", type=int, default=2, help="client worker processes")
    p.add_argument("--stalled", type=int, default=0,
                   help="also run each target with this many clients that stop reading")
    p.add_argument("--burst", action="store_true",
                   help="every client posts one card within --seconds (a participant each)")
    p.add_argument("--reconnect-storm", action="store_true",
                   help="half-way, every client drops and reconnects within 1 s with after")
    p.add_argument("--redis", action="store_true",
                   help="add app-redis: --servers processes on one SQLite file and Redis")
    p.add_argument("--servers", type=int, default=2, help="processes for app-redis and app-pg")
    p.add_argument("--idle", action="store_true",
                   help="connect the clients and weigh the server; post nothing")
    p.add_argument("--drain", type=float, default=15,
                   help="seconds to wait for deliveries after the last POST")
    p.add_argument("--profile", type=Path, default=None, metavar="DIR",
                   help="py-spy the (first) app server while posting; keeps the raw profile")
    p.add_argument("--profile-idle", action="store_true",
                   help="with --profile: sample waiting threads too (where wall time goes)")
    p.add_argument("--sndbuf-max", type=int, default=0, metavar="BYTES",
                   help="run in a network namespace of its own whose TCP send buffers stay "
                        "this small (e.g. 65536), so a stalled client pushes back within "
                        "seconds (root; the host's setting is untouched)")
    p.add_argument("--quiet-wait", type=float, default=30,
                   help="before each run, wait up to this long for a core to be free")
    p.add_argument("--json-out", type=Path, default=None, help="also append JSON lines here")
    return p


if __name__ == "__main__":
    sys.exit(main())
