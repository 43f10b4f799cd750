"""The review command for pipelines: ``flask --app app review FILE… --team team.json [--format text|md|json]
[--fail-on not-first,over-capacity,fragile,blocked]``.

Each FILE is a Terraform plan (``terraform show -json``) or ``.tf`` file, a CloudFormation/SAM template
(a CDK app's synthesised template too), an ECS task definition or Kubernetes manifests; the format is told
from the name and the content. ``team.json`` holds the team's profile fields (security_hours_per_month,
patching_staff, customisation, isolation unless the files show dedicated tenancy) and any overrides.

Exit status: 0 when none of the --fail-on conditions holds, 2 when one does (the reasons on stderr),
1 on bad input (a file or option that cannot be used, said on stderr).
"""
from __future__ import annotations

import json
import textwrap
from pathlib import Path

import click
from flask.cli import with_appcontext

from advisor import ProfileError
from advisor.errors import InvalidProfileError, SourceFileError
from advisor.iac import FORMATS, Source, detect_format
from advisor.review import FAIL_ON, failed_conditions, review_files
from schemas.iac import WORKLOAD_FIELDS, check_overrides

from .profile_files import read_profile_file as read_team_file
from .extensions import advisor
from .messages import field_messages
from .problems import invalid_detail
from .review_markdown import render_review_markdown

__all__ = ["review_command", "render_review_text", "EXIT_OK", "EXIT_FAILED", "EXIT_BAD_INPUT"]

EXIT_OK, EXIT_BAD_INPUT, EXIT_FAILED = 0, 1, 2


class _BadInputIsOne(click.Command):
    """Usage errors (a missing --team, an unknown option) exit 1 like other bad input: 2 means a gate failed."""

    def make_context(self, info_name, args, parent=None, **extra):
        try:
            return super().make_context(info_name, args, parent=parent, **extra)
        except click.UsageError as exc:
            exc.exit_code = EXIT_BAD_INPUT
            raise


def _fail_on(ctx, param, value: str) -> list[str]:
    names = [name.strip() for name in value.split(",") if name.strip()]
    unknown = [name for name in names if name not in FAIL_ON]
    if unknown:
        raise click.BadParameter(f"{', '.join(unknown)} is not one of {', '.join(FAIL_ON)}.")
    return names


def _source(path: Path) -> Source:
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise click.ClickException(f"{path}: no such file.") from None
    except IsADirectoryError:
        raise click.ClickException(f"{path}: a folder; give the infrastructure files themselves.") from None
    except OSError as exc:
        raise click.ClickException(f"{path}: cannot be read ({exc.strerror or exc}).") from None
    fmt = detect_format(path.name, raw[:5_000_000].decode("utf-8", errors="replace"))
    if fmt is None:
        raise click.ClickException(f"{path}: not a format the review reads ({', '.join(FORMATS)}); Terraform "
                                   "plans are read as `terraform show -json` prints them.")
    return Source(fmt, raw, str(path))


@click.command("review", cls=_BadInputIsOne)
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--team", "team_file", required=True, type=click.Path(path_type=Path),
              help="JSON file with the team's profile fields (hours, patching staff, customisation, isolation).")
@click.option("--format", "fmt", type=click.Choice(["text", "md", "json"]), default="text", show_default=True,
              help="text for a terminal, md for a pull-request comment, json as the API answers.")
@click.option("--fail-on", "fail_on", default="", metavar="CONDITIONS", callback=_fail_on,
              help=f"Comma-separated: {', '.join(FAIL_ON)}. Exit 2 when one of them holds.")
@with_appcontext
def review_command(files: tuple[Path, ...], team_file: Path, fmt: str, fail_on: list[str]) -> None:
    """Review the service the infrastructure FILES run on, for the team in --team."""
    team = read_team_file(team_file)  # a ProfileFileError names the file and exits 1
    files_read = [_source(path) for path in files]
    try:
        check_overrides(team)
        result = review_files(advisor(), files_read, team, WORKLOAD_FIELDS)
    except SourceFileError as exc:
        raise click.ClickException(str(exc)) from None
    except ProfileError as exc:
        fields = field_messages(exc.errors)
        listing = "".join(f"\n  {field}: {' '.join(texts)}" for field, texts in sorted(fields.items()))
        detail = (exc.detail if isinstance(exc, InvalidProfileError) else None) or invalid_detail(exc.errors)
        raise click.ClickException(f"{team_file}: {detail}{listing}") from None
    if fmt == "json":
        click.echo(json.dumps(result, indent=2, sort_keys=True))
    elif fmt == "md":
        click.echo(render_review_markdown(result), nl=False)
    else:
        click.echo(render_review_text(result))
    reasons = failed_conditions(result["verdict"], fail_on)
    for reason in reasons:
        click.echo(f"review failed on {reason}", err=True)
    if reasons:
        click.get_current_context().exit(EXIT_FAILED)


def render_review_text(result: dict, width: int = 88) -> str:
    """The review for a terminal: the verdict, each service in use against first place, where values came from."""
    wrap = textwrap.TextWrapper(width=width, subsequent_indent="  ")
    verdict = result["verdict"]
    names = {entry["service"]: entry["name"] for entry in result["recommendation"]["ranking"]}
    lines = wrap.wrap(f"Verdict: {verdict['summary']}")
    for comparison in result["comparisons"]:
        state = f"{comparison['score']:.1f} points" if comparison["eligible"] else "ruled out"
        lines.append(f"In use: {comparison['name']}: rank {comparison['rank']}, {state}, team owns "
                     f"{comparison['burden_hours_per_month']:g} hours a month")
        for blocker in comparison["blockers"]:
            lines += wrap.wrap(f"  Blocked: {blocker['sentence']}. {blocker['unblock']}")
        change = comparison["change_to_first"]
        if change:
            handed = ", ".join(layer["name"] for layer in change["handed_to_aws"]) or "nothing"
            taken = ", ".join(layer["name"] for layer in change["taken_back"]) or "nothing"
            lines += wrap.wrap(f"  Moving to {names[change['to']]}: handed to AWS: {handed}; taken back: {taken}; "
                               f"team hours a month {change['burden_change_hours_per_month']:+g}.")
    if verdict["first"]:
        first = next(e for e in result["recommendation"]["ranking"] if e["service"] == verdict["first"])
        lines.append(f"First place: {first['name']}: {first['score']:.1f} points, team owns "
                     f"{first['burden_hours_per_month']:g} hours a month (has "
                     f"{first['capacity_hours_per_month']:g}); first place is {verdict['firmness']}")
    lines.append("Where the workload came from:")
    for entry in result["provenance"]:
        value = names.get(entry["value"], entry["value"]) if entry["field"] == "current_services" else entry["value"]
        lines.append(f"  {entry['field']} = {value}  ({entry['source']}: {entry['resource']}, {entry['attribute']})")
    for item in result["unsupported"]:
        lines.append(f"  not read: {item['resource']} ({item['type']}) in {item['source']}")
    for item in result["unresolved"]:
        lines += wrap.wrap(f"  unresolved: {item['resource']} {item['attribute']} in {item['source']}: "
                           f"{item['reason']}")
    for warning in result.get("warnings", []):
        lines += wrap.wrap(f"Warning: {warning['message']}")
    return "\n".join(lines)
