"""The design review as a pull-request comment: the verdict, current against first place, what would move, provenance.

Short enough for a PR thread: the provenance and the unsupported resources are folded in <details>.
"""
from __future__ import annotations

__all__ = ["render_review_markdown", "PROVENANCE_ROWS"]

PROVENANCE_ROWS = 40  # more than any real review needs; the rest is counted, not listed

_FIELD_NAMES = {
    "workload.max_duration_minutes": "Longest run (minutes)", "workload.memory_gb": "Memory (GB)",
    "workload.vcpu": "vCPU", "workload.ephemeral_storage_gb": "Scratch space (GB)", "workload.gpu": "GPU",
    "workload.privileged": "Privileged containers or host access", "workload.always_on": "Always on",
    "workload.os": "Operating system", "workload.arch": "Processor architecture", "workload.invocation": "Invocation",
    "workload.daemonsets": "An agent on every node (DaemonSets)", "workload.lambda_package": "Lambda packaging",
    "workload.on_ec2": "How it would run on EC2", "isolation": "Isolation", "current_services": "Service in use",
}


def _text(value) -> str:
    """Text safe in a Markdown table cell or line: pipes, backslashes and backticks escaped, on one line."""
    return str(value).replace("\\", "\\\\").replace("|", "\\|").replace("\n", " ").replace("`", "'")


def _cell(value) -> str:
    if value is True:
        return "yes"
    if value is False:
        return "no"
    if isinstance(value, float):
        value = f"{value:g}"
    return _text(value)[:120]


def _hours(value: float) -> str:
    return f"{value:g}"


def render_review_markdown(review: dict) -> str:
    """The review as GitHub/GitLab-flavoured Markdown (CommonMark plus tables)."""
    verdict = review["verdict"]
    ranking = review["recommendation"]["ranking"]
    first = next((entry for entry in ranking if entry["service"] == verdict["first"]), None)
    name = review["profile"].get("name")
    lines = [f"### Design review{f': {_cell(name)}' if name else ''}", "", f"**Verdict:** {_text(verdict['summary'])}",
             ""]
    marks = [("First place in use", verdict["current_is_first"]), ("Fits the team's capacity", verdict["fits_capacity"]),
             ("Blocked by a hard limit", verdict["blocked"])]
    lines.append(" · ".join(f"{label}: **{_cell(value)}**" for label, value in marks)
                 + (f" · First place is **{verdict['firmness']}**" if verdict["firmness"] else ""))
    lines.append("")
    comparisons = review["comparisons"]
    if first is not None:
        columns = [c for c in comparisons if not c["is_first"]]
        header = ["", *(f"In use: {_cell(c['name'])}" for c in columns), f"First place: {_cell(first['name'])}"]
        if any(c["is_first"] for c in comparisons):
            header[-1] = f"In use and first: {_cell(first['name'])}"
        rows = [
            ["Rank", *(str(c["rank"]) for c in columns), "1"],
            ["Score", *(f"{c['score']:.1f}" if c["eligible"] else "ruled out" for c in columns),
             f"{first['score']:.1f}"],
            ["Team hours a month", *(_hours(c["burden_hours_per_month"]) for c in columns),
             _hours(first["burden_hours_per_month"])],
            ["Patching staff needed", *(_hours(c["patching_staff_needed"]) for c in columns),
             _hours(first["patching_staff_needed"])],
            ["Ruled out by", *("; ".join(_cell(b["sentence"]) for b in c["blockers"]) or "nothing" for c in columns),
             "nothing"],
        ]
        lines += [f"| {' | '.join(header)} |", f"|{'---|' * len(header)}"]
        lines += [f"| {' | '.join(row)} |" for row in rows]
        lines.append(f"\nThe team has {_hours(review['profile']['security_hours_per_month'])} hours a month and "
                     f"{review['profile']['patching_staff']} patching staff.")
    for comparison in comparisons:
        change = comparison["change_to_first"]
        if not change:
            continue
        lines += ["", f"**What would move from {_cell(comparison['name'])} to {_cell(first['name'])}:**", ""]
        handed = [layer["name"] for layer in change["handed_to_aws"]]
        taken = [layer["name"] for layer in change["taken_back"]]
        lines.append(f"- Handed to AWS: {_cell(', '.join(handed)) if handed else 'nothing'}")
        lines.append(f"- Taken back by the team: {_cell(', '.join(taken)) if taken else 'nothing'}")
        delta = change["burden_change_hours_per_month"]
        lines.append(f"- Team hours a month: {'+' if delta > 0 else ''}{delta:g}")
    provenance = review["provenance"]
    lines += ["", f"<details><summary>Where the workload came from ({len(provenance)} values)</summary>", "",
              "| Field | Value | File | Resource | Attribute |", "|---|---|---|---|---|"]
    names = {entry["service"]: entry["name"] for entry in ranking}
    for entry in provenance[:PROVENANCE_ROWS]:
        value = names.get(entry["value"], entry["value"]) if entry["field"] == "current_services" else entry["value"]
        written = entry["raw"]
        shown = (_cell(value) if written in (None, entry["value"]) or entry["attribute"] in ("type", "kind")
                 else f"{_cell(value)} ({_cell(written)})")
        lines.append(f"| {_FIELD_NAMES.get(entry['field'], _cell(entry['field']))} | {shown} | "
                     f"{_cell(entry['source'])} | {_cell(entry['resource'])} | {_cell(entry['attribute'])} |")
    if len(provenance) > PROVENANCE_ROWS:
        lines.append(f"\n{len(provenance) - PROVENANCE_ROWS} more values are in the JSON review.")
    lines += ["", "</details>"]
    skipped = review["unsupported"] + review["unresolved"]
    if skipped:
        lines += ["", f"<details><summary>Not read ({len(review['unsupported'])} unsupported resources, "
                      f"{len(review['unresolved'])} unresolved settings)</summary>", ""]
        for item in review["unsupported"][:PROVENANCE_ROWS]:
            lines.append(f"- {_cell(item['resource'])} in {_cell(item['source'])}: type {_cell(item['type'])} is "
                         "not read")
        for item in review["unresolved"][:PROVENANCE_ROWS]:
            lines.append(f"- {_cell(item['resource'])} in {_cell(item['source'])}, {_cell(item['attribute'])}: "
                         f"{_cell(item['reason'])}")
        lines += ["", "</details>"]
    for warning in review.get("warnings", []):
        lines += ["", f"> Warning: {_cell(warning['message'])}"]
    return "\n".join(lines) + "\n"
