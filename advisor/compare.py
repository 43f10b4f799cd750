"""What moves between the team and AWS when a workload goes from one compute service to another.

How a layer counts
------------------
Each layer's team share is 1 when the team owns it (``customer``), 0 when AWS does, and the
data file's ``team_share`` when it is ``shared``. The team carries that share of the layer's
hours (rounded to 0.01 hour, as every other figure of the advisor).

- A layer is **handed to AWS** when the team's hours on it fall from ``from`` to ``to``:
  customer → shared, customer → aws, shared → aws, or shared → shared with a smaller share.
  Its ``hours_per_month`` is the team hours that move: the team's hours on ``from`` minus its
  hours on ``to`` (so customer → shared with a share of 0.25 moves three quarters of the
  layer, and shared 0.5 → aws moves the half the team still had).
- A layer is **taken back** in the reverse case, with the hours the team gains.
- With equal hours (a layer estimated at 0 hours), the share decides; with an equal share too,
  a change of owner (``shared`` with a share of 0 and ``aws``) is listed by the owner's
  direction (aws < shared < customer), with 0 hours.
- Layers the team carries on both sides with the same share are ``unchanged_team_layers``.

So ``burden_change_hours_per_month`` (the ``to`` service's team burden minus the ``from``
service's; negative means less work for the team) equals the hours taken back minus the
hours handed to AWS.
"""
from __future__ import annotations

from .errors import ProfileError, UnknownServiceError
from .model import KnowledgeBase, Limit, ServiceView
from .owners import AWS, TEAM, join_actors, owner_of, party_actor, party_owner

__all__ = ["compare", "compare_views"]

# How far toward the team a layer's owner sits; an internal party (an overlay's) sits between AWS and a share.
_OWNER_RANK = {"none": 0, "aws": 0, "party": 1, "shared": 2, "customer": 3}


def compare(kb: KnowledgeBase, from_id: str, to_id: str, overlay: str | None = None,
            choices: dict[str, str] | None = None, calibration: str | None = None) -> dict:
    """What changes for the team moving from one service to another.

    Parameters
    ----------
    kb : KnowledgeBase
        The loaded knowledge base.
    from_id, to_id : str
        Service ids; an unknown one raises UnknownServiceError.
    overlay : str, optional
        An organisation overlay's id: both services are then seen with its internal party
        holding the layers it takes over (three parties). An unknown id raises ProfileError.
    choices, calibration : optional
        The profile's workload choices (how the application runs on EC2, how Lambda functions
        are packaged) and effort calibration, so the comparison counts what the ranking counts.

    Returns
    -------
    dict
        ``from``, ``to``, ``handed_to_aws``, ``taken_back``, ``unchanged_team_layers``,
        ``burden_change_hours_per_month`` and the other differences (see compare_views).

    Examples
    --------
    >>> change = compare(kb, "ecs", "fargate")  # doctest: +SKIP
    >>> [layer["id"] for layer in change["handed_to_aws"]]  # doctest: +SKIP
    ['guest_os', 'container_runtime', 'capacity', 'data']
    """
    for sid in (from_id, to_id):
        if sid not in kb.views:
            raise UnknownServiceError(sid)
    if overlay is not None and overlay not in kb.overlay_views:
        raise ProfileError({"overlay": [f"unknown overlay {overlay!r}"]})
    if calibration is not None and calibration not in kb.calibrations:
        raise ProfileError({"calibration": [f"unknown calibration {calibration!r}"]})
    old, new = (kb.view(sid, overlay, calibration, choices) for sid in (from_id, to_id))
    return {**compare_views(kb, old, new), "overlay": overlay}


def compare_views(kb: KnowledgeBase, old: ServiceView, new: ServiceView) -> dict:
    """The comparison of two service views (the precomputed ones, or a profile's own).

    Lists are in stack order, bottom first. Besides the layers, the result says how the
    patching staff needed, the customisation offered, the isolation support per level, the
    hard limits and who acts on each known incident change.
    """
    handed, taken, unchanged = [], [], []
    old_side, new_side = _sides(old), _sides(new)
    for layer in kb.layers.values():  # stack order
        a, b = old_side[layer.id], new_side[layer.id]
        if _toward_team(a) == _toward_team(b):
            if a["owner"] in ("customer", "shared"):
                unchanged.append({"id": layer.id, "name": layer.name, "position": layer.position,
                                  "owner": a["owner"], "team_share": a["team_share"],
                                  "hours_per_month": a["hours"], "from_source": a["source"],
                                  "to_source": b["source"]})
            continue
        entry = {"id": layer.id, "name": layer.name, "position": layer.position,
                 "hours_per_month": round(abs(a["hours"] - b["hours"]), 2)}
        for side, values in (("from", a), ("to", b)):
            entry[f"{side}_owner"] = values["owner"]
            entry[f"{side}_team_share"] = values["team_share"]
            entry[f"{side}_team_hours_per_month"] = values["hours"]
            entry[f"{side}_source"] = values["source"]
            if values["note"]:
                entry[f"{side}_note"] = values["note"]
            if "party_name" in values:
                entry[f"{side}_party_name"] = values["party_name"]
        (taken if _toward_team(b) > _toward_team(a) else handed).append(entry)
    change = round(new.burden_hours - old.burden_hours, 2)
    return {
        "from": old.service.id, "to": new.service.id,
        "from_name": old.service.name, "to_name": new.service.name,
        "summary": _summary(old, new, handed, taken, change),
        "handed_to_aws": handed, "taken_back": taken, "unchanged_team_layers": unchanged,
        "from_burden_hours_per_month": old.burden_hours, "to_burden_hours_per_month": new.burden_hours,
        "burden_change_hours_per_month": change,
        "patching_staff_change": round(new.patching_staff_needed - old.patching_staff_needed, 2),
        "customisation": {"from": old.service.customisation, "to": new.service.customisation,
                          "change": new.customisation_rank - old.customisation_rank},
        "isolation": _isolation_changes(kb, old, new),
        "limits": {"added": _limits_only_in(new, old), "removed": _limits_only_in(old, new)},
        "incidents": _incident_changes(kb, old, new),
        "knowledge_base_version": kb.version,
    }


