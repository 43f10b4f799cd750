"""A recommendation as a Markdown architecture decision record, in the shape of MADR.

Title, then MADR's list of status, date and deciders (the layout adr-tools and
Log4brains read: the title on the first line, "- Key: value" items under it);
context and problem statement; decision drivers (the team's capacity, the
application's needs and limits, never its name); considered options (the services); decision outcome (the first
eligible service, with the reasons); pros and cons of each option (what the
team, AWS and any internal party of an organisation overlay would own, hours
against capacity, blockers). How firm the choice is (the robustness label, the
margin over the runner-up and the what-ifs that would change it) follows the
outcome, when the result carries it. The knowledge snapshot, when the result
carries one, adds who acts in each incident. A warning (a stale knowledge base) comes
first, under the title.

What a person typed (the application name, who decides) is escaped so that no Markdown
or HTML in it takes effect: it cannot open a link, a heading, a table cell
or a tag. It only ever stands mid-line, so characters that mean something only at
the start of a line, or only next to others that are escaped, are left alone:
"Payments API (regulated)" stays as typed. Text from the knowledge base is escaped
too, more lightly. Links (the full report, the PDF) come from the public URL.
"""
from __future__ import annotations

import re
import unicodedata
from datetime import datetime

from advisor.text import join_words, plural

from .owners import actors_label, owner_label, party_names
from .report_model import (chosen_service, input_rows, lower_first, num, overlay_summary, party_groups,
                           robustness_summary, source_label)

__all__ = ["render_markdown", "escape_markdown", "escape_name", "escape_prose", "record_filename"]

# Every character that can start Markdown or HTML syntax anywhere in a line,
# plus the ones GitHub gives meaning to (mentions, math, strikethrough).
_STRICT = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>&~$@:])")
# Inline syntax only; block syntax is handled at the start of the text.
_INLINE = re.compile(r"([\\`*_{}\[\]<>&|~$])")
# What can take effect mid-line: inline syntax, entities, a heading's closing #s, autolinked
# addresses and mentions.
_MID_LINE = re.compile(r"([\\`*_{}\[\]<>&|~$#@:])")
# A line that starts a block: a heading, quote, bullet or underline character, or an ordered-list number (whose
# delimiter is what gets escaped: a backslash before a digit is not an escape and would show).
_BLOCK_START = re.compile(r"^(\s*)(?:([#>+\-=])|(\d{1,9})([.)])(?=\s|$))")
_SAFE_URL = re.compile(r"https?://[A-Za-z0-9.-]+(:\d+)?(/[A-Za-z0-9._~%!$&'()*+,;=:@/-]*)?(\?[A-Za-z0-9._~%!$&'()*+,;=:@/?-]*)?"
                       r"(#[A-Za-z0-9._~%!$&'()*+,;=:@/?-]*)?")


def _one_line(text: str) -> str:
    return " ".join(str(text).split())


def escape_markdown(text: str) -> str:
    """Escape text a person typed so that it shows literally: every Markdown and HTML metacharacter."""
    return _STRICT.sub(r"\\\1", _one_line(text))


def escape_name(text: str) -> str:
    """Escape text a person typed for the middle of a line (a title, a sentence): it shows literally."""
    return _MID_LINE.sub(r"\\\1", _one_line(text))


def record_filename(name: str | None, created_at: datetime | None) -> str:
    """The file name a team commits the record under: 0001-<application>-compute-platform-<date>.md.

    0001 is where adr-tools and Log4brains look for a number; the team gives it its next one.
    """
    ascii_name = unicodedata.normalize("NFKD", name or "").encode("ascii", "ignore").decode()
    slug = "-".join(re.findall(r"[a-z0-9]+", ascii_name.lower()))[:60].strip("-") or "application"
    date = f"-{created_at.date().isoformat()}" if created_at else ""
    return f"0001-{slug}-compute-platform{date}.md"


