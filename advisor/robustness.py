"""How firmly the first place holds: the margin over number two, a label, and what would change it.

Margin and label
----------------
``margin`` is the first eligible service's score minus the second's, both rounded to one
decimal as the ranking shows them, so it is the gap a reader sees ("7.5 ahead of ..."). When
the second meets fewer of the team's needs than the first, first place does not rest on points
at all and the label is ``robust``. Otherwise the label reads the margin against two cut-offs:

- ``robust``: a margin of 5 points or more (``ROBUST_MARGIN``);
- ``close``: at least 2 points but under 5 (``CLOSE_MARGIN``);
- ``fragile``: under 2 points, including a tie settled by less burden.

With a single eligible service the margin is null and the label ``robust`` (no eligible
rival); with none eligible the margin is null and the label ``fragile`` (nothing is really
recommended).

Thresholds
----------
For every input that can change the winner, ``thresholds`` gives the nearest value that
puts another service first, and which one: for a number, the nearest in each direction
(``decrease`` and ``increase``); for a level (customisation, isolation), the nearest level
below and above; for a yes/no field, the operating system, the architecture, how runs start,
how the team would run the application on EC2 and how Lambda functions are packaged, each other
value (``change``). An input with no such value within its valid range is left out, and so is a
workload figure beyond what any AWS compute offers (``workload_bounds`` in the knowledge base).
Numbers move on a grid of documented steps (``STEPS``), so values are ones a person would type:

=================================  ========================================
input                              step
=================================  ========================================
security_hours_per_month           1 hour (grid 0, 1, 2, ..., 100000)
patching_staff                     1 person (0 to 10000)
workload.max_duration_minutes      1 minute (1 to 1000000)
workload.memory_gb                 1 GB (1 to 1000000)
workload.vcpu                      1 vCPU (1 to 1000000)
workload.ephemeral_storage_gb      1 GB (1 to 1000000)
weights.<part>                     0.01 (0 to 1000)
customisation, isolation           one level of the knowledge base's scale
gpu, privileged, always_on,        the other value
daemonsets
os, arch, invocation, on_ec2,      every other value
lambda_package
=================================  ========================================

What is guaranteed: applied to the profile, each reported value puts the named service
first under the ranking's own order (scoring.order_key), eligible, and no grid value between the
current one and the reported one changes the winner. A value that would rule every service out
names no service, so it is never reported, and in its direction the search ends there (for a
level or a number, past it even more is asked). When every service is ruled out already, only
the values that make one eligible are reported. How it is found is in whatif.py.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, NamedTuple

from .model import KnowledgeBase
from .profile import CHOICE_CONDITIONS, CHOICE_DEFAULTS, WORKLOAD_CHOICES, WORKLOAD_PHRASES, Number, Profile
from .scoring import COMPONENTS, VALUE_NAMES, Evaluation
from .text import number, rounded
from .whatif import NONE_ELIGIBLE, Grid, Standings, nearest_change

__all__ = ["ROBUST_MARGIN", "CLOSE_MARGIN", "STEPS", "Threshold", "Robustness", "robustness", "label_for"]

ROBUST_MARGIN = 5.0
CLOSE_MARGIN = 2.0

# input -> (grid units per 1, lowest and highest grid index); value = index / scale.
# The ranges are the profile schema's (schemas/profile.py); a test keeps them equal.
STEPS: dict[str, tuple[int, int, int]] = {
    "security_hours_per_month": (1, 0, 100_000),
    "patching_staff": (1, 0, 10_000),
    "workload.max_duration_minutes": (1, 1, 1_000_000),
    "workload.memory_gb": (1, 1, 1_000_000),
    "workload.vcpu": (1, 1, 1_000_000),
    "workload.ephemeral_storage_gb": (1, 1, 1_000_000),
    **{f"weights.{part}": (100, 0, 100_000) for part in COMPONENTS},
}
NUMERIC_WORKLOAD = ("max_duration_minutes", "memory_gb", "vcpu", "ephemeral_storage_gb")
BOOLEAN_WORKLOAD = ("gpu", "privileged", "always_on", "daemonsets")
CHOICE_WORKLOAD = tuple(WORKLOAD_CHOICES)
WORKLOAD_FIELDS = (*NUMERIC_WORKLOAD, *BOOLEAN_WORKLOAD, *CHOICE_WORKLOAD)
DIRECTIONS = ((-1, "decrease"), (1, "increase"))


class Threshold(NamedTuple):
    """The nearest value of one input that puts another service first."""

    input: str
    value: Any
    current: Any
    direction: str  # "decrease", "increase" or "change"
    first: str
    sentence: str

    def as_dict(self) -> dict:
        return {"input": self.input, "value": self.value, "current": self.current, "direction": self.direction,
                "first": self.first, "sentence": self.sentence}


@dataclass(init=False)
class Robustness:
    """How firmly the first place holds, and the what-ifs that would change it.

    Never changed once made; its constructor is written out for the reason RankedService's is (ranking.py).
    """

    label: str
    margin: float | None
    first: str
    runner_up: str | None
    thresholds: tuple[Threshold, ...]

    def __init__(self, label: str, margin: float | None, first: str, runner_up: str | None,
                 thresholds: tuple[Threshold, ...]) -> None:
        self.label, self.margin, self.first, self.runner_up, self.thresholds = label, margin, first, runner_up, thresholds

    def as_dict(self) -> dict:
        return {"label": self.label, "margin": self.margin, "first": self.first, "runner_up": self.runner_up,
                "thresholds": [t.as_dict() for t in self.thresholds]}


def label_for(margin: float | None, eligible: int) -> str:
    """The label for a margin (rounded points) and the number of eligible services."""
    if margin is None:
        return "robust" if eligible == 1 else "fragile"
    if margin >= ROBUST_MARGIN:
        return "robust"
    if margin >= CLOSE_MARGIN:
        return "close"
    return "fragile"


def robustness(kb: KnowledgeBase, profile: Profile, evaluations: list[Evaluation]) -> Robustness:
    """The margin, label and thresholds of a ranking, from its evaluations in ranking order.

    Parameters
    ----------
    kb : KnowledgeBase
        The knowledge base the evaluations come from.
    profile : Profile
        The profile that was evaluated.
    evaluations : list of Evaluation
        ``scoring.evaluate_all(kb, profile)``: reused, not recomputed.

    Examples
    --------
    >>> profile = Profile(20, 0, "low", "standard")  # doctest: +SKIP
    >>> r = robustness(kb, profile, evaluate_all(kb, profile))  # doctest: +SKIP
    >>> r.label, r.thresholds[0].sentence  # doctest: +SKIP
    ('close', 'With 30 security hours a month, AWS Fargate (Amazon ECS) would rank first.')
    """
    eligible = [e for e in evaluations if e.eligible]
    margin = rounded(rounded(eligible[0].score, 1) - rounded(eligible[1].score, 1), 1) if len(eligible) >= 2 else None
    label = label_for(margin, len(eligible))
    if len(eligible) >= 2 and eligible[1].tier != eligible[0].tier:
        label = "robust"  # the runner-up meets fewer needs: no number of points would let it pass
    search = _Search(kb, profile, Standings(kb, profile, evaluations))
    thresholds = [*search.capacity(), *search.levels(), *search.workload(), *search.weights()]
    return Robustness(label=label, margin=margin, first=evaluations[0].view.service.id,
                      runner_up=eligible[1].view.service.id if len(eligible) >= 2 else None,
                      thresholds=tuple(thresholds))


class _Search:
    """Each input's nearest values that change first place, as Threshold records."""

    def __init__(self, kb: KnowledgeBase, profile: Profile, standings: Standings):
        self.kb, self.profile, self.standings = kb, profile, standings

    def _threshold(self, name: str, value, current, direction: str, winner: int) -> Threshold:
        service = self.standings.views[winner].service
        return Threshold(input=name, value=value, current=current, direction=direction, first=service.id,
                         sentence=f"{_condition(self.kb, name, value)}, {service.name} would rank first.")

    def _numbers(self, name: str, current, candidates_for, winner_at) -> list[Threshold]:
        """Nearest grid values below and above the current one (the first decrease, then increase).

        candidates_for() gives the values where the winner may change, the same for both directions."""
        grid = GRIDS[name]
        found = []
        candidates = candidates_for()
        for direction, word in DIRECTIONS:
            if current is None and direction < 0:
                continue  # not asked is the smallest demand there is
            hit = nearest_change(grid, current, direction, candidates, winner_at, self.standings.unchanged)
            # A value that rules every service out ends the search: past it, nothing would be recommended.
            if hit is not None and hit[1] != NONE_ELIGIBLE and self._within_bounds(name, hit[0]):
                found.append(self._threshold(name, hit[0], current, word, hit[1]))
        return found

    def _within_bounds(self, name: str, value: float) -> bool:
        bound = self.kb.workload_bounds.get(name.removeprefix("workload."))
        return bound is None or value <= bound

    def capacity(self) -> list[Threshold]:
        s, profile = self.standings, self.profile
        if not s.rivals:
            return []
        hours_kinks = [v.burden_hours for v in s.views]
        staff_kinks = [v.patching_staff_needed for v in s.views]
        return [
            *self._numbers("security_hours_per_month", profile.security_hours_per_month,
                           lambda: s.score_crossings(s.hours_fits, hours_kinks, 0, 100_000),
                           lambda x: s.winner_with_fits(s.hours_fits(x))),
            *self._numbers("patching_staff", profile.patching_staff,
                           lambda: s.score_crossings(s.staff_fits, staff_kinks, 0, 10_000),
                           lambda x: s.winner_with_fits(s.staff_fits(x))),
        ]

    def weights(self) -> list[Threshold]:
        s = self.standings
        if not s.rivals:
            return []
        found = []
        for part, component in enumerate(COMPONENTS):
            name = f"weights.{component}"
            found += self._numbers(name, s.weights[part], lambda part=part: s.weight_crossings(part, 0, 1000),
                                   lambda x, part=part: self._weight_winner(part, x))
        return found

    def _weight_winner(self, part: int, value: Number) -> int:
        weights = self.standings.weights
        if value == 0 and sum(weights) == weights[part]:
            return 0  # the weights may not all be zero: not a value the profile can take
        return self.standings.winner_with_weight(part, value)

    def levels(self) -> list[Threshold]:
        found = []
        for name, winner_with in (("customisation", self.standings.winner_with_customisation),
                                  ("isolation", self.standings.winner_with_isolation)):
            scale = list(self.kb.customisation_levels if name == "customisation" else self.kb.isolation_levels)
            current = scale.index(getattr(self.profile, name))
            for word, steps in (("decrease", range(current - 1, -1, -1)), ("increase", range(current + 1, len(scale)))):
                hit = next(((i, w) for i in steps if (w := winner_with(scale[i])) != self.standings.unchanged), None)
                if hit is not None and hit[1] != NONE_ELIGIBLE:
                    found.append(self._threshold(name, scale[hit[0]], scale[current], word, hit[1]))
        return found

    def workload(self) -> list[Threshold]:
        found = []
        asked = self.profile.workload.asked()
        read = {field for view in self.standings.views for field in view.limits_reading}
        for field in WORKLOAD_FIELDS:
            if field not in read and field not in CHOICE_DEFAULTS:
                continue  # no limit reads it: no value of it can change first place
            name = f"workload.{field}"
            if field in NUMERIC_WORKLOAD:
                found += self._numbers(name, asked[field],
                                       lambda field=field: self.standings.workload_breakpoints(field),
                                       lambda x, field=field: self.standings.winner_with_workload(field, x))
                continue
            for value in _other_values(field, asked[field]):
                winner = (self.standings.winner_with_choice(field, value) if field in CHOICE_DEFAULTS
                          else self.standings.winner_with_workload(field, value))
                if winner not in (self.standings.unchanged, NONE_ELIGIBLE):
                    found.append(self._threshold(name, value, asked[field], "change", winner))
        return found


