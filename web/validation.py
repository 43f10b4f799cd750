"""Load request data through a schema, turning failures into one 422 problem."""
from __future__ import annotations

from marshmallow import Schema, ValidationError
from werkzeug.datastructures import MultiDict

from .problems import ApiProblem

__all__ = ["load_or_422", "load_query_or_400", "field_paths", "field_messages"]


def field_paths(messages, prefix: str = "") -> list[str]:
    """Dotted paths of every field named in marshmallow's nested messages."""
    if not isinstance(messages, dict):
        return [prefix or "(body)"]
    paths = []
    for key, value in messages.items():
        path = prefix if key == "_schema" else f"{prefix}.{key}" if prefix else str(key)
        paths.extend(field_paths(value, path))
    return paths


def field_messages(messages, prefix: str = "") -> dict[str, list[str]]:
    """marshmallow's nested messages flattened to {dotted field path: [messages]}."""
    if not isinstance(messages, dict):
        return {prefix or "(body)": [str(m) for m in messages]}
    flat: dict[str, list[str]] = {}
    for key, value in messages.items():
        path = prefix if key == "_schema" else f"{prefix}.{key}" if prefix else str(key)
        for field, texts in field_messages(value, path).items():
            flat.setdefault(field, []).extend(texts)
    return flat


def load_or_422(schema: Schema, data):
    """Load data through the schema; a validation failure is one 422 problem naming every field."""
    try:
        return schema.load(data)
    except ValidationError as exc:
        paths = sorted(set(field_paths(exc.messages)))
        raise ApiProblem(422, "Unprocessable Content",
                         f"{len(paths)} field{'s are' if len(paths) != 1 else ' is'} invalid: {', '.join(paths)}.",
                         errors=exc.messages) from None


def load_query_or_400(schema: Schema, args: MultiDict):
    """Load query parameters through the schema; missing, unknown, repeated or bad ones are a 400."""
    repeated = sorted(key for key in args if len(args.getlist(key)) > 1)
    if repeated:
        raise ApiProblem(400, "Bad Request", f"Give each query parameter once: {', '.join(repeated)}.",
                         errors={key: ["Given more than once."] for key in repeated})
    try:
        return schema.load(args.to_dict())
    except ValidationError as exc:
        paths = sorted(set(field_paths(exc.messages)))
        raise ApiProblem(400, "Bad Request",
                         f"Query parameter{'s' if len(paths) != 1 else ''} missing or invalid: {', '.join(paths)}.",
                         errors=exc.messages) from None
