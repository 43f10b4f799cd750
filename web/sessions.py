"""Flask's signed-cookie sessions, with the signing serializer made once instead of on every request."""
from __future__ import annotations

from flask import Flask
from flask.sessions import SecureCookieSessionInterface
from itsdangerous import URLSafeTimedSerializer

__all__ = ["CachedSerializerSessionInterface"]


class CachedSerializerSessionInterface(SecureCookieSessionInterface):
    """Flask builds a new serializer, and test-encodes a value with it, for every request that opens a session.

    The serializer holds no per-request state, so one per set of keys serves every request; a changed
    SECRET_KEY or SECRET_KEY_FALLBACKS makes a new one.
    """

    def get_signing_serializer(self, app: Flask) -> URLSafeTimedSerializer | None:
        keys = (app.secret_key, tuple(app.config["SECRET_KEY_FALLBACKS"] or ()))
        cached = app.extensions.get("advisor.session_serializer")
        if cached is None or cached[0] != keys:
            cached = (keys, super().get_signing_serializer(app))
            app.extensions["advisor.session_serializer"] = cached
        return cached[1]
