"""Kubernetes manifests (multi-document YAML): the pods that workload kinds run, read with PyYAML's safe loader.

Manifests are taken to run on Amazon EKS (with managed node groups), the advisor's Kubernetes service.
"""
from __future__ import annotations

import re
from collections.abc import Mapping

import yaml

from ..errors import SourceFileError
from .facts import Facts, Origin
from .parsing import check_yaml, walk_depth, yaml_problem

__all__ = ["read_manifests", "quantity", "WORKLOAD_KINDS"]

# Where each workload kind keeps its pod spec.
_POD_SPEC = {
    "Pod": ("spec",), "Deployment": ("spec", "template", "spec"), "StatefulSet": ("spec", "template", "spec"),
    "DaemonSet": ("spec", "template", "spec"), "ReplicaSet": ("spec", "template", "spec"),
    "Job": ("spec", "template", "spec"), "CronJob": ("spec", "jobTemplate", "spec", "template", "spec"),
}
WORKLOAD_KINDS = frozenset(_POD_SPEC)
_RUNS_TO_COMPLETION = {"Job", "CronJob"}
_NO_WORKLOAD_FACTS = frozenset({
    "Service", "ConfigMap", "Secret", "Ingress", "IngressClass", "ServiceAccount", "Role", "RoleBinding",
    "ClusterRole", "ClusterRoleBinding", "Namespace", "PersistentVolumeClaim", "HorizontalPodAutoscaler",
    "PodDisruptionBudget", "NetworkPolicy", "LimitRange", "ResourceQuota", "PriorityClass", "StorageClass",
})
_SUFFIXES = {"Ki": 2**10, "Mi": 2**20, "Gi": 2**30, "Ti": 2**40, "Pi": 2**50, "Ei": 2**60, "n": 1e-9, "u": 1e-6,
             "m": 1e-3, "": 1, "k": 1e3, "K": 1e3, "M": 1e6, "G": 1e9, "T": 1e12, "P": 1e15, "E": 1e18}
_QUANTITY = re.compile(r"^([+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?)(Ki|Mi|Gi|Ti|Pi|Ei|n|u|m|k|K|M|G|T|P|E|)$")
_GIB = 2**30


def quantity(value) -> float | None:
    """A Kubernetes resource quantity ("500m", "2", "1.5Gi", "512M") as a plain number; None when it is not one."""
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        return float(value)
    match = _QUANTITY.match(str(value).strip())
    return float(match.group(1)) * _SUFFIXES[match.group(2)] if match else None


