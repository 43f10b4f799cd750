"""What a report shows, read only from a stored assessment: its profile, its result and the knowledge snapshot.

Nothing here looks at the live knowledge base, so a report reads the same
for as long as the assessment is kept. The HTML report (and the PDF made
from it) and the Markdown decision record both start from these helpers.
"""
from __future__ import annotations

from datetime import datetime
from urllib.parse import urlsplit

from .charts import OWNER_LABELS, hours_chart, score_chart, stack_chart

__all__ = ["report_model", "chosen_service", "input_rows", "incident_rows", "date_text", "source_label", "num",
           "ACTOR_LABELS"]

ACTOR_LABELS = {"aws": "AWS acts", "team": "The team acts", "both": "Both act"}
WORKLOAD_LABELS = {
    "max_duration_minutes": ("Longest single run", "{:g} minutes"),
    "memory_gb": ("Memory", "{:g} GB"),
    "vcpu": ("vCPUs", "{:g}"),
    "ephemeral_storage_gb": ("Local scratch space", "{:g} GB"),
    "gpu": ("Needs a GPU", None),
    "privileged": ("Needs privileged containers or host access", None),
    "always_on": ("Runs as an always-on process", None),
    "os": ("Operating system", None),
}
OS_NAMES = {"linux": "Linux", "windows": "Windows"}


def num(value) -> str:
    """A number as people write it: 34 rather than 34.0."""
    return f"{value:g}" if isinstance(value, (int, float)) else str(value)


def date_text(created_at: datetime | None) -> str:
    return created_at.strftime("%-d %B %Y, %H:%M UTC") if created_at else "not saved"


def source_label(source: str) -> str:
    """A short name for a source: 'the seed article', or 'AWS docs: <page>' for an AWS documentation URL."""
    if source == "seed":
        return "the seed article"
    parts = urlsplit(source)
    pages = [p for p in parts.path.split("/") if p]
    page = pages[-1].removesuffix(".html") if pages else ""
    host = "AWS docs" if (parts.hostname or "").endswith("aws.amazon.com") else (parts.hostname or source)
    return f"{host}: {page}" if page else host


def chosen_service(result: dict) -> dict | None:
    """The first eligible service of the ranking, or None when every one is ruled out."""
    return next((entry for entry in result["ranking"] if entry["eligible"]), None)


def input_rows(profile: dict) -> list[tuple[str, str]]:
    """The profile as (question, answer) rows, in the order the form asks them."""
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
        if field == "os":
            rows.append((label, OS_NAMES.get(value, value)))
        else:
            rows.append((label, "yes" if value is True else fmt.format(value)))
    weights = profile.get("weights")
    if weights:
        rows.append(("Weights", ", ".join(f"{k} {num(v)}" for k, v in weights.items())))
    if profile.get("services"):
        rows.append(("Services compared", ", ".join(profile["services"])))
    return rows


def incident_rows(knowledge: dict) -> list[dict]:
    """Each incident with, per service, who must act and on which layers."""
    layer_names = {layer["id"]: layer["name"] for layer in knowledge["layers"]}
    rows = []
    for incident in knowledge["incidents"]:
        cells = []
        for service in knowledge["services"]:
            who = incident["who_acts"][service["id"]]
            cells.append({"service": service, "acts": who["acts"], "label": ACTOR_LABELS[who["acts"]],
                          "team_layers": [layer_names.get(l, l) for l in who["team_layers"]]})
        rows.append({**incident, "cells": cells})
    return rows


def report_model(profile: dict, result: dict, *, created_at: datetime | None = None,
                 assessment_id: str | None = None) -> dict:
    """Everything the report template needs, derived from the stored assessment alone."""
    knowledge = result["knowledge"]
    ranking = result["ranking"]
    capacity = profile["security_hours_per_month"]
    by_id = {entry["service"]: entry for entry in ranking}
    services = knowledge["services"]
    layers_top_first = sorted(knowledge["layers"], key=lambda l: -l["position"])
    matrix_rows = [{"layer": layer,
                    "cells": [{"service": s, **knowledge["matrix"][layer["id"]][s["id"]],
                               "label": OWNER_LABELS[knowledge["matrix"][layer["id"]][s["id"]]["owner"]]}
                              for s in services]}
                   for layer in layers_top_first]
    stacks = []
    for service in services:
        column = {layer_id: row[service["id"]] for layer_id, row in knowledge["matrix"].items()}
        team_hours = {item["id"]: item.get("hours_per_month", 0) for item in by_id[service["id"]]["team_owns"]}
        stacks.append({"service": service, "entry": by_id[service["id"]],
                       "chart": stack_chart(service, knowledge["layers"], column, team_hours)})
    return {
        "id": assessment_id,
        "name": profile.get("name"),
        "profile": profile,
        "created_at": created_at,
        "date_text": date_text(created_at),
        "version": result["knowledge_base_version"],
        "reviewed_on": knowledge.get("reviewed_on"),
        "capacity": capacity,
        "ranking": ranking,
        "chosen": chosen_service(result),
        "services": services,
        "matrix_rows": matrix_rows,
        "stacks": stacks,
        "incidents": incident_rows(knowledge),
        "inputs": input_rows(profile),
        "score_chart": score_chart(ranking),
        "hours_chart": hours_chart(ranking, capacity),
        "service_hours_charts": {e["service"]: hours_chart([e], capacity, f"chart-hours-{e['service']}")
                                 for e in ranking},
    }
