"""The robustness object every recommendation carries: how firmly its first place holds."""
from marshmallow import Schema, fields, validate

__all__ = ["ThresholdSchema", "RobustnessSchema"]


class ThresholdSchema(Schema):
    """The nearest value of one profile input that would put another service first."""

    input = fields.String(required=True, metadata={
        "description": "The profile field, dotted for nested ones.", "example": "workload.memory_gb"})
    value = fields.Raw(required=True, metadata={"description": "The value that changes first place.", "example": 11})
    current = fields.Raw(required=True, allow_none=True,
                         metadata={"description": "The profile's value; null when the workload field was not given."})
    direction = fields.String(required=True, validate=validate.OneOf(["decrease", "increase", "change"]))
    first = fields.String(required=True, metadata={"description": "The service that would rank first, eligible.",
                                                   "example": "fargate"})
    sentence = fields.String(required=True, metadata={
        "example": "With 11 GB of memory, AWS Fargate (Amazon ECS) would rank first."})


class RobustnessSchema(Schema):
    """Margin of the first place over the second, its label, and the what-ifs that would change it."""

    label = fields.String(required=True, validate=validate.OneOf(["robust", "close", "fragile"]), metadata={
        "description": "robust: margin of 5 points or more; close: 2 to under 5; fragile: under 2 "
                       "(no eligible rival: robust; none eligible: fragile)."})
    margin = fields.Float(required=True, allow_none=True, metadata={
        "description": "First score minus second, both as shown (one decimal); null with fewer than two eligible.",
        "example": 7.5})
    first = fields.String(required=True)
    runner_up = fields.String(required=True, allow_none=True)
    thresholds = fields.List(fields.Nested(ThresholdSchema), required=True)
