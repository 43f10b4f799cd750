"""The OpenAPI 3.1 document, generated from the marshmallow schemas and the documentation each view declares.

A view declares its contract next to itself with ``@documented(...)``; the
document is built from the application's URL map, so a route under /api/v1
without a declaration is missing from it, and a test says so.

Errors every operation of a kind can give are added here, once: 400, 413, 415
and 422 where a JSON body is read, 401 and 403 on writes and saved assessments (API tokens), 404 where the
path names something, 405 and 500 everywhere.
"""
from __future__ import annotations

import inspect
import re
from dataclasses import dataclass, field
from typing import Any, Callable

from apispec import APISpec
from apispec.ext.marshmallow import MarshmallowPlugin
from flask import Flask, current_app
from marshmallow import Schema, validate
from werkzeug.routing import Rule

from schemas.problem import ProblemSchema

from .security import SAFE_METHODS

__all__ = ["Reply", "documented", "build_spec", "openapi_document", "undocumented_routes", "in_scope",
           "SAFE_METHODS"]

PROBLEM_JSON = "application/problem+json"


@dataclass(frozen=True)
class Reply:
    """One documented success answer: its schema, what it means, an example and its headers."""

    schema: type[Schema] | None
    description: str
    example: Any = None  # a value, or a callable run in the application to make one
    headers: tuple[str, ...] = ()  # names of components.headers
    media_type: str = "application/json"
    # other media types the same answer comes in (by Accept), each a text document: (media type, example)
    alternatives: tuple[tuple[str, Any], ...] = ()


@dataclass(frozen=True)
class _Doc:
    summary: str
    description: str
    responses: dict[int, Reply]
    body: type[Schema] | None = None
    body_example: Any = None
    query: type[Schema] | None = None
    headers: tuple[str, ...] = ()  # names of components.parameters sent as request headers
    path: dict[str, str] = field(default_factory=dict)
    errors: tuple[int, ...] = ()
    tags: tuple[str, ...] = ()


def documented(summary: str, *, responses: dict[int, Reply], body: type[Schema] | None = None, body_example: Any = None,
               query: type[Schema] | None = None, headers: tuple[str, ...] = (), path: dict[str, str] | None = None,
               errors: tuple[int, ...] = (), tags: tuple[str, ...] = ()) -> Callable:
    """Attach a view's OpenAPI contract to it; the view's docstring becomes the description."""

    def attach(view: Callable) -> Callable:
        view.__openapi__ = _Doc(summary=summary, description=inspect.cleandoc(view.__doc__ or ""), responses=responses,
                                body=body, body_example=body_example, query=query, headers=headers,
                                path=path or {}, errors=errors, tags=tags)
        return view

    return attach


def in_scope(rule: Rule) -> bool:
    """The routes the document must cover: the versioned API and the health check."""
    return rule.rule.startswith("/api/v1/") or rule.rule == "/healthz"


def _methods(rule: Rule) -> list[str]:
    return sorted((rule.methods or set()) - {"HEAD", "OPTIONS"})


def undocumented_routes(app: Flask) -> list[str]:
    """'METHOD /path' of every in-scope route whose view declares no contract."""
    return [f"{method} {rule.rule}" for rule in app.url_map.iter_rules() if in_scope(rule)
            for method in _methods(rule) if not hasattr(app.view_functions[rule.endpoint], "__openapi__")]


# --- shared components -------------------------------------------------------------------------------------

