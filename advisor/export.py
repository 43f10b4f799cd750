"""The knowledge base as data other tools read: node-link JSON, GraphML, DOT, and a summary for its checks.

Every node and edge keeps the attributes the loader put on the graph, so each
fact's ``source`` travels with it.
"""
from __future__ import annotations

from collections import Counter

import networkx as nx

from .model import KnowledgeBase

__all__ = ["NODE_LINK_KEYS", "node_link", "graph_from_node_link", "graphml_text", "dot_text", "summary"]

# The graph's own attributes include "id" on nodes and "source" on edges, so node-link
# output names the node key "node" and the edge ends "from" and "to" instead of the
# defaults, which would overwrite them.
NODE_LINK_KEYS = {"name": "node", "source": "from", "target": "to", "edges": "edges", "nodes": "nodes"}

_OWNER_COLOURS = {"aws": "#ff9900", "customer": "#1f77b4", "shared": "#9467bd"}
_SHAPES = {"layer": "box", "service": "ellipse", "incident": "octagon", "limit": "note",
           "customisation_level": "plaintext", "isolation_level": "plaintext"}


def node_link(kb: KnowledgeBase) -> dict:
    """The graph as node-link data (networkx.node_link_data with NODE_LINK_KEYS)."""
    data = nx.node_link_data(kb.graph, **NODE_LINK_KEYS)
    data["graph"] = dict(data["graph"])
    return data


def graph_from_node_link(data: dict) -> nx.DiGraph:
    """Read node-link data written by node_link back into a graph."""
    return nx.node_link_graph(data, **NODE_LINK_KEYS)


def graphml_text(kb: KnowledgeBase) -> str:
    """The graph as GraphML, for graph tools such as Gephi, yEd or Cytoscape."""
    return "\n".join(nx.generate_graphml(kb.graph)) + "\n"


def dot_text(kb: KnowledgeBase) -> str:
    """The graph in Graphviz DOT, coloured by owner, with sources as links."""
    graph = kb.graph
    lines = ["digraph knowledge_base {",
             f"  graph [{_attrs({'label': graph.graph.get('title', ''), **graph.graph, 'rankdir': 'BT'})}];"]
    for node, data in graph.nodes(data=True):
        attrs = {"label": data.get("name") or data.get("label") or node, "shape": _SHAPES.get(data["kind"], "box")}
        attrs.update((k, v) for k, v in data.items() if k not in ("id", "label", "name"))
        lines.append(f"  {_quote(node)} [{_attrs(attrs)}];")
    for u, v, data in graph.edges(data=True):
        attrs = dict(data)
        if "owner" in data:
            attrs["color"] = _OWNER_COLOURS.get(data["owner"], "black")
        if str(data.get("source", "")).startswith("https://"):
            attrs["URL"] = data["source"]
        lines.append(f"  {_quote(u)} -> {_quote(v)} [{_attrs(attrs)}];")
    lines.append("}")
    return "\n".join(lines) + "\n"


def _quote(value) -> str:
    text = str(value).lower() if isinstance(value, bool) else str(value)
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'


def _attrs(attrs: dict) -> str:
    return ", ".join(f"{_quote(k)}={_quote(v)}" for k, v in attrs.items())


def summary(kb: KnowledgeBase) -> dict:
    """What a knowledge-base check reports: version, review date, counts, every service's burden, every overlay.

    Examples
    --------
    >>> summary(kb)["counts"]["services"]  # doctest: +SKIP
    8
    """
    kinds = Counter(data["kind"] for _, data in kb.graph.nodes(data=True))
    sources = {data["source"] for _, data in kb.graph.nodes(data=True) if "source" in data}
    sources |= {data["source"] for _, _, data in kb.graph.edges(data=True) if "source" in data}
    facts = sum(1 for _, data in kb.graph.nodes(data=True) if "source" in data)
    facts += sum(1 for _, _, data in kb.graph.edges(data=True) if "source" in data)
    return {
        "version": kb.version, "reviewed_on": kb.reviewed_on.isoformat(), "title": kb.title,
        "counts": {"layers": len(kb.layers), "services": len(kb.services), "default_services": len(kb.default_services),
                   "incidents": len(kb.incidents), "limits": kinds["limit"], "overlays": len(kb.overlays),
                   "cited_facts": facts, "distinct_sources": len(sources)},
        "services": [{"id": sid, "name": view.service.name, "default": view.service.default, "file": view.service.file,
                      "team_layers": len(view.team_owns), "burden_hours_per_month": view.burden_hours,
                      "patching_staff_needed": view.patching_staff_needed}
                     for sid, view in kb.views.items()],
        "overlays": [{"id": overlay.id, "name": overlay.name, "file": overlay.file,
                      "parties": [{"id": p.id, "name": p.name} for p in overlay.parties.values()],
                      "moves": [{"service": item.service, "party": item.party, "layers": list(item.layers),
                                 "team_hours_moved": round(sum(
                                     kb.layers[l].hours_per_month * kb.services[item.service].ownership[l].team_share
                                     for l in item.layers), 2)}
                                for item in overlay.reassignments]}
                     for overlay in kb.overlays.values()],
        "calibrations": [{"id": c.id, "name": c.name, "file": c.file,
                          "layers": {layer: effort.hours_per_month for layer, effort in c.efforts.items()}}
                         for c in kb.calibrations.values()],
    }
