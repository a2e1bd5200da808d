"""The application: `create_app(settings)` wires the database, broker, hub and routes."""

from __future__ import annotations

import asyncio
import gc
import logging
import signal
import threading
from collections import Counter
from collections.abc import AsyncIterator, Callable
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from importlib.resources import files
from types import FrameType

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles
from sqlalchemy import Engine
from starlette.concurrency import run_in_threadpool

from app import api_docs, errors, health, schema
from app.config import Settings, get_settings
from app.db import CHECKPOINT_EVERY_S, checkpoint, is_sqlite, make_engine
from app.headers import SecurityHeaders
from app.limits import BodyLimit
from app.partnerships import http as partnership_routes
from app.partnerships import log as partnerships
from app.ratelimit import MissLimit, RateLimits
from app.rooms.http import cards, exports, pages, people, prompts, rooms, runsheet, ws
from app.rooms.live.broker import make_broker
from app.rooms.live.hub import Hub
from app.rooms.live.transport import KeepProtocol
from app.rooms.log.service import RoomService

log = logging.getLogger("askroom")
# The collector's thresholds (Python's are 700, 10, 10): a young pass per 10,000 new
# objects rather than 700 (each still well under a millisecond), and a full pass after 100
# middle ones rather than 10.
GC_THRESHOLDS = (10_000, 10, 100)


def close_streams_before_exit(hub: Hub) -> Callable[[], None]:
    """On SIGTERM or SIGINT, close every stream with 1001 first, then let the server's own
    handler stop it (it would otherwise close them with 1012). Returns an undo."""
    if threading.current_thread() is not threading.main_thread():
        return lambda: None  # signals belong to the main thread; tests may run us elsewhere
    loop = asyncio.get_running_loop()
    originals = {sig: signal.getsignal(sig) for sig in (signal.SIGTERM, signal.SIGINT)}

    def on_signal(signum: int, frame: FrameType | None) -> None:
        hub.going_away()
        original = originals[signal.Signals(signum)]
        if callable(original):
            # A moment for the close frames to go out before the server starts to stop.
            loop.call_later(0.2, original, signum, frame)

    for sig in originals:
        signal.signal(sig, on_signal)

    def restore() -> None:
        for sig, original in originals.items():
            signal.signal(sig, original)

    return restore


async def delete_expired_rooms(service: RoomService, hub: Hub, settings: Settings) -> None:
    """Delete rooms closed longer ago than the retention period, and partnerships past
    theirs, at start and then periodically. It keeps no state of its own: the times are
    in the database, so a restart loses nothing."""
    delay = 1.0
    while True:
        await asyncio.sleep(delay)
        delay = settings.retention_check_s
        try:
            codes = await run_in_threadpool(service.expire_rooms, settings.retention_days)
            meetings = await run_in_threadpool(partnerships.expire, service.log,
                                               settings.partnership_retention_days)
        except Exception:
            log.exception("could not delete expired rooms")
            continue
        for code in codes:
            log.info("deleted room %s: closed more than %d days ago", code,
                     settings.retention_days)
        for code in meetings:
            log.info("deleted room %s with its partnership: no meeting for %d days", code,
                     settings.partnership_retention_days)
        for code in codes + meetings:
            await hub.room_deleted(code)


async def keep_the_log_short(engine: Engine) -> None:
    """SQLite only: checkpoint in the background, so no post pays for it (app/db.py)."""
    while True:
        await asyncio.sleep(CHECKPOINT_EVERY_S)
        try:
            await run_in_threadpool(checkpoint, engine)
        except Exception:
            log.exception("could not checkpoint the database")


def lifespan_for(settings: Settings) -> Callable[[FastAPI], AbstractAsyncContextManager[None]]:
    """What the app holds while it serves: the engine, the service, the hub and its broker,
    and the background tasks; all opened at start-up and closed at shut-down."""

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        engine = make_engine(settings.database_url)
        if is_sqlite(engine):
            await run_in_threadpool(schema.upgrade, engine)  # the first run needs nothing else
        elif await run_in_threadpool(schema.pending, engine):
            raise RuntimeError("The database schema is behind this version of Askroom: "
                               "run `askroom migrate` first.")
        service = RoomService(engine)
        hub = Hub(service, make_broker(settings.redis_url), backlog=settings.ws_send_backlog,
                  window=settings.replay_window, gap_wait_s=settings.gap_wait_s,
                  sweep_s=settings.sweep_s, buffer_limit=settings.ws_send_buffer_bytes)
        await hub.start()
        restore_signals = close_streams_before_exit(hub)
        background = [asyncio.create_task(delete_expired_rooms(service, hub, settings))]
        if is_sqlite(engine):
            background.append(asyncio.create_task(keep_the_log_short(engine)))
        app.state.settings, app.state.engine = settings, engine
        app.state.rate_limits = RateLimits(settings)
        app.state.open_sockets = Counter()  # live streams per client address (ws.py)
        app.state.service, app.state.hub = service, hub
        # What start-up made (modules, routes, the ORM's mappers: most of the heap) lives
        # as long as the process. Frozen, it is left out of the collector's full passes,
        # which otherwise walk it all, in the middle of a fan-out (up to 95 ms a pass with
        # 1,000 clients connected, measured in bench/).
        gc.collect()
        gc.freeze()
        # Then a full pass walks what the streams hold (tens of ms with 1,000 sockets): make
        # it rarer. Cycles that die young, nearly all of them, still go in the young passes.
        gc.set_threshold(*GC_THRESHOLDS)
        try:
            yield
        finally:
            for task in background:
                task.cancel()
            restore_signals()
            await hub.stop()
            engine.dispose()

    return lifespan


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or get_settings()
    app = FastAPI(
        title="Askroom",
        version="0.1.0",
        summary="Direct requests, asks, offers and commitments, live in the room.",
        lifespan=lifespan_for(settings),
        # FastAPI's own pages load an unpinned script from a CDN: see app/api_docs.py.
        docs_url=None,
        redoc_url=None,
    )
    errors.install(app)
    for subject in (rooms, people, prompts, cards, exports, runsheet):
        app.include_router(subject.router)
    app.include_router(ws.router)
    app.include_router(pages.router)
    app.include_router(partnership_routes.router)
    app.include_router(partnership_routes.pages)
    app.include_router(health.router)
    if settings.api_docs:
        app.include_router(api_docs.router)
    app.mount("/static", StaticFiles(directory=str(files("app") / "static")), name="static")

    app.add_middleware(BodyLimit, max_bytes=settings.max_body_bytes)
    app.add_middleware(MissLimit)
    app.add_middleware(SecurityHeaders)
    app.add_middleware(KeepProtocol)  # last added: outermost, sees the server's own send
    return app
