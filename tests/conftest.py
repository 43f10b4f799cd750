"""Shared fixtures: the app on test configuration, its client and CLI runner, the knowledge bases.

Behaviour is tested on the small fixture knowledge base in tests/fixtures/graph_data (fixture_kb,
fixture_app, fixture_client, fixture_runner, fixture_graph_copy): its figures are chosen for the
tests, so a change of AWS facts in graph_data/ does not move them. The production knowledge base
(kb, app, client, runner, graph_copy) is for the tests of the facts themselves.
"""
from __future__ import annotations

import shutil
import sys
import uuid
from pathlib import Path

import pytest

from adapters.graph_files import DEFAULT_GRAPH_DATA, load_knowledge_base
from app import create_app
from web import knowledge_loading

sys.path.insert(0, str(Path(__file__).parent))

FIXTURE_GRAPH_DATA = Path(__file__).resolve().parent / "fixtures" / "graph_data"

BASE_PROFILE = {"security_hours_per_month": 20, "patching_staff": 0, "customisation": "low", "isolation": "standard"}


@pytest.fixture(scope="session")
def kb():
    return load_knowledge_base()


@pytest.fixture(scope="session")
def fixture_kb():
    """The fixture knowledge base: four services (machines, cluster, tasks, functions), seven layers, one overlay."""
    return load_knowledge_base(FIXTURE_GRAPH_DATA)


@pytest.fixture(scope="session")
def postgres():
    """A real PostgreSQL server for the session; skipped where PostgreSQL is not installed."""
    from postgres_server import PostgresServer
    server = PostgresServer()
    if not server.available:
        pytest.skip("PostgreSQL is not installed (bash scripts/test.sh installs it as root)")
    server.start()
    yield server
    server.stop()


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def database_url(request, tmp_path):
    """Each storage test runs against a SQLite file and against a fresh PostgreSQL database."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'test.sqlite3'}"
    server = request.getfixturevalue("postgres")
    return server.create_database(f"t_{uuid.uuid4().hex[:12]}")


@pytest.fixture(scope="session", autouse=True)
def _read_only_knowledge_bases_load_once():
    """Apps built on graph_data/ or the fixture knowledge base share one load of it: tests never write to either.

    Tests that break or extend a knowledge base work on a copy (graph_copy, fixture_graph_copy), loaded afresh.
    """
    shared = {DEFAULT_GRAPH_DATA.resolve(): None, FIXTURE_GRAPH_DATA.resolve(): None}
    load = knowledge_loading.load_for_app

    def load_once(path):
        where = Path(path).resolve()
        if where not in shared:
            return load(path)
        if shared[where] is None:
            shared[where] = load(path)
        return shared[where]

    patch = pytest.MonkeyPatch()
    patch.setattr(knowledge_loading, "load_for_app", load_once)
    yield
    patch.undo()


@pytest.fixture(scope="session")
def _migrated_sqlite(tmp_path_factory) -> Path:
    """An empty SQLite database at the newest schema revision, copied for each app rather than migrated again."""
    path = tmp_path_factory.mktemp("template") / "migrated.sqlite3"
    app = create_app({"TESTING": True, "SECRET_KEY": "test-only-key", "GRAPH_DATA": str(FIXTURE_GRAPH_DATA),
                      "DATABASE_URL": f"sqlite:///{path}"})
    app.extensions["advisor.store"].dispose()
    return path


@pytest.fixture
def make_app(_migrated_sqlite):
    """Build apps with test configuration; their database connections close at teardown.

    A new SQLite file starts as a copy of an already migrated one (the upgrade at start then has nothing to do);
    an existing file, or a start with migration off, is left as the test made it.
    """
    built = []

    def make(**config):
        url = config.get("DATABASE_URL", "")
        if url.startswith("sqlite:///") and config.get("MIGRATE_ON_START", True):
            database = Path(url.removeprefix("sqlite:///"))
            if database.parent.is_dir() and not database.exists():
                shutil.copyfile(_migrated_sqlite, database)
        app = create_app({"TESTING": True, "SECRET_KEY": "test-only-key", **config})
        built.append(app)
        return app

    yield make
    for app in built:
        app.extensions["advisor.store"].dispose()


@pytest.fixture
def app(tmp_path, make_app):
    return make_app(DATABASE_URL=f"sqlite:///{tmp_path / 'test.sqlite3'}")


@pytest.fixture
def fixture_app(tmp_path, make_app):
    """The app on the fixture knowledge base, with a fresh SQLite database."""
    return make_app(GRAPH_DATA=str(FIXTURE_GRAPH_DATA), DATABASE_URL=f"sqlite:///{tmp_path / 'test.sqlite3'}")


@pytest.fixture
def fixture_client(fixture_app):
    return fixture_app.test_client()


@pytest.fixture
def fixture_runner(fixture_app):
    return fixture_app.test_cli_runner()


@pytest.fixture
def fixture_graph_copy(tmp_path) -> Path:
    """A writable copy of the fixture knowledge base for tests that break or extend it."""
    target = tmp_path / "fixture_graph_data"
    shutil.copytree(FIXTURE_GRAPH_DATA, target)
    return target


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


@pytest.fixture
def graph_copy(tmp_path) -> Path:
    """A writable copy of graph_data/ for tests that break or extend it."""
    target = tmp_path / "graph_data"
    shutil.copytree(DEFAULT_GRAPH_DATA, target)
    return target


@pytest.fixture
def profile():
    return dict(BASE_PROFILE)
