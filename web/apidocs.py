"""The API's own description: the OpenAPI document as JSON, and an interactive page of it (Swagger UI).

Swagger UI's files come from the pinned flask-swagger-ui package and are served from this service, never a
CDN; the page starts it from /static/js/api-docs.js, so no inline script is needed under the site's
Content-Security-Policy.
"""
from __future__ import annotations

from pathlib import Path

import flask_swagger_ui
from flask import Blueprint, abort, jsonify, render_template, send_from_directory, url_for

from . import public_url
from .openapi import Reply, documented, openapi_document

bp = Blueprint("apidocs", __name__)

SWAGGER_UI_DIST = Path(flask_swagger_ui.__file__).parent / "dist"
# The only files of Swagger UI the page loads.
_ASSETS = frozenset({"swagger-ui-bundle.js", "swagger-ui.css"})
SWAGGER_UI_VERSION = (SWAGGER_UI_DIST / "VERSION").read_text().strip().lstrip("v")


@bp.get("/api/v1/openapi.json")
@documented("This document", tags=("documentation",),
            responses={200: Reply(None, "The OpenAPI 3.1 document of this API, generated from its schemas.")})
def openapi_json():
    """The OpenAPI 3.1 document of the API: every endpoint, its request, answers, problems and examples."""
    return jsonify(openapi_document())


@bp.get("/api/docs")
def api_docs():
    """The OpenAPI document as an interactive page: every operation, its schemas and examples, to try out."""
    spec = openapi_document()
    return render_template("api/docs.html", spec=spec, base=public_url.base().rstrip("/"),
                           spec_url=url_for("apidocs.openapi_json"), version=SWAGGER_UI_VERSION)


@bp.get("/api/docs/assets/<name>")
def api_docs_asset(name: str):
    """Swagger UI's script and stylesheet, from the pinned package."""
    if name not in _ASSETS:
        abort(404)
    return send_from_directory(SWAGGER_UI_DIST, name, max_age=86400)
