"""`askroom serve | migrate`: the commands an operator runs."""

from __future__ import annotations

import argparse
import logging
import sys

from app.config import get_settings


class _NoFrameContents(logging.Filter):
    """websockets logs every frame's contents at debug level, and a client's `auth` frame
    carries a key: keys never reach the logs, so frame contents do not either."""

    def filter(self, record: logging.LogRecord) -> bool:
        return not (record.levelno <= logging.DEBUG and str(record.msg).startswith(("< ", "> ")))


def _serve(args: argparse.Namespace) -> int:
    import uvicorn

    logging.getLogger("uvicorn.error").addFilter(_NoFrameContents())

    settings = get_settings()
    if args.workers > 1 and not settings.redis_url:
        print("askroom: more than one worker needs ASKROOM_REDIS_URL, so that every worker "
              "sees every room's events.", file=sys.stderr)
        return 2
    if not settings.database_url.startswith("sqlite"):
        from app import schema
        from app.db import make_engine

        engine = make_engine(settings.database_url)
        try:
            behind = schema.pending(engine)
        finally:
            engine.dispose()
        if behind:
            print("askroom: the database schema is behind this version of Askroom; run "
                  "`askroom migrate` first (with the same ASKROOM_DATABASE_URL).",
                  file=sys.stderr)
            return 2
    uvicorn.run(
        "app.main:create_app",
        factory=True,
        host=args.host,
        port=args.port,
        workers=args.workers,
        ws="websockets-sansio",
        ws_max_size=settings.ws_max_message_bytes,
        # Deflate costs ~5x the memory per socket for little gain on short JSON frames.
        ws_per_message_deflate=False,
        lifespan="on",
        proxy_headers=True,
        forwarded_allow_ips=settings.forwarded_allow_ips,
        log_level=args.log_level,
        timeout_graceful_shutdown=5,
    )
    return 0


def _migrate(_args: argparse.Namespace) -> int:
    from app import schema
    from app.db import make_engine

    engine = make_engine(get_settings().database_url)
    schema.upgrade(engine)
    print("askroom: the database schema is up to date.")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="askroom",
        description="Askroom: live requests, asks, offers and commitments for meetings. "
                    "Configured by ASKROOM_* environment variables (see the README).")
    commands = parser.add_subparsers(dest="command", required=True)
    serve = commands.add_parser("serve", help="run the server")
    serve.add_argument("--host", default="127.0.0.1", help="address to listen on")
    serve.add_argument("--port", type=int, default=8000, help="port to listen on")
    serve.add_argument("--workers", type=int, default=1,
                       help="worker processes (more than one needs ASKROOM_REDIS_URL)")
    serve.add_argument("--log-level", default="info",
                       choices=["critical", "error", "warning", "info", "debug"])
    serve.set_defaults(run=_serve)
    migrate = commands.add_parser("migrate", help="apply the database migrations")
    migrate.set_defaults(run=_migrate)
    args = parser.parse_args(argv)
    return int(args.run(args))


if __name__ == "__main__":
    raise SystemExit(main())
