"""What a report shows, read only from a stored assessment: its profile, its result and the knowledge snapshot.

Nothing here looks at the live knowledge base, so a report reads the same
for as long as the assessment is kept. The HTML report (and the PDF made
from it) and the Markdown decision record both start from these helpers.
"""
from __future__ import annotations

from datetime import datetime
from urllib.parse import urlsplit

from advisor.robustness import CLOSE_MARGIN, ROBUST_MARGIN
from advisor.text import join_words, lower_first

from .charts import hours_chart, score_chart, stack_chart
from .owners import actor_name, actors, actors_kind, actors_label, owner_kind, owner_label, party_names
from .profile_form import form_value

__all__ = ["report_model", "chosen_service", "fits_capacity", "input_rows", "incident_rows", "party_groups", "overlay_summary",
           "robustness_summary", "compare_pair", "decision_summary", "cited_sources", "hours_caveat", "date_text", "source_label", "num", "lower_first",
           "LABEL_CUT_OFFS", "SEED_TITLE", "HOURS_CAVEAT"]

# The article the ownership model starts from, cited by its title wherever it is the source.
SEED_TITLE = "How does the AWS Shared Responsibility Model work?"
SEED_CITATION = f"“{SEED_TITLE}” (2022)"
HOURS_CAVEAT = "Hours are planning assumptions for one typical workload, not AWS figures."

WORKLOAD_LABELS = {
    "max_duration_minutes": ("Longest single run", "{:g} minutes"),
    "memory_gb": ("Memory", "{:g} GB"),
    "vcpu": ("vCPUs", "{:g}"),
    "ephemeral_storage_gb": ("Local scratch space", "{:g} GB"),
    "gpu": ("Needs a GPU", None),
    "privileged": ("Needs privileged containers or host access", None),
    "always_on": ("Runs as an always-on process", None),
    "os": ("Operating system", None),
    "arch": ("Processor architecture", None),
    "invocation": ("How runs start", None),
    "daemonsets": ("Needs an agent on every node (DaemonSets)", None),
    "on_ec2": ("How the application would run on EC2", None),
    "lambda_package": ("How Lambda functions are packaged", None),
}
CHOICE_NAMES = {"os": {"linux": "Linux", "windows": "Windows"},
                "arch": {"x86_64": "x86-64 (Intel or AMD)", "arm64": "Arm64 (AWS Graviton)"},
                "invocation": {"sync": "Synchronously: a caller waits for the answer",
                               "async": "Asynchronously: from events, queues or streams"},
                "on_ec2": {"application": "Directly on the instances, without containers",
                           "containers": "In containers the team runs itself, without an orchestrator",
                           "kubernetes": "On a Kubernetes cluster the team runs itself"},
                "lambda_package": {"zip": "As .zip packages on a managed runtime",
                                   "image": "As container images the team builds"}}


# The what-if thresholds, grouped by the part of the profile they change (first matching prefix wins).
THRESHOLD_GROUPS = (
    ("team", "Your team", ("security_hours_per_month", "patching_staff")),
    ("needs", "What the application needs", ("customisation", "isolation")),
    ("workload", "Workload limits", ("workload.",)),
    ("weights", "Weights", ("weights.",)),
)
LABEL_CUT_OFFS = (f"A first place is robust when it leads the runner-up by {ROBUST_MARGIN:g} points or more, close "
                  f"when it leads by {CLOSE_MARGIN:g} to under {ROBUST_MARGIN:g}, and fragile when it leads by under "
                  f"{CLOSE_MARGIN:g} (a tie included). A lone eligible service counts as robust, as does one that "
                  "meets more of the team's needs than the runner-up, on any margin; when no service is eligible the "
                  "label is fragile.")


def num(value) -> str:
    """A number as people write it: 34 rather than 34.0."""
    return f"{value:g}" if isinstance(value, (int, float)) else str(value)


