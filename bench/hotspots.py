"""Profiling a server under load with py-spy, and summarising the profile: where the
server's time goes.

    python -m bench.hotspots PROFILE.txt [--top 25]

Each line of the file is `frame;frame;...;frame COUNT`, outermost first, a frame being
`function (file:line)`. Line numbers are dropped so that a function's samples add up.
"""

from __future__ import annotations

import argparse
import re
import shutil
import signal
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path
from typing import Any

_LINE = re.compile(r":\d+\)$")


def _frame(raw: str) -> str:
    name = _LINE.sub(")", raw.strip())
    return name.replace(str(Path.cwd()) + "/", "").replace("/.venv/lib/python3.11/site-packages/",
                                                           " ")


def load(path: Path) -> tuple[Counter[str], Counter[str], Counter[str], int]:
    """Self samples, inclusive samples, samples per thread, total."""
    own: Counter[str] = Counter()
    inclusive: Counter[str] = Counter()
    threads: Counter[str] = Counter()
    total = 0
    for line in path.read_text().splitlines():
        stack, _, count = line.rpartition(" ")
        if not stack or not count.isdigit():
            continue
        n = int(count)
        frames = [_frame(f) for f in stack.split(";")]
        if frames and frames[0].startswith("thread ("):
            threads[frames[0]] += n
            frames = frames[1:]
        if not frames:
            continue
        total += n
        own[frames[-1]] += n
        for f in set(frames):
            inclusive[f] += n
    return own, inclusive, threads, total


def summarise(path: Path, top: int = 15) -> dict[str, Any]:
    own, inclusive, threads, total = load(path)
    share = (lambda n: round(100 * n / total, 1)) if total else (lambda n: 0.0)
    return {"samples": total,
            "threads": [[t, share(n)] for t, n in threads.most_common(6)],
            "self_pct": [[f, share(n)] for f, n in own.most_common(top)],
            "inclusive_pct": [[f, share(n)] for f, n in inclusive.most_common(top * 2)]}


class Profiler:
    """py-spy attached to a running process, recording until stopped."""

    def __init__(self, pid: int, out: Path, *, idle: bool = False) -> None:
        self.out = out
        spy = shutil.which("py-spy") or str(Path(sys.executable).with_name("py-spy"))
        out.parent.mkdir(parents=True, exist_ok=True)
        # --nonblocking: sampling must not pause the server it is measuring. --idle: sample
        # threads that wait (for a lock, the GIL, a sleep) too, to see where wall time goes.
        self.process = subprocess.Popen(
            [spy, "record", "--pid", str(pid), "--rate", "250", "--format", "raw",
             "--nonblocking", "--threads", *(["--idle"] if idle else []), "--output", str(out)],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(0.5)  # attached before the load starts

    def stop(self) -> dict[str, Any] | None:
        """Stop recording; the profile's file and its top entries."""
        self.process.send_signal(signal.SIGINT)  # py-spy writes its output on SIGINT
        try:
            self.process.wait(30)
        except subprocess.TimeoutExpired:
            self.process.kill()
            return None
        if not self.out.exists():
            return None
        return {"file": str(self.out), "top": summarise(self.out, 15)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("profile", type=Path)
    parser.add_argument("--top", type=int, default=25)
    args = parser.parse_args()
    summary = summarise(args.profile, args.top)
    print(f"{summary['samples']} samples")
    for title in ("threads", "self_pct", "inclusive_pct"):
        print(f"\n{title}:")
        for name, pct in summary[title]:
            print(f"  {pct:5.1f}%  {name}")


if __name__ == "__main__":
    main()
