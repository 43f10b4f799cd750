"""Idempotency-Key under concurrency: simultaneous retries through real gunicorn workers save one assessment.

Tooling retries after a timeout while the first attempt may still be running
in another worker; the database's unique key on the idempotency key decides
which request saves, and the others answer with what it saved.
"""
from __future__ import annotations

import json
import threading
import uuid

import pytest

from gunicorn_server import GunicornServer

BODY = {"security_hours_per_month": 30, "patching_staff": 1, "customisation": "medium", "isolation": "strong",
        "name": "Retried API"}


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def server(request, tmp_path):
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'retries.sqlite3'}"
    else:
        url = request.getfixturevalue("postgres").create_database(f"r_{uuid.uuid4().hex[:12]}")
    server = GunicornServer(tmp_path / "instance", workers=3, env={"DATABASE_URL": url}).start()
    yield server
    server.stop()


def at_once(server, requests: list[tuple[dict, str]]) -> list[tuple[int, dict, dict]]:
    """Send (body, key) pairs from as many threads released together; answers in the same order."""
    barrier = threading.Barrier(len(requests))
    answers: list = [None] * len(requests)

    def send(i: int, body: dict, key: str) -> None:
        barrier.wait()
        status, headers, data = server.request("POST", "/api/v1/assessments", body, {"Idempotency-Key": key})
        answers[i] = (status, headers, json.loads(data))

    threads = [threading.Thread(target=send, args=(i, body, key)) for i, (body, key) in enumerate(requests)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return answers


def total(server) -> int:
    return json.loads(server.request("GET", "/api/v1/assessments")[2])["total"]


@pytest.mark.slow
def test_simultaneous_retries_with_one_key_save_one_assessment_and_all_get_it(server):
    rounds = 6
    for _ in range(rounds):
        answers = at_once(server, [(BODY, f"key-{uuid.uuid4()}")] * 3)
        assert sorted(status for status, _, _ in answers) == [200, 200, 201]
        assert len({body["id"] for _, _, body in answers}) == 1
        for status, headers, _ in answers:
            assert headers.get("Idempotent-Replayed") == ("true" if status == 200 else None)
    assert total(server) == rounds


@pytest.mark.slow
def test_simultaneous_requests_with_one_key_and_different_bodies_save_only_one(server):
    rounds = 4
    for _ in range(rounds):
        key = f"key-{uuid.uuid4()}"
        answers = at_once(server, [(BODY, key), ({**BODY, "patching_staff": 2}, key)])
        assert sorted(status for status, _, _ in answers) == [201, 422]
        refused = next(body for status, _, body in answers if status == 422)
        saved = next(body for status, _, body in answers if status == 201)
        assert saved["id"] in refused["detail"]
    assert total(server) == rounds
