"""One error shape for the whole API: application/problem+json (RFC 9457)."""
from __future__ import annotations

import json
import logging

from flask import Flask, Response, render_template, request
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException

from advisor import (
    AdvisorError, CannotRerunError, IdempotencyConflict, InvalidProfileError, KnowledgeBaseError, ProfileError,
    UnknownAssessmentError, UnknownOverlayError, UnknownServiceError,
)
from advisor.errors import SourceFileError

from .jsonout import html_safe
from .messages import field_paths

__all__ = ["ApiProblem", "invalid_detail", "problem_body", "problem_document", "problem_json", "problem_response",
           "profile_problem",
           "register_error_handlers", "wants_problem_json"]

log = logging.getLogger("advisor.errors")


class ApiProblem(Exception):
    """Raised by a view to answer with a problem document."""

    def __init__(self, status: int, title: str, detail: str, errors: dict | None = None, headers: dict | None = None):
        super().__init__(detail)
        self.status, self.title, self.detail, self.errors, self.headers = status, title, detail, errors, headers or {}


def invalid_detail(messages) -> str:
    """The sentence naming every field at fault: "2 fields are invalid: customisation, workload.memory_gb."."""
    paths = sorted(set(field_paths(messages)))
    return f"{len(paths)} field{'s are' if len(paths) != 1 else ' is'} invalid: {', '.join(paths)}."


def profile_problem(exc: ProfileError) -> ApiProblem:
    """The problem a refused profile is answered with: a bad shape or level, or a service or overlay not held."""
    if isinstance(exc, InvalidProfileError):
        return ApiProblem(422, "Unprocessable Content", exc.detail or invalid_detail(exc.errors), exc.errors)
    return ApiProblem(422, "Invalid profile", "The profile has fields that cannot be used.", exc.errors)


def problem_document(status: int, title: str, detail: str, errors: dict | None = None,
                     instance: str | None = None) -> dict:
    """The RFC 9457 body: type, title, status, detail, the request path as instance, and field errors."""
    body = {"type": "about:blank", "title": title, "status": status, "detail": detail}
    if instance:
        body["instance"] = instance[:200]
    if errors:
        body["errors"] = errors
    return body


def problem_json(status: int, title: str, detail: str, errors: dict | None = None, instance: str | None = None) -> str:
    """The problem document as the bytes every error answer carries (gunicorn's own refusals included)."""
    return html_safe(json.dumps(problem_document(status, title, detail, errors, instance), sort_keys=True))


def problem_body(status: int, title: str, detail: str, errors: dict | None = None) -> dict:
    """The problem document of the current request (its path is the instance)."""
    return problem_document(status, title, detail, errors, request.path if request else None)


def problem_response(status: int, title: str, detail: str, errors: dict | None = None,
                     headers: dict | None = None) -> Response:
    body = problem_json(status, title, detail, errors, request.path if request else None)
    return Response(body, status=status, mimetype="application/problem+json", headers=headers)


def wants_problem_json() -> bool:
    """API paths always get problem+json; pages get HTML error pages."""
    return (request.path.startswith("/api/") or request.path in ("/healthz", "/metrics")
            or not request.accept_mimetypes.accept_html)


def _page_or_problem(status: int, title: str, detail: str, errors: dict | None = None, headers: dict | None = None):
    if wants_problem_json():
        return problem_response(status, title, detail, errors, headers)
    return Response(render_template("error.html", status=status, title=title, detail=detail),
                    status=status, mimetype="text/html", headers=headers)


# A body over the limit is read and thrown away, up to this size, before the answer: a client that sends its
# whole body before reading (as most HTTP libraries do) would otherwise meet a reset connection, not the 413.
_DISCARD_LIMIT = 32 * 1024 * 1024


def _discard_body() -> None:
    length = request.content_length
    if length is None or length > _DISCARD_LIMIT:
        return
    stream = request.environ["wsgi.input"]
    while length > 0:
        chunk = stream.read(min(length, 64 * 1024))
        if not chunk:
            break
        length -= len(chunk)


