"""Rank the compute services for a profile and explain every place in plain sentences."""
from __future__ import annotations

from dataclasses import dataclass

from .model import KnowledgeBase
from .profile import Profile
from .robustness import Robustness, robustness
from .scoring import COMPONENTS, Blocker, Evaluation, evaluate_all

__all__ = ["RankedService", "Recommendation", "rank"]

ORDINALS = {1: "first", 2: "second", 3: "third", 4: "fourth", 5: "fifth", 6: "sixth", 7: "seventh", 8: "eighth"}


@dataclass(frozen=True)
class RankedService:
    """One service's place in a ranking, with what the team and AWS would own and why."""

    service: str
    name: str
    rank: int
    score: float
    eligible: bool
    blockers: tuple[Blocker, ...]
    team_owns: tuple[dict, ...]
    aws_owns: tuple[dict, ...]
    burden_hours_per_month: float
    capacity_hours_per_month: float
    patching_staff_needed: float
    score_breakdown: dict[str, dict[str, float]]
    reasons: tuple[str, ...]
    party_owns: tuple[dict, ...] = ()
    party_hours_per_month: float = 0.0

    def as_dict(self) -> dict:
        return {
            "service": self.service, "name": self.name, "rank": self.rank, "score": self.score,
            "eligible": self.eligible, "blockers": [b.as_dict() for b in self.blockers],
            "team_owns": list(self.team_owns), "aws_owns": list(self.aws_owns), "party_owns": list(self.party_owns),
            "burden_hours_per_month": self.burden_hours_per_month, "party_hours_per_month": self.party_hours_per_month,
            "capacity_hours_per_month": self.capacity_hours_per_month,
            "patching_staff_needed": self.patching_staff_needed,
            "score_breakdown": self.score_breakdown, "reasons": list(self.reasons),
        }


@dataclass(frozen=True)
class Recommendation:
    """A full ranking for one profile against one knowledge-base version."""

    ranking: tuple[RankedService, ...]
    weights: dict[str, float]
    knowledge_base_version: str
    overlay: dict | None = None
    robustness: Robustness | None = None

    def as_dict(self) -> dict:
        data = {"ranking": [r.as_dict() for r in self.ranking], "weights": self.weights,
                "knowledge_base_version": self.knowledge_base_version, "overlay": self.overlay}
        if self.robustness is not None:
            data["robustness"] = self.robustness.as_dict()
        return data


def rank(kb: KnowledgeBase, profile: Profile, *, with_robustness: bool = True) -> Recommendation:
    """Rank the profile's services, eligible ones first by score, blocked ones last.

    Parameters
    ----------
    kb : KnowledgeBase
        The loaded knowledge base.
    profile : Profile
        The team's capacity and needs.
    with_robustness : bool
        Add how firmly the first place holds (robustness.py); on by default, and on for
        every recommendation the service answers. Off only to measure its cost.

    Returns
    -------
    Recommendation
        Every service with rank, score (0 to 100), blockers, ownership and reasons, and the
        robustness of the first place.

    Examples
    --------
    >>> rec = rank(kb, Profile(20, 0, "low", "standard"))  # doctest: +SKIP
    >>> rec.ranking[0].service  # doctest: +SKIP
    'lambda'
    """
    evaluations = evaluate_all(kb, profile)
    weights = profile.weights.as_dict()
    total = sum(weights.values())
    leader = next((e for e in evaluations if e.eligible), None)
    runner_up = next((e for e in evaluations if e.eligible and e is not leader), None)
    ranked = []
    for place, ev in enumerate(evaluations, start=1):
        view = ev.view
        breakdown = {
            name: {"fit": round(fit, 4), "weight": weights[name],
                   "points": round(100 * fit * weights[name] / total, 1),
                   "lost": round(100 * (1 - fit) * weights[name] / total, 1)}
            for name, fit in zip(COMPONENTS, ev.fits)
        }
        ranked.append(RankedService(
            service=view.service.id, name=view.service.name, rank=place, score=round(ev.score, 1),
            eligible=ev.eligible, blockers=ev.blockers, team_owns=view.team_owns, aws_owns=view.aws_owns,
            burden_hours_per_month=view.burden_hours, capacity_hours_per_month=profile.security_hours_per_month,
            patching_staff_needed=view.patching_staff_needed, score_breakdown=breakdown,
            reasons=tuple(_reasons(kb, profile, ev, place, leader, runner_up, breakdown)),
            party_owns=view.party_owns, party_hours_per_month=view.party_hours,
        ))
    overlay = kb.overlays[profile.overlay].summary() if profile.overlay else None
    return Recommendation(ranking=tuple(ranked), weights=weights, knowledge_base_version=kb.version, overlay=overlay,
                          robustness=robustness(kb, profile, evaluations) if with_robustness else None)


