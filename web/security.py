"""Protection every request and response gets: security headers and CSRF on forms (web/auth.py decides who
may read and write).

Kept path-based rather than per view or blueprint, so endpoints added later
are covered without a line of their own: every write outside /api/ (the HTML
forms) needs a CSRF token, and every response carries the headers.
"""
from __future__ import annotations

from flask import Flask, Response, current_app, request
from flask_wtf.csrf import CSRFProtect

from .jsonbody import read_body

__all__ = ["SAFE_METHODS", "SECURITY_HEADERS", "csrf", "init_app"]

# Methods that only read: they need no API token and no CSRF token (the API document says the same).
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "TRACE"})

# No inline script or style anywhere: pages load their CSS and scripts from /static. Inline <svg> elements are
# fine under this policy as long as they use presentation attributes (fill=, stroke=) rather than style=.
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; "
    "connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'"
)
SECURITY_HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    # same-origin, not no-referrer: an assessment's address never leaves the site (reports link to AWS
    # documentation), yet form posts keep the same-origin Referer that Flask-WTF checks under HTTPS.
    "Referrer-Policy": "same-origin",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Cross-Origin-Resource-Policy": "same-origin",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=(), payment=(), usb=()",
}

# One instance for the whole application. It checks nothing by itself (WTF_CSRF_CHECK_DEFAULT is off);
# _csrf_for_forms below calls it for every write outside /api/, where clients are programs, not browsers.
csrf = CSRFProtect()


def _csrf_for_forms() -> None:
    if (request.method in SAFE_METHODS or request.path.startswith("/api/") or request.endpoint is None
            or not current_app.config.get("WTF_CSRF_ENABLED", True)):
        return
    csrf.protect()


def _chunked_form_limit() -> None:
    """Form posts sent chunked are held to the body limit too (the API's JSON reader checks its own)."""
    if (request.method not in SAFE_METHODS and request.content_length is None and not request.path.startswith("/api/")
            and request.headers.get("Transfer-Encoding", "").lower().endswith("chunked")):
        read_body()


# Answers hold teams' architecture details: no cache keeps them. Static files set their own Cache-Control.
_DEFAULT_HEADERS = tuple((name.lower(), name, value)
                         for name, value in (*SECURITY_HEADERS.items(), ("Cache-Control", "no-store")))


def _add_headers(response: Response) -> Response:
    # Each header the response does not set itself, added in one pass (Headers.setdefault rescans every header for
    # each name, about 30 µs a response).
    present = {name.lower() for name in response.headers.keys()}
    for lowered, name, value in _DEFAULT_HEADERS:
        if lowered not in present:
            response.headers.add(name, value)
    return response


def init_app(app: Flask) -> None:
    """Install the checks and headers; call before registering blueprints."""
    app.config["WTF_CSRF_CHECK_DEFAULT"] = False
    csrf.init_app(app)
    app.before_request(_chunked_form_limit)
    app.before_request(_csrf_for_forms)
    app.after_request(_add_headers)
