"""Rank the compute services for a profile and explain every place in plain sentences."""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any

from .capacity import capacity_warnings, fits
from .model import KnowledgeBase, ServiceView
from .profile import CHOICE_ASSUMPTIONS, WORKLOAD_PHRASES, Number, Profile
from .robustness import Robustness, robustness
from .scoring import COMPONENTS, VALUE_NAMES, Blocker, Evaluation, evaluate_all, unasked_conditions
from .text import as_sentence, join_words, lower_first, number, plural, rounded

__all__ = ["RankedService", "Recommendation", "rank", "level_phrase", "fixed_sentences"]

ORDINALS = {1: "first", 2: "second", 3: "third", 4: "fourth", 5: "fifth", 6: "sixth", 7: "seventh", 8: "eighth"}


@dataclass(slots=True, init=False)
class RankedService:
    """One service's place in a ranking, with what the team and AWS would own and why.

    Made once per ranking and never changed afterwards, like the Recommendation holding it; not frozen, and
    with its constructor written out, only because that constructor runs four times per ranking: compiled
    (advisor/compiled.py), a written one is native code, where a generated one stays interpreted.
    """

    service: str
    name: str
    rank: int
    score: float
    eligible: bool
    blockers: tuple[Blocker, ...]
    team_owns: tuple[dict, ...]
    aws_owns: tuple[dict, ...]
    burden_hours_per_month: Number
    capacity_hours_per_month: Number
    patching_staff_needed: Number
    score_breakdown: dict[str, dict[str, Number]]
    reasons: tuple[str, ...]
    party_owns: tuple[dict, ...] = ()
    party_hours_per_month: Number = 0.0
    platform_hours_per_month: Number = 0.0
    application_hours_per_month: Number = 0.0
    meets_needs: bool = True
    needs_gaps: tuple[dict, ...] = ()
    fits_capacity: bool = True
    not_used: tuple[dict, ...] = ()
    assumptions: tuple[str, ...] = ()

    def __init__(self, service: str, name: str, rank: int, score: float, eligible: bool,
                 blockers: tuple[Blocker, ...], team_owns: tuple[dict, ...], aws_owns: tuple[dict, ...],
                 burden_hours_per_month: Number, capacity_hours_per_month: Number, patching_staff_needed: Number,
                 score_breakdown: dict[str, dict[str, Number]], reasons: tuple[str, ...],
                 party_owns: tuple[dict, ...] = (), party_hours_per_month: Number = 0.0,
                 platform_hours_per_month: Number = 0.0, application_hours_per_month: Number = 0.0,
                 meets_needs: bool = True, needs_gaps: tuple[dict, ...] = (), fits_capacity: bool = True,
                 not_used: tuple[dict, ...] = (), assumptions: tuple[str, ...] = ()) -> None:
        self.service, self.name, self.rank, self.score, self.eligible = service, name, rank, score, eligible
        self.blockers, self.team_owns, self.aws_owns = blockers, team_owns, aws_owns
        self.burden_hours_per_month = burden_hours_per_month
        self.capacity_hours_per_month = capacity_hours_per_month
        self.patching_staff_needed = patching_staff_needed
        self.score_breakdown, self.reasons, self.party_owns = score_breakdown, reasons, party_owns
        self.party_hours_per_month = party_hours_per_month
        self.platform_hours_per_month = platform_hours_per_month
        self.application_hours_per_month = application_hours_per_month
        self.meets_needs, self.needs_gaps, self.fits_capacity = meets_needs, needs_gaps, fits_capacity
        self.not_used, self.assumptions = not_used, assumptions

    def as_dict(self) -> dict:
        return {
            "service": self.service, "name": self.name, "rank": self.rank, "score": self.score,
            "eligible": self.eligible, "blockers": [b.as_dict() for b in self.blockers],
            "team_owns": list(self.team_owns), "aws_owns": list(self.aws_owns), "party_owns": list(self.party_owns),
            "not_used": list(self.not_used),
            "burden_hours_per_month": self.burden_hours_per_month,
            "platform_hours_per_month": self.platform_hours_per_month,
            "application_hours_per_month": self.application_hours_per_month,
            "party_hours_per_month": self.party_hours_per_month,
            "capacity_hours_per_month": self.capacity_hours_per_month,
            "patching_staff_needed": self.patching_staff_needed, "fits_capacity": self.fits_capacity,
            "meets_needs": self.meets_needs, "needs_gaps": list(self.needs_gaps),
            "assumptions": list(self.assumptions),
            "score_breakdown": self.score_breakdown, "reasons": list(self.reasons),
        }


