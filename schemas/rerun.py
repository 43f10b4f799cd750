"""The answer of POST /api/v1/assessments/<id>/rerun: a saved assessment ranked again, and what changed."""
from marshmallow import Schema, fields

from .recommendation import RecommendationSchema
from .warning import WarningSchema

__all__ = ["RerunResultSchema", "rerun_result_schema"]


class _TextPair(Schema):
    old = fields.String(allow_none=True)
    new = fields.String(allow_none=True)


class _NumberPair(Schema):
    old = fields.Float(allow_none=True)
    new = fields.Float(allow_none=True)


class PlaceSchema(Schema):
    """Where a service stood in one ranking."""

    rank = fields.Integer(required=True)
    score = fields.Float(required=True)
    eligible = fields.Boolean(required=True)


class RankingChangeSchema(Schema):
    """A service whose rank, score or eligibility differs; old or new is null when it left or joined the ranking."""

    service = fields.String(required=True)
    name = fields.String(required=True)
    old = fields.Nested(PlaceSchema, allow_none=True, required=True)
    new = fields.Nested(PlaceSchema, allow_none=True, required=True)


class LayerChangeSchema(Schema):
    """One layer whose owner (aws, customer, shared or party:<id>) or team hours differ."""

    layer = fields.String(required=True)
    owner = fields.Nested(_TextPair, required=True)
    team_hours_per_month = fields.Nested(_NumberPair, required=True)


class OwnershipChangeSchema(Schema):
    """What changed in the layers the team owns on one service."""

    service = fields.String(required=True)
    name = fields.String(required=True)
    team_gains = fields.List(fields.String(), required=True, metadata={"description": "Layers now the team's."})
    team_loses = fields.List(fields.String(), required=True, metadata={"description": "Layers no longer the team's."})
    layers = fields.List(fields.Nested(LayerChangeSchema), required=True)
    burden_hours_per_month = fields.Nested(_NumberPair, required=True)


class RerunResultSchema(Schema):
    """A saved assessment's profile ranked on the current knowledge base; the saved assessment is left as it was."""

    assessment_id = fields.String(required=True, metadata={"description": "The saved assessment that was rerun."})
    knowledge_base_version = fields.Nested(_TextPair, required=True,
                                           metadata={"description": "Version it was made with, and the current one."})
    changed = fields.Boolean(required=True, metadata={"description": "Whether the ranking or any owned layer changed."})
    first = fields.Nested(_TextPair, required=True, metadata={"description": "The first-ranked service, before and now."})
    ranking_changes = fields.List(fields.Nested(RankingChangeSchema), required=True)
    ownership_changes = fields.List(fields.Nested(OwnershipChangeSchema), required=True)
    recommendation = fields.Nested(RecommendationSchema, required=True, metadata={
        "description": "The new ranking, in the shape of POST /api/v1/recommendations (with its profile)."})
    warnings = fields.List(fields.Nested(WarningSchema), required=True)
    links = fields.Dict(keys=fields.String(), values=fields.String(), required=True)


rerun_result_schema = RerunResultSchema()
