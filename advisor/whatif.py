"""The search behind robustness.py: the nearest value of each input that puts another service first.

The ranking's order key is (blocked, needs tier, score, tie-breaks). Of the inputs searched here,
only hard limits and levels move a service between groups; hours, patching staff and weights move
scores alone. Every score is piecewise linear in hours and in patching staff (the fits bend where
the input meets a service's burden or patching need) and, through the sign of its weighted sum,
linear in each weight. So the leader can lose first place only where one rival's score crosses
its own, and those crossings are solved exactly. The winner is the same at every grid value
between two neighbouring crossings, so the nearest grid values around each crossing are the only
ones worth re-ranking; each is re-ranked with the ranking's own order key.
"""
from __future__ import annotations

import math
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from operator import mul

from .model import KnowledgeBase, ServiceView
from .profile import Profile
from .scoring import (
    ISOLATION_FIT, Evaluation, breaks, burden_fit, customisation_fit, evaluate, needs_tier, order_key,
    patching_fit, scales, weight_tuple, weighted_score,
)

__all__ = ["Standings", "Grid", "crossings", "nearest_change"]


@dataclass(frozen=True)
class Grid:
    """The values a person would type for a number: index / per_unit, index from low to high."""

    per_unit: int
    low: int
    high: int
    whole: bool = False

    def value(self, index: int) -> float:
        return index if self.whole else index / self.per_unit

    def index_at_or_past(self, x: float, direction: int) -> int:
        scaled = x * self.per_unit
        return math.ceil(scaled - 1e-9) if direction > 0 else math.floor(scaled + 1e-9)

    def holds(self, index: int) -> bool:
        return self.low <= index <= self.high


def crossings(difference: Callable[[float], float], breakpoints: Iterable[float]) -> list[float]:
    """Where a function, linear between the sorted breakpoints, reaches zero (the start of any flat zero)."""
    points = sorted(set(breakpoints))
    values = [difference(x) for x in points]
    found = []
    for (x0, v0), (x1, v1) in zip(zip(points, values), zip(points[1:], values[1:])):
        if v0 == 0:
            found.append(x0)
        elif (v0 < 0) != (v1 < 0) or v1 == 0:
            found.append(x0 + (x1 - x0) * v0 / (v0 - v1))
    if values and values[-1] == 0:
        found.append(points[-1])
    return found


def nearest_change(grid: Grid, current: float | None, direction: int, candidates: Iterable[float],
                   winner_at: Callable[[float], int]) -> tuple[float, int] | None:
    """The grid value nearest the current one, in one direction, at which another service comes first.

    ``candidates`` are the real values where the winner may change (crossings, limit values). The
    winner is constant between them, so only the grid values next to each are re-ranked.
    """
    def beyond(index: int) -> bool:
        return grid.holds(index) and (current is None or (grid.value(index) - current) * direction > 0)

    indices = set()
    for x in candidates:
        k = grid.index_at_or_past(x, direction)
        indices.update(i for i in (k - direction, k, k + direction) if beyond(i))
    for index in sorted(indices, key=lambda i: i * direction):
        if (winner := winner_at(grid.value(index))) != 0:
            return grid.value(index), winner
    return None


