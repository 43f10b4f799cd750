"""The shipped knowledge base reproduces the four models of the seed article and cites every fact."""
import pytest

from advisor.knowledge import layer_node, service_node

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
