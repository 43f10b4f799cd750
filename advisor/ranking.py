"""Rank the compute services for a profile and explain every place in plain sentences."""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

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
    # A part's whole share, rounded once: a fit of 1 wins it all and a fit of 0 loses it all, which
    # is most parts of most services, so most figures need no round() of their own.
    wholes = [(name, weights[name], round(100 * weights[name] / total, 1)) for name in COMPONENTS]
    ranked = []
    for place, ev in enumerate(evaluations, start=1):
        view = ev.view
        breakdown = {}
        for (name, weight, whole), fit in zip(wholes, ev.fits):
            if fit == 1.0:
                # the products keep the signs of zero (a -0.0 fit or weight) the full formula gives
                breakdown[name] = {"fit": fit, "weight": weight, "points": whole, "lost": (1 - fit) * weight}
            elif fit == 0.0:
                breakdown[name] = {"fit": fit, "weight": weight, "points": fit * weight, "lost": whole}
            else:
                breakdown[name] = {"fit": round(fit, 4), "weight": weight,
                                   "points": round(100 * fit * weight / total, 1),
                                   "lost": round(100 * (1 - fit) * weight / total, 1)}
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


@dataclass(frozen=True)
class _Sentences:
    """The parts of one service view's reasons that depend only on the knowledge base."""

    owns: str  # the burden sentence up to where the team's own hours come in
    parties: tuple[str, ...]  # what an overlay's parties take over
    patching: str  # the whole sentence when the team patches nothing, else up to the staff it has
    patching_end: str  # after the staff it has: "." or "; <party> patches ...".
    customisation: dict[str, str]  # per level asked
    isolation: dict[str, str | None]  # per level asked; None where a blocker says it instead


@lru_cache(maxsize=8)
def _fixed_sentences(kb: KnowledgeBase) -> dict[tuple[str | None, str], _Sentences]:
    """Every service view's knowledge-base-only sentences, keyed by (overlay, service), made once per knowledge base."""
    views = [*kb.views.values(), *(v for overlay in kb.overlay_views.values() for v in overlay.values())]
    return {(view.overlay, view.service.id): _sentences(kb, view) for view in views}


def _sentences(kb: KnowledgeBase, view) -> _Sentences:
    service = view.service
    name = service.name
    parties = []
    for party_name, entries in _by_party(view.party_owns).items():
        hours_moved = round(sum(e["hours_per_month"] for e in entries), 2)
        names = "; ".join(e["name"].lower() for e in entries)
        parties.append(f"{party_name} would own {hours_moved:g} hours a month of the work instead ({names}), "
                       "which the team's hours do not have to cover.")
    need = view.patching_staff_needed
    party_patching = _by_party([e for e in view.party_owns if e["id"] in view.party_patching_layers])
    by_party = "; ".join(f"{party} patches the {_join([e['name'].lower() for e in entries])}"
                         for party, entries in party_patching.items())
    end = f"; {by_party}." if by_party else "."
    if need == 0 and by_party:
        patching = f"On {name}, {by_party}, so the team needs no patching staff."
    elif need == 0:
        patching = (f"AWS patches the instance operating system and container runtime on {name}, "
                    "so no patching staff is needed.")
    else:
        layer_names = " and ".join(kb.layers[l].name.lower() for l in view.patching_layers)
        people = f"about {need:g} {'person' if need == 1 else 'people'}; it has "
        if all(service.ownership[l].owner == "shared" for l in view.patching_layers):
            patching = f"The team rolls out the patches AWS publishes for the {layer_names}, which takes {people}"
        else:
            patching = f"The team patches the {layer_names} itself, which takes {people}"
    offered = kb.customisation_levels[service.customisation]
    customisation = {
        asked.id: (f"It offers {offered.name.lower()} customisation, which "
                   f"{'covers' if offered.rank >= asked.rank else 'falls short of'} the "
                   f"{asked.name.lower()} level asked: {service.customisation_note}")
        for asked in kb.customisation_levels.values()
    }
    isolation = {}
    for level_id, level in kb.isolation_levels.items():
        support = service.isolation[level_id]
        isolation[level_id] = {"yes": f"{level.name} isolation is available: {support.note}",
                               "with_effort": f"{level.name} isolation takes extra work: {support.note}",
                               }.get(support.support)
    return _Sentences(
        owns=(f"The team would own {view.burden_hours:g} hours a month of security work across "
              f"{len(view.team_owns)} layers, "),
        parties=tuple(parties), patching=patching, patching_end=end, customisation=customisation,
        isolation=isolation)


def _reasons(kb: KnowledgeBase, profile: Profile, ev: Evaluation, place: int, leader: Evaluation | None,
             runner_up: Evaluation | None, breakdown: dict) -> list[str]:
    view = ev.view
    fixed = _fixed_sentences(kb)[view.overlay, view.service.id]
    reasons = [_position(ev, place, leader, runner_up, breakdown)]
    hours = profile.security_hours_per_month
    burden = view.burden_hours
    if burden <= hours:
        reasons.append(f"{fixed.owns}within the {hours:g} hours it has ({hours - burden:g} to spare).")
    else:
        reasons.append(f"{fixed.owns}{burden - hours:g} more than the {hours:g} hours it has.")
    reasons.extend(fixed.parties)
    need = view.patching_staff_needed
    if need == 0:
        reasons.append(fixed.patching)
    else:
        verdict = "enough" if profile.patching_staff >= need else "too few"
        reasons.append(f"{fixed.patching}{profile.patching_staff} ({verdict}){fixed.patching_end}")
    reasons.append(fixed.customisation[profile.customisation])
    isolation = fixed.isolation[profile.isolation]
    if isolation is not None:
        reasons.append(isolation)
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
