"""CloudFormation and SAM templates, JSON or YAML with the short-form intrinsic tags (a CDK app's synthesised
template is one too).

YAML is read with cfn-lint's template decoder, the one AWS's CloudFormation linter reads every template
with: it turns ``!Ref``, ``!GetAtt``, ``!Sub`` and the other short forms into their long forms and refuses
duplicate keys. A ``Ref`` to a template parameter takes the parameter's ``Default``; other intrinsic
functions are listed as unresolved.
"""
from __future__ import annotations

from collections.abc import Mapping

from ..errors import SourceFileError
from . import resources as r
from .facts import Facts, Origin
from .parsing import check_yaml, load_json, walk_depth, yaml_problem

__all__ = ["read_template", "RESOURCE_TYPES"]

_LAMBDA = {"timeout": "Timeout", "memory": "MemorySize", "ephemeral": "EphemeralStorage.Size",
           "architectures": "Architectures", "package_type": "PackageType", "image_uri": "ImageUri"}
_TASK = {"requires": "RequiresCompatibilities", "cpu": "Cpu", "memory": "Memory",
         "ephemeral": "EphemeralStorage.SizeInGiB", "os": "RuntimePlatform.OperatingSystemFamily",
         "arch": "RuntimePlatform.CpuArchitecture", "containers": "ContainerDefinitions"}
_SERVICE = {"launch_type": "LaunchType", "strategy": "CapacityProviderStrategy"}
_INSTANCE = {"instance_type": "InstanceType", "tenancy": "Tenancy", "host": "HostId"}
_TEMPLATE = {"instance_type": "LaunchTemplateData.InstanceType", "tenancy": "LaunchTemplateData.Placement.Tenancy",
             "host": "LaunchTemplateData.Placement.HostId"}
_GROUP = {"overrides": "MixedInstancesPolicy.LaunchTemplate.Overrides"}
_NODES = {"instance_types": "InstanceTypes", "ami_type": "AmiType"}
# SAM event source types that call a function synchronously; every other event type is asynchronous.
_SYNC_EVENTS = {"Api", "HttpApi"}

RESOURCE_TYPES = frozenset({
    "AWS::Lambda::Function", "AWS::Serverless::Function", "AWS::ECS::TaskDefinition", "AWS::ECS::Service",
    "AWS::EC2::Instance", "AWS::EC2::LaunchTemplate", "AWS::AutoScaling::AutoScalingGroup", "AWS::EKS::Cluster",
    "AWS::EKS::Nodegroup", "AWS::EKS::FargateProfile", "AWS::Lambda::Url", "AWS::Lambda::EventSourceMapping",
    "AWS::Lambda::Permission",
})
# Known types that say nothing about the compute workload: read, not listed as unsupported.
_NO_WORKLOAD_FACTS_PREFIXES = ("AWS::IAM::", "AWS::Logs::", "AWS::ApiGateway::", "AWS::ApiGatewayV2::",
                               "AWS::ElasticLoadBalancingV2::", "AWS::EKS::", "AWS::CDK::", "AWS::Serverless::Api",
                               "AWS::Serverless::HttpApi")
_NO_WORKLOAD_FACTS = frozenset({
    "AWS::EC2::SecurityGroup", "AWS::EC2::SecurityGroupIngress", "AWS::EC2::SecurityGroupEgress", "AWS::EC2::VPC",
    "AWS::EC2::Subnet", "AWS::EC2::RouteTable", "AWS::EC2::SubnetRouteTableAssociation", "AWS::EC2::Route",
    "AWS::EC2::InternetGateway", "AWS::EC2::VPCGatewayAttachment", "AWS::EC2::NatGateway", "AWS::EC2::EIP",
    "AWS::ECS::Cluster", "AWS::ECS::CapacityProvider", "AWS::ECS::ClusterCapacityProviderAssociations",
    "AWS::Lambda::Version", "AWS::Lambda::Alias", "AWS::EC2::Host", "AWS::EC2::PlacementGroup",
})


def _load(name: str, text: str):
    if text.lstrip().startswith("{"):
        return load_json(name, text)
    check_yaml(name, text)
    import yaml
    from cfnlint.decode import cfn_yaml  # imported on first use: cfn-lint is large

    try:
        data = cfn_yaml.loads(text, name)
    except yaml.MarkedYAMLError as exc:
        raise SourceFileError(name, f"is not a valid CloudFormation template: {yaml_problem(exc)}") from None
    except yaml.YAMLError as exc:
        raise SourceFileError(name, f"is not a valid CloudFormation template: {exc}.") from None
    except RecursionError:
        raise SourceFileError(name, "is nested too deeply.") from None
    walk_depth(name, data)
    return data


