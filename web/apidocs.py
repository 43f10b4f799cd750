"""The API's own description: the OpenAPI document as JSON, and an interactive page to read and try it.

The page is Swagger UI (the swagger-ui-py package's copy, served from this service: no outside asset), started by
static/js/api-docs.js so the Content-Security-Policy needs no inline script. Above it, the requests most people
start with, as curl commands against the public URL.
"""
from __future__ import annotations

import json
from importlib.resources import files

from flask import Blueprint, abort, current_app, jsonify, render_template, send_from_directory, url_for

from schemas.profile import PROFILE_EXAMPLE

from . import public_url
from .extensions import knowledge_base
from .openapi import Reply, documented, openapi_document

bp = Blueprint("apidocs", __name__)

SWAGGER_UI = files("swagger_ui") / "static"
# The parts of Swagger UI the page loads, and its licence.
_ASSETS = frozenset({"swagger-ui-bundle.js", "swagger-ui.css", "LICENSE"})


@bp.get("/api/v1/openapi.json")
@documented("This document", tags=("documentation",),
            responses={200: Reply(None, "The OpenAPI 3.1 document of this API, generated from its schemas.")})
def openapi_json():
    """The OpenAPI 3.1 document of the API: every endpoint, its request, answers, problems and examples."""
    return jsonify(openapi_document())


@bp.get("/api/docs")
def api_docs():
    """The API reference: every endpoint and schema, with a form to send a request and see the answer."""
    spec = openapi_document()
    return render_template("api/docs.html", active="api", info=spec["info"], openapi=spec["openapi"],
                           examples=curl_examples(public_url.base()))


@bp.get("/api/docs/assets/<name>")
def api_docs_asset(name: str):
    if name not in _ASSETS:
        abort(404)
    return send_from_directory(str(SWAGGER_UI), name, max_age=current_app.get_send_file_max_age(name),
                               mimetype="text/plain" if name == "LICENSE" else None)


def curl_examples(base: str) -> list[tuple[str, str]]:
    """(what it does, the command) for the first requests people send."""
    body = json.dumps(PROFILE_EXAMPLE, indent=2)
    pair = [service.id for service in knowledge_base().services.values() if service.default][:2]
    post = f"curl -s {base}{url_for('api.create_recommendation')} \\\n  -H 'Content-Type: application/json' \\\n  -d '{body}'"
    save = (f"curl -s {base}{url_for('assessments.create_assessment')} \\\n  -H 'Content-Type: application/json' \\\n"
            f"  -H 'Idempotency-Key: payments-api-review-1' \\\n  -d '{body}'")
    return [
        ("Rank the services for a team", post),
        ("Save the assessment; the answer links its report, PDF and decision record", save),
        ("Compare two services",
         f"curl -s '{base}{url_for('api.compare_services', **{'from': pair[0], 'to': pair[1]})}'"),
        ("Download this document", f"curl -s {base}{url_for('apidocs.openapi_json')}"),
    ]
