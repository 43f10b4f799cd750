"""Profiles from infrastructure code and design reviews: the requests and the answers."""
from marshmallow import RAISE, Schema, fields, validate

from advisor.errors import InvalidProfileError
from advisor.iac import FORMATS, Source

from .compare import CompareResponseSchema
from .json_types import StrictBoolean
from .profile import WorkloadSchema, profile_schema
from .recommendation import BlockerSchema, RecommendationSchema
from .warning import WarningSchema

__all__ = ["IacSourceSchema", "IacRequestSchema", "ReviewRequestSchema", "ProvenanceSchema", "UnsupportedSchema",
           "UnresolvedSchema", "ProfileFromIacSchema", "SavedReviewSchema", "ComparisonSchema", "VerdictSchema", "ReviewSchema",
           "iac_request_schema", "review_request_schema", "MAX_SOURCES", "WORKLOAD_FIELDS", "sources",
           "check_overrides"]

MAX_SOURCES = 50


class _Strict(Schema):
    class Meta:
        unknown = RAISE


class IacSourceSchema(_Strict):
    """One infrastructure-code file, sent as text."""

    format = fields.String(required=True, validate=validate.OneOf(FORMATS), metadata={
        "description": "terraform-plan: `terraform show -json` output; terraform: a .tf file (literal values only); "
                       "cloudformation: a CloudFormation or SAM template, JSON or YAML (a CDK app's synthesised "
                       "template too); ecs-task-definition: a task definition as JSON; kubernetes: manifests, "
                       "one or more YAML documents.", "example": "terraform-plan"})
    content = fields.String(required=True, metadata={
        "description": "The file's text (UTF-8). Files over 5,000,000 bytes, nested over 64 levels, or YAML whose "
                       "aliases expand past 1,000,000 values are refused with the file named."})
    name = fields.String(validate=validate.Length(min=1, max=255), metadata={
        "description": "The file's name, used in provenance and errors; `source N` when left out.",
        "example": "plan.json"})


class IacRequestSchema(_Strict):
    """Infrastructure-code files, and profile fields to set or override what they say."""

    sources = fields.List(fields.Nested(IacSourceSchema), required=True,
                          validate=validate.Length(min=1, max=MAX_SOURCES),
                          metadata={"description": f"1 to {MAX_SOURCES} files."})
    profile = fields.Dict(keys=fields.String(), metadata={
        "description": "Any profile fields (as POST /api/v1/recommendations takes them) to set or override: the "
                       "team's security_hours_per_month, patching_staff, customisation and isolation, which the "
                       "files cannot say (isolation comes from dedicated tenancy when they do), or workload fields. "
                       "Workload fields given here override the derived ones one by one."})


class ReviewRequestSchema(IacRequestSchema):
    """A design review: the files and the team's fields; ``save`` stores it as an assessment."""

    save = StrictBoolean(load_default=False, metadata={
        "description": "Store the review as an assessment, with its provenance (false: nothing is stored)."})


class ProvenanceSchema(Schema):
    """Where one derived value comes from."""

    field = fields.String(required=True, metadata={
        "description": "The profile field (dotted), or `current_services` for a service in use.",
        "example": "workload.max_duration_minutes"})
    value = fields.Raw(required=True, metadata={"description": "The value in the profile's terms.", "example": 15})
    source = fields.String(required=True, metadata={"description": "The file's name.", "example": "plan.json"})
    resource = fields.String(required=True, metadata={
        "description": "Resource address, logical id (with the CDK construct path) or kind/namespace/name.",
        "example": "aws_lambda_function.api"})
    attribute = fields.String(required=True, metadata={"description": "The attribute, as the file spells it.",
                                                       "example": "timeout"})
    raw = fields.Raw(allow_none=True, metadata={"description": "The value as the file writes it.", "example": 900})


class UnsupportedSchema(Schema):
    """A resource of a type the readers do not know; listed, not an error."""

    source = fields.String(required=True)
    resource = fields.String(required=True)
    type = fields.String(required=True, metadata={"example": "aws_sqs_queue"})


class UnresolvedSchema(Schema):
    """A setting the file does not state literally (a variable, a reference), so nothing was derived from it."""

    source = fields.String(required=True)
    resource = fields.String(required=True)
    attribute = fields.String(required=True)
    reason = fields.String(required=True)


