"""The parts of the knowledge base a report shows, frozen as plain data.

A saved assessment keeps this snapshot beside its result, so its report
reads the same after the knowledge base changes.
"""
from __future__ import annotations

from .model import KnowledgeBase, Overlay
from .owners import AWS, TEAM, party_actor, party_owner, two_party_acts
from .profile import CHOICE_DEFAULTS

__all__ = ["knowledge_snapshot", "snapshot_for"]


def knowledge_snapshot(kb: KnowledgeBase, service_ids: tuple[str, ...], overlay_id: str | None = None,
                       choices: tuple[tuple[str, str], ...] = (), calibration: str | None = None) -> dict:
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
    efforts = kb.calibrations[calibration].efforts if calibration is not None else {}
    layers = [{"id": l.id, "name": l.name, "description": l.description, "position": l.position,
               "hours_per_month": efforts[l.id].hours_per_month if l.id in efforts else l.hours_per_month,
               "hours_basis": efforts[l.id].hours_basis if l.id in efforts else l.hours_basis,
               "runs_on": list(l.runs_on), "work": l.work}
              for l in kb.layers.values()]
    owners = {sid: kb.view(sid, overlay_id, calibration, dict(choices)).ownership for sid in service_ids}
    matrix = {layer_id: {sid: _cell(owners[sid][layer_id], overlay, sid, layer_id) for sid in service_ids}
              for layer_id in kb.layers}
    incidents = []
    for incident in kb.incidents.values():
        who = {}
        for sid in service_ids:
            cells = {l: matrix[l][sid] for l in incident.layers}
            party_layers = [l for l, c in cells.items() if "party" in c]
            team_layers = [l for l, c in cells.items() if c["owner"] in ("customer", "shared") and "party" not in c]
            actors = set()
            if all(c["owner"] == "none" for c in cells.values()):
                actors.add(AWS)  # the layers it lands on are not in this stack: only AWS's beneath them
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


def _cell(own, overlay: Overlay | None, service_id: str, layer_id: str) -> dict:
    cell = {"owner": own.owner, "note": own.note, "source": own.source}
    moved = overlay.holder(service_id, layer_id) if overlay is not None else None
    if moved is not None and own.owner in ("customer", "shared"):
        if own.owner == "customer":
            cell["owner"] = party_owner(moved.party)
        cell.update(party=moved.party, party_name=overlay.parties[moved.party].name, party_note=moved.note)
    return cell


def snapshot_for(kb: KnowledgeBase, service_ids, profile: dict) -> dict:
    """The snapshot for a profile given as plain values (profile_as_dict): its overlay, choices and calibration."""
    workload = profile.get("workload", {})
    choices = tuple((name, workload.get(name, default)) for name, default in sorted(CHOICE_DEFAULTS.items()))
    return knowledge_snapshot(kb, tuple(service_ids), profile.get("overlay"), choices, profile.get("calibration"))
