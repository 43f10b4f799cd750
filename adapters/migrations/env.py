"""Alembic's environment: run the revisions in versions/ on the connection the service hands over, or on
DATABASE_URL when run from the command line (`alembic upgrade head`)."""
from __future__ import annotations

import os

from alembic import context

from adapters.repository import engine_for, metadata

config = context.config


def _run(connection) -> None:
    context.configure(connection=connection, target_metadata=metadata, render_as_batch=True)
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:
        _run(connection)
        return
    url = config.get_main_option("sqlalchemy.url") or os.environ.get("DATABASE_URL")
    if not url:
        raise SystemExit("Set DATABASE_URL to the database to upgrade (for example sqlite:///instance/advisor.sqlite3).")
    engine = engine_for(url)
    try:
        with engine.connect() as connection:
            _run(connection)
    finally:
        engine.dispose()


if context.is_offline_mode():
    raise SystemExit("Offline (SQL script) mode is not supported: run `alembic upgrade head` against the database.")
run_migrations_online()
