"""What each kind of compute resource says about the workload, whatever format declares it.

Terraform, CloudFormation and the ECS API name the same settings differently (``memory_size``,
``MemorySize``); each format passes its own attribute names, so the provenance quotes the file's
own words, and the meaning is written once here.
"""
from __future__ import annotations

import json
from collections.abc import Mapping

from .facts import Facts, Origin

__all__ = ["Attributes", "lambda_function", "ecs_task_definition", "ecs_service", "ec2_instance", "eks_cluster",
           "eks_node_group", "eks_fargate_profile", "container_definitions", "instance_type"]

_MB_PER_GB = 1024


class Attributes:
    """A resource's settings read through the format's names: ``get("memory")`` gives (attribute, value)."""

    def __init__(self, values: Mapping, names: Mapping[str, str], resolve=None, label=None):
        self.values = values
        self.names = names
        self.resolve = resolve or (lambda value: value)
        self.label = label or (lambda path: path)  # how the provenance names an attribute (SAM: from Globals)

    def get(self, logical: str):
        """(the attribute path as the file spells it, its value), or (path, None) when the file leaves it out."""
        path = self.names.get(logical)
        if path is None:
            return logical, None
        value = self.values
        for part in path.split("."):
            value = self.resolve(value)
            if isinstance(value, list) and len(value) == 1 and isinstance(value[0], Mapping):
                value = value[0]  # a Terraform block: a list of one object
            if not isinstance(value, Mapping) or part not in value:
                return self.label(path), None
            value = value[part]
        resolved = self.resolve(value)
        if resolved is not value and isinstance(value, Mapping) and isinstance(value.get("Ref"), str):
            return f"{self.label(path)} (parameter {value['Ref']}'s default)", resolved  # CloudFormation
        return self.label(path), resolved


def _text(facts: Facts, origin: Origin, attribute: str, value) -> str | None:
    value = facts.literal(origin, attribute, value)
    return value if isinstance(value, str) else None


def _strings(facts: Facts, origin: Origin, attribute: str, value) -> list[str]:
    value = facts.literal(origin, attribute, value)
    if isinstance(value, str):
        return [value]
    if isinstance(value, list):
        return [v for v in (facts.literal(origin, attribute, item) for item in value) if isinstance(v, str)]
    return []


def lambda_function(facts: Facts, origin: Origin, attrs: Attributes) -> None:
    """A Lambda function: run time, memory, scratch space, architecture, packaging; event-driven."""
    facts.service("lambda", origin, "type")
    facts.flag("workload.always_on", origin, "type", raw="function", value=False)
    attribute, timeout = attrs.get("timeout")
    facts.number("workload.max_duration_minutes", origin, attribute, timeout, 1 / 60)
    attribute, memory = attrs.get("memory")
    facts.number("workload.memory_gb", origin, attribute, memory, 1 / _MB_PER_GB)
    attribute, storage = attrs.get("ephemeral")
    facts.number("workload.ephemeral_storage_gb", origin, attribute, storage, 1 / _MB_PER_GB)
    attribute, arches = attrs.get("architectures")
    for arch in _strings(facts, origin, attribute, arches):
        facts.arch({"arm64": "arm64", "x86_64": "x86_64"}.get(arch.lower(), arch), origin, attribute, arch)
    attribute, package = attrs.get("package_type")
    package = _text(facts, origin, attribute, package)
    if package:
        facts.choice("workload.lambda_package", "image" if package.lower() == "image" else "zip", origin, attribute,
                     package)
    else:
        attribute, image = attrs.get("image_uri")
        if image:
            facts.choice("workload.lambda_package", "image", origin, attribute, image)