def read_template(facts: Facts, name: str, text: str, families: Mapping[str, dict]) -> None:
    """Every resource of the template; SAM's Globals apply to each serverless function first."""
    data = _load(name, text)
    if not isinstance(data, Mapping) or not isinstance(data.get("Resources"), Mapping):
        raise SourceFileError(name, "is not a CloudFormation template: it has no Resources section.")
    parameters = data.get("Parameters") if isinstance(data.get("Parameters"), Mapping) else {}

    def resolve(value):
        if isinstance(value, Mapping) and set(value) == {"Ref"} and isinstance(value["Ref"], str):
            parameter = parameters.get(value["Ref"])
            if isinstance(parameter, Mapping) and "Default" in parameter:
                return parameter["Default"]
        return value

    globals_ = data.get("Globals", {}).get("Function", {}) if isinstance(data.get("Globals"), Mapping) else {}
    for logical_id, resource in data["Resources"].items():
        if not isinstance(resource, Mapping):
            continue
        type_name = str(resource.get("Type", "?"))
        path = (resource.get("Metadata") or {}).get("aws:cdk:path") if isinstance(resource.get("Metadata"),
                                                                                  Mapping) else None
        origin = Origin(name, f"{logical_id} ({path})" if isinstance(path, str) else str(logical_id))
        properties = resource.get("Properties") if isinstance(resource.get("Properties"), Mapping) else {}
        own = set(properties)
        if type_name == "AWS::Serverless::Function" and isinstance(globals_, Mapping):
            properties = {**globals_, **properties}

        def label(path: str, own=own) -> str:
            return path if path.split(".", 1)[0] in own else f"Globals.Function.{path}"

        _resource(facts, origin, type_name, properties, families, resolve, label)


def _resource(facts: Facts, origin: Origin, type_name: str, properties: Mapping, families, resolve, label) -> None:
    def attrs(names):
        return r.Attributes(properties, names, resolve, label)

    if type_name in ("AWS::Lambda::Function", "AWS::Serverless::Function"):
        r.lambda_function(facts, origin, attrs(_LAMBDA))
        if type_name == "AWS::Serverless::Function":
            _sam_events(facts, origin, properties)
    elif type_name == "AWS::ECS::TaskDefinition":
        r.ecs_task_definition(facts, origin, attrs(_TASK))
    elif type_name == "AWS::ECS::Service":
        r.ecs_service(facts, origin, attrs(_SERVICE))
    elif type_name == "AWS::EC2::Instance":
        r.ec2_instance(facts, origin, attrs(_INSTANCE), families)
    elif type_name == "AWS::EC2::LaunchTemplate":
        r.ec2_instance(facts, origin, attrs(_TEMPLATE), families, service=False)
    elif type_name == "AWS::AutoScaling::AutoScalingGroup":
        r.ec2_instance(facts, origin, attrs(_GROUP), families)
    elif type_name == "AWS::EKS::Cluster":
        r.eks_cluster(facts, origin)
    elif type_name == "AWS::EKS::Nodegroup":
        r.eks_node_group(facts, origin, attrs(_NODES), families)
    elif type_name == "AWS::EKS::FargateProfile":
        r.eks_fargate_profile(facts, origin)
    elif type_name == "AWS::Lambda::Url":
        facts.choice("workload.invocation", "sync", origin, "Type", "function URL")
    elif type_name == "AWS::Lambda::EventSourceMapping":
        facts.choice("workload.invocation", "async", origin, "Type", "event source mapping")
    elif type_name == "AWS::Lambda::Permission":
        principal = facts.literal(origin, "Principal", properties.get("Principal"))
        if principal == "apigateway.amazonaws.com":
            facts.choice("workload.invocation", "sync", origin, "Principal", principal)
    elif not (type_name in _NO_WORKLOAD_FACTS or type_name.startswith(_NO_WORKLOAD_FACTS_PREFIXES)):
        facts.unknown_type(origin, type_name)


def _sam_events(facts: Facts, origin: Origin, properties: Mapping) -> None:
    events = properties.get("Events")
    if isinstance(events, Mapping):
        for event_name, event in events.items():
            kind = event.get("Type") if isinstance(event, Mapping) else None
            if isinstance(kind, str):
                facts.choice("workload.invocation", "sync" if kind in _SYNC_EVENTS else "async", origin,
                             f"Events.{event_name}.Type", kind)
    if isinstance(properties.get("FunctionUrlConfig"), Mapping):
        facts.choice("workload.invocation", "sync", origin, "FunctionUrlConfig", "function URL")
