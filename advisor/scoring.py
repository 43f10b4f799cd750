"""The fit of one service to one profile: hard limits, needs, and the weighted score.

A ranking orders services in three steps (``order_key``):

1. **Hard limits.** A service whose limits the workload breaks, or that cannot give the isolation
   asked at all, is ruled out and ranks after every eligible one.
2. **Needs.** Among the rest, a service that gives the customisation (control beneath the code)
   the team needs ranks above one that falls short, and one short by one level above one short by
   two; then a service that gives the isolation asked outright ranks above one that gives it only
   with extra work. A need is never traded for convenience.
3. **Score**, 100 times the weighted mean of five fits, each from 0 to 1:

   - burden: 1 when the team's security hours cover the hours it would own, otherwise 1 minus the
     hours missing over the heaviest team burden of any service (the same scale for every service);
   - patching: the same with patching staff and the staff the team's patching layers need;
   - customisation: 1 when the control offered covers the control asked, minus a third per level short;
   - isolation: 1 when the service gives the isolation asked, 0.5 when only with extra work;
   - simplicity: 1 minus the team's hours over the heaviest team burden, so owning less counts even
     when the team has the hours for more.

   Equal scores go to less team burden, then fewer team-owned layers, then less patching staff,
   then the services of the seed article's four models before newer ones (the id only settles
   services whose every figure is equal).

Why shortfalls and not ratios: the burden and patching fits fall by the same amount for each hour
or person missing, whichever service it is. So lowering a team's hours or patching staff can only
widen the lead of a lighter service over a heavier one, and never sends a team that can carry less
to a service that asks more of it (tests/test_model_properties.py holds this over generated profiles).
"""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any

from .errors import ProfileError
from .model import KnowledgeBase, Limit, ServiceView
from .profile import CHOICE_CONDITIONS, WORKLOAD_CHOICES, WORKLOAD_PHRASES, Number, Profile
from .text import as_sentence, possessive, rounded

__all__ = [
    "Blocker", "Evaluation", "Scales", "COMPONENTS", "ISOLATION_FIT", "ISOLATION_TIER", "VALUE_NAMES", "evaluate",
    "unasked_conditions",
    "evaluate_all", "order", "order_key", "service_views", "burden_fit", "patching_fit", "customisation_fit",
    "simplicity_fit", "weighted_score", "weighed", "weight_tuple", "breaks", "scales", "needs_tier",
    "isolation_blockers", "limit_words", "LimitWords",
]

COMPONENTS = ("burden", "patching", "customisation", "isolation", "simplicity")
ISOLATION_FIT = {"yes": 1.0, "with_effort": 0.5, "no": 0.0}
ISOLATION_TIER = {"yes": 0, "with_effort": 1, "no": 2}
VALUE_NAMES = {"linux": "Linux", "windows": "Windows", "x86_64": "x86-64", "arm64": "Arm (arm64)",
               "sync": "synchronous", "async": "asynchronous",
               "application": "the application run directly on the instances",
               "containers": "containers the team runs itself", "kubernetes": "a Kubernetes cluster the team runs",
               "zip": "a .zip package on a managed runtime", "image": "a container image"}


@dataclass(init=False)
class Scales:
    """The figures the burden, patching and simplicity fits divide by: the heaviest of the catalog.

    Never changed once made; its constructor is written out for the reason RankedService's is (ranking.py).
    """

    burden: float
    patching: float

    def __init__(self, burden: float, patching: float) -> None:
        self.burden, self.patching = burden, patching


@dataclass(init=False, eq=False)
class Blocker:
    """A hard limit that rules a service out, said in plain words.

    Never changed once made; its constructor is written out for the reason RankedService's is (ranking.py).
    """

    field: str
    asked: Any
    limit: Any
    sentence: str
    unblock: str
    source: str

    def __init__(self, field: str, asked: Any, limit: Any, sentence: str, unblock: str, source: str) -> None:
        self.field, self.asked, self.limit, self.sentence, self.unblock, self.source = \
            field, asked, limit, sentence, unblock, source

    def as_dict(self) -> dict:
        return {"field": self.field, "asked": self.asked, "limit": self.limit, "sentence": self.sentence,
                "unblock": self.unblock, "source": self.source}


