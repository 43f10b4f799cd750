"""The fixture knowledge base loads, and the app built on it answers from its figures, not AWS's."""
from dataclasses import replace

from advisor import Profile, Workload, rank

BASE = Profile(security_hours_per_month=20, patching_staff=0, customisation="low", isolation="standard")


def test_the_team_burden_is_the_sum_of_the_hours_of_the_layers_it_owns(fixture_kb):
    assert {sid: view.burden_hours for sid, view in fixture_kb.views.items()} == {
        "machines": 28.0, "cluster": 20.0, "tasks": 7.5, "functions": 5.0}
    assert fixture_kb.full_stack_hours == 148.0


def test_the_overlay_party_takes_its_layers_off_the_team(fixture_kb):
    views = fixture_kb.overlay_views["platform_team"]
    assert views["machines"].burden_hours == 18.0
    assert [entry["id"] for entry in views["cluster"].party_owns] == ["guest_os", "runtime"]


def test_a_limit_blocks_exactly_the_service_that_declares_it(fixture_kb):
    recommendation = rank(fixture_kb, replace(BASE, workload=Workload(max_duration_minutes=60)))
    assert {r.service for r in recommendation.ranking if not r.eligible} == {"functions"}
    assert recommendation.ranking[-1].service == "functions"


def test_the_app_on_the_fixture_ranks_the_fixture_services(fixture_client, profile):
    response = fixture_client.post("/api/v1/recommendations", json=profile)
    assert response.status_code == 200
    assert [entry["service"] for entry in response.json["ranking"]] == ["functions", "tasks", "machines"]
    assert response.json["ranking"][0]["burden_hours_per_month"] == 5.0


def test_the_api_document_builds_its_examples_from_whatever_knowledge_base_is_loaded(fixture_client):
    assert fixture_client.get("/api/v1/openapi.json").status_code == 200
    assert fixture_client.get("/api/docs").status_code == 200
