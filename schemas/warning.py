"""The warnings every answer carries."""
from marshmallow import Schema, fields

__all__ = ["WarningSchema"]

class WarningSchema(Schema):
    """Something the reader of an answer should know, such as knowledge older than allowed."""

    code = fields.String(required=True, metadata={"description": "stale_knowledge_base", "example": "stale_knowledge_base"})
    message = fields.String(required=True)
    reviewed_on = fields.String(metadata={"description": "Review date of the knowledge the answer rests on."})
    age_days = fields.Integer(metadata={"description": "Days between that review and today."})
    max_age_days = fields.Integer(metadata={"description": "The configured maximum (ADVISOR_KB_MAX_AGE_DAYS)."})
