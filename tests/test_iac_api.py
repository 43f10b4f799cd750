"""POST /api/v1/profiles/from-iac and POST /api/v1/reviews, through the test client."""
from __future__ import annotations

from pathlib import Path

import pytest
from markdown_it import MarkdownIt

from schemas.profile import WorkloadSchema

FIXTURES = Path(__file__).parent / "fixtures" / "iac"
FORMATS = {"lambda_api.plan.json": "terraform-plan", "fargate_windows.plan.json": "terraform-plan",
           "ec2_dedicated_gpu.plan.json": "terraform-plan", "eks.plan.json": "terraform-plan",
           "batch_workers.tf": "terraform", "sam_template.yaml": "cloudformation",
           "cdk_transcoder.template.json": "cloudformation", "ecs_privileged_agent.task.json": "ecs-task-definition",
           "k8s_agents_and_gpu.yaml": "kubernetes"}
TEAM = {"security_hours_per_month": 40, "patching_staff": 1, "customisation": "low", "isolation": "standard",
        "name": "Orders API"}
# What each fixture runs on today, and which of its derived values a reviewer would check first.
EXPECTED = {
    "lambda_api.plan.json": (["lambda"], {"max_duration_minutes": 15, "invocation": "sync"}),
    "fargate_windows.plan.json": (["fargate"], {"os": "windows", "memory_gb": 30, "vcpu": 4}),
    "ec2_dedicated_gpu.plan.json": (["ec2"], {"gpu": True, "always_on": True}),
    "eks.plan.json": (["eks", "eks_fargate"], {"arch": "arm64"}),
    "batch_workers.tf": (["lambda"], {"ephemeral_storage_gb": 10}),
    "sam_template.yaml": (["lambda"], {"max_duration_minutes": 10, "arch": "arm64"}),
    "cdk_transcoder.template.json": (["ec2", "ecs"], {"gpu": True, "vcpu": 2}),
    "ecs_privileged_agent.task.json": (["ecs"], {"privileged": True, "arch": "arm64"}),
    "k8s_agents_and_gpu.yaml": (["eks"], {"daemonsets": True, "gpu": True, "privileged": True}),
}


def source(name: str) -> dict:
    return {"format": FORMATS[name], "content": (FIXTURES / name).read_text(), "name": name}


@pytest.mark.parametrize("name", sorted(FORMATS))
def test_each_fixture_gives_its_profile_services_and_provenance(client, name):
    response = client.post("/api/v1/profiles/from-iac", json={"sources": [source(name)]})
    assert response.status_code == 200
    body = response.get_json()
    services, workload = EXPECTED[name]
    assert body["current_services"] == services
    assert workload.items() <= body["profile"]["workload"].items()
    assert set(body["profile"]["workload"]) <= set(WorkloadSchema().fields)
    assert {p["source"] for p in body["provenance"]} == {name}
    derived = {p["field"] for p in body["provenance"]}
    assert {f"workload.{key}" for key in body["profile"]["workload"]} <= derived
    expected_missing = ["security_hours_per_month", "patching_staff", "customisation"]
    assert body["missing"] == expected_missing + ([] if body["profile"].get("isolation") else ["isolation"])


def test_the_provenance_has_the_contracts_shape(client):
    body = client.post("/api/v1/profiles/from-iac", json={"sources": [source("lambda_api.plan.json")]}).get_json()
    assert {"field": "workload.max_duration_minutes", "value": 15, "source": "lambda_api.plan.json",
            "resource": "aws_lambda_function.export", "attribute": "timeout", "raw": 900} in body["provenance"]
    assert body["unsupported"] == [{"source": "lambda_api.plan.json", "resource": "aws_sqs_queue.exports",
                                    "type": "aws_sqs_queue"}]


@pytest.mark.parametrize("field, name, expected, resource", [
    ("lambda_package", "batch_workers.tf", "image", "aws_lambda_function.thumbnails"),
    ("on_ec2", "eks.plan.json", "kubernetes", "module.eks.aws_eks_cluster.this"),
    ("on_ec2", "fargate_windows.plan.json", "containers", "aws_ecs_task_definition.web"),
])
def test_packaging_and_how_it_runs_on_ec2_come_from_the_files_with_their_provenance(client, field, name, expected,
                                                                                     resource):
    body = client.post("/api/v1/profiles/from-iac", json={"sources": [source(name)]}).get_json()
    assert body["profile"]["workload"][field] == expected
    assert [p["resource"] for p in body["provenance"] if p["field"] == f"workload.{field}"] == [resource]


