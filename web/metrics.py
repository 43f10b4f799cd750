"""Prometheus metrics at /metrics: requests by route and status, their latency, report renders, saved assessments.

Under gunicorn every worker is a process of its own, so the counts are kept with prometheus_client's
multiprocess mode: gunicorn.conf.py points PROMETHEUS_MULTIPROC_DIR at a fresh folder before the app is
loaded, each worker writes its figures there, and a scrape of any worker adds them all up. Outside
gunicorn (flask run, the tests) the figures are the one process's own.

Routes are labelled by their rule (/reports/<assessment_id>.pdf), never the path, so ids don't make a new
series each; requests that match no route count as "unmatched". /metrics is a read like the reports: when
tokens are configured it needs the read scope (web/auth.py).
"""
from __future__ import annotations

import os
import time

from flask import Blueprint, Flask, Response, g, request
from prometheus_client import (CONTENT_TYPE_LATEST, REGISTRY, CollectorRegistry, Counter, Histogram, generate_latest,
                               multiprocess)

__all__ = ["assessment_saved", "bp", "init_app", "render_observed"]

REQUESTS = Counter("advisor_http_requests", "HTTP requests answered, by method, route and status.",
                   ["method", "route", "status"])
LATENCY = Histogram("advisor_http_request_duration_seconds", "Time to answer an HTTP request, by method and route.",
                    ["method", "route"], buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30))
RENDERS = Counter("advisor_report_renders", "Report renderings made, by format and outcome (stored; interrupted: "
                  "stopped by the worker timeout, discarded; failed).", ["format", "outcome"])
RENDER_SECONDS = Histogram("advisor_report_render_duration_seconds", "Time to render a report, by format.",
                           ["format"], buckets=(0.01, 0.05, 0.1, 0.25, 0.5, 1, 2, 4, 8, 16, 30))
SAVED = Counter("advisor_assessments_saved", "Assessments saved (idempotent replays are not counted).")

bp = Blueprint("metrics", __name__)


def render_observed(fmt: str, seconds: float, outcome: str) -> None:
    RENDERS.labels(fmt, outcome).inc()
    RENDER_SECONDS.labels(fmt).observe(seconds)


def assessment_saved() -> None:
    SAVED.inc()


def _start() -> None:
    g.metrics_started = time.perf_counter()


def _finish(response: Response) -> Response:
    started = g.pop("metrics_started", None)
    if started is not None:
        route = request.url_rule.rule if request.url_rule is not None else "unmatched"
        REQUESTS.labels(request.method, route, str(response.status_code)).inc()
        LATENCY.labels(request.method, route).observe(time.perf_counter() - started)
    return response


@bp.get("/metrics")
def scrape():
    """The figures in Prometheus's text format: every gunicorn worker's, added up."""
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)
    else:
        registry = REGISTRY
    return Response(generate_latest(registry), mimetype=CONTENT_TYPE_LATEST.split(";")[0],
                    headers={"Content-Type": CONTENT_TYPE_LATEST})


def init_app(app: Flask) -> None:
    app.before_request(_start)
    app.after_request(_finish)
    app.register_blueprint(bp)
