"""Who owns a layer and who acts in an incident: AWS, the team, or an organisation's internal party.

One model for two and three parties. Answers and saved snapshots keep their established encodings: a
layer's owner is ``aws``, ``customer``, ``shared`` or ``party:<id>`` (a shared layer a party took over
stays ``shared`` and names the party beside it); an actor is ``aws``, ``team`` or ``party:<id>``; a
comparison joins the actors of one side with ``+`` (``both`` for AWS and the team). This module is the
one place that writes and reads them; the reports and pages ask it, never the strings.
"""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

__all__ = ["AWS", "TEAM", "CUSTOMER", "SHARED", "NONE", "OWNERS", "Owner", "owner_of", "party_owner", "party_actor", "actor_party", "actors_of",
           "join_actors", "split_actors", "two_party_acts"]

AWS = "aws"
TEAM = "team"
CUSTOMER = "customer"  # the team, as a layer's owner
SHARED = "shared"  # the team and AWS each hold part of the layer
NONE = "none"  # a layer not in a service's stack: nobody acts on it there
# Every owner a knowledge-base file may name for a layer; parties enter through overlays, not service files.
OWNERS = (AWS, CUSTOMER, SHARED, NONE)
_PARTY = "party:"
# AWS first, parties between, the team last: the order every sentence names them in.
_ACTOR_ORDER = {AWS: 0, TEAM: 2}


@dataclass(frozen=True)
class Owner:
    """The owner of one layer on one service.

    kind is ``aws``, ``customer`` (the team), ``shared`` (the team and AWS), ``none`` (the layer is not in this
    service's stack), ``party`` (an internal party), ``party-shared`` (a party and AWS) or ``other`` (a value
    this version does not know, shown as written).
    """

    kind: str
    party: str | None = None
    party_name: str | None = None
    raw: str = ""


def party_owner(party_id: str) -> str:
    """The owner code of a layer an internal party took over."""
    return f"{_PARTY}{party_id}"


def owner_of(cell: dict) -> Owner:
    """The owner a snapshot's matrix cell (or a comparison's side) records."""
    code = cell.get("owner")
    raw = code if isinstance(code, str) else ""
    if raw in (AWS, "customer", NONE):
        return Owner(raw, raw=raw)
    if raw == "shared":
        party = cell.get("party")
        return Owner("party-shared", party, cell.get("party_name"), raw) if party else Owner("shared", raw=raw)
    if raw.startswith(_PARTY):
        return Owner("party", cell.get("party") or raw[len(_PARTY):], cell.get("party_name"), raw)
    return Owner("other", raw=raw)


def party_actor(party_id: str) -> str:
    """The actor code of an internal party."""
    return f"{_PARTY}{party_id}"


def actor_party(actor: str) -> str | None:
    """The party id of a party's actor code; None for AWS, the team or a value not known."""
    return actor[len(_PARTY):] if actor.startswith(_PARTY) else None


def _ordered(actors: Iterable[str]) -> list[str]:
    return sorted(dict.fromkeys(actors), key=lambda a: (_ACTOR_ORDER.get(a, 1), a))


def actors_of(who: dict) -> list[str]:
    """Everyone an incident's ``who_acts`` entry says must act, AWS first and the team last."""
    named = who.get("actors")
    if not named:
        acts = who.get("acts")
        named = [AWS, TEAM] if acts == "both" else [acts] if acts else []
    return _ordered(named)


def two_party_acts(actors: Iterable[str]) -> str:
    """AWS's two-party view of who acts: ``aws``, ``team`` or ``both``, an internal party counting as the team's
    side (the customer's organisation); ``actors`` beside it names each party."""
    present = set(actors)
    if AWS in present and present - {AWS} or not present:  # nobody named: as earlier versions wrote it
        return "both"
    return AWS if AWS in present else TEAM


def join_actors(actors: Iterable[str]) -> str:
    """A comparison's encoding of one side's actors: ``both`` for AWS and the team, else joined by ``+``."""
    present = set(actors)
    return "both" if present == {AWS, TEAM} else "+".join(sorted(present))


def split_actors(acts: str) -> list[str]:
    """The actors a comparison's ``from_acts`` or ``to_acts`` names, AWS first and the team last."""
    return _ordered([AWS, TEAM] if acts == "both" else [a for a in acts.split("+") if a])
