"""The service's public address (ADVISOR_PUBLIC_URL): every absolute link it writes starts with it.

Links in PDFs and decision records, and the render cache's keys, never come from the request's Host or
X-Forwarded-* headers, so a client cannot put its own host into a stored report or force a new rendering
by sending another one. Left unset, the address is the one the service listens on (ADVISOR_BIND, default
127.0.0.1:8000), which suits one machine; set it wherever people reach the service by another name.
"""
from __future__ import annotations

import re
from urllib.parse import urlsplit

from flask import Flask, current_app, request

__all__ = ["base", "default_public_url", "init_app", "link", "origin", "parse_public_url"]

_HOST = re.compile(r"[A-Za-z0-9.-]+|[0-9A-Fa-f:.]+")
_PATH = re.compile(r"(/[A-Za-z0-9._~-]+)*")


def default_public_url(bind: str) -> str:
    """http:// and the first address gunicorn binds, with a wildcard host read as localhost."""
    first = bind.split(",")[0].strip()
    if first.startswith("unix:"):
        return "http://localhost"
    host, _, port = first.rpartition(":")
    if host in ("", "0.0.0.0", "[::]", "::"):
        host = "localhost"
    return f"http://{host}:{port}" if port else f"http://{host}"


def parse_public_url(value: str) -> str:
    """The public URL without a trailing slash; ValueError naming the setting when it is not an http(s) URL."""
    parts = urlsplit(value.strip())
    try:
        parts.port  # noqa: B018 - raises ValueError for a port that is not a number in range
        well_formed = (parts.scheme in ("http", "https") and bool(parts.hostname)
                       and _HOST.fullmatch(parts.hostname) is not None and not parts.username
                       and not parts.query and not parts.fragment and _PATH.fullmatch(parts.path.rstrip("/")))
    except ValueError:
        well_formed = False
    if not well_formed:
        raise ValueError(f"ADVISOR_PUBLIC_URL must be an http:// or https:// address such as "
                         f"https://advisor.example.org (optionally with a path), not {value[:100]!r}")
    return f"{parts.scheme}://{parts.netloc}{parts.path.rstrip('/')}"


def base() -> str:
    """The public URL, e.g. https://advisor.example.org or https://intranet.example/advisor."""
    return current_app.config["PUBLIC_URL"]


def origin() -> str:
    """Scheme and host of the public URL, without any path."""
    parts = urlsplit(base())
    return f"{parts.scheme}://{parts.netloc}"


def link(path: str) -> str:
    """The absolute address of a path the app made with url_for (which starts with the script root)."""
    root = request.script_root if request else ""
    if root and path.startswith(root + "/"):
        path = path[len(root):]
    return base() + path


def init_app(app: Flask) -> None:
    """Check the configured public URL; mark the session cookie Secure when it is https."""
    app.config["PUBLIC_URL"] = parse_public_url(app.config["PUBLIC_URL"])
    if app.config["PUBLIC_URL"].startswith("https://"):
        app.config["SESSION_COOKIE_SECURE"] = True
        app.config["PREFERRED_URL_SCHEME"] = "https"
