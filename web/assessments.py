"""Saved assessments under /api/v1/assessments: create, read, list, and rerun on the current knowledge base."""
from __future__ import annotations

import hashlib
import json
import re
from datetime import date, datetime, timezone

from flask import Blueprint, current_app, jsonify, request, url_for
from marshmallow import ValidationError

from adapters.repository import Assessment, AssessmentStore, IdempotencyConflict
from advisor import ProfileError, rank, profile_as_dict
from advisor.rerun import compare_results
from advisor.snapshot import knowledge_snapshot
from schemas.assessment import AssessmentListSchema, AssessmentSchema, PageArgsSchema, page_args_schema
from schemas.profile import PROFILE_EXAMPLE, ProfileSchema, profile_schema
from schemas.rerun import RerunResultSchema, rerun_result_schema

from . import auth, metrics
from .api import knowledge_base, knowledge_warnings
from .jsonbody import read_json_object
from .openapi import Reply, documented
from .problems import ApiProblem
from .validation import load_or_422

bp = Blueprint("assessments", __name__, url_prefix="/api/v1/assessments")

_ID = re.compile(r"[0-9a-f]{32}")
# Printable ASCII, as the OpenAPI document states: a key is an opaque token, usually a UUID.
_IDEMPOTENCY_KEY = re.compile(r"[\x20-\x7e]{1,255}")


def store() -> AssessmentStore:
    return current_app.extensions["advisor.store"]


def save_assessment(data: dict, idempotency_key: str | None = None) -> tuple[Assessment, bool]:
    """Validate, rank and store a profile; the road shared by the API and the form."""
    kb = knowledge_base()
    profile = load_or_422(profile_schema, data)
    recommendation = rank(kb, profile)
    result = recommendation.as_dict()
    result["knowledge"] = knowledge_snapshot(kb, tuple(r.service for r in recommendation.ranking), profile.overlay)
    request_hash = hashlib.sha256(json.dumps(data, sort_keys=True).encode()).hexdigest() if idempotency_key else None
    try:
        assessment, created = store().add(profile_as_dict(profile), result, kb.version, idempotency_key=idempotency_key,
                                          request_hash=request_hash, created_by=auth.created_by())
    except IdempotencyConflict as exc:
        raise ApiProblem(422, "Idempotency key reused",
                         "This Idempotency-Key was used before with a different request body; "
                         f"it belongs to assessment {exc.existing.id}.") from None
    if created:
        metrics.assessment_saved()
    return assessment, created


def links(assessment_id: str) -> dict:
    return {
        "self": url_for("assessments.get_assessment", assessment_id=assessment_id),
        "report_html": f"/reports/{assessment_id}",
        "report_pdf": f"/reports/{assessment_id}.pdf",
        "report_markdown": f"/reports/{assessment_id}.md",
    }


def assessment_json(assessment: Assessment) -> dict:
    """A saved assessment as the API shows it; warnings are judged now, against the knowledge it was made with."""
    warnings = assessment_warnings(assessment)
    recommendation = {k: v for k, v in assessment.result.items() if k != "knowledge"}
    recommendation["profile"] = assessment.profile
    recommendation["warnings"] = warnings
    return {"id": assessment.id, "created_at": assessment.created_at.isoformat(), "name": assessment.name,
            "created_by": assessment.created_by, "knowledge_base_version": assessment.knowledge_base_version,
            "recommendation": recommendation, "links": links(assessment.id), "warnings": warnings}


def assessment_warnings(assessment: Assessment) -> list[dict]:
    """The warnings a saved assessment carries today: judged by the knowledge it was made with."""
    return knowledge_warnings(_reviewed_on(assessment))


def _reviewed_on(assessment: Assessment) -> date | None:
    """The review date of the knowledge an assessment was made with, from its snapshot."""
    reviewed = (assessment.result.get("knowledge") or {}).get("reviewed_on")
    return date.fromisoformat(reviewed) if reviewed else None


def find(assessment_id: str) -> Assessment:
    """The saved assessment with this id, or a 404 problem."""
    assessment = store().get(assessment_id) if _ID.fullmatch(assessment_id) else None
    if assessment is None:
        raise ApiProblem(404, "Not Found", "No assessment has this id.")
    return assessment


def _summary_json(assessment: Assessment) -> dict:
    ranking = assessment.result.get("ranking")
    return {"id": assessment.id, "name": assessment.name, "created_at": assessment.created_at.isoformat(),
            "knowledge_base_version": assessment.knowledge_base_version,
            "first": ranking[0]["service"] if ranking else None, "links": links(assessment.id)}


