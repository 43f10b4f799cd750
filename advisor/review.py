"""A design review of the services in use today: the ranking, each current service against first place, a verdict.

Examples
--------
>>> fields, missing = review_profile(kb, derivation, {"security_hours_per_month": 20, "patching_staff": 0,
...                                                   "customisation": "low"})  # doctest: +SKIP
>>> review(kb, profile, derivation.current_services)["verdict"]["current_is_first"]  # doctest: +SKIP
True
"""
from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

from .compare import compare
from .errors import InvalidProfileError
from .iac import Derivation, Source, derive
from .model import KnowledgeBase
from .profile import Profile, profile_as_dict
from .ranking import RankedService, rank
from .service import Advisor
from .snapshot import knowledge_snapshot

__all__ = ["TEAM_FIELDS", "FAIL_ON", "review_profile", "review", "failed_conditions", "profile_from_files",
           "review_files"]

# What the files cannot say: the team's own capacity and needs (isolation can come from tenancy).
TEAM_FIELDS = ("security_hours_per_month", "patching_staff", "customisation", "isolation")
# The conditions a pipeline can fail on, and the verdict each reads.
FAIL_ON = ("not-first", "over-capacity", "fragile", "blocked")


def review_profile(kb: KnowledgeBase, derivation: Derivation, overrides: Mapping,
                   workload_fields: Iterable[str] | None = None) -> tuple[dict, list[str], list[dict]]:
    """The profile to review: derived fields, then the caller's overrides; and the team fields still missing.

    The services ranked are the knowledge base's default set plus every service in use today,
    unless the overrides name them. ``workload_fields``, when given, keeps only the workload fields
    the caller's profile contract knows (with their provenance); returns (profile, missing, provenance).
    """
    derived = derivation.profile_fields()
    keep = set(workload_fields) if workload_fields is not None else None
    if keep is not None:
        derived["workload"] = {k: v for k, v in derived.get("workload", {}).items() if k in keep}
    profile = {**derived, **{k: v for k, v in overrides.items() if k != "workload"}}
    workload = {**derived.get("workload", {}), **(overrides.get("workload") or {})}
    if workload:
        profile["workload"] = workload
    elif "workload" in profile:
        del profile["workload"]
    if "services" not in overrides:
        wanted = set(kb.default_services) | set(derivation.current_services)
        profile["services"] = [sid for sid in kb.services if sid in wanted]
    overridden = {f"workload.{k}" for k in overrides.get("workload") or {}} | set(overrides)
    provenance = [p.as_dict() for p in derivation.provenance
                  if p.field not in overridden
                  and (keep is None or not p.field.startswith("workload.") or p.field.split(".", 1)[1] in keep)]
    missing = [name for name in TEAM_FIELDS if name not in profile]
    return profile, missing, provenance


def _fits(entry: RankedService, profile: Profile) -> bool:
    return (entry.burden_hours_per_month <= profile.security_hours_per_month
            and entry.patching_staff_needed <= profile.patching_staff)


def review(kb: KnowledgeBase, profile: Profile, current_services: Iterable[str]) -> dict:
    """Rank the profile and set each service in use today against first place; nothing is stored.

    Returns ``recommendation`` (as rank gives it), ``comparisons`` (one per current service, in
    ranking order, with what would move to first place) and ``verdict``.
    """
    recommendation = rank(kb, profile)
    current = set(current_services)
    first = next((entry for entry in recommendation.ranking if entry.eligible), None)
    in_use = [entry for entry in recommendation.ranking if entry.service in current]
    comparisons = []
    for entry in in_use:
        change = None
        if first is not None and entry.service != first.service:
            change = compare(kb, entry.service, first.service, profile.overlay, profile.workload.choices(),
                             profile.calibration)
        comparisons.append({
            "service": entry.service, "name": entry.name, "rank": entry.rank, "score": entry.score,
            "eligible": entry.eligible, "blockers": [b.as_dict() for b in entry.blockers],
            "burden_hours_per_month": entry.burden_hours_per_month,
            "patching_staff_needed": entry.patching_staff_needed, "fits_capacity": _fits(entry, profile),
            "is_first": first is not None and entry.service == first.service, "change_to_first": change,
        })
    return {"recommendation": recommendation.as_dict(), "comparisons": comparisons,
            "verdict": _verdict(profile, recommendation, first, in_use)}


def _verdict(profile: Profile, recommendation, first: RankedService | None, in_use: list[RankedService]) -> dict:
    firmness = recommendation.robustness.label if recommendation.robustness else None
    current_is_first = first is not None and any(entry.service == first.service for entry in in_use)
    judged = in_use or ([first] if first else [])
    fits = bool(judged) and all(_fits(entry, profile) for entry in judged)
    blocked = [entry for entry in in_use if not entry.eligible]
    return {"first": first.service if first else None, "first_name": first.name if first else None,
            "current_is_first": current_is_first, "fits_capacity": fits, "firmness": firmness,
            "blocked": bool(blocked), "summary": _summary(profile, first, in_use, blocked, current_is_first, fits,
                                                          firmness)}


def _hours(value: float) -> str:
    return f"{value:g} hour{'' if value == 1 else 's'}"


