"""Prometheus metrics: requests by route and status with latencies, renders, saved assessments; summed over
gunicorn's workers; protected like the other reads."""
import json

import pytest
from prometheus_client.parser import text_string_to_metric_families

from conftest import FIXTURE_GRAPH_DATA
from gunicorn_server import GunicornServer

TOKEN = "metrics-token-0123456789"


def samples(text: str) -> dict:
    """{(name, sorted labels): value} of a scrape."""
    out = {}
    for family in text_string_to_metric_families(text):
        for s in family.samples:
            out[(s.name, tuple(sorted(s.labels.items())))] = s.value
    return out


def value(scrape: dict, name: str, **labels) -> float:
    return scrape.get((name, tuple(sorted(labels.items()))), 0.0)


def test_a_scrape_counts_requests_by_route_renders_and_saves(fixture_client, profile):
    client = fixture_client
    before = samples(client.get("/metrics").get_data(as_text=True))
    report_id = client.post("/api/v1/assessments", json=profile).get_json()["id"]
    client.get(f"/reports/{report_id}.md")
    client.get(f"/reports/{report_id}.md")
    client.get("/api/v1/assessments/" + "0" * 32)
    client.get("/nowhere")
    scrape = client.get("/metrics")
    assert scrape.status_code == 200 and scrape.mimetype == "text/plain"
    after = samples(scrape.get_data(as_text=True))

    def grew(name, **labels):
        return value(after, name, **labels) - value(before, name, **labels)
    md = "/reports/<assessment_id>.md"
    assert grew("advisor_http_requests_total", method="GET", route=md, status="200") == 2
    assert grew("advisor_http_requests_total", method="POST", route="/api/v1/assessments", status="201") == 1
    assert grew("advisor_http_requests_total", method="GET", route="/api/v1/assessments/<assessment_id>",
                status="404") == 1
    assert grew("advisor_http_requests_total", method="GET", route="unmatched", status="404") == 1
    assert grew("advisor_http_request_duration_seconds_count", method="GET", route=md) == 2
    assert grew("advisor_report_renders_total", format="md", outcome="stored") == 1  # the second was stored
    assert grew("advisor_report_render_duration_seconds_count", format="md") == 1
    assert grew("advisor_assessments_saved_total") == 1
    assert not any(report_id in str(key) for key in after)


def test_metrics_need_the_read_scope_when_tokens_are_set(make_app, tmp_path):
    client = make_app(GRAPH_DATA=str(FIXTURE_GRAPH_DATA), DATABASE_URL=f"sqlite:///{tmp_path / 'm.sqlite3'}",
                      API_TOKENS=f"ops:read:{TOKEN}").test_client()
    assert client.get("/metrics").status_code == 401
    assert client.get("/metrics", headers={"Authorization": f"Bearer {TOKEN}"}).status_code == 200


@pytest.mark.slow
def test_under_gunicorn_a_scrape_adds_up_every_worker(tmp_path, profile):
    srv = GunicornServer(tmp_path / "g", workers=3).start()
    try:
        ids = []
        for _ in range(12):
            status, _, body = srv.request("POST", "/api/v1/assessments", profile)
            ids.append(json.loads(body)["id"])
        for report_id in ids[:4]:
            srv.request("GET", f"/reports/{report_id}.md")
        for _ in range(20):
            srv.request("GET", "/healthz")
        status, headers, body = srv.request("GET", "/metrics")
        assert status == 200 and headers["Content-Type"].startswith("text/plain")
        scrape = samples(body.decode())
        assert value(scrape, "advisor_http_requests_total", method="POST", route="/api/v1/assessments",
                     status="201") == 12
        assert value(scrape, "advisor_assessments_saved_total") == 12
        # the start-up probe and the 20 here, whichever of the three workers answered each
        assert value(scrape, "advisor_http_requests_total", method="GET", route="/healthz", status="200") >= 20
        assert value(scrape, "advisor_report_renders_total", format="md", outcome="stored") == 4
    finally:
        srv.stop()
