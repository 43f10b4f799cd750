"""Saved assessments in any SQLAlchemy database: a SQLite file by default, PostgreSQL for larger installs.

Each process opens its own engine on first use, so gunicorn workers forked
from a preloaded master never share a connection. SQLite runs in WAL mode
with a busy timeout, so several workers can write at once.
"""
from __future__ import annotations

import fcntl
import json
import os
import secrets
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timezone

from sqlalchemy import (
    JSON, Column, DateTime, Engine, Index, LargeBinary, MetaData, PrimaryKeyConstraint, String, Table, create_engine,
    event, func, make_url, select,
)
from sqlalchemy.exc import IntegrityError

from advisor.errors import IdempotencyConflict

__all__ = ["Assessment", "AssessmentStore", "IdempotencyConflict", "new_id"]

metadata = MetaData()

assessments = Table(
    "assessments", metadata,
    Column("id", String(32), primary_key=True),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("name", String(200), nullable=True),
    Column("profile", JSON, nullable=False),
    Column("result", JSON, nullable=False),
    Column("knowledge_base_version", String(64), nullable=False),
    Column("idempotency_key", String(255), nullable=True, unique=True),
    Column("request_hash", String(64), nullable=True),
    Index("ix_assessments_created_at", "created_at"),
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
        metadata.create_all(self.engine, checkfirst=True)

    def dispose(self) -> None:
        if self._engine is not None:
            self._engine.dispose()
            self._engine = None

    def add(self, profile: dict, result: dict, knowledge_base_version: str, *,
            idempotency_key: str | None = None, request_hash: str | None = None) -> tuple[Assessment, bool]:
        """Store a new assessment; with a known idempotency key return the original instead.

        Returns the assessment and whether it was created now.
        """
        if idempotency_key is not None:
            existing = self.by_idempotency_key(idempotency_key)
            if existing is not None:
                return self._replay(existing, request_hash), False
        row = {
            "id": new_id(), "created_at": datetime.now(timezone.utc), "name": profile.get("name"),
            "profile": profile, "result": result, "knowledge_base_version": knowledge_base_version,
            "idempotency_key": idempotency_key, "request_hash": request_hash,
        }
        try:
            with self._one_writer(), self.engine.begin() as conn:
                conn.execute(assessments.insert().values(**row))
        except IntegrityError:
            if idempotency_key is None:
                raise
            # Another request with the same key won the race: answer with its assessment.
            existing = self.by_idempotency_key(idempotency_key)
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

    def by_idempotency_key(self, key: str) -> Assessment | None:
        with self.engine.connect() as conn:
            row = conn.execute(select(assessments).where(assessments.c.idempotency_key == key)).mappings().first()
        return _from_row(row) if row else None

    def list(self, limit: int, offset: int) -> tuple[list[Assessment], int]:
        """Newest first; returns one page and the total count."""
        with self.engine.connect() as conn:
            total = conn.execute(select(func.count()).select_from(assessments)).scalar_one()
            rows = conn.execute(
                select(assessments).order_by(assessments.c.created_at.desc(), assessments.c.id)
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
                      idempotency_key=row["idempotency_key"], request_hash=row["request_hash"])


def _make_engine(url: str) -> Engine:
    if url.startswith("sqlite"):
        engine = create_engine(url, connect_args={"timeout": 30})

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
    return create_engine(url, pool_pre_ping=True, pool_size=5, max_overflow=5)