def _drivers(profile: dict, result: dict) -> list[str]:
    """The team's capacity, the application's needs and limits and the chosen effort figures: what decides."""
    left_out = ("Application name", "Services compared")  # a label, and the considered options
    return [f"* {label}: {escape_prose(value)}" for label, value in input_rows(profile, result)
            if label not in left_out]


def escape_prose(text: str) -> str:
    """Escape trusted prose (the knowledge base) so it cannot form tags, links, emphasis or table cells."""
    escaped = _INLINE.sub(r"\\\1", _one_line(text))
    return _BLOCK_START.sub(_escape_block_start, escaped)


def _escape_block_start(match: re.Match) -> str:
    indent, marker, digits, delimiter = match.groups()
    return f"{indent}\\{marker}" if marker else f"{indent}{digits}\\{delimiter}"


def _link(source: str) -> str:
    if source == "seed":
        return escape_prose(source_label(source))
    if _SAFE_URL.fullmatch(source):
        return f"<{source}>"
    return escape_prose(source)


_WARNING_TITLES = {"capacity": "first place does not fit the team's capacity.",
                   "limits": "no recommendation.",
                   "knowledge": "the AWS facts behind this record may be out of date."}


def _names(items: list[dict], hours: bool = False, shared: str = "shared") -> str:
    parts = []
    for item in items:
        text = escape_prose(lower_first(item["name"]))
        notes = ([shared] if item.get("owner") == "shared" else []) + \
            ([f"{num(item['hours_per_month'])} h"] if hours and item.get("hours_per_month") else [])
        if notes:
            text += f" ({', '.join(notes)})"
        parts.append(text)
    return ", ".join(parts) or "nothing"


def _pros_and_cons(entry: dict, capacity: float, patching_staff: int) -> list[str]:
    lines = [f"* Good, because AWS owns {_names(entry['aws_owns'])}."]
    burden = entry["burden_hours_per_month"]
    split = ""
    if "platform_hours_per_month" in entry:
        split = (f" ({num(entry['platform_hours_per_month'])} on the platform, "
                 f"{num(entry['application_hours_per_month'])} on the application's own work)")
    if burden <= capacity:
        lines.append(f"* Good, because the team's {num(burden)} hours a month of security work{split} fit within "
                     f"the {num(capacity)} it has.")
    else:
        lines.append(f"* Bad, because the team's {num(burden)} hours a month of security work{split} are "
                     f"{num(round(burden - capacity, 2))} more than the {num(capacity)} it has.")
    for gap in entry.get("needs_gaps", []):
        lines.append(f"* Bad, because {escape_prose(gap['sentence'].removesuffix('.'))}.")  # starts with a name
    need = entry["patching_staff_needed"]
    if need == 0:
        lines.append("* Good, because no patching staff is needed.")
    elif patching_staff >= need:
        lines.append(f"* Good, because the {num(patching_staff)} patching staff cover the {num(need)} needed.")
    else:
        lines.append(f"* Bad, because it needs {num(need)} patching staff and the team has {num(patching_staff)}.")
    for group in party_groups(entry):
        taken = _names(group["layers"], True, "shared with AWS")
        lines.append(f"* Good, because {escape_prose(group['name'])} takes {taken} off the team: "
                     f"{num(group['hours'])} hours a month the team does not carry.")
    lines.append(f"* Bad, because the team owns {_names(entry['team_owns'], hours=True)}.")
    for blocker in entry["blockers"]:
        lines.append(f"* Bad, because it is ruled out: {escape_prose(blocker['sentence'])}. "
                     f"{escape_prose(blocker['unblock'])} (source: {_link(blocker['source'])})")
    return lines


