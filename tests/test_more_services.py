"""EKS, EKS on Fargate, ECS Managed Instances and Lambda Managed Instances: data files only, split as AWS states it."""
from dataclasses import replace

import pytest

from advisor import Profile, Workload, rank

BASE = Profile(security_hours_per_month=20, patching_staff=0, customisation="low", isolation="standard")
NEW = ("eks", "eks_fargate", "ecs_managed_instances", "lambda_managed_instances")
ALL = ("ec2", "ecs", "fargate", "lambda") + NEW


def owner(kb, service_id, layer_id):
    return kb.services[service_id].ownership[layer_id].owner


def blocked(kb, workload, services=ALL, **changes):
    rec = rank(kb, replace(BASE, workload=workload, services=services, **changes))
    return {r.service for r in rec.ranking if not r.eligible}


def test_eks_node_groups_hand_the_control_plane_to_aws_and_leave_node_patching_and_scaling_with_the_team(kb):
    assert owner(kb, "eks", "orchestration") == "shared"  # AWS runs it; the team starts version upgrades
    assert owner(kb, "eks", "guest_os") == "shared"
    assert owner(kb, "eks", "container_runtime") == "shared"
    assert owner(kb, "eks", "capacity") == "customer"
    assert "EKS-optimized AMI" in kb.services["eks"].ownership["guest_os"].note
    # Rolling AWS's patched images is lighter than building them, but it is still patching work, and the
    # same on ECS and EKS node groups; Kubernetes upgrades and access add to EKS.
    assert 0 < kb.views["eks"].patching_staff_needed == kb.views["ecs"].patching_staff_needed
    assert kb.views["fargate"].burden_hours < kb.views["ecs"].burden_hours < kb.views["eks"].burden_hours


def test_eks_on_fargate_gives_the_instance_os_runtime_and_capacity_to_aws(kb):
    for layer in ("guest_os", "container_runtime", "capacity"):
        assert owner(kb, "eks_fargate", layer) == "aws"
    assert owner(kb, "eks_fargate", "orchestration") == "shared"
    assert "pod disruption budgets" in kb.services["eks_fargate"].ownership["guest_os"].note
    assert kb.views["eks_fargate"].patching_staff_needed == 0
    assert kb.services["eks_fargate"].isolation["strong"].support == "yes"


def test_ecs_managed_instances_hand_instance_patching_to_aws_but_pack_tasks_together(kb):
    assert owner(kb, "ecs_managed_instances", "guest_os") == "aws"
    assert owner(kb, "ecs_managed_instances", "capacity") == "aws"
    assert kb.views["ecs_managed_instances"].patching_staff_needed == 0
    strong = kb.services["ecs_managed_instances"].isolation["strong"]
    assert strong.support == "with_effort"
    assert "Nitro Sandbox" in strong.note and "share its kernel" in strong.note


def test_lambda_managed_instances_are_bounded_by_the_capacity_provider_not_firecracker(kb):
    strong = kb.services["lambda_managed_instances"].isolation["strong"]
    assert strong.support != "yes"
    assert "capacity provider" in strong.note and "Firecracker" in strong.note
    assert kb.services["lambda"].isolation["strong"].support == "yes"
    assert owner(kb, "lambda_managed_instances", "capacity") == "shared"


def test_the_new_services_stay_out_of_the_default_ranking_until_named(kb):
    assert kb.default_services == ("ec2", "ecs", "fargate", "lambda")
    assert {r.service for r in rank(kb, BASE).ranking} == {"ec2", "ecs", "fargate", "lambda"}
    named = rank(kb, replace(BASE, services=ALL))
    assert sorted(r.service for r in named.ranking) == sorted(ALL)
    assert [r.rank for r in named.ranking] == list(range(1, 9))


@pytest.mark.parametrize("service_id", ALL)
def test_every_fact_of_every_service_is_cited(kb, service_id):
    service = kb.services[service_id]
    sources = [o.source for o in service.ownership.values()] + [l.source for l in service.limits]
    sources += [i.source for i in service.isolation.values()] + [service.customisation_source]
    assert all(s == "seed" or s.startswith("https://") for s in sources)
    for own in service.ownership.values():
        if own.owner == "shared":
            assert own.team_share_basis.startswith("assumption") and own.note