class Standings:
    """A profile's evaluations in ranking order, re-ranked cheaply with one input changed.

    Index 0 is first place. Scores are recomputed from the fits with the same functions the
    ranking uses, and the winner is the minimum of the ranking's own order key.
    """

    def __init__(self, kb: KnowledgeBase, profile: Profile, evaluations: list[Evaluation]):
        self.kb, self.profile = kb, profile
        self.views: list[ServiceView] = [e.view for e in evaluations]
        self.fits = [e.fits for e in evaluations]
        self.tiers = [e.tier for e in evaluations]
        self.blocked = [not e.eligible for e in evaluations]
        self.isolation_blocked = [_blocked_by(e, isolation=True) for e in evaluations]
        self.limit_blocked = [_blocked_by(e, isolation=False) for e in evaluations]
        self.weights = weight_tuple(profile)
        self.scale = scales(kb, profile.calibration)
        self.rivals = self._rivals()
        self.scores = [e.score for e in evaluations]
        self.asked = vars(profile.workload)
        self.by_tail = self._by_tail()
        self._blocked_apart: dict[str, list[bool]] = {}

    def _rivals(self) -> list[int]:
        """Only services in first place's group (as blocked, the same tier) can overtake it on score."""
        group = (self.blocked[0], self.tiers[0])
        return [i for i in range(1, len(self.views)) if (self.blocked[i], self.tiers[i]) == group]

    def _by_tail(self) -> list[int]:
        """The services in the order of their order keys without the blocked part.

        A workload change moves services between blocked and not, nothing else: the rest of each order key
        is fixed, so first place is the first service in this order that the change leaves unblocked.
        """
        tails = [order_key(False, t, s, v)[1:] for t, s, v in zip(self.tiers, self.scores, self.views)]
        return sorted(range(len(self.views)), key=lambda i: (tails[i], i))

    def winner(self, *, fits=None, weights=None, blocked=None, tiers=None) -> int:
        """Index of the service first place would go to with the given parts changed."""
        fits = self.fits if fits is None else fits
        weights = self.weights if weights is None else weights
        blocked = self.blocked if blocked is None else blocked
        tiers = self.tiers if tiers is None else tiers
        keys = ((order_key(blocked[i], tiers[i], weighted_score(fits[i], weights), view), i)
                for i, view in enumerate(self.views))
        return min(keys)[1]

    # -- hours and patching staff: one fit each, piecewise linear ------------------------------

    def hours_fits(self, hours: float) -> list[tuple]:
        return [(burden_fit(hours, v.burden_hours, self.scale.burden), *f[1:]) for v, f in zip(self.views, self.fits)]

    def staff_fits(self, staff: float) -> list[tuple]:
        return [(f[0], patching_fit(staff, v.patching_staff_needed, self.scale.patching), *f[2:])
                for v, f in zip(self.views, self.fits)]

    def score_crossings(self, fits_at: Callable[[float], list[tuple]], kinks: list[float], low: float,
                        high: float) -> list[float]:
        """Where a rival's weighted sum of fits meets first place's, as one input runs from low to high."""
        found = []
        sums: dict[float, list[float]] = {}  # every rival is read at the same points: weigh each point's fits once

        def weighed(x: float) -> list[float]:
            if x not in sums:
                sums[x] = [sum(map(mul, fits, self.weights)) for fits in fits_at(x)]
            return sums[x]

        inside = [k for k in kinks if low < k < high]
        for j in self.rivals:
            def lead(x, j=j):
                at = weighed(x)
                return at[j] - at[0]
            found += crossings(lead, [low, high, *inside])
        return found

    # -- weights: each enters the weighted sums linearly -----------------------------------------

    def weight_crossings(self, part: int, low: float, high: float) -> list[float]:
        found = []
        for j in self.rivals:
            def lead(w, j=j):
                weights = (*self.weights[:part], w, *self.weights[part + 1:])
                return sum(map(mul, self.fits[j], weights)) - sum(map(mul, self.fits[0], weights))
            found += crossings(lead, [low, high])
        return found

    def winner_with_weight(self, part: int, value: float) -> int:
        return self.winner(weights=(*self.weights[:part], value, *self.weights[part + 1:]))

    # -- levels: every service's fit, tier and (for isolation) blocked status change -------------

    def winner_with_customisation(self, level: str) -> int:
        rank = self.kb.customisation_levels[level].rank
        fits = [(*f[:2], customisation_fit(rank, v.customisation_rank), *f[3:]) for v, f in zip(self.views, self.fits)]
        tiers = [(needs_tier(rank, v.customisation_rank, "yes")[0], t[1]) for v, t in zip(self.views, self.tiers)]
        return self.winner(fits=fits, tiers=tiers)

    def winner_with_isolation(self, level: str) -> int:
        support = [v.service.isolation[level].support for v in self.views]
        fits = [(*f[:3], ISOLATION_FIT[s], f[4]) for f, s in zip(self.fits, support)]
        tiers = [(t[0], needs_tier(0, 0, s)[1]) for t, s in zip(self.tiers, support)]
        blocked = [limited or s == "no" for limited, s in zip(self.limit_blocked, support)]
        return self.winner(fits=fits, tiers=tiers, blocked=blocked)

    # -- workload fields: limits block or free services; choices re-rank from scratch -------------

    def winner_with_workload(self, field: str, value) -> int:
        blocked_apart = self._blocked_apart.get(field)
        if blocked_apart is None:
            blocked_apart = self._blocked_apart[field] = self._blocked_apart_from(field)
        asked = {**self.asked, field: value}
        for i in self.by_tail:
            if not blocked_apart[i] and not any(breaks(limit, asked)
                                                for limit in self.views[i].limits_reading.get(field, ())):
                return i
        return self.by_tail[0]

    def _blocked_apart_from(self, field: str) -> list[bool]:
        """Per service, whether something other than the field's value blocks it (isolation, other limits)."""
        blocked = []
        for i, view in enumerate(self.views):
            if field not in view.limits_reading:
                blocked.append(self.blocked[i])  # no limit reads the field: its value cannot change this
            else:
                blocked.append(self.isolation_blocked[i] or any(breaks(limit, self.asked)
                                                                for limit in view.limits_not_reading[field]))
        return blocked

    def winner_with_choice(self, field: str, value: str) -> int:
        """A choice that changes who owns what: re-evaluate the services it touches, as the ranking does."""
        touched = [i for i, v in enumerate(self.views)
                   if field in v.service.variant_fields or field in v.limits_reading]
        if not touched:
            return 0
        profile = replace(self.profile, workload=replace(self.profile.workload, **{field: value}))
        choices = profile.workload.choices()
        keys = [order_key(b, t, s, v) for b, t, s, v in zip(self.blocked, self.tiers, self.scores, self.views)]
        for i in touched:
            view = self.kb.view(self.views[i].service.id, profile.overlay, profile.calibration, choices)
            ev = evaluate(self.kb, view, profile, self.scale)
            keys[i] = order_key(not ev.eligible, ev.tier, ev.score, view)
        return min(range(len(keys)), key=lambda i: (keys[i], i))


def _blocked_by(evaluation: Evaluation, *, isolation: bool) -> bool:
    """Whether an isolation level it cannot give (or, with isolation=False, a hard limit) rules the service out."""
    return any((b.field == "isolation") == isolation for b in evaluation.blockers)
