"""The JSON API, /api/v1: recommendations and the knowledge base."""
from __future__ import annotations

from flask import Blueprint, current_app, jsonify

from advisor import KnowledgeBase, profile_as_dict, rank
from schemas.profile import profile_schema

from .jsonbody import read_json_object
from .knowledge_views import layer_list, service_detail, service_summaries
from .recommendation_json import recommendation_response
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
def create_recommendation():
    """Rank the services for the profile in the body."""
    return recommendation_response(knowledge_base(), recommend(read_json_object()))


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
