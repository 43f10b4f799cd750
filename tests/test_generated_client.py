"""The API contract used by real tooling: a client generated from the live OpenAPI document, against gunicorn.

openapi-python-client generates a typed client (models and one module per operation) from
/api/v1/openapi.json as the running server serves it; the tests then call the server only through
that client: a recommendation, a profile from infrastructure code, a review, a saved review read back
as an assessment, and a problem for a hostile file.
"""
from __future__ import annotations

import importlib
import json
import subprocess
import sys
from pathlib import Path

import pytest

from gunicorn_server import GunicornServer

FIXTURES = Path(__file__).parent / "fixtures" / "iac"
TEAM = {"security_hours_per_month": 40, "patching_staff": 1, "customisation": "low", "isolation": "standard",
        "name": "Orders API"}
PACKAGE = "advisor_api_client"

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    started = GunicornServer(tmp_path_factory.mktemp("client-server"), workers=1).start()
    yield started
    started.stop()


@pytest.fixture(scope="module")
def generated(server, tmp_path_factory):
    """The client package, generated in this run from the document the live server serves."""
    folder = tmp_path_factory.mktemp("generated")
    status, _, body = server.request("GET", "/api/v1/openapi.json")
    assert status == 200
    (folder / "openapi.json").write_bytes(body)
    (folder / "config.yaml").write_text("post_hooks: []\n")  # no formatter run: ruff need not be installed
    generator = Path(sys.executable).parent / "openapi-python-client"
    done = subprocess.run([str(generator), "generate", "--path", "openapi.json", "--output-path", PACKAGE,
                           "--meta", "none", "--config", "config.yaml"], cwd=folder, capture_output=True, text=True,
                          timeout=300)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "Warning" not in done.stdout, done.stdout  # every operation and schema was understood
    sys.path.insert(0, str(folder))
    importlib.invalidate_caches()  # the package's folders were written after the import system last looked
    try:
        yield importlib.import_module(PACKAGE)
    finally:
        sys.path.remove(str(folder))
        for name in [m for m in sys.modules if m == PACKAGE or m.startswith(f"{PACKAGE}.")]:
            del sys.modules[name]


def _module(package, path: str):
    return importlib.import_module(f"{package.__name__}.{path}")


@pytest.fixture
def client(generated, server):
    return generated.Client(base_url=f"http://127.0.0.1:{server.port}", raise_on_unexpected_status=True)


def source(name: str, fmt: str) -> dict:
    return {"format": fmt, "content": (FIXTURES / name).read_text(), "name": name}


def test_a_recommendation_through_the_generated_client(generated, client):
    models = _module(generated, "models")
    operation = _module(generated, "api.recommendations.api_create_recommendation")
    response = operation.sync_detailed(client=client, body=models.Profile.from_dict(
        {key: TEAM[key] for key in ("security_hours_per_month", "patching_staff", "customisation", "isolation")}))
    assert response.status_code == 200
    recommendation = response.parsed
    assert isinstance(recommendation, models.Recommendation)
    assert recommendation.ranking[0].rank == 1 and recommendation.ranking[0].eligible


def test_a_profile_from_infrastructure_code_through_the_generated_client(generated, client):
    models = _module(generated, "models")
    operation = _module(generated, "api.reviews.iac_create_profile_from_iac")
    answer = operation.sync(client=client, body=models.IacRequest.from_dict(
        {"sources": [source("sam_template.yaml", "cloudformation")]}))
    assert isinstance(answer, models.ProfileFromIac)
    assert answer.current_services == ["lambda"]
    assert answer.missing == ["security_hours_per_month", "patching_staff", "customisation", "isolation"]
    timeout = next(p for p in answer.provenance if p.field == "workload.max_duration_minutes")
    assert (timeout.value, timeout.resource, timeout.attribute) == (10, "ReportFunction", "Timeout")


