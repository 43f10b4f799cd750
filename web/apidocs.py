"""The API's own description: the OpenAPI document as JSON, and the same rendered as a page."""
from __future__ import annotations

import json
import re

from flask import Blueprint, jsonify, render_template
from markupsafe import Markup, escape

from .openapi import Reply, documented, openapi_document

bp = Blueprint("apidocs", __name__)

_METHOD_ORDER = {"get": 0, "post": 1, "put": 2, "patch": 3, "delete": 4}


@bp.get("/api/v1/openapi.json")
@documented("This document", tags=("documentation",),
            responses={200: Reply(None, "The OpenAPI 3.1 document of this API, generated from its schemas.")})
def openapi_json():
    """The OpenAPI 3.1 document of the API: every endpoint, its request, answers, problems and examples."""
    return jsonify(openapi_document())


@bp.get("/api/docs")
def api_docs():
    """The OpenAPI document as a page, rendered on the server from the document itself."""
    spec = openapi_document()
    return render_template("api/docs.html", spec=spec, groups=_groups(spec), schemas=_schemas(spec), prose=prose)


def prose(text: str) -> Markup:
    """Escaped text with `backticked` words set as code."""
    return Markup(re.sub(r"`([^`]+)`", r"<code>\1</code>", str(escape(text))))


def _number(value) -> str:
    return f"{int(value):,}" if float(value).is_integer() else f"{value:g}"


def _ref_name(node: dict) -> str | None:
    ref = node.get("$ref", "")
    return ref.rsplit("/", 1)[-1] if ref else None


def _resolve(spec: dict, node: dict, kind: str) -> dict:
    name = _ref_name(node)
    return spec["components"][kind][name] if name else node


def type_label(schema: dict) -> tuple[str, str | None, str]:
    """(text before, linked schema name or None, text after) saying a schema's type in words."""
    if "$ref" in schema:
        return "", _ref_name(schema), ""
    if "anyOf" in schema:
        parts = [s for s in schema["anyOf"] if s.get("type") != "null"]
        nullable = len(parts) < len(schema["anyOf"])
        before, ref, after = type_label(parts[0]) if len(parts) == 1 else ("any", None, "")
        return before, ref, after + (" or null" if nullable else "")
    kind = schema.get("type")
    if isinstance(kind, list):
        rest = [k for k in kind if k != "null"]
        label = " or ".join(rest) or "null"
        if "array" in rest and "items" in schema:
            before, ref, after = type_label(schema["items"])
            return "array of " + before, ref, after + (" or null" if "null" in kind else "")
        return label + (" or null" if "null" in kind and rest else ""), None, ""
    if kind == "array":
        before, ref, after = type_label(schema.get("items", {}))
        return "array of " + before, ref, after
    if kind == "object" and isinstance(schema.get("additionalProperties"), dict):
        before, ref, after = type_label(schema["additionalProperties"])
        return "map of " + before, ref, after
    if kind:
        return kind + (f" ({schema['format']})" if "format" in schema else ""), None, ""
    return "any", None, ""


def constraints(schema: dict) -> list[str]:
    """The limits a value must keep, in short words."""
    out = []
    if "enum" in schema:
        out.append("one of " + ", ".join(f"`{v}`" for v in schema["enum"]))
    for key, word in (("minimum", "≥"), ("exclusiveMinimum", ">"), ("maximum", "≤"), ("exclusiveMaximum", "<")):
        if key in schema:
            out.append(f"{word} {_number(schema[key])}")
    if "minLength" in schema or "maxLength" in schema:
        out.append(f"length {schema.get('minLength', 0)} to {schema.get('maxLength', '∞')}")
    if "minItems" in schema or "maxItems" in schema:
        out.append(f"{schema.get('minItems', 0)} to {schema.get('maxItems', '∞')} items")
    if "pattern" in schema:
        out.append(f"pattern {schema['pattern']}")
    if "default" in schema:
        out.append(f"default {schema['default']}")
    return out


def _example(media: dict) -> str | None:
    return json.dumps(media["example"], indent=2, sort_keys=True, ensure_ascii=False) if "example" in media else None


def _groups(spec: dict) -> list[dict]:
    groups: dict[str, list] = {}
    for path, operations in spec["paths"].items():
        for method, op in sorted(operations.items(), key=lambda kv: _METHOD_ORDER.get(kv[0], 9)):
            parameters = []
            for p in op.get("parameters", []):
                p = _resolve(spec, p, "parameters")
                parameters.append({**p, "type": type_label(p.get("schema", {})),
                                   "constraints": constraints(p.get("schema", {}))})
            body = None
            if "requestBody" in op:
                media_type, media = next(iter(op["requestBody"]["content"].items()))
                body = {"media_type": media_type, "type": type_label(media["schema"]), "example": _example(media)}
            responses = []
            for status, response in op["responses"].items():
                response = _resolve(spec, response, "responses")
                media_type, media = next(iter(response.get("content", {}).items()), (None, {}))
                responses.append({"status": status, "description": response["description"],
                                  "media_type": media_type, "type": type_label(media.get("schema", {})),
                                  "headers": list(response.get("headers", {})), "example": _example(media)})
            groups.setdefault(op["tags"][0], []).append({
                "id": op["operationId"].replace(".", "-"), "method": method.upper(), "path": path,
                "summary": op["summary"], "description": op.get("description", ""), "parameters": parameters,
                "body": body, "responses": responses, "auth": "security" in op})
    return [{"tag": tag, "operations": ops} for tag, ops in groups.items()]


def _schemas(spec: dict) -> list[dict]:
    out = []
    for name, schema in sorted(spec["components"]["schemas"].items()):
        required = set(schema.get("required", []))
        rows = [{"name": field, "type": type_label(sub), "required": field in required,
                 "description": sub.get("description", ""), "constraints": constraints(sub)}
                for field, sub in schema.get("properties", {}).items()]
        out.append({"name": name, "description": schema.get("description", ""), "rows": rows,
                    "closed": schema.get("additionalProperties") is False})
    return out
