"""The command line: ``flask --app app advise PROFILE.json [--format text|md|json]``.

Each profile file is read, validated by the same schema as the API and
ranked; the recommendation is printed as readable text, as the Markdown
decision record, or as the API's JSON. A file that cannot be used gives a
message naming the file and what is wrong with it, and a non-zero exit.
"""
from __future__ import annotations

import json
import shutil
import textwrap
from datetime import datetime, timezone
from pathlib import Path

import click
from flask.cli import with_appcontext

from advisor import ProfileError
from advisor.snapshot import knowledge_snapshot

from .api import knowledge_base, recommend
from .jsonbody import loads_strict
from .markdown_report import render_markdown
from .problems import ApiProblem
from .report_model import chosen_service, num, overlay_summary, party_groups
from .validation import field_messages

__all__ = ["advise", "advise_file", "render_text", "ProfileFileError"]


class ProfileFileError(click.ClickException):
    """A profile file that cannot be read or is not a valid profile; exits with status 1."""

    def __init__(self, path: Path, problem: str):
        super().__init__(f"{path}: {problem}")


def _read_profile(path: Path) -> dict:
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise ProfileFileError(path, "no such file.") from None
    except IsADirectoryError:
        raise ProfileFileError(path, "a folder, not a profile file; give the path of one JSON profile.") from None
    except OSError as exc:
        raise ProfileFileError(path, f"cannot be read ({exc.strerror or exc}).") from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ProfileFileError(path, f"not UTF-8 text (byte {exc.start}).") from None
    try:
        data = loads_strict(text)
    except ValueError as exc:
        raise ProfileFileError(path, f"{exc}.") from None
    if not isinstance(data, dict):
        raise ProfileFileError(path, "not a profile: the file must hold one JSON object.")
    return data


def _invalid(path: Path, messages: dict) -> ProfileFileError:
    fields = field_messages(messages)
    listing = "\n".join(f"  {field}: {' '.join(texts)}" for field, texts in sorted(fields.items()))
    noun = "field is" if len(fields) == 1 else "fields are"
    return ProfileFileError(path, f"not a valid profile; {len(fields)} {noun} wrong:\n{listing}")


def advise_file(path: Path) -> dict:
    """The recommendation for one profile file, with the knowledge snapshot a report needs."""
    data = _read_profile(path)
    try:
        result = recommend(data)
    except ApiProblem as exc:
        if exc.status != 422 or not exc.errors:
            raise ProfileFileError(path, exc.detail) from None
        raise _invalid(path, exc.errors) from None
    except ProfileError as exc:  # valid in shape, but names services the knowledge base does not hold
        raise _invalid(path, exc.errors) from None
    services = tuple(entry["service"] for entry in result["ranking"])
    overlay = result["profile"].get("overlay")
    return {**result, "knowledge": knowledge_snapshot(knowledge_base(), services, overlay)}


def render_text(result: dict, width: int = 88) -> str:
    """A readable ranking for a terminal: each service with its score, hours, reasons and blockers.

    Any warning (a stale knowledge base) follows the two heading lines; with an organisation
    overlay, each service also says what its internal party takes.
    """
    profile = result["profile"]
    wrap = textwrap.TextWrapper(width=width, initial_indent="   - ", subsequent_indent="     ")
    lines = [f"{profile.get('name') or 'Unnamed application'}: {num(profile['security_hours_per_month'])} security "
             f"hours a month, {profile['patching_staff']} patching staff, {profile['customisation']} customisation, "
             f"{profile['isolation']} isolation",
             f"Knowledge base {result['knowledge_base_version']}"]
    for warning in result.get("warnings", []):
        lines += textwrap.wrap(f"Warning: {warning['message']}", width=width, subsequent_indent="  ")
    overlay = overlay_summary(result)
    if overlay:
        parties = " and ".join(overlay["parties"])
        lines += textwrap.wrap(f"Three parties: AWS, {parties} and the team. The organisation overlay "
                               f"\"{overlay['name']}\" gives {parties} layers the team would otherwise own; the "
                               "team's hours count only what is still the team's.", width=width)
    lines.append("")
    for entry in result["ranking"]:
        state = f"{entry['score']:.1f} points" if entry["eligible"] else "ruled out"
        taken = "".join(f"; {g['name']} takes {num(g['hours'])} hours off the team" for g in party_groups(entry))
        lines.append(f"{entry['rank']}. {entry['name']}: {state}, team owns {num(entry['burden_hours_per_month'])} "
                     f"hours a month (has {num(entry['capacity_hours_per_month'])}){taken}")
        for blocker in entry["blockers"]:
            lines += textwrap.wrap(f"Blocked: {blocker['sentence']}. {blocker['unblock']}", width=width,
                                   initial_indent="   ! ", subsequent_indent="     ")
        for reason in entry["reasons"]:
            lines += wrap.wrap(reason)
        lines.append("")
    chosen = chosen_service(result)
    lines.append(f"Recommended: {chosen['name']}." if chosen else
                 "No service fits: every one is ruled out by a hard limit (see the blockers above).")
    return "\n".join(lines) + "\n"


def _render(result: dict, fmt: str) -> str:
    if fmt == "json":
        api_json = {k: v for k, v in result.items() if k != "knowledge"}
        return json.dumps(api_json, indent=2, sort_keys=True, ensure_ascii=False) + "\n"
    if fmt == "md":
        return render_markdown(result["profile"], result, created_at=datetime.now(timezone.utc))
    columns = shutil.get_terminal_size((88, 24)).columns
    return render_text(result, width=max(60, min(columns, 100)))


@click.command("advise")
@click.argument("profile_file", metavar="PROFILE.json", type=click.Path(path_type=Path))
@click.option("--format", "fmt", type=click.Choice(["text", "md", "json"]), default="text", show_default=True,
              help="text for people at a terminal, md for a Markdown decision record, json for the API's JSON.")
@with_appcontext
def advise(profile_file: Path, fmt: str) -> None:
    """Print the recommendation for the profile in PROFILE.json."""
    click.echo(_render(advise_file(profile_file), fmt), nl=False)
