"""What the compare page shows: its form's labels and messages, and a comparison in words.

The comparison itself is advisor.compare.compare, the same data GET /api/v1/compare
answers; this module only reads the page's query string and names owners, levels and
actors the way the reports do.
"""
from __future__ import annotations

from marshmallow import ValidationError
from werkzeug.datastructures import MultiDict

from advisor import KnowledgeBase
from advisor.owners import owner_of, split_actors
from schemas.compare import compare_form_schema

from .messages import field_messages
from .owners import actors_label

__all__ = ["LABELS", "FIELDS", "read_compare_form", "comparison_model"]

FIELDS = ("from", "to", "overlay")
LABELS = {"from": "Move from", "to": "Move to", "overlay": "Who else runs part of your platform?"}
SUPPORT = {"yes": "supported", "with_effort": "possible with extra effort", "no": "not offered"}
_UNKNOWN = {"from": "The knowledge base has no service {value!r}. Choose one from the list.",
            "to": "The knowledge base has no service {value!r}. Choose one from the list.",
            "overlay": "The knowledge base has no organisation overlay {value!r}. Choose one from the list."}


def read_compare_form(kb: KnowledgeBase, args: MultiDict) -> tuple[dict | None, dict[str, list[str]], int]:
    """The page's query as (arguments, errors by field, status).

    A missing, blank, repeated or over-long answer is a 400; a service or overlay the knowledge
    base does not hold, a 404. Both name the field, so the page can show the message beside it.
    """
    errors = {name: ["Choose one, not several."] for name in FIELDS if len(args.getlist(name)) > 1}
    if errors:
        return None, errors, 400
    try:
        data, errors = compare_form_schema.load(args.to_dict()), {}
    except ValidationError as exc:
        data = exc.valid_data or {}
        errors = field_messages(exc.messages)  # keyed by the query names: from, to, overlay
    wanted = {"from": (data.get("from_"), kb.services), "to": (data.get("to"), kb.services),
              "overlay": (data.get("overlay") or None, kb.overlays)}
    unknown = {name: [_UNKNOWN[name].format(value=value)] for name, (value, known) in wanted.items()
               if value is not None and name not in errors and value not in known}
    if errors:
        return None, {name: errors.get(name) or unknown[name] for name in FIELDS if name in errors or name in unknown}, 400
    return (None, unknown, 404) if unknown else (data, {}, 200)


def comparison_model(kb: KnowledgeBase, change: dict) -> dict:
    """The comparison as the page words it: owners, levels, support, limits and responders named."""
    overlay = kb.overlays.get(change.get("overlay") or "")
    parties = {party.id: party.name for party in overlay.parties.values()} if overlay else {}
    custom = change["customisation"]
    levels = kb.customisation_levels
    return {
        **change,
        "overlay_name": overlay.name if overlay else None,
        "party_names": list(parties.values()),
        "handed": [_moved(layer, parties) for layer in change["handed_to_aws"]],
        "taken": [_moved(layer, parties) for layer in change["taken_back"]],
        "handed_hours": round(sum(layer["hours_per_month"] for layer in change["handed_to_aws"]), 2),
        "taken_hours": round(sum(layer["hours_per_month"] for layer in change["taken_back"]), 2),
        "customisation_text": _customisation(levels[custom["from"]].name if custom["from"] in levels else custom["from"],
                                             levels[custom["to"]].name if custom["to"] in levels else custom["to"],
                                             custom["change"]),
        "isolation_rows": [{**row, "level_name": kb.isolation_levels[row["level"]].name
                            if row["level"] in kb.isolation_levels else row["level"],
                            "from_text": SUPPORT.get(row["from"], row["from"]),
                            "to_text": SUPPORT.get(row["to"], row["to"])} for row in change["isolation"]],
        # A limit's label names any condition it has (docs/knowledge-base.md), so it is shown as it is.
        "limits_added": change["limits"]["added"],
        "limits_removed": change["limits"]["removed"],
        "incident_rows": [{**row, "from_text": _acts(row["from_acts"], parties),
                           "to_text": _acts(row["to_acts"], parties)} for row in change["incidents"]],
    }


def _owner(layer: dict, side: str, parties: dict[str, str]) -> str:
    owner = owner_of({"owner": layer[f"{side}_owner"], "party_name": layer.get(f"{side}_party_name")})
    if owner.kind == "customer":
        return "The team"
    if owner.kind == "aws":
        return "AWS"
    if owner.kind == "shared":
        return f"Shared: the team’s part {round(layer[f'{side}_team_share'] * 100):g}%, AWS the rest"
    if owner.kind == "party":
        return owner.party_name or parties.get(owner.party, owner.party)
    return owner.raw


def _moved(layer: dict, parties: dict[str, str]) -> dict:
    return {**layer, "from_text": _owner(layer, "from", parties), "to_text": _owner(layer, "to", parties)}


def _customisation(old: str, new: str, change: int) -> str:
    if change == 0:
        return f"The same control beneath the code on both: {old.lower()}."
    more = "more" if change > 0 else "less"
    steps = abs(change)
    return f"{old} to {new}: {steps} level{'s' if steps != 1 else ''} {more} control beneath the code."


def _acts(acts: str, parties: dict[str, str]) -> str:
    return actors_label({"actors": split_actors(acts)}, parties)