def _example() -> Assessment:
    """A made-up saved assessment for the API document; nothing is stored."""
    kb = knowledge_base()
    profile = profile_schema.load(PROFILE_EXAMPLE)
    return Assessment(id="4f1c2a9e0b7d4c3f8a6e5d2b1c0f9e8d", created_at=datetime(2026, 1, 15, 9, 30, tzinfo=timezone.utc),
                      name=profile.name, profile=profile_as_dict(profile), result=rank(kb, profile).as_dict(),
                      knowledge_base_version=kb.version)


@bp.post("")
@documented("Save an assessment", body=ProfileSchema, body_example=PROFILE_EXAMPLE, headers=("Idempotency-Key",),
            errors=(400,),
            responses={201: Reply(AssessmentSchema, "Ranked and saved; Location is its address.",
                                  example=lambda: assessment_json(_example()), headers=("Location",)),
                       200: Reply(AssessmentSchema, "A retry with an Idempotency-Key already used with this body: "
                                                    "the assessment saved the first time, not saved again.",
                                  example=lambda: assessment_json(_example()),
                                  headers=("Location", "Idempotent-Replayed"))})
def create_assessment():
    """Rank a profile and save it with the knowledge it was ranked against; 201 with its address.

    Send an Idempotency-Key to make retries safe.
    """
    key = request.headers.get("Idempotency-Key")
    if key is not None and not _IDEMPOTENCY_KEY.fullmatch(key):
        raise ApiProblem(400, "Bad Request", "The Idempotency-Key header must be 1 to 255 printable ASCII characters.")
    assessment, created = save_assessment(read_json_object(), key)
    response = jsonify(assessment_json(assessment))
    response.status_code = 201 if created else 200
    response.headers["Location"] = links(assessment.id)["self"]
    if not created:
        response.headers["Idempotent-Replayed"] = "true"
    return response


@bp.get("/<assessment_id>")
@documented("Read a saved assessment", path={"assessment_id": "The id the assessment was saved under."},
            responses={200: Reply(AssessmentSchema, "The assessment as saved.",
                                  example=lambda: assessment_json(_example()))})
def get_assessment(assessment_id: str):
    """One saved assessment, exactly as it was saved, whatever the knowledge base says now."""
    return jsonify(assessment_json(find(assessment_id)))


@bp.post("/<assessment_id>/rerun")
@documented("Rerun a saved assessment on the current knowledge base",
            path={"assessment_id": "The id the assessment was saved under."}, errors=(409,),
            responses={200: Reply(RerunResultSchema, "The new ranking and what changed; nothing is stored.")})
def rerun_assessment(assessment_id: str):
    """Rank a saved assessment's profile again on the current knowledge base and say what changed (RerunResultSchema).

    Nothing is stored: the saved assessment stays as it was. To keep the new ranking, POST its
    profile to /api/v1/assessments.
    """
    assessment = find(assessment_id)
    kb = knowledge_base()
    try:
        profile = profile_schema.load(assessment.profile)
        recommendation = rank(kb, profile)
    except (ValidationError, ProfileError) as exc:
        errors = exc.messages if isinstance(exc, ValidationError) else exc.errors
        raise ApiProblem(409, "Cannot rerun", "The saved profile cannot be ranked on the current knowledge base "
                         "(it names what the knowledge base no longer holds).", errors=errors) from None
    result = recommendation.as_dict()
    result["knowledge"] = knowledge_snapshot(kb, tuple(r.service for r in recommendation.ranking), profile.overlay)
    body = compare_results(assessment.result, result)
    body["knowledge_base_version"]["old"] = assessment.knowledge_base_version
    del result["knowledge"]
    result["profile"] = profile_as_dict(profile)
    result["warnings"] = knowledge_warnings()
    body.update(assessment_id=assessment.id, recommendation=result, warnings=result["warnings"],
                links={"assessment": links(assessment.id)["self"],
                       "save": url_for("assessments.create_assessment")})
    return jsonify(rerun_result_schema.dump(body))


@bp.get("")
@documented("List saved assessments", query=PageArgsSchema,
            responses={200: Reply(AssessmentListSchema, "One page, newest first; `links` has the next and "
                                                        "previous pages where there are any.",
                                  example=lambda: {"items": [_summary_json(_example())], "page": 1, "per_page": 20,
                                                   "total": 1, "links": {}})})
def list_assessments():
    """Saved assessments, newest first, a page at a time."""
    args = load_or_422(page_args_schema, request.args.to_dict())
    page, per_page = args["page"], args["per_page"]
    items, total = store().list(limit=per_page, offset=(page - 1) * per_page, created_by=auth.owner_filter())
    body = {"items": [_summary_json(a) for a in items], "page": page, "per_page": per_page, "total": total,
            "links": {}}
    if page * per_page < total:
        body["links"]["next"] = url_for("assessments.list_assessments", page=page + 1, per_page=per_page)
    if page > 1:
        body["links"]["prev"] = url_for("assessments.list_assessments", page=page - 1, per_page=per_page)
    return jsonify(body)
