"""The OpenAPI document: generated, complete, valid, with examples that match it; and its page."""
import json
import re
import html as html_lib

import jsonschema_rs
import pytest
from schemathesis.specs.openapi.definitions import OPENAPI_31_VALIDATOR

from conftest import FIXTURE_GRAPH_DATA
from form_helpers import Elements
from schemas.profile import PROFILE_EXAMPLE
from web.openapi import documented, in_scope, undocumented_routes, Reply

ERRORS = {"400": "BadRequest", "401": "Unauthorized", "404": "NotFound", "405": "MethodNotAllowed",
          "413": "ContentTooLarge", "415": "UnsupportedMediaType", "422": "UnprocessableContent",
          "500": "InternalServerError"}


@pytest.fixture
def spec(client):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200 and response.mimetype == "application/json"
    return response.get_json()


def _operations(spec):
    for path, operations in spec["paths"].items():
        for method, op in operations.items():
            yield path, method, op


def _resolve(spec, node):
    while "$ref" in node:
        kind, name = node["$ref"].split("/")[-2:]
        node = spec["components"][kind][name]
    return node


def _validator(spec, schema):
    return jsonschema_rs.Draft202012Validator({**schema, "components": spec["components"]})


def _closed(node):
    """A copy of a schema in which every object with declared properties allows no other property."""
    if isinstance(node, dict):
        node = {key: _closed(value) for key, value in node.items()}
        if node.get("type") == "object" and "properties" in node and "additionalProperties" not in node:
            node["additionalProperties"] = False
        return node
    if isinstance(node, list):
        return [_closed(value) for value in node]
    return node


def _exact_validator(spec, schema):
    """Validates an answer against the document with no undocumented field allowed anywhere in it."""
    return jsonschema_rs.Draft202012Validator({**_closed(schema), "components": _closed(spec["components"])})


def test_every_api_route_and_method_is_documented(app, spec):
    assert undocumented_routes(app) == []
    documented_ops = {(method.upper(), path) for path, method, _ in _operations(spec)}
    for rule in app.url_map.iter_rules():
        if not in_scope(rule):
            continue
        path = re.sub(r"<(?:[^:<>]+:)?([^<>]+)>", r"{\1}", rule.rule)
        for method in rule.methods - {"HEAD", "OPTIONS"}:
            assert (method, path) in documented_ops, f"{method} {rule.rule} is missing from the OpenAPI document"


def test_a_new_api_route_without_documentation_is_reported(make_app, tmp_path):
    app = make_app(DATABASE_URL=f"sqlite:///{tmp_path / 'x.sqlite3'}")
    app.add_url_rule("/api/v1/compare", "compare", lambda: "", methods=["POST"])
    app.add_url_rule("/api/v1/described", "described",
                     documented("Described", responses={200: Reply(None, "ok")})(lambda: ""))
    assert undocumented_routes(app) == ["POST /api/v1/compare"]


def test_the_document_is_valid_openapi_3_1(spec):
    assert spec["openapi"] == "3.1.0"
    OPENAPI_31_VALIDATOR.validate(spec)


def test_the_document_covers_health_and_the_whole_api(spec):
    assert set(spec["paths"]) == {
        "/healthz", "/api/v1/openapi.json", "/api/v1/recommendations", "/api/v1/services",
        "/api/v1/services/{service_id}", "/api/v1/layers", "/api/v1/assessments",
        "/api/v1/assessments/{assessment_id}", "/api/v1/recommendations/batch", "/api/v1/compare",
        "/api/v1/graph", "/api/v1/assessments/{assessment_id}/rerun", "/api/v1/profiles/from-iac",
        "/api/v1/reviews"}


def test_request_bodies_come_from_the_profile_schema_with_an_example(spec):
    for path in ("/api/v1/recommendations", "/api/v1/assessments"):
        body = spec["paths"][path]["post"]["requestBody"]["content"]["application/json"]
        assert body["schema"] == {"$ref": "#/components/schemas/Profile"}
        assert body["example"]["security_hours_per_month"] == 20
    profile = spec["components"]["schemas"]["Profile"]
    assert set(profile["required"]) == {"security_hours_per_month", "patching_staff", "customisation", "isolation"}
    assert profile["additionalProperties"] is False
    assert spec["components"]["schemas"]["Workload"]["properties"]["memory_gb"]["exclusiveMinimum"] == 0


