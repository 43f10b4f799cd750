"""The search behind robustness.py: the nearest value of each input that puts another service first.

The ranking's order key is (blocked, needs tier, score, tie-breaks). Of the inputs searched here,
only hard limits and levels move a service between groups; hours, patching staff and weights move
scores alone. Every score is piecewise linear in hours and in patching staff (the fits bend where
the input meets a service's burden or patching need) and, through the sign of its weighted sum,
linear in each weight. So the leader can lose first place only where one rival's score crosses
its own, and those crossings are solved exactly. The winner is the same at every grid value
between two neighbouring crossings, so the nearest grid values around each crossing are the only
ones worth re-ranking; each is re-ranked with the ranking's own order key.

A change that leaves no service eligible has no winner to name: the ``winner_with_*`` methods answer
``NONE_ELIGIBLE`` for it, as a ranking of the changed profile would recommend nothing.
"""
from __future__ import annotations

import math
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from .model import KnowledgeBase, ServiceView
from .profile import CHOICE_DEFAULTS, Number, Profile
from .scoring import (
    ISOLATION_FIT, Evaluation, breaks, burden_fit, customisation_fit, needs_tier, order_key, patching_fit, scales,
    simplicity_fit, weighed, weight_tuple, weighted_score,
)
from .text import rounded

__all__ = ["NONE_ELIGIBLE", "Standings", "Grid", "zeros", "nearest_change"]

_FREE, _READ = object(), object()  # no limit reads a field; a limit other than a maximum reads it
NONE_ELIGIBLE = -1  # a winner_with_* answer: with the change, every service is ruled out


@dataclass(frozen=True)
class Grid:
    """The values a person would type for a number: index / per_unit, index from low to high."""

    per_unit: int
    low: int
    high: int
    whole: bool = False

    def value(self, index: int) -> Number:
        return index if self.whole else index / self.per_unit

    def index_at_or_past(self, x: float, direction: int) -> int:
        scaled = x * self.per_unit
        return math.ceil(scaled - 1e-9) if direction > 0 else math.floor(scaled + 1e-9)


def zeros(points: list[float], values: list[float]) -> list[float]:
    """Where a function with these values at the sorted points, linear between them, reaches zero."""
    found = []
    for (x0, v0), (x1, v1) in zip(zip(points, values), zip(points[1:], values[1:])):
        if v0 == 0:
            found.append(x0)
        elif (v0 < 0) != (v1 < 0) or v1 == 0:
            found.append(x0 + (x1 - x0) * v0 / (v0 - v1))
    if values and values[-1] == 0:
        found.append(points[-1])
    return found