_PROBLEMS = {
    400: ("BadRequest", "The body is not acceptable JSON (malformed, duplicate keys, NaN, Infinity, a number "
                        "beyond range, nesting too deep, not UTF-8, not an object), or a header is malformed.",
          "The body is not acceptable JSON: duplicate key 'name'."),
    401: ("Unauthorized", "The server requires an API token for writes and for reading saved assessments "
                          "(ADVISOR_API_TOKENS) and none, or a wrong one, was sent as `Authorization: Bearer <token>`.",
          "The API token is not one this server accepts."),
    403: ("Forbidden", "The API token is valid but lacks the scope this needs (read, or write).",
          "reporting may not make or change assessments on this server."),
    404: ("NotFound", "Nothing has this id.", "No assessment has this id."),
    405: ("MethodNotAllowed", "The path does not take this method; the Allow header lists those it takes.",
          "DELETE is not allowed here."),
    409: ("Conflict", "The saved profile cannot be ranked on the current knowledge base: it names a service or "
                      "overlay the knowledge base no longer holds.",
          "The saved profile cannot be ranked on the current knowledge base."),
    413: ("ContentTooLarge", "The body is larger than the server takes (ADVISOR_MAX_BODY_BYTES, 1 MB by default).",
          "The request body is larger than the 1,000,000 bytes allowed."),
    415: ("UnsupportedMediaType", "The body is not sent as application/json.",
          "The body must be JSON sent as application/json, not text/plain."),
    422: ("UnprocessableContent", "The body or query failed validation, or an Idempotency-Key was reused with a "
                                  "different body; `errors` names every bad field.",
          "1 field is invalid: patching_staff."),
    500: ("InternalServerError", "The server failed; the body says no more than that, and the log has the "
                                 "request id.", "The server could not answer this request."),
}
_TITLES = {400: "Bad Request", 401: "Unauthorized", 403: "Forbidden", 404: "Not Found", 405: "Method Not Allowed", 409: "Conflict",
           413: "Request Entity Too Large", 415: "Unsupported Media Type", 422: "Unprocessable Content",
           500: "Internal Server Error"}
_ERROR_HEADERS = {401: ("WWW-Authenticate",), 405: ("Allow",)}

_HEADERS = {
    "X-Request-ID": {"description": "The request's id, as sent in a valid X-Request-ID or made fresh; the log "
                                    "line of the request carries it.",
                     "required": True, "schema": {"type": "string", "pattern": r"^[A-Za-z0-9._:-]{1,128}$"}},
    "Location": {"description": "The address of the assessment.", "required": True, "schema": {"type": "string"}},
    "Idempotent-Replayed": {"description": "`true` when the answer replays an earlier request with this "
                                           "Idempotency-Key.", "required": True,
                            "schema": {"type": "string", "enum": ["true"]}},
    "WWW-Authenticate": {"description": "`Bearer realm=\"advisor\"`, with `error=\"invalid_token\"` when a wrong "
                                        "token was sent.", "required": True, "schema": {"type": "string"}},
    "Allow": {"description": "The methods the path takes.", "required": True, "schema": {"type": "string"}},
}

_PARAMETERS = {
    "Idempotency-Key": {
        "in": "header", "name": "Idempotency-Key", "required": False,
        "description": "Makes a retry safe: a second request with the same key and body returns the first "
                       "answer (200, same id, Idempotent-Replayed: true) instead of saving again; the same key "
                       "with a different body is a 422. Use a fresh random value (a UUID) per assessment.",
        "schema": {"type": "string", "minLength": 1, "maxLength": 255, "pattern": r"^[\x20-\x7e]+$"},
        "example": "5b0d3c1e-6f51-4c8e-9d9a-2f3b8f6b1a70",
    },
}


def _exclusive_minimum(self, field, ret, **kwargs) -> dict:
    """marshmallow's Range(min_inclusive=False) is JSON Schema's exclusiveMinimum, which apispec leaves out."""
    for validator in field.validators:
        if isinstance(validator, validate.Range) and validator.min is not None and not validator.min_inclusive:
            ret.pop("minimum", None)
            return {"exclusiveMinimum": validator.min}
    return {}


def _problem_component(status: int) -> dict:
    name, description, detail = _PROBLEMS[status]
    example = {"type": "about:blank", "title": _TITLES[status], "status": status, "detail": detail,
               "instance": "/api/v1/assessments"}
    if status == 422:
        example["errors"] = {"patching_staff": ["Must be greater than or equal to 0 and less than or equal to 10000."]}
    headers = {"X-Request-ID": "X-Request-ID", **{h: h for h in _ERROR_HEADERS.get(status, ())}}
    return {"description": description, "headers": headers,
            "content": {PROBLEM_JSON: {"schema": ProblemSchema, "example": example}}}


def _example(value: Any) -> Any:
    return value() if callable(value) else value