def _grid(name: str) -> Grid:
    per_unit, low, high = STEPS[name]
    return Grid(per_unit=per_unit, low=low, high=high, whole=name == "patching_staff")


GRIDS = {name: _grid(name) for name in STEPS}


def _other_values(field: str, current) -> list:
    if field in BOOLEAN_WORKLOAD:
        return [not current]
    return [c for c in WORKLOAD_CHOICES[field] if c != current]


def _condition(kb: KnowledgeBase, name: str, value) -> str:
    """The changed input as the start of a sentence: "With 2 patching engineers"."""
    if name in _PROFILE_CONDITIONS:
        return _PROFILE_CONDITIONS[name](kb, value)
    if name.startswith("weights."):
        return f"With the {name.split('.', 1)[1]} weight at {number(value)}"
    return _workload_condition(name.split(".", 1)[1], value)


def _patching_condition(kb: KnowledgeBase, value) -> str:
    if value == 0:
        return "With no patching engineers"
    return f"With {value} patching engineer{'s' if value != 1 else ''}"


_PROFILE_CONDITIONS = {
    "security_hours_per_month": lambda kb, value: f"With {number(value)} security hours a month",
    "patching_staff": _patching_condition,
    "customisation": lambda kb, value: f"With {kb.customisation_levels[value].name.lower()} customisation needed",
    "isolation": lambda kb, value: f"With {kb.isolation_levels[value].name.lower()} isolation needed",
}


def _workload_condition(field: str, value) -> str:
    if (field, value) in CHOICE_CONDITIONS:
        return CHOICE_CONDITIONS[field, value]
    if field == "os":
        return f"With a {VALUE_NAMES[value]} workload"
    if field in WORKLOAD_CHOICES:
        return "With " + WORKLOAD_PHRASES[field].format(value=VALUE_NAMES.get(value, value))
    if field in BOOLEAN_WORKLOAD:
        return f"{'With' if value else 'Without'} {WORKLOAD_PHRASES[field]}"
    return "With " + WORKLOAD_PHRASES[field].format(value=value)
