"""The recommendation a profile gets: the ranking, each service's split of the work, and why."""
from marshmallow import Schema, fields, validate

from advisor.owners import OWNERS as MODEL_OWNERS

from .profile import ProfileSchema
from .robustness import RobustnessSchema
from .warning import WarningSchema

__all__ = [
    "AwsLayerSchema", "TeamLayerSchema", "BlockerSchema", "ScorePartSchema", "ScoreBreakdownSchema",
    "RankedServiceSchema", "AppliedWeightsSchema", "RecommendationSchema", "PartyLayerSchema", "OverlaySummarySchema",
]

OWNERS = list(MODEL_OWNERS)  # the owners a data file may name (advisor.owners)


class AwsLayerSchema(Schema):
    """A layer AWS owns (wholly, or its part of a shared layer) on one service."""

    id = fields.String(required=True, metadata={"description": "Layer id.", "example": "hardware"})
    name = fields.String(required=True, metadata={"example": "Server hardware"})
    owner = fields.String(required=True, validate=validate.OneOf(OWNERS))
    source = fields.String(required=True, metadata={"description": "AWS documentation URL, or `seed`."})
    note = fields.String(metadata={"description": "How the split works on this service, where it needs saying."})


class TeamLayerSchema(AwsLayerSchema):
    """A layer the team owns (wholly, or its share of a shared layer), with the hours it takes."""

    hours_per_month = fields.Float(required=True, metadata={
        "description": "The team's hours a month on this layer (an assumption for one typical workload)."})
    work = fields.String(validate=validate.OneOf(["platform", "application"]), metadata={
        "description": "platform: work that changes from one service to another; application: the application's "
                       "own work, which the team keeps on every service."})


class PartyLayerSchema(TeamLayerSchema):
    """A layer an organisation overlay's internal party takes over from the team, with the team hours it frees."""

    party = fields.String(required=True, metadata={"description": "The party's id.", "example": "platform"})
    party_name = fields.String(required=True, metadata={"example": "Platform team"})
    party_note = fields.String(metadata={"description": "What the party does on this layer."})


class BlockerSchema(Schema):
    """A hard limit of the service that the workload breaks, said in plain words."""

    field = fields.String(required=True, metadata={"description": "The profile field that breaks the limit.",
                                                    "example": "workload.max_duration_minutes"})
    asked = fields.Raw(required=True, metadata={"description": "The value the profile asked for.", "example": 60})
    limit = fields.Raw(required=True, metadata={"description": "The service's limit: a maximum, the allowed "
                                                                "values, or false for a feature it lacks.",
                                                 "example": 15})
    sentence = fields.String(required=True, metadata={"description": "The limit in one sentence."})
    unblock = fields.String(required=True, metadata={"description": "What would make the service eligible."})
    source = fields.String(required=True)


class ScorePartSchema(Schema):
    """One of the five fits and what it contributes to the score."""

    fit = fields.Float(required=True, validate=validate.Range(min=0, max=1), metadata={"description": "0 to 1."})
    weight = fields.Float(required=True, validate=validate.Range(min=0))
    points = fields.Float(required=True, metadata={"description": "Points won out of 100."})
    lost = fields.Float(required=True, metadata={"description": "Points lost out of 100."})


class ScoreBreakdownSchema(Schema):
    """The score, part by part."""

    burden = fields.Nested(ScorePartSchema, required=True)
    patching = fields.Nested(ScorePartSchema, required=True)
    customisation = fields.Nested(ScorePartSchema, required=True)
    isolation = fields.Nested(ScorePartSchema, required=True)
    simplicity = fields.Nested(ScorePartSchema, required=True)


class NeedGapSchema(Schema):
    """A need of the team that a service meets only in part."""

    need = fields.String(required=True, validate=validate.OneOf(["customisation", "isolation"]))
    asked = fields.String(required=True, metadata={"description": "The level the team asked for."})
    offered = fields.String(required=True, metadata={
        "description": "The customisation level the service offers, or with_effort for isolation it gives only "
                       "with extra work."})
    sentence = fields.String(required=True)


