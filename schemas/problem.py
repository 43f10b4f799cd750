"""The one error shape of the API: an RFC 9457 problem document."""
from marshmallow import Schema, fields

__all__ = ["ProblemSchema"]


class ProblemSchema(Schema):
    """What went wrong, sent as application/problem+json."""

    type = fields.String(required=True, metadata={"example": "about:blank"})
    title = fields.String(required=True, metadata={"example": "Unprocessable Content"})
    status = fields.Integer(required=True, metadata={"example": 422})
    detail = fields.String(required=True, metadata={"description": "What to change, in one sentence."})
    instance = fields.String(metadata={"description": "The path the request was sent to."})
    errors = fields.Dict(keys=fields.String(), values=fields.Raw(), metadata={
        "description": "Per field, its messages (nested for nested objects); on 422 only."})