@dataclass(slots=True, init=False)
class Evaluation:
    """The raw fit of one service: score, its parts, its standing on the team's needs and its blockers.

    Never changed once made; not frozen, and its constructor written out, for the reason RankedService's is.
    """

    view: ServiceView
    score: float
    fits: tuple[float, ...]
    blockers: tuple[Blocker, ...]
    tier: tuple[int, int]  # (customisation levels short, isolation: 0 outright, 1 with extra work)

    def __init__(self, view: ServiceView, score: float, fits: tuple[float, ...], blockers: tuple[Blocker, ...],
                 tier: tuple[int, int] = (0, 0)) -> None:
        self.view, self.score, self.fits, self.blockers, self.tier = view, score, fits, blockers, tier

    @property
    def eligible(self) -> bool:
        return not self.blockers

    @property
    def meets_needs(self) -> bool:
        return self.tier[0] == 0


# The parts of the fit, one function each, so that the what-if analysis (robustness.py)
# computes exactly the numbers the ranking does.
def burden_fit(hours: float, burden: float, scale: float) -> float:
    """1 when the hours cover the burden, else 1 minus the hours missing over the scale."""
    return 1.0 if burden <= hours else 1.0 - (burden - hours) / scale


def patching_fit(staff: float, need: float, scale: float) -> float:
    """1 when the staff cover the need, else 1 minus the people missing over the scale."""
    return 1.0 if staff >= need else 1.0 - (need - staff) / scale


def customisation_fit(asked_rank: int, offered_rank: int) -> float:
    """1 when the control offered covers the level asked, minus a third per level short."""
    short = asked_rank - offered_rank
    return 1.0 if short <= 0 else max(0.0, 1.0 - short / 3)


def simplicity_fit(burden: float, scale: float) -> float:
    """1 minus the team's hours over the heaviest team burden."""
    return 1.0 - burden / scale


def scales(kb: KnowledgeBase, calibration: str | None) -> Scales:
    """The heaviest team burden and patching need of any service view under a calibration (never 0)."""
    return Scales(burden=kb.heaviest_burden.get(calibration) or 1.0,
                  patching=kb.heaviest_patching.get(calibration) or 1.0)


def weight_tuple(profile: Profile) -> tuple[Number, ...]:
    """The profile's weights in COMPONENTS order."""
    w = profile.weights
    return (w.burden, w.patching, w.customisation, w.isolation, w.simplicity)


def weighted_score(fits: tuple[float, ...], weights: tuple[Number, ...]) -> float:
    """100 times the weighted mean of the fits."""
    return 100.0 * weighed(fits, weights) / sum(weights)


def weighed(fits: tuple[float, ...], weights: tuple[Number, ...]) -> float:
    """The sum of each fit times its weight, added in order: the same float on every Python and build."""
    total = 0.0
    for i in range(len(fits)):
        total += fits[i] * weights[i]
    return total


def needs_tier(asked_rank: int, offered_rank: int, support: str) -> tuple[int, int]:
    """How far a service is from the team's needs: (customisation levels short, isolation tier)."""
    return (max(0, asked_rank - offered_rank), ISOLATION_TIER[support])


