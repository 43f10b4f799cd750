"""Terraform: a plan as ``terraform show -json`` prints it, and plain ``.tf`` files as far as their values are literal."""
from __future__ import annotations

import re
from collections.abc import Iterator, Mapping

from ..errors import SourceFileError
from . import resources as r
from .facts import Facts, Origin
from .parsing import MAX_DEPTH, load_json, walk_depth

__all__ = ["read_plan", "read_hcl", "RESOURCE_TYPES", "NO_WORKLOAD_FACTS"]

_LAMBDA = {"timeout": "timeout", "memory": "memory_size", "ephemeral": "ephemeral_storage.size",
           "architectures": "architectures", "package_type": "package_type", "image_uri": "image_uri"}
_TASK = {"requires": "requires_compatibilities", "cpu": "cpu", "memory": "memory",
         "ephemeral": "ephemeral_storage.size_in_gib", "os": "runtime_platform.operating_system_family",
         "arch": "runtime_platform.cpu_architecture", "containers": "container_definitions"}
_SERVICE = {"launch_type": "launch_type", "strategy": "capacity_provider_strategy"}
_INSTANCE = {"instance_type": "instance_type", "tenancy": "tenancy", "host": "host_id"}
_TEMPLATE = {"instance_type": "instance_type", "tenancy": "placement.tenancy", "host": "placement.host_id"}
_GROUP = {"overrides": "mixed_instances_policy.launch_template.override"}
_NODES = {"instance_types": "instance_types", "ami_type": "ami_type"}


def _handlers(families: Mapping[str, dict]) -> dict:
    return {
        "aws_lambda_function": lambda f, o, v: r.lambda_function(f, o, r.Attributes(v, _LAMBDA)),
        "aws_ecs_task_definition": lambda f, o, v: r.ecs_task_definition(f, o, r.Attributes(v, _TASK)),
        "aws_ecs_service": lambda f, o, v: r.ecs_service(f, o, r.Attributes(v, _SERVICE)),
        "aws_instance": lambda f, o, v: r.ec2_instance(f, o, r.Attributes(v, _INSTANCE), families),
        "aws_launch_template": lambda f, o, v: r.ec2_instance(f, o, r.Attributes(v, _TEMPLATE), families,
                                                              service=False),
        "aws_autoscaling_group": lambda f, o, v: r.ec2_instance(f, o, r.Attributes(v, _GROUP), families),
        "aws_eks_cluster": lambda f, o, v: r.eks_cluster(f, o),
        "aws_eks_node_group": lambda f, o, v: r.eks_node_group(f, o, r.Attributes(v, _NODES), families),
        "aws_eks_fargate_profile": lambda f, o, v: r.eks_fargate_profile(f, o),
        "aws_lambda_function_url": lambda f, o, v: f.choice("workload.invocation", "sync", o, "type",
                                                            "function URL"),
        "aws_lambda_event_source_mapping": lambda f, o, v: f.choice("workload.invocation", "async", o, "type",
                                                                    "event source mapping"),
        "aws_lambda_permission": _permission,
        "aws_api_gateway_integration": _integration,
        "aws_apigatewayv2_integration": _integration,
    }


# Known types that say nothing about the compute workload: read, not listed as unsupported.
NO_WORKLOAD_FACTS = frozenset({
    "aws_iam_role", "aws_iam_policy", "aws_iam_role_policy", "aws_iam_role_policy_attachment",
    "aws_iam_instance_profile", "aws_cloudwatch_log_group", "aws_security_group", "aws_security_group_rule",
    "aws_vpc_security_group_ingress_rule", "aws_vpc_security_group_egress_rule", "aws_vpc", "aws_subnet",
    "aws_route_table", "aws_route_table_association", "aws_internet_gateway", "aws_nat_gateway", "aws_eip",
    "aws_ecs_cluster", "aws_ecs_cluster_capacity_providers", "aws_ecs_capacity_provider", "aws_lb", "aws_lb_listener",
    "aws_lb_target_group", "aws_api_gateway_rest_api", "aws_api_gateway_resource", "aws_api_gateway_method",
    "aws_api_gateway_deployment", "aws_api_gateway_stage", "aws_apigatewayv2_api", "aws_apigatewayv2_route",
    "aws_apigatewayv2_stage", "aws_lambda_alias", "aws_eks_addon", "aws_eks_access_entry",
    "aws_eks_access_policy_association", "aws_eks_pod_identity_association", "aws_placement_group",
    "aws_ec2_host",
})


