"""The batch endpoint: many profiles in, one result per profile out."""
from marshmallow import RAISE, Schema, fields, validate

__all__ = ["BatchRequestSchema", "BatchResponseSchema", "ProblemSchema", "batch_request_schema"]


class BatchRequestSchema(Schema):
    """Up to ADVISOR_BATCH_LIMIT profiles (1,000 by default), each checked on its own."""

    class Meta:
        unknown = RAISE

    profiles = fields.List(fields.Raw(), required=True, validate=validate.Length(min=1), metadata={
        "description": "Profiles, each as POST /api/v1/recommendations takes one; a bad one gets its own problem."})


class ProblemSchema(Schema):
    """An RFC 9457 problem, as every API error is; in a batch, the answer for one bad profile."""

    type = fields.String(required=True, metadata={"example": "about:blank"})
    title = fields.String(required=True)
    status = fields.Integer(required=True, metadata={"example": 422})
    detail = fields.String(required=True)
    instance = fields.String(metadata={"description": "In a batch: the request path and #/profiles/<index>."})
    errors = fields.Dict(metadata={"description": "Field messages, as marshmallow gives them."})


class BatchResponseSchema(Schema):
    """One result per profile, in the order sent: a recommendation, or a problem (status 422)."""

    results = fields.List(fields.Dict(), required=True, metadata={
        "description": "Each item is what POST /api/v1/recommendations answers for the profile, or, for a bad "
                       "profile, a problem object (ProblemSchema) with status 422."})


batch_request_schema = BatchRequestSchema()
