"""Schemas of the knowledge-base files in graph_data/; unknown keys are errors."""
from marshmallow import RAISE, Schema, ValidationError, fields, validate, validates, validates_schema

from advisor.model import WORK_KINDS
from advisor.owners import OWNERS
from advisor.profile import CHOICE_DEFAULTS, WORKLOAD_CHOICES

__all__ = ["MetaFileSchema", "LayersFileSchema", "IncidentsFileSchema", "ServiceFileSchema", "OverlayFileSchema",
           "CalibrationFileSchema", "InstanceFamiliesFileSchema"]

ID = validate.Regexp(r"^[a-z][a-z0-9_]*$", error="must be lower-case letters, digits and underscores")
# AWS documentation, AWS's own sites, and files in AWS's own GitHub organisation (some newer
# services are described first in AWS-authored repositories).
SOURCE_HOSTS = ("https://docs.aws.amazon.com/", "https://aws.amazon.com/", "https://serverlessland.com/",
                "https://github.com/aws/")


class Source(fields.String):
    """An AWS documentation URL, or "seed" for the article the project starts from."""

    def _deserialize(self, value, attr, data, **kwargs):
        value = super()._deserialize(value, attr, data, **kwargs)
        if value != "seed" and not value.startswith(SOURCE_HOSTS):
            raise ValidationError("must be an AWS documentation URL (or a file in AWS's GitHub organisation) or 'seed'")
        return value


class _Strict(Schema):
    class Meta:
        unknown = RAISE


class LevelSchema(_Strict):
    id = fields.String(required=True, validate=ID)
    name = fields.String(required=True, validate=validate.Length(min=1))
    description = fields.String(required=True, validate=validate.Length(min=1))


class WorkloadBoundsSchema(_Strict):
    """The most any AWS compute offers for a workload number; a what-if beyond it is not reported."""

    vcpu = fields.Float(validate=validate.Range(min=1, max=1_000_000))
    memory_gb = fields.Float(validate=validate.Range(min=1, max=1_000_000))
    source = Source(required=True)


class MetaFileSchema(_Strict):
    version = fields.String(required=True, validate=validate.Length(min=1, max=40))
    reviewed_on = fields.Date(required=True)
    title = fields.String(required=True)
    customisation_levels = fields.List(fields.Nested(LevelSchema), required=True, validate=validate.Length(min=1))
    isolation_levels = fields.List(fields.Nested(LevelSchema), required=True, validate=validate.Length(min=1))
    workload_bounds = fields.Nested(WorkloadBoundsSchema)


class LayerSchema(_Strict):
    id = fields.String(required=True, validate=ID)
    name = fields.String(required=True, validate=validate.Length(min=1))
    description = fields.String(required=True, validate=validate.Length(min=1))
    skills = fields.List(fields.String(), required=True)
    runs_on = fields.List(fields.String(validate=ID), required=True)
    hours_per_month = fields.Float(required=True, validate=validate.Range(min=0, max=10_000))
    hours_basis = fields.String(required=True)
    patching_staff_needed = fields.Float(load_default=0.0, validate=validate.Range(min=0, max=100))
    incidents = fields.List(fields.String(validate=ID), load_default=list)
    work = fields.String(load_default="platform", validate=validate.OneOf(WORK_KINDS))

    @validates("hours_basis")
    def _labelled_as_assumption(self, value, **kwargs):
        if not value.lower().startswith("assumption"):
            raise ValidationError("an effort estimate must be labelled as an assumption ('assumption: ...')")


class LayersFileSchema(_Strict):
    layers = fields.List(fields.Nested(LayerSchema), required=True, validate=validate.Length(min=1))


class IncidentSchema(_Strict):
    id = fields.String(required=True, validate=ID)
    name = fields.String(required=True)
    kind = fields.String(required=True)
    description = fields.String(required=True)
    source = Source(required=True)
    note = fields.String(load_default="")


class IncidentsFileSchema(_Strict):
    incidents = fields.List(fields.Nested(IncidentSchema), required=True)