def test_with_the_teams_fields_the_profile_is_complete_and_ranks(client):
    body = client.post("/api/v1/profiles/from-iac",
                       json={"sources": [source("sam_template.yaml")], "profile": TEAM}).get_json()
    assert body["missing"] == []
    ranked = client.post("/api/v1/recommendations", json=body["profile"])
    assert ranked.status_code == 200


def test_dedicated_tenancy_sets_isolation_and_the_request_can_override_a_derived_value(client):
    team = {k: v for k, v in TEAM.items() if k != "isolation"}
    body = client.post("/api/v1/profiles/from-iac", json={
        "sources": [source("ec2_dedicated_gpu.plan.json"), source("lambda_api.plan.json")],
        "profile": {**team, "workload": {"max_duration_minutes": 5}}}).get_json()
    assert body["missing"] == [] and body["profile"]["isolation"] == "dedicated"
    assert body["profile"]["workload"]["max_duration_minutes"] == 5
    assert body["profile"]["workload"]["gpu"] is True
    fields = {p["field"] for p in body["provenance"]}
    assert "workload.max_duration_minutes" not in fields and "isolation" in fields
    assert body["current_services"] == ["ec2", "lambda"]


def test_a_bad_override_is_a_422_naming_the_profile_field(client):
    response = client.post("/api/v1/profiles/from-iac", json={"sources": [source("eks.plan.json")],
                                                               "profile": {"patching_staff": -1}})
    assert response.status_code == 422
    assert response.get_json()["errors"] == {"profile": {"patching_staff": [
        "Must be greater than or equal to 0 and less than or equal to 10000."]}}


BOMB = "a: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
    f"{chr(98 + i)}: &{chr(98 + i)} [{', '.join([f'*{chr(97 + i)}'] * 9)}]\n" for i in range(9))


@pytest.mark.parametrize("path", ["/api/v1/profiles/from-iac", "/api/v1/reviews"])
@pytest.mark.parametrize("bad, message", [
    ({"format": "kubernetes", "content": BOMB, "name": "laughs.yaml"}, "laughs.yaml: expands to more than"),
    ({"format": "cloudformation", "content": "[" * 100_000 + "]" * 100_000, "name": "deep.yaml"},
     "deep.yaml: is nested more than 64 levels deep."),
    ({"format": "terraform-plan", "content": "{" + " " * 20_000_000 + "}", "name": "huge.json"},
     "huge.json: is 20,000,002 bytes"),
    ({"format": "kubernetes", "content": "kind: Pod\nmetadata: {name: \udcff}\n", "name": "bad-utf8.yaml"},
     "bad-utf8.yaml: is not valid UTF-8 text"),
    ({"format": "terraform", "content": 'resource "aws_instance" "a" {', "name": "broken.tf"},
     "broken.tf: is not valid Terraform"),
])
def test_a_hostile_file_is_a_422_naming_it_and_nothing_is_stored(client, app, path, bad, message):
    store = app.extensions["advisor.store"]
    before = store.count()
    response = client.post(path, json={"sources": [source("eks.plan.json"), bad], "profile": TEAM, **(
        {"save": True} if path.endswith("reviews") else {})})
    assert response.status_code == 422
    assert response.mimetype == "application/problem+json"
    problem = response.get_json()
    assert problem["title"] == "Unreadable file" and problem["detail"].startswith(message)
    assert list(problem["errors"]["sources"]) == ["1"]
    assert store.count() == before


@pytest.mark.parametrize("body, field", [
    ({"sources": []}, "sources"), ({"sources": [{"format": "helm", "content": "x"}]}, "sources"),
    ({"sources": [{"format": "kubernetes"}]}, "sources"), ({"files": []}, "files"),
])
def test_a_malformed_request_is_a_422_naming_the_field(client, body, field):
    response = client.post("/api/v1/profiles/from-iac", json=body)
    assert response.status_code == 422 and field in response.get_json()["errors"]


