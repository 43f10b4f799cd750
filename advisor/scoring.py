"""The fit of one service to one profile: hard limits and the weighted score.

Every part of the fit is a number from 0 to 1:

- burden: the stated security hours over the hours the team would own (1 when they suffice);
- patching: patching staff over the staff the team-owned patching layers need (1 when enough);
- customisation: 1 when the control offered covers the control asked, minus a third per level short;
- isolation: 1 when the service gives the isolation asked, 0.5 when only with extra work;
- simplicity: 1 minus the owned hours over the hours of the whole stack, so that owning less
  counts even when the team has the hours for more.

The score is 100 times the weighted mean of the parts.
"""
from __future__ import annotations

from dataclasses import dataclass
from operator import mul

from .errors import ProfileError
from .model import KnowledgeBase, Limit, ServiceView
from .profile import WORKLOAD_PHRASES, Profile

__all__ = ["Blocker", "Evaluation", "COMPONENTS", "evaluate", "evaluate_all", "order", "service_views"]

COMPONENTS = ("burden", "patching", "customisation", "isolation", "simplicity")
ISOLATION_FIT = {"yes": 1.0, "with_effort": 0.5, "no": 0.0}
OS_NAMES = {"linux": "Linux", "windows": "Windows"}


@dataclass(frozen=True)
class Blocker:
    """A hard limit that rules a service out, said in plain words."""

    field: str
    asked: object
    limit: object
    sentence: str
    unblock: str
    source: str

    def as_dict(self) -> dict:
        return {"field": self.field, "asked": self.asked, "limit": self.limit, "sentence": self.sentence,
                "unblock": self.unblock, "source": self.source}


@dataclass(frozen=True)
class Evaluation:
    """The raw fit of one service: score, its parts and its blockers."""

    view: ServiceView
    score: float
    fits: tuple[float, ...]
    blockers: tuple[Blocker, ...]

    @property
    def eligible(self) -> bool:
        return not self.blockers


def evaluate(kb: KnowledgeBase, view: ServiceView, profile: Profile) -> Evaluation:
    """Score one service for a profile and list what blocks it."""
    return _evaluate(kb, view, profile, _weights(profile))


def _weights(profile: Profile) -> tuple[tuple[float, ...], float]:
    w = profile.weights
    weights = (w.burden, w.patching, w.customisation, w.isolation, w.simplicity)
    return weights, sum(weights)


def _evaluate(kb: KnowledgeBase, view: ServiceView, profile: Profile,
              weighting: tuple[tuple[float, ...], float]) -> Evaluation:
    service = view.service
    burden = view.burden_hours
    hours = profile.security_hours_per_month
    burden_fit = 1.0 if burden <= hours else hours / burden
    need = view.patching_staff_needed
    patching_fit = 1.0 if profile.patching_staff >= need else profile.patching_staff / need
    short = kb.customisation_levels[profile.customisation].rank - view.customisation_rank
    customisation_fit = 1.0 if short <= 0 else 1.0 - short / 3
    support = service.isolation[profile.isolation]
    isolation_fit = ISOLATION_FIT[support.support]
    simplicity_fit = 1.0 - burden / kb.full_stack_hours
    fits = (burden_fit, patching_fit, customisation_fit, isolation_fit, simplicity_fit)
    weights, total = weighting
    score = 100.0 * sum(map(mul, fits, weights)) / total
    blockers = _limit_blockers(view, profile)
    if support.support == "no":
        blockers = blockers + (Blocker(
            field="isolation", asked=profile.isolation, limit=support.level,
            sentence=f"{kb.isolation_levels[profile.isolation].name} isolation was asked, but {support.note[0].lower()}{support.note[1:]}",
            unblock=f"{service.name} becomes eligible if {support.unblock}.", source=support.source),)
    return Evaluation(view=view, score=score, fits=fits, blockers=blockers)


def _limit_blockers(view: ServiceView, profile: Profile) -> tuple[Blocker, ...]:
    workload = profile.workload
    found = []
    for field, limits in view.limits_by_field.items():
        asked = getattr(workload, field)
        for limit in limits:
            if limit.when and any(getattr(workload, k) != v for k, v in limit.when):
                continue
            if _breaks(limit, asked):
                found.append(_blocker(view, limit, asked))
    return tuple(found)


def _breaks(limit: Limit, asked: object) -> bool:
    if limit.kind == "max":
        return asked is not None and asked > limit.value
    if limit.kind == "not_supported":
        return asked is True
    return asked not in limit.values


def _blocker(view: ServiceView, limit: Limit, asked: object) -> Blocker:
    name = view.service.name
    if limit.kind == "max":
        sentence = f"{WORKLOAD_PHRASES[limit.field].format(value=asked)} exceeds {name}'s {limit.label}"
        bound = limit.value
    elif limit.field == "os":
        sentence = f"a {OS_NAMES.get(asked, asked)} workload cannot run here: {name} {limit.label}"
        bound = list(limit.values)
    else:
        sentence = f"the workload needs {WORKLOAD_PHRASES[limit.field]}, but {name} {limit.label}"
        bound = False
    return Blocker(field=f"workload.{limit.field}", asked=asked, limit=bound, sentence=sentence[0].upper() + sentence[1:],
                   unblock=f"{name} becomes eligible if {limit.unblock}.", source=limit.source)


def service_views(kb: KnowledgeBase, profile: Profile) -> list[ServiceView]:
    """The precomputed views of the services a profile asks about, in the order it names them."""
    ids = profile.services or kb.default_services
    unknown = [sid for sid in ids if sid not in kb.views]
    if unknown:
        raise ProfileError({"services": [f"unknown service {sid!r}" for sid in unknown]})
    return [kb.views[sid] for sid in ids]


def evaluate_all(kb: KnowledgeBase, profile: Profile) -> list[Evaluation]:
    """Evaluate every service the profile asks about, in ranking order."""
    weighting = _weights(profile)
    return order([_evaluate(kb, view, profile, weighting) for view in service_views(kb, profile)])


def order(evaluations: list[Evaluation]) -> list[Evaluation]:
    """Eligible first by score, then blocked ones by score; less burden, then id, break ties."""
    return sorted(evaluations, key=lambda e: (bool(e.blockers), -round(e.score, 6), e.view.burden_hours, e.view.service.id))
