"""The application: `create_app(settings)` wires the database, broker, hub and routes."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from importlib.resources import files

from fastapi import FastAPI
from fastapi.responses import JSONResponse
from fastapi.staticfiles import StaticFiles
from sqlalchemy import text
from starlette.concurrency import run_in_threadpool

from app import errors, schema
from app.config import Settings, get_settings
from app.db import is_sqlite, make_engine
from app.headers import SecurityHeaders
from app.limits import BodyLimit
from app.ratelimit import MissLimit, RateLimits
from app.rooms import api, pages, ws
from app.rooms.broker import make_broker
from app.rooms.hub import Hub
from app.rooms.schemas import Health
from app.rooms.service import RoomService

log = logging.getLogger("askroom")


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or get_settings()

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
                  window=settings.replay_window, gap_wait_s=settings.gap_wait_s)
        await hub.start()
        app.state.settings, app.state.engine = settings, engine
        app.state.rate_limits = RateLimits(settings)
        app.state.service, app.state.hub = service, hub
        try:
            yield
        finally:
            await hub.stop()
            engine.dispose()

    app = FastAPI(
        title="Askroom",
        version="0.1.0",
        summary="Direct requests, asks, offers and commitments, live in the room.",
        lifespan=lifespan,
    )
    errors.install(app)
    app.include_router(api.router)
    app.include_router(ws.router)
    app.include_router(pages.router)
    app.mount("/static", StaticFiles(directory=str(files("app") / "static")), name="static")

    @app.get("/healthz", response_model=Health, tags=["health"])
    async def healthz() -> dict[str, str]:
        """The process is serving."""
        return {"status": "ok"}

    @app.get("/readyz", response_model=Health, responses={503: {"model": Health}},
             tags=["health"])
    async def readyz() -> JSONResponse:
        """The database answers, and the broker where one is configured."""
        def database_answers() -> bool:
            with app.state.engine.connect() as connection:
                connection.execute(text("SELECT 1"))
            return True

        try:
            ready = await run_in_threadpool(database_answers) and await app.state.hub.broker.ping()
        except Exception:
            ready = False
        return JSONResponse({"status": "ready" if ready else "unavailable"},
                            status_code=200 if ready else 503)

    app.add_middleware(BodyLimit, max_bytes=settings.max_body_bytes)
    app.add_middleware(MissLimit)
    app.add_middleware(SecurityHeaders)
    return app
