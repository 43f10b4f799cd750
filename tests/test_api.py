"""The JSON API through the test client: the contract, and every class of bad input."""
import json

import pytest

import advisor

URL = "/api/v1/recommendations"


def post_json(client, body, url=URL):
    return client.post(url, data=json.dumps(body), content_type="application/json")


def assert_problem(response, status):
    assert response.status_code == status
    assert response.mimetype == "application/problem+json"
    body = response.get_json(force=True)
    assert body["status"] == status and body["title"] and body["detail"]
    assert "Traceback" not in response.get_data(as_text=True)
    return body


def test_a_profile_gets_all_four_services_ranked(client, profile):
    response = post_json(client, profile)
    assert response.status_code == 200
    body = response.get_json()
    ranking = body["ranking"]
    assert [r["rank"] for r in ranking] == [1, 2, 3, 4]
    assert {r["service"] for r in ranking} == {"ec2", "ecs", "fargate", "lambda"}
    first = ranking[0]
    for key in ("service", "name", "rank", "score", "eligible", "blockers", "team_owns", "aws_owns",
                "burden_hours_per_month", "reasons"):
        assert key in first
    assert {"id", "name", "hours_per_month", "source"} <= set(first["team_owns"][0])
    assert {"id", "name", "source"} <= set(first["aws_owns"][0])
    assert 0 <= first["score"] <= 100
    assert body["weights"]["burden"] == 0.35
    assert body["knowledge_base_version"]


def test_the_same_profile_gives_the_same_bytes(client, profile):
    assert post_json(client, profile).data == post_json(client, dict(reversed(list(profile.items())))).data


def test_a_sixty_minute_workload_puts_lambda_last_with_its_blocker(client, profile):
    body = post_json(client, {**profile, "workload": {"max_duration_minutes": 60}}).get_json()
    last = body["ranking"][-1]
    assert last["service"] == "lambda" and last["eligible"] is False
    assert "60 minutes exceeds AWS Lambda's 15-minute maximum" in last["blockers"][0]["sentence"]


def test_weights_can_be_overridden_per_request(client, profile):
    body = post_json(client, {**profile, "customisation": "high", "weights": {"burden": 0, "patching": 0, "simplicity": 0}}).get_json()
    assert body["weights"]["burden"] == 0
    assert body["ranking"][0]["service"] == "ec2"


def test_malformed_json_is_a_400(client):
    assert_problem(client.post(URL, data="{not json", content_type="application/json"), 400)


def test_a_body_that_is_not_json_is_a_415(client):
    assert_problem(client.post(URL, data="hours=20", content_type="application/x-www-form-urlencoded"), 415)


def test_failed_validation_is_a_422_naming_every_bad_field(client):
    body = assert_problem(post_json(client, {"security_hours_per_month": -5, "patching_staff": "two",
                                             "customisation": "total", "isolation": "standard",
                                             "workload": {"memory_gb": 0}, "colour": "red"}), 422)
    assert set(body["errors"]) == {"security_hours_per_month", "patching_staff", "customisation", "workload", "colour"}
    assert "memory_gb" in body["errors"]["workload"]
    assert "workload.memory_gb" in body["detail"]


def test_missing_required_fields_are_each_named(client):
    body = assert_problem(post_json(client, {}), 422)
    assert set(body["errors"]) == {"security_hours_per_month", "patching_staff", "customisation", "isolation"}


def test_an_unknown_service_in_the_profile_is_a_422(client, profile):
    body = assert_problem(post_json(client, {**profile, "services": ["ec2", "mainframe"]}), 422)
    assert "services" in body["errors"]


@pytest.mark.parametrize("raw, fragment", [
    ('{"a": 1, "a": 2}', "duplicate key"),
    ('{"security_hours_per_month": NaN}', "NaN"),
    ('{"security_hours_per_month": Infinity}', "Infinity"),
    ('{"security_hours_per_month": 1e999}', "range"),
    ('[1, 2]', "object"),
    ("[" * 100_000 + "]" * 100_000, "nested"),
])
def test_hostile_json_is_a_clear_400(client, raw, fragment):
    body = assert_problem(client.post(URL, data=raw, content_type="application/json"), 400)
    assert fragment in body["detail"]


def test_invalid_utf8_is_a_400(client):
    body = assert_problem(client.post(URL, data=b'{"name": "\xff\xfe"}', content_type="application/json"), 400)
    assert "UTF-8" in body["detail"]


def test_control_characters_in_the_name_are_a_422(client, profile):
    body = assert_problem(post_json(client, {**profile, "name": "Pay\x00ments"}), 422)
    assert "name" in body["errors"]


