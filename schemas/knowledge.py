"""What the API says about the knowledge base: services, one service's split, the layers, health."""
from marshmallow import Schema, fields, validate

from .recommendation import OWNERS, AwsLayerSchema, TeamLayerSchema

__all__ = [
    "ServiceSummarySchema", "ServiceListSchema", "ServiceDetailSchema", "LayerSchema", "LayerListSchema",
    "HealthSchema", "GraphMetaSchema", "GraphSchema", "graph_schema",
]

_SUPPORT = ["yes", "with_effort", "no"]


class ServiceSummarySchema(Schema):
    """A service with the burden it leaves the team."""

    id = fields.String(required=True, metadata={"example": "lambda"})
    name = fields.String(required=True, metadata={"example": "AWS Lambda"})
    model = fields.String(required=True, metadata={"description": "The kind of service, e.g. abstracted."})
    summary = fields.String(required=True)
    default = fields.Boolean(required=True, metadata={"description": "Ranked when a profile names no services."})
    customisation = fields.String(required=True, metadata={"description": "The control it offers."})
    burden_hours_per_month = fields.Float(required=True)
    patching_staff_needed = fields.Float(required=True)


class ServiceListSchema(Schema):
    """Every service in the knowledge base."""

    services = fields.List(fields.Nested(ServiceSummarySchema), required=True)
    knowledge_base_version = fields.String(required=True)


class CustomisationSchema(Schema):
    """The control over OS, kernel, host and hardware a service offers."""

    level = fields.String(required=True)
    note = fields.String(required=True)
    source = fields.String(required=True)


class IsolationSupportSchema(Schema):
    """Whether a service gives one isolation level."""

    support = fields.String(required=True, validate=validate.OneOf(_SUPPORT))
    note = fields.String(required=True)
    source = fields.String(required=True)


class LimitSchema(Schema):
    """A hard limit that rules the service out for some workloads."""

    field = fields.String(required=True, metadata={"example": "workload.max_duration_minutes"})
    kind = fields.String(required=True, validate=validate.OneOf(["max", "not_supported", "allowed"]))
    value = fields.Raw(required=True, allow_none=True,
                       metadata={"description": "The maximum, the allowed values, or null."})
    when = fields.Dict(required=True, allow_none=True,
                       metadata={"description": "Workload values under which the limit applies; null: always."})
    label = fields.String(required=True)
    source = fields.String(required=True)


class OwnershipSchema(Schema):
    """Who owns one layer on the service, and on whose word."""

    layer = fields.String(required=True)
    name = fields.String(required=True)
    owner = fields.String(required=True, validate=validate.OneOf(OWNERS))
    source = fields.String(required=True)
    team_share = fields.Float(required=True, validate=validate.Range(min=0, max=1))
    team_hours_per_month = fields.Float(required=True)
    note = fields.String()
    team_share_basis = fields.String(metadata={"description": "Why a shared layer's team share is what it is."})


class ServiceDetailSchema(Schema):
    """One service's full responsibility split, limits and isolation, with sources."""

    id = fields.String(required=True, metadata={"example": "fargate"})
    name = fields.String(required=True)
    model = fields.String(required=True)
    summary = fields.String(required=True)
    default = fields.Boolean(required=True)
    customisation = fields.Nested(CustomisationSchema, required=True)
    isolation = fields.Dict(keys=fields.String(), values=fields.Nested(IsolationSupportSchema), required=True,
                            metadata={"description": "Per isolation level (standard, strong, dedicated)."})
    limits = fields.List(fields.Nested(LimitSchema), required=True)
    ownership = fields.List(fields.Nested(OwnershipSchema), required=True, metadata={"description": "Bottom first."})
    team_owns = fields.List(fields.Nested(TeamLayerSchema), required=True)
    aws_owns = fields.List(fields.Nested(AwsLayerSchema), required=True)
    burden_hours_per_month = fields.Float(required=True)
    patching_staff_needed = fields.Float(required=True)
    knowledge_base_version = fields.String(required=True)


class LayerSchema(Schema):
    """One responsibility layer of the stack."""

    id = fields.String(required=True, metadata={"example": "guest_os"})
    name = fields.String(required=True)
    description = fields.String(required=True)
    skills = fields.List(fields.String(), required=True)
    runs_on = fields.List(fields.String(), required=True, metadata={"description": "Layer ids directly beneath."})
    position = fields.Integer(required=True, metadata={"description": "0 is the bottom of the stack."})
    hours_per_month = fields.Float(required=True, metadata={"description": "Effort estimate (an assumption)."})
    hours_basis = fields.String(required=True)
    patching_staff_needed = fields.Float(required=True)
    incidents = fields.List(fields.String(), required=True, metadata={"description": "Incident ids that hit it."})


class LayerListSchema(Schema):
    """The responsibility layers in stack order, bottom first."""

    layers = fields.List(fields.Nested(LayerSchema), required=True)
    knowledge_base_version = fields.String(required=True)


class HealthSchema(Schema):
    """Liveness: the service is up and its knowledge base loaded."""

    status = fields.String(required=True, validate=validate.OneOf(["ok"]))
    knowledge_base_version = fields.String(required=True)
    core = fields.String(required=True, validate=validate.OneOf(["compiled", "interpreted"]), metadata={
        "description": "Whether the ranking runs compiled or from its sources: the same answers, at different speeds."})



class GraphMetaSchema(Schema):
    """The graph's own attributes."""

    version = fields.String(required=True, metadata={"description": "Knowledge-base version (declared version + digest)."})
    reviewed_on = fields.String(required=True, metadata={"description": "Date people last checked the data (YYYY-MM-DD)."})
    title = fields.String(required=True)


class GraphSchema(Schema):
    """The knowledge graph as node-link JSON (networkx.node_link_data with name="node", source="from", target="to").

    Nodes carry `node` (their key, such as `service:ecs` or `layer:guest_os`) and `kind` (layer, service,
    incident, limit, customisation_level, isolation_level) plus that kind's attributes. Edges carry `from`, `to`
    and `kind` (runs_on, responsibility, lands_on, customisation, isolation, has_limit); every fact, on a node or
    an edge, carries its `source`. Read it back with networkx.node_link_graph(data, name="node", source="from",
    target="to", edges="edges").
    """

    directed = fields.Boolean(required=True)
    multigraph = fields.Boolean(required=True)
    graph = fields.Nested(GraphMetaSchema, required=True)
    nodes = fields.List(fields.Dict(keys=fields.String()), required=True,
                        metadata={"description": "Each node: `node`, `kind` and its attributes (scalars only)."})
    edges = fields.List(fields.Dict(keys=fields.String()), required=True,
                        metadata={"description": "Each edge: `from`, `to`, `kind` and its attributes (scalars only)."})


graph_schema = GraphSchema()