def evaluate(kb: KnowledgeBase, view: ServiceView, profile: Profile, scale: Scales | None = None,
             weights: tuple[Number, ...] | None = None, asked: dict[str, Any] | None = None) -> Evaluation:
    """Score one service for a profile and list what blocks it (scale, weights and the workload as asked: the
    profile's, if known)."""
    scale = scale or scales(kb, profile.calibration)
    service = view.service
    burden = view.burden_hours
    support = service.isolation[profile.isolation]
    asked_rank = kb.customisation_levels[profile.customisation].rank
    fits = (
        burden_fit(profile.security_hours_per_month, burden, scale.burden),
        patching_fit(profile.patching_staff, view.patching_staff_needed, scale.patching),
        customisation_fit(asked_rank, view.customisation_rank),
        ISOLATION_FIT[support.support],
        simplicity_fit(burden, scale.burden),
    )
    score = weighted_score(fits, weights or weight_tuple(profile))
    blockers = _limit_blockers(kb, view, profile.workload.asked() if asked is None else asked)
    if support.support == "no":
        blockers = (*blockers, kb.isolation_blockers[service.id, profile.isolation])
    if len(blockers) > 1:
        blockers = tuple(_with_others(b, len(blockers) - 1) for b in blockers)
    return Evaluation(view=view, score=score, fits=fits, blockers=blockers,
                      tier=needs_tier(asked_rank, view.customisation_rank, support.support))


def isolation_blockers(kb: KnowledgeBase) -> Mapping[tuple[str, str], Blocker]:
    """Per (service, isolation level) the service cannot give at all, the blocker that rules it out; made at load."""
    found = {}
    for service in kb.services.values():
        for level_id, support in service.isolation.items():
            if support.support == "no":
                found[service.id, level_id] = Blocker(
                    field="isolation", asked=level_id, limit=support.level,
                    sentence=as_sentence(f"{kb.isolation_levels[level_id].name} isolation is not available on "
                                         f"{service.name}: {support.note}", end=False),
                    unblock=f"{service.name} becomes eligible if {support.unblock}.", source=support.source)
    return MappingProxyType(found)


def _with_others(blocker: Blocker, others: int) -> Blocker:
    # One change alone does not make a service with several blockers eligible; say so.
    rest = "its other hard limit is met too" if others == 1 else f"its {others} other hard limits are met too"
    return Blocker(field=blocker.field, asked=blocker.asked, limit=blocker.limit, sentence=blocker.sentence,
                   unblock=f"{blocker.unblock.removesuffix('.')}, and if {rest}.", source=blocker.source)


def breaks(limit: Limit, asked: Mapping[str, Any]) -> bool:
    """Whether a workload, given as its fields, breaks one hard limit (when its condition holds)."""
    if limit.when and any(asked[k] != v for k, v in limit.when):
        return False
    value = asked[limit.field]
    if limit.kind == "max":
        return value is not None and value > limit.value
    if limit.kind == "not_supported":
        return value is True
    return value is not None and value not in limit.values


@dataclass(frozen=True)
class LimitWords:
    """What a blocker says of one hard limit of one service, made at load; only a figure asked is put in later."""

    unblock: str  # "<service> becomes eligible if ..."
    sentences: Mapping[object, str]  # per value asked, for limits on flags and choices (the values are few)


def limit_words(kb: KnowledgeBase) -> Mapping[str, tuple[LimitWords, ...]]:
    """Per service, the words of each hard limit, in the order of its views' limits; made at load."""
    found = {}
    for service_id, view in kb.views.items():  # every view of a service has the same limits
        name = view.service.name
        words = []
        for limit in view.limits:
            values = [True] if limit.kind == "not_supported" else \
                list(WORKLOAD_CHOICES.get(limit.field, ())) if limit.kind == "allowed" else []
            words.append(LimitWords(
                unblock=f"{name} becomes eligible if {limit.unblock.removesuffix('.')}.",
                sentences=MappingProxyType({value: _blocker_sentence(name, limit, value) for value in values})))
        found[service_id] = tuple(words)
    return MappingProxyType(found)


def _limit_blockers(kb: KnowledgeBase, view: ServiceView, asked: dict[str, Any]) -> tuple[Blocker, ...]:
    return tuple(_blocker(view, limit, asked[limit.field], words)
                 for limit, words in zip(view.limits, kb.limit_words[view.service.id]) if breaks(limit, asked))


