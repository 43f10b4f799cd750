"""The parts of the knowledge base a report shows, frozen as plain data.

A saved assessment keeps this snapshot beside its result, so its report
reads the same after the knowledge base changes.
"""
from __future__ import annotations

from .model import KnowledgeBase, Overlay
from .owners import AWS, TEAM, party_actor, party_owner, two_party_acts

__all__ = ["knowledge_snapshot"]


def knowledge_snapshot(kb: KnowledgeBase, service_ids: tuple[str, ...], overlay_id: str | None = None) -> dict:
    """Layers in stack order, each service's owner per layer, and who must act on each incident.

    With an organisation overlay, a layer an internal party took over has the owner
    ``party:<id>`` (``shared`` stays ``shared`` when AWS keeps its part) and names the
    party, so a report can show three parties: AWS, the party and the team (advisor.owners
    reads and writes these codes).

    Examples
    --------
    >>> snap = knowledge_snapshot(kb, ("ec2", "lambda"))  # doctest: +SKIP
    >>> snap["matrix"]["guest_os"]["ec2"]["owner"]  # doctest: +SKIP
    'customer'
    """
    overlay = kb.overlays[overlay_id] if overlay_id is not None else None
    layers = [{"id": l.id, "name": l.name, "description": l.description, "position": l.position,
               "hours_per_month": l.hours_per_month, "hours_basis": l.hours_basis, "runs_on": list(l.runs_on)}
              for l in kb.layers.values()]
    matrix = {layer_id: {sid: _cell(kb, overlay, sid, layer_id) for sid in service_ids} for layer_id in kb.layers}
    incidents = []
    for incident in kb.incidents.values():
        who = {}
        for sid in service_ids:
            cells = {l: matrix[l][sid] for l in incident.layers}
            party_layers = [l for l, c in cells.items() if "party" in c]
            team_layers = [l for l, c in cells.items() if c["owner"] in ("customer", "shared") and "party" not in c]
            actors = set()
            if any(c["owner"] in ("aws", "shared") for c in cells.values()):
                actors.add(AWS)
            actors |= {party_actor(c["party"]) for c in cells.values() if "party" in c}
            if team_layers:
                actors.add(TEAM)
            # "acts" is AWS's two-party view (aws, team or both, a party counting on the team's side);
            # "actors" names every party that acts.
            entry = {"acts": two_party_acts(actors), "team_layers": team_layers}
            if party_layers:
                entry["party_layers"] = party_layers
                entry["actors"] = sorted(actors)
            who[sid] = entry
        incidents.append({"id": incident.id, "name": incident.name, "kind": incident.kind,
                          "description": incident.description, "source": incident.source, "note": incident.note,
                          "layers": list(incident.layers), "who_acts": who})
    services = [{"id": sid, "name": kb.services[sid].name, "model": kb.services[sid].model} for sid in service_ids]
    return {"version": kb.version, "reviewed_on": kb.reviewed_on.isoformat(), "layers": layers,
            "services": services, "matrix": matrix, "incidents": incidents,
            "overlay": overlay.summary() if overlay is not None else None}


def _cell(kb: KnowledgeBase, overlay: Overlay | None, service_id: str, layer_id: str) -> dict:
    own = kb.services[service_id].ownership[layer_id]
    cell = {"owner": own.owner, "note": own.note, "source": own.source}
    moved = overlay.holder(service_id, layer_id) if overlay is not None else None
    if moved is not None:
        if own.owner == "customer":
            cell["owner"] = party_owner(moved.party)
        cell.update(party=moved.party, party_name=overlay.parties[moved.party].name, party_note=moved.note)
    return cell
