"""Alembic migrations are the only way the schema is made or changed (SPEC §8)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from alembic.script import ScriptDirectory
from sqlalchemy import inspect, text

from app import schema
from app.db import make_engine
from tests.scaleout.conftest import migrate
from tests.server import free_port


def test_migrate_builds_an_empty_postgresql_database(postgres_url: str) -> None:
    result = migrate(postgres_url)
    assert result.returncode == 0, result.stderr
    engine = make_engine(postgres_url)
    try:
        tables = set(inspect(engine).get_table_names())
        assert {"rooms", "participants", "prompts", "cards", "replies", "events"} <= tables
        assert not schema.pending(engine)
    finally:
        engine.dispose()


def test_serve_on_postgresql_refuses_a_schema_that_is_behind(postgres_url: str) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "app.cli", "serve", "--port", str(free_port())],
        env={**os.environ, "ASKROOM_DATABASE_URL": postgres_url},
        capture_output=True, text=True, timeout=30, check=False)
    assert result.returncode == 2
    assert "askroom migrate" in result.stderr


def test_every_older_sqlite_schema_upgrades_to_the_newest_keeping_its_rooms(
        tmp_path: Path) -> None:
    """A file at each earlier revision, with a room in it, upgrades and keeps the room."""
    engine = make_engine(f"sqlite:///{tmp_path / 'probe.db'}")
    revisions = [r.revision for r in reversed(list(
        ScriptDirectory.from_config(schema._config(engine)).walk_revisions()))]
    engine.dispose()
    assert revisions, "no migrations shipped"
    for revision in revisions:
        engine = make_engine(f"sqlite:///{tmp_path / f'{revision}.db'}")
        config = schema._config(engine)
        from alembic import command

        with engine.connect() as connection:
            config.attributes["connection"] = connection
            command.upgrade(config, revision)
            connection.commit()
        with engine.begin() as connection:
            connection.execute(text(
                "INSERT INTO rooms (code, title, purpose, state, seq, created_at, "
                "facilitator_key_hash, organiser_key_hash) VALUES ('K7MQ2P', 'Old room', '', "
                "'open', 0, '2026-01-01 00:00:00', 'f', 'o')"))
        schema.upgrade(engine)
        assert not schema.pending(engine)
        with engine.connect() as connection:
            titles = connection.execute(text("SELECT title FROM rooms")).scalars().all()
        assert titles == ["Old room"]
        engine.dispose()


def test_the_migrations_build_the_schema_the_models_describe(tmp_path: Path) -> None:
    """What the code expects (SQLModel's tables) is what the migrations make: a model
    changed without its migration fails here, not on someone's server."""
    from alembic.autogenerate import compare_metadata
    from alembic.runtime.migration import MigrationContext
    from sqlmodel import SQLModel

    import app.partnerships.models  # noqa: F401 - every table on the metadata
    import app.rooms.models  # noqa: F401

    engine = make_engine(f"sqlite:///{tmp_path / 'drift.db'}")
    schema.upgrade(engine)
    with engine.connect() as connection:
        drift = compare_metadata(MigrationContext.configure(connection), SQLModel.metadata)
    engine.dispose()
    assert drift == []