def _reasons(kb: KnowledgeBase, profile: Profile, ev: Evaluation, place: int, leader: Evaluation | None,
             runner_up: Evaluation | None, breakdown: dict) -> list[str]:
    view = ev.view
    name = view.service.name
    reasons = [_position(ev, place, leader, runner_up, breakdown)]
    hours = profile.security_hours_per_month
    burden = view.burden_hours
    owned = len(view.team_owns)
    if burden <= hours:
        reasons.append(f"The team would own {burden:g} hours a month of security work across {owned} layers, "
                       f"within the {hours:g} hours it has ({hours - burden:g} to spare).")
    else:
        reasons.append(f"The team would own {burden:g} hours a month of security work across {owned} layers, "
                       f"{burden - hours:g} more than the {hours:g} hours it has.")
    for party_name, entries in _by_party(view.party_owns).items():
        hours_moved = round(sum(e["hours_per_month"] for e in entries), 2)
        names = "; ".join(e["name"].lower() for e in entries)
        reasons.append(f"{party_name} would own {hours_moved:g} hours a month of the work instead ({names}), "
                       "which the team's hours do not have to cover.")
    need = view.patching_staff_needed
    party_patching = _by_party([e for e in view.party_owns if e["id"] in view.party_patching_layers])
    by_party = "; ".join(f"{party} patches the {_join([e['name'].lower() for e in entries])}"
                         for party, entries in party_patching.items())
    if need == 0 and by_party:
        reasons.append(f"On {name}, {by_party}, so the team needs no patching staff.")
    elif need == 0:
        reasons.append(f"AWS patches the instance operating system and container runtime on {name}, "
                       "so no patching staff is needed.")
    else:
        layer_names = " and ".join(kb.layers[l].name.lower() for l in view.patching_layers)
        verdict = "enough" if profile.patching_staff >= need else "too few"
        people = f"about {need:g} {'person' if need == 1 else 'people'}; it has {profile.patching_staff} ({verdict})"
        if all(view.service.ownership[l].owner == "shared" for l in view.patching_layers):
            sentence = f"The team rolls out the patches AWS publishes for the {layer_names}, which takes {people}."
        else:
            sentence = f"The team patches the {layer_names} itself, which takes {people}."
        if by_party:
            sentence = sentence[:-1] + f"; {by_party}."
        reasons.append(sentence)
    asked = kb.customisation_levels[profile.customisation]
    offered = kb.customisation_levels[view.service.customisation]
    relation = "covers" if offered.rank >= asked.rank else "falls short of"
    reasons.append(f"It offers {offered.name.lower()} customisation, which {relation} the "
                   f"{asked.name.lower()} level asked: {view.service.customisation_note}")
    support = view.service.isolation[profile.isolation]
    level = kb.isolation_levels[profile.isolation].name
    if support.support == "yes":
        reasons.append(f"{level} isolation is available: {support.note}")
    elif support.support == "with_effort":
        reasons.append(f"{level} isolation takes extra work: {support.note}")
    reasons.extend(b.sentence + "." for b in ev.blockers)
    return reasons


def _position(ev: Evaluation, place: int, leader: Evaluation | None, runner_up: Evaluation | None,
              breakdown: dict) -> str:
    ordinal = ORDINALS.get(place, f"number {place}")
    losses = sorted(((v["lost"], k) for k, v in breakdown.items() if v["lost"] >= 0.05), reverse=True)
    lost = " and ".join(f"{part} ({points:g})" for points, part in losses[:2])
    lost_text = f" It loses the most points on {lost}." if lost else " It loses no points."
    if not ev.eligible:
        return f"Ranks {ordinal}: ruled out by {len(ev.blockers)} hard limit{'s' if len(ev.blockers) > 1 else ''}."
    if ev is leader:
        if runner_up is None:
            return f"Ranks first with {ev.score:.1f} points: the only eligible option.{lost_text}"
        gap = round(ev.score, 1) - round(runner_up.score, 1)
        return (f"Ranks first with {ev.score:.1f} points, {gap:.1f} ahead of "
                f"{runner_up.view.service.name}.{lost_text}")
    gap = round(leader.score, 1) - round(ev.score, 1)
    return f"Ranks {ordinal} with {ev.score:.1f} points, {gap:.1f} behind {leader.view.service.name}.{lost_text}"


def _by_party(entries) -> dict[str, list[dict]]:
    grouped: dict[str, list[dict]] = {}
    for entry in entries:
        grouped.setdefault(entry["party_name"], []).append(entry)
    return grouped


def _join(words: list[str]) -> str:
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " and " + words[-1]
