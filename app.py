"""Application factory: configuration, the knowledge base, blueprints and error handlers."""
from __future__ import annotations

import os
import secrets
from pathlib import Path

from flask import Flask, jsonify
from werkzeug.middleware.proxy_fix import ProxyFix

from adapters.graph_files import DEFAULT_GRAPH_DATA, load_knowledge_base
from adapters.repository import AssessmentStore
from schemas.knowledge import HealthSchema
from web import api, apidocs, assessments, requestlog, security
from web.jsonout import HtmlSafeJSONProvider
from web.openapi import Reply, documented
from web.problems import register_error_handlers


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
        API_TOKENS=security.parse_tokens(os.environ.get("ADVISOR_API_TOKENS", "")),
        PROXY_COUNT=_env_int("ADVISOR_PROXY_COUNT", 0),
        LOG_LEVEL=os.environ.get("ADVISOR_LOG_LEVEL", "INFO"),
        ACCESS_LOG=True,
    )
    if test_config:
        app.config.from_mapping(test_config)
    if not app.config.get("SECRET_KEY"):
        app.config["SECRET_KEY"] = _secret_key(app.instance_path)
    if app.config["PROXY_COUNT"]:  # behind N proxies: take the client address and scheme from their headers
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=app.config["PROXY_COUNT"], x_proto=app.config["PROXY_COUNT"])
    app.json = HtmlSafeJSONProvider(app)
    app.extensions["advisor.kb"] = load_knowledge_base(app.config["GRAPH_DATA"])

    store = AssessmentStore(app.config["DATABASE_URL"])
    store.create_schema()
    store.dispose()  # no connection is held across gunicorn's fork; each worker opens its own
    app.extensions["advisor.store"] = store

    requestlog.init_app(app)
    security.init_app(app)
    app.register_blueprint(api.bp)
    app.register_blueprint(assessments.bp)
    app.register_blueprint(apidocs.bp)
    register_error_handlers(app)

    @app.get("/healthz")
    @documented("Liveness", tags=("health",),
                responses={200: Reply(HealthSchema, "Up, with the knowledge base loaded.",
                                      example=lambda: {"status": "ok",
                                                       "knowledge_base_version": app.extensions["advisor.kb"].version})})
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
