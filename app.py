"""Application factory: configuration, the knowledge base, blueprints and error handlers."""
from __future__ import annotations

import os
from datetime import date
from pathlib import Path

from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix

from adapters.graph_files import DEFAULT_GRAPH_DATA
from adapters.repository import AssessmentStore
from web import (api, apidocs, assessments, auth, extensions, health, iac_api, kb_cli, metrics, pages, public_url,
                 render_guard, reports, requestlog, security)
from web.cli import advise
from web.review_cli import review_command
from web.jsonout import HtmlSafeJSONProvider
from web.knowledge_loading import load_or_defer
from web.problems import register_error_handlers
from web.secret_key import secret_key
from web.sessions import CachedSerializerSessionInterface


def _env_int(name: str, default: int) -> int:
    value = os.environ.get(name)
    return int(value) if value else default


def create_app(test_config: dict | None = None) -> Flask:
    """Build the application: defaults, then environment, then test configuration."""
    app = Flask(__name__, instance_path=os.environ.get("ADVISOR_INSTANCE_PATH") or None)
    # The instance folder holds the database and the secret key: its owner's alone.
    Path(app.instance_path).mkdir(mode=0o700, parents=True, exist_ok=True)
    app.config.from_mapping(
        GRAPH_DATA=os.environ.get("ADVISOR_GRAPH_DATA", str(DEFAULT_GRAPH_DATA)),
        MAX_CONTENT_LENGTH=_env_int("ADVISOR_MAX_BODY_BYTES", 1_000_000),
        ADVISOR_BATCH_LIMIT=_env_int("ADVISOR_BATCH_LIMIT", 1_000),
        ADVISOR_MAX_BATCH_BODY_BYTES=_env_int("ADVISOR_MAX_BATCH_BODY_BYTES", 5_000_000),
        MIGRATE_ON_START=os.environ.get("ADVISOR_MIGRATE_ON_START", "1") != "0",
        # infrastructure files sent for a review: several MB of Terraform plan are common
        ADVISOR_MAX_IAC_BODY_BYTES=_env_int("ADVISOR_MAX_IAC_BODY_BYTES", 25_000_000),
        DATABASE_URL=os.environ.get("DATABASE_URL") or f"sqlite:///{Path(app.instance_path) / 'advisor.sqlite3'}",
        KB_MAX_AGE_DAYS=_env_int("ADVISOR_KB_MAX_AGE_DAYS", 180),
        TODAY=None,  # tests pin "today" (a date or YYYY-MM-DD) for the staleness check
        WTF_CSRF_ENABLED=True,
        # A token lives as long as the browser session, so a form left open for a while still submits.
        WTF_CSRF_TIME_LIMIT=None,
        SESSION_COOKIE_SAMESITE="Lax",
        # Who may read and write saved assessments (web/auth.py): named tokens with scopes, and/or the user an
        # authenticating proxy names in a header. Neither set: the service is open to all, as a team's tool.
        API_TOKENS=os.environ.get("ADVISOR_API_TOKENS", ""),
        TRUSTED_USER_HEADER=os.environ.get("ADVISOR_TRUSTED_USER_HEADER", ""),
        TRUSTED_USER_SCOPES=os.environ.get("ADVISOR_TRUSTED_USER_SCOPES", "read+write"),
        LIST_ALL_USERS=os.environ.get("ADVISOR_LIST_ALL_USERS", ""),
        PROXY_COUNT=_env_int("ADVISOR_PROXY_COUNT", 0),
        # Where people reach the service; every absolute link (PDFs, decision records) starts with it.
        PUBLIC_URL=os.environ.get("ADVISOR_PUBLIC_URL")
        or public_url.default_public_url(os.environ.get("ADVISOR_BIND", "127.0.0.1:8000")),
        # Host names the service answers to; others get 400. Links never come from the Host header either way.
        TRUSTED_HOSTS=[h.strip() for h in os.environ.get("ADVISOR_TRUSTED_HOSTS", "").split(",") if h.strip()] or None,
        # How long a request waits for another worker's render of the same report; inside gunicorn's timeout.
        RENDER_WAIT=float(os.environ.get("ADVISOR_RENDER_WAIT")
                          or render_guard.default_wait(_env_int("ADVISOR_TIMEOUT", 30))),
        # A batch stops here and says it is incomplete rather than being cut off by the worker timeout.
        ADVISOR_BATCH_DEADLINE=float(os.environ.get("ADVISOR_BATCH_DEADLINE")
                                     or render_guard.default_wait(_env_int("ADVISOR_TIMEOUT", 30))),
        LOG_LEVEL=os.environ.get("ADVISOR_LOG_LEVEL", "INFO"),
        ACCESS_LOG=True,
    )
    if test_config:
        app.config.from_mapping(test_config)
    if not app.config.get("SECRET_KEY"):
        app.config["SECRET_KEY"] = secret_key(app.instance_path)
    if isinstance(app.config["TODAY"], str):
        app.config["TODAY"] = date.fromisoformat(app.config["TODAY"])
    if app.config["KB_MAX_AGE_DAYS"] < 0:
        raise ValueError("ADVISOR_KB_MAX_AGE_DAYS must be zero or more")
    if app.config["PROXY_COUNT"]:  # behind N proxies: take the client address and scheme from their headers
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=app.config["PROXY_COUNT"], x_proto=app.config["PROXY_COUNT"])
    app.json = HtmlSafeJSONProvider(app)
    app.session_interface = CachedSerializerSessionInterface()
    kb = load_or_defer(app)
    store = AssessmentStore(app.config["DATABASE_URL"])
    if app.config["MIGRATE_ON_START"]:
        store.create_schema()  # Alembic: upgrade to the newest revision
    elif not store.schema_is_current():
        raise RuntimeError(f"the database schema is at revision {store.schema_revision()}, not the newest; run "
                           "`alembic upgrade head` with this DATABASE_URL, or start with ADVISOR_MIGRATE_ON_START=1")
    store.dispose()  # no connection is held across gunicorn's fork; each worker opens its own
    extensions.init_app(app, kb, store)
    # what shapes a saved report's bytes, taken once; REPORT_RENDER_KEY overrides it (tests)
    app.extensions["advisor.render_key"] = app.config.get("REPORT_RENDER_KEY") or reports.render_digest(app)

    requestlog.init_app(app)
    metrics.init_app(app)  # counts every answer, refusals included
    public_url.init_app(app)
    auth.init_app(app)  # who may read and write saved assessments; before the CSRF check
    security.init_app(app)  # headers, CSRF on every form post
    health.init_app(app)
    app.register_blueprint(api.bp)
    app.register_blueprint(assessments.bp)
    app.register_blueprint(iac_api.bp)
    app.register_blueprint(apidocs.bp)
    app.register_blueprint(pages.bp)
    app.register_blueprint(reports.bp)
    app.cli.add_command(kb_cli.kb_cli)
    app.cli.add_command(advise)
    app.cli.add_command(review_command)
    register_error_handlers(app)

    return app


def __getattr__(name: str):
    """`app:app` for gunicorn and the flask CLI, built on first use rather than on import."""
    if name == "app":
        global app
        app = create_app()
        return app
    raise AttributeError(name)
