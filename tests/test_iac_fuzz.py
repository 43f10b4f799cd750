"""Readers never fail on a file's shape: any JSON or YAML value where a setting should be gives a result or a
SourceFileError naming the file, never another exception (which the API would answer with a 500)."""
from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from advisor.errors import SourceFileError
from advisor.iac import Source, derive
from advisor.iac.cloudformation import RESOURCE_TYPES as CFN_TYPES
from advisor.iac.terraform import RESOURCE_TYPES as TF_TYPES

pytestmark = pytest.mark.slow

FAMILIES = {"g5": {"family": "g5", "accelerator": "gpu", "note": "test", "source": "seed"}}
KEYS = st.sampled_from([
    "timeout", "memory_size", "architectures", "package_type", "ephemeral_storage", "size", "cpu", "memory",
    "requires_compatibilities", "runtime_platform", "operating_system_family", "cpu_architecture",
    "container_definitions", "launch_type", "capacity_provider_strategy", "capacity_provider", "instance_type",
    "instance_types", "tenancy", "placement", "host_id", "ami_type", "mixed_instances_policy", "launch_template",
    "override", "principal", "integration_type", "Timeout", "MemorySize", "Architectures", "PackageType",
    "EphemeralStorage", "Size", "Cpu", "Memory", "RequiresCompatibilities", "RuntimePlatform", "ContainerDefinitions",
    "LaunchType", "CapacityProviderStrategy", "InstanceType", "Tenancy", "LaunchTemplateData", "Placement",
    "InstanceTypes", "AmiType", "Events", "Type", "Ref", "Fn::GetAtt", "privileged", "resourceRequirements",
    "type", "value", "name", "spec", "template", "containers", "resources", "limits", "requests", "nodeSelector",
    "securityContext", "affinity", "nodeAffinity", "requiredDuringSchedulingIgnoredDuringExecution",
    "nodeSelectorTerms", "matchExpressions", "key", "operator", "values", "jobTemplate", "activeDeadlineSeconds",
    "hostNetwork", "kubernetes.io/arch", "nvidia.com/gpu", "initContainers",
])
VALUES = st.recursive(
    st.none() | st.booleans() | st.integers(-10**6, 10**9) | st.floats(allow_nan=False, allow_infinity=False)
    | st.sampled_from(["arm64", "x86_64", "ARM64", "FARGATE", "EC2", "WINDOWS_SERVER_2022_CORE", "dedicated", "host",
                       "g5.xlarge", "Image", "500m", "2Gi", "In", "AWS_PROXY", "apigateway.amazonaws.com", "${var.x}",
                       "[]", "{}", "GPU", "1"]),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(KEYS, children, max_size=5),
    max_leaves=25)
PROPERTIES = st.dictionaries(KEYS, VALUES, max_size=8)
FUZZ = settings(max_examples=150, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])


def outcome(source: Source):
    try:
        return derive([source], FAMILIES)
    except SourceFileError as exc:
        assert exc.source == source.name
        return exc


@FUZZ
@given(st.sampled_from(sorted(TF_TYPES)), PROPERTIES)
def test_any_values_in_a_plan_resource(type_name, values):
    plan = {"format_version": "1.2", "planned_values": {"root_module": {"resources": [
        {"address": f"{type_name}.x", "mode": "managed", "type": type_name, "name": "x", "values": values}]}}}
    outcome(Source("terraform-plan", json.dumps(plan), "plan.json"))


@FUZZ
@given(st.sampled_from(sorted(CFN_TYPES)), PROPERTIES, VALUES)
def test_any_properties_in_a_template_resource(type_name, properties, globals_):
    template = {"Globals": {"Function": globals_}, "Parameters": {"P": {"Default": globals_}},
                "Resources": {"R": {"Type": type_name, "Properties": properties, "Metadata": globals_}}}
    outcome(Source("cloudformation", json.dumps(template), "template.json"))
    outcome(Source("cloudformation", yaml.safe_dump(template), "template.yaml"))


@FUZZ
@given(st.sampled_from(["Deployment", "DaemonSet", "Job", "CronJob", "Pod", "StatefulSet"]), PROPERTIES, VALUES)
def test_any_values_in_a_kubernetes_workload(kind, spec, pod):
    manifest = {"apiVersion": "apps/v1", "kind": kind, "metadata": {"name": "x"},
                "spec": {**spec, "template": {"spec": pod}, "jobTemplate": {"spec": {"template": {"spec": pod}}}}}
    outcome(Source("kubernetes", yaml.safe_dump(manifest), "deploy.yaml"))
    outcome(Source("kubernetes", yaml.safe_dump({**manifest, "spec": pod}), "deploy.yaml"))


@FUZZ
@given(PROPERTIES, st.lists(PROPERTIES, max_size=3))
def test_any_values_in_an_ecs_task_definition(task, containers):
    outcome(Source("ecs-task-definition", json.dumps({**task, "containerDefinitions": containers}), "task.json"))


@FUZZ
@given(VALUES)
def test_any_json_value_as_a_whole_file(value):
    text = json.dumps(value)
    for fmt in ("terraform-plan", "cloudformation", "ecs-task-definition", "kubernetes"):
        outcome(Source(fmt, text, "file"))


def _paths(value, prefix=()):
    """Every place in a parsed document, as a tuple of keys and indices."""
    yield prefix
    if isinstance(value, dict):
        for key, child in value.items():
            yield from _paths(child, (*prefix, key))
    elif isinstance(value, list):
        for index, child in enumerate(value):
            yield from _paths(child, (*prefix, index))


def _replaced(value, path, new):
    if not path:
        return new
    copy = dict(value) if isinstance(value, dict) else list(value)
    copy[path[0]] = _replaced(value[path[0]], path[1:], new)
    return copy


FIXTURES = Path(__file__).parent / "fixtures" / "iac"
DOCUMENTS = {
    "terraform-plan": [json.loads((FIXTURES / n).read_text()) for n in
                       ("lambda_api.plan.json", "fargate_windows.plan.json", "ec2_dedicated_gpu.plan.json",
                        "eks.plan.json")],
    "cloudformation": [json.loads((FIXTURES / "cdk_transcoder.template.json").read_text())],
    "ecs-task-definition": [json.loads((FIXTURES / "ecs_privileged_agent.task.json").read_text())],
    "kubernetes": [list(yaml.safe_load_all((FIXTURES / "k8s_agents_and_gpu.yaml").read_text()))],
}
PLACES = [(fmt, i, path) for fmt, docs in DOCUMENTS.items() for i, doc in enumerate(docs)
          for path in _paths(doc) if path]


@settings(max_examples=600, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from(PLACES), VALUES)
def test_any_value_anywhere_in_a_realistic_file(place, value):
    fmt, index, path = place
    document = _replaced(DOCUMENTS[fmt][index], path, value)
    if fmt == "kubernetes":
        text = yaml.safe_dump_all([d for d in document if d is not None] if isinstance(document, list) else [document])
    else:
        text = json.dumps(document)
    outcome(Source(fmt, text, "mutated"))
