"""The JSON API, /api/v1: recommendations (one or a batch), comparisons and the knowledge base."""
from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import date, datetime, timezone

from flask import Blueprint, Response, current_app, jsonify, request, stream_with_context

from advisor import KnowledgeBase, ProfileError, profile_as_dict, rank
from advisor.compare import compare
from advisor.snapshot import knowledge_snapshot
from advisor.staleness import staleness_warning
from schemas.batch import batch_request_schema
from schemas.compare import compare_args_schema
from schemas.profile import profile_schema

from .jsonbody import read_json_object
from .markdown_report import render_markdown
from .knowledge_views import graph_document, layer_list, service_detail, service_summaries
from .problems import ApiProblem, problem_body, profile_problem
from .validation import load_or_422, load_query_or_400

bp = Blueprint("api", __name__, url_prefix="/api/v1")


def knowledge_base() -> KnowledgeBase:
    return current_app.extensions["advisor.kb"]


def today() -> date:
    """Today's date (UTC), or the date the configuration pins as TODAY."""
    return current_app.config.get("TODAY") or datetime.now(timezone.utc).date()


def knowledge_warnings(reviewed_on: date | None = None) -> list[dict]:
    """Warnings every answer carries: a staleness warning when the knowledge used is older than allowed.

    reviewed_on is the review date of the knowledge an answer rests on; the current
    knowledge base's when left out.
    """
    reviewed = reviewed_on or knowledge_base().reviewed_on
    warning = staleness_warning(reviewed, today(), current_app.config["KB_MAX_AGE_DAYS"])
    return [warning] if warning else []


def recommend(data: dict, *, with_knowledge: bool = False) -> dict:
    """Validate a profile and rank it; the JSON shape every recommendation has.

    with_knowledge adds the knowledge snapshot a report or decision record draws its
    matrix and incidents from.
    """
    kb = knowledge_base()
    profile = load_or_422(profile_schema, data)
    result = rank(kb, profile).as_dict()
    result["profile"] = profile_as_dict(profile)
    result["warnings"] = knowledge_warnings()
    if with_knowledge:
        services = tuple(entry["service"] for entry in result["ranking"])
        result["knowledge"] = knowledge_snapshot(kb, services, profile.overlay)
    return result


@bp.post("/recommendations")
def create_recommendation():
    """Rank the services for the profile in the body; ``Accept: text/markdown`` gets the decision record."""
    if request.accept_mimetypes.best_match(["application/json", "text/markdown"]) == "text/markdown":
        result = recommend(read_json_object(), with_knowledge=True)
        text = render_markdown(result["profile"], result, created_at=datetime.now(timezone.utc))
        return Response(text, mimetype="text/markdown")
    return jsonify(recommend(read_json_object()))


@bp.post("/recommendations/batch")
def create_recommendations_batch():
    """Rank up to ADVISOR_BATCH_LIMIT profiles; one result per profile, in order, a problem for a bad one.

    The body may be up to ADVISOR_MAX_BATCH_BODY_BYTES, larger than other requests. The answer
    is streamed a result at a time, so a large portfolio is never held in memory as a whole.
    """
    request.max_content_length = current_app.config["ADVISOR_MAX_BATCH_BODY_BYTES"]
    profiles = load_or_422(batch_request_schema, read_json_object())["profiles"]
    limit = current_app.config["ADVISOR_BATCH_LIMIT"]
    if len(profiles) > limit:
        raise ApiProblem(422, "Unprocessable Content", f"A batch holds at most {limit:,} profiles; "
                         f"{len(profiles):,} were sent.", errors={"profiles": [f"Longer than maximum length {limit}."]})
    return Response(stream_with_context(_batch_results(profiles)), mimetype="application/json")


def _batch_results(profiles: list) -> Iterator[str]:
    # The same bytes jsonify gives (sorted keys, compact), one result at a time.
    yield '{"results":['
    for index, data in enumerate(profiles):
        try:
            if not isinstance(data, dict):
                raise ApiProblem(422, "Unprocessable Content", "A profile must be a JSON object.",
                                 errors={"_schema": ["Not a JSON object."]})
            result = recommend(data)
        except (ApiProblem, ProfileError) as exc:
            problem = profile_problem(exc) if isinstance(exc, ProfileError) else exc
            result = problem_body(problem.status, problem.title, problem.detail, problem.errors)
            result["instance"] = f"{request.path}#/profiles/{index}"
        yield ("," if index else "") + json.dumps(result, sort_keys=True, separators=(",", ":"))
    yield "]}\n"


@bp.get("/compare")
def compare_services():
    """What moves between the team and AWS going from one service to another: GET ?from=<id>&to=<id>."""
    args = load_query_or_400(compare_args_schema, request.args)
    return jsonify(compare(knowledge_base(), args["from_"], args["to"]))


@bp.get("/services")
def list_services():
    """Every service in the knowledge base."""
    return jsonify(service_summaries(knowledge_base()))


@bp.get("/services/<service_id>")
def get_service(service_id: str):
    """One service's full responsibility split, with sources."""
    return jsonify(service_detail(knowledge_base(), service_id))


@bp.get("/layers")
def list_layers():
    """The responsibility layers in stack order, bottom first."""
    return jsonify(layer_list(knowledge_base()))


@bp.get("/graph")
def get_graph():
    """The whole knowledge graph as node-link JSON, every fact with its source (GraphSchema)."""
    return jsonify(graph_document(knowledge_base()))
