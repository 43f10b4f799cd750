"""Rank the compute services for a profile and explain every place in plain sentences."""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from .model import KnowledgeBase
from .profile import Profile
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

    def as_dict(self) -> dict:
        return {
            "service": self.service, "name": self.name, "rank": self.rank, "score": self.score,
            "eligible": self.eligible, "blockers": [b.as_dict() for b in self.blockers],
            "team_owns": list(self.team_owns), "aws_owns": list(self.aws_owns),
            "burden_hours_per_month": self.burden_hours_per_month,
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

    def as_dict(self) -> dict:
        return {"ranking": [r.as_dict() for r in self.ranking], "weights": self.weights,
                "knowledge_base_version": self.knowledge_base_version}


def rank(kb: KnowledgeBase, profile: Profile) -> Recommendation:
    """Rank the profile's services, eligible ones first by score, blocked ones last.

    Parameters
    ----------
    kb : KnowledgeBase
        The loaded knowledge base.
    profile : Profile
        The team's capacity and needs.

    Returns
    -------
    Recommendation
        Every service with rank, score (0 to 100), blockers, ownership and reasons.

    Examples
    --------
    >>> rec = rank(kb, Profile(20, 0, "low", "standard"))  # doctest: +SKIP
    >>> rec.ranking[0].service  # doctest: +SKIP
    'lambda'
    """
    evaluations = evaluate_all(kb, profile)
    weights = profile.weights.as_dict()
    total = sum(weights.values())
    # A part's whole share, rounded once: the points of a fit of 1 and the loss of a fit of 0 are exactly it.
    parts = tuple((name, weights[name], round(100 * 1.0 * weights[name] / total, 1)) for name in COMPONENTS)
    leader = next((e for e in evaluations if e.eligible), None)
    runner_up = next((e for e in evaluations if e.eligible and e is not leader), None)
    sentences = _fixed_sentences(kb)
    hours = f"{profile.security_hours_per_month:g}"
    ranked = []
    for place, ev in enumerate(evaluations, start=1):
        view = ev.view
        breakdown = {}
        for (name, weight, whole), fit in zip(parts, ev.fits):
            points = 100 * fit * weight / total
            lost = 100 * (1 - fit) * weight / total
            # round() costs more than the rest of this loop; a fit of 0 or 1 and a zero share
            # come out of it unchanged (sign included), so they skip it
            breakdown[name] = {"fit": fit if fit == 1.0 or fit == 0.0 else round(fit, 4), "weight": weight,
                               "points": whole if fit == 1.0 else points if points == 0 else round(points, 1),
                               "lost": whole if fit == 0.0 else lost if lost == 0 else round(lost, 1)}
        ranked.append(RankedService(
            service=view.service.id, name=view.service.name, rank=place, score=round(ev.score, 1),
            eligible=ev.eligible, blockers=ev.blockers, team_owns=view.team_owns, aws_owns=view.aws_owns,
            burden_hours_per_month=view.burden_hours, capacity_hours_per_month=profile.security_hours_per_month,
            patching_staff_needed=view.patching_staff_needed, score_breakdown=breakdown,
            reasons=_reasons(sentences[view.service.id], profile, hours, ev, place, leader, runner_up, breakdown),
        ))
    return Recommendation(ranking=tuple(ranked), weights=weights, knowledge_base_version=kb.version)


@dataclass(frozen=True)
class _Sentences:
    """The parts of a service's reasons that depend only on the knowledge base."""

    owns: str  # the burden sentence up to where the team's own hours come in
    patching: str  # the whole sentence if the team patches nothing, else up to the staff it has
    customisation: dict[str, str]  # per level asked
    isolation: dict[str, str | None]  # per level asked; None where a blocker says it instead


@lru_cache(maxsize=16)
def _fixed_sentences(kb: KnowledgeBase) -> dict[str, _Sentences]:
    """Every service's knowledge-base-only sentences, made once per knowledge base."""
    out = {}
    for sid, view in kb.views.items():
        service = view.service
        offered = kb.customisation_levels[service.customisation]
        customisation = {}
        for asked in kb.customisation_levels.values():
            relation = "covers" if offered.rank >= asked.rank else "falls short of"
            customisation[asked.id] = (f"It offers {offered.name.lower()} customisation, which {relation} the "
                                       f"{asked.name.lower()} level asked: {service.customisation_note}")
        isolation = {}
        for level_id, level in kb.isolation_levels.items():
            support = service.isolation[level_id]
            isolation[level_id] = {"yes": f"{level.name} isolation is available: {support.note}",
                                   "with_effort": f"{level.name} isolation takes extra work: {support.note}"}.get(support.support)
        need = view.patching_staff_needed
        if need == 0:
            patching = (f"AWS patches the instance operating system and container runtime on {service.name}, "
                        "so no patching staff is needed.")
        else:
            layers = " and ".join(kb.layers[l].name.lower() for l in view.patching_layers)
            patching = (f"The team patches the {layers} itself, which takes about {need:g} "
                        f"{'person' if need == 1 else 'people'}; it has ")
        out[sid] = _Sentences(
            owns=(f"The team would own {view.burden_hours:g} hours a month of security work across "
                  f"{len(view.team_owns)} layers, "),
            patching=patching, customisation=customisation, isolation=isolation,
        )
    return out


def _reasons(sentences: _Sentences, profile: Profile, hours_text: str, ev: Evaluation, place: int,
             leader: Evaluation | None, runner_up: Evaluation | None, breakdown: dict) -> tuple[str, ...]:
    view = ev.view
    reasons = [_position(ev, place, leader, runner_up, breakdown)]
    hours = profile.security_hours_per_month
    burden = view.burden_hours
    if burden <= hours:
        reasons.append(f"{sentences.owns}within the {hours_text} hours it has ({hours - burden:g} to spare).")
    else:
        reasons.append(f"{sentences.owns}{burden - hours:g} more than the {hours_text} hours it has.")
    need = view.patching_staff_needed
    if need == 0:
        reasons.append(sentences.patching)
    else:
        verdict = "enough" if profile.patching_staff >= need else "too few"
        reasons.append(f"{sentences.patching}{profile.patching_staff} ({verdict}).")
    reasons.append(sentences.customisation[profile.customisation])
    isolation = sentences.isolation[profile.isolation]
    if isolation is not None:
        reasons.append(isolation)
    reasons.extend(b.sentence + "." for b in ev.blockers)
    return tuple(reasons)


def _position(ev: Evaluation, place: int, leader: Evaluation | None, runner_up: Evaluation | None,
              breakdown: dict) -> str:
    if not ev.eligible:
        return f"Ranks {ORDINALS.get(place, f'number {place}')}: ruled out by {len(ev.blockers)} hard " \
               f"limit{'s' if len(ev.blockers) > 1 else ''}."
    losses = sorted(((v["lost"], k) for k, v in breakdown.items() if v["lost"] >= 0.05), reverse=True)
    lost = " and ".join(f"{part} ({points:g})" for points, part in losses[:2])
    lost_text = f" It loses the most points on {lost}." if lost else " It loses no points."
    if ev is leader:
        if runner_up is None:
            return f"Ranks first with {ev.score:.1f} points: the only eligible option.{lost_text}"
        gap = round(ev.score, 1) - round(runner_up.score, 1)
        return (f"Ranks first with {ev.score:.1f} points, {gap:.1f} ahead of "
                f"{runner_up.view.service.name}.{lost_text}")
    gap = round(leader.score, 1) - round(ev.score, 1)
    return (f"Ranks {ORDINALS.get(place, f'number {place}')} with {ev.score:.1f} points, {gap:.1f} behind "
            f"{leader.view.service.name}.{lost_text}")