def _operation(doc: _Doc, method: str, rule: Rule) -> dict:
    op: dict[str, Any] = {"operationId": rule.endpoint, "summary": doc.summary, "description": doc.description,
                          "tags": list(doc.tags or (rule.endpoint.split(".")[0],))}
    parameters: list[Any] = [
        {"in": "path", "name": name, "required": True, "description": doc.path.get(name, ""),
         "schema": {"type": "string"}} for name in rule.arguments]
    parameters += [header for header in doc.headers]
    if doc.query is not None:
        parameters.append({"in": "query", "schema": doc.query})
    if parameters:
        op["parameters"] = parameters
    errors = set(doc.errors) | {405, 500}
    if doc.body is not None:
        body = {"schema": doc.body}
        if doc.body_example is not None:
            body["example"] = _example(doc.body_example)
        op["requestBody"] = {"required": True, "content": {"application/json": body}}
        errors |= {400, 413, 415, 422}
    if doc.query is not None:
        errors.add(422)
    if rule.arguments:
        errors.add(404)
    if method not in SAFE_METHODS or rule.rule.startswith("/api/v1/assessments"):  # web/auth.py's rules
        errors |= {401, 403}
        op["security"] = [{}, {"bearerAuth": []}]
    responses: dict[int, Any] = {}
    for status, reply in doc.responses.items():
        content = {"schema": reply.schema} if reply.schema is not None else {"schema": {"type": "object"}}
        if reply.example is not None:
            content["example"] = _example(reply.example)
        contents = {reply.media_type: content}
        for media_type, example in reply.alternatives:
            contents[media_type] = {"schema": {"type": "string"}, "example": _example(example)}
        responses[status] = {"description": reply.description, "content": contents,
                             "headers": {h: h for h in ("X-Request-ID", *reply.headers)}}
    for status in sorted(errors):
        responses[status] = _PROBLEMS[status][0]
    op["responses"] = dict(sorted(responses.items()))
    return op


def build_spec(app: Flask) -> dict:
    """The OpenAPI 3.1 document of every documented in-scope route of the application."""
    plugin = MarshmallowPlugin()
    spec = APISpec(
        title="Shared-Responsibility Advisor API", version="1.0.0", openapi_version="3.1.0", plugins=[plugin],
        info={"description": (
            "Ranks AWS compute services (by default Amazon EC2, Amazon ECS on EC2, AWS Fargate and AWS Lambda; "
            "others on request) for a team's security capacity and needs, and says which security layers the team "
            "would own on each. Errors are RFC 9457 problem documents (application/problem+json). Every response "
            "carries an X-Request-ID. Answers come from version "
            f"{app.extensions['advisor.kb'].version} of the advisor's AWS facts (knowledge_base_version).")},
    )
    plugin.converter.add_attribute_function(_exclusive_minimum)
    spec.components.security_scheme("bearerAuth", {
        "type": "http", "scheme": "bearer",
        "description": "Needed where the server sets ADVISOR_API_TOKENS (off by default): for writes (the write "
                       "scope) and for reading saved assessments (the read scope). Lists show the token's own "
                       "assessments unless it has the list_all scope."})
    for name, header in _HEADERS.items():
        spec.components.header(name, header)
    for name, parameter in _PARAMETERS.items():
        spec.components.parameter(name, "header", parameter)
    for status in _PROBLEMS:
        spec.components.response(_PROBLEMS[status][0], _problem_component(status))
    for rule in sorted(app.url_map.iter_rules(), key=lambda r: r.rule):
        doc = getattr(app.view_functions[rule.endpoint], "__openapi__", None)
        if not in_scope(rule) or doc is None:
            continue
        path = re.sub(r"<(?:[^:<>]+:)?([^<>]+)>", r"{\1}", rule.rule)
        spec.path(path=path, operations={m.lower(): _operation(doc, m, rule) for m in _methods(rule)})
    document = spec.to_dict()
    # What the loaded knowledge base allows, which the schemas alone cannot know.
    kb = app.extensions["advisor.kb"]
    profile = document["components"]["schemas"]["Profile"]["properties"]
    profile["services"]["items"]["enum"] = sorted(kb.services)
    profile["overlay"]["enum"] = sorted(kb.overlays)
    profile["customisation"]["enum"] = list(kb.customisation_levels)
    profile["isolation"]["enum"] = list(kb.isolation_levels)
    profile["calibration"]["enum"] = sorted(kb.calibrations)
    for key, name in plugin.converter.refs.items():
        described = document["components"]["schemas"][name]
        if "description" not in described and key[0].__doc__:  # each schema's docstring describes it
            described["description"] = key[0].__doc__.strip().split("\n\n")[0]
        # Rules across fields, which marshmallow checks in code, stated in JSON Schema by the schema class.
        described.update(getattr(key[0], "openapi_extra", {}))
    return document


def openapi_document() -> dict:
    """The current application's document, built on first use and kept."""
    app = current_app._get_current_object()
    if "advisor.openapi" not in app.extensions:
        app.extensions["advisor.openapi"] = build_spec(app)
    return app.extensions["advisor.openapi"]
