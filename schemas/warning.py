"""The warnings every answer carries."""
from marshmallow import Schema, fields, validate

__all__ = ["WarningSchema", "ShortfallSchema", "NearestChangeSchema"]


class ShortfallSchema(Schema):
    """How far first place is beyond the team's capacity."""

    hours_per_month = fields.Float(required=True, metadata={"description": "Security hours a month missing."})
    patching_staff = fields.Integer(required=True, metadata={"description": "Patching engineers missing."})


class NearestChangeSchema(Schema):
    """One change that would give the team an option it can carry."""

    kind = fields.String(required=True, validate=validate.OneOf(["more_capacity", "fewer_needs", "overlay"]))
    service = fields.String(required=True, metadata={"description": "The service that would then fit."})
    sentence = fields.String(required=True)
    security_hours_per_month = fields.Float(metadata={"description": "more_capacity: the hours that would do."})
    patching_staff = fields.Integer(metadata={"description": "more_capacity: the patching staff that would do."})
    customisation = fields.String(metadata={"description": "fewer_needs: the customisation level to accept."})
    isolation_with_extra_work = fields.Boolean(metadata={
        "description": "fewer_needs: present (true) when the change accepts the isolation the team needs only with "
                       "extra work on that service."})
    overlay = fields.String(metadata={"description": "overlay: the organisation overlay's id."})


class WarningSchema(Schema):
    """Something the reader of an answer should know: a shortfall of capacity, or knowledge older than allowed."""

    code = fields.String(required=True, validate=validate.OneOf(
        ["stale_knowledge_base", "no_fit", "first_over_capacity", "none_eligible"]),
        metadata={"example": "no_fit"})
    type = fields.String(required=True, validate=validate.OneOf(["knowledge", "capacity", "limits"]), metadata={
        "description": "knowledge: about the facts the answer rests on; capacity: the team's hours or patching staff "
                       "fall short of first place; limits: hard limits rule every service out."})
    message = fields.String(required=True)
    service = fields.String(metadata={"description": "capacity: the service ranked first."})
    shortfall = fields.Nested(ShortfallSchema)
    nearest_changes = fields.List(fields.Nested(NearestChangeSchema))
    reviewed_on = fields.String(metadata={"description": "Review date of the knowledge the answer rests on."})
    age_days = fields.Integer(metadata={"description": "Days between that review and today."})
    max_age_days = fields.Integer(metadata={"description": "The configured maximum (ADVISOR_KB_MAX_AGE_DAYS)."})
