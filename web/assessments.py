"""Saved assessments under /api/v1/assessments: create, read, list, and rerun on the current knowledge base."""
from __future__ import annotations

import hashlib
import json
from datetime import date

from flask import Blueprint, current_app, jsonify, request, url_for
from marshmallow import Schema, ValidationError, fields, validate

from adapters.repository import Assessment, AssessmentStore, IdempotencyConflict
from advisor import ProfileError, rank, profile_as_dict
from advisor.rerun import compare_results
from advisor.snapshot import knowledge_snapshot
from schemas.profile import profile_schema
from schemas.rerun import rerun_result_schema

from .api import knowledge_base, knowledge_warnings
from .jsonbody import read_json_object
from .problems import ApiProblem
from .validation import load_or_422

bp = Blueprint("assessments", __name__, url_prefix="/api/v1/assessments")


class PageArgsSchema(Schema):
    page = fields.Integer(load_default=1, validate=validate.Range(min=1, max=1_000_000))
    per_page = fields.Integer(load_default=20, validate=validate.Range(min=1, max=100))


page_args_schema = PageArgsSchema()


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
        return store().add(profile_as_dict(profile), result, kb.version,
                           idempotency_key=idempotency_key, request_hash=request_hash)
    except IdempotencyConflict as exc:
        raise ApiProblem(422, "Idempotency key reused",
                         "This Idempotency-Key was used before with a different request body; "
                         f"it belongs to assessment {exc.existing.id}.") from None


def links(assessment_id: str) -> dict:
    return {
        "self": url_for("assessments.get_assessment", assessment_id=assessment_id),
        "report_html": f"/reports/{assessment_id}",
        "report_pdf": f"/reports/{assessment_id}.pdf",
        "report_markdown": f"/reports/{assessment_id}.md",
    }


def assessment_json(assessment: Assessment) -> dict:
    recommendation = {k: v for k, v in assessment.result.items() if k != "knowledge"}
    recommendation["profile"] = assessment.profile
    return {"id": assessment.id, "created_at": assessment.created_at.isoformat(), "name": assessment.name,
            "knowledge_base_version": assessment.knowledge_base_version,
            "recommendation": recommendation, "links": links(assessment.id),
            "warnings": assessment_warnings(assessment)}


def assessment_warnings(assessment: Assessment) -> list[dict]:
    """The warnings a saved assessment carries today: judged by the knowledge it was made with."""
    return knowledge_warnings(_reviewed_on(assessment))


def _reviewed_on(assessment: Assessment) -> date | None:
    """The review date of the knowledge an assessment was made with, from its snapshot."""
    reviewed = (assessment.result.get("knowledge") or {}).get("reviewed_on")
    return date.fromisoformat(reviewed) if reviewed else None


def find(assessment_id: str) -> Assessment:
    """The saved assessment with this id, or a 404 problem."""
    assessment = store().get(assessment_id) if len(assessment_id) <= 64 else None
    if assessment is None:
        raise ApiProblem(404, "Not Found", "No assessment has this id.")
    return assessment


@bp.post("")
def create_assessment():
    """Rank a profile and save it; 201 with its address."""
    key = request.headers.get("Idempotency-Key")
    if key is not None and not (1 <= len(key) <= 255 and key.isprintable()):
        raise ApiProblem(400, "Bad Request", "The Idempotency-Key header must be 1 to 255 printable characters.")
    assessment, created = save_assessment(read_json_object(), key)
    response = jsonify(assessment_json(assessment))
    response.status_code = 201 if created else 200
    response.headers["Location"] = links(assessment.id)["self"]
    if not created:
        response.headers["Idempotent-Replayed"] = "true"
    return response


@bp.get("/<assessment_id>")
def get_assessment(assessment_id: str):
    """One saved assessment."""
    return jsonify(assessment_json(find(assessment_id)))


@bp.post("/<assessment_id>/rerun")
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
    body.update(assessment_id=assessment.id, recommendation=result, warnings=knowledge_warnings(),
                links={"assessment": links(assessment.id)["self"],
                       "save": url_for("assessments.create_assessment")})
    return jsonify(rerun_result_schema.dump(body))


@bp.get("")
def list_assessments():
    """Saved assessments, newest first, a page at a time."""
    args = load_or_422(page_args_schema, request.args.to_dict())
    page, per_page = args["page"], args["per_page"]
    items, total = store().list(limit=per_page, offset=(page - 1) * per_page)
    body = {"items": [{"id": a.id, "name": a.name, "created_at": a.created_at.isoformat(),
                       "knowledge_base_version": a.knowledge_base_version,
                       "first": a.result["ranking"][0]["service"] if a.result.get("ranking") else None,
                       "links": links(a.id)} for a in items],
            "page": page, "per_page": per_page, "total": total, "links": {}}
    if page * per_page < total:
        body["links"]["next"] = url_for("assessments.list_assessments", page=page + 1, per_page=per_page)
    if page > 1:
        body["links"]["prev"] = url_for("assessments.list_assessments", page=page - 1, per_page=per_page)
    return jsonify(body)
