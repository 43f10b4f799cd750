"""Security headers on every answer, API tokens on writes, CSRF on forms, request ids, and nothing leaked."""
import json

import pytest
from flask_wtf.csrf import generate_csrf

from app import create_app
from web.auth import parse_tokens

HEADERS = {
    "Content-Security-Policy": "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
                               "font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'none'; "
                               "frame-ancestors 'none'; form-action 'self'",
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "same-origin",
}
TOKENS = ("first-token-0123456789", "second-token-0123456789")


def assert_secured(response):
    for name, value in HEADERS.items():
        assert response.headers.get(name) == value, (name, response.status_code, response.request.path)
    assert "unsafe-inline" not in response.headers["Content-Security-Policy"]
    assert response.headers["X-Request-ID"]


def count(client):
    return client.application.extensions["advisor.store"].count()


def _url(rule, saved_id):
    # Sample values for the arguments routes take; any other argument gets a placeholder (the headers are
    # checked whatever the status).
    values = {"service_id": "fargate", "assessment_id": saved_id, "filename": "css/site.css"}
    return rule.build({name: values.get(name, "sample") for name in rule.arguments})[1]


def test_every_route_answers_with_the_security_headers(app, client, profile):
    saved_id = client.post("/api/v1/assessments", json=profile).get_json()["id"]
    succeeded = 0
    for rule in app.url_map.iter_rules():
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            with client.open(_url(rule, saved_id), method=method, json=profile if method == "POST" else None) as response:
                assert response.status_code < 500, (method, rule.rule, response.status_code)
                assert_secured(response)
                succeeded += response.status_code < 400
    assert succeeded >= 10


@pytest.mark.parametrize("method, url, kwargs, status", [
    ("GET", "/api/v1/nowhere", {}, 404),
    ("GET", "/nowhere", {"headers": {"Accept": "text/html"}}, 404),
    ("DELETE", "/api/v1/recommendations", {}, 405),
    ("POST", "/api/v1/recommendations", {"data": "x", "content_type": "text/plain"}, 415),
    ("POST", "/api/v1/recommendations", {"data": "{", "content_type": "application/json"}, 400),
    ("POST", "/api/v1/recommendations", {"json": {}}, 422),
    ("POST", "/api/v1/recommendations", {"data": "[" * 2_000_000, "content_type": "application/json"}, 413),
])
def test_error_answers_carry_the_security_headers_too(client, method, url, kwargs, status):
    response = client.open(url, method=method, **kwargs)
    assert response.status_code == status
    assert_secured(response)


def test_answers_holding_assessments_are_never_cached_and_static_files_revalidate(client, profile):
    saved = client.post("/api/v1/assessments", json=profile)
    for response in (saved, client.get(saved.headers["Location"]), client.get("/api/v1/assessments"),
                     client.post("/api/v1/recommendations", json=profile)):
        assert response.headers["Cache-Control"] == "no-store"
    with client.get("/static/css/site.css") as static:
        assert static.headers["Cache-Control"] == "no-cache"
        assert_secured(static)


def _boom():
    raise RuntimeError("database password hunter2 at /srv/advisor/secret.py")


@pytest.mark.parametrize("accept", ["application/json", "text/html"])
def test_an_unexpected_failure_answers_500_without_secret_path_or_trace(make_app, tmp_path, accept, capsys):
    app = make_app(DATABASE_URL=f"sqlite:///{tmp_path / 'x.sqlite3'}", SECRET_KEY="s3cret-signing-key")
    app.add_url_rule("/api/v1/boom", "boom", _boom)
    app.add_url_rule("/boom", "page_boom", _boom)
    for url in ("/api/v1/boom", "/boom"):
        response = app.test_client().get(url, headers={"Accept": accept})
        body = response.get_data(as_text=True)
        assert response.status_code == 500
        assert_secured(response)
        for leak in ("hunter2", "/srv/advisor", "secret.py", "RuntimeError", "Traceback", "s3cret-signing-key",
                     str(tmp_path), "File \""):
            assert leak not in body, (url, leak)
        assert "could not answer" in body
    # The log keeps what the answer leaves out, tied to the request id.
    logged = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    failure = next(line for line in logged if line["level"] == "error")
    assert "hunter2" in failure["exception"] and failure["request_id"]


def test_writes_need_no_token_by_default(client, profile):
    assert client.post("/api/v1/assessments", json=profile).status_code == 201


@pytest.fixture
def guarded(make_app, tmp_path):
    return make_app(DATABASE_URL=f"sqlite:///{tmp_path / 'x.sqlite3'}", API_TOKENS=TOKENS).test_client()


@pytest.mark.parametrize("authorization, error", [
    (None, None),
    ("Bearer", None),
    ("Basic Zmlyc3QtdG9rZW4tMDEyMzQ1Njc4OQ==", None),
    ("Bearer first-token-012345678", "invalid_token"),
    ("Bearer first-token-0123456789x", "invalid_token"),
])
def test_with_tokens_configured_a_write_without_a_valid_one_is_a_401_and_stores_nothing(guarded, profile, authorization, error):
    headers = {"Authorization": authorization} if authorization else {}
    for url in ("/api/v1/assessments", "/api/v1/recommendations"):
        response = guarded.post(url, json=profile, headers=headers)
        assert response.status_code == 401 and response.mimetype == "application/problem+json"
        challenge = response.headers["WWW-Authenticate"]
        assert challenge.startswith("Bearer realm=")
        assert ('error="invalid_token"' in challenge) == (error is not None)
        assert "first-token" not in response.get_data(as_text=True)
        assert_secured(response)
    assert count(guarded) == 0