def read_manifests(facts: Facts, name: str, text: str, families: Mapping[str, dict]) -> None:
    """Every document of the file; a ``List`` is read item by item."""
    check_yaml(name, text)
    try:
        documents = [d for d in yaml.load_all(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
                     if d is not None]
    except yaml.MarkedYAMLError as exc:
        raise SourceFileError(name, f"is not valid YAML: {yaml_problem(exc)}") from None
    except yaml.YAMLError as exc:
        raise SourceFileError(name, f"is not valid YAML: {exc}.") from None
    for document in documents:
        walk_depth(name, document)
    items = []
    for index, document in enumerate(documents):
        if not isinstance(document, Mapping) or "kind" not in document:
            raise SourceFileError(name, f"is not a Kubernetes manifest: document {index + 1} has no kind.")
        if str(document.get("kind", "")).endswith("List"):
            listed = document.get("items")
            items.extend(i for i in (listed if isinstance(listed, list) else []) if isinstance(i, Mapping))
        else:
            items.append(document)
    for item in items:
        _object(facts, name, item)


def _object(facts: Facts, name: str, item: Mapping) -> None:
    kind = str(item.get("kind"))
    metadata = item.get("metadata") if isinstance(item.get("metadata"), Mapping) else {}
    namespace = metadata.get("namespace")
    resource = f"{kind}/{namespace}/{metadata.get('name', '?')}" if namespace else f"{kind}/{metadata.get('name', '?')}"
    origin = Origin(name, resource)
    if kind not in _POD_SPEC:
        if kind not in _NO_WORKLOAD_FACTS:
            facts.unknown_type(origin, f"{item.get('apiVersion', '?')}/{kind}")
        return
    facts.service("eks", origin, "kind", kind)
    facts.choice("workload.on_ec2", "kubernetes", origin, "kind", kind)
    path = _POD_SPEC[kind]
    spec = item
    for part in path:
        spec = spec.get(part) if isinstance(spec, Mapping) else None
    if not isinstance(spec, Mapping):
        facts.cannot_tell(origin, ".".join(path), "the manifest has no pod spec")
        return
    prefix = ".".join(path)
    if kind == "DaemonSet":
        facts.flag("workload.daemonsets", origin, "kind", kind)
    if kind in _RUNS_TO_COMPLETION:
        facts.flag("workload.always_on", origin, "kind", kind, value=False)
        job_spec = _path(item, "spec", "jobTemplate", "spec") if kind == "CronJob" else item.get("spec")
        deadline = job_spec.get("activeDeadlineSeconds") if isinstance(job_spec, Mapping) else None
        if deadline is not None:
            attribute = ("spec.jobTemplate.spec" if kind == "CronJob" else "spec") + ".activeDeadlineSeconds"
            facts.number("workload.max_duration_minutes", origin, attribute, deadline, 1 / 60)
    else:
        facts.flag("workload.always_on", origin, "kind", kind)
    for key in ("hostNetwork", "hostPID", "hostIPC"):
        if spec.get(key) is True:
            facts.flag("workload.privileged", origin, f"{prefix}.{key}", True)
    _node_selection(facts, origin, prefix, spec)
    _containers(facts, origin, prefix, spec)


def _node_selection(facts: Facts, origin: Origin, prefix: str, spec: Mapping) -> None:
    selector = spec.get("nodeSelector") if isinstance(spec.get("nodeSelector"), Mapping) else {}
    terms = _path(spec, "affinity", "nodeAffinity", "requiredDuringSchedulingIgnoredDuringExecution",
                  "nodeSelectorTerms")
    pairs = [(f"{prefix}.nodeSelector.{k}", k, v) for k, v in selector.items()]
    for t_index, term in enumerate(terms if isinstance(terms, list) else []):
        expressions = _path(term, "matchExpressions")
        for e_index, expression in enumerate(expressions if isinstance(expressions, list) else []):
            values = expression.get("values") if isinstance(expression, Mapping) else None
            if isinstance(values, list) and len(values) == 1 and expression.get("operator") == "In":
                pairs.append((f"{prefix}.affinity.nodeAffinity.nodeSelectorTerms[{t_index}]"
                              f".matchExpressions[{e_index}]", expression.get("key"), values[0]))
    for attribute, key, value in pairs:
        if key in ("kubernetes.io/arch", "beta.kubernetes.io/arch") and value in ("arm64", "amd64"):
            facts.arch("arm64" if value == "arm64" else "x86_64", origin, attribute, value)
        elif key in ("kubernetes.io/os", "beta.kubernetes.io/os") and value in ("linux", "windows"):
            facts.choice("workload.os", value, origin, attribute, value)


def _path(value, *keys):
    """value[k1][k2]…, or None where a step is missing or not a mapping."""
    for key in keys:
        value = value.get(key) if isinstance(value, Mapping) else None
    return value


def _containers(facts: Facts, origin: Origin, prefix: str, spec: Mapping) -> None:
    totals = {"cpu": 0.0, "memory": 0.0, "ephemeral-storage": 0.0}
    written: dict[str, list[str]] = {key: [] for key in totals}
    for group in ("containers", "initContainers"):
        listed = spec.get(group)
        for container in listed if isinstance(listed, list) else []:
            if not isinstance(container, Mapping):
                continue
            label = f"{prefix}.{group}[{container.get('name', '?')}]"
            security = container.get("securityContext") if isinstance(container.get("securityContext"), Mapping) else {}
            if security.get("privileged") is True:
                facts.flag("workload.privileged", origin, f"{label}.securityContext.privileged", True)
            resources = container.get("resources") if isinstance(container.get("resources"), Mapping) else {}
            limits = resources.get("limits") if isinstance(resources.get("limits"), Mapping) else {}
            requests = resources.get("requests") if isinstance(resources.get("requests"), Mapping) else {}
            for key, amount in {**requests, **limits}.items():
                if "gpu" in str(key).lower() and (quantity(amount) or 0) > 0:
                    facts.flag("workload.gpu", origin, f"{label}.resources.limits.{key}", amount)
            for key in totals:
                # the larger of request and limit: what the container may use; init containers run before
                # the others, so they count only when they alone ask for more (approximated as their own size)
                request, limit = quantity(requests.get(key)) or 0.0, quantity(limits.get(key)) or 0.0
                amount = max(request, limit)
                if amount:
                    written[key].append(str(limits.get(key) if limit >= request else requests.get(key)))
                if group == "containers":
                    totals[key] += amount
                else:
                    totals[key] = max(totals[key], amount)
    attribute = f"{prefix}.containers[*].resources"
    for field, key, scale in (("workload.vcpu", "cpu", 1), ("workload.memory_gb", "memory", 1 / _GIB),
                              ("workload.ephemeral_storage_gb", "ephemeral-storage", 1 / _GIB)):
        facts.number(field, origin, f"{attribute} ({key}, summed over the pod)", totals[key], scale,
                     shown=" + ".join(written[key]) or None)
