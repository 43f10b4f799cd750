"""A team's stated capacity and needs, as plain values the ranking reads."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Union

__all__ = ["Number", "Workload", "Weights", "Profile", "DEFAULT_WEIGHTS", "WORKLOAD_PHRASES", "WORKLOAD_CHOICES",
           "CHOICE_DEFAULTS", "CHOICE_ASSUMPTIONS", "CHOICE_CONDITIONS", "profile_as_dict"]

# A figure as the team or the knowledge base wrote it: a whole number stays whole in every answer (20, not 20.0).
Number = Union[int, float]

# The values a workload field with a fixed choice may take; limits and profiles use the same words.
WORKLOAD_CHOICES = {
    "os": ("linux", "windows"), "arch": ("x86_64", "arm64"), "invocation": ("sync", "async"),
    # How the team would run the application on plain EC2 instances: as processes on the instance, in
    # containers it runs itself, or on a Kubernetes cluster of its own (the layers it owns differ).
    "on_ec2": ("application", "containers", "kubernetes"),
    # How a Lambda function is packaged: a .zip on a managed runtime, or a container image the team builds.
    "lambda_package": ("zip", "image"),
}
# Choices that change who owns what rather than what can run; each has a default a profile may leave out.
CHOICE_DEFAULTS = {"on_ec2": "containers", "lambda_package": "zip"}
# How an answer says which choice its figures assume.
CHOICE_ASSUMPTIONS = {
    ("on_ec2", "application"): "the application runs directly on the instances, with no containers",
    ("on_ec2", "containers"): "the team runs containers on the instances itself, with no orchestrator of its own",
    ("on_ec2", "kubernetes"): "the team runs its own Kubernetes cluster on the instances",
    ("lambda_package", "zip"): "functions are .zip packages on a runtime AWS manages",
    ("lambda_package", "image"): "functions are container images the team builds on a base image",
}
# How a what-if names a choice changed to another value.
CHOICE_CONDITIONS = {
    ("on_ec2", "application"): "With the application run directly on EC2 instances",
    ("on_ec2", "containers"): "With containers the team runs itself on EC2 instances",
    ("on_ec2", "kubernetes"): "With a Kubernetes cluster the team runs itself on EC2 instances",
    ("lambda_package", "zip"): "With Lambda functions packaged as .zip files",
    ("lambda_package", "image"): "With Lambda functions packaged as container images",
}


@dataclass(frozen=True)
class Workload:
    """Workload limits; None or False means the team did not ask for it."""

    max_duration_minutes: Number | None = None
    memory_gb: Number | None = None
    vcpu: Number | None = None
    ephemeral_storage_gb: Number | None = None
    gpu: bool = False
    privileged: bool = False
    always_on: bool = False
    os: str = "linux"
    arch: str | None = None
    invocation: str | None = None
    daemonsets: bool = False
    on_ec2: str = CHOICE_DEFAULTS["on_ec2"]
    lambda_package: str = CHOICE_DEFAULTS["lambda_package"]

    def choices(self) -> dict[str, str]:
        """The choices that change who owns what, as field -> value."""
        return {name: getattr(self, name) for name in CHOICE_DEFAULTS}

    def asked(self) -> dict[str, Any]:
        """Every field, as field -> value (what the team asked, with None and False where it asked nothing)."""
        return {"max_duration_minutes": self.max_duration_minutes, "memory_gb": self.memory_gb, "vcpu": self.vcpu,
                "ephemeral_storage_gb": self.ephemeral_storage_gb, "gpu": self.gpu, "privileged": self.privileged,
                "always_on": self.always_on, "os": self.os, "arch": self.arch, "invocation": self.invocation,
                "daemonsets": self.daemonsets, "on_ec2": self.on_ec2, "lambda_package": self.lambda_package}


@dataclass(frozen=True)
class Weights:
    """How much each part of the fit counts; only their proportions matter."""

    burden: Number = 0.35
    patching: Number = 0.25
    customisation: Number = 0.2
    isolation: Number = 0.1
    simplicity: Number = 0.1

    def as_dict(self) -> dict[str, Number]:
        return {"burden": self.burden, "patching": self.patching, "customisation": self.customisation,
                "isolation": self.isolation, "simplicity": self.simplicity}


DEFAULT_WEIGHTS = Weights()


@dataclass(frozen=True)
class Profile:
    """What a team can carry and what its application needs."""

    security_hours_per_month: Number
    patching_staff: int
    customisation: str
    isolation: str
    workload: Workload = field(default_factory=Workload)
    weights: Weights = DEFAULT_WEIGHTS
    name: str | None = None
    services: tuple[str, ...] | None = None
    overlay: str | None = None
    calibration: str | None = None


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
    "daemonsets": "an agent on every node (DaemonSets)",
    "on_ec2": "{value}",
    "lambda_package": "{value}",
}


def profile_as_dict(profile: Profile) -> dict:
    """The profile as plain JSON-ready values, leaving out what was not asked."""
    data: dict[str, Any] = {
        "security_hours_per_month": profile.security_hours_per_month, "patching_staff": profile.patching_staff,
        "customisation": profile.customisation, "isolation": profile.isolation,
        "workload": {k: v for k, v in profile.workload.asked().items() if v is not None},
        "weights": profile.weights.as_dict()}
    for key in ("name", "services", "overlay", "calibration"):
        value = getattr(profile, key)
        if value is not None:
            data[key] = list(value) if key == "services" else value
    return data