@dataclass(init=False)
class Recommendation:
    """A full ranking for one profile against one knowledge-base version.

    Never changed once made; its constructor is written out for the reason RankedService's is.
    """

    ranking: tuple[RankedService, ...]
    weights: dict[str, Number]
    knowledge_base_version: str
    overlay: dict | None
    robustness: Robustness | None
    warnings: tuple[dict, ...]
    calibration: dict | None

    def __init__(self, ranking: tuple[RankedService, ...], weights: dict[str, Number], knowledge_base_version: str,
                 overlay: dict | None = None, robustness: Robustness | None = None, warnings: tuple[dict, ...] = (),
                 calibration: dict | None = None) -> None:
        self.ranking, self.weights, self.knowledge_base_version = ranking, weights, knowledge_base_version
        self.overlay, self.robustness, self.warnings, self.calibration = overlay, robustness, warnings, calibration

    def as_dict(self) -> dict:
        data = {"ranking": [r.as_dict() for r in self.ranking], "weights": self.weights,
                "knowledge_base_version": self.knowledge_base_version, "overlay": self.overlay,
                "calibration": self.calibration, "warnings": list(self.warnings)}
        if self.robustness is not None:
            data["robustness"] = self.robustness.as_dict()
        return data


def rank(kb: KnowledgeBase, profile: Profile, *, with_robustness: bool = True) -> Recommendation:
    """Rank the profile's services: eligible ones first, those meeting the team's needs first, then by score.

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
        Every service with rank, score (0 to 100), blockers, needs, ownership, the team's
        hours split into platform and application work, and reasons; the robustness of the
        first place; and warnings when first place does not fit the team's capacity.

    Examples
    --------
    >>> rec = rank(kb, Profile(40, 0, "low", "standard"))  # doctest: +SKIP
    >>> rec.ranking[0].service  # doctest: +SKIP
    'lambda'
    """
    evaluations = evaluate_all(kb, profile)
    weights = profile.weights.as_dict()
    total = sum(weights.values())
    eligible = [e for e in evaluations if e.eligible]
    leader = eligible[0] if eligible else None
    runner_up = eligible[1] if len(eligible) > 1 else None
    ranked = []
    weight_values = tuple(weights.values())
    asked = profile.workload.asked()
    for place, ev in enumerate(evaluations, start=1):
        view = ev.view
        fixed = kb.fixed_sentences[view.overlay, view.calibration, view.service.id, view.choices]
        breakdown = _breakdown(ev.fits, weight_values, total)
        ranked.append(RankedService(
            service=view.service.id, name=view.service.name, rank=place, score=rounded(ev.score, 1),
            eligible=ev.eligible, blockers=ev.blockers, team_owns=view.team_owns, aws_owns=view.aws_owns,
            burden_hours_per_month=view.burden_hours, capacity_hours_per_month=profile.security_hours_per_month,
            patching_staff_needed=view.patching_staff_needed, score_breakdown=breakdown,
            reasons=tuple(_reasons(kb, profile, asked, ev, fixed, place, leader, runner_up, breakdown)),
            party_owns=view.party_owns, party_hours_per_month=view.party_hours,
            platform_hours_per_month=view.platform_hours, application_hours_per_month=view.application_hours,
            meets_needs=ev.meets_needs, needs_gaps=tuple(_gaps(kb, profile, ev)),
            fits_capacity=fits(view, profile), not_used=view.not_used,
            assumptions=fixed.assumptions,
        ))
    overlay = kb.overlays[profile.overlay].summary() if profile.overlay else None
    calibration = kb.calibrations[profile.calibration].summary() if profile.calibration else None
    return Recommendation(
        ranking=tuple(ranked), weights=weights, knowledge_base_version=kb.version, overlay=overlay,
        robustness=robustness(kb, profile, evaluations) if with_robustness else None,
        warnings=tuple(capacity_warnings(kb, profile, evaluations)), calibration=calibration)


