"""Hostile input: each answered with a clear 4xx problem and nothing stored, in-process and under real gunicorn."""
import json

import pytest

from gunicorn_server import GunicornServer

URLS = ("/api/v1/assessments", "/api/v1/recommendations")
PROFILE = '{"security_hours_per_month": 20, "patching_staff": 0, "customisation": "low", "isolation": "standard"'

# (case, raw body, content type, status, words the detail must contain)
HOSTILE_BODIES = [
    ("deeply nested JSON", "[" * 100_000 + "]" * 100_000, "application/json", 400, "nested too deeply"),
    ("nested objects", '{"a":' * 50_000 + "1" + "}" * 50_000, "application/json", 400, "nested too deeply"),
    ("a 20 MB body", json.dumps({"name": "x" * 20_000_000}), "application/json", 413, "larger than"),
    ("invalid UTF-8", PROFILE.encode() + b', "name": "\xff\xfe\xc3"}', "application/json", 400, "UTF-8"),
    ("duplicate keys", PROFILE + ', "patching_staff": 5}', "application/json", 400, "duplicate key 'patching_staff'"),
    ("NaN", PROFILE + ', "weights": {"burden": NaN}}', "application/json", 400, "NaN"),
    ("Infinity", PROFILE + ', "workload": {"memory_gb": Infinity}}', "application/json", 400, "Infinity"),
    ("-Infinity", PROFILE + ', "workload": {"vcpu": -Infinity}}', "application/json", 400, "-Infinity"),
    ("a number beyond float range", PROFILE + ', "workload": {"vcpu": 1e400}}', "application/json", 400,
     "beyond the range"),
    ("an integer of a thousand digits", PROFILE.replace('"patching_staff": 0', '"patching_staff": ' + "9" * 1000) + "}",
     "application/json", 400, "too many digits"),
    ("a NUL in the name", PROFILE + ', "name": "Pay\\u0000ments"}', "application/json", 422, "name"),
    ("a line break in the name", PROFILE + ', "name": "Pay\\nments"}', "application/json", 422, "name"),
    ("an escape sequence in the name", PROFILE + ', "name": "\\u001b[31mred"}', "application/json", 422, "name"),
    ("a lone surrogate in the name", PROFILE + ', "name": "\\ud800"}', "application/json", 422, "name"),
    ("a form post", "security_hours_per_month=20&patching_staff=0", "application/x-www-form-urlencoded", 415,
     "application/json"),
    ("plain text", PROFILE + "}", "text/plain", 415, "text/plain"),
    ("no content type", PROFILE + "}", None, 415, "no content type"),
    ("an empty body", "", "application/json", 400, "not valid JSON"),
    ("a JSON array", "[" + PROFILE + "}]", "application/json", 400, "must be a JSON object"),
    ("a wrong type", PROFILE.replace('"patching_staff": 0', '"patching_staff": "0"') + "}", "application/json", 422,
     "patching_staff"),
]
LEGITIMATE_NAMES = [
    "<script>alert(document.cookie)</script>",
    "Robert'); DROP TABLE assessments;--",
    "1 OR 1=1; SELECT * FROM pg_user",
    "\"><img src=x onerror=alert(1)>",
    "Payments\tAPI ünïcödé 決済 🚀",
]


def count(client) -> int:
    return client.get("/api/v1/assessments").get_json()["total"]


def _send(client, url, raw, content_type):
    headers = {"Content-Type": content_type} if content_type else {}
    return client.post(url, data=raw.encode() if isinstance(raw, str) else raw, headers=headers)


@pytest.mark.parametrize("case, raw, content_type, status, words", HOSTILE_BODIES, ids=[c[0] for c in HOSTILE_BODIES])
def test_hostile_bodies_get_a_clear_problem_and_store_nothing(client, case, raw, content_type, status, words):
    for url in URLS:
        response = _send(client, url, raw, content_type)
        assert response.status_code == status, (url, response.data[:300])
        assert response.mimetype == "application/problem+json"
        body = response.get_json(force=True)
        assert body["status"] == status and words in json.dumps(body), body
        assert len(response.data) < 2000, "a problem document never echoes the body"
    assert count(client) == 0


@pytest.fixture
def any_store_client(database_url, make_app):
    return make_app(DATABASE_URL=database_url).test_client()


def test_script_and_sql_in_names_are_stored_verbatim_and_escaped_on_output(any_store_client):
    client = any_store_client
    ids = {}
    for name in LEGITIMATE_NAMES:
        response = client.post("/api/v1/assessments", data=PROFILE + f", \"name\": {json.dumps(name)}}}",
                               content_type="application/json")
        assert response.status_code == 201, response.data
        for raw in (b"<", b">", b"&"):
            assert raw not in response.data, "HTML-significant characters go out as \\u escapes"
        ids[name] = response.get_json()["id"]
    assert count(client) == len(LEGITIMATE_NAMES)
    for name, assessment_id in ids.items():
        again = client.get(f"/api/v1/assessments/{assessment_id}").get_json()
        assert again["name"] == name and again["recommendation"]["profile"]["name"] == name
    listed = {item["name"] for item in client.get("/api/v1/assessments?per_page=100").get_json()["items"]}
    assert listed == set(LEGITIMATE_NAMES)


