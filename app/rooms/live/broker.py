"""The seam for fan-out across processes: publish an event to a room's channel, and
receive what anyone published to the channels this process subscribes to.

In the embedded default the broker is in-process; with ASKROOM_REDIS_URL it is Redis
pub/sub (imported only then). Both keep the same contract, tested by one suite.
"""

from __future__ import annotations

import asyncio
from typing import Protocol


class Broker(Protocol):
    # Whether other processes receive what this one publishes; if not, the hub publishes
    # nothing (its own sockets already have every event it commits).
    shared: bool

    async def connect(self) -> None: ...
    async def disconnect(self) -> None: ...
    async def subscribe(self, channel: str) -> None: ...
    async def unsubscribe(self, channel: str) -> None: ...
    async def publish(self, channel: str, message: bytes) -> None: ...
    async def next_published(self) -> tuple[str, bytes]:
        """The next message on a subscribed channel, or (message.RESYNC, b"") after a
        loss."""
        ...
    async def ping(self) -> bool: ...


class MemoryBroker:
    """One process, one queue. Bounded: a publisher waits rather than memory growing."""

    shared = False

    def __init__(self, capacity: int = 10_000) -> None:
        self._channels: set[str] = set()
        self._queue: asyncio.Queue[tuple[str, bytes]] = asyncio.Queue(capacity)

    async def connect(self) -> None:
        pass

    async def disconnect(self) -> None:
        self._channels.clear()

    async def subscribe(self, channel: str) -> None:
        self._channels.add(channel)

    async def unsubscribe(self, channel: str) -> None:
        self._channels.discard(channel)

    async def publish(self, channel: str, message: bytes) -> None:
        if channel in self._channels:
            await self._queue.put((channel, message))

    async def next_published(self) -> tuple[str, bytes]:
        return await self._queue.get()

    async def ping(self) -> bool:
        return True


def make_broker(url: str | None) -> Broker:
    """The broker for a URL: none or memory:// in-process; redis:// across processes."""
    if not url or url.startswith("memory://"):
        return MemoryBroker()
    if url.startswith(("redis://", "rediss://", "unix://")):
        from app.rooms.live.redis_broker import RedisBroker  # only where Redis is configured

        return RedisBroker(url)
    raise ValueError(f"no broker for {url.split(':', 1)[0]!r} URLs; use redis:// or leave it unset")
