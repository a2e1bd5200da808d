"""The Broker contract, one suite for every backend (STYLE.md: "one contract test suite,
parametrised over every backend"). A new backend is one more entry in BACKENDS."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import pytest

from app.rooms.live.broker import Broker, MemoryBroker, make_broker

WAIT = 2.0  # a message published to a subscribed channel arrives well within this

# Each backend by the URL make_broker() is given for it in production.
# "redis" stands for the URL of a real redis-server the session starts on loopback.
BACKENDS = [
    pytest.param("memory://", id="memory"),
    pytest.param("redis", id="redis"),
]


@pytest.fixture(params=BACKENDS)
async def broker(request: pytest.FixtureRequest) -> AsyncIterator[Broker]:
    url = request.param
    if url == "redis":
        url = request.getfixturevalue("redis_server").url
    backend = make_broker(url)
    await backend.connect()
    try:
        yield backend
    finally:
        await backend.disconnect()


async def next_message(broker: Broker) -> tuple[str, bytes]:
    return await asyncio.wait_for(broker.next_published(), WAIT)


async def test_a_message_published_to_a_subscribed_channel_arrives_with_the_same_bytes(
        broker: Broker) -> None:
    await broker.subscribe("K7MQ2P")
    message = b'{"seq": 1, "text": "\xc3\xa9"}\x00\xff'
    await broker.publish("K7MQ2P", message)
    assert await next_message(broker) == ("K7MQ2P", message)


async def test_messages_on_a_channel_arrive_in_the_order_published(broker: Broker) -> None:
    await broker.subscribe("K7MQ2P")
    sent = [f"event {n}".encode() for n in range(200)]
    for message in sent:
        await broker.publish("K7MQ2P", message)
    received = [await next_message(broker) for _ in sent]
    assert received == [("K7MQ2P", m) for m in sent]


async def test_each_message_is_tagged_with_its_own_channel(broker: Broker) -> None:
    await broker.subscribe("AAAAAA")
    await broker.subscribe("BBBBBB")
    await broker.publish("AAAAAA", b"a1")
    await broker.publish("BBBBBB", b"b1")
    await broker.publish("AAAAAA", b"a2")
    received = [await next_message(broker) for _ in range(3)]
    assert received == [("AAAAAA", b"a1"), ("BBBBBB", b"b1"), ("AAAAAA", b"a2")]


async def test_a_channel_never_subscribed_is_not_delivered(broker: Broker) -> None:
    """The next message after one on a foreign channel is the one on ours."""
    await broker.subscribe("OURS22")
    await broker.publish("THEIRS", b"not for us")
    await broker.publish("OURS22", b"for us")
    assert await next_message(broker) == ("OURS22", b"for us")


async def test_an_unsubscribed_channel_is_no_longer_delivered(broker: Broker) -> None:
    await broker.subscribe("LEFT22")
    await broker.subscribe("STAYED")
    await broker.unsubscribe("LEFT22")
    await broker.publish("LEFT22", b"after leaving")
    await broker.publish("STAYED", b"still here")
    assert await next_message(broker) == ("STAYED", b"still here")


async def test_a_channel_subscribed_again_is_delivered_again(broker: Broker) -> None:
    await broker.subscribe("BACK22")
    await broker.unsubscribe("BACK22")
    await broker.subscribe("BACK22")
    await broker.publish("BACK22", b"welcome back")
    assert await next_message(broker) == ("BACK22", b"welcome back")


async def test_ping_answers_true_while_connected(broker: Broker) -> None:
    assert await asyncio.wait_for(broker.ping(), WAIT) is True


# --- choosing a backend by URL -----------------------------------------------------------


@pytest.mark.parametrize("url", [None, "", "memory://"])
def test_no_url_or_memory_url_gives_the_in_process_broker(url: str | None) -> None:
    assert isinstance(make_broker(url), MemoryBroker)


@pytest.mark.parametrize("url", ["kafka://localhost:9092", "http://localhost:6379", "redis"])
def test_an_unknown_scheme_is_refused(url: str) -> None:
    with pytest.raises(ValueError):
        make_broker(url)


async def test_redis_going_away_is_survived_and_reported_as_a_resync() -> None:
    """Pub/sub forgets what it could not deliver: after a reconnect the broker says RESYNC
    (so the hub reads the database), and messages flow again on the same channels."""
    from app.rooms.live.message import RESYNC
    from tests.services import RedisServer

    redis_server = RedisServer().start()
    broker = make_broker(redis_server.url)
    await broker.connect()
    try:
        await broker.subscribe("K7MQ2P")
        await broker.publish("K7MQ2P", b"before")
        assert await next_message(broker) == ("K7MQ2P", b"before")
        listening = asyncio.create_task(broker.next_published())
        await asyncio.to_thread(redis_server.stop)
        assert not await broker.ping()
        with pytest.raises(Exception):  # noqa: B017 - whatever the client raises, it raises
            await broker.publish("K7MQ2P", b"lost")
        await asyncio.to_thread(redis_server.start)  # same port
        assert await asyncio.wait_for(listening, 15) == (RESYNC, b"")
        assert await broker.ping()
        await broker.publish("K7MQ2P", b"after")
        assert await next_message(broker) == ("K7MQ2P", b"after")
    finally:
        await broker.disconnect()
        redis_server.stop()
