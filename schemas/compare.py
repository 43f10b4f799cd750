"""The compare endpoint: its query arguments and its answer; and the compare page's form."""
from marshmallow import EXCLUDE, RAISE, Schema, fields, post_load, validate

__all__ = ["CompareArgsSchema", "CompareResponseSchema", "CompareFormSchema", "compare_args_schema",
           "compare_form_schema"]

_OWNER = validate.Regexp(r"^(aws|customer|shared|party:[a-z][a-z0-9_]*)$")
_OWNER_TEXT = "aws, customer, shared, or party:<id> for an overlay's internal party."
_ACTS = validate.Regexp(r"^(team|aws|both|[a-z][a-z0-9_:]*(\+[a-z][a-z0-9_:]*)*)$")
_ACTS_TEXT = "team, aws, both (AWS and the team), or the actors joined by + when an overlay's party is one."


class CompareArgsSchema(Schema):
    """GET /api/v1/compare?from=<id>&to=<id>: the service moved from and the one moved to."""

    class Meta:
        unknown = RAISE

    from_ = fields.String(data_key="from", required=True, validate=validate.Length(min=1, max=64),
                          metadata={"description": "The service the workload runs on now.", "example": "ecs"})
    to = fields.String(required=True, validate=validate.Length(min=1, max=64),
                       metadata={"description": "The service it would move to.", "example": "fargate"})
    overlay = fields.String(validate=validate.Length(min=1, max=64), metadata={
        "description": "An organisation overlay's id: its internal party holds the layers it takes over."})


class MovedLayerSchema(Schema):
    """A layer whose owner changes, with the team hours that move and the sources on both sides."""

    id = fields.String(required=True)
    name = fields.String(required=True)
    position = fields.Integer(required=True, metadata={"description": "Place in the stack, bottom first."})
    hours_per_month = fields.Float(required=True, metadata={"description": "Team hours a month that move."})
    from_owner = fields.String(required=True, validate=_OWNER, metadata={"description": _OWNER_TEXT})
    to_owner = fields.String(required=True, validate=_OWNER, metadata={"description": _OWNER_TEXT})
    from_team_share = fields.Float(required=True)
    to_team_share = fields.Float(required=True)
    from_team_hours_per_month = fields.Float(required=True)
    to_team_hours_per_month = fields.Float(required=True)
    from_source = fields.String(required=True)
    to_source = fields.String(required=True)
    from_note = fields.String()
    to_note = fields.String()
    from_party_name = fields.String(metadata={"description": "With an overlay: the party that holds it on `from`."})
    to_party_name = fields.String(metadata={"description": "With an overlay: the party that holds it on `to`."})


class UnchangedLayerSchema(Schema):
    """A layer the team carries on both services with the same share."""

    id = fields.String(required=True)
    name = fields.String(required=True)
    position = fields.Integer(required=True)
    owner = fields.String(required=True, validate=validate.OneOf(["customer", "shared"]))
    team_share = fields.Float(required=True)
    hours_per_month = fields.Float(required=True)
    from_source = fields.String(required=True)
    to_source = fields.String(required=True)


class CustomisationChangeSchema(Schema):
    """The customisation level each service offers; change is in levels (negative: less control)."""

    from_ = fields.String(data_key="from", required=True)
    to = fields.String(required=True)
    change = fields.Integer(required=True)


class IsolationChangeSchema(Schema):
    """An isolation level whose support differs between the two services."""

    level = fields.String(required=True)
    from_ = fields.String(data_key="from", required=True, validate=validate.OneOf(["yes", "with_effort", "no"]))
    to = fields.String(required=True, validate=validate.OneOf(["yes", "with_effort", "no"]))
    from_source = fields.String(required=True)
    to_source = fields.String(required=True)


class CompareLimitSchema(Schema):
    """A hard limit only one of the two services has."""

    field = fields.String(required=True, metadata={"example": "workload.max_duration_minutes"})
    kind = fields.String(required=True, validate=validate.OneOf(["max", "not_supported", "allowed"]))
    value = fields.Raw(allow_none=True, metadata={"description": "The maximum, or the allowed values."})
    when = fields.Dict(allow_none=True)
    label = fields.String(required=True)
    service = fields.String(required=True)
    source = fields.String(required=True)


class LimitChangesSchema(Schema):
    """Limits the team would newly face (added) and those it would leave behind (removed)."""

    added = fields.List(fields.Nested(CompareLimitSchema), required=True)
    removed = fields.List(fields.Nested(CompareLimitSchema), required=True)


class IncidentChangeSchema(Schema):
    """A known incident whose responder changes: team, aws or both."""

    id = fields.String(required=True)
    name = fields.String(required=True)
    from_acts = fields.String(required=True, validate=_ACTS, metadata={"description": _ACTS_TEXT})
    to_acts = fields.String(required=True, validate=_ACTS, metadata={"description": _ACTS_TEXT})


class CompareResponseSchema(Schema):
    """What moves between the team and AWS going from one service to another."""

    from_ = fields.String(data_key="from", required=True)
    to = fields.String(required=True)
    from_name = fields.String(required=True)
    to_name = fields.String(required=True)
    summary = fields.String(required=True)
    handed_to_aws = fields.List(fields.Nested(MovedLayerSchema), required=True,
                                metadata={"description": "Layers where the team's share falls."})
    taken_back = fields.List(fields.Nested(MovedLayerSchema), required=True,
                             metadata={"description": "Layers where the team's share grows."})
    unchanged_team_layers = fields.List(fields.Nested(UnchangedLayerSchema), required=True)
    from_burden_hours_per_month = fields.Float(required=True)
    to_burden_hours_per_month = fields.Float(required=True)
    burden_change_hours_per_month = fields.Float(
        required=True, metadata={"description": "to burden minus from burden; negative is less work.", "example": -32})
    patching_staff_change = fields.Float(required=True)
    customisation = fields.Nested(CustomisationChangeSchema, required=True)
    isolation = fields.List(fields.Nested(IsolationChangeSchema), required=True)
    limits = fields.Nested(LimitChangesSchema, required=True)
    incidents = fields.List(fields.Nested(IncidentChangeSchema), required=True)
    knowledge_base_version = fields.String(required=True)
    overlay = fields.String(allow_none=True, metadata={"description": "The overlay the comparison used, or null."})


class CompareFormSchema(Schema):
    """The compare page's GET form: the two services chosen and an optional overlay ("" is nobody else).

    Messages are worded for the page, where they appear beside the field. Whether the ids exist is
    the knowledge base's to say, not the schema's.
    """

    class Meta:
        unknown = EXCLUDE  # a page address may carry other parameters; they change nothing

    from_ = fields.String(data_key="from", required=True,
                          validate=validate.Length(min=1, max=64, error="Choose the service the workload runs on now."),
                          error_messages={"required": "Choose the service the workload runs on now."})
    to = fields.String(required=True,
                       validate=validate.Length(min=1, max=64, error="Choose the service it would move to."),
                       error_messages={"required": "Choose the service it would move to."})
    overlay = fields.String(load_default="", validate=validate.Length(max=64, error="Choose one of the arrangements."))

    @post_load
    def _blank_overlay_is_none(self, data, **kwargs):
        data["overlay"] = data.get("overlay") or None
        return data


compare_args_schema = CompareArgsSchema()
compare_form_schema = CompareFormSchema()
