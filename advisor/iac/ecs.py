"""An ECS task definition as JSON: as ``aws ecs describe-task-definition`` prints it, or as registered."""
from __future__ import annotations

from collections.abc import Mapping

from ..errors import SourceFileError
from . import resources as r
from .facts import Facts, Origin
from .parsing import load_json

__all__ = ["read_task_definition"]

_TASK = {"requires": "requiresCompatibilities", "cpu": "cpu", "memory": "memory",
         "ephemeral": "ephemeralStorage.sizeInGiB", "os": "runtimePlatform.operatingSystemFamily",
         "arch": "runtimePlatform.cpuArchitecture", "containers": "containerDefinitions"}


def read_task_definition(facts: Facts, name: str, text: str, families: Mapping[str, dict]) -> None:
    """One task definition; ``describe-task-definition``'s ``{"taskDefinition": …}`` wrapper is taken off."""
    data = load_json(name, text)
    if isinstance(data, Mapping) and isinstance(data.get("taskDefinition"), Mapping):
        data = data["taskDefinition"]
    if not isinstance(data, Mapping) or not isinstance(data.get("containerDefinitions"), list):
        raise SourceFileError(name, "is not an ECS task definition: it has no containerDefinitions list.")
    family = data.get("family") if isinstance(data.get("family"), str) else "task definition"
    revision = data.get("revision")
    origin = Origin(name, f"{family}:{revision}" if isinstance(revision, int) else family)
    r.ecs_task_definition(facts, origin, r.Attributes(data, _TASK))
    if "requiresCompatibilities" not in data:
        facts.cannot_tell(origin, "requiresCompatibilities", "the task definition does not say whether it runs on "
                                                             "Fargate or on EC2 capacity")
