"""The profile a team submits: the fixed input contract of recommendations and assessments."""
from collections.abc import Callable, Sequence
from typing import Any

from marshmallow import RAISE, Schema, ValidationError, fields, post_load, validate

from advisor import DEFAULT_WEIGHTS, InvalidProfileError, KnowledgeBase, Profile, Weights, Workload
from advisor.profile import CHOICE_DEFAULTS, WORKLOAD_CHOICES

from .json_types import Number, StrictBoolean, WholeNumber
from .text import PlainText

__all__ = ["WorkloadSchema", "WeightsSchema", "ProfileSchema", "profile_schema", "CUSTOMISATION", "ISOLATION",
           "PROFILE_EXAMPLE", "profile_parser"]

# The shipped knowledge base's levels, for the API document; a loaded knowledge base's own levels are what a
# profile is checked against (profile_parser).
CUSTOMISATION = ["none", "low", "medium", "high"]
ISOLATION = ["standard", "strong", "dedicated"]
_POSITIVE = validate.Range(min=0, min_inclusive=False, max=1_000_000)


class _Strict(Schema):
    class Meta:
        unknown = RAISE


class WorkloadSchema(_Strict):
    """Workload limits that can rule a service out; every field optional."""

    max_duration_minutes = Number(validate=_POSITIVE, metadata={"description": "Longest single run, in minutes.", "example": 5})
    memory_gb = Number(validate=_POSITIVE, metadata={"description": "Memory one run or task needs, in GB.", "example": 2})
    vcpu = Number(validate=_POSITIVE, metadata={"description": "vCPUs one run or task needs.", "example": 1})
    ephemeral_storage_gb = Number(validate=_POSITIVE, metadata={"description": "Local scratch space one run needs, in GB."})
    gpu = StrictBoolean(metadata={"description": "Needs a GPU."})
    privileged = StrictBoolean(metadata={"description": "Needs privileged containers or host access."})
    always_on = StrictBoolean(metadata={"description": "Runs as a process that never stops (not per request or event)."})
    os = fields.String(validate=validate.OneOf(WORKLOAD_CHOICES["os"]), metadata={"description": "Operating system the code needs."})
    arch = fields.String(validate=validate.OneOf(WORKLOAD_CHOICES["arch"]),
                         metadata={"description": "Processor architecture the code is built for; any when left out."})
    invocation = fields.String(
        validate=validate.OneOf(WORKLOAD_CHOICES["invocation"]),
        metadata={"description": "How runs start: sync (a caller waits for the answer) or async (events, queues, "
                                 "streams); some run-time limits depend on it."})
    daemonsets = StrictBoolean(metadata={"description": "Needs an agent on every node or host, such as a Kubernetes DaemonSet or an ECS daemon service."})
    on_ec2 = fields.String(
        validate=validate.OneOf(WORKLOAD_CHOICES["on_ec2"]),
        metadata={"description": "How the team would run the application on plain EC2 instances, which decides the "
                                 "layers it owns there: application (directly on the instances, no containers), "
                                 "containers (a container runtime it runs itself, no orchestrator) or kubernetes (its "
                                 f"own Kubernetes cluster). Default: {CHOICE_DEFAULTS['on_ec2']}.",
                  "example": "containers"})
    lambda_package = fields.String(
        validate=validate.OneOf(WORKLOAD_CHOICES["lambda_package"]),
        metadata={"description": "How Lambda functions are packaged: zip (a managed runtime AWS patches) or image (a "
                                 "container image, whose runtime and base image the team rebuilds). Default: "
                                 f"{CHOICE_DEFAULTS['lambda_package']}.", "example": "zip"})


class WeightsSchema(_Strict):
    """Overrides of the scoring weights; only their proportions matter, and not all five may be zero."""

    # The rule ProfileSchema._to_profile enforces, for the OpenAPI document: not all five given as 0.
    openapi_extra = {"not": {"required": ["burden", "patching", "customisation", "isolation", "simplicity"],
                             "properties": {name: {"const": 0} for name in
                                            ("burden", "patching", "customisation", "isolation", "simplicity")}}}

    burden = Number(validate=validate.Range(min=0, max=1000))
    patching = Number(validate=validate.Range(min=0, max=1000))
    customisation = Number(validate=validate.Range(min=0, max=1000))
    isolation = Number(validate=validate.Range(min=0, max=1000))
    simplicity = Number(validate=validate.Range(min=0, max=1000))


