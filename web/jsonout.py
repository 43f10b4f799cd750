"""JSON answers safe to place in HTML: <, > and & always go out as \\u escapes.

Names are stored as sent, script and SQL fragments included. JSON sent with
nosniff is never rendered as a page, but a client that pastes a name into
HTML, or a page that embeds a JSON answer, gets text that cannot close a tag.
"""
from __future__ import annotations

from flask.json.provider import DefaultJSONProvider

__all__ = ["HtmlSafeJSONProvider", "html_safe"]

_ESCAPES = str.maketrans({"<": "\\u003c", ">": "\\u003e", "&": "\\u0026"})


def html_safe(text: str) -> str:
    """JSON text with <, > and & escaped; they only ever occur inside strings, where the escape means the same."""
    return text.translate(_ESCAPES)


class HtmlSafeJSONProvider(DefaultJSONProvider):
    """Flask's JSON with sorted keys, no spaces, and HTML-significant characters escaped."""

    sort_keys = True
    compact = True

    def dumps(self, obj, **kwargs) -> str:
        return html_safe(super().dumps(obj, **kwargs))