@pytest.mark.parametrize("workload, expected", [
    (Workload(gpu=True), {"lambda", "fargate", "eks_fargate", "lambda_managed_instances"}),
    (Workload(gpu=True, lambda_package="image"), {"lambda", "fargate", "eks_fargate"}),
    (Workload(privileged=True), {"lambda", "fargate", "eks_fargate", "lambda_managed_instances"}),
    (Workload(daemonsets=True), {"eks_fargate"}),
    (Workload(os="windows"), {"lambda", "eks_fargate", "lambda_managed_instances", "ecs_managed_instances"}),
    (Workload(arch="arm64"), {"eks_fargate"}),
    (Workload(vcpu=17), {"fargate", "eks_fargate", "lambda"}),
    (Workload(memory_gb=121), {"lambda", "fargate", "eks_fargate"}),
    (Workload(ephemeral_storage_gb=180), {"lambda", "eks_fargate"}),
    (Workload(always_on=True), {"lambda", "lambda_managed_instances"}),
])
def test_each_new_limit_blocks_exactly_the_services_that_have_it(kb, workload, expected):
    assert blocked(kb, workload) == expected


def test_lambda_managed_instances_run_for_ninety_minutes_but_only_when_started_asynchronously(kb):
    assert blocked(kb, Workload(max_duration_minutes=60)) == {"lambda"}
    assert blocked(kb, Workload(max_duration_minutes=60, invocation="async")) == {"lambda"}
    assert blocked(kb, Workload(max_duration_minutes=60, invocation="sync")) == {"lambda", "lambda_managed_instances"}
    assert blocked(kb, Workload(max_duration_minutes=100)) == {"lambda", "lambda_managed_instances"}


def test_lambda_managed_instances_offer_gpus_to_x86_functions_only(kb):
    assert "lambda_managed_instances" not in blocked(kb, Workload(gpu=True, lambda_package="image"))
    assert "lambda_managed_instances" in blocked(kb, Workload(gpu=True, arch="arm64", lambda_package="image"))
    assert "lambda_managed_instances" in blocked(kb, Workload(gpu=True))  # a .zip function gets no GPU
    assert "lambda_managed_instances" not in blocked(kb, Workload(arch="arm64"))
    sentence = next(b.sentence for r in rank(kb, replace(BASE, workload=Workload(gpu=True, arch="arm64",
                                                                                   lambda_package="image"),
                                                         services=("lambda_managed_instances",))).ranking
                    for b in r.blockers)
    assert sentence == ("A workload that needs Arm (arm64) processors cannot run here: AWS Lambda Managed Instances "
                        "offers GPUs only to x86-64 functions")


def test_dedicated_hardware_rules_out_every_new_service_but_eks_node_groups(kb):
    # EKS node groups run on Dedicated Hosts; Fargate, Lambda and the AWS-run instances do not.
    assert blocked(kb, Workload(), isolation="dedicated") == {"fargate", "lambda"} | set(NEW) - {"eks"}


def test_the_api_lists_all_services_and_ranks_the_new_ones_on_request(client, profile):
    services = {s["id"]: s for s in client.get("/api/v1/services").get_json()["services"]}
    assert set(services) == set(ALL)
    assert [sid for sid, s in services.items() if s["default"]] == ["ec2", "ecs", "fargate", "lambda"]
    body = client.post("/api/v1/recommendations", json={**profile, "services": list(NEW)}).get_json()
    assert {r["service"] for r in body["ranking"]} == set(NEW)
    detail = client.get("/api/v1/services/eks_fargate").get_json()
    assert {l["field"] for l in detail["limits"]} >= {"workload.daemonsets", "workload.arch"}


@pytest.mark.parametrize("workload, field", [
    ({"arch": "sparc"}, "arch"), ({"invocation": "sometimes"}, "invocation"), ({"daemonsets": "sometimes"}, "daemonsets"),
])
def test_bad_values_for_the_new_workload_fields_are_a_422_naming_them(client, profile, workload, field):
    response = client.post("/api/v1/recommendations", json={**profile, "workload": workload})
    assert response.status_code == 422
    assert field in response.get_json()["errors"]["workload"]
