"""The design-review API: POST /api/v1/profiles/from-iac and POST /api/v1/reviews."""
from __future__ import annotations

import json

from flask import Blueprint, Response, current_app, jsonify, request, url_for

from advisor.review import profile_from_files, review_files
from schemas.iac import (
    WORKLOAD_FIELDS, IacRequestSchema, ProfileFromIacSchema, ReviewRequestSchema, ReviewSchema, check_overrides,
    iac_request_schema, review_request_schema, sources,
)
from schemas.profile import PROFILE_EXAMPLE

from . import auth, metrics
from .extensions import advisor
from .jsonbody import read_json_object
from .openapi import Reply, documented
from .review_markdown import render_review_markdown
from .validation import load_or_422

bp = Blueprint("iac", __name__, url_prefix="/api/v1")

_PLAN = {"format_version": "1.2", "planned_values": {"root_module": {"resources": [
    {"address": "aws_lambda_function.api", "mode": "managed", "type": "aws_lambda_function", "name": "api",
     "values": {"function_name": "orders-api", "timeout": 900, "memory_size": 1024, "architectures": ["arm64"],
                "package_type": "Zip"}},
    {"address": "aws_lambda_permission.apigw", "mode": "managed", "type": "aws_lambda_permission", "name": "apigw",
     "values": {"principal": "apigateway.amazonaws.com", "action": "lambda:InvokeFunction"}}]}}}
_TEAM = {key: PROFILE_EXAMPLE[key] for key in ("security_hours_per_month", "patching_staff", "customisation",
                                                "isolation", "name")}
FROM_IAC_EXAMPLE = {"sources": [{"format": "terraform-plan", "name": "plan.json",
                                 "content": json.dumps(_PLAN)}]}
REVIEW_EXAMPLE = {**FROM_IAC_EXAMPLE, "profile": _TEAM}


def _body_limit() -> None:
    # Infrastructure files can be larger than a profile: a plan of a few MB is common.
    request.max_content_length = current_app.config["ADVISOR_MAX_IAC_BODY_BYTES"]


def profile_from_iac(body: dict) -> dict:
    """The derived profile for a loaded request body."""
    overrides = body.get("profile") or {}
    check_overrides(overrides)
    return profile_from_files(advisor(), sources(body), overrides, WORKLOAD_FIELDS)


def review_iac(body: dict) -> dict:
    """The review for a loaded request body; with save, where the assessment is."""
    overrides = body.get("profile") or {}
    check_overrides(overrides)
    result = review_files(advisor(), sources(body), overrides, WORKLOAD_FIELDS, save=body.get("save", False),
                          created_by=auth.created_by())
    if "assessment_id" in result:
        metrics.assessment_saved()
        assessment_id = result.pop("assessment_id")
        result["assessment"] = {"id": assessment_id, "links": {
            "self": url_for("assessments.get_assessment", assessment_id=assessment_id)}}
    return result


@bp.post("/profiles/from-iac")
@documented("Derive a profile from infrastructure code", tags=("reviews",), body=IacRequestSchema,
            body_example=FROM_IAC_EXAMPLE,
            responses={200: Reply(ProfileFromIacSchema, "The derived profile, where each value came from, the "
                                                         "services in use, and the team fields still missing.",
                                  example=lambda: profile_from_iac(FROM_IAC_EXAMPLE))})
def create_profile_from_iac():
    """Read Terraform plans or files, CloudFormation/SAM templates, ECS task definitions or Kubernetes manifests.

    Several resources give the most demanding value for each field; the provenance names the file,
    resource and attribute. Unknown resource types are listed under `unsupported`. A file that is
    malformed, too large, too deep or a YAML alias bomb is a 422 naming it. Nothing is stored.
    """
    _body_limit()
    return jsonify(profile_from_iac(load_or_422(iac_request_schema, read_json_object())))


@bp.post("/reviews")
@documented("Review the service the infrastructure code runs on", tags=("reviews",), body=ReviewRequestSchema,
            body_example=REVIEW_EXAMPLE,
            responses={200: Reply(ReviewSchema, "The derived profile, the ranking, each service in use against first "
                                                "place, and the verdict. `Accept: text/markdown` gives the "
                                                "pull-request comment instead.",
                                  example=lambda: review_iac(REVIEW_EXAMPLE),
                                  alternatives=(("text/markdown",
                                                 lambda: render_review_markdown(review_iac(REVIEW_EXAMPLE))),))})
def create_review():
    """A design review: what the files run today, what the team would own there and on first place, and the verdict.

    The team's fields (security_hours_per_month, patching_staff, customisation, and isolation unless
    the files show dedicated tenancy) come in `profile`. Nothing is stored unless `save` is true; then
    the review is saved as an assessment with its provenance and `assessment` says where.
    """
    _body_limit()
    body = load_or_422(review_request_schema, read_json_object())
    result = review_iac(body)
    if request.accept_mimetypes.best_match(["application/json", "text/markdown"]) == "text/markdown":
        return Response(render_review_markdown(result), mimetype="text/markdown")
    return jsonify(result)
