"""Saved assessments: one assessment, the paginated list, and the list's query arguments."""
from marshmallow import Schema, fields, validate

from .iac import SavedReviewSchema
from .recommendation import RecommendationSchema
from .warning import WarningSchema

__all__ = ["PageArgsSchema", "AssessmentLinksSchema", "AssessmentSchema", "AssessmentSummarySchema",
           "AssessmentListSchema", "page_args_schema"]


class PageArgsSchema(Schema):
    """Which page of saved assessments to list."""

    page = fields.Integer(load_default=1, validate=validate.Range(min=1, max=1_000_000),
                          metadata={"description": "Page number, from 1."})
    per_page = fields.Integer(load_default=20, validate=validate.Range(min=1, max=100),
                              metadata={"description": "Assessments per page."})
    name = fields.String(load_default=None, validate=validate.Length(max=200),
                         metadata={"description": "Only assessments whose application name contains this text, in "
                                                  "any case."})


class AssessmentLinksSchema(Schema):
    """Where the assessment and its reports are."""

    self = fields.String(required=True, metadata={"example": "/api/v1/assessments/4f1c2a9e0b7d4c3f8a6e5d2b1c0f9e8d"})
    report_html = fields.String(required=True)
    report_pdf = fields.String(required=True)
    report_markdown = fields.String(required=True)


class AssessmentSchema(Schema):
    """A saved assessment: the profile, its ranking and the knowledge-base version it was made with."""

    id = fields.String(required=True, validate=validate.Regexp(r"^[0-9a-f]{32}$"),
                       metadata={"description": "128 random bits, hex."})
    created_at = fields.DateTime(required=True)
    name = fields.String(required=True, allow_none=True, metadata={"description": "The profile's name, if any."})
    created_by = fields.String(required=True, allow_none=True, metadata={
        "description": "The API token's name or the signed-in user that saved it; null when the server is open to all."})
    knowledge_base_version = fields.String(required=True)
    recommendation = fields.Nested(RecommendationSchema, required=True)
    links = fields.Nested(AssessmentLinksSchema, required=True)
    warnings = fields.List(fields.Nested(WarningSchema), required=True, metadata={
        "description": "Empty, or a stale_knowledge_base warning when the knowledge it was made with is older than allowed."})
    review = fields.Nested(SavedReviewSchema, metadata={
        "description": "Only on a design review saved from infrastructure code (POST /api/v1/reviews with save): "
                       "where each profile value came from, the services in use, and the verdict."})


class AssessmentSummarySchema(Schema):
    """One line of the assessment list."""

    id = fields.String(required=True, validate=validate.Regexp(r"^[0-9a-f]{32}$"))
    name = fields.String(required=True, allow_none=True)
    created_at = fields.DateTime(required=True)
    knowledge_base_version = fields.String(required=True)
    first = fields.String(required=True, allow_none=True, metadata={"description": "The first-ranked service."})
    links = fields.Nested(AssessmentLinksSchema, required=True)


class PageLinksSchema(Schema):
    """The neighbouring pages, where there are any."""

    next = fields.String()
    prev = fields.String()


class AssessmentListSchema(Schema):
    """Saved assessments, newest first, one page at a time."""

    items = fields.List(fields.Nested(AssessmentSummarySchema), required=True)
    page = fields.Integer(required=True)
    per_page = fields.Integer(required=True)
    total = fields.Integer(required=True)
    links = fields.Nested(PageLinksSchema, required=True)


page_args_schema = PageArgsSchema()
