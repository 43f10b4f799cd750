"""The AWS facts: the shipped knowledge base in graph_data/ says what the sources say.

This is the one place tests read the production data. Updating a fact in graph_data/ (an owner, a limit,
an hour figure) changes what these tests expect and nothing else; every other test runs on the fixture
knowledge base in tests/fixtures/graph_data.
"""
from dataclasses import replace

import pytest

from advisor import Profile, Workload, rank
from advisor.knowledge import layer_node, service_node

BASE = Profile(security_hours_per_month=20, patching_staff=0, customisation="low", isolation="standard")

ABOVE_VIRTUALIZATION = {"guest_os", "container_runtime", "base_image", "orchestration", "capacity",
                        "language_runtime", "dependencies", "application_code", "resource_config", "iam", "data",
                        "logging"}
# The seed article's EC2 model: containers on a Kubernetes cluster the team runs itself.
SEED_EC2 = {"on_ec2": "kubernetes"}


def team_layers(kb, service_id, choices=None):
    return {entry["id"] for entry in kb.view(service_id, choices=choices).team_owns}


def aws_only_layers(kb, service_id):
    return {l for l, own in kb.services[service_id].ownership.items() if own.owner == "aws"}


def test_on_ec2_the_team_owns_everything_above_virtualization(kb):
    assert team_layers(kb, "ec2", SEED_EC2) == ABOVE_VIRTUALIZATION
    assert aws_only_layers(kb, "ec2") == {"facilities", "hardware", "virtualization", "host_os"}


def test_ecs_hands_the_control_plane_to_aws_and_nothing_else(kb):
    assert team_layers(kb, "ec2", SEED_EC2) - team_layers(kb, "ecs") == {"orchestration"}
    assert "orchestration" in aws_only_layers(kb, "ecs")
    assert {"guest_os", "container_runtime", "capacity"} <= team_layers(kb, "ecs")


def test_fargate_also_hands_over_the_instance_os_its_patching_and_capacity(kb):
    moved = team_layers(kb, "ecs") - team_layers(kb, "fargate")
    assert moved == {"guest_os", "container_runtime", "capacity"}
    assert kb.views["fargate"].patching_staff_needed == 0


def test_lambda_leaves_the_team_code_dependencies_configuration_and_iam(kb):
    fully_team = {l for l, own in kb.services["lambda"].ownership.items() if own.owner == "customer"}
    assert {"application_code", "dependencies", "resource_config", "iam"} <= fully_team
    assert fully_team <= {"application_code", "dependencies", "resource_config", "iam", "logging"}
    runtime = kb.services["lambda"].ownership["language_runtime"]
    assert runtime.owner == "shared"
    assert "custom runtime" in runtime.note
    image = kb.view("lambda", choices={"lambda_package": "image"}).ownership
    assert image["language_runtime"].owner == image["base_image"].owner == "customer"


def test_ec2_counts_only_the_layers_of_how_the_team_runs_the_application(kb):
    assert team_layers(kb, "ec2", SEED_EC2) - team_layers(kb, "ec2") == {"orchestration"}
    plain = team_layers(kb, "ec2", {"on_ec2": "application"})
    assert ABOVE_VIRTUALIZATION - plain == {"orchestration", "container_runtime", "base_image"}


def test_team_burden_falls_strictly_from_ec2_to_ecs_to_fargate_to_lambda(kb):
    burdens = [kb.views[s].burden_hours for s in ("ec2", "ecs", "fargate", "lambda")]
    assert burdens == sorted(burdens, reverse=True)
    assert len(set(burdens)) == 4


def test_the_graph_holds_the_stack_and_every_responsibility_edge(kb):
    graph = kb.graph
    assert graph.has_edge(layer_node("guest_os"), layer_node("host_os"))
    for sid in kb.services:
        for layer_id in kb.layers:
            assert graph.edges[service_node(sid), layer_node(layer_id)]["owner"] in {"aws", "customer", "shared", "none"}


