"""The POST path alone: cards posted one after another, one listener, no fan-out to speak
of. What it costs the server to take one card from its POST to its first socket write.

    python -m bench.postpath --cards 1000 --posters 1000 --runs 3

For each target (the ceiling and the app, interleaved, each server in its own process):
server CPU per card (from /proc, the steadiest figure on a shared machine), and the time
from each POST to the card's arrival at the listener (p50 / p99). The app's room has
`--posters` participants, each posting in turn, so per-participant state (rate-limit keys,
tokens) is as big as in a hall.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import shutil
import tempfile
import time
from pathlib import Path
from typing import Any

import httpx
from websockets.asyncio.client import connect

from bench import targets
from bench.clients import marker
from bench.posting import card_body
from bench.stats import percentile


async def _post(http: httpx.AsyncClient, target: targets.Target, token: str, k: int) -> float:
    """POST card k; when its answer came."""
    answer = await http.post(f"/api/rooms/{target.code}/cards",
                             json=card_body(k),
                             headers={"authorization": f"Bearer {token}"})
    answer.raise_for_status()
    return time.monotonic()


async def _post_in_turn(target: targets.Target, cards: int) -> dict[str, Any]:
    base = target.post_urls[0]
    url = f"ws://127.0.0.1:{target.ws_ports[0]}/ws/rooms/{target.code}"
    arrivals, answers = [], []
    async with connect(url, compression=None, max_size=None) as ws, \
            httpx.AsyncClient(base_url=base, timeout=30) as http:
        if target.name.startswith("app"):
            await ws.recv()  # the snapshot (the ceiling sends none)
        cpu_before = target.cpu_seconds()
        for k in range(cards):
            found = marker(k).encode()
            token = target.tokens[k % len(target.tokens)]
            sent = time.monotonic()
            posting = asyncio.create_task(_post(http, target, token, k))
            while found not in (frame := await ws.recv(decode=False)):
                del frame
            arrivals.append(time.monotonic() - sent)
            answers.append(await posting - sent)
        cpu = target.cpu_seconds() - cpu_before
    arrivals.sort()
    answers.sort()
    return {"cards": cards, "server_cpu_ms_per_card": round(cpu / cards * 1000, 3),
            "arrival_p50_ms": round(percentile(arrivals, 0.5) * 1000, 2),
            "arrival_p99_ms": round(percentile(arrivals, 0.99) * 1000, 2),
            "post_p50_ms": round(percentile(answers, 0.5) * 1000, 2)}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--cards", type=int, default=1000)
    parser.add_argument("--posters", type=int, default=1000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--target", default="ceiling,app")
    args = parser.parse_args(argv)
    workdir = Path(tempfile.mkdtemp(prefix="askroom-postpath-"))
    _root, fingerprint = targets.snapshot_app(workdir)
    rows: list[dict[str, Any]] = []
    try:
        for run in range(args.runs):
            for name in args.target.split(","):
                target = targets.start(name, workdir)
                try:
                    targets.set_up_room(target, args.posters)
                    result = asyncio.run(_post_in_turn(target, args.cards))
                finally:
                    target.stop()
                rows.append({"bench": "postpath", "target": name, "run": run + 1, **result,
                             "git_head": targets.git_head(), "app_fingerprint": fingerprint})
                print(json.dumps(rows[-1]), flush=True)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    for name in args.target.split(","):
        mine = [r for r in rows if r["target"] == name]
        print(f"{name:>12}: CPU ms/card " + " ".join(
            f"{r['server_cpu_ms_per_card']:.3f}" for r in mine) + "   arrival p50 ms " + " ".join(
            f"{r['arrival_p50_ms']}" for r in mine))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
