"""Saved assessments in any SQLAlchemy database: a SQLite file by default, PostgreSQL for larger installs.

Each process opens its own engine on first use, so gunicorn workers forked
from a preloaded master never share a connection. SQLite runs in WAL mode
with a busy timeout, so several workers can write at once.
"""
from __future__ import annotations

import fcntl
import hashlib
import json
import os
import secrets
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

import orjson
from sqlalchemy import (
    JSON, Column, DateTime, Engine, Index, LargeBinary, MetaData, PrimaryKeyConstraint, String, Table, create_engine,
    event, func, make_url, select,
)
from sqlalchemy.exc import IntegrityError

from advisor.errors import IdempotencyConflict

__all__ = ["ANYONE", "Assessment", "AssessmentStore", "IdempotencyConflict", "engine_for", "new_id"]

MIGRATIONS = Path(__file__).with_name("migrations")
# list(created_by=ANYONE): every client's assessments, not one client's.
ANYONE = object()

metadata = MetaData()

assessments = Table(
    "assessments", metadata,
    Column("id", String(32), primary_key=True),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("name", String(200), nullable=True),
    Column("profile", JSON, nullable=False),
    Column("result", JSON, nullable=False),
    Column("knowledge_base_version", String(64), nullable=False),
    # The digest of the client and the key it sent (scoped_idempotency_key), so keys never cross clients.
    Column("idempotency_key", String(255), nullable=True, unique=True),
    Column("request_hash", String(64), nullable=True),
    # The token name or signed-in user who saved it; None while the service is open to all.
    Column("created_by", String(200), nullable=True),
    Index("ix_assessments_created_at", "created_at"),
    Index("ix_assessments_created_by", "created_by", "created_at"),
)

