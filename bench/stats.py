"""Figures from the raw times, and the table."""

from __future__ import annotations

import math
import statistics
from array import array
from collections.abc import Iterable
from typing import Any


def percentile(ordered: list[float], q: float) -> float | None:
    """Nearest rank, on an already sorted list."""
    if not ordered:
        return None
    return ordered[max(0, math.ceil(q * len(ordered)) - 1)]


def ms(seconds: float | None) -> float | None:
    return None if seconds is None else round(seconds * 1000, 1)


def deliveries(rows: list[array], sent: list[float], ok: Iterable[int]) -> list[float]:
    """Every (card, client) latency that arrived, sorted; rows[c][k] is client c's arrival
    time of card k (0.0: never)."""
    latencies = []
    append = latencies.append
    for row in rows:
        for k in ok:
            at = row[k]
            if at:
                append(at - sent[k])
    latencies.sort()
    return latencies


def per_card(rows: list[array], sent: list[float], ok: Iterable[int]) -> dict[str, Any]:
    """Where a card's time goes, seen from outside: its first arrival (POST handling up to
    the first socket write) and the spread from first to last arrival (the fan-out)."""
    first, spread = [], []
    for k in ok:
        times = [at for row in rows if (at := row[k])]
        if times:
            low = min(times)
            first.append(low - sent[k])
            spread.append(max(times) - low)
    first.sort()
    spread.sort()
    return {"first_p50_ms": ms(percentile(first, 0.5)), "first_p99_ms": ms(percentile(first, 0.99)),
            "spread_p50_ms": ms(percentile(spread, 0.5)),
            "spread_p99_ms": ms(percentile(spread, 0.99))}


def catch_up(rows: list[array], sent: list[float], ok: list[int], back_at: list[float],
             start: float) -> dict[str, Any]:
    """After a reconnect storm begun at `start`: when each client had every card posted
    before its reconnect had finished; the worst is when all had caught up."""
    times, missing = [], 0
    for row, back in zip(rows, back_at, strict=True):
        if not back:
            missing += 1  # it never came back
            continue
        owed = [row[k] for k in ok if sent[k] <= back]
        if not all(owed):
            missing += 1
            continue
        times.append(max(owed, default=back) - start)
    times.sort()
    return {"clients_caught_up": len(times), "clients_not_caught_up": missing,
            "catch_up_p50_s": _round(percentile(times, 0.5)),
            "catch_up_all_s": _round(times[-1] if times and not missing else None)}


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 3)


def medians(runs: list[dict[str, Any]], keys: tuple[str, ...]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key in keys:
        values = [r[key] for r in runs if r.get(key) is not None]
        out[key] = round(statistics.median(values), 1) if values else None
    return out


def summarise_runs(runs: list[dict[str, Any]], keys: tuple[str, ...]) -> list[dict[str, Any]]:
    """Medians per (target, scenario), with ratios to the ceiling's median p99 and to the
    same target without stalled clients; each run also gets its ratio to the ceiling of
    the same round."""
    groups: dict[tuple[str, str], list[dict[str, Any]]] = {}
    for r in runs:
        groups.setdefault((r["target"], r["scenario"]), []).append(r)
    rows = [{"target": target, "scenario": scenario, "runs": len(members),
             **medians(members, keys), "connected": min(m["connected"] for m in members),
             "failed_posts": sum(m["failed_posts"] for m in members)}
            for (target, scenario), members in groups.items()]
    for row in rows:
        if "+stalled" in row["scenario"]:
            plain = _find(rows, row["target"], row["scenario"].split("+")[0])
            if plain and plain["p99_ms"] and row["p99_ms"]:
                row["p99_vs_no_stalled"] = round(row["p99_ms"] / plain["p99_ms"], 3)
        ceiling = _find(rows, "ceiling", row["scenario"])
        if ceiling and ceiling["p99_ms"] and row["p99_ms"]:
            row["p99_vs_ceiling"] = round(row["p99_ms"] / ceiling["p99_ms"], 3)
    by_run = {(r["target"], r["scenario"], r["run"]): r for r in runs}
    for r in runs:
        ceiling = by_run.get(("ceiling", r["scenario"], r["run"]))
        if ceiling and ceiling["p99_ms"] and r["p99_ms"]:
            r["p99_vs_ceiling"] = round(r["p99_ms"] / ceiling["p99_ms"], 3)
    return rows


def _find(rows: list[dict[str, Any]], target: str, scenario: str) -> dict[str, Any] | None:
    return next((r for r in rows if r["target"] == target and r["scenario"] == scenario), None)


COLUMNS = [("label", "run", "{}"), ("connected", "clients", "{}"),
           ("delivered_pct", "delivered", "{:.3f}%"), ("failed_posts", "failed", "{}"),
           ("p50_ms", "p50 ms", "{:.1f}"), ("p95_ms", "p95 ms", "{:.1f}"),
           ("p99_ms", "p99 ms", "{:.1f}"), ("max_ms", "max ms", "{:.1f}"),
           ("p99_vs_ceiling", "p99/ceil", "{:.2f}x"), ("first_p99_ms", "1st p99", "{:.1f}"),
           ("spread_p99_ms", "spread p99", "{:.1f}"), ("post_p99_ms", "POST p99", "{:.1f}"),
           ("server_cpu_pct", "CPU %", "{:.0f}"),
           ("server_cpu_us_per_delivery", "µs/deliv", "{:.1f}"),
           ("peak_rss_mib", "peak MiB", "{:.0f}"),
           ("idle_kib_per_client", "KiB/client", "{:.1f}")]


def table(rows: list[dict[str, Any]]) -> str:
    cells = [[title for _key, title, _fmt in COLUMNS]]
    for row in rows:
        cells.append([fmt.format(row[key]) if row.get(key) is not None else "-"
                      for key, _title, fmt in COLUMNS])
    widths = [max(len(r[i]) for r in cells) for i in range(len(COLUMNS))]
    lines = ["  ".join(c.rjust(w) if i else c.ljust(w) for i, (c, w) in
                       enumerate(zip(r, widths, strict=True))) for r in cells]
    lines.insert(1, "-" * len(lines[0]))
    return "\n".join(lines)
