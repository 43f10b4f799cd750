"""The JSON API, /api/v1: recommendations and the knowledge base."""
from __future__ import annotations

from flask import Blueprint, current_app, jsonify

from advisor import KnowledgeBase, profile_as_dict, rank
from schemas.knowledge import LayerListSchema, ServiceDetailSchema, ServiceListSchema
from schemas.profile import PROFILE_EXAMPLE, ProfileSchema, profile_schema
from schemas.recommendation import RecommendationSchema

from .jsonbody import read_json_object
from .knowledge_views import layer_list, service_detail, service_summaries
from .openapi import Reply, documented
from .validation import load_or_422

bp = Blueprint("api", __name__, url_prefix="/api/v1")


def knowledge_base() -> KnowledgeBase:
    return current_app.extensions["advisor.kb"]


def recommend(data: dict) -> dict:
    """Validate a profile and rank it; the JSON shape every recommendation has."""
    kb = knowledge_base()
    profile = load_or_422(profile_schema, data)
    result = rank(kb, profile).as_dict()
    result["profile"] = profile_as_dict(profile)
    return result


@bp.post("/recommendations")
@documented("Rank the services for a profile", tags=("recommendations",), body=ProfileSchema,
            body_example=PROFILE_EXAMPLE,
            responses={200: Reply(RecommendationSchema, "The ranking, first place first.",
                                  example=lambda: recommend(PROFILE_EXAMPLE))})
def create_recommendation():
    """Rank the services for the profile in the body. Nothing is stored; save with POST /api/v1/assessments."""
    return jsonify(recommend(read_json_object()))


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
                                  example=lambda: service_detail(knowledge_base(), "fargate"))})
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


def _first_layers(count: int) -> dict:
    full = layer_list(knowledge_base())
    return {**full, "layers": full["layers"][:count]}
