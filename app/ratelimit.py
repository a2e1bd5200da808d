"""Rate limits (SPEC §7), with the `limits` library: in memory in one process, in Redis
when ASKROOM_REDIS_URL is set, so that they hold across processes.

- cards and progress: per participant, keyed on their token as the bearer scheme parses
  it (`per_participant`): however the header is spelt, one person is one key;
- rooms and joins: per client address;
- misses: answers of 404 on a room's routes, per client address. Past the limit the
  address gets 429 on every room route, found or not, so codes cannot be enumerated.
"""

from __future__ import annotations

import logging
import math
import time
from collections.abc import Callable
from typing import Annotated, Any

import orjson
from fastapi import Depends, Request
from limits import RateLimitItem, parse
from limits.storage import MemoryStorage, Storage, storage_from_string
from limits.strategies import MovingWindowRateLimiter
from starlette.concurrency import run_in_threadpool
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from app.config import Settings
from app.rooms.http.deps import Credential
from app.rooms.keys import hash_secret

log = logging.getLogger("askroom.ratelimit")
# A Redis that stops answering must not hold up a request for long: past this, the limits
# let it through (RateLimits._ask).
REDIS_TIMEOUT_S = 0.5


class RateLimited(Exception):
    def __init__(self, retry_after: int, detail: str) -> None:
        super().__init__(detail)
        self.retry_after = retry_after
        self.detail = detail


class RateLimits:
    DETAILS = {
        "cards": "You are posting faster than the room can read: wait a few seconds.",
        "progress": "Progress is being reported faster than anyone can follow: wait a moment.",
        "rooms": "Too many rooms created from here: wait a minute.",
        "joins": "Too many joins from here: wait a minute.",
        "misses": "Too many unknown room codes from here: wait a minute.",
    }

    def __init__(self, settings: Settings) -> None:
        self.in_memory = not settings.redis_url
        self.storage: Storage = QuietMemoryStorage() if self.in_memory else storage_from_string(
            _storage_url(settings.redis_url), socket_timeout=REDIS_TIMEOUT_S,
            socket_connect_timeout=REDIS_TIMEOUT_S)
        self.limiter = MovingWindowRateLimiter(self.storage)
        self.items: dict[str, RateLimitItem] = {
            "cards": parse(settings.rate_cards),
            "progress": parse(settings.rate_progress),
            "rooms": parse(settings.rate_rooms),
            "joins": parse(settings.rate_joins),
            "misses": parse(settings.rate_misses),
        }

    async def ask(self, question: Callable[[str, str], None], name: str, key: str) -> None:
        """hit, check or count, from a coroutine: in memory at once, and on Redis (a round
        trip over the network) in a worker thread, so the event loop never waits on it."""
        if self.in_memory:
            question(name, key)
        else:
            await run_in_threadpool(question, name, key)

    def hit(self, name: str, key: str) -> None:
        """Count one; refuse with RateLimited when over the limit."""
        item = self.items[name]
        if not self._ask(self.limiter.hit, item, name, key):
            raise RateLimited(self._retry_after(item, name, key), self.DETAILS[name])

    def check(self, name: str, key: str) -> None:
        """Refuse if over the limit, without counting this one."""
        item = self.items[name]
        if not self._ask(self.limiter.test, item, name, key):
            raise RateLimited(self._retry_after(item, name, key), self.DETAILS[name])

    def count(self, name: str, key: str) -> None:
        self._ask(self.limiter.hit, self.items[name], name, key)

    @staticmethod
    def _ask(question: Callable[..., bool], *args: Any) -> bool:
        # A meeting must not stop because the limits' store (Redis) is away: let it through.
        try:
            return question(*args)
        except Exception as error:
            log.warning("rate limits unavailable, letting the request through: %s", error)
            return True

    def _retry_after(self, item: RateLimitItem, name: str, key: str) -> int:
        try:
            reset = self.limiter.get_window_stats(item, name, key).reset_time
        except Exception:
            return int(item.get_expiry())
        return max(1, math.ceil(reset - time.time()))


class QuietMemoryStorage(MemoryStorage):
    """`limits`' memory storage, sweeping out old entries at most once a second.

    The original starts a thread 10 ms after every hit to sweep every key: at 20 cards a
    second that was a new thread per card, and with 1,000 participants' keys about 0.6 ms
    of CPU each, taken from the fan-out. The moving window reads entries' own times, so a
    later sweep only frees memory later; it changes no answer."""

    SWEEP_EVERY_S = 1.0

    def __init__(self) -> None:
        self._next_sweep = 0.0
        super().__init__()

    def _MemoryStorage__schedule_expiry(self) -> None:  # the base class's private hook
        now = time.monotonic()
        if now >= self._next_sweep:
            self._next_sweep = now + self.SWEEP_EVERY_S
            super()._MemoryStorage__schedule_expiry()  # type: ignore[misc]