class OwnershipSchema(_Strict):
    owner = fields.String(required=True, validate=validate.OneOf(OWNERS))
    source = Source(required=True)
    note = fields.String(load_default="")
    team_share = fields.Float(validate=validate.Range(min=0, max=1))
    team_share_basis = fields.String()

    @validates_schema
    def _shared_needs_share(self, data, **kwargs):
        if data.get("owner") == "shared":
            if "team_share" not in data:
                raise ValidationError("a shared layer needs the team's share (0 to 1)", "team_share")
            if not data.get("team_share_basis", "").lower().startswith("assumption"):
                raise ValidationError("the team's share is an estimate: label it 'assumption: ...'", "team_share_basis")
            if not data.get("note"):
                raise ValidationError("a shared layer needs a note saying who does what", "note")


class CustomisationSchema(_Strict):
    level = fields.String(required=True)
    note = fields.String(required=True)
    source = Source(required=True)


class IsolationSchema(_Strict):
    support = fields.String(required=True, validate=validate.OneOf(["yes", "with_effort", "no"]))
    note = fields.String(required=True, validate=validate.Length(min=1))
    source = Source(required=True)
    unblock = fields.String()

    @validates_schema
    def _no_needs_unblock(self, data, **kwargs):
        if data.get("support") == "no" and not data.get("unblock"):
            raise ValidationError("an unsupported level needs 'unblock': what would make the service eligible", "unblock")


LIMIT_FIELDS = ["max_duration_minutes", "memory_gb", "vcpu", "ephemeral_storage_gb", "gpu", "privileged", "always_on", "os",
                "arch", "invocation", "daemonsets", *CHOICE_DEFAULTS]
NUMERIC_FIELDS = {"max_duration_minutes", "memory_gb", "vcpu", "ephemeral_storage_gb"}
CHOICE_FIELDS = set(WORKLOAD_CHOICES)


class LimitSchema(_Strict):
    field = fields.String(required=True, validate=validate.OneOf(LIMIT_FIELDS))
    kind = fields.String(required=True, validate=validate.OneOf(["max", "not_supported", "allowed"]))
    value = fields.Float()
    values = fields.List(fields.String())
    when = fields.Dict(keys=fields.String(validate=validate.OneOf(LIMIT_FIELDS)))
    label = fields.String(required=True)
    source = Source(required=True)
    unblock = fields.String(required=True)

    @validates_schema
    def _kind_matches_field(self, data, **kwargs):
        kind, name = data.get("kind"), data.get("field")
        if kind == "max" and ("value" not in data or name not in NUMERIC_FIELDS):
            raise ValidationError("a 'max' limit needs a numeric workload field and a 'value'", "value")
        if kind == "allowed" and not data.get("values"):
            raise ValidationError("an 'allowed' limit needs 'values'", "values")
        if kind == "allowed" and name not in CHOICE_FIELDS:
            raise ValidationError(f"an 'allowed' limit applies to {', '.join(sorted(CHOICE_FIELDS))}", "kind")
        if kind == "not_supported" and name in NUMERIC_FIELDS | CHOICE_FIELDS:
            raise ValidationError("'not_supported' applies to yes/no workload fields", "kind")
        if kind == "allowed":
            wrong = [v for v in data["values"] if v not in WORKLOAD_CHOICES[name]]
            if wrong:
                raise ValidationError(f"{wrong[0]!r} is not one of {', '.join(WORKLOAD_CHOICES[name])}", "values")
        for key, value in data.get("when", {}).items():
            if key in NUMERIC_FIELDS:
                raise ValidationError(f"{key!r} is numeric and cannot be a condition", "when")
            allowed = WORKLOAD_CHOICES.get(key, (True, False))
            if value not in allowed or isinstance(value, bool) != (key not in WORKLOAD_CHOICES):
                raise ValidationError(f"a condition on {key!r} must be one of {', '.join(map(str, allowed))}", "when")


