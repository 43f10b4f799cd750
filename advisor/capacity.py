"""Warnings for an answer whose first place the team cannot carry, and what would change that.

A service fits a team's capacity when its team burden is within the team's security hours and its
patching need within the team's patching staff. The ranking never hides a shortfall behind a score:
when first place does not fit, the answer says so, by how much, and names the nearest changes that
would give the team an option it can carry (more hours or people, fewer needs, or an organisation
overlay under which part of the work moves to an internal party).
"""
from __future__ import annotations

import math

from .model import KnowledgeBase, ServiceView
from .profile import Number, Profile
from .scoring import Evaluation
from .text import join_words, number

__all__ = ["capacity_warnings", "fits"]


def fits(view: ServiceView, profile: Profile) -> bool:
    """Whether the team's hours and patching staff cover what it would own on this service."""
    return view.burden_hours <= profile.security_hours_per_month and \
        view.patching_staff_needed <= profile.patching_staff


def capacity_warnings(kb: KnowledgeBase, profile: Profile, evaluations: list[Evaluation]) -> list[dict]:
    """The capacity warnings of a ranking (evaluations in ranking order): none when first place fits."""
    eligible = [e for e in evaluations if e.eligible]
    if not eligible:
        return [{"code": "none_eligible", "type": "limits",
                 "message": "No service can run this workload as described: each one is ruled out by a hard limit. "
                            "Each service's blockers say what would lift them."}]
    leader = eligible[0]
    if fits(leader.view, profile):
        return []
    lighter = [e for e in eligible if fits(e.view, profile)]
    view = leader.view
    hours_short: Number = round(max(0.0, view.burden_hours - profile.security_hours_per_month), 2)
    staff_short = max(0, math.ceil(view.patching_staff_needed - 1e-9) - profile.patching_staff)
    return [{
        "code": "first_over_capacity" if lighter else "no_fit", "type": "capacity",
        "message": _message(view, profile, hours_short, staff_short, lighter),
        "service": view.service.id,
        "shortfall": {"hours_per_month": hours_short, "patching_staff": staff_short},
        "nearest_changes": _nearest_changes(kb, profile, leader, lighter, hours_short, staff_short),
    }]


def _message(view: ServiceView, profile: Profile, hours_short: Number, staff_short: int,
             lighter: list[Evaluation]) -> str:
    name = view.service.name
    gaps = []
    if hours_short:
        gaps.append(f"{number(view.burden_hours)} hours a month of security work against the "
                    f"{number(profile.security_hours_per_month)} the team has")
    if staff_short:
        gaps.append(f"patching work for about {number(view.patching_staff_needed)} "
                    f"{'person' if view.patching_staff_needed == 1 else 'people'} against the "
                    f"{profile.patching_staff} it has")
    text = f"{name} ranks first but does not fit the team's capacity: it needs {join_words(gaps)}."
    if hours_short and view.application_hours:
        text += (f" {number(view.application_hours)} of those hours are the application's own work, which no "
                 "service takes away.")
    if lighter:
        other = lighter[0].view.service.name
        text += (f" {other} fits the team's capacity but meets fewer of its needs, so it ranks below; "
                 "no option meets every need within the team's capacity.")
    else:
        text += " No eligible service fits the team's capacity."
    return text


def _nearest_changes(kb: KnowledgeBase, profile: Profile, leader: Evaluation, lighter: list[Evaluation],
                     hours_short: Number, staff_short: int) -> list[dict]:
    view = leader.view
    changes = []
    if hours_short or staff_short:
        parts = []
        if hours_short:
            parts.append(f"{number(view.burden_hours)} security hours a month")
        if staff_short:
            people = profile.patching_staff + staff_short
            parts.append(f"{people} patching {'engineer' if people == 1 else 'engineers'}")
        changes.append({"kind": "more_capacity", "service": view.service.id,
                        "security_hours_per_month": max(profile.security_hours_per_month, view.burden_hours),
                        "patching_staff": profile.patching_staff + staff_short,
                        "sentence": f"With {join_words(parts)}, {view.service.name} would fit."})
    if lighter:
        changes.append(_fewer_needs(kb, profile, lighter[0]))
    changes += _overlays(kb, profile, leader)
    return changes


def _fewer_needs(kb: KnowledgeBase, profile: Profile, other: Evaluation) -> dict:
    service = other.view.service
    relaxed = []
    if other.tier[0]:
        relaxed.append(f"{kb.customisation_levels[service.customisation].name.lower()} customisation")
    if other.tier[1]:
        relaxed.append(f"{kb.isolation_levels[profile.isolation].name.lower()} isolation with extra work")
    change: dict[str, object] = {"kind": "fewer_needs", "service": service.id, "customisation": service.customisation,
                                 "sentence": f"With {join_words(relaxed)} accepted, {service.name} would fit: it "
                                             f"needs {number(other.view.burden_hours)} hours a month and patching "
                                             f"work for {number(other.view.patching_staff_needed)} people."}
    if other.tier[1]:
        change["isolation_with_extra_work"] = True
    return change


def _overlays(kb: KnowledgeBase, profile: Profile, leader: Evaluation) -> list[dict]:
    """Overlays under which first place would fit: part of its work moves to an internal party."""
    if profile.overlay is not None:
        return []
    found = []
    for overlay in kb.overlays.values():
        view = kb.view(leader.view.service.id, overlay.id, profile.calibration, profile.workload.choices())
        if fits(view, profile):  # the view already counts the layers the overlay's parties take over
            found.append({"kind": "overlay", "service": view.service.id, "overlay": overlay.id,
                          "sentence": f"If {overlay.name.lower()[:1] + overlay.name[1:]}, the team's part of "
                                      f"{view.service.name} would be {number(view.burden_hours)} hours a month, "
                                      "which fits."})
    return found
