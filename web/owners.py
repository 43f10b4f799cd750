"""Owners and actors in words: AWS, the team, or an organisation's named internal party.

A knowledge snapshot records each layer's owner as ``aws``, ``customer`` or
``shared``; under an organisation overlay a layer the party took over reads
``party:<id>`` (a shared layer stays ``shared`` and names the party that took
the team's part). An incident's ``who_acts`` says ``aws``, ``team`` or
``both``, and under an overlay lists every ``actors``. Reports made before
overlays existed, or by a newer knowledge base, may hold other values: those
are shown as written, never an error.
"""
from __future__ import annotations

__all__ = ["party_names", "owner_kind", "owner_label", "actors", "actor_name", "actors_label", "actors_kind",
           "KIND_NAMES"]

# What each kind of cell means, for legends and chart descriptions.
KIND_NAMES = {"customer": "Team", "shared": "Shared", "aws": "AWS", "none": "Not used"}
_ACTOR_ORDER = {"aws": 0, "team": 2}


def _humane(value: str) -> str:
    """An id as words: 'platform_team' → 'Platform team'."""
    words = str(value).replace("_", " ").replace("-", " ").strip()
    return words[:1].upper() + words[1:] if words else "Not recorded"


def party_names(result: dict) -> dict[str, str]:
    """Party id → name, from the snapshot's overlay, the result's overlay and the ranked layers parties took."""
    names: dict[str, str] = {}
    overlays = ((result.get("knowledge") or {}).get("overlay"), result.get("overlay"))
    for overlay in overlays:
        if isinstance(overlay, dict):
            for party in overlay.get("parties", []):
                names.setdefault(party["id"], party.get("name") or _humane(party["id"]))
    for entry in result.get("ranking", []):
        for item in entry.get("party_owns", []):
            names.setdefault(item["party"], item.get("party_name") or _humane(item["party"]))
    return names


def _party_name(party_id: str, names: dict[str, str]) -> str:
    return names.get(party_id) or _humane(party_id)


def owner_kind(cell: dict) -> str:
    """aws, customer, shared (team and AWS), party, party-shared (a party and AWS) or other."""
    owner = cell.get("owner")
    if owner in ("aws", "customer", "none"):
        return owner
    if owner == "shared":
        return "party-shared" if cell.get("party") else "shared"
    if isinstance(owner, str) and owner.startswith("party:"):
        return "party"
    return "other"


def owner_label(cell: dict, names: dict[str, str]) -> str:
    """The owner of one matrix cell in words: 'Team', 'AWS', 'Shared', 'Platform team', 'Platform team + AWS'."""
    kind = owner_kind(cell)
    if kind in KIND_NAMES:
        return KIND_NAMES[kind]
    if kind == "party":
        return cell.get("party_name") or _party_name(cell["owner"].removeprefix("party:"), names)
    if kind == "party-shared":
        return f"{cell.get('party_name') or _party_name(cell['party'], names)} + AWS"
    return _humane(cell.get("owner") or "")


def actors(who: dict) -> list[str]:
    """Everyone who must act, AWS first and the team last: 'aws', 'party:<id>', 'team' (or any other value)."""
    named = who.get("actors")
    if not named:
        acts = who.get("acts")
        named = ["aws", "team"] if acts == "both" else [acts] if acts else []
    return sorted(dict.fromkeys(named), key=lambda a: _ACTOR_ORDER.get(a, 1))


def actor_name(actor: str, names: dict[str, str]) -> str:
    """'AWS', 'the team' or the party's name."""
    if actor == "aws":
        return "AWS"
    if actor == "team":
        return "the team"
    return _party_name(actor.removeprefix("party:"), names)


def actors_label(who: dict, names: dict[str, str]) -> str:
    """Who must act, as a sentence: 'AWS acts', 'The team acts', 'AWS and Platform team act'."""
    people = [actor_name(a, names) for a in actors(who)]
    if not people:
        return "Nobody acts"
    text = people[0] if len(people) == 1 else ", ".join(people[:-1]) + " and " + people[-1]
    return text[:1].upper() + text[1:] + (" acts" if len(people) == 1 else " act")


def actors_kind(who: dict) -> str:
    """For styling: team (the team alone), both (the team and others), party (a party, not the team), aws, other."""
    present = actors(who)
    if "team" in present:
        return "team" if len(present) == 1 else "both"
    if any(a.startswith("party:") for a in present):
        return "party"
    return "aws" if present == ["aws"] else "other"