def container_definitions(facts: Facts, origin: Origin, attribute: str, value) -> tuple[float, float]:
    """Each container's privileged flag and GPUs; returns the containers' summed vCPU and memory (GB)."""
    value = facts.literal(origin, attribute, value)
    if isinstance(value, str):  # Terraform: a JSON document in a string
        try:
            value = json.loads(value)
        except (ValueError, RecursionError):
            facts.cannot_tell(origin, attribute, "the container definitions are not valid JSON")
            return 0.0, 0.0
    if not isinstance(value, list):
        return 0.0, 0.0
    cpu = memory = 0.0
    for index, container in enumerate(value):
        if not isinstance(container, Mapping):
            continue
        container = {k[:1].lower() + k[1:]: v for k, v in container.items()}  # CloudFormation's PascalCase
        label = f"{attribute}[{container.get('name') or container.get('Name') or index}]"
        if facts.literal(origin, f"{label}.privileged", container.get("privileged")) is True:
            facts.flag("workload.privileged", origin, f"{label}.privileged", True)
        requirements = container.get("resourceRequirements")
        for requirement in requirements if isinstance(requirements, list) else []:
            if isinstance(requirement, Mapping):
                kind = requirement.get("type", requirement.get("Type"))
                if isinstance(kind, str) and kind.upper() == "GPU":
                    facts.flag("workload.gpu", origin, f"{label}.resourceRequirements",
                               requirement.get("value", requirement.get("Value")))
        for key, unit in (("cpu", 1 / 1024), ("memory", 1 / _MB_PER_GB)):
            number = facts.literal(origin, f"{label}.{key}", container.get(key))
            if isinstance(number, (int, float, str)) and not isinstance(number, bool):
                try:
                    amount = float(number) * unit
                except ValueError:
                    continue
                if key == "cpu":
                    cpu += amount
                else:
                    memory += amount
    return cpu, memory


_COMPATIBILITY = {"FARGATE": "fargate", "EC2": "ecs", "EXTERNAL": "ecs", "MANAGED_INSTANCES": "ecs_managed_instances"}


def ecs_task_definition(facts: Facts, origin: Origin, attrs: Attributes) -> None:
    """An ECS task definition: task size, scratch space, OS, architecture, privileged containers and GPUs."""
    facts.choice("workload.on_ec2", "containers", origin, "type", "task definition")
    attribute, compatibilities = attrs.get("requires")
    for value in _strings(facts, origin, attribute, compatibilities):
        if value.upper() in _COMPATIBILITY:
            facts.service(_COMPATIBILITY[value.upper()], origin, attribute, value)
    attribute, cpu = attrs.get("cpu")
    facts.number("workload.vcpu", origin, attribute, cpu, 1 / 1024)
    attribute, memory = attrs.get("memory")
    facts.number("workload.memory_gb", origin, attribute, memory, 1 / _MB_PER_GB)
    attribute, storage = attrs.get("ephemeral")
    facts.number("workload.ephemeral_storage_gb", origin, attribute, storage)
    attribute, family = attrs.get("os")
    family = _text(facts, origin, attribute, family)
    if family:
        facts.choice("workload.os", "windows" if family.upper().startswith("WINDOWS") else "linux", origin, attribute,
                     family)
    attribute, arch = attrs.get("arch")
    arch = _text(facts, origin, attribute, arch)
    if arch:
        facts.arch("arm64" if arch.upper() == "ARM64" else "x86_64", origin, attribute, arch)
    attribute, containers = attrs.get("containers")
    if containers is not None:
        cpu_sum, memory_sum = container_definitions(facts, origin, attribute, containers)
        facts.number("workload.vcpu", origin, f"{attribute} (sum of the containers' cpu)", cpu_sum)
        facts.number("workload.memory_gb", origin, f"{attribute} (sum of the containers' memory)", memory_sum)