class RankedServiceSchema(Schema):
    """One service's place in the ranking, with what the team and AWS would own and why."""

    service = fields.String(required=True, metadata={"example": "fargate"})
    name = fields.String(required=True, metadata={"example": "AWS Fargate"})
    rank = fields.Integer(required=True, validate=validate.Range(min=1))
    score = fields.Float(required=True, validate=validate.Range(min=0, max=100), metadata={
        "description": "100 times the weighted mean of the five fits. The ranking orders services by hard limits "
                       "first (eligible before ruled out), then by needs (meets_needs, then isolation given outright "
                       "before isolation with extra work), and only then by score, so compare scores only between "
                       "services in the same group. A ruled-out service's score is what it would score if its hard "
                       "limits did not apply; it does not compete."})
    eligible = fields.Boolean(required=True, metadata={"description": "False when a hard limit rules it out."})
    meets_needs = fields.Boolean(required=True, metadata={
        "description": "True when the service gives the customisation the team needs."})
    needs_gaps = fields.List(fields.Nested(NeedGapSchema), required=True, metadata={
        "description": "Needs met only in part: customisation short of the level asked, or isolation only with "
                       "extra work."})
    fits_capacity = fields.Boolean(required=True, metadata={
        "description": "True when the team's hours and patching staff cover what it would own on the service."})
    platform_hours_per_month = fields.Float(required=True, metadata={
        "description": "The team's hours a month on platform layers: the part that changes between services."})
    application_hours_per_month = fields.Float(required=True, metadata={
        "description": "The team's hours a month on the application's own work (code, libraries, configuration, "
                       "permissions, data, logs), which it keeps on every service. Platform and application hours "
                       "add up to burden_hours_per_month."})
    not_used = fields.List(fields.Nested(AwsLayerSchema), required=True, metadata={
        "description": "Layers this service's stack does not have for the team's workload choices (owner none), such "
                       "as a container runtime when the application runs directly on EC2 instances."})
    assumptions = fields.List(fields.String(), required=True, metadata={
        "description": "The workload choices the hours were counted for, in words."})
    blockers = fields.List(fields.Nested(BlockerSchema), required=True)
    team_owns = fields.List(fields.Nested(TeamLayerSchema), required=True)
    aws_owns = fields.List(fields.Nested(AwsLayerSchema), required=True)
    burden_hours_per_month = fields.Float(required=True, metadata={
        "description": "The team's hours a month of security work in all: platform plus application."})
    capacity_hours_per_month = fields.Float(required=True)
    patching_staff_needed = fields.Float(required=True)
    score_breakdown = fields.Nested(ScoreBreakdownSchema, required=True)
    reasons = fields.List(fields.String(), required=True, metadata={"description": "Why it ranks where it does."})
    party_owns = fields.List(fields.Nested(PartyLayerSchema), required=True, metadata={
        "description": "Layers an organisation overlay's internal party takes over; empty without an overlay."})
    party_hours_per_month = fields.Float(required=True, metadata={
        "description": "Hours a month those layers would otherwise cost the team."})


class AppliedWeightsSchema(Schema):
    """The weights the score used: the defaults with the profile's overrides."""

    burden = fields.Float(required=True)
    patching = fields.Float(required=True)
    customisation = fields.Float(required=True)
    isolation = fields.Float(required=True)
    simplicity = fields.Float(required=True)


class PartySchema(Schema):
    """An internal party of the organisation."""

    id = fields.String(required=True, metadata={"example": "platform"})
    name = fields.String(required=True, metadata={"example": "Platform team"})


class OverlaySummarySchema(Schema):
    """The organisation overlay a recommendation was made with."""

    id = fields.String(required=True, metadata={"example": "platform_team"})
    name = fields.String(required=True)
    parties = fields.List(fields.Nested(PartySchema), required=True)


class CalibrationSummarySchema(Schema):
    """The effort calibration a recommendation was made with."""

    id = fields.String(required=True)
    name = fields.String(required=True)
    description = fields.String(required=True)


class RecommendationSchema(Schema):
    """Every service asked about, eligible ones first by score, blocked ones last."""

    ranking = fields.List(fields.Nested(RankedServiceSchema), required=True)
    weights = fields.Nested(AppliedWeightsSchema, required=True)
    knowledge_base_version = fields.String(required=True)
    profile = fields.Nested(ProfileSchema, required=True, metadata={"description": "The profile as understood."})
    overlay = fields.Nested(OverlaySummarySchema, required=True, allow_none=True,
                            metadata={"description": "The organisation overlay used, or null."})
    calibration = fields.Nested(CalibrationSummarySchema, required=True, allow_none=True, metadata={
        "description": "The effort calibration used, or null for the default assumptions."})
    robustness = fields.Nested(RobustnessSchema, required=True, metadata={
        "description": "How firmly the first place holds, and the nearest change of each input that would move it."})
    warnings = fields.List(fields.Nested(WarningSchema), required=True, metadata={
        "description": "What the reader must know: no_fit or first_over_capacity when first place does not fit "
                       "the team's capacity, none_eligible when every service is ruled out, stale_knowledge_base "
                       "when the knowledge is older than allowed."})