def date_text(created_at: datetime | None) -> str:
    return created_at.strftime("%-d %B %Y, %H:%M UTC") if created_at else "not saved"


def source_label(source: str) -> str:
    """A short name for a source: the seed article's title and year, or 'AWS docs: <page>' for an AWS page."""
    if source == "seed":
        return SEED_CITATION
    parts = urlsplit(source)
    pages = [p for p in parts.path.split("/") if p]
    page = pages[-1].removesuffix(".html") if pages else ""
    host = "AWS docs" if (parts.hostname or "").endswith("aws.amazon.com") else (parts.hostname or source)
    return f"{host}: {page}" if page else host


def chosen_service(result: dict) -> dict | None:
    """The first eligible service of the ranking, or None when every one is ruled out."""
    return next((entry for entry in result["ranking"] if entry["eligible"]), None)


def fits_capacity(result: dict) -> bool:
    """Whether the team can carry first place: the ranking gave no capacity warning."""
    return all(w.get("type") != "capacity" for w in result.get("warnings", []))


def input_rows(profile: dict, result: dict | None = None) -> list[tuple[str, str]]:
    """The profile as (question, answer) rows, in the order the form asks them.

    With the result, services and the overlay are named as the knowledge base names them.
    """
    rows = [("Application name", profile.get("name") or "(not given)"),
            ("Security hours a month", num(profile["security_hours_per_month"])),
            ("Patching staff", num(profile["patching_staff"])),
            ("Customisation needed", profile["customisation"].capitalize()),
            ("Isolation needed", profile["isolation"].capitalize())]
    workload = profile.get("workload", {})
    for field, (label, fmt) in WORKLOAD_LABELS.items():
        value = workload.get(field)
        if value is None or value is False:
            continue
        if field in CHOICE_NAMES:
            rows.append((label, CHOICE_NAMES[field].get(value, str(value))))
        else:
            rows.append((label, "yes" if value is True else fmt.format(value)))
    weights = profile.get("weights")
    if weights:
        rows.append(("Weights", ", ".join(f"{k} {num(v)}" for k, v in weights.items())))
    if profile.get("services"):
        names = {entry["service"]: entry["name"] for entry in (result or {}).get("ranking", [])}
        rows.append(("Services compared", ", ".join(names.get(s, s) for s in profile["services"])))
    calibration = (result or {}).get("calibration")
    if profile.get("calibration"):
        rows.append(("Effort figures", calibration["name"] if calibration else profile["calibration"]))
    if profile.get("overlay"):
        overlay = overlay_summary(result or {})
        rows.append(("Who else runs part of the platform",
                     overlay["text"] if overlay else f"organisation overlay {profile['overlay']}"))
    return rows


def overlay_summary(result: dict) -> dict | None:
    """The organisation overlay a result was ranked with: its name, its parties and a sentence, or None."""
    overlay = (result.get("knowledge") or {}).get("overlay") or result.get("overlay")
    if not isinstance(overlay, dict):
        return None
    parties = [p.get("name") or p.get("id") for p in overlay.get("parties", [])]
    name = overlay.get("name") or overlay.get("id", "")
    text = f"{name} (organisation overlay {overlay.get('id', '')}: {join_words(parties) or 'no parties'})"
    return {"id": overlay.get("id"), "name": name, "parties": parties, "text": text}




def party_groups(entry: dict) -> list[dict]:
    """The layers internal parties took over on one ranked service, by party, with their hours."""
    groups: dict[str, dict] = {}
    for item in entry.get("party_owns", []):
        name = item.get("party_name") or item.get("party", "")
        group = groups.setdefault(name, {"name": name, "layers": [], "hours": 0.0})
        group["layers"].append(item)
        group["hours"] = round(group["hours"] + item.get("hours_per_month", 0), 2)
    return list(groups.values())