def _summary(old: ServiceView, new: ServiceView, handed: list, taken: list, change: float) -> str:
    def part(layers: list) -> str:
        if not layers:
            return "no layer"
        hours = round(sum(layer["hours_per_month"] for layer in layers), 2)
        return f"{len(layers)} layer{'s' if len(layers) != 1 else ''} ({hours:g} hours a month)"

    if change < 0:
        net = f"{-change:g} hours a month less work for the team"
    elif change > 0:
        net = f"{change:g} hours a month more work for the team"
    else:
        net = "no change in the team's hours"
    return (f"Moving from {old.service.name} to {new.service.name} hands {part(handed)} to AWS and takes "
            f"{part(taken)} back: {net}.")


def _sides(view: ServiceView) -> dict[str, dict]:
    """Per layer: owner, team share, team hours, source and note, as the view holds them."""
    sides = {}
    for entry in view.not_used:
        sides[entry["id"]] = {"owner": "none", "team_share": 0.0, "hours": 0.0, "source": entry["source"],
                              "note": entry.get("note", "")}
    for entry in view.aws_owns:
        sides[entry["id"]] = {"owner": entry["owner"], "team_share": 0.0, "hours": 0.0,
                              "source": entry["source"], "note": entry.get("note", "")}
    for entry in view.party_owns:
        sides[entry["id"]] = {"owner": party_owner(entry["party"]), "party": entry["party"],
                              "party_name": entry["party_name"], "team_share": 0.0,
                              "hours": 0.0, "source": entry["source"], "note": entry.get("party_note", "")}
    for entry in view.team_owns:
        sides[entry["id"]] = {"owner": entry["owner"], "team_share": view.ownership[entry["id"]].team_share,
                              "hours": entry["hours_per_month"], "source": entry["source"],
                              "note": entry.get("note", "")}
    return sides


def _toward_team(side: dict) -> tuple:
    return (side["hours"], side["team_share"], _OWNER_RANK[owner_of(side).kind])


def _isolation_changes(kb: KnowledgeBase, old: ServiceView, new: ServiceView) -> list[dict]:
    changes = []
    for level in kb.isolation_levels:
        a, b = old.service.isolation[level], new.service.isolation[level]
        if a.support != b.support:
            changes.append({"level": level, "from": a.support, "to": b.support,
                            "from_source": a.source, "to_source": b.source})
    return changes


def _limit_identity(limit: Limit) -> tuple:
    return (limit.field, limit.kind, limit.value, limit.values, limit.when)


def _limits_only_in(view: ServiceView, other: ServiceView) -> list[dict]:
    """Hard limits of `view` that `other` does not have (the same field, kind, value and condition)."""
    theirs = {_limit_identity(limit) for limit in other.service.limits}
    return [{"field": f"workload.{limit.field}", "kind": limit.kind,
             "value": limit.value if limit.kind == "max" else list(limit.values) or None,
             "when": dict(limit.when) or None, "label": limit.label, "service": view.service.id,
             "source": limit.source}
            for limit in view.service.limits if _limit_identity(limit) not in theirs]


def _incident_changes(kb: KnowledgeBase, old: ServiceView, new: ServiceView) -> list[dict]:
    """Known incidents whose responder changes: the team, AWS, or both."""
    changes = []
    for incident in kb.incidents.values():
        a, b = _who_acts(old, incident.layers), _who_acts(new, incident.layers)
        if a != b:
            changes.append({"id": incident.id, "name": incident.name, "from_acts": a, "to_acts": b})
    return changes


def _who_acts(view: ServiceView, layer_ids: tuple[str, ...]) -> str:
    """"aws", "team", "both" (AWS and the team), or the actors joined by "+" when an overlay's party is one."""
    sides = _sides(view)
    actors: set[str] = set()
    for layer_id in layer_ids:
        owner = owner_of(sides[layer_id])
        if owner.kind == "party":
            actors.add(party_actor(owner.party))
        else:
            actors.update({"customer": {TEAM}, "shared": {AWS, TEAM}, "none": set()}.get(owner.kind, {AWS}))
    if not actors:
        actors = {AWS}  # the layers it lands on are not in this stack: only AWS's beneath them
    return join_actors(actors)
