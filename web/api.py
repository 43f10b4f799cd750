"""The JSON API, /api/v1: recommendations and the knowledge base."""
from __future__ import annotations

from datetime import date, datetime, timezone

from flask import Blueprint, current_app, jsonify

from advisor import KnowledgeBase, profile_as_dict, rank
from advisor.staleness import staleness_warning
from schemas.profile import profile_schema

from .jsonbody import read_json_object
from .knowledge_views import graph_document, layer_list, service_detail, service_summaries
from .validation import load_or_422

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


def recommend(data: dict) -> dict:
    """Validate a profile and rank it; the JSON shape every recommendation has."""
    kb = knowledge_base()
    profile = load_or_422(profile_schema, data)
    result = rank(kb, profile).as_dict()
    result["profile"] = profile_as_dict(profile)
    result["warnings"] = knowledge_warnings()
    return result


@bp.post("/recommendations")
def create_recommendation():
    """Rank the services for the profile in the body."""
    return jsonify(recommend(read_json_object()))


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
