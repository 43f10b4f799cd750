"""What changed between a saved result and the same profile ranked again on the current knowledge base."""
from __future__ import annotations

__all__ = ["compare_results"]


def compare_results(old: dict, new: dict) -> dict:
    """Compare two results (``Recommendation.as_dict()`` plus the ``knowledge`` snapshot): ranking and owned layers.

    Services appear in the new ranking's order, then any the new ranking lost. A ranking
    change is any difference in rank, score or eligibility; an ownership change is any
    layer whose owner or team hours differ.

    Examples
    --------
    >>> compare_results(saved.result, fresh)["changed"]  # doctest: +SKIP
    False
    """
    before = {r["service"]: r for r in old.get("ranking", [])}
    after = {r["service"]: r for r in new.get("ranking", [])}
    order = list(after) + [sid for sid in before if sid not in after]
    old_matrix = (old.get("knowledge") or {}).get("matrix", {})
    new_matrix = (new.get("knowledge") or {}).get("matrix", {})
    layer_order = list(new_matrix) + [layer for layer in old_matrix if layer not in new_matrix]
    ranking_changes, ownership_changes = [], []
    for sid in order:
        was, now = _place(before.get(sid)), _place(after.get(sid))
        name = (after.get(sid) or before.get(sid))["name"]
        if was != now:
            ranking_changes.append({"service": sid, "name": name, "old": was, "new": now})
        if sid in before and sid in after:
            change = _ownership_change(sid, name, before[sid], after[sid], old_matrix, new_matrix, layer_order)
            if change:
                ownership_changes.append(change)
    first = {"old": _first(old), "new": _first(new)}
    return {
        "knowledge_base_version": {"old": old.get("knowledge_base_version"), "new": new.get("knowledge_base_version")},
        "changed": bool(ranking_changes or ownership_changes),
        "first": first, "ranking_changes": ranking_changes, "ownership_changes": ownership_changes,
    }


def _place(entry: dict | None) -> dict | None:
    if entry is None:
        return None
    return {"rank": entry["rank"], "score": entry["score"], "eligible": entry["eligible"]}


def _first(result: dict) -> str | None:
    ranking = result.get("ranking") or []
    return ranking[0]["service"] if ranking else None


def _team_hours(entry: dict) -> dict[str, float]:
    return {e["id"]: e["hours_per_month"] for e in entry.get("team_owns", [])}


def _ownership_change(sid: str, name: str, was: dict, now: dict, old_matrix: dict, new_matrix: dict,
                      layer_order: list[str]) -> dict | None:
    old_team, new_team = _team_hours(was), _team_hours(now)
    layers = []
    for layer in layer_order:
        old_owner = old_matrix.get(layer, {}).get(sid, {}).get("owner")
        new_owner = new_matrix.get(layer, {}).get(sid, {}).get("owner")
        old_hours, new_hours = old_team.get(layer, 0.0), new_team.get(layer, 0.0)
        if old_owner != new_owner or old_hours != new_hours:
            layers.append({"layer": layer, "owner": {"old": old_owner, "new": new_owner},
                           "team_hours_per_month": {"old": old_hours, "new": new_hours}})
    if not layers:
        return None
    return {
        "service": sid, "name": name,
        "team_gains": [layer for layer in layer_order if layer in new_team and layer not in old_team],
        "team_loses": [layer for layer in layer_order if layer in old_team and layer not in new_team],
        "layers": layers,
        "burden_hours_per_month": {"old": was.get("burden_hours_per_month"), "new": now.get("burden_hours_per_month")},
    }
