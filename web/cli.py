"""The command line: ``flask --app app advise PROFILE.json... [--format text|md|json] [--output DIR]``.

Each profile file is read, validated by the same schema as the API and
ranked; the recommendation is given as readable text, as the Markdown
decision record, or as the API's JSON. One file is printed to stdout; several
files, or a folder (every ``*.json`` in it, sorted by name), give one report
per profile in an output folder, with a progress bar when stderr is a
terminal. A file that cannot be used gives a message naming the file and
what is wrong with it, the others are still advised, and the exit status is
1 when any file failed.
"""
from __future__ import annotations

import errno
import json
import os
import shutil
import stat
import sys
import textwrap
from datetime import datetime, timezone
from pathlib import Path

import click
from flask.cli import with_appcontext

from advisor import ProfileError
from advisor.text import join_words

from .extensions import advisor
from .markdown_report import render_markdown
from .messages import field_messages
from .profile_files import ProfileFileError, file_kind, read_profile_file, shown
from .report_model import chosen_service, num, overlay_summary, party_groups, robustness_summary

__all__ = ["advise", "advise_file", "render_text", "ProfileFileError", "profile_files", "EXTENSIONS"]

# The file name extension of each output format, when reports are written to a folder.
EXTENSIONS = {"text": ".txt", "md": ".md", "json": ".json"}


def _invalid(path: Path, messages: dict) -> ProfileFileError:
    fields = field_messages(messages)
    listing = "\n".join(f"  {field}: {' '.join(texts)}" for field, texts in sorted(fields.items()))
    noun = "field is" if len(fields) == 1 else "fields are"
    return ProfileFileError(path, f"not a valid profile; {len(fields)} {noun} wrong:\n{listing}")


def advise_file(path: Path) -> dict:
    """The recommendation for one profile file, with the knowledge snapshot a report needs."""
    data = read_profile_file(path)
    try:
        return advisor().recommend(data, with_knowledge=True)
    except ProfileError as exc:
        raise _invalid(path, exc.errors) from None


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
        parties = join_words(overlay["parties"])
        everyone = join_words(["AWS", *overlay["parties"], "the team"])
        lines += textwrap.wrap(f"{everyone} share the work. The organisation overlay "
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
    firmness = robustness_summary(result)
    if firmness:
        lines += ["", *textwrap.wrap(f"How firm: {firmness['label_name']}. {firmness['headline']} "
                                     f"{firmness['cut_offs']}", width=width)]
        for group in firmness["groups"]:
            lines.append(f"{group['title']}:")
            for sentence in group["sentences"]:
                lines += wrap.wrap(sentence)
    return "\n".join(lines) + "\n"


def _render(result: dict, fmt: str) -> str:
    if fmt == "json":
        api_json = {k: v for k, v in result.items() if k != "knowledge"}
        return json.dumps(api_json, indent=2, sort_keys=True, ensure_ascii=False) + "\n"
    if fmt == "md":
        return render_markdown(result["profile"], result, created_at=datetime.now(timezone.utc))
    columns = shutil.get_terminal_size((88, 24)).columns
    return render_text(result, width=max(60, min(columns, 100)))


def profile_files(paths: tuple[Path, ...]) -> tuple[list[Path], list[str]]:
    """The profile files to advise on, and a problem for each folder holding none.

    Each file given counts, and every *.json file in each folder given, sorted by name; a path
    named twice is advised once.
    """
    files: list[Path] = []
    problems: list[str] = []
    for path in paths:
        if path.is_dir():
            found = []
            for entry in sorted(path.glob("*.json"), key=lambda p: p.name):
                try:
                    mode = entry.stat().st_mode
                except OSError:
                    problems.append(f"{shown(entry)}: skipped: a link to nothing.")
                    continue
                if stat.S_ISREG(mode):
                    found.append(entry)
                else:
                    problems.append(f"{shown(entry)}: skipped: {file_kind(mode)}, not a profile file.")
            if not found:
                problems.append(f"{shown(path)}: a folder without profile files (*.json).")
            files += found
        else:
            files.append(path)
    return list(dict.fromkeys(files)), problems


def _output_names(files: list[Path], folder: Path, fmt: str) -> list[Path]:
    """One output file per input, named after it; a name already given to another input gets -2, -3, ... so no
    report replaces another (a.json twice and a-2.json give a, a-2 and a-2-2)."""
    given: set[str] = set()
    names = []
    for path in files:
        name, number = path.stem, 1
        while name.casefold() in given:
            number += 1
            name = f"{path.stem}-{number}"
        given.add(name.casefold())
        names.append(folder / f"{name}{EXTENSIONS[fmt]}")
    return names


def _write_report(target: Path, text: str) -> None:
    """Write a report without following a symbolic link at its name (which could point anywhere)."""
    try:
        fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | os.O_NOFOLLOW, 0o644)
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            raise OSError(errno.ELOOP, "a symbolic link is there; it is not followed") from None
        raise
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(text)


