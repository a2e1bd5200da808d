"""Posting the cards: on schedule, over HTTP keep-alive, each send time taken just before
its request goes out (the start of every latency the harness reports)."""

from __future__ import annotations

import asyncio
import random
import time
from multiprocessing.connection import Connection

import httpx

from bench.clients import marker
from bench.targets import Target

CARD_TEXT = ("Our frail patients are sent home at midnight: could anyone send volunteers "
             "to A&E to see them home at night this winter?")
ANSWER_WAIT = 60.0  # seconds for the last answers once the schedule has run out


def card_body(k: int) -> dict[str, str]:
    """The POST body of card k: its marker leads the text, where the clients find it."""
    return {"client_id": marker(k), "kind": "ask", "text": f"{marker(k)} {CARD_TEXT}"}


def schedule(cards: int, *, rate: float, seconds: float, burst: bool) -> list[float]:
    """Offsets from the start: evenly at `rate`, or (a burst) each at a random moment."""
    if burst:
        rng = random.Random(1)  # the same moments for every target
        return sorted(rng.random() * seconds for _ in range(cards))
    return [k / rate for k in range(cards)]


async def post_all(target: Target, offsets: list[float], *, storm_after: float | None,
                   pipes: list[Connection]) -> list[tuple[float, int, float]]:
    """Post card k at offsets[k]; for each: (send time, status, answer time). With
    `storm_after`, the client workers are told then to drop and reconnect."""
    results: list[tuple[float, int, float]] = [(0.0, 0, 0.0)] * len(offsets)
    if not offsets:
        return results
    limits = httpx.Limits(max_connections=64, max_keepalive_connections=64)
    async with httpx.AsyncClient(limits=limits, timeout=30) as http:

        async def post(k: int) -> None:
            base = target.post_urls[k % len(target.post_urls)]
            token = target.tokens[k % len(target.tokens)]
            body = card_body(k)
            sent = time.monotonic()
            try:
                answer = await http.post(f"{base}/api/rooms/{target.code}/cards", json=body,
                                         headers={"authorization": f"Bearer {token}"})
                status = answer.status_code
            except httpx.HTTPError:
                status = 0
            results[k] = (sent, status, time.monotonic())

        start = time.monotonic() + 0.2
        storm_at = None if storm_after is None else start + storm_after
        tasks = []
        for k, offset in enumerate(offsets):
            if storm_at is not None and start + offset >= storm_at:
                for pipe in pipes:  # every client drops within the next second
                    pipe.send(("storm", storm_at, 1.0))
                storm_at = None
            await asyncio.sleep(max(0.0, start + offset - time.monotonic()))
            # A task per POST: a slow answer must not hold up the next card's send time.
            tasks.append(asyncio.create_task(post(k)))
        await asyncio.wait(tasks, timeout=ANSWER_WAIT)
    return results
