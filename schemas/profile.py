"""The profile a team submits: the fixed input contract of recommendations and assessments."""
import re

from marshmallow import RAISE, Schema, ValidationError, fields, post_load, validate, validates_schema

from advisor import DEFAULT_WEIGHTS, Profile, Weights, Workload

from .text import PlainText

__all__ = ["WorkloadSchema", "WeightsSchema", "ProfileSchema", "profile_schema", "CUSTOMISATION", "ISOLATION"]

CUSTOMISATION = ["none", "low", "medium", "high"]
ISOLATION = ["standard", "strong", "dedicated"]
_POSITIVE = validate.Range(min=0, min_inclusive=False, max=1_000_000)
_SERVICE_ID = re.compile(r"^[a-z][a-z0-9_]{0,63}$")


class _Strict(Schema):
    class Meta:
        unknown = RAISE


class WorkloadSchema(_Strict):
    """Workload limits that can rule a service out; every field optional."""

    max_duration_minutes = fields.Float(validate=_POSITIVE, metadata={"description": "Longest single run, in minutes.", "example": 5})
    memory_gb = fields.Float(validate=_POSITIVE, metadata={"description": "Memory one run or task needs, in GB.", "example": 2})
    vcpu = fields.Float(validate=_POSITIVE, metadata={"description": "vCPUs one run or task needs.", "example": 1})
    ephemeral_storage_gb = fields.Float(validate=_POSITIVE, metadata={"description": "Local scratch space one run needs, in GB."})
    gpu = fields.Boolean(metadata={"description": "Needs a GPU."})
    privileged = fields.Boolean(metadata={"description": "Needs privileged containers or host access."})
    always_on = fields.Boolean(metadata={"description": "Runs as a process that never stops (not per request or event)."})
    os = fields.String(validate=validate.OneOf(["linux", "windows"]), metadata={"description": "Operating system the code needs."})


class WeightsSchema(_Strict):
    """Overrides of the scoring weights; only their proportions matter."""

    burden = fields.Float(validate=validate.Range(min=0, max=1000))
    patching = fields.Float(validate=validate.Range(min=0, max=1000))
    customisation = fields.Float(validate=validate.Range(min=0, max=1000))
    isolation = fields.Float(validate=validate.Range(min=0, max=1000))
    simplicity = fields.Float(validate=validate.Range(min=0, max=1000))


class ProfileSchema(_Strict):
    """A team's security capacity and needs."""

    def load(self, data, *, many=None, partial=None, unknown=None):
        """Load a profile; plainly valid input takes a shortcut to the very same Profile (see _plain_profile)."""
        if many is None and partial is None and unknown is None:
            profile = _plain_profile(data)
            if profile is not None:
                return profile
        return super().load(data, many=many, partial=partial, unknown=unknown)

    security_hours_per_month = fields.Float(
        required=True, validate=validate.Range(min=0, max=100_000),
        metadata={"description": "Hours a month the team can spend securing and operating its platform.", "example": 20})
    patching_staff = fields.Integer(
        required=True, strict=True, validate=validate.Range(min=0, max=10_000),
        metadata={"description": "People who can patch operating systems and runtimes.", "example": 0})
    customisation = fields.String(
        required=True, validate=validate.OneOf(CUSTOMISATION),
        metadata={"description": "Control needed over OS, kernel, host and hardware.", "example": "low"})
    isolation = fields.String(
        required=True, validate=validate.OneOf(ISOLATION),
        metadata={"description": "standard: AWS's separation between customers is enough; strong: no kernel shared "
                                 "with other workloads; dedicated: single-tenant hardware.", "example": "standard"})
    workload = fields.Nested(WorkloadSchema, metadata={"description": "Optional workload limits."})
    weights = fields.Nested(WeightsSchema, metadata={"description": "Optional overrides of the scoring weights."})
    name = PlainText(validate=validate.Length(min=1, max=200), metadata={"description": "A label for the application.", "example": "Payments API"})
    services = fields.List(
        fields.String(validate=validate.Regexp(_SERVICE_ID, error="not a service id")),
        validate=validate.Length(min=1, max=50),
        metadata={"description": "Service ids to rank; the knowledge base's default set when left out."})

    @validates_schema
    def _weights_not_all_zero(self, data, **kwargs):
        weights = {**DEFAULT_WEIGHTS.as_dict(), **data.get("weights", {})}
        if sum(weights.values()) <= 0:
            raise ValidationError("at least one weight must be above zero", "weights")
        services = data.get("services")
        if services and len(set(services)) != len(services):
            raise ValidationError("each service may be named once", "services")

    @post_load
    def _to_profile(self, data, **kwargs):
        return Profile(
            security_hours_per_month=data["security_hours_per_month"], patching_staff=data["patching_staff"],
            customisation=data["customisation"], isolation=data["isolation"],
            workload=Workload(**data.get("workload", {})),
            weights=Weights(**{**DEFAULT_WEIGHTS.as_dict(), **data.get("weights", {})}),
            name=data.get("name"), services=tuple(data["services"]) if "services" in data else None,
        )


