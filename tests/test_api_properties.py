"""Property-based tests of the whole API from its own OpenAPI document, with schemathesis.

Every documented operation gets generated requests, valid and invalid (bodies,
query strings, path segments, headers), and every answer is checked: never a
5xx, a documented status code, the documented content type, headers and body
shape, valid data accepted and invalid data refused.

The application runs in-process through WSGI rather than under gunicorn: the
same Flask application answers every request, without a connection, HTTP
parsing and a second set of processes competing for CI's two cores, and a
failure shows the Python traceback of the request that caused it. Generating
and checking cases already costs more than answering them; over sockets the
5,000+ requests would no longer fit comfortably in CI's time. What only the
real server does (its request-line and header limits, workers, crash safety)
is tested under gunicorn in test_hostile_input.py, test_safe_retries.py and
test_durability.py.
"""
from __future__ import annotations

import hashlib
import json
import os
import shutil
import tempfile
from collections import Counter

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.config import SchemathesisConfig
from schemathesis.specs.openapi.checks import positive_data_acceptance

from app import create_app

# Thousands of generated requests: the full run has them, the fast lane leaves them out.
pytestmark = pytest.mark.slow

SEED = 20261128
MIN_REQUESTS = 5000
# Generated examples per operation in the fuzzing phase (the examples and coverage phases add their own): fewer
# for the two POSTs, whose nested bodies cost the most to generate, more for the GETs taking path or query values.
POST_EXAMPLES = 650
GET_EXAMPLES = 1100

requests_sent: Counter = Counter()


class _Counting:
    """WSGI middleware counting the requests the application receives, in total and per method."""

    def __init__(self, app):
        self.app = app

    def __call__(self, environ, start_response):
        requests_sent["total"] += 1
        requests_sent[environ["REQUEST_METHOD"]] += 1
        return self.app(environ, start_response)


# Loaded when the module is collected, not from a fixture: schemathesis's lazy fixture loader does not work
# with this pytest, and a loaded schema gives one test per operation in the report.
# The database lives in memory-backed /dev/shm where there is one: thousands of fsyncs would measure the disk.
_folder = tempfile.mkdtemp(prefix="advisor-properties-", dir="/dev/shm" if os.path.isdir("/dev/shm") else None)
_app = create_app({"TESTING": True, "SECRET_KEY": "test-only-key", "ACCESS_LOG": False,
                   "DATABASE_URL": f"sqlite:///{_folder}/properties.sqlite3"})
_config = SchemathesisConfig.from_dict({
    "seed": SEED,
    "generation": {"mode": "all", "deterministic": True, "max-examples": GET_EXAMPLES},
    "phases": {"stateful": {"enabled": False}},
    "operations": [{"include-method": "POST", "generation": {"max-examples": POST_EXAMPLES}}],
})
schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", _Counting(_app), config=_config)


@pytest.fixture(scope="module", autouse=True)
def _clean_up():
    yield
    _app.extensions["advisor.store"].dispose()
    shutil.rmtree(_folder, ignore_errors=True)


@schema.parametrize()
@settings(derandomize=True, database=None, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
def test_every_answer_keeps_the_documented_contract(case):
    _one_body_per_idempotency_key(case)
    # A file's content must parse as the format it names, which no JSON Schema can state: schema-valid
    # bodies are rightly refused with a 422 naming the file (the readers' own tests cover acceptance).
    excluded = [positive_data_acceptance] if case.path in _FILE_CONTENT_PATHS else []
    case.call_and_validate(excluded_checks=excluded)


_FILE_CONTENT_PATHS = {"/api/v1/profiles/from-iac", "/api/v1/reviews"}


def _one_body_per_idempotency_key(case) -> None:
    """Reusing a key with another body is refused by design (422, tested in test_assessments.py); generated
    valid requests get keys of their own per body, so the check that valid data is accepted stays strict."""
    key = (case.headers or {}).get("Idempotency-Key")
    if key is None or not case.meta.generation.mode.is_positive:
        return
    digest = hashlib.sha256(json.dumps(case.body, sort_keys=True, default=str).encode()).hexdigest()[:16]
    case.headers["Idempotency-Key"] = f"{digest}-{key}"[:255]


def test_the_run_sent_thousands_of_requests():
    if not requests_sent:
        pytest.skip("the property tests above did not run in this session")
    print(f"schemathesis sent {requests_sent['total']} requests: {dict(requests_sent)}")
    assert requests_sent["total"] >= MIN_REQUESTS, requests_sent.most_common(10)