def _permission(facts: Facts, origin: Origin, values: Mapping) -> None:
    principal = facts.literal(origin, "principal", values.get("principal"))
    if principal == "apigateway.amazonaws.com":
        facts.choice("workload.invocation", "sync", origin, "principal", principal)
    elif isinstance(principal, str) and principal.endswith(".amazonaws.com"):
        facts.choice("workload.invocation", "async", origin, "principal", principal)


def _integration(facts: Facts, origin: Origin, values: Mapping) -> None:
    kind = facts.literal(origin, "integration_type", values.get("integration_type"))
    if isinstance(kind, str) and kind.upper() in ("AWS_PROXY", "AWS"):
        facts.choice("workload.invocation", "sync", origin, "integration_type", kind)


RESOURCE_TYPES = frozenset(_handlers({}))


def _read(facts: Facts, name: str, items: Iterator[tuple[str, str, Mapping]], families: Mapping[str, dict]) -> None:
    handlers = _handlers(families)
    for address, type_name, values in items:
        origin = Origin(name, address)
        handler = handlers.get(type_name)
        if handler is not None:
            handler(facts, origin, values if isinstance(values, Mapping) else {})
        elif type_name not in NO_WORKLOAD_FACTS:
            facts.unknown_type(origin, type_name)


def _plan_resources(module: Mapping, depth: int = 0) -> Iterator[tuple[str, str, Mapping]]:
    if depth > MAX_DEPTH:
        return
    resources, children = module.get("resources"), module.get("child_modules")
    for resource in resources if isinstance(resources, list) else []:
        if isinstance(resource, Mapping) and resource.get("mode", "managed") == "managed":
            yield str(resource.get("address", resource.get("name", "?"))), str(resource.get("type", "?")), \
                resource.get("values") or {}
    for child in children if isinstance(children, list) else []:
        if isinstance(child, Mapping):
            yield from _plan_resources(child, depth + 1)


def read_plan(facts: Facts, name: str, text: str, families: Mapping[str, dict]) -> None:
    """A plan (or state) as ``terraform show -json`` prints it: the planned values of every managed resource."""
    data = load_json(name, text)
    if not isinstance(data, Mapping) or "format_version" not in data:
        raise SourceFileError(name, "is not a Terraform plan: `terraform show -json` output has a format_version.")
    values = data.get("planned_values") or data.get("values")
    root = values.get("root_module") if isinstance(values, Mapping) else None
    if not isinstance(root, Mapping):
        raise SourceFileError(name, "is not a Terraform plan: it has no planned_values.root_module.")
    _read(facts, name, _plan_resources(root), families)


def read_hcl(facts: Facts, name: str, text: str, families: Mapping[str, dict]) -> None:
    """Plain Terraform files: each resource block's literal values; expressions are listed as unresolved."""
    import hcl2  # imported on first use: the parser (lark) is only needed when .tf files are read
    from lark.exceptions import LarkError

    _check_nesting(name, text)
    options = hcl2.SerializationOptions(with_comments=False, explicit_blocks=False, strip_string_quotes=True,
                                        preserve_heredocs=False)
    try:
        data = hcl2.loads(text, serialization_options=options)
    except RecursionError:
        raise SourceFileError(name, f"is nested more than {MAX_DEPTH} levels deep.") from None
    except (LarkError, ValueError, TypeError, KeyError, AttributeError) as exc:
        line = getattr(exc, "line", None)
        where = f" at line {line}" if isinstance(line, int) and line > 0 else ""
        raise SourceFileError(name, f"is not valid Terraform (HCL){where}.") from None
    walk_depth(name, data)

    def items():
        blocks = data.get("resource")
        for block in blocks if isinstance(blocks, list) else []:
            for type_name, named in (block.items() if isinstance(block, Mapping) else ()):
                for resource_name, body in (named.items() if isinstance(named, Mapping) else ()):
                    yield f"{type_name}.{resource_name}", type_name, body

    was = facts.expressions
    facts.expressions = True
    try:
        _read(facts, name, items(), families)
    finally:
        facts.expressions = was


_STRING_OR_COMMENT = re.compile(r'"(?:[^"\\\n]|\\.)*"|#[^\n]*|//[^\n]*|/\*.*?\*/', re.S)
_BRACKET = re.compile(r"[\[\]{}()]")


def _check_nesting(name: str, text: str) -> None:
    """Refuse HCL nested deeper than MAX_DEPTH before parsing it (the parser would take seconds to find out)."""
    depth = 0
    for match in _BRACKET.finditer(_STRING_OR_COMMENT.sub("", text)):
        depth += 1 if match.group() in "[{(" else -1
        if depth > MAX_DEPTH:
            raise SourceFileError(name, f"is nested more than {MAX_DEPTH} levels deep.")
