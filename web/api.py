"""The JSON API, /api/v1: recommendations (one or a batch), comparisons and the knowledge base."""
from __future__ import annotations

import time
from collections.abc import Iterator
from datetime import datetime, timezone

from flask import Blueprint, Response, current_app, jsonify, request, stream_with_context

from advisor import ProfileError
from schemas.batch import BatchRequestSchema, BatchResponseSchema, batch_request_schema
from schemas.compare import CompareArgsSchema, CompareResponseSchema, compare_args_schema
from schemas.knowledge import GraphSchema, LayerListSchema, ServiceDetailSchema, ServiceListSchema
from schemas.profile import PROFILE_EXAMPLE, ProfileSchema
from schemas.recommendation import RecommendationSchema

from .extensions import advisor, documents, knowledge_base
from .jsonbody import read_json_object
from .jsonout import encode
from .knowledge_documents import layer_list, service_detail, service_summaries
from .markdown_report import render_markdown
from .openapi import Reply, documented
from .problems import ApiProblem, problem_body, profile_problem
from .validation import load_or_422, load_query_or_400

bp = Blueprint("api", __name__, url_prefix="/api/v1")


@bp.post("/recommendations")
@documented("Rank the services for a profile", tags=("recommendations",), body=ProfileSchema,
            body_example=PROFILE_EXAMPLE,
            responses={200: Reply(RecommendationSchema, "The ranking, first place first.",
                                  example=lambda: advisor().recommend(PROFILE_EXAMPLE))})
def create_recommendation():
    """Rank the services for the profile in the body. Nothing is stored; save with POST /api/v1/assessments.

    ``Accept: text/markdown`` gets the decision record a saved report gives, instead of JSON.
    """
    if request.accept_mimetypes.best_match(["application/json", "text/markdown"]) == "text/markdown":
        result = advisor().recommend(read_json_object(), with_knowledge=True)
        text = render_markdown(result["profile"], result, created_at=datetime.now(timezone.utc))
        return Response(text, mimetype="text/markdown")
    return jsonify(advisor().recommend(read_json_object()))


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


def _batch_results(profiles: list, deadline: float) -> Iterator[bytes]:
    # The same bytes jsonify gives (sorted keys, compact, HTML-safe), one result at a time.
    yield b'{"results":['
    outcomes = advisor().batch(profiles)
    for index in range(len(profiles)):
        if time.monotonic() >= deadline:  # checked before each profile is ranked
            rest = len(profiles) - index
            detail = (f"The batch ran out of time after {index:,} of {len(profiles):,} profiles; send the "
                      f"remaining {rest:,}, from index {index}, again.")
            yield b"]," + encode({"complete": False, "detail": detail, "next_index": index})[1:] + b"\n"
            return
        outcome = next(outcomes)
        if isinstance(outcome, ProfileError):
            problem = profile_problem(outcome)
            outcome = problem_body(problem.status, problem.title, problem.detail, problem.errors)
            outcome["instance"] = f"{request.path}#/profiles/{index}"
        yield (b"," if index else b"") + encode(outcome)
    yield b'],"complete":true}\n'


@bp.get("/compare")
@documented("Compare two services layer by layer", tags=("knowledge base",), query=CompareArgsSchema, errors=(400, 404),
            responses={200: Reply(CompareResponseSchema, "The layers handed to AWS or taken back, and the change in "
                                                         "the team's hours.",
                                  example=lambda: advisor().compare(*list(knowledge_base().services)[:2]))})
def compare_services():
    """What moves between the team and AWS going from one service to another: GET ?from=<id>&to=<id>[&overlay=<id>].

    With an overlay, layers its internal party takes over count for the party, not the team.
    """
    args = load_query_or_400(compare_args_schema, request.args)
    return jsonify(advisor().compare(args["from_"], args["to"], args.get("overlay")))


@bp.get("/services")
@documented("List the services", tags=("knowledge base",),
            responses={200: Reply(ServiceListSchema, "Every service with the burden it leaves the team.",
                                  example=lambda: service_summaries(knowledge_base()))})
def list_services():
    """Every service in the knowledge base."""
    return _json(documents().services)


@bp.get("/services/<service_id>")
@documented("Show one service", tags=("knowledge base",), path={"service_id": "A service id, e.g. `fargate`."},
            responses={200: Reply(ServiceDetailSchema, "Who owns each layer, the limits and the isolation.",
                                  example=lambda: service_detail(knowledge_base(), knowledge_base().default_services[0]))})
def get_service(service_id: str):
    """One service's full responsibility split, with sources."""
    return _json(documents().service(service_id))


@bp.get("/layers")
@documented("List the responsibility layers", tags=("knowledge base",),
            responses={200: Reply(LayerListSchema, "The stack, bottom first.",
                                  example=lambda: _first_layers(2))})
def list_layers():
    """The responsibility layers in stack order, bottom first."""
    return _json(documents().layers)


@bp.get("/graph")
@documented("Export the knowledge graph", tags=("knowledge base",),
            responses={200: Reply(GraphSchema, "Node-link JSON; every fact carries its source.")})
def get_graph():
    """The whole knowledge graph as node-link JSON, every fact with its source (GraphSchema)."""
    return _json(documents().graph)


def _json(body: bytes) -> Response:
    return current_app.response_class(body, mimetype="application/json")


def _first_layers(count: int) -> dict:
    full = layer_list(knowledge_base())
    return {**full, "layers": full["layers"][:count]}