def test_a_saved_review_through_the_generated_client_is_read_back_as_an_assessment(generated, client):
    models = _module(generated, "models")
    review_operation = _module(generated, "api.reviews.iac_create_review")
    review = review_operation.sync(client=client, body=models.ReviewRequest.from_dict(
        {"sources": [source("ec2_dedicated_gpu.plan.json", "terraform-plan")],
         "profile": {key: value for key, value in TEAM.items() if key != "isolation"}, "save": True}))
    assert isinstance(review, models.Review)
    assert review.profile.to_dict()["isolation"] == "dedicated"
    assert review.current_services == ["ec2"]
    assert review.verdict.first == review.recommendation.ranking[0].service
    assert [c.service for c in review.comparisons] == ["ec2"]
    read = _module(generated, "api.assessments.assessments_get_assessment")
    assessment = read.sync(client=client, assessment_id=review.assessment.id)
    assert isinstance(assessment, models.Assessment)
    assert assessment.id == review.assessment.id
    assert assessment.review.current_services == ["ec2"]
    assert assessment.review.verdict.to_dict() == review.verdict.to_dict()
    assert any(p.attribute == "placement.tenancy" for p in assessment.review.provenance)


FIXTURE_FORMATS = {"lambda_api.plan.json": "terraform-plan", "fargate_windows.plan.json": "terraform-plan",
                   "ec2_dedicated_gpu.plan.json": "terraform-plan", "eks.plan.json": "terraform-plan",
                   "batch_workers.tf": "terraform", "sam_template.yaml": "cloudformation",
                   "cdk_transcoder.template.json": "cloudformation",
                   "ecs_privileged_agent.task.json": "ecs-task-definition", "k8s_agents_and_gpu.yaml": "kubernetes"}


@pytest.mark.parametrize("name", sorted(FIXTURE_FORMATS))
def test_each_fixture_is_reviewed_through_the_generated_client(generated, client, name):
    models = _module(generated, "models")
    review = _module(generated, "api.reviews.iac_create_review").sync(client=client, body=models.ReviewRequest.from_dict(
        {"sources": [source(name, FIXTURE_FORMATS[name])], "profile": TEAM}))
    assert isinstance(review, models.Review)
    assert review.current_services and {c.service for c in review.comparisons} == set(review.current_services)
    assert review.verdict.first == next(e.service for e in review.recommendation.ranking if e.eligible)
    assert all(p.source == name for p in review.provenance)


def test_an_unsaved_review_stores_nothing(generated, client):
    models = _module(generated, "models")
    listing = _module(generated, "api.assessments.assessments_list_assessments")
    before = listing.sync(client=client).total
    review = _module(generated, "api.reviews.iac_create_review").sync(client=client, body=models.ReviewRequest.from_dict(
        {"sources": [source("k8s_agents_and_gpu.yaml", "kubernetes")], "profile": TEAM}))
    assert review.verdict.summary
    assert review.assessment is _module(generated, "types").UNSET  # no assessment was made
    assert listing.sync(client=client).total == before


def test_a_hostile_file_comes_back_as_a_problem_through_the_generated_client(generated, server):
    models = _module(generated, "models")
    lenient = generated.Client(base_url=f"http://127.0.0.1:{server.port}")
    bomb = "a: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
        f"{chr(98 + i)}: &{chr(98 + i)} [{', '.join([f'*{chr(97 + i)}'] * 9)}]\n" for i in range(9))
    response = _module(generated, "api.reviews.iac_create_review").sync_detailed(
        client=lenient, body=models.ReviewRequest.from_dict(
            {"sources": [{"format": "kubernetes", "content": bomb, "name": "laughs.yaml"}], "profile": TEAM}))
    assert response.status_code == 422
    assert isinstance(response.parsed, models.Problem)
    assert response.parsed.detail.startswith("laughs.yaml: expands to more than")
    assert json.loads(response.content)["errors"]["sources"]["0"]["content"]
