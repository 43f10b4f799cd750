"""Shared fixtures: the app on test configuration, its client and CLI runner, the knowledge base."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from adapters.graph_files import DEFAULT_GRAPH_DATA, load_knowledge_base
from app import create_app

BASE_PROFILE = {"security_hours_per_month": 20, "patching_staff": 0, "customisation": "low", "isolation": "standard"}


@pytest.fixture(scope="session")
def kb():
    return load_knowledge_base()


@pytest.fixture
def app(tmp_path):
    return create_app({"TESTING": True, "SECRET_KEY": "test-only-key", "INSTANCE_DIR": str(tmp_path)})


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
