"""Strict reading of JSON request bodies.

Python's json module accepts NaN, Infinity, duplicate keys and numbers beyond
float range, and crashes on very deep nesting; every one of those is a
client error here, answered with 400 before any schema sees the data.
"""
from __future__ import annotations

import json
import math

from flask import request
from werkzeug.exceptions import RequestEntityTooLarge

from .problems import ApiProblem

__all__ = ["read_body", "read_json_object", "loads_strict"]

_MAX_INT_DIGITS = 400


class _BadJson(ValueError):
    pass


def _no_duplicates(pairs):
    obj = {}
    for key, value in pairs:
        if key in obj:
            raise _BadJson(f"duplicate key {key!r}")
        obj[key] = value
    return obj


def _finite_float(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):
        raise _BadJson(f"number {text[:40]} is beyond the range of a double")
    return value


def _bounded_int(text: str) -> int:
    if len(text.lstrip("-")) > _MAX_INT_DIGITS:
        raise _BadJson("integer with too many digits")
    return int(text)


def _no_constants(name: str):
    raise _BadJson(f"{name} is not valid JSON")


def _parse(text: str):
    """json.loads with every strict rule above; the callers word the errors for their readers."""
    return json.loads(text, object_pairs_hook=_no_duplicates, parse_float=_finite_float,
                      parse_int=_bounded_int, parse_constant=_no_constants)


def read_body() -> bytes:
    """The request body, or 413 when it is over the limit, whether it came with Content-Length or chunked.

    A chunked body has no length to check up front: the input stream stops at the limit, so a body
    that filled it is checked for a byte more, which would otherwise be dropped without a word.
    """
    raw = request.get_data(cache=True)
    limit = request.max_content_length
    if request.content_length is None and limit is not None and len(raw) >= limit:
        if request.environ["wsgi.input"].read(1):
            raise RequestEntityTooLarge()
    return raw


def read_json_object() -> dict:
    """Parse the request body as one JSON object or raise an ApiProblem (415 or 400)."""
    mimetype = request.mimetype
    if mimetype != "application/json" and not (mimetype.startswith("application/") and mimetype.endswith("+json")):
        raise ApiProblem(415, "Unsupported Media Type",
                         f"The body must be JSON sent as application/json, not {mimetype or 'no content type'}.")
    raw = read_body()
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ApiProblem(400, "Bad Request", f"The body is not valid UTF-8 (byte {exc.start}).") from None
    try:
        data = _parse(text)
    except _BadJson as exc:
        raise ApiProblem(400, "Bad Request", f"The body is not acceptable JSON: {exc}.") from None
    except RecursionError:
        raise ApiProblem(400, "Bad Request", "The body is nested too deeply.") from None
    except ValueError as exc:
        raise ApiProblem(400, "Bad Request", f"The body is not valid JSON: {str(exc).split(':')[0]}.") from None
    if not isinstance(data, dict):
        raise ApiProblem(400, "Bad Request", "The body must be a JSON object.")
    return data


def loads_strict(text: str):
    """Parse JSON text by the same strict rules as request bodies; ValueError with a plain reason otherwise."""
    try:
        return _parse(text)
    except _BadJson as exc:
        raise ValueError(f"not acceptable JSON: {exc}") from None
    except RecursionError:
        raise ValueError("JSON nested too deeply") from None
    except json.JSONDecodeError as exc:
        raise ValueError(f"not valid JSON: {exc.msg} at line {exc.lineno}, column {exc.colno}") from None
