"""Profiles from infrastructure code and design reviews, for the API and the command line alike.

Plain functions on the request's data: they read the files through the core's readers, check the
profile with the same schema as every other interface, and call the core's review.
"""
from __future__ import annotations

from marshmallow import ValidationError

from advisor import profile_as_dict
from advisor.iac import Source, derive
from advisor.review import review, review_profile
from advisor.snapshot import knowledge_snapshot
from schemas.profile import WorkloadSchema, profile_schema

from .api import knowledge_base, knowledge_warnings
from .assessments import links, store
from .problems import ApiProblem
from .validation import field_paths

__all__ = ["sources", "profile_from_iac", "review_iac", "WORKLOAD_FIELDS"]

# The workload fields the profile contract holds today; a derived field it does not hold is left out.
WORKLOAD_FIELDS = tuple(WorkloadSchema().fields)


def sources(body: dict) -> list[Source]:
    """The request's files as the core's Source values, each with a name."""
    return [Source(item["format"], item["content"], item.get("name") or f"source {index + 1}")
            for index, item in enumerate(body["sources"])]


def profile_from_iac(body: dict) -> dict:
    """The derived profile with provenance, services in use, what was not read, and the team fields missing."""
    kb = knowledge_base()
    derivation = derive(sources(body), kb.instance_families)
    profile, missing, provenance = _profile(kb, derivation, body.get("profile") or {})
    if missing:
        _check(profile, partial=True)
    else:
        profile = profile_as_dict(_check(profile))
    return {**_derived(derivation, profile, provenance), "missing": missing}


def _profile(kb, derivation, overrides: dict):
    return review_profile(kb, derivation, overrides, WORKLOAD_FIELDS)


def _derived(derivation, profile: dict, provenance: list[dict]) -> dict:
    data = derivation.as_dict()
    return {"profile": profile, "provenance": provenance, "current_services": data["current_services"],
            "unsupported": data["unsupported"], "unresolved": data["unresolved"]}


def _check(profile: dict, partial: bool = False):
    """The profile through the profile schema; its errors are the request's, under ``profile``."""
    try:
        if partial:
            errors = profile_schema.validate(profile, partial=True)
            if errors:
                raise ValidationError(errors)
            return profile
        return profile_schema.load(profile)
    except ValidationError as exc:
        paths = sorted({f"profile.{p}" for p in field_paths(exc.messages)})
        raise ApiProblem(422, "Unprocessable Content",
                         f"{len(paths)} field{'s are' if len(paths) != 1 else ' is'} invalid: {', '.join(paths)}.",
                         errors={"profile": exc.messages}) from None


def review_iac(body: dict) -> dict:
    """The design review of the files for the team in ``profile``; stored as an assessment only with save."""
    kb = knowledge_base()
    derivation = derive(sources(body), kb.instance_families)
    fields, missing, provenance = _profile(kb, derivation, body.get("profile") or {})
    if missing:
        raise ApiProblem(422, "Unprocessable Content",
                         f"The review needs the team's {', '.join(missing)} in profile; the files cannot say them.",
                         errors={"profile": {name: ["Missing data for required field."] for name in missing}})
    profile = _check(fields)
    result = review(kb, profile, derivation.current_services)
    answer = {**_derived(derivation, profile_as_dict(profile), provenance), **result,
              "warnings": knowledge_warnings()}
    answer["recommendation"].update(profile=answer["profile"], warnings=answer["warnings"])
    if body.get("save"):
        recommendation = dict(result["recommendation"])
        services = tuple(entry["service"] for entry in recommendation["ranking"])
        recommendation["knowledge"] = knowledge_snapshot(kb, services, profile.overlay)
        recommendation["review"] = {key: answer[key] for key in
                                    ("provenance", "current_services", "unsupported", "unresolved", "verdict")}
        assessment, _ = store().add(answer["profile"], recommendation, kb.version)
        answer["assessment"] = {"id": assessment.id, "links": links(assessment.id)}
    return answer
