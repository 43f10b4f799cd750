"""Comparing two services: which layers the team hands to AWS or takes back, and the hours that move."""
import itertools

import pytest

from advisor import GraphDocuments, UnknownServiceError, build_knowledge_base
from advisor.compare import compare
from schemas.compare import CompareResponseSchema

SERVICES = ["ec2", "ecs", "fargate", "lambda"]
PAIRS = list(itertools.permutations(SERVICES, 2))


def ids(layers):
    return [layer["id"] for layer in layers]


def team_share(kb, service, layer):
    return kb.views[service].ownership[layer].team_share


@pytest.mark.parametrize("old, new", PAIRS)
def test_swapping_from_and_to_swaps_the_lists_and_negates_the_burden_change(kb, old, new):
    forward, backward = compare(kb, old, new), compare(kb, new, old)
    assert ids(forward["handed_to_aws"]) == ids(backward["taken_back"])
    assert ids(forward["taken_back"]) == ids(backward["handed_to_aws"])
    assert [l["hours_per_month"] for l in forward["handed_to_aws"]] == \
        [l["hours_per_month"] for l in backward["taken_back"]]
    assert forward["burden_change_hours_per_month"] == -backward["burden_change_hours_per_month"]
    assert forward["patching_staff_change"] == -backward["patching_staff_change"]
    assert forward["limits"]["added"] == backward["limits"]["removed"]


@pytest.mark.parametrize("old, new", PAIRS)
def test_the_lists_agree_with_each_services_ownership(kb, old, new):
    result = compare(kb, old, new)
    handed, taken = set(ids(result["handed_to_aws"])), set(ids(result["taken_back"]))
    unchanged = set(ids(result["unchanged_team_layers"]))
    for layer in kb.layers:
        before, after = team_share(kb, old, layer), team_share(kb, new, layer)
        assert (layer in handed) == (after < before), layer
        assert (layer in taken) == (after > before), layer
        assert (layer in unchanged) == (after == before > 0), layer
    for entry in result["handed_to_aws"] + result["taken_back"]:
        assert entry["from_owner"] == kb.views[old].ownership[entry["id"]].owner
        assert entry["to_owner"] == kb.views[new].ownership[entry["id"]].owner
        assert entry["from_source"] and entry["to_source"]


@pytest.mark.parametrize("old, new", PAIRS)
def test_the_burden_change_is_the_hours_taken_back_minus_the_hours_handed_over(kb, old, new):
    result = compare(kb, old, new)
    moved = sum(l["hours_per_month"] for l in result["taken_back"]) - \
        sum(l["hours_per_month"] for l in result["handed_to_aws"])
    assert result["burden_change_hours_per_month"] == pytest.approx(moved, abs=0.011)
    assert result["burden_change_hours_per_month"] == pytest.approx(
        kb.views[new].burden_hours - kb.views[old].burden_hours)


def test_moving_from_instances_to_serverless_containers_hands_over_the_os_and_half_the_runtime(fixture_kb):
    result = compare(fixture_kb, "cluster", "tasks")
    handed = {l["id"]: l for l in result["handed_to_aws"]}
    assert list(handed) == ["guest_os", "runtime"]
    assert handed["guest_os"]["hours_per_month"] == 10
    assert (handed["runtime"]["from_owner"], handed["runtime"]["to_owner"], handed["runtime"]["hours_per_month"]) == \
        ("customer", "shared", 2.5)
    assert result["taken_back"] == []
    assert result["burden_change_hours_per_month"] == -12.5
    assert result["patching_staff_change"] == -1.25
    assert "hands 2 layers (12.5 hours a month) to AWS" in result["summary"]


def test_a_shared_layer_counts_only_the_teams_share(kb):
    # Lambda keeps a quarter of the language runtime; on Fargate the team owns all of it, and its base image.
    taken = compare(kb, "lambda", "fargate")["taken_back"]
    assert [(l["id"], l["from_owner"], l["to_owner"], l["hours_per_month"]) for l in taken] == \
        [("base_image", "aws", "customer", 3.0), ("language_runtime", "shared", "customer", 3.0)]


def test_a_service_compared_with_itself_moves_nothing(kb):
    result = compare(kb, "ec2", "ec2")
    assert result["handed_to_aws"] == result["taken_back"] == []
    assert result["burden_change_hours_per_month"] == 0
    assert len(result["unchanged_team_layers"]) == len(kb.views["ec2"].team_owns)


def test_an_unknown_service_is_refused_by_the_core(kb):
    with pytest.raises(UnknownServiceError):
        compare(kb, "ecs", "mainframe")