def nearest_change(grid: Grid, current: Number | None, direction: int, candidates: Iterable[float],
                   winner_at: Callable[[Number], int], unchanged: int = 0) -> tuple[Number, int] | None:
    """The grid value nearest the current one, in one direction, at which winner_at answers other than unchanged.

    ``candidates`` are the real values where the winner may change (crossings, limit values). The
    winner is constant between them, so only the grid values next to each are re-ranked.
    """
    low, high, per_unit = grid.low, grid.high, (1 if grid.whole else grid.per_unit)
    indices: set[int] = set()
    for x in candidates:
        k = grid.index_at_or_past(x, direction)
        indices.update((k - direction, k, k + direction))
    beyond = [i for i in indices if low <= i <= high and (current is None or (i / per_unit - current) * direction > 0)]
    for index in sorted(beyond, reverse=direction < 0):
        if (winner := winner_at(grid.value(index))) != unchanged:
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
        self.group = [0, *self.rivals]
        self.group_fits = [self.fits[i] for i in self.group]
        self.scores = [e.score for e in evaluations]
        self.keys = [order_key(b, t, s, v) for b, t, s, v in zip(self.blocked, self.tiers, self.scores, self.views)]
        # What a winner_with_* answer is when first place stays as it is: index 0, or, when every service is ruled
        # out now, NONE_ELIGIBLE (then index 0 means that a change makes first place eligible).
        self.unchanged = NONE_ELIGIBLE if self.blocked[0] else 0
        self.asked = profile.workload.asked()
        self.by_tail = self._by_tail()
        self._candidates: dict[str, list[tuple[int, Any]]] = {}
        self._broken: list[frozenset[int]] | None = None  # per service, the positions of the limits broken now

    def _rivals(self) -> list[int]:
        """Only services in first place's group (as blocked, the same tier) can overtake it on score; none when
        first place is ruled out, as then every service is and a score cannot change that."""
        if self.blocked[0]:
            return []
        group = (self.blocked[0], self.tiers[0])
        return [i for i in range(1, len(self.views)) if (self.blocked[i], self.tiers[i]) == group]

    def _by_tail(self) -> list[int]:
        """The services in the order of their order keys without the blocked part.

        A workload change moves services between blocked and not, nothing else: the rest of each order key
        is fixed, so first place is the first service in this order that the change leaves unblocked.
        """
        tails = [key[1:] for key in self.keys]
        return sorted(range(len(self.views)), key=lambda i: (tails[i], i))

    def winner(self, *, blocked=None, tiers=None, fits_of: Callable[[int], tuple] | None = None) -> int:
        """Index of the service first place would go to with the given parts changed (fits_of(i): service i's fits).

        As scoring.order_key: the best group (as blocked, the same tier) first, then the score among its services.
        """
        blocked = self.blocked if blocked is None else blocked
        tiers = self.tiers if tiers is None else tiers
        groups = list(zip(blocked, tiers))
        best = min(groups)
        if best[0]:
            return NONE_ELIGIBLE
        contenders = [i for i, group in enumerate(groups) if group == best]
        if len(contenders) == 1:
            return contenders[0]
        fits_of = self.fits.__getitem__ if fits_of is None else fits_of
        return self.best_scored(contenders, [fits_of(i) for i in contenders])

    def best_scored(self, contenders: list[int], fits: list[tuple], weights: tuple[Number, ...] | None = None) -> int:
        """Of services in one group, with these fits, the one first on score and then on the tie-breaks.

        The score is written out as weighted_score does it (the same float operations); the tie-breaks end in
        the service id, so no two keys are equal.
        """
        weights = self.weights if weights is None else weights
        total = sum(weights)
        views = self.views
        keys = [(-rounded(100.0 * weighed(f, weights) / total, 6), views[i].tie_breaks)
                for i, f in zip(contenders, fits)]
        return contenders[keys.index(min(keys))]

    # -- hours, patching staff and weights: scores move, groups do not, so first place stays in its group ----
    # (self.group: first place, then its rivals; every list of fits below is in that order)

    def hours_fits(self, hours: float) -> list[tuple]:
        views, fits, scale = self.views, self.fits, self.scale.burden
        return [(burden_fit(hours, views[i].burden_hours, scale), *fits[i][1:]) for i in self.group]

    def staff_fits(self, staff: float) -> list[tuple]:
        views, fits, scale = self.views, self.fits, self.scale.patching
        return [(fits[i][0], patching_fit(staff, views[i].patching_staff_needed, scale), *fits[i][2:])
                for i in self.group]

    def winner_with_fits(self, fits: list[tuple]) -> int:
        return self.best_scored(self.group, fits)

    def score_crossings(self, fits_at: Callable[[float], list[tuple]], kinks: list[float], low: float,
                        high: float) -> list[float]:
        """Where a rival's weighted sum of fits meets first place's, as one input runs from low to high."""
        points = sorted({low, high, *(k for k in kinks if low < k < high)})
        weights = self.weights
        sums = [[weighed(fits, weights) for fits in fits_at(x)] for x in points]  # each point weighed once
        found = []
        for k in range(1, len(self.group)):
            found += zeros(points, [at[k] - at[0] for at in sums])
        return found

    def weight_crossings(self, part: int, low: float, high: float) -> list[float]:
        """Where a rival's weighted sum of fits meets first place's, as one weight runs from low to high."""
        points = sorted({low, high})
        fits, weights = self.fits, self.weights
        at = [(*weights[:part], w, *weights[part + 1:]) for w in points]
        first = [weighed(fits[0], w) for w in at]
        found = []
        for j in self.rivals:
            found += zeros(points, [weighed(fits[j], w) - f for w, f in zip(at, first)])
        return found

    def winner_with_weight(self, part: int, value: Number) -> int:
        return self.best_scored(self.group, self.group_fits, (*self.weights[:part], value, *self.weights[part + 1:]))

    # -- levels: every service's fit, tier and (for isolation) blocked status change -------------

    def winner_with_customisation(self, level: str) -> int:
        rank = self.kb.customisation_levels[level].rank
        tiers = [(needs_tier(rank, v.customisation_rank, "yes")[0], t[1]) for v, t in zip(self.views, self.tiers)]
        views, fits = self.views, self.fits
        return self.winner(tiers=tiers, fits_of=lambda i: (
            *fits[i][:2], customisation_fit(rank, views[i].customisation_rank), *fits[i][3:]))

    def winner_with_isolation(self, level: str) -> int:
        support = [v.service.isolation[level].support for v in self.views]
        tiers = [(t[0], needs_tier(0, 0, s)[1]) for t, s in zip(self.tiers, support)]
        blocked = [limited or s == "no" for limited, s in zip(self.limit_blocked, support)]
        fits = self.fits
        return self.winner(tiers=tiers, blocked=blocked,
                           fits_of=lambda i: (*fits[i][:3], ISOLATION_FIT[support[i]], fits[i][4]))

    # -- workload fields: limits block or free services; choices re-rank from scratch -------------

    def workload_breakpoints(self, field: str) -> list[float]:
        """The values of a workload figure past which first place may change.

        First place goes to the first service, in the order of the rest of the order keys, that the value leaves
        unblocked; so only the maximums of the services before the first one no value blocks can move it.
        """
        values: list[float] = []
        for i, ceiling in self._candidates_of(field):
            if ceiling is _FREE:
                return values
            if ceiling is _READ:  # a limit of another kind reads the figure: every limit value may matter
                return [limit.value for view in self.views for limit in view.limits_reading[field]
                        if limit.value is not None]
            if ceiling != math.inf:
                values.append(ceiling)
        return values

    def _candidates_of(self, field: str) -> list[tuple[int, Any]]:
        candidates = self._candidates.get(field)
        if candidates is None:
            candidates = self._candidates[field] = self._candidates_for(field)
        return candidates

    def winner_with_workload(self, field: str, value) -> int:
        candidates = self._candidates_of(field)
        asked = None
        for i, ceiling in candidates:
            if ceiling is _FREE or (ceiling is not _READ and (value is None or value <= ceiling)):
                return i
            if ceiling is not _READ:
                continue
            if asked is None:
                asked = {**self.asked, field: value}
            if not any(breaks(limit, asked) for limit in self.views[i].limits_reading[field]):
                return i
        return NONE_ELIGIBLE  # the value frees none of the services and blocks the rest

    def _candidates_for(self, field: str) -> list[tuple[int, Any]]:
        """The services nothing but the field's value can block, in order of their order keys without the blocked
        part, up to the first one no value of the field blocks: each with the largest value its limits allow
        (_FREE where no limit reads the field, _READ where a limit other than a maximum on it reads it)."""
        views, asked, broken = self.views, self.asked, self._limits_broken()
        candidates = []
        for i in self.by_tail:
            view = views[i]
            apart = view.limits_apart.get(field)
            if apart is None:  # no limit reads the field: its value cannot change whether this service is blocked
                if not self.blocked[i]:
                    candidates.append((i, _FREE))
                    break
                continue
            if self.isolation_blocked[i] or not broken[i].isdisjoint(apart):
                continue  # something other than the field's value blocks it
            ceilings = view.ceilings.get(field)
            if ceilings is None:
                candidates.append((i, _READ))
            else:
                candidates.append((i, min([limit.value for limit in ceilings
                                           if limit.value is not None and all(asked[k] == v for k, v in limit.when)],
                                          default=math.inf)))
        return candidates

    def _limits_broken(self) -> list[frozenset[int]]:
        """Per service, the positions (in view.limits) of the limits the profile's workload breaks."""
        if self._broken is None:
            self._broken = [frozenset(at for at, limit in enumerate(view.limits) if breaks(limit, self.asked))
                            for view in self.views]
        return self._broken

    def winner_with_choice(self, field: str, value: str) -> int:
        """A choice that changes who owns what: the services it touches get the view for it, as the ranking does.

        Only the view's hours and patching need and whether a limit blocks it can change: the customisation and
        isolation a service gives, and so its needs tier and those two fits, are the service's own.
        """
        touched = [i for i, v in enumerate(self.views)
                   if field in v.service.variant_fields or field in v.limits_reading]
        if not touched:
            return self.unchanged
        asked = {**self.asked, field: value}
        choices = {name: asked[name] for name in CHOICE_DEFAULTS}
        keys = list(self.keys)
        for i in touched:
            view = self.kb.view(self.views[i].service.id, self.profile.overlay, self.profile.calibration, choices)
            keys[i] = order_key(self._blocked_with(i, view, field, asked), self.tiers[i],
                                weighted_score(self._fits_of(i, view), self.weights), view)
        best = min(keys)  # the keys end in the service id: no two are equal
        return NONE_ELIGIBLE if best[0] else keys.index(best)

    def _fits_of(self, i: int, view: ServiceView) -> tuple[float, ...]:
        """Service i's fits on another of its views: burden, patching and simplicity move; the levels do not."""
        profile, scale, fits = self.profile, self.scale, self.fits[i]
        return (burden_fit(profile.security_hours_per_month, view.burden_hours, scale.burden),
                patching_fit(profile.patching_staff, view.patching_staff_needed, scale.patching),
                fits[2], fits[3], simplicity_fit(view.burden_hours, scale.burden))

    def _blocked_with(self, i: int, view: ServiceView, field: str, asked: dict) -> bool:
        """Whether service i is ruled out on that view once ``field`` is asked as in ``asked``."""
        apart = view.limits_apart.get(field)  # a service's views share its limits: only those reading it re-checked
        if apart is None:
            return self.blocked[i]
        return (self.isolation_blocked[i] or not self._limits_broken()[i].isdisjoint(apart)
                or any(breaks(limit, asked) for limit in view.limits_reading[field]))


def _blocked_by(evaluation: Evaluation, *, isolation: bool) -> bool:
    """Whether an isolation level it cannot give (or, with isolation=False, a hard limit) rules the service out."""
    return any((b.field == "isolation") == isolation for b in evaluation.blockers)