def robustness_summary(result: dict) -> dict | None:
    """How firm the first place is, in words: label, margin, runner-up and the what-ifs by group.

    None for a result saved before recommendations carried ``robustness``.
    """
    robustness = result.get("robustness")
    if not isinstance(robustness, dict) or "label" not in robustness:
        return None
    names = {entry["service"]: entry["name"] for entry in result.get("ranking", [])}
    first = names.get(robustness.get("first"), robustness.get("first"))
    runner_up = names.get(robustness.get("runner_up"), robustness.get("runner_up"))
    margin = robustness.get("margin")
    if margin is None:
        headline = (f"{first} is the only eligible service, so no other comes near it on points." if runner_up is None
                    and chosen_service(result) else "No service is eligible, so nothing is really recommended.")
    elif margin == 0:
        headline = f"{first} and {runner_up} are level on points (to one decimal); the ranking puts {first} first."
    elif margin < 0:
        headline = _ahead_on_fewer_points(result, robustness, first, runner_up, -margin)
    else:
        headline = f"{first} leads the runner-up, {runner_up}, by {num(margin)} point{'s' if margin != 1 else ''}."
    groups = {key: {"key": key, "title": title, "sentences": [], "changes": []} for key, title, _ in THRESHOLD_GROUPS}
    other = {"key": "other", "title": "Other answers", "sentences": [], "changes": []}
    for threshold in robustness.get("thresholds", []):
        name = str(threshold.get("input", ""))
        key = next((k for k, _, prefixes in THRESHOLD_GROUPS
                    if any(name == p or (p.endswith(".") and name.startswith(p)) for p in prefixes)), None)
        group = groups[key] if key else other
        group["sentences"].append(threshold.get("sentence", ""))
        group["changes"].append({"sentence": threshold.get("sentence", ""), "field": name,
                                 "value": form_value(threshold.get("value"))})
    return {"label": robustness["label"], "label_name": str(robustness["label"]).capitalize(), "margin": margin,
            "first": first, "runner_up": runner_up, "headline": headline, "cut_offs": LABEL_CUT_OFFS,
            "groups": [g for g in (*groups.values(), other) if g["sentences"]]}


def _team_line(entry: dict, layers: list[dict], names: dict[str, str]) -> str:
    """What the team owns on one service in one sentence, top of the stack first."""
    owned = [lower_first(item["name"]) + (" (shared)" if item.get("owner") == "shared" else "")
             for item in entry["team_owns"]]
    parties = party_groups(entry)
    text = f"The team owns or shares {len(owned)} of {len(layers)} layers: {join_words(owned) or 'none'}"
    for group in parties:
        text += f"; {group['name']} takes {len(group['layers'])}"
    return text + f"; AWS owns the other {len(entry['aws_owns'])}."


def _residual_risks(incidents: list[dict], service: str) -> list[str]:
    """The drilled incidents in which the team (alone or with others) would still have to act on this service."""
    risks = []
    for incident in incidents:
        cell = next((c for c in incident["cells"] if c["service"]["id"] == service), None)
        if cell is None or cell["acts"] not in ("team", "both"):
            continue
        layers = join_words([lower_first(layer) for layer in cell["team_layers"]])
        others = [a for a in cell["actors"] if a != "the team"]
        beside = f", beside {join_words(others)}" if others else ""
        risks.append(f"{incident['name']}: the team acts on {layers or 'its own layers'}{beside}.")
    return risks


def decision_summary(result: dict, profile: dict, incidents: list[dict], robustness: dict | None,
                     names: dict[str, str]) -> dict | None:
    """The one-page decision: first place and how firm, three reasons, hours against capacity and staff, what the
    team owns, the incidents it would still act on, and the one or two changes that would put another first.

    None when no service is eligible (the report then leads with what rules each one out).
    """
    chosen = chosen_service(result)
    if chosen is None:
        return None
    assumptions = set(chosen.get("assumptions", []))
    # reasons[0] says where first place stands and reasons[1] its hours, which the page gives in its own line.
    reasons = [r for i, r in enumerate(chosen["reasons"]) if i != 1 and r not in assumptions][:3]
    changes = [change for group in (robustness or {}).get("groups", []) for change in group["changes"]][:2]
    return {"service": chosen, "reasons": reasons, "changes": changes,
            "owns": _team_line(chosen, result["knowledge"]["layers"], names),
            "risks": _residual_risks(incidents, chosen["service"]),
            "incident_count": len(incidents),
            "staff_has": profile["patching_staff"], "staff_needed": chosen["patching_staff_needed"],
            "assumptions": chosen.get("assumptions", [])}


