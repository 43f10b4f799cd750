"""Organisation overlays: an internal party takes layers over from the team, and every answer shows three parties."""
import shutil
from dataclasses import replace

import pytest

from adapters.graph_files import load_knowledge_base
from advisor import KnowledgeBaseError, Profile, ProfileError, rank
from advisor.snapshot import knowledge_snapshot

BASE = Profile(security_hours_per_month=20, patching_staff=0, customisation="low", isolation="standard")

SECURITY_TEAM = """
id = "security_team"
name = "A central security team"

[[parties]]
id = "secops"
name = "Security operations"

[[reassign]]
party = "secops"
service = "fargate"
layers = ["logging", "data"]
note = "Security operations runs the log pipeline and the key management for every team."
"""


def team_layers(view):
    return {e["id"] for e in view.team_owns}


def write_overlay(folder, text, name="security_team.toml"):
    (folder / "overlays").mkdir(exist_ok=True)
    (folder / "overlays" / name).write_text(text)
    return f"overlays/{name}"


def load_error(folder) -> KnowledgeBaseError:
    with pytest.raises(KnowledgeBaseError) as info:
        load_knowledge_base(folder)
    return info.value


def test_the_platform_team_overlay_moves_exactly_the_layers_it_names_and_their_hours(kb):
    base, moved = kb.views["ecs"], kb.overlay_views["platform_team"]["ecs"]
    assert team_layers(base) - team_layers(moved) == {"guest_os", "container_runtime", "capacity"}
    assert team_layers(moved) < team_layers(base)
    assert [e["id"] for e in moved.party_owns] == ["guest_os", "container_runtime", "capacity"]
    hours = sum(e["hours_per_month"] for e in base.team_owns if e["id"] in team_layers(base) - team_layers(moved))
    assert base.burden_hours - moved.burden_hours == hours == moved.party_hours
    assert moved.patching_staff_needed == 0 < base.patching_staff_needed
    assert moved.aws_owns == base.aws_owns


def test_services_the_overlay_does_not_name_keep_their_split(kb):
    for sid in ("fargate", "lambda", "eks_fargate"):
        view = kb.overlay_views["platform_team"][sid]
        assert view.team_owns == kb.views[sid].team_owns and view.party_owns == ()


def test_a_shared_layer_moves_only_the_teams_part_and_aws_keeps_its_own(graph_copy):
    write_overlay(graph_copy, SECURITY_TEAM)
    kb = load_knowledge_base(graph_copy)
    base, moved = kb.views["fargate"], kb.overlay_views["security_team"]["fargate"]
    assert team_layers(base) - team_layers(moved) == {"logging", "data"}
    assert "data" in {e["id"] for e in moved.aws_owns}
    data = next(e for e in moved.party_owns if e["id"] == "data")
    assert data["owner"] == "shared" and data["party_name"] == "Security operations"
    assert base.burden_hours - moved.burden_hours == kb.layers["logging"].hours_per_month + data["hours_per_month"]
    assert data["hours_per_month"] == kb.layers["data"].hours_per_month * kb.services["fargate"].ownership["data"].team_share


def test_with_an_overlay_the_ranking_and_its_reasons_show_three_parties(fixture_kb):
    plain = {r.service: r for r in rank(fixture_kb, replace(BASE, services=("cluster", "tasks"))).ranking}
    rec = rank(fixture_kb, replace(BASE, services=("cluster", "tasks"), overlay="platform_team"))
    cluster = next(r for r in rec.ranking if r.service == "cluster")
    assert rec.overlay == {"id": "platform_team", "name": "A platform team runs the instances",
                           "parties": [{"id": "platform", "name": "Platform team"}]}
    assert {e["party_name"] for e in cluster.party_owns} == {"Platform team"}
    # the party takes the instance OS (10 h) and the runtime (5 h)
    assert cluster.burden_hours_per_month == plain["cluster"].burden_hours_per_month - 15
    assert cluster.score > plain["cluster"].score
    assert any(r.startswith("Platform team would own 15 hours a month") for r in cluster.reasons)
    assert any("Platform team patches the instance operating system" in r and "no patching staff" in r
               for r in cluster.reasons)
    assert not any(r.startswith("AWS patches") for r in cluster.reasons)


def test_an_unknown_overlay_is_refused_by_name(kb):
    with pytest.raises(ProfileError) as info:
        rank(kb, replace(BASE, overlay="skunkworks"))
    assert set(info.value.errors) == {"overlay"}


def test_the_snapshot_records_the_party_as_owner_for_reports(fixture_kb):
    snap = knowledge_snapshot(fixture_kb, ("cluster", "tasks", "machines"), "platform_team")
    cell = snap["matrix"]["guest_os"]["cluster"]
    assert cell["owner"] == "party:platform" and cell["party_name"] == "Platform team"
    assert snap["matrix"]["guest_os"]["tasks"]["owner"] == "aws"
    assert snap["overlay"]["parties"] == [{"id": "platform", "name": "Platform team"}]
    assert knowledge_snapshot(fixture_kb, ("cluster",))["matrix"]["guest_os"]["cluster"]["owner"] == "customer"


