"""Saved assessments under /api/v1/assessments: create, read, list, and rerun on the current knowledge base."""
from __future__ import annotations

import re
from datetime import datetime, timezone

from flask import Blueprint, jsonify, request, url_for

from adapters.repository import Assessment
from advisor import profile_as_dict, rank
from schemas.assessment import AssessmentListSchema, AssessmentSchema, PageArgsSchema, page_args_schema
from schemas.profile import PROFILE_EXAMPLE, ProfileSchema, profile_schema
from schemas.rerun import RerunResultSchema, rerun_result_schema

from . import auth, metrics
from .extensions import advisor, knowledge_base
from .jsonbody import read_json_object
from .openapi import Reply, documented
from .problems import ApiProblem
from .validation import load_or_422

bp = Blueprint("assessments", __name__, url_prefix="/api/v1/assessments")

# Printable ASCII, as the OpenAPI document states: a key is an opaque token, usually a UUID.
_IDEMPOTENCY_KEY = re.compile(r"[\x20-\x7e]{1,255}")


def links(assessment_id: str) -> dict:
    return {
        "self": url_for("assessments.get_assessment", assessment_id=assessment_id),
        "report_html": f"/reports/{assessment_id}",
        "report_pdf": f"/reports/{assessment_id}.pdf",
        "report_markdown": f"/reports/{assessment_id}.md",
    }


def assessment_json(assessment: Assessment) -> dict:
    """A saved assessment as the API shows it; warnings are judged now, against the knowledge it was made with."""
    warnings = advisor().assessment_warnings(assessment)
    recommendation = {k: v for k, v in assessment.result.items() if k not in ("knowledge", "review")}
    recommendation["profile"] = assessment.profile
    recommendation["warnings"] = warnings
    body = {"id": assessment.id, "created_at": assessment.created_at.isoformat(), "name": assessment.name,
            "created_by": assessment.created_by, "knowledge_base_version": assessment.knowledge_base_version,
            "recommendation": recommendation, "links": links(assessment.id), "warnings": warnings}
    if "review" in assessment.result:  # a saved design review
        body["review"] = assessment.result["review"]
    return body


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
    assessment, created = advisor().save(read_json_object(), key, created_by=auth.created_by())
    if created:
        metrics.assessment_saved()
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
    return jsonify(assessment_json(advisor().get(assessment_id)))


@bp.post("/<assessment_id>/rerun")
@documented("Rerun a saved assessment on the current knowledge base",
            path={"assessment_id": "The id the assessment was saved under."}, errors=(409,),
            responses={200: Reply(RerunResultSchema, "The new ranking and what changed; nothing is stored.")})
def rerun_assessment(assessment_id: str):
    """Rank a saved assessment's profile again on the current knowledge base and say what changed (RerunResultSchema).

    Nothing is stored: the saved assessment stays as it was. To keep the new ranking, POST its
    profile to /api/v1/assessments.
    """
    body = advisor().rerun(assessment_id)
    body["links"] = {"assessment": links(assessment_id)["self"], "save": url_for("assessments.create_assessment")}
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
    name = args["name"] or None
    items, total = advisor().page(page, per_page, created_by=auth.list_owner(), name=name)
    body = {"items": [_summary_json(a) for a in items], "page": page, "per_page": per_page, "total": total,
            "links": {}}
    if page * per_page < total:
        body["links"]["next"] = url_for("assessments.list_assessments", page=page + 1, per_page=per_page, name=name)
    if page > 1:
        body["links"]["prev"] = url_for("assessments.list_assessments", page=page - 1, per_page=per_page, name=name)
    return jsonify(body)