def _ahead_on_fewer_points(result: dict, robustness: dict, first: str, runner_up: str, behind: float) -> str:
    """Why first place ranks above a runner-up that scores more: it meets the needs, or the team can carry it."""
    by_id = {entry["service"]: entry for entry in result.get("ranking", [])}
    leader, other = by_id.get(robustness.get("first"), {}), by_id.get(robustness.get("runner_up"), {})
    points = f"{num(round(behind, 1))} point{'s' if behind != 1 else ''}"
    if leader.get("meets_needs") and not other.get("meets_needs"):
        why = f"{first} meets the application’s needs and {runner_up} does not"
    elif leader.get("fits_capacity") and not other.get("fits_capacity"):
        why = f"the team can carry {first} and not {runner_up}"
    else:
        return f"{first} ranks above the runner-up, {runner_up}, although it scores {points} fewer."
    return f"{first} ranks above the runner-up, {runner_up}, although it scores {points} fewer: {why}."


def compare_pair(result: dict) -> dict | None:
    """The first two services of the ranking, to compare on the compare page; None with fewer than two."""
    ranking = result.get("ranking", [])
    if len(ranking) < 2:
        return None
    overlay = overlay_summary(result)
    return {"from": ranking[0]["service"], "to": ranking[1]["service"], "from_name": ranking[0]["name"],
            "to_name": ranking[1]["name"], "runner_up": ranking[1]["eligible"] and ranking[0]["eligible"],
            "overlay": overlay["id"] if overlay else None}


def incident_rows(knowledge: dict, names: dict[str, str] | None = None) -> list[dict]:
    """Each incident with, per service, who must act and on which layers (the team's and any party's)."""
    names = names or {}
    layer_names = {layer["id"]: layer["name"] for layer in knowledge["layers"]}
    rows = []
    for incident in knowledge["incidents"]:
        cells = []
        for service in knowledge["services"]:
            who = incident["who_acts"].get(service["id"], {})
            column = {l: knowledge["matrix"].get(l, {}).get(service["id"], {}) for l in who.get("party_layers", [])}
            party_layers = [f"{layer_names.get(l, l)} ({owner_label(c, names).removesuffix(' + AWS')})"
                            for l, c in column.items()]
            cells.append({"service": service, "acts": actors_kind(who), "label": actors_label(who, names),
                          "actors": [actor_name(a, names) for a in actors(who)],
                          "team_layers": [layer_names.get(l, l) for l in who.get("team_layers", [])],
                          "party_layers": party_layers})
        rows.append({**incident, "cells": cells})
    return rows


def cited_sources(ranking: list[dict], incidents: list[dict]) -> list[dict]:
    """Every source the report cites, numbered in the order it first cites them (blockers, services, incidents)."""
    order: dict[str, None] = {}
    for entry in ranking:
        for item in (*entry.get("blockers", []), *entry["team_owns"], *entry.get("party_owns", []),
                     *entry["aws_owns"]):
            if item.get("source"):
                order.setdefault(item["source"], None)
    for incident in incidents:
        if incident.get("source"):
            order.setdefault(incident["source"], None)
    return [{"number": n, "source": s, "label": source_label(s),
             "url": s if s.startswith(("https://", "http://")) else None,
             "address": s.removeprefix("https://").removeprefix("http://")} for n, s in enumerate(order, 1)]


