"""Protection every request and response gets: security headers, API tokens on writes, CSRF on forms.

Kept path-based rather than per view or blueprint, so endpoints added later
are covered without a line of their own: every write under /api/ needs a
token when tokens are configured, every other write (the HTML forms) needs a
CSRF token, and every response carries the headers.
"""
from __future__ import annotations

import hashlib
import hmac

from flask import Flask, Response, current_app, request
from flask_wtf.csrf import CSRFProtect

from .problems import ApiProblem

__all__ = ["SAFE_METHODS", "SECURITY_HEADERS", "csrf", "init_app", "parse_tokens"]

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
MIN_TOKEN_LENGTH = 16

# One instance for the whole application. It checks nothing by itself (WTF_CSRF_CHECK_DEFAULT is off);
# _csrf_for_forms below calls it for every write outside /api/, where clients are programs, not browsers.
csrf = CSRFProtect()


def parse_tokens(value: str) -> tuple[str, ...]:
    """The API tokens of a comma-separated list; each must be at least 16 characters."""
    tokens = tuple(t.strip() for t in value.split(",") if t.strip())
    short = [i for i, t in enumerate(tokens, 1) if len(t) < MIN_TOKEN_LENGTH]
    if short:
        raise ValueError(f"ADVISOR_API_TOKENS: token {short[0]} is shorter than {MIN_TOKEN_LENGTH} characters")
    return tokens


def _token_matches(given: str, tokens: tuple[str, ...]) -> bool:
    # Hash first so every comparison is between equal lengths, and compare with every token, so the time
    # taken says nothing about which token, or how much of one, matched.
    digest = hashlib.sha256(given.encode()).digest()
    matched = False
    for token in tokens:
        matched |= hmac.compare_digest(digest, hashlib.sha256(token.encode()).digest())
    return matched


def _require_token() -> None:
    tokens = current_app.config["API_TOKENS"]
    if not tokens or request.method in SAFE_METHODS or not request.path.startswith("/api/"):
        return
    scheme, _, given = request.headers.get("Authorization", "").partition(" ")
    given = given.strip()
    if scheme.lower() != "bearer" or not given:
        raise ApiProblem(401, "Unauthorized",
                         "This server takes writes only with an API token: send Authorization: Bearer <token>.",
                         headers={"WWW-Authenticate": 'Bearer realm="advisor"'})
    if not _token_matches(given, tokens):
        raise ApiProblem(401, "Unauthorized", "The API token is not one this server accepts.",
                         headers={"WWW-Authenticate": 'Bearer realm="advisor", error="invalid_token"'})


def _csrf_for_forms() -> None:
    if (request.method in SAFE_METHODS or request.path.startswith("/api/") or request.endpoint is None
            or not current_app.config.get("WTF_CSRF_ENABLED", True)):
        return
    csrf.protect()


def _add_headers(response: Response) -> Response:
    for name, value in SECURITY_HEADERS.items():
        response.headers.setdefault(name, value)
    # Answers hold teams' architecture details: no cache keeps them. Static files set their own.
    response.headers.setdefault("Cache-Control", "no-store")
    return response


def init_app(app: Flask) -> None:
    """Install the checks and headers; call before registering blueprints."""
    app.config.setdefault("API_TOKENS", ())
    app.config["WTF_CSRF_CHECK_DEFAULT"] = False
    csrf.init_app(app)
    app.before_request(_require_token)
    app.before_request(_csrf_for_forms)
    app.after_request(_add_headers)
