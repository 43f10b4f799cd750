"""A portfolio in one request: one result per profile, in order, and a bad profile spoils only itself."""
import json

import pytest

from schemas.batch import BatchResponseSchema, ProblemSchema
from schemas.robustness import RobustnessSchema

URL = "/api/v1/recommendations/batch"
GOOD = {"security_hours_per_month": 20, "patching_staff": 0, "customisation": "low", "isolation": "standard"}


def post_batch(client, profiles, **extra):
    return client.post(URL, data=json.dumps({"profiles": profiles, **extra}), content_type="application/json")


def assert_problem(response, status):
    assert response.status_code == status
    assert response.mimetype == "application/problem+json"
    return response.get_json(force=True)


def test_each_result_is_what_the_single_endpoint_answers_in_the_order_sent(client):
    profiles = [{**GOOD, "security_hours_per_month": hours, "name": f"app {hours}"} for hours in (0, 20, 66, 90, 500)]
    response = post_batch(client, profiles)
    assert response.status_code == 200 and response.mimetype == "application/json"
    results = response.get_json()["results"]
    assert [r["profile"]["name"] for r in results] == [p["name"] for p in profiles]
    for result, profile in zip(results, profiles):
        assert result == client.post("/api/v1/recommendations", json=profile).get_json()
        assert RobustnessSchema().validate(result["robustness"]) == {}


def test_a_bad_profile_gets_its_own_problem_and_the_others_are_answered(client):
    profiles = [GOOD, {**GOOD, "patching_staff": -1, "colour": "red"}, GOOD, "not a profile",
                {**GOOD, "services": ["ec2", "mainframe"]}, {**GOOD, "workload": {"max_duration_minutes": 60}}]
    results = post_batch(client, profiles).get_json()["results"]
    assert ["ranking" in r for r in results] == [True, False, True, False, False, True]
    for index in (1, 3, 4):
        problem = results[index]
        assert ProblemSchema().validate(problem) == {}
        assert problem["status"] == 422 and problem["type"] == "about:blank"
        assert problem["instance"] == f"{URL}#/profiles/{index}"
    assert set(results[1]["errors"]) == {"patching_staff", "colour"}
    assert "patching_staff" in results[1]["detail"]
    assert results[3]["detail"] == "A profile must be a JSON object."
    assert "services" in results[4]["errors"]
    assert results[5]["ranking"][-1]["service"] == "lambda"


def test_the_answer_matches_the_documented_shape(client):
    body = post_batch(client, [GOOD, {}]).get_json()
    assert BatchResponseSchema().validate(body) == {}
    assert len(body["results"]) == 2


def test_the_same_batch_gives_the_same_bytes(client):
    profiles = [GOOD, {**GOOD, "isolation": "dedicated"}, {"bad": True}]
    assert post_batch(client, profiles).data == post_batch(client, profiles).data


def test_more_profiles_than_the_default_limit_of_1000_is_a_422_naming_profiles(client, app):
    assert app.config["ADVISOR_BATCH_LIMIT"] == 1000
    body = assert_problem(post_batch(client, [{}] * 1001), 422)
    assert "profiles" in body["errors"] and "1,000" in body["detail"]


def test_the_batch_limit_is_configuration(make_app, tmp_path):
    client = make_app(DATABASE_URL=f"sqlite:///{tmp_path / 'b.sqlite3'}", ADVISOR_BATCH_LIMIT=3).test_client()
    assert post_batch(client, [GOOD] * 3).status_code == 200
    assert "profiles" in assert_problem(post_batch(client, [GOOD] * 4), 422)["errors"]


def test_the_limits_come_from_the_environment(monkeypatch, make_app, tmp_path):
    monkeypatch.setenv("ADVISOR_BATCH_LIMIT", "7")
    monkeypatch.setenv("ADVISOR_MAX_BATCH_BODY_BYTES", "12345")
    app = make_app(DATABASE_URL=f"sqlite:///{tmp_path / 'e.sqlite3'}")
    assert (app.config["ADVISOR_BATCH_LIMIT"], app.config["ADVISOR_MAX_BATCH_BODY_BYTES"]) == (7, 12345)


@pytest.mark.parametrize("body, named", [
    ({}, "profiles"), ({"profiles": GOOD}, "profiles"), ({"profiles": []}, "profiles"),
    ({"profiles": [GOOD], "format": "csv"}, "format"),
])
def test_a_batch_without_a_list_of_profiles_is_a_422_naming_the_field(client, body, named):
    response = client.post(URL, data=json.dumps(body), content_type="application/json")
    assert named in assert_problem(response, 422)["errors"]


def test_malformed_json_is_a_400_and_another_media_type_a_415(client):
    assert_problem(client.post(URL, data="{", content_type="application/json"), 400)
    assert_problem(client.post(URL, data="profiles=1", content_type="application/x-www-form-urlencoded"), 415)


def test_a_batch_may_be_larger_than_a_single_request_up_to_its_own_limit(make_app, tmp_path):
    client = make_app(DATABASE_URL=f"sqlite:///{tmp_path / 'l.sqlite3'}", MAX_CONTENT_LENGTH=2_000,
                      ADVISOR_MAX_BATCH_BODY_BYTES=20_000).test_client()
    profiles = [{**GOOD, "name": f"service {i:03d} " + "x" * 150} for i in range(40)]  # about 9 kB
    assert len(json.dumps({"profiles": profiles})) > 2_000
    assert post_batch(client, profiles).status_code == 200
    single = client.post("/api/v1/recommendations", data=json.dumps({**GOOD, "name": "y" * 2_100}),
                         content_type="application/json")
    assert "2,000 bytes" in assert_problem(single, 413)["detail"]
    too_big = assert_problem(post_batch(client, profiles * 3), 413)
    assert "20,000 bytes" in too_big["detail"]