# A saved report renders the same bytes every time for the same code and templates (render_key), so each
# format is rendered once and served from here afterwards. A deploy that changes the look changes the key;
# rows under an old key are never read again.
report_renders = Table(
    "report_renders", metadata,
    Column("assessment_id", String(32), nullable=False),
    Column("format", String(8), nullable=False),
    Column("render_key", String(64), nullable=False),
    Column("body", LargeBinary, nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    PrimaryKeyConstraint("assessment_id", "format", "render_key", name="pk_report_renders"),
)


def scoped_idempotency_key(client: str | None, key: str) -> str:
    """What an idempotency key is stored as: a digest of the client and the key, so another client's equal key
    never finds it."""
    return hashlib.sha256(f"{client or ''}\n{key}".encode()).hexdigest()


def new_id() -> str:
    """A random, unguessable id: 128 bits, URL-safe."""
    return secrets.token_hex(16)


@dataclass(frozen=True)
class Assessment:
    """A saved assessment: the input, the result and the knowledge-base version it was made with."""

    id: str
    created_at: datetime
    name: str | None
    profile: dict
    result: dict
    knowledge_base_version: str
    idempotency_key: str | None = None
    request_hash: str | None = None
    created_by: str | None = None


class AssessmentStore:
    """Create, read and list saved assessments."""

    def __init__(self, url: str):
        self.url = url
        self._engine: Engine | None = None
        self._pid: int | None = None
        database = make_url(url).database if url.startswith("sqlite") else None
        self._write_lock = f"{database}.write-lock" if database and database != ":memory:" else None

    @property
    def engine(self) -> Engine:
        if self._engine is None or self._pid != os.getpid():
            self._engine = _make_engine(self.url)
            self._pid = os.getpid()
        return self._engine

    def create_schema(self) -> None:
        """Bring the database to the newest schema revision (Alembic), creating the tables in an empty one.

        A database made before migrations existed is recognised by its tables and upgraded in place.
        """
        from alembic import command
        from alembic.config import Config

        config = Config()
        config.set_main_option("script_location", str(MIGRATIONS))
        with self._one_writer(), self.engine.begin() as conn:
            if conn.dialect.name == "postgresql":  # one upgrade at a time when several servers start together
                conn.exec_driver_sql("SELECT pg_advisory_xact_lock(74511201)")
            config.attributes["connection"] = conn
            command.upgrade(config, "head")

    def schema_is_current(self) -> bool:
        """Whether the database is at the newest schema revision."""
        from alembic.config import Config
        from alembic.script import ScriptDirectory

        config = Config()
        config.set_main_option("script_location", str(MIGRATIONS))
        return self.schema_revision() == ScriptDirectory.from_config(config).get_current_head()

    def schema_revision(self) -> str | None:
        """The Alembic revision the database is at, or None before the first."""
        from alembic.runtime.migration import MigrationContext

        with self.engine.connect() as conn:
            return MigrationContext.configure(conn).get_current_revision()

    def dispose(self) -> None:
        if self._engine is not None:
            self._engine.dispose()
            self._engine = None

    def add(self, profile: dict, result: dict, knowledge_base_version: str, *,
            idempotency_key: str | None = None, request_hash: str | None = None,
            created_by: str | None = None) -> tuple[Assessment, bool]:
        """Store a new assessment; with an idempotency key this client used before, return the original instead.

        Returns the assessment and whether it was created now.
        """
        if idempotency_key is not None:
            idempotency_key = scoped_idempotency_key(created_by, idempotency_key)
        row = {
            "id": new_id(), "created_at": datetime.now(timezone.utc), "name": profile.get("name"),
            "profile": profile, "result": result, "knowledge_base_version": knowledge_base_version,
            "idempotency_key": idempotency_key, "request_hash": request_hash, "created_by": created_by,
        }
        # Everything that needs no lock happens before it is taken: the JSON text and the connection.
        values = {**row, "profile": _Serialised(_json_text(profile)), "result": _Serialised(_json_text(result))}
        try:
            # One short transaction: the look-up of the key and the insert, then one durable commit.
            with self.engine.connect() as conn, self._one_writer(), conn.begin():
                if idempotency_key is not None:
                    found = conn.execute(select(assessments).where(assessments.c.idempotency_key == idempotency_key)
                                         ).mappings().first()
                    if found is not None:
                        return self._replay(_from_row(found), request_hash), False
                conn.execute(assessments.insert(), values)
        except IntegrityError:
            if idempotency_key is None:
                raise
            # Another request with the same key won the race: answer with its assessment.
            existing = self._by_stored_key(idempotency_key)
            if existing is None:
                raise
            return self._replay(existing, request_hash), False
        return Assessment(**row), True

    @contextmanager
    def _one_writer(self):
        """On SQLite, writers from every worker queue on a file lock instead of polling the database lock.

        SQLite lets one writer in at a time and makes the others retry after sleeps of up to 100 ms, which
        under load wastes the time the lock is free and leaves some requests waiting for seconds. A blocking
        file lock wakes the next writer as soon as the last one commits. PostgreSQL needs none of this.
        """
        if self._write_lock is None:
            yield
            return
        fd = os.open(self._write_lock, os.O_RDWR | os.O_CREAT, 0o600)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX)
            yield
        finally:
            os.close(fd)  # closing releases the lock

    @staticmethod
    def _replay(existing: Assessment, request_hash: str | None) -> Assessment:
        if existing.request_hash != request_hash:
            raise IdempotencyConflict(existing)
        return existing

    def get(self, assessment_id: str) -> Assessment | None:
        with self.engine.connect() as conn:
            row = conn.execute(select(assessments).where(assessments.c.id == assessment_id)).mappings().first()
        return _from_row(row) if row else None

    def by_idempotency_key(self, key: str, client: str | None = None) -> Assessment | None:
        """The assessment this client saved with this idempotency key, or None."""
        return self._by_stored_key(scoped_idempotency_key(client, key))

    def _by_stored_key(self, key: str) -> Assessment | None:
        with self.engine.connect() as conn:
            row = conn.execute(select(assessments).where(assessments.c.idempotency_key == key)).mappings().first()
        return _from_row(row) if row else None

    def list(self, limit: int, offset: int, created_by=ANYONE, name_contains: str | None = None,
             ) -> tuple[list[Assessment], int]:
        """Newest first; returns one page and the total count. created_by limits it to one client's, name_contains
        to applications whose name holds that text in any case (``%`` and ``_`` match only themselves)."""
        where = [] if created_by is ANYONE else [assessments.c.created_by == created_by]
        if name_contains:
            where.append(assessments.c.name.icontains(name_contains, autoescape=True))
        with self.engine.connect() as conn:
            total = conn.execute(select(func.count()).select_from(assessments).where(*where)).scalar_one()
            rows = conn.execute(
                select(assessments).where(*where).order_by(assessments.c.created_at.desc(), assessments.c.id)
                .limit(limit).offset(offset)
            ).mappings().all()
        return [_from_row(r) for r in rows], total

    def get_render(self, assessment_id: str, fmt: str, key: str) -> bytes | None:
        """The stored rendering of a report in one format under one render key, or None."""
        c = report_renders.c
        with self.engine.connect() as conn:
            body = conn.execute(select(c.body).where(c.assessment_id == assessment_id, c.format == fmt,
                                                     c.render_key == key)).scalar_one_or_none()
        return bytes(body) if body is not None else None

    def put_render(self, assessment_id: str, fmt: str, key: str, body: bytes) -> bytes:
        """Store a rendering in place of any older one of the same report and format (another look, another
        day's warning), so each report keeps one per format; when another worker stored the same key first,
        keep and return theirs."""
        row = {"assessment_id": assessment_id, "format": fmt, "render_key": key, "body": body,
               "created_at": datetime.now(timezone.utc)}
        try:
            with self._one_writer(), self.engine.begin() as conn:
                conn.execute(report_renders.delete().where(
                    report_renders.c.assessment_id == assessment_id, report_renders.c.format == fmt,
                    report_renders.c.render_key != key))
                conn.execute(report_renders.insert().values(**row))
        except IntegrityError:
            stored = self.get_render(assessment_id, fmt, key)
            if stored is None:
                raise
            return stored
        return body

    def render_count(self) -> int:
        """How many renderings are stored (every format and key)."""
        with self.engine.connect() as conn:
            return conn.execute(select(func.count()).select_from(report_renders)).scalar_one()

    def count(self) -> int:
        with self.engine.connect() as conn:
            return conn.execute(select(func.count()).select_from(assessments)).scalar_one()