def _breakdown(fits: tuple[float, ...], weights: tuple[Number, ...], total: Number) -> dict[str, dict[str, Number]]:
    """Each score part (COMPONENTS order): its fit, weight, and the points won and lost out of 100."""
    return {name: {"fit": rounded(fit, 4), "weight": weight, "points": rounded(100 * fit * weight / total, 1),
                   "lost": rounded(100 * (1 - fit) * weight / total, 1)}
            for name, fit, weight in zip(COMPONENTS, fits, weights)}


def level_phrase(kb: KnowledgeBase, level_id: str) -> str:
    """A customisation level as words: "no control", "low control", "high control"."""
    return "no control" if level_id == "none" else f"{kb.customisation_levels[level_id].name.lower()} control"


def _gaps(kb: KnowledgeBase, profile: Profile, ev: Evaluation) -> list[dict]:
    """The team's needs a service meets only in part: customisation short, or isolation only with extra work."""
    service = ev.view.service
    gaps = []
    if ev.tier[0]:
        gaps.append({"need": "customisation", "asked": profile.customisation, "offered": service.customisation,
                     "sentence": f"{service.name} gives {level_phrase(kb, service.customisation)} beneath the code, "
                                 f"short of the {level_phrase(kb, profile.customisation)} the team needs."})
    if ev.tier[1] == 1:
        level = kb.isolation_levels[profile.isolation].name.lower()
        gaps.append({"need": "isolation", "asked": profile.isolation, "offered": "with_effort",
                     "sentence": f"{service.name} gives {level} isolation only with extra work."})
    return gaps


def _assumptions(view: ServiceView) -> list[str]:
    return [f"On {view.service.name}, the hours assume {CHOICE_ASSUMPTIONS[choice]}." for choice in view.choices]


@dataclass(frozen=True)
class _Sentences:
    """The parts of one service view's reasons that depend only on the knowledge base."""

    owns: str  # the burden sentence up to where the team's own hours come in
    parties: tuple[str, ...]  # what an overlay's parties take over
    patching: str  # the whole sentence when the team patches nothing, else up to the staff it has
    patching_end: str  # after the staff it has: "." or "; <party> patches ...".
    customisation: Mapping[str, str]  # per level asked
    isolation: Mapping[str, str | None]  # per level asked; None where a blocker says it instead
    assumptions: tuple[str, ...]  # which workload choices the hours assume


def fixed_sentences(kb: KnowledgeBase) -> Mapping[tuple, _Sentences]:
    """Every service view's sentences that depend only on the knowledge base, keyed as kb.all_views.

    Made once, when the knowledge base loads (knowledge.py keeps them as kb.fixed_sentences).
    """
    return MappingProxyType({key: _sentences(kb, view) for key, view in kb.all_views.items()})


def _sentences(kb: KnowledgeBase, view: ServiceView) -> _Sentences:
    return _Sentences(
        owns=_owns_sentence(view), parties=tuple(_party_sentences(view)), patching=_patching_sentence(kb, view),
        patching_end=_patching_end(view), customisation=MappingProxyType(_customisation_sentences(kb, view)),
        isolation=MappingProxyType(_isolation_sentences(kb, view)), assumptions=tuple(_assumptions(view)))


