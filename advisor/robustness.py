"""How firmly the first place holds: the margin over number two, a label, and what would change it.

Margin and label
----------------
``margin`` is the first eligible service's score minus the second's, both rounded to one
decimal as the ranking shows them, so it is the gap a reader sees ("7.5 ahead of ...").
The label reads the margin against two cut-offs:

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
below and above; for a yes/no field or the operating system, the other value (``change``).
An input with no such value within its valid range is left out. Numbers move on a grid of
documented steps (``STEPS``), so values are ones a person would type:

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
gpu, privileged, always_on, os     the other value
=================================  ========================================

What is guaranteed: applied to the profile, each reported value puts the named service
first under the ranking's own order (scoring.order_key), and the value one step short of
it toward the current value (the current value itself when that is nearer) keeps the
current first place. For numbers, no grid value between the current one and the
reported one changes the winner.

How it is found, exactly rather than by sampling: the score is a weighted mean of fits
that are linear in each number between known kinks (the burden fit bends at each
service's burden, the patching fit at each service's patching need; a weight enters the
numerator linearly under a denominator every service shares), so each rival's lead over
the leader is piecewise linear and its zero crossings are solved for. Workload numbers
only move hard limits, so the candidates are the limit values of the services that could
take first place (the leader, or a blocked service that would outrank it if eligible).
Each candidate is snapped to the grid and re-ranked with the same fit functions and sort
key the ranking uses; each other level and yes/no value is tried. A change that leaves
every rival more than 0.0001 points behind the leader (too little for the ranking's
rounding to matter) is passed over without re-ranking. The search is bounded by the number
of kinks, limits and levels, reuses the profile's evaluations, and is deterministic.
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from operator import mul, sub
from typing import Callable, NamedTuple

from .model import KnowledgeBase, Limit, ServiceView
from .profile import WORKLOAD_CHOICES, WORKLOAD_PHRASES, Profile
from .scoring import (
    COMPONENTS, ISOLATION_FIT, VALUE_NAMES, Evaluation, breaks, burden_fit, customisation_fit, order_key,
    patching_fit, weight_tuple, weighted_score,
)

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
WORKLOAD_FIELDS = (*NUMERIC_WORKLOAD, *BOOLEAN_WORKLOAD, *WORKLOAD_CHOICES)


class Threshold(NamedTuple):
    """The nearest value of one input that puts another service first."""

    input: str
    value: object
    current: object
    direction: str  # "decrease", "increase" or "change"
    first: str
    sentence: str

    def as_dict(self) -> dict:
        return {"input": self.input, "value": self.value, "current": self.current, "direction": self.direction,
                "first": self.first, "sentence": self.sentence}


@dataclass(frozen=True)
class Robustness:
    """How firmly the first place holds, and the what-ifs that would change it."""

    label: str
    margin: float | None
    first: str
    runner_up: str | None
    thresholds: tuple[Threshold, ...]

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
    >>> r.label, r.margin, r.thresholds[0].sentence  # doctest: +SKIP
    ('close', 2.0, 'With dedicated isolation needed, Amazon ECS on EC2 would rank first.')
    """
    eligible = [e for e in evaluations if e.eligible]
    margin = round(round(eligible[0].score, 1) - round(eligible[1].score, 1), 1) if len(eligible) >= 2 else None
    probe = _Probe(kb, profile, evaluations)
    thresholds = [*probe.by_hours(), *probe.by_patching(), *probe.by_level("customisation"),
                  *probe.by_level("isolation"), *probe.by_workload(), *probe.by_weights()]
    return Robustness(label=label_for(margin, len(eligible)), margin=margin, first=evaluations[0].view.service.id,
                      runner_up=eligible[1].view.service.id if len(eligible) >= 2 else None,
                      thresholds=tuple(thresholds))


