"""The Redis broker: one pub/sub channel per room, shared by every process.

Pub/sub forgets what it could not deliver, so Redis is never the truth: the database is.
When the connection drops, this broker reconnects with back-off, subscribes again, and
tells the hub (with `RESYNC`) to read whatever it missed from the database.
"""

from __future__ import annotations

import asyncio
import logging
import random

import redis.asyncio as redis
from redis.exceptions import RedisError

from app.rooms.live.message import RESYNC

log = logging.getLogger("askroom.redis")

PREFIX = "askroom:room:"


class RedisBroker:
    shared = True

    def __init__(self, url: str) -> None:
        self.url = url
        self._redis: redis.Redis | None = None
        self._pubsub: redis.client.PubSub | None = None
        self._channels: set[str] = set()
        self._lock = asyncio.Lock()

    async def connect(self) -> None:
        # Short timeouts: a dead Redis must not hold up a POST that already committed.
        self._redis = redis.from_url(self.url, socket_connect_timeout=2, socket_timeout=2,
                                     health_check_interval=10)
        self._pubsub = self._redis.pubsub(ignore_subscribe_messages=True)

    async def disconnect(self) -> None:
        if self._pubsub is not None:
            await self._pubsub.aclose()
        if self._redis is not None:
            await self._redis.aclose()

    async def subscribe(self, channel: str) -> None:
        self._channels.add(channel)
        try:
            async with self._lock:
                await self._live_pubsub().subscribe(PREFIX + channel)
        except (RedisError, OSError):
            log.warning("could not subscribe to %s now; will on reconnect", channel)

    async def unsubscribe(self, channel: str) -> None:
        self._channels.discard(channel)
        try:
            async with self._lock:
                await self._live_pubsub().unsubscribe(PREFIX + channel)
        except (RedisError, OSError):
            pass  # a reconnect subscribes only to the channels still wanted

    async def publish(self, channel: str, message: bytes) -> None:
        assert self._redis is not None
        await self._redis.publish(PREFIX + channel, message)

    async def next_published(self) -> tuple[str, bytes]:
        delay = 0.2
        while True:
            try:
                pubsub = self._live_pubsub()
                if not pubsub.subscribed:
                    await asyncio.sleep(0.05)  # get_message needs a subscription to wait on
                    continue
                message = await pubsub.get_message(timeout=1.0)
                if message is not None and message["type"] == "message":
                    return message["channel"].decode().removeprefix(PREFIX), message["data"]
            except (RedisError, OSError) as error:
                log.warning("lost Redis (%s); reconnecting in %.1f s", error, delay)
                await asyncio.sleep(delay * (0.5 + random.random() / 2))
                delay = min(delay * 2, 5.0)
                if await self._resubscribe():
                    delay = 0.2
                    return RESYNC, b""

    async def ping(self) -> bool:
        try:
            assert self._redis is not None
            return bool(await self._redis.ping())
        except (RedisError, OSError):
            return False

    def _live_pubsub(self) -> redis.client.PubSub:
        assert self._pubsub is not None
        return self._pubsub

    async def _resubscribe(self) -> bool:
        """A fresh pub/sub connection with every channel still wanted; False if Redis is
        still away."""
        assert self._redis is not None
        async with self._lock:
            try:
                fresh = self._redis.pubsub(ignore_subscribe_messages=True)
                if self._channels:
                    await fresh.subscribe(*(PREFIX + c for c in self._channels))
            except (RedisError, OSError):
                return False
            old, self._pubsub = self._pubsub, fresh
        if old is not None:
            try:
                await old.aclose()
            except (RedisError, OSError):
                pass
        return True