def _firmness(result: dict) -> list[str]:
    """How firm the first place is: label, margin, the label's cut-offs and the what-ifs by group."""
    summary = robustness_summary(result)
    if summary is None:  # saved before recommendations carried robustness
        return []
    lines = ["", "### How Firm the Choice Is", "",
             f"**{escape_prose(summary['label_name'])}.** {escape_prose(summary['headline'])} "
             f"{escape_prose(summary['cut_offs'])}", ""]
    if not summary["groups"]:
        return lines + ["No change to a single answer, within the values it can take, would put another service "
                        "first."]
    lines.append("What would put another service first, each answer changed on its own with the others kept as "
                 "they are:")
    for group in summary["groups"]:
        lines += ["", f"{escape_prose(group['title'])}:", ""]
        lines += [f"* {escape_prose(sentence)}" for sentence in group["sentences"]]
    return lines


def _party_of(cell: dict, parties: dict[str, str]) -> str:
    return owner_label(cell, parties).removesuffix(" + AWS")


def _incidents(knowledge: dict, parties: dict[str, str]) -> list[str]:
    names = {s["id"]: s["name"] for s in knowledge["services"]}
    layer_names = {layer["id"]: layer["name"] for layer in knowledge["layers"]}
    lines = ["### What happens when…", ""]
    for incident in knowledge["incidents"]:
        lines += [f"#### {escape_prose(incident['name'])}", "",
                  f"{escape_prose(incident['description'])} {escape_prose(incident['note'])} "
                  f"(source: {_link(incident['source'])})", ""]
        lines += ["| Service | Who must act | Team layers hit | Layers another party took over |",
                  "| --- | --- | --- | --- |"] if parties else \
            ["| Service | Who must act | Team layers hit |", "| --- | --- | --- |"]
        for sid, who in incident["who_acts"].items():
            team = ", ".join(escape_prose(layer_names.get(l, l)) for l in who.get("team_layers", [])) or "none"
            row = f"| {escape_prose(names.get(sid, sid))} | {escape_prose(actors_label(who, parties))} | {team} |"
            if parties:
                taken = [f"{layer_names.get(l, l)} ({_party_of(knowledge['matrix'].get(l, {}).get(sid, {}), parties)})"
                         for l in who.get("party_layers", [])]
                row += f" {', '.join(escape_prose(t) for t in taken) or 'none'} |"
            lines.append(row)
        lines.append("")
    return lines