def unasked_conditions(kb: KnowledgeBase, view: ServiceView, asked: Mapping[str, Any]) -> list[tuple[str, Any, Blocker]]:
    """The limits an eligible service would break had the team given a condition it left open (field, value, blocker).

    A run of 30 minutes with no invocation given fits Lambda Managed Instances only if it starts asynchronously:
    the answer should say so, not assume it silently.
    """
    found = []
    for limit, words in zip(view.limits, kb.limit_words[view.service.id]):
        for key, value in limit.when:
            if asked.get(key, False) is None:
                supposed = {**asked, key: value}
                if breaks(limit, supposed):
                    found.append((key, value, _blocker(view, limit, supposed[limit.field], words)))
    return found


def _blocker(view: ServiceView, limit: Limit, asked: object, words: LimitWords) -> Blocker:
    sentence = words.sentences.get(asked)
    if sentence is None:  # a figure (or a value the knowledge base does not list)
        sentence = _blocker_sentence(view.service.name, limit, asked)
    bound = limit.value if limit.kind == "max" else False if limit.kind == "not_supported" else list(limit.values)
    return Blocker(field=f"workload.{limit.field}", asked=asked, limit=bound, sentence=sentence, unblock=words.unblock,
                   source=limit.source)


def _blocker_sentence(name: str, limit: Limit, asked: Any) -> str:
    if limit.kind == "max":
        sentence = f"{WORKLOAD_PHRASES[limit.field].format(value=asked)} exceeds {possessive(name)} {limit.label}"
    elif limit.field == "os":
        sentence = f"a {VALUE_NAMES.get(asked, asked)} workload cannot run here: {name} {limit.label}"
    elif (limit.field, asked) in CHOICE_CONDITIONS:  # how the team runs it (a default, perhaps), not a need
        sentence = f"{CHOICE_CONDITIONS[limit.field, asked]}, {name} {limit.label}"
    elif limit.kind == "allowed":
        phrase = WORKLOAD_PHRASES[limit.field].format(value=VALUE_NAMES.get(asked, asked))
        sentence = f"a workload that needs {phrase} cannot run here: {name} {limit.label}"
    else:
        sentence = f"the workload needs {WORKLOAD_PHRASES[limit.field]}, but {name} {limit.label}"
    return as_sentence(sentence, end=False)


def service_views(kb: KnowledgeBase, profile: Profile) -> list[ServiceView]:
    """The views of the services a profile asks about, in the order it names them.

    Each view is the one precomputed for the profile's overlay (layers an internal party
    took over count for it, not for the team), calibration and workload choices.
    """
    errors: dict[str, list[str]] = {}
    if profile.overlay is not None and profile.overlay not in kb.overlays:
        errors["overlay"] = [f"unknown overlay {profile.overlay!r}"]
    if profile.calibration is not None and profile.calibration not in kb.calibrations:
        errors["calibration"] = [f"unknown calibration {profile.calibration!r}"]
    ids = profile.services or kb.default_services
    unknown = [sid for sid in ids if sid not in kb.services]
    if unknown:
        errors["services"] = [f"unknown service {sid!r}" for sid in unknown]
    if errors:
        raise ProfileError(errors)
    choices = profile.workload.choices()
    return [kb.view(sid, profile.overlay, profile.calibration, choices) for sid in ids]


def evaluate_all(kb: KnowledgeBase, profile: Profile) -> list[Evaluation]:
    """Evaluate every service the profile asks about, in ranking order."""
    scale, weights, asked = scales(kb, profile.calibration), weight_tuple(profile), profile.workload.asked()
    return order([evaluate(kb, view, profile, scale, weights, asked) for view in service_views(kb, profile)])


def order_key(blocked: bool, tier: tuple[int, int], score: float, view: ServiceView) -> tuple:
    """The ranking's sort key: eligible first, needs met first, higher score, then the documented tie-breaks."""
    return (blocked, tier, -rounded(score, 6), view.burden_hours, len(view.team_owns), view.patching_staff_needed,
            not view.service.default, view.service.id)


def order(evaluations: list[Evaluation]) -> list[Evaluation]:
    """Evaluations in ranking order (order_key)."""
    return sorted(evaluations, key=lambda e: order_key(bool(e.blockers), e.tier, e.score, e.view))
