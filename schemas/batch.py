"""The batch endpoint: many profiles in, one result per profile out."""
from marshmallow import RAISE, Schema, fields, validate

from .problem import ProblemSchema  # the answer for one bad profile in a batch

__all__ = ["BatchRequestSchema", "BatchResponseSchema", "ProblemSchema", "batch_request_schema"]


class BatchRequestSchema(Schema):
    """Up to ADVISOR_BATCH_LIMIT profiles (1,000 by default), each checked on its own."""

    class Meta:
        unknown = RAISE

    profiles = fields.List(fields.Raw(allow_none=True), required=True, validate=validate.Length(min=1), metadata={
        "description": "Profiles, each as POST /api/v1/recommendations takes one; a bad one gets its own problem."})


class BatchResponseSchema(Schema):
    """One result per profile, in the order sent: a recommendation, or a problem (status 422)."""

    results = fields.List(fields.Dict(), required=True, metadata={
        "description": "Each item is what POST /api/v1/recommendations answers for the profile, or, for a bad "
                       "profile, a problem object (ProblemSchema) with status 422."})
    complete = fields.Boolean(required=True, metadata={
        "description": "True when every profile has its result; false when the batch ran out of time first."})
    detail = fields.String(metadata={"description": "When not complete: how far it got and what to send again."})
    next_index = fields.Integer(metadata={"description": "When not complete: the index of the first profile "
                                                         "without a result."})


batch_request_schema = BatchRequestSchema()
