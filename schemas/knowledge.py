"""Response shapes of the knowledge base's own endpoints: the graph and the warnings every answer carries."""
from marshmallow import Schema, fields

__all__ = ["GraphMetaSchema", "GraphSchema", "graph_schema", "WarningSchema"]


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


class WarningSchema(Schema):
    """Something the reader of an answer should know, such as knowledge older than allowed."""

    code = fields.String(required=True, metadata={"description": "stale_knowledge_base", "example": "stale_knowledge_base"})
    message = fields.String(required=True)
    reviewed_on = fields.String(metadata={"description": "Review date of the knowledge the answer rests on."})
    age_days = fields.Integer(metadata={"description": "Days between that review and today."})
    max_age_days = fields.Integer(metadata={"description": "The configured maximum (ADVISOR_KB_MAX_AGE_DAYS)."})
