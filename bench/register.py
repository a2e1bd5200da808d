"""The action register of a big partnership: how long GET /register takes to answer.

    python -m bench.register --meetings 50 --commitments 200 --runs 20

SPEC §10's issue asks that a partnership with 50 meetings of 200 commitments each (10,000
entries) answers in under 100 ms on this machine. The data is written straight into a
fresh SQLite file (through the app's own schema); a real server (`askroom serve`, one
process) then answers GET /api/partnerships/{id}/register with the backbone key and with
the member key, each `--runs` times. The baseline, in the same server and the same
minutes: GET /api/rooms/{code}/cards of one meeting (200 cards), so the ratio says how the
register grows against one room's read.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx
from sqlalchemy import insert

from app import schema
from app.db import make_engine, write_session
from app.partnerships import log as partnerships
from app.rooms.log.command import Log
from app.rooms.models import Card, Participant, Reply
from bench.targets import free_port, git_head


def fill(db: Path, meetings: int, commitments: int) -> tuple[str, str, str, str]:
    """A partnership with its meetings and their commitments; (id, backbone key, member
    key, the first meeting's code)."""
    engine = make_engine(f"sqlite:///{db}")
    schema.upgrade(engine)
    log = Log(engine)
    made, backbone, member = partnerships.create(
        log, "Benchmark partnership", "", ["County Council", "NHS Trust", "Fire Service"],
        "Europe/London", "BP")
    first = ""
    now = datetime.now(UTC)
    for number in range(meetings):
        room = partnerships.open_meeting(log, made["id"], backbone, None, None, "")
        first = first or room["code"]
        with write_session(engine) as s:
            rid = s.connection().exec_driver_sql(
                "SELECT id FROM rooms WHERE code = ?", (room["code"],)).scalar_one()
            people = []
            for k, org in enumerate(("County Council", "NHS Trust", "Fire Service")):
                person = Participant(room_id=rid, name=f"Person {number}-{k}", organisation=org,
                                     organisation_key=org.casefold(),
                                     token_hash=f"{number:04d}{k:02d}".ljust(64, "0"),
                                     joined_at=now)
                s.add(person)
                people.append(person)
            s.flush()
            cards = [Card(room_id=rid, kind="request", text=f"Commitment {number}-{i}",
                          author_id=people[i % 3].id, client_id=f"b{number}-{i}",
                          to_participant_id=people[(i + 1) % 3].id, status="yes",
                          created_at=now, seq=i + 1, commitment_number=i + 1,
                          progress="in_progress" if i % 4 else "done").model_dump(exclude={"id"})
                     for i in range(commitments)]
            s.execute(insert(Card), cards)
            ids = s.connection().exec_driver_sql(
                "SELECT id, to_participant_id FROM cards WHERE room_id = ?", (rid,)).all()
            s.execute(insert(Reply), [{"card_id": cid, "by_id": to, "answer": "yes", "note": "",
                                       "at": now} for cid, to in ids])
    engine.dispose()
    return made["id"], backbone, member, first


def timed(http: httpx.Client, path: str, key: str, runs: int) -> list[float]:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        answer = http.get(path, headers={"Authorization": f"Bearer {key}"})
        times.append((time.perf_counter() - start) * 1000)
        answer.raise_for_status()
    return times


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--meetings", type=int, default=50)
    parser.add_argument("--commitments", type=int, default=200)
    parser.add_argument("--runs", type=int, default=20)
    args = parser.parse_args(argv)
    workdir = Path(tempfile.mkdtemp(prefix="askroom-register-"))
    db = workdir / "askroom.db"
    pid, backbone, member, first = fill(db, args.meetings, args.commitments)
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "app.cli", "serve", "--port", str(port), "--log-level", "warning"],
        env={**os.environ, "ASKROOM_DATABASE_URL": f"sqlite:///{db}"})
    try:
        with httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=60) as http:
            for _ in range(100):
                try:
                    if http.get("/healthz").status_code == 200:
                        break
                except httpx.TransportError:
                    time.sleep(0.1)
            register = f"/api/partnerships/{pid}/register"
            entries = len(http.get(register, headers={"Authorization": f"Bearer {backbone}"})
                          .json()["entries"])
            rows: dict[str, Any] = {}
            for name, path, key in (("one meeting's cards (baseline)", f"/api/rooms/{first}/cards",
                                     backbone),
                                    ("register, backbone", register, backbone),
                                    ("register, member", register, member)):
                rows[name] = statistics.median(timed(http, path, key, args.runs))
    finally:
        server.terminate()
        server.wait(10)
    baseline = rows["one meeting's cards (baseline)"]
    result = {"bench": "register", "meetings": args.meetings, "commitments": args.commitments,
              "entries": entries, "runs": args.runs, "git_head": git_head(),
              **{f"{k} median ms": round(v, 1) for k, v in rows.items()},
              **{f"{k} / baseline": round(v / baseline, 1) for k, v in rows.items()}}
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