def _owns_sentence(view: ServiceView) -> str:
    layers = len(view.team_owns)
    split = ""
    if view.application_hours and view.platform_hours:
        split = (f" ({number(view.platform_hours)} on the platform, {number(view.application_hours)} on the "
                 "application's own code, configuration and data)")
    return (f"The team would own {number(view.burden_hours)} hours a month of security work across {layers} "
            f"layer{'s' if layers != 1 else ''}{split}, ")


def _party_sentences(view: ServiceView) -> list[str]:
    sentences = []
    for party_name, entries in _by_party(view.party_owns).items():
        hours_moved = round(sum(e["hours_per_month"] for e in entries), 2)
        names = join_words([e["name"].lower() for e in entries])
        sentences.append(f"{party_name} would own {number(hours_moved)} hours a month of the work instead ({names}), "
                         "which the team's hours do not have to cover.")
    return sentences


def _patching_by_party(view: ServiceView) -> str:
    party_patching = _by_party([e for e in view.party_owns if e["id"] in view.party_patching_layers])
    return "; ".join(f"{party} patches {join_words(['the ' + e['name'].lower() for e in entries])}"
                     for party, entries in party_patching.items())


def _patching_end(view: ServiceView) -> str:
    by_party = _patching_by_party(view)
    return f"; {by_party}." if by_party else "."


def _patching_sentence(kb: KnowledgeBase, view: ServiceView) -> str:
    name = view.service.name
    by_party = _patching_by_party(view)
    need = view.patching_staff_needed
    if need == 0 and by_party:
        return f"On {name}, {by_party}, so the team needs no patching staff."
    if need == 0:
        patched = [f"the {kb.layers[l].name.lower()}" for l, own in view.ownership.items()
                   if own.owner == "aws" and kb.layers[l].patching_staff_needed]
        what = join_words(patched) if patched else "everything beneath the team's code"
        return f"AWS patches {what} on {name}, so the team needs no patching staff."
    layer_names = join_words([f"the {kb.layers[l].name.lower()}" for l in view.patching_layers])
    people = f"about {number(need)} {'person' if need == 1 else 'people'}; it has "
    if all(view.ownership[l].owner == "shared" for l in view.patching_layers):
        return f"The team rolls out the patches AWS publishes for {layer_names}, which takes {people}"
    return f"The team patches {layer_names} itself, which takes {people}"


def _customisation_sentences(kb: KnowledgeBase, view: ServiceView) -> dict[str, str]:
    service = view.service
    offered = kb.customisation_levels[service.customisation]
    note = as_sentence(service.customisation_note)
    sentences = {}
    for asked in kb.customisation_levels.values():
        if asked.id == "none":
            sentences[asked.id] = f"The team needs no control beneath its code; {service.name} gives " \
                                  f"{level_phrase(kb, offered.id)}: {note}"
        elif offered.rank >= asked.rank:
            sentences[asked.id] = f"It gives {level_phrase(kb, offered.id)} beneath the code, which covers the " \
                                  f"{level_phrase(kb, asked.id)} the team needs: {note}"
        else:
            sentences[asked.id] = f"It gives only {level_phrase(kb, offered.id)} beneath the code, short of the " \
                                  f"{level_phrase(kb, asked.id)} the team needs: {note}"
    return sentences


def _isolation_sentences(kb: KnowledgeBase, view: ServiceView) -> dict[str, str | None]:
    sentences = {}
    for level_id, level in kb.isolation_levels.items():
        support = view.service.isolation[level_id]
        note = as_sentence(support.note)
        sentences[level_id] = {"yes": f"{level.name} isolation is available: {note}",
                               "with_effort": f"{level.name} isolation takes extra work: {note}",
                               }.get(support.support)
    return sentences