def _storage_url(redis_url: str) -> str:
    # limits names its Redis storages by scheme: redis://, rediss://, redis+unix://.
    return "redis+unix://" + redis_url.removeprefix("unix://") if redis_url.startswith(
        "unix://") else redis_url


def client_address(scope: Scope | Request) -> str:
    client = scope.client if isinstance(scope, Request) else scope.get("client")
    return str(client[0]) if client else "unknown"


def _limits(request: Request) -> RateLimits:
    return request.app.state.rate_limits  # type: ignore[no-any-return]


def per_address(name: str) -> Any:
    """A route dependency: count this request against `name` for the client's address."""
    async def dependency(request: Request) -> None:
        limits = _limits(request)
        await limits.ask(limits.hit, name, client_address(request))
    return Depends(dependency)


def per_participant(name: str) -> Any:
    """A route dependency: count against `name` for the participant the credential is.

    The key is the credential as the bearer scheme parses it (so no spelling of the
    header is a second key), hashed as the database keeps it. A participant has exactly
    one token, and only that exact string authenticates, so the key is the participant:
    without a read of the database on every post. A credential that is no participant's
    only fills its own bucket; the command refuses it (401, 403 or 404) as before."""
    async def dependency(request: Request, credential: Credential) -> None:
        if credential:
            limits = _limits(request)
            await limits.ask(limits.hit, name, f"participant:{hash_secret(credential)}")
    return Depends(dependency)


LimitRooms = Annotated[None, per_address("rooms")]
LimitJoins = Annotated[None, per_address("joins")]
LimitCards = Annotated[None, per_participant("cards")]
LimitProgress = Annotated[None, per_participant("progress")]

# Routes named by a room's or a partnership's code: a 404 there may be someone guessing.
_ROOM_ROUTES = ("/api/rooms/", "/r/", "/ws/rooms/", "/api/partnerships/", "/p/")


class MissLimit:
    """Counts 404s on room routes per address, and turns the address away when too many.

    Only a 404 asks the limits' store (after it is answered); every other request is
    checked against what this process learnt then, in memory: a Redis that stops
    answering must not hold up the reads of a room. With several processes, an address
    over the limit is turned away by each process at its first miss there."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app
        # address -> (until, on the monotonic clock; the Retry-After to send)
        self.refused: dict[str, tuple[float, int]] = {}

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] not in ("http", "websocket") or not scope["path"].startswith(
                _ROOM_ROUTES):
            await self.app(scope, receive, send)
            return
        address = client_address(scope)
        refused = self._refusal(address)
        if refused is not None:
            await _refuse(scope, send, refused)
            return
        missed = False

        async def noting_send(message: Message) -> None:
            nonlocal missed
            if message["type"] in ("http.response.start", "websocket.http.response.start") \
                    and message["status"] == 404:
                missed = True
            await send(message)

        await self.app(scope, receive, noting_send)
        if missed:
            limits: RateLimits = scope["app"].state.rate_limits
            try:
                await limits.ask(limits.hit, "misses", address)
                await limits.ask(limits.check, "misses", address)  # is the next one allowed?
            except RateLimited as over:
                self._refuse_for(address, over.retry_after)

    def _refusal(self, address: str) -> RateLimited | None:
        until, retry_after = self.refused.get(address, (0.0, 0))
        now = time.monotonic()
        if until <= now:
            self.refused.pop(address, None)
            return None
        return RateLimited(max(1, min(retry_after, math.ceil(until - now))),
                           RateLimits.DETAILS["misses"])

    def _refuse_for(self, address: str, retry_after: int) -> None:
        now = time.monotonic()
        for stale in [a for a, (until, _) in self.refused.items() if until <= now]:
            del self.refused[stale]  # the table holds only the addresses turned away now
        self.refused[address] = (now + retry_after, retry_after)


async def _refuse(scope: Scope, send: Send, refused: RateLimited) -> None:
    body = orjson.dumps({"detail": refused.detail, "code": "rate_limited"})
    start = "http.response.start" if scope["type"] == "http" else "websocket.http.response.start"
    body_type = "http.response.body" if scope["type"] == "http" else "websocket.http.response.body"
    await send({"type": start, "status": 429, "headers": [
        (b"content-type", b"application/json"), (b"retry-after", str(refused.retry_after).encode()),
        (b"content-length", str(len(body)).encode())]})
    await send({"type": body_type, "body": body})
