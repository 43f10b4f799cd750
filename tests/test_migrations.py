"""Schema migrations (Alembic): a database made by the release before migrations upgrades without losing a row,
on SQLite and on PostgreSQL, and a new database starts at the newest revision."""
from datetime import datetime, timezone

from sqlalchemy import (JSON, Column, DateTime, Index, LargeBinary, MetaData, PrimaryKeyConstraint, String, Table,
                        create_engine, inspect, select)

from adapters.repository import AssessmentStore, assessments

HEAD = "0002"

# The tables exactly as the release before migrations made them with create_all.
release = MetaData()
Table("assessments", release,
      Column("id", String(32), primary_key=True),
      Column("created_at", DateTime(timezone=True), nullable=False),
      Column("name", String(200), nullable=True),
      Column("profile", JSON, nullable=False),
      Column("result", JSON, nullable=False),
      Column("knowledge_base_version", String(64), nullable=False),
      Column("idempotency_key", String(255), nullable=True, unique=True),
      Column("request_hash", String(64), nullable=True),
      Index("ix_assessments_created_at", "created_at"))
Table("report_renders", release,
      Column("assessment_id", String(32), nullable=False),
      Column("format", String(8), nullable=False),
      Column("render_key", String(64), nullable=False),
      Column("body", LargeBinary, nullable=False),
      Column("created_at", DateTime(timezone=True), nullable=False),
      PrimaryKeyConstraint("assessment_id", "format", "render_key", name="pk_report_renders"))


def _release_database(url: str, rows: int) -> list[str]:
    engine = create_engine(url)
    release.create_all(engine)
    ids = [f"{i:032x}" for i in range(1, rows + 1)]
    with engine.begin() as conn:
        for i, row_id in enumerate(ids):
            conn.execute(release.tables["assessments"].insert().values(
                id=row_id, created_at=datetime(2026, 11, 1, 9, i % 60, tzinfo=timezone.utc), name=f"Application {i}",
                profile={"name": f"Application {i}", "security_hours_per_month": i}, result={"ranking": []},
                knowledge_base_version="2026.11", idempotency_key=f"key-{i}" if i % 2 else None,
                request_hash="h" * 64 if i % 2 else None))
        conn.execute(release.tables["report_renders"].insert().values(
            assessment_id=ids[0], format="md", render_key="k" * 64, body=b"# stored", created_at=datetime.now(timezone.utc)))
    engine.dispose()
    return ids


def test_a_database_made_by_the_release_before_migrations_upgrades_without_losing_a_row(database_url):
    ids = _release_database(database_url, 25)
    store = AssessmentStore(database_url)
    try:
        assert store.schema_revision() is None
        store.create_schema()
        assert store.schema_revision() == HEAD
        assert store.count() == 25 and store.render_count() == 1
        for i, row_id in enumerate(ids):
            saved = store.get(row_id)
            assert saved.name == f"Application {i}" and saved.profile["security_hours_per_month"] == i
            assert saved.created_by is None
        # a retry with a key sent before the upgrade still replays its assessment, and only for the same client
        assert store.by_idempotency_key("key-1").id == ids[1]
        assert store.by_idempotency_key("key-1", client="someone") is None
        assert store.get_render(ids[0], "md", "k" * 64) == b"# stored"
        columns = {c["name"] for c in inspect(store.engine).get_columns("assessments")}
        assert "created_by" in columns
        store.create_schema()  # a second start changes nothing
        assert store.count() == 25 and store.schema_revision() == HEAD
    finally:
        store.dispose()


def test_a_new_database_starts_at_the_newest_revision_with_every_column(database_url):
    store = AssessmentStore(database_url)
    try:
        store.create_schema()
        assert store.schema_revision() == HEAD
        columns = {c["name"] for c in inspect(store.engine).get_columns("assessments")}
        assert columns == {c.name for c in assessments.columns}
        made, _ = store.add({"name": "x"}, {"ranking": []}, "1", created_by="alice")
        with store.engine.connect() as conn:
            assert conn.execute(select(assessments.c.created_by)).scalar_one() == "alice"
        assert made.created_by == "alice"
    finally:
        store.dispose()


def test_the_upgrade_is_a_documented_command_too(tmp_path, monkeypatch):
    import subprocess
    import sys
    from pathlib import Path
    url = f"sqlite:///{tmp_path / 'cli.sqlite3'}"
    _release_database(url, 3)
    root = Path(__file__).resolve().parent.parent
    done = subprocess.run([sys.executable, "-m", "alembic", "upgrade", "head"], cwd=root, capture_output=True,
                          text=True, env={**__import__("os").environ, "DATABASE_URL": url}, timeout=60)
    assert done.returncode == 0, done.stderr
    store = AssessmentStore(url)
    assert store.schema_revision() == HEAD and store.count() == 3
    store.dispose()


def test_with_start_up_migration_off_an_old_database_stops_the_start_until_upgraded(make_app, tmp_path):
    import pytest
    url = f"sqlite:///{tmp_path / 'off.sqlite3'}"
    _release_database(url, 2)
    with pytest.raises(RuntimeError, match="alembic upgrade head"):
        make_app(DATABASE_URL=url, MIGRATE_ON_START=False)
    make_app(DATABASE_URL=url)  # upgrades
    assert make_app(DATABASE_URL=url, MIGRATE_ON_START=False).extensions["advisor.store"].count() == 2
