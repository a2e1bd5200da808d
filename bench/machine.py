"""What /proc says about processes and about the shared machine."""

from __future__ import annotations

import os
import resource
import time
from pathlib import Path

CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


def cpu_of(pid: int) -> float:
    """utime + stime of a process so far, in seconds."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / CLOCK_TICKS


def status_kib(pid: int, name: str) -> int:
    """VmRSS (now) or VmHWM (peak) of a process, in KiB."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(name + ":"):
            return int(line.split()[1])
    return 0


def machine_busy() -> float:
    """CPU seconds all processes on the machine have used (all cores), from /proc/stat."""
    user, nice, system, _idle, _iowait, irq, softirq, steal = map(
        int, Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:9])
    return (user + nice + system + irq + softirq + steal) / CLOCK_TICKS


def own_and_children(pids: list[int]) -> float:
    """CPU seconds of this process and of these (the client workers)."""
    total = sum(resource.getrusage(resource.RUSAGE_SELF)[:2])
    for pid in pids:
        try:
            total += cpu_of(pid)
        except OSError:
            pass  # already gone
    return total


def wait_for_quiet(limit: float) -> float:
    """Up to `limit` seconds for a moment when the shared machine has a core to spare, so
    that fewer runs are measured in someone else's storm. Returns the time waited."""
    started = time.monotonic()
    while time.monotonic() - started < limit:
        busy = machine_busy()
        time.sleep(1.0)
        if machine_busy() - busy < 1.0:
            break
    return round(time.monotonic() - started, 1)


def tcp_wmem_max() -> int:
    """The largest a TCP send buffer may grow here (see fanout --sndbuf-max)."""
    return int(Path("/proc/sys/net/ipv4/tcp_wmem").read_text().split()[2])
