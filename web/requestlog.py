"""One structured log line per request, and the request id that ties it to the response.

Lines are JSON on stdout through the logging module: time, request id,
method, path, status, duration, remote address and user agent. Never bodies,
query strings or headers beyond the user agent, so no profile and no token
reaches the log.
"""
from __future__ import annotations

import json
import logging
import re
import secrets
import sys
import time
from datetime import datetime, timezone

import orjson
from flask import Flask, Response, current_app, g, has_request_context, request

__all__ = ["JsonFormatter", "configure_logging", "init_app", "request_id"]

_VALID_ID = re.compile(r"[A-Za-z0-9._:-]{1,128}")
_FIELDS = ("request_id", "method", "path", "status", "duration_ms", "remote_addr", "user_agent")

access_log = logging.getLogger("advisor.access")


class JsonFormatter(logging.Formatter):
    """A log record as one JSON object on one line."""

    def format(self, record: logging.LogRecord) -> str:
        line = {"time": datetime.fromtimestamp(record.created, timezone.utc).isoformat(timespec="milliseconds"),
                "level": record.levelname.lower(), "logger": record.name, "message": record.getMessage()}
        for name in _FIELDS:
            if hasattr(record, name):
                line[name] = getattr(record, name)
        if "request_id" not in line and has_request_context() and "request_id" in g:
            line["request_id"] = g.request_id
        if record.exc_info:
            line["exception"] = self.formatException(record.exc_info)
        try:
            return orjson.dumps(line, default=str).decode()
        except TypeError:  # what orjson does not take (an integer beyond 64 bits): the standard library's
            return json.dumps(line, ensure_ascii=False, default=str)


class _StdoutHandler(logging.StreamHandler):
    """Writes to whatever sys.stdout is at the time (gunicorn's, or a test's capture)."""

    @property
    def stream(self):
        return sys.stdout

    @stream.setter
    def stream(self, _value):
        pass


def configure_logging(level: str = "INFO") -> None:
    """JSON lines on stdout for every 'advisor' logger; safe to call more than once."""
    logger = logging.getLogger("advisor")
    if not any(isinstance(h, _StdoutHandler) for h in logger.handlers):
        handler = _StdoutHandler()
        handler.setFormatter(JsonFormatter())
        logger.addHandler(handler)
    logger.setLevel(level.upper())
    logger.propagate = False


def request_id() -> str:
    """The current request's id."""
    if "request_id" not in g:
        incoming = request.headers.get("X-Request-ID", "")
        g.request_id = incoming if _VALID_ID.fullmatch(incoming) else secrets.token_hex(16)
    return g.request_id


def _start() -> None:
    g.request_started = time.perf_counter()
    request_id()


def _finish(response: Response) -> Response:
    response.headers["X-Request-ID"] = request_id()
    if current_app.config.get("ACCESS_LOG", True):
        started = g.get("request_started")
        access_log.info("request", extra={
            "request_id": request_id(), "method": request.method, "path": request.path[:2000],
            "status": response.status_code,
            "duration_ms": round((time.perf_counter() - started) * 1000, 2) if started else None,
            "remote_addr": request.remote_addr, "user_agent": request.headers.get("User-Agent", "")[:300]})
    return response


def init_app(app: Flask) -> None:
    """Give every request an id and a log line; call first, so the id exists before any other hook runs."""
    configure_logging(app.config.get("LOG_LEVEL", "INFO"))
    app.before_request_funcs.setdefault(None, []).insert(0, _start)
    app.after_request(_finish)