class VariantSchema(_Strict):
    """Ownership that applies only for some workload choices, e.g. on EC2 without containers."""

    when = fields.Dict(keys=fields.String(validate=validate.OneOf(sorted(CHOICE_DEFAULTS))), values=fields.String(),
                       required=True, validate=validate.Length(min=1))
    note = fields.String(load_default="")
    ownership = fields.Dict(keys=fields.String(), values=fields.Nested(OwnershipSchema), required=True,
                            validate=validate.Length(min=1))

    @validates_schema
    def _known_choice(self, data, **kwargs):
        for key, value in data.get("when", {}).items():
            if value not in WORKLOAD_CHOICES[key]:
                raise ValidationError(f"a condition on {key!r} must be one of {', '.join(WORKLOAD_CHOICES[key])}",
                                      "when")


class ServiceFileSchema(_Strict):
    id = fields.String(required=True, validate=ID)
    name = fields.String(required=True)
    model = fields.String(required=True)
    summary = fields.String(required=True)
    default = fields.Boolean(load_default=False)
    customisation = fields.Nested(CustomisationSchema, required=True)
    isolation = fields.Dict(keys=fields.String(), values=fields.Nested(IsolationSchema), required=True)
    ownership = fields.Dict(keys=fields.String(), values=fields.Nested(OwnershipSchema), required=True)
    limits = fields.List(fields.Nested(LimitSchema), load_default=list)
    variants = fields.List(fields.Nested(VariantSchema), load_default=list)


class PartySchema(_Strict):
    id = fields.String(required=True, validate=ID)
    name = fields.String(required=True, validate=validate.Length(min=1, max=80))
    description = fields.String(load_default="")


class ReassignmentSchema(_Strict):
    party = fields.String(required=True, validate=ID)
    service = fields.String(required=True, validate=ID)
    layers = fields.List(fields.String(validate=ID), required=True, validate=validate.Length(min=1))
    note = fields.String(required=True, validate=validate.Length(min=1))


class OverlayFileSchema(_Strict):
    """An organisation overlay: internal parties and the team layers they take over on named services."""

    id = fields.String(required=True, validate=ID)
    name = fields.String(required=True, validate=validate.Length(min=1))
    description = fields.String(load_default="")
    parties = fields.List(fields.Nested(PartySchema), required=True, validate=validate.Length(min=1))
    reassign = fields.List(fields.Nested(ReassignmentSchema), required=True, validate=validate.Length(min=1))


class LayerEffortSchema(_Strict):
    """An organisation's own effort figure for one layer, labelled as the assumption it is."""

    hours_per_month = fields.Float(validate=validate.Range(min=0, max=10_000))
    hours_basis = fields.String(required=True)
    patching_staff_needed = fields.Float(validate=validate.Range(min=0, max=100))

    @validates("hours_basis")
    def _labelled_as_assumption(self, value, **kwargs):
        if not value.lower().startswith("assumption"):
            raise ValidationError("an effort estimate must be labelled as an assumption ('assumption: ...')")


class CalibrationFileSchema(_Strict):
    """An organisation's effort figures, replacing the default hours of the layers it names."""

    id = fields.String(required=True, validate=ID)
    name = fields.String(required=True, validate=validate.Length(min=1, max=120))
    description = fields.String(required=True, validate=validate.Length(min=1))
    layers = fields.Dict(keys=fields.String(validate=ID), values=fields.Nested(LayerEffortSchema), required=True,
                         validate=validate.Length(min=1))


class InstanceFamilySchema(_Strict):
    """One EC2 instance family with accelerators, and the AWS page that says so."""

    family = fields.String(required=True, validate=validate.Regexp(
        r"^[a-z][a-z0-9-]*$", error="must be an instance family as instance types begin with, such as g5"))
    accelerator = fields.String(required=True, validate=validate.OneOf(["gpu"]))
    note = fields.String(required=True, validate=validate.Length(min=1))
    source = Source(required=True)


class InstanceFamiliesFileSchema(_Strict):
    """instance_families.toml: the families whose instance types bring a GPU."""

    families = fields.List(fields.Nested(InstanceFamilySchema), required=True)

    @validates_schema
    def _each_family_once(self, data, **kwargs):
        seen = set()
        for index, row in enumerate(data.get("families", [])):
            if row["family"] in seen:
                raise ValidationError({index: {"family": [f"{row['family']!r} is listed twice"]}}, "families")
            seen.add(row["family"])