def ecs_service(facts: Facts, origin: Origin, attrs: Attributes) -> None:
    """An ECS service: a long-running task set, on Fargate or on EC2 capacity."""
    facts.flag("workload.always_on", origin, "type", raw="service")
    facts.choice("workload.on_ec2", "containers", origin, "type", "service")
    attribute, launch = attrs.get("launch_type")
    launch = _text(facts, origin, attribute, launch)
    if launch and launch.upper() in _COMPATIBILITY:
        facts.service(_COMPATIBILITY[launch.upper()], origin, attribute, launch)
        return
    attribute, strategy = attrs.get("strategy")
    providers = []
    if isinstance(strategy, list):
        for item in strategy:
            if isinstance(item, Mapping):
                name = item.get("capacity_provider", item.get("CapacityProvider", item.get("capacityProvider")))
                name = _text(facts, origin, f"{attribute}.capacity_provider", name)
                if name:
                    providers.append(name)
    for name in providers:
        facts.service("fargate" if name.upper() in ("FARGATE", "FARGATE_SPOT") else "ecs", origin, attribute, name)
    if not launch and not providers:
        facts.cannot_tell(origin, attribute, "no launch type or capacity provider is given, so the cluster's "
                                             "default capacity provider decides where the tasks run")


def instance_type(facts: Facts, origin: Origin, attribute: str, value, families: Mapping[str, dict]) -> None:
    """An EC2 instance type: a GPU when its family is in the knowledge base's table of accelerated families."""
    for name in _strings(facts, origin, attribute, value):
        family = name.split(".", 1)[0].lower()
        row = families.get(family)
        if row and row["accelerator"] == "gpu":
            facts.flag("workload.gpu", origin, attribute, name)


def ec2_instance(facts: Facts, origin: Origin, attrs: Attributes, families: Mapping[str, dict], *,
                 service: bool = True) -> None:
    """An EC2 instance, launch template or Auto Scaling group: GPU from the instance type, dedicated tenancy."""
    if service:
        facts.service("ec2", origin, "type")
        facts.flag("workload.always_on", origin, "type", raw="instance")
    for key in ("instance_type", "instance_types"):
        attribute, value = attrs.get(key)
        instance_type(facts, origin, attribute, value, families)
    attribute, overrides = attrs.get("overrides")
    if isinstance(overrides, list):
        for item in overrides:
            if isinstance(item, Mapping):
                for key in ("instance_type", "InstanceType"):
                    if key in item:
                        instance_type(facts, origin, f"{attribute}.{key}", item[key], families)
    attribute, tenancy = attrs.get("tenancy")
    tenancy = _text(facts, origin, attribute, tenancy)
    if tenancy and tenancy.lower() in ("dedicated", "host"):
        facts.choice("isolation", "dedicated", origin, attribute, tenancy)
    attribute, host = attrs.get("host")
    host = _text(facts, origin, attribute, host)
    if host:
        facts.choice("isolation", "dedicated", origin, attribute, host)


def eks_cluster(facts: Facts, origin: Origin) -> None:
    facts.service("eks", origin, "type")
    facts.choice("workload.on_ec2", "kubernetes", origin, "type", "cluster")


def eks_node_group(facts: Facts, origin: Origin, attrs: Attributes, families: Mapping[str, dict]) -> None:
    """A managed node group: instance types (GPU), the AMI type's OS, architecture and GPU variant."""
    eks_cluster(facts, origin)
    facts.flag("workload.always_on", origin, "type", raw="node group")
    ec2_instance(facts, origin, attrs, families, service=False)
    attribute, ami = attrs.get("ami_type")
    ami = _text(facts, origin, attribute, ami)
    if ami:
        upper = ami.upper()
        if "GPU" in upper or "NVIDIA" in upper or "NEURON" in upper:
            facts.flag("workload.gpu", origin, attribute, ami)
        if upper.startswith("WINDOWS"):
            facts.choice("workload.os", "windows", origin, attribute, ami)
        if "ARM_64" in upper:
            facts.arch("arm64", origin, attribute, ami)


def eks_fargate_profile(facts: Facts, origin: Origin) -> None:
    facts.service("eks_fargate", origin, "type")
    facts.choice("workload.on_ec2", "kubernetes", origin, "type", "Fargate profile")