def render_markdown(profile: dict, result: dict, *, created_at: datetime | None = None,
                    assessment_id: str | None = None, report_url: str | None = None,
                    pdf_url: str | None = None, deciders: str | None = None,
                    warnings: list[dict] | None = None) -> str:
    """The recommendation as a MADR decision record; ``result`` is the API's recommendation JSON.

    ``warnings`` default to the result's own ``warnings`` (a POST /api/v1/recommendations answer has them).
    ``report_url`` and ``pdf_url`` (absolute, from the public URL) go under Links; ``deciders`` names who
    saved the assessment, when known.

    Examples
    --------
    >>> text = render_markdown(profile, result)  # doctest: +SKIP
    >>> text.splitlines()[0]  # doctest: +SKIP
    '# Choose the compute platform for Payments API'
    """
    name = profile.get("name")
    subject = escape_name(name) if name else "the application"
    capacity, staff = profile["security_hours_per_month"], profile["patching_staff"]
    ranking = result["ranking"]
    chosen = chosen_service(result)
    knowledge = result.get("knowledge")
    lines = [f"# Choose the compute platform for {subject}", "",
             "- Status: proposed",
             f"- Date: {created_at.date().isoformat() if created_at else 'not saved'}"]
    if deciders:
        lines.append(f"- Deciders: {escape_name(deciders)}")
    lines.append(f"- Knowledge base: version {escape_prose(result['knowledge_base_version'])}"
                 + (f", reviewed {escape_prose(knowledge['reviewed_on'])}" if knowledge else ""))
    if assessment_id:
        lines.append(f"- Assessment: {escape_prose(assessment_id)}")
    own = [w for w in result.get("warnings", []) if w.get("type", "knowledge") != "knowledge"]
    for warning in own + [w for w in (result.get("warnings", []) if warnings is None else warnings)
                          if w.get("type", "knowledge") == "knowledge"]:
        lines += ["", f"> **Warning: {_WARNING_TITLES.get(warning.get('type'), _WARNING_TITLES['knowledge'])}** "
                      f"{escape_prose(warning['message'])}"]
        for change in warning.get("nearest_changes", []):
            lines.append(f"> * {escape_prose(change['sentence'])}")
    overlay = overlay_summary(result)
    parties = party_names(result)
    lines += ["", "## Context and Problem Statement", "",
              f"Where should {subject} run on AWS, and which security work would the team own there? The team can "
              f"spend {num(capacity)} hours a month on security work and has {num(staff)} "
              f"{'person' if staff == 1 else 'people'} who can patch operating systems and runtimes. This record "
              f"compares {len(ranking)} compute services by the layers of the AWS Shared Responsibility Model the "
              "team would own on each.", ""]
    if overlay:
        who = join_words([escape_prose(p) for p in overlay["parties"]])
        everyone = join_words(["AWS", *(escape_prose(p) for p in overlay["parties"]), "the team"])
        lines += [f"{everyone} share the work. The organisation overlay "
                  f"\"{escape_prose(overlay['name'])}\" gives {who} layers the team would otherwise own; the team's "
                  "hours count only what is still the team's.", ""]
    lines += ["## Decision Drivers", ""]
    lines += _drivers(profile, result)
    lines += ["", "## Considered Options", ""]
    for entry in ranking:
        state = f"{entry['score']:.1f} points" if entry["eligible"] else \
            f"ruled out by {plural(len(entry['blockers']), 'hard limit')}"
        lines.append(f"* {escape_prose(entry['name'])} ({state})")
    lines += ["", "## Decision Outcome", ""]
    if chosen:
        fits = chosen["burden_hours_per_month"] <= capacity and chosen["patching_staff_needed"] <= staff
        outscored = any(e["eligible"] and e["score"] > chosen["score"] for e in ranking)
        lines += [f"Chosen option: \"{escape_prose(chosen['name'])}\", because it "
                  + ("ranks first of the eligible options, with " if outscored else
                     "comes out best of the eligible options, with ")
                  + f"{chosen['score']:.1f} points out of 100"
                  + (" (options that score more rank below it for the reasons that follow)" if outscored else "")
                  + ("" if fits else ", though the team cannot carry it with its current capacity (see the warning)")
                  + ":", ""]
        lines += [f"* {escape_prose(reason)}" for reason in chosen["reasons"]]
        lines += ["", "### Consequences", ""] + _pros_and_cons(chosen, capacity, staff)
    else:
        lines.append("No option is chosen: every considered option is ruled out by a hard limit. The pros and cons "
                     "below say what would make each one eligible.")
    lines += _firmness(result)
    lines += ["", "## Pros and Cons of the Options", ""]
    for entry in ranking:
        lines += [f"### {escape_prose(entry['name'])}", ""]
        lines += [f"Rank {entry['rank']}, {entry['score']:.1f} points." if entry["eligible"] else
                  f"Rank {entry['rank']}, ruled out by {plural(len(entry['blockers']), 'hard limit')}.", ""]
        lines += _pros_and_cons(entry, capacity, staff) + [""]
    lines += ["## More Information", "",
              "Made by the Shared-Responsibility Advisor. Hours are planning assumptions for one typical workload, "
              "not AWS figures; each ownership fact cites its source in the full report.", ""]
    if knowledge:
        lines += _incidents(knowledge, parties)
    links = [f"- {label}: <{url}>" for label, url in (("Full report", report_url), ("PDF", pdf_url))
             if url and _SAFE_URL.fullmatch(url)]
    if links:
        lines += ["## Links", "", *links, ""]
    return "\n".join(lines).rstrip("\n") + "\n"