class _Probe:
    """The evaluated profile, re-ranked cheaply with one input changed.

    Only what a change touches is recomputed: one fit, the weights, or the blocked status
    of the services whose limits read the changed workload field. A change is screened
    first by each rival's lead over the leader (its weighted sum of fits minus the
    leader's); a rival behind by more than ``slack`` is more than 0.0001 points behind and
    cannot come first, so only changes that pass the screen are re-ranked, always with
    scoring.order_key over the scores scoring.weighted_score gives, as the ranking does.
    """

    def __init__(self, kb: KnowledgeBase, profile: Profile, evaluations: list[Evaluation]):
        self.kb, self.profile = kb, profile
        self.views: list[ServiceView] = [e.view for e in evaluations]
        self.fits = [e.fits for e in evaluations]
        self.scores = [e.score for e in evaluations]
        self.blockers = [e.blockers for e in evaluations]
        self.blocked = [bool(b) for b in self.blockers]
        self.isolation_blocked = [any(b.field == "isolation" for b in bs) for bs in self.blockers]
        self.limit_blocked = [any(b.field != "isolation" for b in bs) for bs in self.blockers]
        self.weights = weight_tuple(profile)
        self.slack = 1e-6 * sum(self.weights)
        # evaluations come in ranking order, so index 0 leads. Only services as blocked as the
        # leader can overtake it on score; gaps[j][k] is such a rival's fit minus the leader's on part k.
        self.rivals = [i for i in range(1, len(evaluations)) if self.blocked[i] == self.blocked[0]]
        self.gaps = [tuple(map(sub, self.fits[j], self.fits[0])) for j in self.rivals]
        self.leads = [sum(map(mul, self.weights, gap)) for gap in self.gaps]

    def first(self, fits: list | None = None, weights: tuple | None = None, blocked: list | None = None) -> int:
        """Index of the service the ranking's own sort key puts first, with some parts changed.

        While no service's blocked status changes, only the leader and its rivals can come
        first, so only their keys are computed.
        """
        weights = self.weights if weights is None else weights
        fits = self.fits if fits is None else fits
        if blocked is None:
            blocked, among = self.blocked, (0, *self.rivals)
        else:
            among = range(len(self.views))
        return min((order_key(blocked[i], weighted_score(fits[i], weights), self.views[i]), i) for i in among)[1]

    def _threshold(self, name: str, value, current, direction: str, winner: int) -> Threshold:
        service = self.views[winner].service
        return Threshold(input=name, value=value, current=current, direction=direction, first=service.id,
                         sentence=f"{_condition(self.kb, name, value)}, {service.name} would rank first.")

    # -- numbers on which the score depends piecewise linearly --------------------------

    def _nearest_on_grid(self, name: str, current: float, direction: int, crossings: list[float],
                         first_at: Callable, low: int) -> Threshold | None:
        """The grid value nearest the current one, from the crossings on, that changes first place."""
        scale, _, high = STEPS[name]
        integral = name == "patching_staff"

        def value(k):
            return k if integral else k / scale

        def beyond(k):
            return low <= k <= high and (value(k) - current) * direction > 0

        crossings = sorted(crossings, key=lambda c: c * direction)
        # Before the first crossing every rival trails by more than the slack: no need to re-rank there.
        safe_until = crossings[0] - direction * 1e-9 * (1 + abs(crossings[0]))
        tried: dict[int, int] = {}

        def first_on_grid(k):
            if k not in tried:
                tried[k] = 0 if (safe_until - value(k)) * direction > 0 else first_at(value(k))
            return tried[k]

        for c in crossings:
            k0 = math.floor(c * scale) if direction > 0 else math.ceil(c * scale)
            for k in (k0, k0 + direction, k0 + 2 * direction):
                if beyond(k) and (first := first_on_grid(k)) != 0:
                    # Walk back while the step short changes first place too (rounding in the solve).
                    while beyond(k - direction) and (back := first_on_grid(k - direction)) != 0:
                        k, first = k - direction, back
                    return self._threshold(name, value(k), current, "increase" if direction > 0 else "decrease",
                                           first)
        return None

    def _part(self, name: str, part: int, current: float, fit: Callable, kinks: list[float]) -> list[Threshold]:
        """An input that moves one fit, which grows with it from 0 to at most 1 (hours, patching staff).

        Each rival's lead over the leader is linear between the kinks where a fit reaches 1.
        """
        if not self.rivals:
            return []
        scale, low, high = STEPS[name]
        w, slack = self.weights[part], self.slack
        rest = [lead - w * gap[part] + slack for lead, gap in zip(self.leads, self.gaps)]
        leader = self.views[0]
        rivals = [self.views[j] for j in self.rivals]

        def lead_at(x):  # leads plus the slack: a crossing of 0 starts where a rival might come first
            own = fit(x, leader)
            return [r + w * (fit(x, v) - own) for r, v in zip(rest, rivals)]

        def first_at(x):
            return self.first(fits=[(*f[:part], fit(x, v), *f[part + 1:]) for v, f in zip(self.views, self.fits)])

        found = []
        start = [lead + slack for lead in self.leads]
        # Screen: both fits grow with the input, from 0 to 1 at most. Moving up, a rival gains at
        # most what its fit lacks of 1; moving down, at most the leader's whole fit.
        reach = {1: [s + w * (1 - self.fits[j][part]) for s, j in zip(start, self.rivals)],
                 -1: [s + w * self.fits[0][part] for s in start]}
        for direction in (-1, 1):
            bound = (low if direction < 0 else high) / scale
            if (bound - current) * direction <= 0 or max(reach[direction]) < 0:
                continue
            inner = sorted({k for k in kinks if 0 < (k - current) * direction < (bound - current) * direction},
                           key=lambda k: (k - current) * direction)
            points = [current, *inner, bound]
            leads = [start, *(lead_at(x) for x in points[1:])]
            crossings = []
            for j in range(len(rivals)):
                for p, q, lp, lq in zip(points, points[1:], leads, leads[1:]):
                    if lp[j] >= 0:
                        crossings.append(p)
                    elif lq[j] >= 0:
                        crossings.append(p + (q - p) * (-lp[j]) / (lq[j] - lp[j]))
            if crossings and (hit := self._nearest_on_grid(name, current, direction, crossings, first_at, low)):
                found.append(hit)
        return found

    def by_hours(self) -> list[Threshold]:
        return self._part("security_hours_per_month", 0, self.profile.security_hours_per_month,
                          lambda x, v: burden_fit(x, v.burden_hours), [v.burden_hours for v in self.views])

    def by_patching(self) -> list[Threshold]:
        return self._part("patching_staff", 1, self.profile.patching_staff,
                          lambda x, v: patching_fit(x, v.patching_staff_needed),
                          [v.patching_staff_needed for v in self.views])

    def by_weights(self) -> list[Threshold]:
        """A weight w enters each rival's lead linearly, rest + w * gap, so it crosses once at most."""
        found = []
        if not self.rivals:
            return found
        for part, component in enumerate(COMPONENTS):
            name = f"weights.{component}"
            current = self.weights[part]
            scale, low, high = STEPS[name]
            if sum(self.weights) == current:
                low = 1  # the weights may not all be zero
            crossings = {-1: [], 1: []}
            for lead, gap in zip(self.leads, self.gaps):
                slope = gap[part]
                if lead + self.slack >= 0:  # a near tie at the current weight, settled for the leader
                    crossings[1].append(current)
                    crossings[-1].append(current)
                elif slope:
                    crossings[1 if slope > 0 else -1].append(current - (lead + self.slack) / slope)

            def first_at(x, part=part):
                return self.first(weights=self.weights[:part] + (x,) + self.weights[part + 1:])

            for direction in (-1, 1):
                inside = [c for c in crossings[direction] if low / scale - 1 <= c <= high / scale + 1]
                if inside and (hit := self._nearest_on_grid(name, current, direction, inside, first_at, low)):
                    found.append(hit)
        return found

    # -- levels, limits and yes/no fields: tried value by value ---------------------------

    def by_level(self, name: str) -> list[Threshold]:
        scale = self.kb.customisation_levels if name == "customisation" else self.kb.isolation_levels
        ids = list(scale)
        current = ids.index(getattr(self.profile, name))
        found = []
        for direction, steps in (("decrease", range(current - 1, -1, -1)), ("increase", range(current + 1, len(ids)))):
            for i in steps:
                first = self._first_with_level(name, ids[i])
                if first != 0:
                    found.append(self._threshold(name, ids[i], ids[current], direction, first))
                    break
        return found

    def _first_with_level(self, name: str, level: str) -> int:
        views, fits = self.views, self.fits
        if name == "customisation":
            part, rank = 2, self.kb.customisation_levels[level].rank
            new = [customisation_fit(rank, v.customisation_rank) for v in views]
            blocked = None
        else:
            part = 3
            support = [v.service.isolation[level].support for v in views]
            new = [ISOLATION_FIT[s] for s in support]
            blocked = [limited or s == "no" for limited, s in zip(self.limit_blocked, support)]
            if blocked == self.blocked:
                blocked = None
        if blocked is None:  # screen: does any rival come within the slack of the leader?
            w = self.weights[part]
            if all(lead + w * (new[j] - fits[j][part] - new[0] + fits[0][part]) < -self.slack
                   for j, lead in zip(self.rivals, self.leads)):
                return 0
        changed = [(*f[:part], x, *f[part + 1:]) for f, x in zip(fits, new)]
        return self.first(fits=changed, blocked=blocked)

    def by_workload(self) -> list[Threshold]:
        """Workload changes only block or free services; the scores stay as they are.

        First place can then move only if the leader is blocked, or a blocked service that
        would outrank it if eligible (a challenger) is freed; a change that alters neither's
        status is passed over, and only their limits give candidate values.
        """
        views, blocked = self.views, self.blocked
        keys = [(order_key(False, sc, v), order_key(True, sc, v)) for sc, v in zip(self.scores, views)]
        lead = keys[0][blocked[0]]
        contenders = [0, *(i for i, k in enumerate(keys) if blocked[i] and k[0] < lead)]
        asked = vars(self.profile.workload)
        found = []
        for field in WORKLOAD_FIELDS:
            held = {i: bool(self.blockers[i]) and self._held(i, field, asked)
                    for i, v in enumerate(views) if field in v.limits_reading}
            free = [i for i in contenders if held.get(i) is False]
            if not free:
                continue  # no contender reads the field, or each stays blocked by something else

            def first_with(value, field=field, free=free, held=held):
                changed = {**asked, field: value}
                status = {i: held[i] or any(breaks(limit, changed) for limit in views[i].limits_reading[field])
                          for i in held}
                if all(status[i] == blocked[i] for i in free):
                    return 0  # no contender changes status
                return min((key[status.get(i, blocked[i])], i) for i, key in enumerate(keys))[1]

            current = asked[field]
            if field in NUMERIC_WORKLOAD:
                found += self._limit_field(field, current, [l for i in free for l in views[i].limits_reading[field]],
                                           first_with)
                continue
            for value in ([not current] if field in BOOLEAN_WORKLOAD
                          else [c for c in WORKLOAD_CHOICES[field] if c != current]):
                if (first := first_with(value)) != 0:
                    found.append(self._threshold(f"workload.{field}", value, current, "change", first))
        return found

    def _held(self, i: int, field: str, asked: dict) -> bool:
        """Whether blocked service i stays blocked whatever the field: by isolation or a limit not reading it."""
        if self.isolation_blocked[i]:
            return True
        return any(breaks(limit, asked) for limit in self.views[i].limits_not_reading[field])

    def _limit_field(self, field: str, current: float | None, limits: list[Limit],
                     first_with: Callable) -> list[Threshold]:
        """A number's limits change status just past a maximum going up, at it going down (and at
        a value a condition names)."""
        name = f"workload.{field}"
        scale, low, high = STEPS[name]
        up, down = set(), set()
        for limit in limits:
            if limit.field == field and limit.kind == "max":
                up.add(math.floor(limit.value * scale) + 1)
                down.add(math.floor(limit.value * scale))
            for key, value in limit.when:
                if key == field and isinstance(value, (int, float)) and not isinstance(value, bool):
                    up.add(math.ceil(value * scale))
                    down.add(math.floor(value * scale))
        found = []
        for direction, points in ((1, up), (-1, down)):
            if current is None and direction < 0:
                continue  # not asked is the smallest demand there is

            def beyond(k, direction=direction):
                return low <= k <= high and (current is None or (k / scale - current) * direction > 0)

            for k in sorted((k for k in points if beyond(k)), key=lambda k: k * direction):
                if (first := first_with(k / scale)) != 0:
                    while beyond(k - direction) and (back := first_with((k - direction) / scale)) != 0:
                        k, first = k - direction, back
                    found.append(self._threshold(name, k / scale, current,
                                                 "increase" if direction > 0 else "decrease", first))
                    break
        found.reverse()  # decrease before increase, as for every other input
        return found