def hours_caveat(calibration: dict | None) -> str:
    """The caveat beside every figure of hours: they are planning assumptions (or the organisation's own)."""
    if calibration:
        return (f"Hours are the organisation’s own planning figures (“{calibration['name']}”) for one typical "
                "workload, not AWS figures.")
    return HOURS_CAVEAT


def report_model(profile: dict, result: dict, *, created_at: datetime | None = None,
                 assessment_id: str | None = None, warnings: list[dict] | tuple = ()) -> dict:
    """Everything the report template needs, derived from the stored assessment alone.

    ``warnings`` are the answer's warnings (a stale knowledge base), computed by the caller.
    """
    knowledge = result["knowledge"]
    ranking = result["ranking"]
    capacity = profile["security_hours_per_month"]
    names = party_names(result)
    by_id = {entry["service"]: entry for entry in ranking}
    services = knowledge["services"]
    layers_top_first = sorted(knowledge["layers"], key=lambda l: -l["position"])
    matrix_rows = []
    for layer in layers_top_first:
        cells = []
        for s in services:
            cell = knowledge["matrix"].get(layer["id"], {}).get(s["id"], {"owner": None})
            cells.append({"service": s, **cell, "kind": owner_kind(cell), "label": owner_label(cell, names)})
        matrix_rows.append({"layer": layer, "cells": cells})
    kinds = {cell["kind"] for row in matrix_rows for cell in row["cells"]}
    stacks = []
    for service in services:
        column = {layer["id"]: knowledge["matrix"].get(layer["id"], {}).get(service["id"], {"owner": None})
                  for layer in knowledge["layers"]}
        entry = by_id[service["id"]]
        team_hours = {item["id"]: item.get("hours_per_month", 0) for item in entry["team_owns"]}
        party_hours = {item["id"]: item.get("hours_per_month", 0) for item in entry.get("party_owns", [])}
        stacks.append({"service": service, "entry": entry, "parties": party_groups(entry),
                       "chart": stack_chart(service, knowledge["layers"], column, team_hours, party_hours, names)})
    incidents = incident_rows(knowledge, names)
    robustness = robustness_summary(result)
    sources = cited_sources(ranking, incidents)
    return {
        "id": assessment_id,
        "name": profile.get("name"),
        "profile": profile,
        "created_at": created_at,
        "date_text": date_text(created_at),
        "version": result["knowledge_base_version"],
        "reviewed_on": knowledge.get("reviewed_on"),
        # the ranking's own warnings as saved, then the staleness judged today
        "warnings": [w for w in result.get("warnings", []) if w.get("type", "knowledge") != "knowledge"]
        + [w for w in warnings if w.get("type", "knowledge") == "knowledge"],
        "calibration": result.get("calibration"),
        "fits_capacity": fits_capacity(result),
        "capacity": capacity,
        "ranking": ranking,
        "chosen": chosen_service(result),
        "overlay": overlay_summary(result),
        "party_names": sorted(set(names.values())),
        "has_parties": bool(names) or any(e.get("party_owns") for e in ranking),
        "party_groups": {e["service"]: party_groups(e) for e in ranking},
        "owner_kinds": kinds,
        "services": services,
        "wide": len(services) > 5,
        "matrix_rows": matrix_rows,
        "stacks": stacks,
        "incidents": incidents,
        "inputs": input_rows(profile, result),
        "robustness": robustness,
        "decision": decision_summary(result, profile, incidents, robustness, names),
        "hours_caveat": hours_caveat(result.get("calibration")),
        "sources": sources,
        "source_numbers": {s["source"]: s["number"] for s in sources},
        "layer_scope": {layer["id"]: layer.get("description", "") for layer in knowledge["layers"]},
        "compare": compare_pair(result),
        "score_chart": score_chart(ranking),
        "hours_chart": hours_chart(ranking, capacity),
        "service_hours_charts": {e["service"]: hours_chart([e], capacity, f"chart-hours-{e['service']}")
                                 for e in ranking},
    }