def register_error_handlers(app: Flask) -> None:
    """Map every exception to one status in one place."""

    @app.errorhandler(ApiProblem)
    def _api_problem(exc: ApiProblem):
        return _page_or_problem(exc.status, exc.title, exc.detail, exc.errors, exc.headers)

    @app.errorhandler(ProfileError)
    def _profile(exc: ProfileError):
        problem = profile_problem(exc)
        return _page_or_problem(problem.status, problem.title, problem.detail, problem.errors)

    @app.errorhandler(SourceFileError)
    def _source_file(exc: SourceFileError):
        where = {str(exc.index): {"content": [str(exc)]}} if exc.index is not None else {"content": [str(exc)]}
        return _page_or_problem(422, "Unreadable file", str(exc), {"sources": where})

    @app.errorhandler(UnknownAssessmentError)
    def _unknown_assessment(exc: UnknownAssessmentError):
        if request.blueprint == "reports":
            return _page_or_problem(404, "Report not found", "No saved report has this address. Check the link, or "
                                                             "make a new assessment from the form.")
        return _page_or_problem(404, "Not Found", "No assessment has this id.")

    @app.errorhandler(IdempotencyConflict)
    def _idempotency_conflict(exc: IdempotencyConflict):
        return _page_or_problem(422, "Idempotency key reused",
                                "This Idempotency-Key was used before with a different request body; "
                                f"it belongs to assessment {exc.existing.id}.")

    @app.errorhandler(CannotRerunError)
    def _cannot_rerun(exc: CannotRerunError):
        return _page_or_problem(409, "Cannot rerun", "The saved profile cannot be ranked on the current knowledge base "
                                "(it names what the knowledge base no longer holds).", exc.errors)

    @app.errorhandler(UnknownOverlayError)
    def _unknown_overlay(exc: UnknownOverlayError):
        return _page_or_problem(404, "Unknown overlay",
                                f"No organisation overlay with id {exc.overlay_id!r} is in the knowledge base.")

    @app.errorhandler(UnknownServiceError)
    def _unknown_service(exc: UnknownServiceError):
        return _page_or_problem(404, "Unknown service", f"No service with id {exc.service_id!r} is in the knowledge base.")

    @app.errorhandler(KnowledgeBaseError)
    def _kb(exc: KnowledgeBaseError):
        log.error("knowledge base error: %s", exc)
        return _page_or_problem(500, "Knowledge base error", "The knowledge base could not be used.")

    @app.errorhandler(CSRFError)
    def _csrf(exc: CSRFError):
        log.info("form refused: %s", exc.description)
        return _page_or_problem(400, "The form could not be accepted",
                                "The form was not sent from this site's own page, or its security (CSRF) token has expired "
                                "(nothing was saved). Open the form again and resend it.")

    @app.errorhandler(HTTPException)
    def _http(exc: HTTPException):
        headers = {}
        if exc.code == 413:
            _discard_body()
        if exc.code == 405 and exc.valid_methods:
            headers["Allow"] = ", ".join(exc.valid_methods)
        detail = {
            404: "Nothing is found at this address.",
            405: f"{request.method} is not allowed here.",
            413: (f"The request body is larger than the {request.max_content_length:,} bytes allowed here."
                  if request.max_content_length else "The request body is too large."),
            414: "The request line is too long.",
            431: "The request headers are too large.",
        }.get(exc.code, exc.description or exc.name)
        return _page_or_problem(exc.code or 500, exc.name, detail, headers=headers)

    @app.errorhandler(AdvisorError)
    @app.errorhandler(Exception)
    def _unexpected(exc: Exception):
        log.exception("unhandled error on %s %s", request.method, request.path)
        return _page_or_problem(500, "Internal Server Error", "The server could not answer this request.")