def _condition(kb: KnowledgeBase, name: str, value) -> str:
    """The changed input as the start of a sentence: "With 2 patching engineers"."""
    if name == "security_hours_per_month":
        return f"With {_number(value)} security hours a month"
    if name == "patching_staff":
        return "With no patching engineers" if value == 0 else \
            f"With {value} patching engineer{'s' if value != 1 else ''}"
    if name == "customisation":
        return f"With {kb.customisation_levels[value].name.lower()} customisation needed"
    if name == "isolation":
        return f"With {kb.isolation_levels[value].name.lower()} isolation needed"
    if name.startswith("weights."):
        return f"With the {name.split('.', 1)[1]} weight at {_number(value)}"
    field = name.split(".", 1)[1]
    if field == "os":
        return f"With a {VALUE_NAMES[value]} workload"
    if field in WORKLOAD_CHOICES:
        return "With " + WORKLOAD_PHRASES[field].format(value=VALUE_NAMES.get(value, value))
    if field in BOOLEAN_WORKLOAD:
        return f"{'With' if value else 'Without'} {WORKLOAD_PHRASES[field]}"
    return "With " + WORKLOAD_PHRASES[field].format(value=value)


def _number(value: float) -> str:
    return f"{value:,.2f}".rstrip("0").rstrip(".")