def test_an_unknown_route_is_a_404_problem(client):
    assert_problem(client.get("/api/v1/nowhere"), 404)


def test_a_wrong_method_is_a_405_problem_with_allow(client):
    response = client.get(URL)
    assert_problem(response, 405)
    assert "POST" in response.headers["Allow"]


def test_a_body_over_the_limit_is_a_413(client):
    big = json.dumps({"name": "x" * 1_100_000})
    assert_problem(client.post(URL, data=big, content_type="application/json"), 413)


def test_the_body_limit_is_configuration(tmp_path):
    from app import create_app
    small = create_app({"TESTING": True, "SECRET_KEY": "k", "MAX_CONTENT_LENGTH": 100}).test_client()
    assert_problem(small.post(URL, data=json.dumps({"name": "x" * 200}), content_type="application/json"), 413)


def test_services_lists_every_service_with_its_burden(client):
    body = client.get("/api/v1/services").get_json()
    services = {s["id"]: s for s in body["services"]}
    assert set(services) >= {"ec2", "ecs", "fargate", "lambda"}
    assert services["ec2"]["burden_hours_per_month"] > services["lambda"]["burden_hours_per_month"]


def test_a_service_shows_its_full_split_with_sources(client):
    body = client.get("/api/v1/services/fargate").get_json()
    owners = {entry["layer"]: entry["owner"] for entry in body["ownership"]}
    assert owners["guest_os"] == "aws" and owners["application_code"] == "customer"
    assert all(entry["source"] for entry in body["ownership"])
    assert any(limit["field"] == "workload.gpu" for limit in body["limits"])


def test_an_unknown_service_is_a_404_problem(client):
    assert_problem(client.get("/api/v1/services/mainframe"), 404)


def test_layers_come_in_stack_order(client):
    layers = client.get("/api/v1/layers").get_json()["layers"]
    assert layers[0]["id"] == "facilities"
    assert [l["position"] for l in layers] == list(range(len(layers)))


def test_healthz_answers_with_the_knowledge_base_version_and_how_the_ranking_runs(client):
    body = client.get("/healthz").get_json()
    assert body["status"] == "ok" and body["knowledge_base_version"]
    assert body["core"] == advisor.CORE


def test_asking_for_markdown_returns_the_decision_record_of_a_saved_report(client, profile):
    body = {**profile, "name": "Payments <API>", "workload": {"max_duration_minutes": 60}}
    response = client.post(URL, data=json.dumps(body), content_type="application/json",
                           headers={"Accept": "text/markdown"})
    assert response.status_code == 200 and response.mimetype == "text/markdown"
    text = response.get_data(as_text=True)
    saved = post_json(client, body, url="/api/v1/assessments").get_json()
    report = client.get(f"/reports/{saved['id']}.md").get_data(as_text=True)
    headings = [line for line in text.splitlines() if line.startswith("#")]
    # the saved report's record adds links to itself; an answer that is not saved has none
    assert headings == [line for line in report.splitlines() if line.startswith("#") and line != "## Links"]
    assert "Payments \\<API\\>" in text and "<API>" not in text
    first = saved["recommendation"]["ranking"][0]["name"]
    assert first in text.split("## Decision Outcome", 1)[1]


def test_json_stays_the_default_for_any_other_accept(client, profile):
    for accept in ("*/*", "application/json", "text/html"):
        response = client.post(URL, data=json.dumps(profile), content_type="application/json", headers={"Accept": accept})
        assert response.mimetype == "application/json"


@pytest.mark.parametrize("field, value", [
    ("security_hours_per_month", "20"),
    ("security_hours_per_month", True),
    ("patching_staff", 2.5),
    ("patching_staff", "2"),
    ("patching_staff", False),
    ("workload", {"gpu": 1}),
    ("workload", {"privileged": "yes"}),
    ("weights", {"burden": "0.5"}),
])
def test_values_of_the_wrong_json_type_are_a_422_as_the_document_says(client, profile, field, value):
    body = assert_problem(post_json(client, {**profile, field: value}), 422)
    assert field in body["errors"]


def test_a_whole_number_written_with_a_decimal_point_counts_as_an_integer(client, profile):
    response = post_json(client, {**profile, "patching_staff": 3.0})
    assert response.status_code == 200 and response.get_json()["profile"]["patching_staff"] == 3


def test_all_five_weights_at_zero_is_a_422(client, profile):
    zero = dict.fromkeys(("burden", "patching", "customisation", "isolation", "simplicity"), 0)
    body = assert_problem(post_json(client, {**profile, "weights": zero}), 422)
    assert "weights" in body["errors"]