def test_every_error_status_is_a_problem_document(spec):
    for status, name in ERRORS.items():
        response = spec["components"]["responses"][name]
        media = response["content"]["application/problem+json"]
        assert media["schema"] == {"$ref": "#/components/schemas/Problem"}
        assert media["example"]["status"] == int(status)
    for path, method, op in _operations(spec):
        responses = op["responses"]
        assert {"405", "500"} <= set(responses), (method, path)
        if "requestBody" in op:
            assert {"400", "413", "415", "422"} <= set(responses), (method, path)
        if "{" in path:
            assert "404" in responses, (method, path)
        for status, response in responses.items():
            if status.startswith(("4", "5")):
                assert "application/problem+json" in _resolve(spec, response)["content"], (method, path, status)


def test_writes_and_saved_assessments_document_the_optional_bearer_token_and_its_401(spec):
    assert spec["components"]["securitySchemes"]["bearerAuth"] == {
        "type": "http", "scheme": "bearer", "description": spec["components"]["securitySchemes"]["bearerAuth"]["description"]}
    for path, method, op in _operations(spec):
        if method == "post" or path.startswith("/api/v1/assessments"):
            assert op["security"] == [{}, {"bearerAuth": []}] and {"401", "403"} <= set(op["responses"]), path
            assert "WWW-Authenticate" in _resolve(spec, op["responses"]["401"])["headers"]
        else:
            assert "security" not in op and "401" not in op["responses"], path


def test_the_idempotency_key_header_is_documented(spec):
    post = spec["paths"]["/api/v1/assessments"]["post"]
    assert {"$ref": "#/components/parameters/Idempotency-Key"} in post["parameters"]
    parameter = spec["components"]["parameters"]["Idempotency-Key"]
    assert parameter["in"] == "header" and parameter["schema"]["maxLength"] == 255
    assert "Idempotent-Replayed" in post["responses"]["200"]["headers"]
    assert "Location" in post["responses"]["201"]["headers"]


def test_every_example_matches_its_schema(spec):
    checked = 0
    for path, method, op in _operations(spec):
        media_types = [op["requestBody"]["content"]] if "requestBody" in op else []
        media_types += [_resolve(spec, r).get("content", {}) for r in op["responses"].values()]
        for content in media_types:
            for media in content.values():
                if "example" in media:
                    _validator(spec, media["schema"]).validate(media["example"])
                    checked += 1
    assert checked >= 20


def test_the_recommendation_example_is_a_real_ranking(spec, client, profile):
    example = spec["paths"]["/api/v1/recommendations"]["post"]["responses"]["200"]["content"]["application/json"]["example"]
    body = spec["paths"]["/api/v1/recommendations"]["post"]["requestBody"]["content"]["application/json"]["example"]
    assert client.post("/api/v1/recommendations", json=body).get_json() == example


def test_real_answers_match_the_documented_schemas_field_for_field(spec, client, profile):
    """Every field served is documented and every required one is served: a field added on one side only fails."""
    saved = client.post("/api/v1/assessments", json={**profile, "name": "Payments API",
                                                     "workload": {"gpu": True, "max_duration_minutes": 60}})
    cases = [
        ("/api/v1/recommendations", "post", "200", client.post("/api/v1/recommendations", json=profile)),
        ("/api/v1/recommendations", "post", "200",
         client.post("/api/v1/recommendations", json={**profile, "overlay": "platform_team"})),
        ("/api/v1/assessments", "post", "201", saved),
        ("/api/v1/assessments/{assessment_id}", "get", "200", client.get(saved.headers["Location"])),
        ("/api/v1/assessments", "get", "200", client.get("/api/v1/assessments?per_page=1")),
        ("/api/v1/services", "get", "200", client.get("/api/v1/services")),
        ("/api/v1/services/{service_id}", "get", "200", client.get("/api/v1/services/lambda")),
        ("/api/v1/layers", "get", "200", client.get("/api/v1/layers")),
        ("/api/v1/compare", "get", "200", client.get("/api/v1/compare?from=ecs&to=fargate&overlay=platform_team")),
        ("/api/v1/compare", "get", "400", client.get("/api/v1/compare?from=ecs")),
        ("/api/v1/graph", "get", "200", client.get("/api/v1/graph")),
        ("/api/v1/recommendations/batch", "post", "200",
         client.post("/api/v1/recommendations/batch", json={"profiles": [PROFILE_EXAMPLE, {}]})),
        ("/api/v1/assessments/{assessment_id}/rerun", "post", "200", client.post(saved.headers["Location"] + "/rerun")),
        ("/healthz", "get", "200", client.get("/healthz")),
        ("/api/v1/services/{service_id}", "get", "404", client.get("/api/v1/services/mainframe")),
        ("/api/v1/recommendations", "post", "422", client.post("/api/v1/recommendations", json={})),
    ]
    for path, method, status, response in cases:
        assert str(response.status_code) == status, (path, response.data[:200])
        documented_response = _resolve(spec, spec["paths"][path][method]["responses"][status])
        media = documented_response["content"][response.mimetype]
        _exact_validator(spec, media["schema"]).validate(response.get_json(force=True))


