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

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, replace
from operator import mul

from .errors import ProfileError
from .model import KnowledgeBase, Limit, ServiceView
from .profile import WORKLOAD_PHRASES, Profile, Workload

__all__ = [
    "Blocker", "Evaluation", "COMPONENTS", "ISOLATION_FIT", "VALUE_NAMES", "evaluate", "evaluate_all", "order",
    "order_key", "service_views", "burden_fit", "patching_fit", "customisation_fit", "weighted_score",
    "weight_tuple", "limits_broken", "breaks",
]

COMPONENTS = ("burden", "patching", "customisation", "isolation", "simplicity")
ISOLATION_FIT = {"yes": 1.0, "with_effort": 0.5, "no": 0.0}
VALUE_NAMES = {"linux": "Linux", "windows": "Windows", "x86_64": "x86-64", "arm64": "Arm (arm64)",
               "sync": "synchronous", "async": "asynchronous"}


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


# The parts of the fit, one function each, so that the what-if analysis (robustness.py)
# computes exactly the numbers the ranking does.
def burden_fit(hours: float, burden: float) -> float:
    """Stated hours over owned hours, capped at 1."""
    return 1.0 if burden <= hours else hours / burden


def patching_fit(staff: int, need: float) -> float:
    """Patching staff over the staff the owned patching layers need, capped at 1."""
    return 1.0 if staff >= need else staff / need


def customisation_fit(asked_rank: int, offered_rank: int) -> float:
    """1 when the control offered covers the level asked, minus a third per level short."""
    short = asked_rank - offered_rank
    return 1.0 if short <= 0 else 1.0 - short / 3


def weight_tuple(profile: Profile) -> tuple[float, ...]:
    """The profile's weights in COMPONENTS order."""
    w = profile.weights
    return (w.burden, w.patching, w.customisation, w.isolation, w.simplicity)


def weighted_score(fits: tuple[float, ...], weights: tuple[float, ...]) -> float:
    """100 times the weighted mean of the fits."""
    return 100.0 * sum(map(mul, fits, weights)) / sum(weights)


def evaluate(kb: KnowledgeBase, view: ServiceView, profile: Profile) -> Evaluation:
    """Score one service for a profile and list what blocks it."""
    service = view.service
    burden = view.burden_hours
    support = service.isolation[profile.isolation]
    fits = (
        burden_fit(profile.security_hours_per_month, burden),
        patching_fit(profile.patching_staff, view.patching_staff_needed),
        customisation_fit(kb.customisation_levels[profile.customisation].rank, view.customisation_rank),
        ISOLATION_FIT[support.support],
        1.0 - burden / kb.full_stack_hours,
    )
    score = weighted_score(fits, weight_tuple(profile))
    blockers = _limit_blockers(view, profile)
    if support.support == "no":
        blockers = blockers + (Blocker(
            field="isolation", asked=profile.isolation, limit=support.level,
            sentence=f"{kb.isolation_levels[profile.isolation].name} isolation was asked, but {support.note[0].lower()}{support.note[1:]}",
            unblock=f"{service.name} becomes eligible if {support.unblock}.", source=support.source),)
    if len(blockers) > 1:
        blockers = tuple(_with_others(b, len(blockers) - 1) for b in blockers)
    return Evaluation(view=view, score=score, fits=fits, blockers=blockers)


def _with_others(blocker: Blocker, others: int) -> Blocker:
    # One change alone does not make a service with several blockers eligible; say so.
    rest = "its other hard limit is met too" if others == 1 else f"its {others} other hard limits are met too"
    return replace(blocker, unblock=f"{blocker.unblock.removesuffix('.')}, and if {rest}.")


def limits_broken(view: ServiceView, workload: Workload) -> Iterator[Limit]:
    """The service's hard limits that the workload breaks, in data-file order per field."""
    asked = vars(workload)
    for limits in view.limits_by_field.values():
        for limit in limits:
            if breaks(limit, asked):
                yield limit


def breaks(limit: Limit, asked: Mapping[str, object]) -> bool:
    """Whether a workload, given as its fields, breaks one hard limit (when its condition holds)."""
    if limit.when and any(asked[k] != v for k, v in limit.when):
        return False
    value = asked[limit.field]
    if limit.kind == "max":
        return value is not None and value > limit.value
    if limit.kind == "not_supported":
        return value is True
    return value is not None and value not in limit.values


def _limit_blockers(view: ServiceView, profile: Profile) -> tuple[Blocker, ...]:
    workload = profile.workload
    return tuple(_blocker(view, limit, getattr(workload, limit.field)) for limit in limits_broken(view, workload))


def _blocker(view: ServiceView, limit: Limit, asked: object) -> Blocker:
    name = view.service.name
    if limit.kind == "max":
        sentence = f"{WORKLOAD_PHRASES[limit.field].format(value=asked)} exceeds {name}'s {limit.label}"
        bound = limit.value
    elif limit.field == "os":
        sentence = f"a {VALUE_NAMES.get(asked, asked)} workload cannot run here: {name} {limit.label}"
        bound = list(limit.values)
    elif limit.kind == "allowed":
        phrase = WORKLOAD_PHRASES[limit.field].format(value=VALUE_NAMES.get(asked, asked))
        sentence = f"a workload that needs {phrase} cannot run here: {name} {limit.label}"
        bound = list(limit.values)
    else:
        sentence = f"the workload needs {WORKLOAD_PHRASES[limit.field]}, but {name} {limit.label}"
        bound = False
    return Blocker(field=f"workload.{limit.field}", asked=asked, limit=bound, sentence=sentence[0].upper() + sentence[1:],
                   unblock=f"{name} becomes eligible if {limit.unblock}.", source=limit.source)


def service_views(kb: KnowledgeBase, profile: Profile) -> list[ServiceView]:
    """The precomputed views of the services a profile asks about, in the order it names them.

    With an organisation overlay the views are the overlay's: layers its parties took over
    count for them, not for the team.
    """
    errors: dict[str, list[str]] = {}
    views = kb.views
    if profile.overlay is not None:
        views = kb.overlay_views.get(profile.overlay, {})
        if not views:
            errors["overlay"] = [f"unknown overlay {profile.overlay!r}"]
    ids = profile.services or kb.default_services
    unknown = [sid for sid in ids if sid not in kb.views]
    if unknown:
        errors["services"] = [f"unknown service {sid!r}" for sid in unknown]
    if errors:
        raise ProfileError(errors)
    return [views[sid] for sid in ids]


def evaluate_all(kb: KnowledgeBase, profile: Profile) -> list[Evaluation]:
    """Evaluate every service the profile asks about, in ranking order."""
    return order([evaluate(kb, view, profile) for view in service_views(kb, profile)])


def order_key(blocked: bool, score: float, view: ServiceView) -> tuple:
    """The ranking's sort key: eligible before blocked, then higher score, less burden, then id."""
    return (blocked, -round(score, 6), view.burden_hours, view.service.id)


def order(evaluations: list[Evaluation]) -> list[Evaluation]:
    """Eligible first by score, then blocked ones by score; less burden, then id, break ties."""
    return sorted(evaluations, key=lambda e: order_key(bool(e.blockers), e.score, e.view))