def test_who_acts_keeps_the_two_party_view_beside_every_party_that_acts(fixture_kb):
    """"acts" is AWS's view (aws, team or both; a party is on the team's side); "actors" names each party."""
    snap = knowledge_snapshot(fixture_kb, ("cluster", "tasks", "machines"), "platform_team")
    runtime = next(i for i in snap["incidents"] if i["id"] == "runtime_flaw")["who_acts"]
    # the party alone: the runtime is wholly the platform team's on Cluster
    assert runtime["cluster"] == {"acts": "team", "team_layers": [], "party_layers": ["runtime"],
                                  "actors": ["party:platform"]}
    # the party and AWS: on Tasks the platform team took the team's half of a shared runtime
    assert runtime["tasks"] == {"acts": "both", "team_layers": [], "party_layers": ["runtime"],
                                "actors": ["aws", "party:platform"]}
    # no party: the team alone
    assert runtime["machines"] == {"acts": "team", "team_layers": ["runtime"]}


def test_the_api_ranks_with_an_overlay_and_names_the_overlay_field_when_unknown(fixture_client, profile):
    client = fixture_client
    body = client.post("/api/v1/recommendations", json={**profile, "overlay": "platform_team"}).get_json()
    machines = next(r for r in body["ranking"] if r["service"] == "machines")
    assert {e["id"] for e in machines["party_owns"]} == {"guest_os"}
    assert machines["party_hours_per_month"] == 10
    assert body["overlay"]["id"] == "platform_team" and body["profile"]["overlay"] == "platform_team"
    for bad in ("skunkworks", "Not An Id"):
        response = client.post("/api/v1/recommendations", json={**profile, "overlay": bad})
        assert response.status_code == 422 and set(response.get_json()["errors"]) == {"overlay"}
    plain = client.post("/api/v1/recommendations", json=profile).get_json()
    assert plain["overlay"] is None and "overlay" not in plain["profile"]


def test_a_saved_assessment_keeps_the_overlay_in_its_snapshot(client, profile):
    created = client.post("/api/v1/assessments", json={**profile, "overlay": "platform_team"}).get_json()
    assert created["recommendation"]["overlay"]["id"] == "platform_team"
    assert created["recommendation"]["profile"]["overlay"] == "platform_team"
    store = client.application.extensions["advisor.store"]
    knowledge = store.get(created["id"]).result["knowledge"]
    assert knowledge["matrix"]["capacity"]["ecs"]["owner"] == "party:platform"
    assert knowledge["matrix"]["container_runtime"]["ecs"]["party"] == "platform"


def test_a_knowledge_base_without_overlays_loads_and_has_none(graph_copy):
    shutil.rmtree(graph_copy / "overlays")
    kb = load_knowledge_base(graph_copy)
    assert kb.overlays == {} and kb.overlay_views == {}


@pytest.mark.parametrize("old, new, field, fragment", [
    ('layers = ["logging", "data"]', 'layers = ["logging", "logs"]', "reassign[0].layers[1]", "unknown layer 'logs'"),
    ('party = "secops"', 'party = "sec_ops"', "reassign[0].party", "unknown party 'sec_ops'"),
    ('service = "fargate"', 'service = "mainframe"', "reassign[0].service", "unknown service 'mainframe'"),
    ('layers = ["logging", "data"]', 'layers = ["logging", "guest_os"]', "reassign[0].layers[1]", "the team does not own 'guest_os'"),
    ('id = "secops"', 'id = "aws"', "parties[0].id", "reserved"),
    ('note = "Security', 'colour = "red"\nnote = "Security', "reassign[0].colour", "Unknown field"),
    ('layers = ["logging", "data"]', 'layers = []', "reassign[0].layers", "Shorter than minimum"),
])
def test_a_bad_overlay_fails_naming_its_file_and_field(graph_copy, old, new, field, fragment):
    assert old in SECURITY_TEAM
    file = write_overlay(graph_copy, SECURITY_TEAM.replace(old, new, 1))
    err = load_error(graph_copy)
    assert (err.file, err.field) == (file, field)
    assert fragment in err.message


def test_a_layer_moved_twice_is_refused(graph_copy):
    file = write_overlay(graph_copy, SECURITY_TEAM + """
[[reassign]]
party = "secops"
service = "fargate"
layers = ["iam", "logging"]
note = "Twice."
""")
    err = load_error(graph_copy)
    assert (err.file, err.field) == (file, "reassign[1].layers[1]") and "already moved by reassign[0]" in err.message


def test_a_party_cannot_own_a_layer_resting_on_one_the_team_keeps(graph_copy):
    text = SECURITY_TEAM.replace('service = "fargate"\nlayers = ["logging", "data"]',
                                 'service = "ecs"\nlayers = ["container_runtime"]')
    file = write_overlay(graph_copy, text)
    err = load_error(graph_copy)
    assert (err.file, err.field) == (file, "reassign[0].layers")
    assert "the team keeps 'guest_os' beneath it" in err.message


def test_two_overlays_with_one_id_are_refused(graph_copy):
    write_overlay(graph_copy, SECURITY_TEAM)
    file = write_overlay(graph_copy, SECURITY_TEAM, name="zz_copy.toml")
    err = load_error(graph_copy)
    assert (err.file, err.field) == (file, "id")