def test_stack_order_puts_facilities_at_the_bottom_and_code_above_its_dependencies(kb):
    order = list(kb.layers)
    assert order[0] == "facilities"
    assert order.index("dependencies") < order.index("application_code")
    assert order.index("guest_os") < order.index("container_runtime")


@pytest.mark.parametrize("service_id", ["ec2", "ecs", "fargate", "lambda"])
def test_every_ownership_fact_carries_an_aws_url_or_the_seed(kb, service_id):
    for own in kb.services[service_id].ownership.values():
        assert own.source == "seed" or own.source.startswith("https://")
    for limit in kb.services[service_id].limits:
        assert limit.source == "seed" or limit.source.startswith("https://")


def test_every_effort_estimate_is_labelled_an_assumption(kb):
    for layer in kb.layers.values():
        assert layer.hours_basis.startswith("assumption")


def test_incidents_land_on_layers(kb):
    assert "guest_os" in kb.incidents["spectre_meltdown"].layers
    assert kb.incidents["log4shell"].layers == ("dependencies",)
    assert kb.incidents["runc_breakout"].layers == ("container_runtime",)


def test_the_version_changes_when_a_file_changes(graph_copy, kb):
    from adapters.graph_files import load_knowledge_base
    assert load_knowledge_base(graph_copy).version == kb.version
    layers = graph_copy / "layers.toml"
    layers.write_text(layers.read_text().replace("hours_per_month = 10\n", "hours_per_month = 11\n", 1))
    assert load_knowledge_base(graph_copy).version != kb.version


def test_a_fifth_service_needs_only_a_data_file(graph_copy):
    from adapters.graph_files import load_knowledge_base
    text = (graph_copy / "services" / "fargate.toml").read_text()
    (graph_copy / "services" / "fargate_spot.toml").write_text(
        text.replace('id = "fargate"', 'id = "fargate_spot"').replace('name = "AWS Fargate (Amazon ECS)"', 'name = "Fargate Spot"'))
    kb = load_knowledge_base(graph_copy)
    assert "fargate_spot" in kb.services
    assert kb.views["fargate_spot"].burden_hours == kb.views["fargate"].burden_hours


# EKS, EKS on Fargate, ECS Managed Instances and Lambda Managed Instances, split as AWS states it.
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
    (Workload(daemonsets=True), {"eks_fargate", "fargate", "lambda"}),  # no agent on every host
    (Workload(os="windows"), {"lambda", "eks_fargate", "lambda_managed_instances", "ecs_managed_instances"}),
    (Workload(os="windows", privileged=True),
     {"lambda", "fargate", "ecs", "eks_fargate", "lambda_managed_instances", "ecs_managed_instances"}),
    (Workload(arch="arm64"), {"eks_fargate"}),
    (Workload(os="windows", arch="arm64"), set(ALL)),  # no AWS compute runs Windows on Arm
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
    lmi = next(r for r in rank(kb, replace(BASE, workload=Workload(max_duration_minutes=60),
                                           services=("lambda_managed_instances",))).ranking)
    assert "This assumes the workload does not need synchronous invocations: a run of 60 minutes exceeds AWS Lambda " \
           "Managed Instances' 15-minute maximum for synchronous invocations." in lmi.reasons


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
    zip_sentence = next(b.sentence for r in rank(kb, replace(BASE, workload=Workload(gpu=True),
                                                             services=("lambda_managed_instances",))).ranking
                        for b in r.blockers)
    # .zip is how the team would package the function (the default), not something the workload needs
    assert zip_sentence == ("With Lambda functions packaged as .zip files, AWS Lambda Managed Instances offers GPUs "
                            "only to functions packaged as container images")


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