def _summary(profile: Profile, first, in_use, blocked, current_is_first: bool, fits: bool, firmness) -> str:
    if first is None:
        return "No service fits this workload: every one is ruled out by a hard limit."
    firm = f" (first place is {firmness})" if firmness else ""
    if not in_use:
        return f"No compute service was found in the files; {first.name} ranks first for this team{firm}."
    if blocked:
        entry = blocked[0]
        reason = entry.blockers[0].sentence if entry.blockers else "a hard limit"
        return f"{entry.name}, in use today, is ruled out: {reason}; {first.name} ranks first{firm}."
    if current_is_first:
        return f"{first.name}, in use today, ranks first for this team, {_capacity(profile, first)}{firm}."
    entry = in_use[0]
    more = round(entry.burden_hours_per_month - first.burden_hours_per_month, 2)
    change = (f"{_hours(more)} a month more team work than first place" if more > 0 else
              f"{_hours(-more)} a month less team work than first place" if more < 0 else
              "as many team hours as first place")
    return f"{first.name} ranks first{firm}; {entry.name}, in use today, ranks {_ordinal(entry.rank)} with {change}."


def _capacity(profile: Profile, entry: RankedService) -> str:
    hours, staff = profile.security_hours_per_month, profile.patching_staff
    if entry.burden_hours_per_month > hours:
        return f"though it asks {_hours(entry.burden_hours_per_month)} a month of the team's {_hours(hours)}"
    if entry.patching_staff_needed > staff:
        return (f"though it needs {entry.patching_staff_needed:g} patching staff and the team has {staff}")
    return f"within the team's {_hours(hours)} a month"


def _ordinal(n: int) -> str:
    return f"{n}{'th' if 10 <= n % 100 <= 20 else {1: 'st', 2: 'nd', 3: 'rd'}.get(n % 10, 'th')}"


def failed_conditions(verdict: Mapping, fail_on: Iterable[str]) -> list[str]:
    """Which of the named --fail-on conditions hold for a verdict, each with a one-line reason."""
    reasons = {
        "not-first": None if verdict["current_is_first"] else
        f"not-first: the service in use is not first place ({verdict['first_name'] or 'no service fits'} is).",
        "over-capacity": None if verdict["fits_capacity"] else
        "over-capacity: the team's hours or patching staff do not cover the service in use.",
        "fragile": "fragile: first place holds by a small margin." if verdict["firmness"] == "fragile" else None,
        "blocked": "blocked: a service in use is ruled out by a hard limit of the workload." if verdict["blocked"]
        else None,
    }
    return [reasons[name] for name in fail_on if reasons.get(name)]


def _derived(derivation: Derivation, profile: dict, provenance: list[dict]) -> dict:
    data = derivation.as_dict()
    return {"profile": profile, "provenance": provenance, "current_services": data["current_services"],
            "unsupported": data["unsupported"], "unresolved": data["unresolved"]}


def _checked(service: Advisor, fields: dict) -> Profile:
    """The assembled profile through the service's profile check; its errors are the request's ``profile``'s."""
    try:
        return service.profile(fields)
    except InvalidProfileError as exc:
        raise InvalidProfileError({"profile": exc.errors}) from None


def profile_from_files(service: Advisor, sources: Sequence[Source], overrides: Mapping,
                       workload_fields: Iterable[str] | None = None) -> dict:
    """The profile the files and the overrides give, with provenance, services in use and the fields missing."""
    derivation = derive(sources, service.kb.instance_families)
    fields, missing, provenance = review_profile(service.kb, derivation, overrides, workload_fields)
    profile = fields if missing else profile_as_dict(_checked(service, fields))
    return {**_derived(derivation, profile, provenance), "missing": missing}


def review_files(service: Advisor, sources: Sequence[Source], overrides: Mapping,
                 workload_fields: Iterable[str] | None = None, *, save: bool = False,
                 created_by: str | None = None) -> dict:
    """The design review of the files for the team in ``overrides``; stored as an assessment only with save.

    With save, ``assessment_id`` is the id the review was stored under, and created_by who saved it.
    """
    derivation = derive(sources, service.kb.instance_families)
    fields, missing, provenance = review_profile(service.kb, derivation, overrides, workload_fields)
    if missing:
        raise InvalidProfileError(
            {"profile": {name: ["Missing data for required field."] for name in missing}},
            f"The review needs the team's {', '.join(missing)} in profile; the files cannot say them.")
    profile = _checked(service, fields)
    result = review(service.kb, profile, derivation.current_services)
    answer = {**_derived(derivation, profile_as_dict(profile), provenance), **result, "warnings": service.warnings()}
    answer["recommendation"].update(profile=answer["profile"], warnings=answer["warnings"])
    if save:
        stored = {k: v for k, v in result["recommendation"].items() if k not in ("profile", "warnings")}
        services = tuple(entry["service"] for entry in stored["ranking"])
        stored["knowledge"] = knowledge_snapshot(service.kb, services, profile.overlay)
        stored["review"] = {key: answer[key] for key in
                            ("provenance", "current_services", "unsupported", "unresolved", "verdict")}
        assessment, _ = service.store.add(answer["profile"], stored, service.kb.version, created_by=created_by)
        answer["assessment_id"] = assessment.id
    return answer