def test_an_undocumented_field_in_an_answer_is_caught(spec, client, profile):
    answer = client.post("/api/v1/recommendations", json=profile).get_json()
    answer["ranking"][0]["surprise"] = 1
    media = _resolve(spec, spec["paths"]["/api/v1/recommendations"]["post"]["responses"]["200"])["content"]
    assert not _exact_validator(spec, media["application/json"]["schema"]).is_valid(answer)


def test_the_api_page_is_in_the_site_s_navigation_and_loads_only_this_service_s_files(client):
    response = client.get("/api/docs")
    assert response.status_code == 200 and response.mimetype == "text/html"
    page = Elements(response.get_data(as_text=True))
    nav = [a for a in page.all("a") if a.get("aria-current") == "page"]
    assert [a["href"] for a in nav] == ["/api/docs"]
    scripts = page.all("script")
    assert scripts and all(s.get("src", "").startswith("/") and not s["src"].startswith("//") for s in scripts)
    assert "<script>" not in response.get_data(as_text=True)  # nothing inline: the CSP stays script-src 'self'
    for url in [s["src"] for s in scripts] + [l["href"] for l in page.all("link")]:
        with client.get(url) as linked:
            assert linked.status_code == 200, url
    assert page.by_id("swagger-ui")[1]["data-document"] == "/api/v1/openapi.json"


@pytest.mark.parametrize("name", ["index.html", "swagger-editor.js", "..", "../core.py"])
def test_only_the_files_the_page_needs_are_served_from_the_swagger_ui_package(client, name):
    assert client.get(f"/api/docs/assets/{name}").status_code == 404


def _curl(command: str) -> tuple[str, dict | None]:
    """The address and JSON body of one of the page's curl commands."""
    url = re.search(r"curl -s '?(\S+?)'? ", command + " ").group(1)
    body = re.search(r"-d '(.*)'", command, re.S)
    return url, json.loads(body.group(1)) if body else None


def test_each_curl_example_uses_the_public_url_and_works_as_written(make_app, tmp_path):
    client = make_app(GRAPH_DATA=str(FIXTURE_GRAPH_DATA), DATABASE_URL=f"sqlite:///{tmp_path / 'c.sqlite3'}",
                      PUBLIC_URL="https://advisor.example.org/tools").test_client()
    html = client.get("/api/docs").get_data(as_text=True)
    commands = [html_lib.unescape(c) for c in re.findall(r"<pre><code>(.*?)</code></pre>", html, re.S)]
    assert len(commands) == 4
    for command in commands:
        url, body = _curl(command)
        assert url.startswith("https://advisor.example.org/tools/api/v1/"), url
        path = url.removeprefix("https://advisor.example.org/tools")
        answer = client.post(path, json=body) if body else client.get(path)
        assert answer.status_code in (200, 201), (command, answer.data[:300])


def test_the_document_is_built_once_per_application(app, client):
    first = client.get("/api/v1/openapi.json").data
    assert app.extensions["advisor.openapi"] is not None
    assert client.get("/api/v1/openapi.json").data == first
    assert json.loads(first)["info"]["title"] == "Shared-Responsibility Advisor API"