def test_the_team_hours_each_service_leaves_are_the_figures_the_answers_quote(kb):
    """Planning figures (assumptions, labelled so in layers.toml): a changed hour figure shows here first."""
    assert {sid: view.burden_hours for sid, view in kb.views.items()} == {
        "ec2": 69.0, "ecs": 58.0, "ecs_managed_instances": 39.0, "eks": 63.0, "eks_fargate": 42.0, "fargate": 37.0,
        "lambda": 31.0, "lambda_managed_instances": 35.0}
    assert {sid: view.application_hours for sid, view in kb.views.items()} == {
        "ec2": 32.0, "ecs": 32.0, "ecs_managed_instances": 32.0, "eks": 32.0, "eks_fargate": 30.0, "fargate": 30.0,
        "lambda": 30.0, "lambda_managed_instances": 30.0}
    ec2 = {choice: kb.view("ec2", choices={"on_ec2": choice}).burden_hours
           for choice in ("application", "containers", "kubernetes")}
    assert ec2 == {"application": 60.0, "containers": 69.0, "kubernetes": 89.0}
    assert kb.view("lambda", choices={"lambda_package": "image"}).burden_hours == 37.0


# Which services each hard limit rules out in the catalog (the limits' figures are on the pages the data cites).
def by_id(recommendation):
    return {r.service: r for r in recommendation.ranking}


def ruled_out(recommendation):
    return {r.service for r in recommendation.ranking if not r.eligible}


def test_a_sixty_minute_run_blocks_lambda_with_a_sentence_naming_limit_and_value(kb):
    rec = rank(kb, replace(BASE, workload=Workload(max_duration_minutes=60)))
    assert ruled_out(rec) == {"lambda"}
    blocker = by_id(rec)["lambda"].blockers[0]
    assert blocker.sentence == "A run of 60 minutes exceeds AWS Lambda's 15-minute maximum"
    assert blocker.field == "workload.max_duration_minutes"
    assert "15 minutes" in blocker.unblock
    assert rec.ranking[-1].service == "lambda"


def test_a_fifteen_minute_run_still_fits_lambda(kb):
    assert ruled_out(rank(kb, replace(BASE, workload=Workload(max_duration_minutes=15)))) == set()


def test_a_gpu_need_blocks_lambda_and_fargate(kb):
    rec = rank(kb, replace(BASE, workload=Workload(gpu=True)))
    assert ruled_out(rec) == {"lambda", "fargate"}
    assert [r.service for r in rec.ranking[2:]] and {r.service for r in rec.ranking[2:]} == {"lambda", "fargate"}
    assert "GPU" in by_id(rec)["fargate"].blockers[0].sentence


def test_dedicated_isolation_blocks_fargate_and_lambda(kb):
    rec = rank(kb, replace(BASE, isolation="dedicated"))
    assert ruled_out(rec) == {"fargate", "lambda"}
    assert by_id(rec)["fargate"].blockers[0].field == "isolation"


@pytest.mark.parametrize("workload, expected", [
    (Workload(privileged=True), {"lambda", "fargate"}),
    (Workload(memory_gb=16), {"lambda"}),
    (Workload(memory_gb=128), {"lambda", "fargate"}),
    (Workload(vcpu=32), {"fargate", "lambda"}),
    (Workload(vcpu=256), {"fargate", "lambda"}),  # ECS on EC2 runs tasks as large as the instance
    (Workload(os="windows"), {"lambda"}),
    (Workload(os="windows", privileged=True), {"lambda", "fargate", "ecs"}),  # ECS gives Windows containers none
    (Workload(os="windows", vcpu=8), {"lambda", "fargate"}),
    # Windows runs on x86-64 only: no Graviton instance takes it, and ECS and Fargate run Arm tasks on Linux only
    (Workload(os="windows", arch="arm64"), {"lambda", "fargate", "ecs", "ec2"}),
    (Workload(os="windows", arch="x86_64"), {"lambda"}),
    (Workload(os="linux", arch="arm64"), set()),
    (Workload(always_on=True), {"lambda"}),
    (Workload(ephemeral_storage_gb=50), {"lambda"}),
    (Workload(ephemeral_storage_gb=500), {"lambda", "fargate"}),
])
def test_each_hard_limit_blocks_exactly_the_services_it_names(kb, workload, expected):
    assert ruled_out(rank(kb, replace(BASE, workload=workload))) == expected


