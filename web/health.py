"""GET /healthz: the liveness check load balancers and the process manager poll."""
from __future__ import annotations

from flask import Flask, jsonify

from advisor import CORE
from schemas.knowledge import HealthSchema

from .extensions import knowledge_base
from .openapi import Reply, documented

__all__ = ["init_app"]


@documented("Liveness", tags=("health",),
            responses={200: Reply(HealthSchema, "Up, with the knowledge base loaded.",
                                  example=lambda: {"status": "ok", "knowledge_base_version": knowledge_base().version,
                                                   "core": CORE})})
def healthz():
    """Liveness: the knowledge base is loaded."""
    return jsonify(status="ok", knowledge_base_version=knowledge_base().version, core=CORE)


def init_app(app: Flask) -> None:
    """Serve /healthz at the application's root (operation id ``healthz``)."""
    app.add_url_rule("/healthz", "healthz", healthz, methods=["GET"])