def _tiny_kb(second_owner: dict):
    """Two layers and two services: `first` shares the app layer half and half, `second` as given."""
    source = "https://docs.aws.amazon.com/"
    layers = [
        {"id": "metal", "name": "Metal", "description": "d", "skills": [], "runs_on": [], "hours_per_month": 10,
         "hours_basis": "assumption", "incidents": []},
        {"id": "app", "name": "App", "description": "d", "skills": [], "runs_on": ["metal"], "hours_per_month": 8,
         "hours_basis": "assumption", "incidents": []},
        {"id": "keys", "name": "Keys", "description": "d", "skills": [], "runs_on": [], "hours_per_month": 0,
         "hours_basis": "assumption", "incidents": []},
    ]
    isolation = {"standard": {"support": "yes", "note": "n", "source": source}}

    def service(sid, ownership):
        return (f"services/{sid}.toml", {"id": sid, "name": sid.title(), "model": "m", "summary": "s", "default": True,
                                         "customisation": {"level": "low", "note": "n", "source": source},
                                         "isolation": isolation, "ownership": ownership, "limits": []})

    first = {"metal": {"owner": "aws", "source": source},
             "app": {"owner": "shared", "team_share": 0.5, "source": source, "note": "n"},
             "keys": {"owner": "customer", "source": source}}
    meta = {"version": "t", "reviewed_on": __import__("datetime").date(2026, 1, 1), "title": "t",
            "customisation_levels": [{"id": "low", "name": "Low", "description": "d"}],
            "isolation_levels": [{"id": "standard", "name": "Standard", "description": "d"}]}
    return build_knowledge_base(GraphDocuments(
        meta=("knowledge_base.toml", meta), layers=("layers.toml", layers), incidents=("incidents.toml", []),
        services=[service("first", first), service("second", {"metal": {"owner": "aws", "source": source},
                                                               **second_owner})]))


def test_shared_to_aws_hands_over_the_share_the_team_still_had():
    kb = _tiny_kb({"app": {"owner": "aws", "source": "seed"}, "keys": {"owner": "customer", "source": "seed"}})
    result = compare(kb, "first", "second")
    assert [(l["id"], l["hours_per_month"], l["from_team_share"], l["to_team_share"]) for l in
            result["handed_to_aws"]] == [("app", 4.0, 0.5, 0.0)]
    assert result["burden_change_hours_per_month"] == -4


def test_a_smaller_share_of_a_shared_layer_is_handed_over_in_part():
    kb = _tiny_kb({"app": {"owner": "shared", "team_share": 0.25, "source": "seed", "note": "n"},
                   "keys": {"owner": "customer", "source": "seed"}})
    handed = compare(kb, "first", "second")["handed_to_aws"]
    assert [(l["id"], l["from_owner"], l["to_owner"], l["hours_per_month"]) for l in handed] == \
        [("app", "shared", "shared", 2.0)]


def test_a_layer_of_no_hours_still_moves_by_its_owner():
    kb = _tiny_kb({"app": {"owner": "shared", "team_share": 0.5, "source": "seed", "note": "n"},
                   "keys": {"owner": "aws", "source": "seed"}})
    result = compare(kb, "first", "second")
    assert [(l["id"], l["hours_per_month"]) for l in result["handed_to_aws"]] == [("keys", 0.0)]
    assert ids(result["unchanged_team_layers"]) == ["app"]
    assert ids(compare(kb, "second", "first")["taken_back"]) == ["keys"]


# -- the API ---------------------------------------------------------------------------------

def test_the_compare_endpoint_answers_the_documented_shape(fixture_client):
    response = fixture_client.get("/api/v1/compare?from=cluster&to=tasks")
    assert response.status_code == 200
    body = response.get_json()
    assert (body["from"], body["to"], body["burden_change_hours_per_month"]) == ("cluster", "tasks", -12.5)
    assert CompareResponseSchema().validate(body) == {}
    assert {"id", "name", "hours_per_month", "from_owner", "to_owner", "from_source", "to_source"} <= \
        set(body["handed_to_aws"][0])


def test_the_endpoint_swapped_negates_the_burden_change(fixture_client):
    there = fixture_client.get("/api/v1/compare?from=machines&to=functions").get_json()
    back = fixture_client.get("/api/v1/compare?to=machines&from=functions").get_json()
    assert there["burden_change_hours_per_month"] == -back["burden_change_hours_per_month"] == -23
    assert ids(there["handed_to_aws"]) == ids(back["taken_back"])


@pytest.mark.parametrize("query", ["from=mainframe&to=ecs", "from=ecs&to=mainframe"])
def test_an_unknown_service_is_a_404_problem(client, query):
    response = client.get(f"/api/v1/compare?{query}")
    assert response.status_code == 404 and response.mimetype == "application/problem+json"
    assert "mainframe" in response.get_json()["detail"]


@pytest.mark.parametrize("query, missing", [("to=ecs", "from"), ("from=ecs", "to"), ("", "from"),
                                            ("from=&to=ecs", "from")])
def test_a_missing_parameter_is_a_400_naming_it(client, query, missing):
    response = client.get(f"/api/v1/compare?{query}")
    assert response.status_code == 400 and response.mimetype == "application/problem+json"
    body = response.get_json()
    assert missing in body["errors"] and missing in body["detail"]


@pytest.mark.parametrize("query, named", [("from=ecs&to=ec2&colour=red", "colour"),
                                          ("from=ecs&from=ec2&to=lambda", "from")])
def test_an_unknown_or_repeated_parameter_is_a_400_naming_it(client, query, named):
    response = client.get(f"/api/v1/compare?{query}")
    assert response.status_code == 400
    assert named in response.get_json()["errors"]