@pytest.mark.parametrize("name", sorted(FORMATS))
def test_each_fixture_is_reviewed_against_first_place_and_nothing_is_stored(client, app, name):
    before = app.extensions["advisor.store"].count()
    response = client.post("/api/v1/reviews", json={"sources": [source(name)], "profile": TEAM})
    assert response.status_code == 200
    body = response.get_json()
    verdict = body["verdict"]
    first = next(entry for entry in body["recommendation"]["ranking"] if entry["eligible"])
    assert verdict["first"] == first["service"]
    assert verdict["current_is_first"] == (first["service"] in body["current_services"])
    assert [c["service"] for c in body["comparisons"]] == [
        e["service"] for e in body["recommendation"]["ranking"] if e["service"] in body["current_services"]]
    for comparison in body["comparisons"]:
        assert comparison["is_first"] == (comparison["service"] == first["service"])
        if not comparison["is_first"]:
            change = comparison["change_to_first"]
            assert (change["from"], change["to"]) == (comparison["service"], first["service"])
            assert change["burden_change_hours_per_month"] == pytest.approx(
                first["burden_hours_per_month"] - comparison["burden_hours_per_month"], abs=0.02)
    assert verdict["summary"] and "_" not in verdict["summary"]
    assert app.extensions["advisor.store"].count() == before


def test_a_windows_task_that_needs_privileged_containers_blocks_fargate(client):
    response = client.post("/api/v1/reviews", json={
        "sources": [source("fargate_windows.plan.json")], "profile": {**TEAM, "workload": {"privileged": True}}})
    verdict = response.get_json()["verdict"]
    assert verdict["blocked"] is True and verdict["current_is_first"] is False
    assert verdict["summary"].startswith("AWS Fargate (Amazon ECS), in use today, is ruled out")


def test_a_review_without_the_teams_fields_says_which_are_missing(client):
    response = client.post("/api/v1/reviews", json={"sources": [source("lambda_api.plan.json")],
                                                    "profile": {"customisation": "low"}})
    assert response.status_code == 422
    assert sorted(response.get_json()["errors"]["profile"]) == ["isolation", "patching_staff",
                                                               "security_hours_per_month"]


def test_a_saved_review_is_an_assessment_with_its_provenance(client, app):
    response = client.post("/api/v1/reviews", json={"sources": [source("cdk_transcoder.template.json")],
                                                    "profile": TEAM, "save": True})
    assert response.status_code == 200
    saved = response.get_json()["assessment"]
    assessment = client.get(saved["links"]["self"]).get_json()
    assert assessment["id"] == saved["id"]
    review = assessment["review"]
    assert review["current_services"] == ["ec2", "ecs"]
    assert any(p["resource"].startswith("GpuLaunchTemplate8E3F2A11") for p in review["provenance"])
    assert app.extensions["advisor.store"].count() == 1


def markdown_tokens(text: str):
    return MarkdownIt("commonmark").enable("table").parse(text)


@pytest.mark.parametrize("name", ["lambda_api.plan.json", "ec2_dedicated_gpu.plan.json", "k8s_agents_and_gpu.yaml"])
def test_the_pull_request_comment_is_markdown_with_the_verdict_the_table_and_the_provenance(client, name):
    response = client.post("/api/v1/reviews", json={"sources": [source(name)], "profile": TEAM},
                           headers={"Accept": "text/markdown"})
    assert response.status_code == 200 and response.mimetype == "text/markdown"
    text = response.get_data(as_text=True)
    json_body = client.post("/api/v1/reviews", json={"sources": [source(name)], "profile": TEAM}).get_json()
    tokens = markdown_tokens(text)
    assert tokens[0].type == "heading_open"
    inline = [t.content for t in tokens if t.type == "inline"]
    assert f"**Verdict:** {json_body['verdict']['summary']}" in inline
    assert sum(t.type == "table_open" for t in tokens) == 2  # current against first, and the provenance
    assert any(t.type == "html_block" and "<details>" in t.content for t in tokens)
    cells = [t.content for t in tokens if t.type == "inline"]
    for entry in json_body["provenance"]:
        assert entry["resource"] in cells
    assert len(text) < 10_000  # short enough for a PR thread


def test_the_openapi_document_describes_both_endpoints_with_examples(client):
    document = client.get("/api/v1/openapi.json").get_json()
    for path in ("/api/v1/profiles/from-iac", "/api/v1/reviews"):
        operation = document["paths"][path]["post"]
        assert operation["requestBody"]["content"]["application/json"]["example"]["sources"]
        assert operation["responses"]["200"]["content"]["application/json"]["example"]
    review = document["paths"]["/api/v1/reviews"]["post"]["responses"]["200"]["content"]
    assert review["text/markdown"]["example"].startswith("### Design review")
    example = review["application/json"]["example"]
    assert example["current_services"] == ["lambda"]
    assert example["verdict"]["first"] == next(e["service"] for e in example["recommendation"]["ranking"] if e["eligible"])
