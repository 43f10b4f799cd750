"""The parts of the knowledge base a report shows, frozen as plain data.

A saved assessment keeps this snapshot beside its result, so its report
reads the same after the knowledge base changes.
"""
from __future__ import annotations

from functools import lru_cache

from .model import KnowledgeBase

__all__ = ["knowledge_snapshot"]


@lru_cache(maxsize=64)
def knowledge_snapshot(kb: KnowledgeBase, service_ids: tuple[str, ...]) -> dict:
    """Layers in stack order, each service's owner per layer, and who must act on each incident.

    Examples
    --------
    >>> snap = knowledge_snapshot(kb, ("ec2", "lambda"))  # doctest: +SKIP
    >>> snap["matrix"]["guest_os"]["ec2"]["owner"]  # doctest: +SKIP
    'customer'
    """
    layers = [{"id": l.id, "name": l.name, "description": l.description, "position": l.position,
               "hours_per_month": l.hours_per_month, "hours_basis": l.hours_basis, "runs_on": list(l.runs_on)}
              for l in kb.layers.values()]
    matrix = {
        layer_id: {sid: {"owner": kb.services[sid].ownership[layer_id].owner,
                         "note": kb.services[sid].ownership[layer_id].note,
                         "source": kb.services[sid].ownership[layer_id].source}
                   for sid in service_ids}
        for layer_id in kb.layers
    }
    incidents = []
    for incident in kb.incidents.values():
        who = {}
        for sid in service_ids:
            owners = {kb.services[sid].ownership[l].owner for l in incident.layers}
            team_layers = [l for l in incident.layers if kb.services[sid].ownership[l].owner in ("customer", "shared")]
            if owners == {"aws"}:
                actor = "aws"
            elif owners == {"customer"}:
                actor = "team"
            else:
                actor = "both"
            who[sid] = {"acts": actor, "team_layers": team_layers}
        incidents.append({"id": incident.id, "name": incident.name, "kind": incident.kind,
                          "description": incident.description, "source": incident.source, "note": incident.note,
                          "layers": list(incident.layers), "who_acts": who})
    services = [{"id": sid, "name": kb.services[sid].name, "model": kb.services[sid].model} for sid in service_ids]
    return {"version": kb.version, "reviewed_on": kb.reviewed_on.isoformat(), "layers": layers,
            "services": services, "matrix": matrix, "incidents": incidents}
