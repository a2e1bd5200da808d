"""The database engine and its transactions.

SQLite gets WAL (readers never block the writer) and explicit transactions: pysqlite's
own transaction handling would let two SELECTs of one snapshot see different states,
and would start writes as deferred transactions that fail when two writers meet.
"""

from __future__ import annotations

import sqlite3
import threading
import weakref
from collections.abc import Callable, Iterator
from contextlib import contextmanager, nullcontext
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any, TypeVar

from sqlalchemy import Engine, create_engine, event
from sqlmodel import Session
from starlette.concurrency import run_in_threadpool

T = TypeVar("T")
BUSY_TIMEOUT_S = 30
# A checkpoint copies the log (WAL) into the database file and syncs it: 3-4 ms. Left to
# SQLite, it runs inside whichever commit fills the log to 1,000 pages (every ~150 cards),
# in the middle of a post. The server checkpoints in the background instead (checkpoint(),
# every CHECKPOINT_EVERY_S); SQLite's own stays as a backstop, ten times further out.
CHECKPOINT_EVERY_S = 1.0
WAL_BACKSTOP_PAGES = 10_000

# SQLite takes one writer at a time. Left to itself, a writer that finds the lock taken
# sleeps in steps of up to 100 ms before it tries again (its busy handler): under a burst of
# posts that polling, not the work, made the tail. Writers of one process queue here
# instead, in order, each woken the moment the last one commits.
_WRITERS: weakref.WeakKeyDictionary[Engine, threading.Lock] = weakref.WeakKeyDictionary()


def make_engine(url: str, *, sqlite_synchronous: str = "NORMAL") -> Engine:
    if not url.startswith("sqlite"):
        return create_engine(url, pool_pre_ping=True, pool_size=10, max_overflow=20)
    # Connections for every worker thread (AnyIO's pool has 40): none waits for the pool.
    engine = create_engine(url, connect_args={"check_same_thread": False,
                                              "timeout": BUSY_TIMEOUT_S},
                           pool_size=20, max_overflow=30)
    _WRITERS[engine] = threading.Lock()

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None  # we issue BEGIN ourselves, below
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute(f"PRAGMA synchronous={sqlite_synchronous}")
        cursor.execute(f"PRAGMA wal_autocheckpoint={WAL_BACKSTOP_PAGES}")
        cursor.execute("PRAGMA foreign_keys=ON")
        # What is deleted or overwritten is zeroed, not left in free space: a withdrawn
        # name must leave the file, not only the rows (log/people.py, leaving).
        cursor.execute("PRAGMA secure_delete=ON")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Any) -> None:
        # IMMEDIATE takes the write lock up front, so two writers queue instead of failing.
        options = connection.get_execution_options()
        mode = options.get("sqlite_begin", "DEFERRED")
        if not options.get("sqlite_nowait"):
            connection.exec_driver_sql(f"BEGIN {mode}")
            return
        raw = connection.connection.driver_connection
        raw.execute("PRAGMA busy_timeout = 0")
        try:
            raw.execute(f"BEGIN {mode}")
        except sqlite3.OperationalError as error:  # SQLITE_BUSY: another process writes
            raise WriterBusy from error
        finally:
            raw.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_S * 1000}")

    return engine


def is_sqlite(engine: Engine) -> bool:
    return engine.dialect.name == "sqlite"


def checkpoint(engine: Engine, mode: str = "PASSIVE") -> None:
    """Copy what SQLite's log holds into the database file. PASSIVE (the background
    one) waits for no reader or writer: it goes as far as it can. TRUNCATE (after an
    erasure) waits for readers of older snapshots, copies everything and empties the
    log file, so no old page stays in it."""
    assert mode in ("PASSIVE", "TRUNCATE")
    connection = engine.raw_connection()  # in autocommit: no checkpoint in a transaction
    try:
        connection.driver_connection.execute(f"PRAGMA wal_checkpoint({mode})")  # type: ignore[union-attr]
    finally:
        connection.close()


@contextmanager
def read_session(engine: Engine) -> Iterator[Session]:
    """One consistent snapshot of the database for the length of the block."""
    with Session(engine, expire_on_commit=False) as session, session.begin():
        yield session


@contextmanager
def write_session(engine: Engine) -> Iterator[Session]:
    """A transaction that commits at the end of the block, or rolls back on error."""
    on_loop = _ON_LOOP.get()
    bound = engine
    if is_sqlite(engine):
        bound = engine.execution_options(sqlite_begin="IMMEDIATE",
                                         sqlite_nowait=on_loop is not None and on_loop.first)
    if on_loop is not None:
        on_loop.first = False
    writers = (None if on_loop is not None else _WRITERS.get(engine)) or nullcontext()
    with writers, Session(bound, expire_on_commit=False) as session, session.begin():
        yield session


class WriterBusy(Exception):
    """Another process holds SQLite's write lock: this write must wait, but not on the loop."""


@dataclass
class _OnLoop:
    first: bool = True  # the call's first transaction has not begun yet


_ON_LOOP: ContextVar[_OnLoop | None] = ContextVar("askroom_write_on_loop", default=None)


async def run_write(engine: Engine, call: Callable[..., T], *args: Any, **kwargs: Any) -> T:
    """Run `call`, whose transactions write, and return what it returns.

    On SQLite, when no other thread of ours is writing, it runs on the event loop itself.
    A write there takes about a millisecond of CPU, and under the GIL a worker thread would
    not run it alongside the loop anyway: sending it to one only added two thread hops,
    which cost as much again. Should another process hold SQLite's write lock, it goes to
    a worker thread to wait there. Elsewhere (PostgreSQL, a busy writer) it runs in a
    worker thread, as everything that may wait does.
    """
    writers = _WRITERS.get(engine)
    if writers is not None and writers.acquire(blocking=False):
        token = _ON_LOOP.set(_OnLoop())
        try:
            return call(*args, **kwargs)
        except WriterBusy:
            pass  # nothing was written: the first BEGIN did not get the lock
        finally:
            _ON_LOOP.reset(token)
            writers.release()
    return await run_in_threadpool(call, *args, **kwargs)