def test_hostile_path_segments_are_404_problems(client):
    for path in ("/api/v1/assessments/' OR '1'='1", "/api/v1/assessments/%00", "/api/v1/assessments/" + "a" * 5000,
                 "/api/v1/services/<script>", "/api/v1/services/..%2f..%2fetc%2fpasswd"):
        response = client.get(path)
        assert response.status_code == 404 and response.mimetype == "application/problem+json", path
        assert b"<script>" not in response.data


# --- against the real server ---------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    server = GunicornServer(tmp_path_factory.mktemp("hostile"), workers=2).start()
    yield server
    server.stop()


def _count(server) -> int:
    return json.loads(server.request("GET", "/api/v1/assessments")[2])["total"]


def _problem(data: bytes) -> tuple[int, dict, dict]:
    head, _, body = data.partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    headers = dict(line.split(": ", 1) for line in lines[1:])
    return int(lines[0].split()[1]), headers, json.loads(body)


@pytest.mark.slow
@pytest.mark.parametrize("case, raw, content_type, status, words", HOSTILE_BODIES, ids=[c[0] for c in HOSTILE_BODIES])
def test_under_gunicorn_hostile_bodies_get_the_same_answers(server, case, raw, content_type, status, words):
    headers = {"Content-Type": content_type} if content_type else {}
    got, response_headers, body = server.request("POST", URLS[0], raw.encode() if isinstance(raw, str) else raw,
                                                 headers)
    assert got == status and response_headers["Content-Type"] == "application/problem+json"
    assert words in body.decode()
    assert response_headers["X-Content-Type-Options"] == "nosniff" and response_headers["X-Request-ID"]
    assert _count(server) == 0


@pytest.mark.slow
@pytest.mark.parametrize("case, request_bytes, status, words", [
    ("a URL over 8 KB", b"GET /api/v1/services?" + b"a" * 9000 + b" HTTP/1.1\r\nHost: x\r\n\r\n", 414, "8,190 bytes"),
    ("a header over 8 KB", b"GET /healthz HTTP/1.1\r\nHost: x\r\nX-Long: " + b"a" * 9000 + b"\r\n\r\n", 431,
     "headers are too large"),
    ("over 100 headers", b"GET /healthz HTTP/1.1\r\nHost: x\r\n" + b"".join(b"X-H%d: 1\r\n" % i for i in range(120))
     + b"\r\n", 431, "at most 100 headers"),
    ("a malformed request line", b"GET /healthz HTTP/1.1 extra\r\nHost: x\r\n\r\n", 400, "not valid HTTP"),
    ("a control character in a header", b"GET /healthz HTTP/1.1\r\nHost: x\r\nX-Bad: a\x01b\r\n\r\n", 400,
     "not valid HTTP"),
])
def test_gunicorn_refuses_oversized_or_malformed_requests_with_a_problem_document(server, case, request_bytes, status,
                                                                                words):
    got, headers, body = _problem(server.raw(request_bytes))
    assert got == status and body["status"] == status and words in body["detail"], body
    assert headers["Content-Type"] == "application/problem+json"
    for name in ("Content-Security-Policy", "X-Content-Type-Options", "X-Frame-Options", "Referrer-Policy",
                 "X-Request-ID"):
        assert name in headers
    assert _count(server) == 0


@pytest.mark.slow
def test_under_gunicorn_names_with_script_and_sql_are_stored_verbatim(server):
    before = _count(server)
    name = "Robert'); DROP TABLE assessments;-- <script>x</script>"
    status, headers, body = server.request("POST", "/api/v1/assessments",
                                           PROFILE + f", \"name\": {json.dumps(name)}}}",
                                           {"Content-Type": "application/json"})
    assert status == 201 and b"<script>" not in body
    status, _, again = server.request("GET", headers["Location"])
    assert json.loads(again)["name"] == name
    assert _count(server) == before + 1


@pytest.mark.slow
def test_gunicorn_logs_one_json_line_per_request_with_its_id(server):
    server.request("GET", "/healthz", headers={"X-Request-ID": "trace-hostile-1", "User-Agent": "probe/1"})
    lines = [json.loads(line) for line in server.logs().splitlines() if line.startswith("{")]
    mine = [line for line in lines if line.get("request_id") == "trace-hostile-1"]
    assert len(mine) == 1
    assert mine[0]["path"] == "/healthz" and mine[0]["status"] == 200 and mine[0]["user_agent"] == "probe/1"
    assert any(line["logger"] == "gunicorn.error" and "Booting worker" in line["message"] for line in lines)
