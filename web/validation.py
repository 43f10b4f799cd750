"""Load request data through a schema, turning failures into one 422 problem."""
from __future__ import annotations

from marshmallow import Schema, ValidationError
from werkzeug.datastructures import MultiDict

from .messages import field_paths
from .problems import ApiProblem, invalid_detail

__all__ = ["load_or_422", "load_query_or_400"]


def load_or_422(schema: Schema, data):
    """Load data through the schema; a validation failure is one 422 problem naming every field."""
    try:
        return schema.load(data)
    except ValidationError as exc:
        raise ApiProblem(422, "Unprocessable Content", invalid_detail(exc.messages), errors=exc.messages) from None


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
