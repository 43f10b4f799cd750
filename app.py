"""Application factory: configuration, the knowledge base, blueprints and error handlers."""
from __future__ import annotations

import os
import secrets
from pathlib import Path

from flask import Flask, jsonify

from adapters.graph_files import DEFAULT_GRAPH_DATA, load_knowledge_base
from adapters.repository import AssessmentStore
from web import api, assessments
from web.problems import register_error_handlers
from web.sessions import CachedSerializerSessionInterface


def _env_int(name: str, default: int) -> int:
    value = os.environ.get(name)
    return int(value) if value else default


def _secret_key(instance_path: str) -> str:
    """SECRET_KEY from the environment, else a random key made once and kept in the instance folder."""
    if os.environ.get("SECRET_KEY"):
        return os.environ["SECRET_KEY"]
    path = Path(instance_path) / "secret_key"
    try:
        return path.read_text().strip()
    except FileNotFoundError:
        pass
    key = secrets.token_hex(32)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:  # another worker made it first
        return path.read_text().strip()
    with os.fdopen(fd, "w") as handle:
        handle.write(key)
    return key


def create_app(test_config: dict | None = None) -> Flask:
    """Build the application: defaults, then environment, then test configuration."""
    app = Flask(__name__, instance_path=os.environ.get("ADVISOR_INSTANCE_PATH") or None)
    Path(app.instance_path).mkdir(parents=True, exist_ok=True)
    app.config.from_mapping(
        GRAPH_DATA=os.environ.get("ADVISOR_GRAPH_DATA", str(DEFAULT_GRAPH_DATA)),
        MAX_CONTENT_LENGTH=_env_int("ADVISOR_MAX_BODY_BYTES", 1_000_000),
        DATABASE_URL=os.environ.get("DATABASE_URL") or f"sqlite:///{Path(app.instance_path) / 'advisor.sqlite3'}",
    )
    if test_config:
        app.config.from_mapping(test_config)
    if not app.config.get("SECRET_KEY"):
        app.config["SECRET_KEY"] = _secret_key(app.instance_path)
    app.json.sort_keys = True
    app.json.compact = True
    app.session_interface = CachedSerializerSessionInterface()
    app.extensions["advisor.kb"] = load_knowledge_base(app.config["GRAPH_DATA"])

    store = AssessmentStore(app.config["DATABASE_URL"])
    store.create_schema()
    app.extensions["advisor.store"] = store

    app.register_blueprint(api.bp)
    app.register_blueprint(assessments.bp)
    register_error_handlers(app)

    @app.get("/healthz")
    def healthz():
        """Liveness: the knowledge base is loaded."""
        return jsonify(status="ok", knowledge_base_version=app.extensions["advisor.kb"].version)

    return app


def __getattr__(name: str):
    """`app:app` for gunicorn and the flask CLI, built on first use rather than on import."""
    if name == "app":
        global app
        app = create_app()
        return app
    raise AttributeError(name)
