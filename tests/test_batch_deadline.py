"""A batch that cannot finish inside its deadline says so in valid JSON, instead of being cut off mid-answer."""
import json
import time

import pytest

from conftest import FIXTURE_GRAPH_DATA
from gunicorn_server import GunicornServer
from schemas.batch import BatchResponseSchema

URL = "/api/v1/recommendations/batch"
# Every service of the real knowledge base, for the server test that needs a batch to be slow.
EVERY = ["ec2", "ecs", "ecs_managed_instances", "eks", "eks_fargate", "fargate", "lambda", "lambda_managed_instances"]


def portfolio(profile, count, services=None):
    extra = {"services": services} if services else {}
    # distinct profiles, as a portfolio is: none is answered from the cache of recent answers
    return [{**profile, "security_hours_per_month": i / 10, **extra} for i in range(count)]


def test_a_whole_batch_says_it_is_complete(fixture_client, profile):
    body = fixture_client.post(URL, json={"profiles": portfolio(profile, 3)}).get_json()
    assert body["complete"] is True and len(body["results"]) == 3
    assert BatchResponseSchema().validate(body) == {}


def test_a_batch_past_its_deadline_ends_early_as_valid_json_naming_what_to_send_again(make_app, tmp_path, profile):
    """F5 and F10: the worker's time per batch is bounded, and the client can tell the answer is partial."""
    app = make_app(GRAPH_DATA=str(FIXTURE_GRAPH_DATA), DATABASE_URL=f"sqlite:///{tmp_path / 'b.sqlite3'}",
                   ADVISOR_BATCH_DEADLINE=0.05)
    started = time.monotonic()
    response = app.test_client().post(URL, json={"profiles": portfolio(profile, 1000)})
    took = time.monotonic() - started
    body = json.loads(response.get_data(as_text=True))
    assert response.status_code == 200 and body["complete"] is False
    assert 0 < body["next_index"] == len(body["results"]) < 1000
    assert f"from index {body['next_index']}" in body["detail"]
    assert BatchResponseSchema().validate(body) == {}
    assert took < 3


@pytest.mark.slow
def test_under_gunicorn_a_long_batch_ends_before_the_worker_timeout_and_says_so(tmp_path, profile):
    # 10,000 profiles of eight services take several seconds even compiled: far past the 1.2 s a 2 s timeout leaves
    env = {"ADVISOR_TIMEOUT": "2", "ADVISOR_BATCH_LIMIT": "10000"}
    srv = GunicornServer(tmp_path / "g", workers=1, env=env).start()
    try:
        status, _, raw = srv.request("POST", URL, {"profiles": portfolio(profile, 10_000, EVERY)}, timeout=30)
        body = json.loads(raw)  # whole JSON, never a truncated stream
        assert status == 200 and body["complete"] is False and body["next_index"] == len(body["results"])
        assert "WORKER TIMEOUT" not in srv.logs()
    finally:
        srv.stop()