def _reasons(kb: KnowledgeBase, profile: Profile, asked: Mapping[str, Any], ev: Evaluation, fixed: _Sentences,
             place: int, leader: Evaluation | None, runner_up: Evaluation | None, breakdown: dict) -> list[str]:
    view = ev.view
    reasons = [_position(kb, profile, ev, place, leader, runner_up, breakdown)]
    hours = profile.security_hours_per_month
    burden = view.burden_hours
    if burden <= hours:
        reasons.append(f"{fixed.owns}within the {number(hours)} hours it has ({number(hours - burden)} to spare).")
    else:
        reasons.append(f"{fixed.owns}{number(burden - hours)} more than the {number(hours)} hours it has.")
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
    reasons.extend(as_sentence(b.sentence) for b in ev.blockers)
    if ev.eligible and view.conditional_limits:
        for key, value, blocker in unasked_conditions(kb, view, asked):
            phrase = WORKLOAD_PHRASES[key].format(value=VALUE_NAMES.get(value, value))
            reasons.append(f"This assumes the workload does not need {phrase}: {lower_first(blocker.sentence)}.")
    reasons.extend(fixed.assumptions)
    return reasons


def _position(kb: KnowledgeBase, profile: Profile, ev: Evaluation, place: int, leader: Evaluation | None,
              runner_up: Evaluation | None, breakdown: dict) -> str:
    ordinal = ORDINALS.get(place, f"number {place}")
    if not ev.eligible:
        limits = plural(len(ev.blockers), "hard limit")
        if place == 1:  # first place goes to an eligible service whenever there is one
            return f"Ruled out by {limits}, as every service here is: none is recommended."
        return f"Ranks {ordinal}: ruled out by {limits}."
    losses = sorted(((v["lost"], k) for k, v in breakdown.items() if v["lost"] >= 0.05), reverse=True)
    lost = join_words([f"{part} ({points:g})" for points, part in losses[:2]])
    lost_text = f" It loses the most points on {lost}." if lost else " It loses no points."
    if ev is leader:
        if runner_up is None:
            return f"Ranks first with {ev.score:.1f} points: the only eligible option.{lost_text}"
        if runner_up.tier != ev.tier:
            return f"Ranks first with {ev.score:.1f} points: {_better_need(kb, profile, ev, runner_up)}.{lost_text}"
        gap = rounded(ev.score, 1) - rounded(runner_up.score, 1)
        return (f"Ranks first with {ev.score:.1f} points, {gap:.1f} ahead of "
                f"{runner_up.view.service.name}.{lost_text}")
    assert leader is not None  # ev is eligible, so some service is first
    if ev.tier != leader.tier:
        return f"Ranks {ordinal}: {_worse_need(kb, profile, ev, leader)}."
    gap = rounded(leader.score, 1) - rounded(ev.score, 1)
    return f"Ranks {ordinal} with {ev.score:.1f} points, {gap:.1f} behind {leader.view.service.name}.{lost_text}"


def _better_need(kb: KnowledgeBase, profile: Profile, ev: Evaluation, other: Evaluation) -> str:
    if ev.tier[0] < other.tier[0]:
        return (f"it gives the {level_phrase(kb, profile.customisation)} the team needs, which "
                f"{other.view.service.name} does not")
    level = kb.isolation_levels[profile.isolation].name.lower()
    return f"it gives {level} isolation outright, where {other.view.service.name} needs extra work for it"


def _worse_need(kb: KnowledgeBase, profile: Profile, ev: Evaluation, leader: Evaluation) -> str:
    if ev.tier[0] > leader.tier[0]:
        return (f"it gives less than the {level_phrase(kb, profile.customisation)} the team needs, so the options "
                "that give it rank above it, whatever the score")
    level = kb.isolation_levels[profile.isolation].name.lower()
    return (f"it gives {level} isolation only with extra work, so the options that give it outright rank above it, "
            "whatever the score")


def _by_party(entries) -> dict[str, list[dict]]:
    grouped: dict[str, list[dict]] = {}
    for entry in entries:
        grouped.setdefault(entry["party_name"], []).append(entry)
    return grouped
