"""A throwaway PostgreSQL server for the saves row: the same one the storage tests start (tests/postgres_server.py)."""
from __future__ import annotations

import sys
from pathlib import Path

__all__ = ["start_postgres"]

_TESTS = Path(__file__).resolve().parent.parent / "tests"


def start_postgres():
    """A running PostgreSQL on loopback with a fresh database, as (server, database URL); None where not installed."""
    sys.path.insert(0, str(_TESTS))
    try:
        from postgres_server import PostgresServer
    finally:
        sys.path.remove(str(_TESTS))
    server = PostgresServer()
    if not server.available:
        return None
    server.start()
    try:
        return server, server.create_database("advisor_bench")
    except Exception:
        server.stop()
        raise
