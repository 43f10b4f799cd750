"""What the API and the form show of the knowledge base itself, built once when it loads.

The knowledge base does not change while the app runs, so these answers are made at load
(KnowledgeDocuments.build) and held as JSON bytes and read-only mappings; the request path only looks
them up.
"""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType

from flask.json.provider import JSONProvider

from advisor import KnowledgeBase, UnknownServiceError
from advisor.export import node_link
from schemas.knowledge import graph_schema

__all__ = ["KnowledgeDocuments", "service_summaries", "service_detail", "layer_list", "graph_document",
           "form_choices"]


@dataclass(frozen=True)
class KnowledgeDocuments:
    """The knowledge base's read-only answers: JSON bodies of the API's GETs and the form's choices."""

    services: bytes
    service_details: Mapping[str, bytes]
    layers: bytes
    graph: bytes
    form_choices: Mapping[str, tuple]

    @classmethod
    def build(cls, kb: KnowledgeBase, json: JSONProvider) -> "KnowledgeDocuments":
        """Serialise every answer once with the app's JSON provider (the bytes jsonify would give)."""
        def body(value) -> bytes:
            return f"{json.dumps(value)}\n".encode()

        return cls(
            services=body(service_summaries(kb)),
            service_details=MappingProxyType({sid: body(service_detail(kb, sid)) for sid in kb.services}),
            layers=body(layer_list(kb)), graph=body(graph_document(kb)),
            form_choices=MappingProxyType({k: tuple(v) for k, v in form_choices(kb).items()}),
        )

    def service(self, service_id: str) -> bytes:
        """One service's detail; an id the knowledge base does not hold raises UnknownServiceError."""
        try:
            return self.service_details[service_id]
        except KeyError:
            raise UnknownServiceError(service_id) from None


def service_summaries(kb: KnowledgeBase) -> dict:
    """Every service with the burden it leaves the team (GET /api/v1/services)."""
    return {"services": [
        {"id": sid, "name": view.service.name, "model": view.service.model, "summary": view.service.summary,
         "default": view.service.default, "customisation": view.service.customisation,
         "burden_hours_per_month": view.burden_hours, "patching_staff_needed": view.patching_staff_needed}
        for sid, view in kb.views.items()
    ], "knowledge_base_version": kb.version}


def service_detail(kb: KnowledgeBase, service_id: str) -> dict:
    """One service's full responsibility split, with sources (GET /api/v1/services/<id>)."""
    view = kb.views.get(service_id)
    if view is None:
        raise UnknownServiceError(service_id)
    service = view.service
    ownership = []
    for layer in kb.layers.values():
        own = service.ownership[layer.id]
        entry = {"layer": layer.id, "name": layer.name, "owner": own.owner, "source": own.source,
                 "team_share": own.team_share, "team_hours_per_month": round(layer.hours_per_month * own.team_share, 2)}
        if own.note:
            entry["note"] = own.note
        if own.team_share_basis:
            entry["team_share_basis"] = own.team_share_basis
        ownership.append(entry)
    return {
        "id": service.id, "name": service.name, "model": service.model, "summary": service.summary,
        "default": service.default,
        "customisation": {"level": service.customisation, "note": service.customisation_note,
                          "source": service.customisation_source},
        "isolation": {level: {"support": s.support, "note": s.note, "source": s.source}
                      for level, s in service.isolation.items()},
        "limits": [{"field": f"workload.{l.field}", "kind": l.kind, "value": l.value if l.kind == "max" else list(l.values) or None,
                    "when": dict(l.when) or None, "label": l.label, "source": l.source} for l in service.limits],
        "ownership": ownership, "team_owns": list(view.team_owns), "aws_owns": list(view.aws_owns),
        "burden_hours_per_month": view.burden_hours, "patching_staff_needed": view.patching_staff_needed,
        "knowledge_base_version": kb.version,
    }


def layer_list(kb: KnowledgeBase) -> dict:
    """The layers in stack order, bottom first (GET /api/v1/layers)."""
    return {"layers": [
        {"id": l.id, "name": l.name, "description": l.description, "skills": list(l.skills),
         "runs_on": list(l.runs_on), "position": l.position, "hours_per_month": l.hours_per_month,
         "hours_basis": l.hours_basis, "patching_staff_needed": l.patching_staff_needed,
         "incidents": list(l.incidents)}
        for l in kb.layers.values()
    ], "knowledge_base_version": kb.version}


def graph_document(kb: KnowledgeBase) -> dict:
    """The whole knowledge graph as node-link JSON (GET /api/v1/graph)."""
    return graph_schema.dump(node_link(kb))


def form_choices(kb: KnowledgeBase) -> dict:
    """The choices the requirements form offers, each with id, name and description: levels, services, overlays.

    Services come default set first; overlays after "nobody else" (blank), each saying what its parties take over.
    """
    services = sorted(kb.services.values(), key=lambda s: not s.default)  # stable: data order within each group
    overlays = [{"id": "", "name": "Nobody else",
                 "description": "The team runs everything on its side of the line with AWS."}]
    for overlay in kb.overlays.values():
        moves = []
        for party in overlay.parties.values():
            per_service = [f"on {kb.services[r.service].name}: {', '.join(kb.layers[l].name.lower() for l in r.layers)}"
                           for r in overlay.reassignments if r.party == party.id]
            if per_service:
                moves.append(f"{party.name} takes over, {'; '.join(per_service)}.")
        overlays.append({"id": overlay.id, "name": overlay.name,
                         "description": " ".join(part for part in (overlay.description, *moves) if part)})
    calibrations = [{"id": "", "name": "The advisor's figures",
                     "description": "Planning assumptions for one typical production workload, each with its basis."}]
    calibrations += [{"id": c.id, "name": c.name, "description": c.description} for c in kb.calibrations.values()]
    return {
        "calibrations": calibrations,
        "customisation_levels": list(kb.customisation_levels.values()),
        "isolation_levels": list(kb.isolation_levels.values()),
        "services": [{"id": s.id, "name": s.name, "description": s.summary, "default": s.default} for s in services],
        "overlays": overlays,
    }