class _Derived(Schema):
    profile = fields.Dict(required=True, metadata={
        "description": "The profile: derived fields, then those the request set; `services` is the knowledge "
                       "base's default set plus the services in use, unless the request names them. A valid "
                       "profile when `missing` is empty."})
    provenance = fields.List(fields.Nested(ProvenanceSchema), required=True)
    current_services = fields.List(fields.String(), required=True, metadata={
        "description": "Service ids in use today, as the files show them.", "example": ["lambda"]})
    unsupported = fields.List(fields.Nested(UnsupportedSchema), required=True)
    unresolved = fields.List(fields.Nested(UnresolvedSchema), required=True)


class ProfileFromIacSchema(_Derived):
    """The profile derived from the files, where each value came from, and what is still missing."""

    missing = fields.List(fields.String(), required=True, metadata={
        "description": "Required profile fields neither the files nor the request gave.",
        "example": ["security_hours_per_month", "patching_staff", "customisation", "isolation"]})


class ComparisonSchema(Schema):
    """A service in use today against first place."""

    service = fields.String(required=True)
    name = fields.String(required=True)
    rank = fields.Integer(required=True)
    score = fields.Float(required=True)
    eligible = fields.Boolean(required=True)
    blockers = fields.List(fields.Nested(BlockerSchema), required=True)
    burden_hours_per_month = fields.Float(required=True)
    patching_staff_needed = fields.Float(required=True)
    fits_capacity = fields.Boolean(required=True, metadata={
        "description": "The team's hours and patching staff cover this service."})
    is_first = fields.Boolean(required=True)
    change_to_first = fields.Nested(CompareResponseSchema, allow_none=True, required=True, metadata={
        "description": "What moves going from this service to first place (layers handed to AWS or taken back, "
                       "hours); null when this service is first."})


class VerdictSchema(Schema):
    """The review in brief."""

    first = fields.String(required=True, allow_none=True, metadata={"description": "First place's service id."})
    first_name = fields.String(required=True, allow_none=True)
    current_is_first = fields.Boolean(required=True, metadata={"description": "A service in use today is first."})
    fits_capacity = fields.Boolean(required=True, metadata={
        "description": "The team's hours and patching staff cover every service in use (first place when none "
                       "is found)."})
    firmness = fields.String(required=True, allow_none=True, validate=validate.OneOf(["robust", "close", "fragile"]),
                             metadata={"description": "How firmly first place holds."})
    blocked = fields.Boolean(required=True, metadata={"description": "A service in use is ruled out by a hard "
                                                                     "limit of the workload."})
    summary = fields.String(required=True, metadata={"description": "One line for the pull request."})


class SavedReviewSchema(Schema):
    """What a saved design review keeps beside its ranking: where the profile came from, and the verdict."""

    provenance = fields.List(fields.Nested(ProvenanceSchema), required=True)
    current_services = fields.List(fields.String(), required=True)
    unsupported = fields.List(fields.Nested(UnsupportedSchema), required=True)
    unresolved = fields.List(fields.Nested(UnresolvedSchema), required=True)
    verdict = fields.Nested(VerdictSchema, required=True)


class AssessmentRefSchema(Schema):
    """Where a saved review is."""

    id = fields.String(required=True)
    links = fields.Dict(required=True)


class ReviewSchema(_Derived):
    """The design review: derived profile and provenance, the ranking, each current service against first place."""

    recommendation = fields.Nested(RecommendationSchema, required=True)
    comparisons = fields.List(fields.Nested(ComparisonSchema), required=True)
    verdict = fields.Nested(VerdictSchema, required=True)
    warnings = fields.List(fields.Nested(WarningSchema), required=True)
    assessment = fields.Nested(AssessmentRefSchema, metadata={"description": "With `save: true`: the assessment."})


iac_request_schema = IacRequestSchema()
review_request_schema = ReviewRequestSchema()


# The workload fields the profile contract holds; a derived field it does not hold yet is left out.
WORKLOAD_FIELDS = tuple(WorkloadSchema().fields)


def sources(body: dict) -> list[Source]:
    """A loaded request's files as the core's Source values, each with a name."""
    return [Source(item["format"], item["content"], item.get("name") or f"source {index + 1}")
            for index, item in enumerate(body["sources"])]


def check_overrides(profile: dict) -> None:
    """The request's profile fields, each checked as a profile field (none is required here)."""
    errors = profile_schema.validate(profile, partial=True)
    if errors:
        raise InvalidProfileError({"profile": errors})
