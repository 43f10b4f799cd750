"""`flask --app app kb ...`: check and export the knowledge base, from a shell or the knowledge base's own CI."""
from __future__ import annotations

import json
from pathlib import Path

import click
from flask import current_app
from flask.cli import AppGroup

from advisor import KnowledgeBase, KnowledgeBaseError
from advisor.export import dot_text, graphml_text, node_link, summary
from advisor.staleness import staleness_warning

from .extensions import today
from .knowledge_loading import load_for_app

__all__ = ["kb_cli"]

kb_cli = AppGroup("kb", help="Check and export the knowledge base.")

_PATH = click.option("--path", type=click.Path(file_okay=False, path_type=Path), default=None,
                     help="Knowledge-base folder to use instead of the app's (GRAPH_DATA, set by ADVISOR_GRAPH_DATA).")


def _knowledge_base(path: Path | None) -> tuple[KnowledgeBase, str]:
    """The knowledge base at path, or the app's; a broken one ends the command with its file and field."""
    where = str(path) if path is not None else current_app.config["GRAPH_DATA"]
    try:
        if path is not None:
            return load_for_app(path), where
        error = current_app.extensions.get("advisor.kb_error")
        if error is not None:
            raise error
        return current_app.extensions["advisor.kb"], where
    except KnowledgeBaseError as exc:
        raise click.ClickException(f"the knowledge base in {where} is invalid: {exc.file}: {exc.field}: {exc.message}")


@kb_cli.command("check")
@_PATH
@click.option("--json", "as_json", is_flag=True, help="Print the summary as JSON.")
@click.option("--fail-if-stale", is_flag=True,
              help="Exit non-zero when the review date is older than ADVISOR_KB_MAX_AGE_DAYS allows.")
def check(path: Path | None, as_json: bool, fail_if_stale: bool) -> None:
    """Validate the knowledge base and summarise it; exits non-zero naming the file and field of the first error."""
    kb, where = _knowledge_base(path)
    facts = summary(kb)
    max_age = current_app.config["KB_MAX_AGE_DAYS"]
    warning = staleness_warning(kb.reviewed_on, today(), max_age)
    facts["staleness"] = {"age_days": (today() - kb.reviewed_on).days, "max_age_days": max_age,
                          "stale": warning is not None}
    if as_json:
        click.echo(json.dumps(facts, indent=2, sort_keys=True))
    else:
        click.echo(_text(where, facts))
    if warning is not None:
        click.echo(f"warning: {warning['message']}", err=True)
        if fail_if_stale:
            click.get_current_context().exit(1)


def _text(where: str, facts: dict) -> str:
    counts, age = facts["counts"], facts["staleness"]
    lines = [
        f"The knowledge base in {where} is valid.",
        f"Version {facts['version']}, reviewed on {facts['reviewed_on']} "
        f"({age['age_days']} days ago; {age['max_age_days']} allowed).",
        f"{_count(counts['layers'], 'layer')}, {_count(counts['services'], 'service')} "
        f"({counts['default_services']} ranked by default), {_count(counts['incidents'], 'incident')}, "
        f"{_count(counts['limits'], 'limit')}, {_count(counts['overlays'], 'overlay')}; "
        f"{_count(counts['cited_facts'], 'cited fact')} from {_count(counts['distinct_sources'], 'source')}.",
        "Team burden per service (hours a month, patching staff):",
    ]
    width = max(len(s["id"]) for s in facts["services"])
    for s in facts["services"]:
        marker = "default" if s["default"] else "       "
        lines.append(f"  {s['id']:<{width}}  {s['burden_hours_per_month']:6.1f} h  {s['patching_staff_needed']:4.2f}"
                     f"  {marker}  {s['file']}")
    for overlay in facts["overlays"]:
        lines.append(f"Overlay {overlay['id']} ({overlay['file']}): {overlay['name']}")
        names = {p["id"]: p["name"] for p in overlay["parties"]}
        for move in overlay["moves"]:
            lines.append(f"  on {move['service']}, {names[move['party']]} takes {', '.join(move['layers'])} "
                         f"({move['team_hours_moved']:g} team hours a month)")
    for calibration in facts.get("calibrations", []):
        lines.append(f"Calibration {calibration['id']} ({calibration['file']}): {calibration['name']}")
        lines.append("  " + ", ".join(f"{layer} {hours:g} h" for layer, hours in calibration["layers"].items()))
    return "\n".join(lines)


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}{'' if n == 1 else 's'}"


_WRITERS = {
    "json": lambda kb: json.dumps(node_link(kb), indent=2, ensure_ascii=False) + "\n",
    "graphml": graphml_text,
    "dot": dot_text,
}


@kb_cli.command("export")
@_PATH
@click.option("--format", "fmt", type=click.Choice(sorted(_WRITERS)), default="json", show_default=True,
              help="json: node-link JSON; graphml: for graph tools; dot: for Graphviz diagrams.")
@click.option("--output", "-o", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="File to write; standard output when left out.")
def export(path: Path | None, fmt: str, output: Path | None) -> None:
    """Export the knowledge graph, every fact with its source, as node-link JSON, GraphML or DOT."""
    kb, _ = _knowledge_base(path)
    text = _WRITERS[fmt](kb)
    if output is None:
        click.echo(text, nl=False)
    else:
        output.write_text(text, encoding="utf-8")
        click.echo(f"Wrote {fmt} ({len(text.encode()):,} bytes) to {output}.", err=True)