profile_schema = ProfileSchema()

# The shortcut. marshmallow's load is a third of what a recommendation costs; most profiles are plain JSON
# well inside every bound, and for those the checks below are the same checks, so they give the same Profile.
# Anything else - a missing or unknown field, another type (a bool for a number, a string for a bool), a value
# out of range - returns None and goes through marshmallow, which names the problem. A property test holds
# the two to the same answer.
_TOP = frozenset(ProfileSchema._declared_fields)
_WORKLOAD = frozenset(WorkloadSchema._declared_fields)
_WEIGHTS = frozenset(WeightsSchema._declared_fields)
_WORKLOAD_NUMBERS = ("max_duration_minutes", "memory_gb", "vcpu", "ephemeral_storage_gb")
_WORKLOAD_FLAGS = ("gpu", "privileged", "always_on")


def _float(value, low: float, high: float, low_inclusive: bool = True) -> float | None:
    if type(value) is float:
        pass
    elif type(value) is int and -1e300 < value < 1e300:  # bool is neither; a bigger int has no float
        value = float(value)
    else:
        return None
    if (low <= value if low_inclusive else low < value) and value <= high:
        return value
    return None


def _plain_profile(data) -> Profile | None:
    """The Profile marshmallow would load from plainly valid input; None for anything it should look at."""
    if type(data) is not dict or not data.keys() <= _TOP:
        return None
    hours = _float(data.get("security_hours_per_month"), 0, 100_000)
    staff = data.get("patching_staff")
    if hours is None or type(staff) is not int or not 0 <= staff <= 10_000:
        return None
    customisation, isolation = data.get("customisation"), data.get("isolation")
    if customisation not in CUSTOMISATION or isolation not in ISOLATION:
        return None
    raw = data.get("workload", {})
    if type(raw) is not dict or not raw.keys() <= _WORKLOAD:
        return None
    workload = {}
    for key, value in raw.items():
        if key in _WORKLOAD_NUMBERS:
            value = _float(value, 0, 1_000_000, low_inclusive=False)
        elif key in _WORKLOAD_FLAGS:
            value = value if type(value) is bool else None
        elif value not in ("linux", "windows"):
            value = None
        if value is None:
            return None
        workload[key] = value
    raw = data.get("weights", {})
    if type(raw) is not dict or not raw.keys() <= _WEIGHTS:
        return None
    weights = {}
    for key, value in raw.items():
        if (value := _float(value, 0, 1000)) is None:
            return None
        weights[key] = value
    weights = {**DEFAULT_WEIGHTS.as_dict(), **weights}
    if not sum(weights.values()) > 0:
        return None
    name = data.get("name")
    if name is not None and (type(name) is not str or not 1 <= len(name) <= 200 or not PlainText.is_plain(name)):
        return None
    services = data.get("services")
    if services is not None:
        if type(services) is not list or not 1 <= len(services) <= 50:
            return None
        if not all(type(sid) is str and _SERVICE_ID.match(sid) for sid in services) or len(set(services)) != len(services):
            return None
        services = tuple(services)
    if "name" in data and name is None or "services" in data and services is None:
        return None  # an explicit null: marshmallow's message
    return Profile(security_hours_per_month=hours, patching_staff=staff, customisation=customisation,
                   isolation=isolation, workload=Workload(**workload), weights=Weights(**weights), name=name,
                   services=services)