def _from_row(row) -> Assessment:
    created = row["created_at"]
    if created.tzinfo is None:  # SQLite returns naive datetimes
        created = created.replace(tzinfo=timezone.utc)
    profile, result = row["profile"], row["result"]
    if isinstance(profile, str):
        profile, result = json.loads(profile), json.loads(result)
    return Assessment(id=row["id"], created_at=created, name=row["name"], profile=profile, result=result,
                      knowledge_base_version=row["knowledge_base_version"],
                      idempotency_key=row["idempotency_key"], request_hash=row["request_hash"],
                      created_by=row["created_by"])


def _private_file(database: str | None) -> None:
    """Create a SQLite database file readable by its owner only; SQLite gives its -wal and -shm files the
    same mode. An existing file keeps its mode."""
    if not database or database == ":memory:" or database.startswith("file:"):
        return
    try:
        os.close(os.open(database, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
    except FileExistsError:
        pass


def engine_for(url: str) -> Engine:
    """An engine for this database URL, set up as the store uses it."""
    return _make_engine(url)


def _make_engine(url: str) -> Engine:
    if url.startswith("sqlite"):
        _private_file(make_url(url).database)
        engine = create_engine(url, connect_args={"timeout": 30}, json_serializer=_json_text)

        @event.listens_for(engine, "connect")
        def _sqlite_pragmas(dbapi_connection, _record):
            cursor = dbapi_connection.cursor()
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA synchronous=FULL")
            cursor.execute("PRAGMA busy_timeout=30000")
            cursor.close()

        return engine
    if url.startswith("postgres://"):
        url = "postgresql://" + url[len("postgres://"):]
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url[len("postgresql://"):]
    return create_engine(url, pool_pre_ping=True, pool_size=5, max_overflow=5, json_serializer=_json_text)


class _Serialised(str):
    """JSON text already made, which the engine's serializer stores as it is."""


def _json_text(value) -> str:
    """A profile or result as the JSON text stored: orjson's (a 40 KB result in a tenth of the standard library's
    time), read back by any JSON reader as the same values."""
    if isinstance(value, _Serialised):
        return value
    try:
        return orjson.dumps(value, option=orjson.OPT_NON_STR_KEYS).decode()
    except TypeError:  # an integer beyond 64 bits
        return json.dumps(value)
