"""A team's stated capacity and needs, as plain values the ranking reads."""
from __future__ import annotations

from dataclasses import asdict, dataclass, field, fields

__all__ = ["Workload", "Weights", "Profile", "DEFAULT_WEIGHTS", "WORKLOAD_PHRASES", "WORKLOAD_CHOICES", "profile_as_dict"]

# The values a workload field with a fixed choice may take; limits and profiles use the same words.
WORKLOAD_CHOICES = {"os": ("linux", "windows"), "arch": ("x86_64", "arm64"), "invocation": ("sync", "async")}


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
    arch: str | None = None
    invocation: str | None = None
    daemonsets: bool = False


@dataclass(frozen=True)
class Weights:
    """How much each part of the fit counts; only their proportions matter."""

    burden: float = 0.35
    patching: float = 0.25
    customisation: float = 0.2
    isolation: float = 0.1
    simplicity: float = 0.1

    def as_dict(self) -> dict[str, float]:
        return {f.name: getattr(self, f.name) for f in fields(self)}


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
    overlay: str | None = None


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
    "arch": "{value} processors",
    "invocation": "{value} invocations",
    "daemonsets": "Kubernetes DaemonSets",
}


def profile_as_dict(profile: Profile) -> dict:
    """The profile as plain JSON-ready values, leaving out what was not asked."""
    data = asdict(profile)
    data["workload"] = {k: v for k, v in data["workload"].items() if v is not None}
    for key in ("name", "services", "overlay"):
        if data[key] is None:
            del data[key]
        elif key == "services":
            data[key] = list(data[key])
    return data
