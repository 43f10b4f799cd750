"""Profiles from infrastructure code: Terraform, CloudFormation/SAM, ECS task definitions, Kubernetes manifests.

Each reader derives the services in use today and the workload fields of a profile, with the file,
resource and attribute every value comes from. Resource types the readers do not know are listed as
unsupported; a file that cannot be read safely raises SourceFileError naming it.

Examples
--------
>>> d = derive([Source("terraform-plan", open("plan.json").read(), "plan.json")], kb.instance_families)  # doctest: +SKIP
>>> d.profile_fields()["workload"]["max_duration_minutes"], d.current_services  # doctest: +SKIP
(15, ('lambda',))
"""
from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from ..errors import SourceFileError
from .cloudformation import read_template
from .ecs import read_task_definition
from .facts import Derivation, Facts, Provenance, Unresolved, Unsupported
from .kubernetes import read_manifests
from .parsing import decode
from .terraform import read_hcl, read_plan

__all__ = ["Source", "derive", "detect_format", "FORMATS", "Derivation", "Provenance", "Unsupported", "Unresolved",
           "SourceFileError"]

_READERS = {
    "terraform-plan": read_plan,
    "terraform": read_hcl,
    "cloudformation": read_template,
    "ecs-task-definition": read_task_definition,
    "kubernetes": read_manifests,
}
FORMATS = tuple(_READERS)


@dataclass(frozen=True)
class Source:
    """One file: its format (one of FORMATS), its content (text, or bytes to be decoded as UTF-8) and its name."""

    format: str
    content: str | bytes
    name: str


def derive(sources: Iterable[Source], instance_families: Mapping[str, dict]) -> Derivation:
    """Read every file and combine what they say: the most demanding value per field, with its provenance.

    Raises SourceFileError (with the file's index in ``sources``) for the first file that cannot be read.
    """
    facts = Facts()
    for index, source in enumerate(sources):
        if source.format not in _READERS:
            raise SourceFileError(source.name, f"has the unknown format {source.format!r}; the formats read are "
                                               f"{', '.join(FORMATS)}.", index)
        try:
            text = decode(source.name, source.content)
            _READERS[source.format](facts, source.name, text, instance_families)
        except SourceFileError as exc:
            raise SourceFileError(exc.source, exc.problem, index) from None
        except RecursionError:
            raise SourceFileError(source.name, "is nested too deeply.", index) from None
        except (TypeError, AttributeError, KeyError, ValueError, IndexError):
            # A value of a type no such file has where a reader expected another: the file is at fault.
            raise SourceFileError(source.name, f"is not laid out as a {source.format} file is: a setting holds "
                                               "a value of a type it cannot have.", index) from None
    return facts.result()


def detect_format(name: str, text: str) -> str | None:
    """The format a file is most likely in, from its name and first bytes; None when it cannot be told."""
    lower = name.lower()
    if lower.endswith(".tf"):
        return "terraform"
    head = text.lstrip()[:200_000]
    if head.startswith("{"):
        try:
            data = json.loads(text)
        except (ValueError, RecursionError):
            return None
        if isinstance(data, dict):
            if "format_version" in data and ("planned_values" in data or "values" in data):
                return "terraform-plan"
            if "Resources" in data or "AWSTemplateFormatVersion" in data:
                return "cloudformation"
            if "containerDefinitions" in data or "taskDefinition" in data:
                return "ecs-task-definition"
        return None
    if lower.endswith((".yaml", ".yml", ".template")):
        if "AWSTemplateFormatVersion" in head or "\nResources:" in f"\n{head}":
            return "cloudformation"
        if "apiVersion:" in head and "kind:" in head:
            return "kubernetes"
    return None