class ProfileSchema(_Strict):
    """A team's security capacity and needs; customisation and isolation may be given the levels to accept."""

    def __init__(self, *, customisation: Sequence[str] | None = None, isolation: Sequence[str] | None = None,
                 **kwargs):
        super().__init__(**kwargs)
        if customisation is not None:
            self.fields["customisation"].validators = [validate.OneOf(list(customisation))]
        if isolation is not None:
            self.fields["isolation"].validators = [validate.OneOf(list(isolation))]

    security_hours_per_month = Number(
        required=True, validate=validate.Range(min=0, max=100_000),
        metadata={"description": "Hours a month the team can spend securing and operating its platform.", "example": 20})
    patching_staff = WholeNumber(
        required=True, validate=validate.Range(min=0, max=10_000),
        metadata={"description": "People who can patch operating systems and runtimes.", "example": 0})
    customisation = fields.String(
        required=True, validate=validate.OneOf(CUSTOMISATION),
        metadata={"description": "Control needed over OS, kernel, host and hardware.", "example": "low"})
    isolation = fields.String(
        required=True, validate=validate.OneOf(ISOLATION),
        metadata={"description": "standard: AWS's separation between customers is enough; strong: no kernel shared "
                                 "with other workloads; dedicated: single-tenant hardware.", "example": "standard"})
    workload = fields.Nested(WorkloadSchema, metadata={"description": "Optional workload limits."})
    weights = fields.Nested(WeightsSchema, metadata={
        "description": "Optional overrides of the scoring weights; at least one weight must stay above zero."})
    name = PlainText(validate=validate.Length(min=1, max=200), metadata={"description": "A label for the application.", "example": "Payments API"})
    services = fields.List(
        fields.String(validate=validate.Regexp(r"^[a-z][a-z0-9_]{0,63}$", error="not a service id")),
        validate=validate.Length(min=1, max=50),
        metadata={"description": "Service ids to rank, each once; the knowledge base's default set when left out.",
                  "uniqueItems": True})
    overlay = fields.String(
        validate=validate.Regexp(r"^[a-z][a-z0-9_]{0,63}$", error="not an overlay id"),
        metadata={"description": "Id of an organisation overlay: layers an internal party (such as a platform team) "
                                 "takes over from the team.", "example": "platform_team"})

    calibration = fields.String(
        validate=validate.Regexp(r"^[a-z][a-z0-9_]{0,63}$", error="not a calibration id"),
        metadata={"description": "Id of an effort calibration: an organisation's own hours for some layers, in place "
                                 "of the default assumptions.", "example": "regulated_change_control"})

    @post_load
    def _to_profile(self, data, **kwargs):
        # The one pass after the fields: the rules across fields (marshmallow runs it only when every field
        # passed, and reports its errors under the field named), then the Profile.
        weights = Weights(**{**DEFAULT_WEIGHTS.as_dict(), **data.get("weights", {})})
        if sum(weights.as_dict().values()) <= 0:
            raise ValidationError("at least one weight must be above zero", "weights")
        services = data.get("services")
        if services and len(set(services)) != len(services):
            raise ValidationError("each service may be named once", "services")
        return Profile(
            security_hours_per_month=data["security_hours_per_month"], patching_staff=data["patching_staff"],
            customisation=data["customisation"], isolation=data["isolation"],
            workload=Workload(**data.get("workload", {})), weights=weights,
            name=data.get("name"), services=tuple(services) if services is not None else None,
            overlay=data.get("overlay"), calibration=data.get("calibration"),
        )


profile_schema = ProfileSchema()

# The README's example, also the example of the API document.
PROFILE_EXAMPLE = {"security_hours_per_month": 20, "patching_staff": 0, "customisation": "low",
                   "isolation": "standard", "workload": {"max_duration_minutes": 60}, "name": "Payments API"}


def profile_parser(kb: KnowledgeBase) -> Callable[[Any], Profile]:
    """Read a profile as sent into a Profile, accepting the levels this knowledge base declares.

    A profile that does not fit raises InvalidProfileError carrying marshmallow's field messages.
    """
    schema = ProfileSchema(customisation=tuple(kb.customisation_levels), isolation=tuple(kb.isolation_levels))

    def parse(data: Any) -> Profile:
        try:
            return schema.load(data)
        except ValidationError as exc:
            raise InvalidProfileError(exc.messages) from None

    return parse
