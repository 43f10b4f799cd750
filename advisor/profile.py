"""A team's stated capacity and needs, as plain values the ranking reads."""
from __future__ import annotations

from dataclasses import dataclass, field, fields

__all__ = ["Workload", "Weights", "Profile", "DEFAULT_WEIGHTS", "WORKLOAD_PHRASES", "profile_as_dict"]


@dataclass(frozen=True)
class Workload:
    """Workload limits; None or False means the team did not ask for it."""

    max_duration_minutes: float | None = None
    memory_gb: float | None = None
    vcpu: float | None = None
    ephemeral_storage_gb: float | None = None
    gpu: bool = False
    privileged: bool = False
    always_on: bool = False
    os: str = "linux"


@dataclass(frozen=True)
class Weights:
    """How much each part of the fit counts; only their proportions matter."""

    burden: float = 0.35
    patching: float = 0.25
    customisation: float = 0.2
    isolation: float = 0.1
    simplicity: float = 0.1

    def as_dict(self) -> dict[str, float]:
        return {name: getattr(self, name) for name in _WEIGHT_FIELDS}


_WEIGHT_FIELDS = tuple(f.name for f in fields(Weights))
DEFAULT_WEIGHTS = Weights()


@dataclass(frozen=True)
class Profile:
    """What a team can carry and what its application needs."""

    security_hours_per_month: float
    patching_staff: int
    customisation: str
    isolation: str
    workload: Workload = field(default_factory=Workload)
    weights: Weights = DEFAULT_WEIGHTS
    name: str | None = None
    services: tuple[str, ...] | None = None


# How a sentence names the value a team asked for, per workload field.
WORKLOAD_PHRASES = {
    "max_duration_minutes": "a run of {value:g} minutes",
    "memory_gb": "{value:g} GB of memory",
    "vcpu": "{value:g} vCPU",
    "ephemeral_storage_gb": "{value:g} GB of local scratch space",
    "gpu": "a GPU",
    "privileged": "privileged containers",
    "always_on": "an always-on process",
    "os": "{value}",
}


def profile_as_dict(profile: Profile) -> dict:
    """The profile as plain JSON-ready values, leaving out what was not asked."""
    # Field by field: dataclasses.asdict deep-copies every value, and took a third as long as the ranking.
    data = {name: getattr(profile, name) for name in _PROFILE_FIELDS}
    data["workload"] = {name: value for name in _WORKLOAD_FIELDS if (value := getattr(profile.workload, name)) is not None}
    data["weights"] = profile.weights.as_dict()
    for key in ("name", "services"):
        if data[key] is None:
            del data[key]
        elif key == "services":
            data[key] = list(data[key])
    return data


_PROFILE_FIELDS = tuple(f.name for f in fields(Profile))
_WORKLOAD_FIELDS = tuple(f.name for f in fields(Workload))
