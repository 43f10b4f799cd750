"""The JSON API, /api/v1: recommendations (one or a batch), comparisons and the knowledge base."""
from __future__ import annotations

import json
import time
from collections.abc import Iterator
from datetime import date, datetime, timezone

from flask import Blueprint, Response, current_app, jsonify, request, stream_with_context

from advisor import KnowledgeBase, ProfileError, profile_as_dict, rank
from advisor.compare import compare
from advisor.snapshot import knowledge_snapshot
from advisor.staleness import staleness_warning
from schemas.batch import BatchRequestSchema, BatchResponseSchema, batch_request_schema
from schemas.compare import CompareArgsSchema, CompareResponseSchema, compare_args_schema
from schemas.knowledge import GraphSchema, LayerListSchema, ServiceDetailSchema, ServiceListSchema
from schemas.profile import PROFILE_EXAMPLE, ProfileSchema, profile_schema
from schemas.recommendation import RecommendationSchema

from .jsonbody import read_json_object
from .jsonout import html_safe
from .knowledge_views import graph_document, layer_list, service_detail, service_summaries
from .markdown_report import render_markdown
from .openapi import Reply, documented
from .recommendation_json import recommendation_response
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
@documented("Rank the services for a profile", tags=("recommendations",), body=ProfileSchema,
            body_example=PROFILE_EXAMPLE,
            responses={200: Reply(RecommendationSchema, "The ranking, first place first.",
                                  example=lambda: recommend(PROFILE_EXAMPLE))})
def create_recommendation():
    """Rank the services for the profile in the body. Nothing is stored; save with POST /api/v1/assessments.

    ``Accept: text/markdown`` gets the decision record a saved report gives, instead of JSON.
    """
    if request.accept_mimetypes.best_match(["application/json", "text/markdown"]) == "text/markdown":
        result = recommend(read_json_object(), with_knowledge=True)
        text = render_markdown(result["profile"], result, created_at=datetime.now(timezone.utc))
        return Response(text, mimetype="text/markdown")
    return recommendation_response(knowledge_base(), recommend(read_json_object()))


@bp.post("/recommendations/batch")
@documented("Rank a portfolio of profiles", tags=("recommendations",), body=BatchRequestSchema,
            body_example={"profiles": [PROFILE_EXAMPLE, {**PROFILE_EXAMPLE, "patching_staff": -1}]},
            responses={200: Reply(BatchResponseSchema, "One result per profile, in order: a recommendation, or a "
                                                       "problem object (status 422) for a profile that is not valid.")})
def create_recommendations_batch():
    """Rank up to ADVISOR_BATCH_LIMIT profiles; one result per profile, in order, a problem for a bad one.

    The body may be up to ADVISOR_MAX_BATCH_BODY_BYTES, larger than other requests. The answer
    is streamed a result at a time, so a large portfolio is never held in memory as a whole. It ends
    with `complete`: false when the batch ran out of time (ADVISOR_BATCH_DEADLINE, inside the worker
    timeout) before every profile was ranked, with `next_index`, the first profile not answered: send
    the rest again. An answer cut off without `complete` is not valid JSON, so it cannot pass for whole.
    """
    request.max_content_length = current_app.config["ADVISOR_MAX_BATCH_BODY_BYTES"]
    profiles = load_or_422(batch_request_schema, read_json_object())["profiles"]
    limit = current_app.config["ADVISOR_BATCH_LIMIT"]
    if len(profiles) > limit:
        raise ApiProblem(422, "Unprocessable Content", f"A batch holds at most {limit:,} profiles; "
                         f"{len(profiles):,} were sent.", errors={"profiles": [f"Longer than maximum length {limit}."]})
    deadline = time.monotonic() + current_app.config["ADVISOR_BATCH_DEADLINE"]
    return Response(stream_with_context(_batch_results(profiles, deadline)), mimetype="application/json")


