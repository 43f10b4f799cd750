"""Owners and actors in words: AWS, the team, or an organisation's named internal party.

advisor.owners reads what a snapshot records (the owner of each layer, who acts in each incident); this
module only words it. Reports made before overlays existed, or by a newer knowledge base, may hold
values this version does not know: those are shown as written, never an error.
"""
from __future__ import annotations

from advisor.owners import AWS, TEAM, actor_party, actors_of, owner_of
from advisor.text import join_words

__all = ["party_names", "owner_kind", "owner_label", "actors", "actor_name", "actors_label", "actors_kind",
           "KIND_NAMES"]

# What each kind of cell means, for legends and chart descriptions.
KIND_NAMES = {"customer": "Team", "shared": "Shared", "aws": "AWS", "none": "Not used"}


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
    return owner_of(cell).kind


def owner_label(cell: dict, names: dict[str, str]) -> str:
    """The owner of one matrix cell in words: 'Team', 'AWS', 'Shared', 'Platform team', 'Platform team + AWS'."""
    owner = owner_of(cell)
    if owner.kind in KIND_NAMES:
        return KIND_NAMES[owner.kind]
    if owner.kind == "party":
        return owner.party_name or _party_name(owner.party, names)
    if owner.kind == "party-shared":
        return f"{owner.party_name or _party_name(owner.party, names)} + AWS"
    return _humane(owner.raw)


def actors(who: dict) -> list[str]:
    """Everyone who must act, AWS first and the team last, as advisor.owners codes them."""
    return actors_of(who)


def actor_name(actor: str, names: dict[str, str]) -> str:
    """'AWS', 'the team' or the party's name."""
    if actor == AWS:
        return "AWS"
    if actor == TEAM:
        return "the team"
    party = actor_party(actor)
    return _party_name(party if party is not None else actor, names)


def actors_label(who: dict, names: dict[str, str]) -> str:
    """Who must act, as a sentence: 'AWS acts', 'The team acts', 'AWS and Platform team act'."""
    people = [actor_name(a, names) for a in actors(who)]
    if not people:
        return "Nobody acts"
    text = join_words(people)
    return text[:1].upper() + text[1:] + (" acts" if len(people) == 1 else " act")


def actors_kind(who: dict) -> str:
    """For styling: team (the team alone), both (the team and others), party (a party, not the team), aws, other."""
    present = actors(who)
    if TEAM in present:
        return "team" if len(present) == 1 else "both"
    if any(actor_party(a) is not None for a in present):
        return "party"
    return "aws" if present == [AWS] else "other"