def _advise_into(folder: Path, files: list[Path], problems: list[str], fmt: str) -> int:
    """Write one report per profile file into folder; report each bad file and folder; the number that failed."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise click.ClickException(f"{shown(folder)}: cannot make the output folder ({exc.strerror or exc}).") from None
    inputs = {path.resolve() for path in files}
    problems = list(problems)
    written: list[Path] = []
    stderr = sys.stderr
    jobs = list(zip(files, _output_names(files, folder, fmt)))
    # The bar goes to stderr and only to a terminal: scripts and pipes get clean output.
    with click.progressbar(jobs, label="Advising", file=stderr, hidden=not stderr.isatty(),
                           item_show_func=lambda job: job[0].name if job else None) as bar:
        for path, target in bar:
            try:
                if target.resolve() in inputs:
                    raise ProfileFileError(path, f"its report would overwrite the profile {shown(target)}; choose "
                                                 "another --output folder.")
                text = _render(advise_file(path), fmt)
                _write_report(target, text)
                written.append(target)
            except ProfileFileError as exc:
                problems.append(exc.format_message())
            except OSError as exc:
                problems.append(f"{shown(path)}: the report could not be written to {shown(target)} "
                                f"({exc.strerror or exc}).")
    noun = "report" if len(written) == 1 else "reports"
    click.echo(f"Wrote {len(written)} {noun} to {shown(folder)}{'/' if not str(folder).endswith('/') else ''}"
               f"{':' if written else '.'}")
    for target in written:
        click.echo(f"  {shown(target)}")
    for problem in problems:
        click.echo(f"Error: {problem}", err=True)
    if problems:
        click.echo(f"{len(problems)} failed; {len(written)} of {len(files)} profile file{'s' if len(files) != 1 else ''} "
                   "advised.", err=True)
    return len(problems)


@click.command("advise")
@click.argument("paths", metavar="PROFILE.json|FOLDER...", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--format", "fmt", type=click.Choice(["text", "md", "json"]), default="text", show_default=True,
              help="text for people at a terminal, md for a Markdown decision record, json for the API's JSON.")
@click.option("--output", "output", type=click.Path(path_type=Path, file_okay=False), default=None,
              help="Folder for the reports when advising on several profiles (default: ./advice); each report is "
                   "named after its profile file, with .txt, .md or .json, and replaces one of that name.")
@with_appcontext
def advise(paths: tuple[Path, ...], fmt: str, output: Path | None) -> None:
    """Advise on each profile: one file to stdout, several files or a folder to one report per profile.

    A folder stands for every *.json file in it, sorted by name. A bad file is reported with its name
    and what is wrong, the others are still advised, and the exit status is then 1.
    """
    if len(paths) == 1 and output is None and not paths[0].is_dir():
        click.echo(_render(advise_file(paths[0]), fmt), nl=False)
        return
    files, problems = profile_files(paths)
    if _advise_into(output or Path("advice"), files, problems, fmt):
        click.get_current_context().exit(1)