def _batch_results(profiles: list, deadline: float) -> Iterator[str]:
    # The same bytes jsonify gives (sorted keys, compact, HTML-safe), one result at a time.
    yield '{"results":['
    for index, data in enumerate(profiles):
        if time.monotonic() >= deadline:
            rest = len(profiles) - index
            detail = (f"The batch ran out of time after {index:,} of {len(profiles):,} profiles; send the "
                      f"remaining {rest:,}, from index {index}, again.")
            yield "]," + json.dumps({"complete": False, "detail": detail, "next_index": index},
                                    sort_keys=True, separators=(",", ":"))[1:] + "\n"
            return
        try:
            if not isinstance(data, dict):
                raise ApiProblem(422, "Unprocessable Content", "A profile must be a JSON object.",
                                 errors={"_schema": ["Not a JSON object."]})
            result = recommend(data)
        except (ApiProblem, ProfileError) as exc:
            problem = profile_problem(exc) if isinstance(exc, ProfileError) else exc
            result = problem_body(problem.status, problem.title, problem.detail, problem.errors)
            result["instance"] = f"{request.path}#/profiles/{index}"
        yield ("," if index else "") + html_safe(json.dumps(result, sort_keys=True, separators=(",", ":")))
    yield '],"complete":true}\n'


@bp.get("/compare")
@documented("Compare two services layer by layer", tags=("knowledge base",), query=CompareArgsSchema, errors=(400, 404),
            responses={200: Reply(CompareResponseSchema, "The layers handed to AWS or taken back, and the change in "
                                                         "the team's hours.",
                                  example=lambda: compare(knowledge_base(), *list(knowledge_base().services)[:2]))})
def compare_services():
    """What moves between the team and AWS going from one service to another: GET ?from=<id>&to=<id>[&overlay=<id>].

    With an overlay, layers its internal party takes over count for the party, not the team.
    """
    args = load_query_or_400(compare_args_schema, request.args)
    kb = knowledge_base()
    overlay = args.get("overlay")
    if overlay is not None and overlay not in kb.overlays:
        raise ApiProblem(404, "Unknown overlay", f"No organisation overlay with id {overlay!r} is in the knowledge base.")
    return jsonify(compare(kb, args["from_"], args["to"], overlay))


@bp.get("/services")
@documented("List the services", tags=("knowledge base",),
            responses={200: Reply(ServiceListSchema, "Every service with the burden it leaves the team.",
                                  example=lambda: service_summaries(knowledge_base()))})
def list_services():
    """Every service in the knowledge base."""
    return jsonify(service_summaries(knowledge_base()))


@bp.get("/services/<service_id>")
@documented("Show one service", tags=("knowledge base",), path={"service_id": "A service id, e.g. `fargate`."},
            responses={200: Reply(ServiceDetailSchema, "Who owns each layer, the limits and the isolation.",
                                  example=lambda: service_detail(knowledge_base(), knowledge_base().default_services[0]))})
def get_service(service_id: str):
    """One service's full responsibility split, with sources."""
    return jsonify(service_detail(knowledge_base(), service_id))


@bp.get("/layers")
@documented("List the responsibility layers", tags=("knowledge base",),
            responses={200: Reply(LayerListSchema, "The stack, bottom first.",
                                  example=lambda: _first_layers(2))})
def list_layers():
    """The responsibility layers in stack order, bottom first."""
    return jsonify(layer_list(knowledge_base()))


@bp.get("/graph")
@documented("Export the knowledge graph", tags=("knowledge base",),
            responses={200: Reply(GraphSchema, "Node-link JSON; every fact carries its source.")})
def get_graph():
    """The whole knowledge graph as node-link JSON, every fact with its source (GraphSchema)."""
    return jsonify(graph_document(knowledge_base()))


def _first_layers(count: int) -> dict:
    full = layer_list(knowledge_base())
    return {**full, "layers": full["layers"][:count]}