def test_with_tokens_configured_any_listed_token_writes_and_the_knowledge_base_stays_open(guarded, profile):
    for token in TOKENS:
        response = guarded.post("/api/v1/assessments", json=profile, headers={"Authorization": f"Bearer {token}"})
        assert response.status_code == 201
    assert guarded.get("/api/v1/assessments").status_code == 401
    assert guarded.get("/api/v1/services").status_code == 200
    assert count(guarded) == 2


def test_a_write_endpoint_added_later_is_guarded_without_code_of_its_own(make_app, tmp_path):
    app = make_app(DATABASE_URL=f"sqlite:///{tmp_path / 'x.sqlite3'}", API_TOKENS=TOKENS)
    app.add_url_rule("/api/v1/compare", "compare", lambda: {"ok": True}, methods=["POST"])
    client = app.test_client()
    assert client.post("/api/v1/compare", json={}).status_code == 401
    assert client.post("/api/v1/compare", json={}, headers={"Authorization": f"Bearer {TOKENS[1]}"}).status_code == 200


def test_tokens_come_from_the_environment_as_a_comma_separated_list(monkeypatch, tmp_path, profile):
    monkeypatch.setenv("ADVISOR_API_TOKENS", f" {TOKENS[0]} , {TOKENS[1]},")
    app = create_app({"TESTING": True, "SECRET_KEY": "k", "DATABASE_URL": f"sqlite:///{tmp_path / 'x.sqlite3'}"})
    assert [t.name for t in app.config["API_TOKENS"]] == ["token-1", "token-2"]
    client = app.test_client()
    assert client.post("/api/v1/recommendations", json=profile).status_code == 401
    assert client.post("/api/v1/recommendations", json=profile,
                       headers={"Authorization": f"Bearer {TOKENS[0]}"}).status_code == 200
    app.extensions["advisor.store"].dispose()


def test_short_tokens_are_refused_at_startup():
    assert parse_tokens("") == ()
    with pytest.raises(ValueError, match="token 1 is shorter than 16"):
        parse_tokens("ci:read+write:short")
    with pytest.raises(ValueError, match="token 2 is shorter than 16"):
        parse_tokens("a-long-enough-token-1,short")


def _form_app(make_app, tmp_path):
    app = make_app(DATABASE_URL=f"sqlite:///{tmp_path / 'x.sqlite3'}")
    app.add_url_rule("/test-form", "test_form", lambda: "saved", methods=["POST"])
    app.add_url_rule("/test-token", "test_token", lambda: generate_csrf())
    return app


def test_form_posts_need_a_csrf_token_while_the_api_does_not(make_app, tmp_path, profile):
    client = _form_app(make_app, tmp_path).test_client()
    refused = client.post("/test-form", data={"name": "x"}, headers={"Accept": "text/html"})
    assert refused.status_code == 400 and "CSRF" in refused.get_data(as_text=True)
    assert_secured(refused)
    token = client.get("/test-token").get_data(as_text=True)
    assert client.post("/test-form", data={"name": "x", "csrf_token": token}).status_code == 200
    assert client.post("/api/v1/assessments", json=profile).status_code == 201


def test_a_valid_request_id_is_kept_and_anything_else_replaced(client):
    kept = client.get("/healthz", headers={"X-Request-ID": "edge-7f3a.01:b"})
    assert kept.headers["X-Request-ID"] == "edge-7f3a.01:b"
    for bad in ("has space", "x" * 129, "semi;colon", "quote\"d"):
        fresh = client.get("/healthz", headers={"X-Request-ID": bad}).headers["X-Request-ID"]
        assert fresh != bad and len(fresh) == 32
    ids = {client.get("/api/v1/nowhere").headers["X-Request-ID"] for _ in range(3)}
    assert len(ids) == 3


def test_each_request_logs_one_json_line_without_body_or_token(make_app, tmp_path, profile, capsys):
    client = make_app(DATABASE_URL=f"sqlite:///{tmp_path / 'x.sqlite3'}", API_TOKENS=TOKENS).test_client()
    capsys.readouterr()
    response = client.post("/api/v1/assessments?note=q", json={**profile, "name": "Secret Project X"},
                           headers={"Authorization": f"Bearer {TOKENS[0]}", "X-Request-ID": "req-123",
                                    "User-Agent": "design-review/2.1"})
    out = capsys.readouterr().out
    lines = [json.loads(line) for line in out.splitlines()]
    assert len(lines) == 1
    line = lines[0]
    assert {k: line[k] for k in ("request_id", "method", "path", "status", "remote_addr", "user_agent")} == {
        "request_id": "req-123", "method": "POST", "path": "/api/v1/assessments", "status": 201,
        "remote_addr": "127.0.0.1", "user_agent": "design-review/2.1"}
    assert response.headers["X-Request-ID"] == "req-123"
    assert line["duration_ms"] >= 0 and line["time"].endswith("+00:00")
    for secret in ("Secret Project X", TOKENS[0], "note=q", "security_hours"):
        assert secret not in out


def test_only_trusted_hosts_are_answered_when_they_are_configured(make_app, tmp_path):
    client = make_app(DATABASE_URL=f"sqlite:///{tmp_path / 'h.sqlite3'}", TRUSTED_HOSTS=["advisor.example"]).test_client()
    assert client.get("/healthz", headers={"Host": "advisor.example"}).status_code == 200
    refused = client.get("/healthz", headers={"Host": "evil.example"})
    assert refused.status_code == 400 and "Traceback" not in refused.get_data(as_text=True)
