"""Profiles from infrastructure code: each fixture file gives the fields, services and provenance a reviewer expects."""
from __future__ import annotations

from pathlib import Path

import pytest

from adapters.graph_files import load_knowledge_base
from advisor import KnowledgeBaseError
from advisor.errors import SourceFileError
from advisor.iac import Source, derive, detect_format
from schemas.graph_data import SOURCE_HOSTS

FIXTURES = Path(__file__).parent / "fixtures" / "iac"
# A small table of accelerated families, so these tests do not rest on the shipped knowledge base.
FAMILIES = {family: {"family": family, "accelerator": "gpu", "note": "test", "source": "seed"}
            for family in ("g4dn", "g5")}


def read(*names: str, families=FAMILIES):
    sources = []
    for name in names:
        text = (FIXTURES / name).read_text()
        sources.append(Source(detect_format(name, text), text, name))
    return derive(sources, families)


def origin(derivation, field: str) -> tuple:
    """(value, file, resource, attribute, as written) of the provenance entry for one field."""
    [entry] = [p for p in derivation.provenance if p.field == field]
    return entry.value, entry.source, entry.resource, entry.attribute, entry.raw


@pytest.mark.parametrize("name, expected", [
    ("lambda_api.plan.json", "terraform-plan"), ("fargate_windows.plan.json", "terraform-plan"),
    ("ec2_dedicated_gpu.plan.json", "terraform-plan"), ("eks.plan.json", "terraform-plan"),
    ("batch_workers.tf", "terraform"), ("sam_template.yaml", "cloudformation"),
    ("cdk_transcoder.template.json", "cloudformation"), ("ecs_privileged_agent.task.json", "ecs-task-definition"),
    ("k8s_agents_and_gpu.yaml", "kubernetes"),
])
def test_each_fixture_is_recognised_by_its_name_and_content(name, expected):
    assert detect_format(name, (FIXTURES / name).read_text()) == expected


def test_a_lambda_api_plan_gives_the_longest_timeout_and_sync_invocation_with_the_resources_that_set_them():
    d = read("lambda_api.plan.json")
    assert d.current_services == ("lambda",)
    assert d.profile_fields() == {"workload": {
        "max_duration_minutes": 15, "memory_gb": 4, "ephemeral_storage_gb": 2, "always_on": False, "arch": "arm64",
        "invocation": "sync", "lambda_package": "zip"}}
    assert origin(d, "workload.max_duration_minutes") == (15, "lambda_api.plan.json", "aws_lambda_function.export",
                                                          "timeout", 900)
    assert origin(d, "workload.memory_gb")[2:4] == ("aws_lambda_function.export", "memory_size")
    assert origin(d, "workload.invocation")[2:] == ("aws_apigatewayv2_integration.api", "integration_type", "AWS_PROXY")
    assert [(u.resource, u.type) for u in d.unsupported] == [("aws_sqs_queue.exports", "aws_sqs_queue")]


def test_an_ecs_service_on_fargate_with_a_windows_task_asks_for_windows_4_vcpu_and_30_gb():
    d = read("fargate_windows.plan.json")
    assert d.current_services == ("fargate",)
    workload = d.profile_fields()["workload"]
    assert workload == {"memory_gb": 30, "vcpu": 4, "always_on": True, "os": "windows", "arch": "x86_64",
                        "on_ec2": "containers"}
    assert origin(d, "workload.os")[2:] == ("aws_ecs_task_definition.web", "runtime_platform.operating_system_family",
                                           "WINDOWS_SERVER_2022_CORE")
    assert origin(d, "workload.always_on")[2] == "aws_ecs_service.web"
    assert d.unsupported == ()


def test_an_auto_scaling_group_on_a_dedicated_gpu_launch_template_needs_dedicated_isolation_and_a_gpu():
    d = read("ec2_dedicated_gpu.plan.json")
    assert d.current_services == ("ec2",)
    assert d.profile_fields() == {"workload": {"gpu": True, "always_on": True}, "isolation": "dedicated"}
    assert origin(d, "isolation")[2:] == ("aws_launch_template.render", "placement.tenancy", "dedicated")
    assert origin(d, "workload.gpu")[2:] == ("aws_launch_template.render", "instance_type", "g5.12xlarge")
    assert [u.type for u in d.unsupported] == ["aws_s3_bucket"]


def test_the_gpu_comes_from_the_table_of_accelerated_families_not_from_the_instance_name():
    d = read("ec2_dedicated_gpu.plan.json", families={})
    assert "gpu" not in d.profile_fields()["workload"]


def test_an_eks_cluster_in_a_module_gives_eks_and_eks_on_fargate_and_the_node_groups_arm_architecture():
    d = read("eks.plan.json")
    assert d.current_services == ("eks", "eks_fargate")
    assert d.profile_fields()["workload"] == {"always_on": True, "arch": "arm64", "on_ec2": "kubernetes"}
    assert origin(d, "workload.arch")[2:] == ("module.eks.aws_eks_node_group.general", "ami_type",
                                             "AL2023_ARM_64_STANDARD")


def test_plain_terraform_gives_its_literal_values_and_lists_the_expressions_it_could_not_resolve():
    d = read("batch_workers.tf")
    assert d.current_services == ("lambda",)
    assert d.profile_fields()["workload"] == {"max_duration_minutes": 5, "memory_gb": 2, "ephemeral_storage_gb": 10,
                                              "always_on": False, "arch": "x86_64", "lambda_package": "image"}
    assert origin(d, "workload.memory_gb")[2] == "aws_lambda_function.thumbnails"  # resize's memory is a variable
    [unresolved] = d.unresolved
    assert (unresolved.resource, unresolved.attribute) == ("aws_lambda_function.resize", "memory_size")
    assert "var.worker_memory" in unresolved.reason
    assert [u.type for u in d.unsupported] == ["aws_ecr_repository"]


def test_a_sam_template_applies_globals_and_parameter_defaults_and_says_so():
    d = read("sam_template.yaml")
    assert d.current_services == ("lambda",)
    assert d.profile_fields()["workload"] == {"max_duration_minutes": 10, "memory_gb": 2, "ephemeral_storage_gb": 4,
                                              "always_on": False, "arch": "arm64", "invocation": "sync"}
    assert origin(d, "workload.max_duration_minutes")[2:] == ("ReportFunction", "Timeout", 600)
    assert origin(d, "workload.memory_gb")[2:] == ("ReportFunction", "MemorySize (parameter ReportMemory's default)",
                                                  2048)
    assert origin(d, "workload.arch")[2:4] == ("ApiFunction", "Globals.Function.Architectures")
    assert origin(d, "workload.invocation")[2:] == ("ApiFunction", "Events.Invoices.Type", "HttpApi")
    assert [(u.resource, u.type) for u in d.unsupported] == [("InvoicesTable", "AWS::DynamoDB::Table")]


def test_a_cdk_template_names_resources_by_logical_id_and_construct_path():
    d = read("cdk_transcoder.template.json")
    assert d.current_services == ("ec2", "ecs")
    assert d.profile_fields()["workload"] == {"memory_gb": 8, "vcpu": 2, "gpu": True, "always_on": True,
                                              "on_ec2": "containers"}
    assert origin(d, "workload.gpu")[2:] == ("GpuLaunchTemplate8E3F2A11 (TranscoderStack/GpuLaunchTemplate/Resource)",
                                            "LaunchTemplateData.InstanceType", "g4dn.xlarge")
    assert [u.type for u in d.unsupported] == ["AWS::SQS::Queue"]


def test_an_ecs_task_definition_with_a_privileged_container_names_the_container():
    d = read("ecs_privileged_agent.task.json")
    assert d.current_services == ("ecs",)
    assert d.profile_fields()["workload"] == {"memory_gb": 2, "vcpu": 1, "privileged": True, "os": "linux",
                                              "arch": "arm64", "on_ec2": "containers"}
    assert origin(d, "workload.privileged")[2:4] == ("node-agent:7", "containerDefinitions[security-agent].privileged")


def test_kubernetes_manifests_give_daemonsets_privileged_pods_and_the_gpu_deployments_size():
    d = read("k8s_agents_and_gpu.yaml")
    assert d.current_services == ("eks",)
    assert d.profile_fields()["workload"] == {
        "memory_gb": 16.125, "vcpu": 4.1, "ephemeral_storage_gb": 20, "gpu": True, "privileged": True,
        "daemonsets": True, "always_on": True, "os": "linux", "arch": "x86_64", "on_ec2": "kubernetes"}
    assert origin(d, "workload.daemonsets")[2] == "DaemonSet/monitoring/node-exporter"
    assert origin(d, "workload.gpu")[2:] == ("Deployment/inference/embeddings",
                                            "spec.template.spec.containers[server].resources.limits.nvidia.com/gpu", 1)
    assert origin(d, "workload.memory_gb")[4] == "16Gi + 128Mi"
    assert [u.type for u in d.unsupported] == ["monitoring.coreos.com/v1/ServiceMonitor"]


def test_several_files_give_the_most_demanding_value_and_the_file_that_set_it():
    d = read("sam_template.yaml", "lambda_api.plan.json", "fargate_windows.plan.json")
    assert d.current_services == ("fargate", "lambda")
    assert origin(d, "workload.max_duration_minutes")[1:3] == ("lambda_api.plan.json", "aws_lambda_function.export")
    assert origin(d, "workload.memory_gb")[1:3] == ("fargate_windows.plan.json", "aws_ecs_task_definition.web")
    assert origin(d, "workload.always_on")[0] is True
    # arm64 functions beside an x86_64 task: no single architecture, and the reason is listed
    assert "arch" not in d.profile_fields()["workload"]
    assert any("both arm64 and x86_64" in u.reason for u in d.unresolved)


BOMB = "a: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
    f"{chr(98 + i)}: &{chr(98 + i)} [{', '.join([f'*{chr(97 + i)}'] * 9)}]\n" for i in range(9))


@pytest.mark.parametrize("fmt, content, message", [
    ("kubernetes", BOMB, "billion laughs"),
    ("cloudformation", "Resources: {}\n" + BOMB, "billion laughs"),
    ("kubernetes", "[" * 100_000 + "]" * 100_000, "nested more than 64 levels"),
    ("cloudformation", '{"Resources": ' + "[" * 100_000 + "]" * 100_000 + "}", "nested more than 64 levels"),
    ("terraform-plan", "[" * 100_000 + "]" * 100_000, "nested more than 64 levels"),
    ("terraform", 'resource "aws_instance" "a" { x = ' + "[" * 100_000 + "]" * 100_000 + " }",
     "nested more than 64 levels"),
    ("kubernetes", "kind: Pod\nmetadata: {name: " + "x" * 20_000_000 + "}\n", "20,000,029 bytes"),
    ("kubernetes", b"kind: Pod\nmetadata: {name: caf\xe9}\n", "not valid UTF-8 text (byte 30)"),
    ("ecs-task-definition", "{\"family\": ", "not valid JSON"),
    ("terraform", 'resource "aws_instance" "a" {', "not valid Terraform"),
    ("terraform-plan", '{"resources": []}', "not a Terraform plan"),
    ("cloudformation", "Resources:\n  A:\n    Type: AWS::EC2::Instance\n  A:\n    Type: AWS::EC2::Instance\n",
     "Duplicate found 'A'"),
    ("kubernetes", "apiVersion: v1\nmetadata: {name: x}\n", "has no kind"),
    ("helm", "x", "unknown format 'helm'"),
])
def test_a_hostile_or_broken_file_is_an_error_naming_the_file_and_its_place(fmt, content, message):
    good = Source("kubernetes", (FIXTURES / "k8s_agents_and_gpu.yaml").read_text(), "ok.yaml")
    with pytest.raises(SourceFileError) as caught:
        derive([good, Source(fmt, content, "hostile.file")], FAMILIES)
    assert caught.value.source == "hostile.file" and caught.value.index == 1
    assert message in str(caught.value)


@pytest.mark.parametrize("fmt, content", [
    ("ecs-task-definition", '{"containerDefinitions": [{"resourceRequirements": 5, "privileged": "yes"}]}'),
    ("kubernetes", "kind: Pod\nmetadata: {name: x}\nspec:\n  affinity: {nodeAffinity: "
                   "{requiredDuringSchedulingIgnoredDuringExecution: {nodeSelectorTerms: {a: 1}}}}\n"),
    ("kubernetes", "kind: Pod\nmetadata: 5\nspec: {containers: 5, nodeSelector: [1]}\n"),
    ("kubernetes", "kind: List\nitems: 5\n"),
    ("kubernetes", "kind: CronJob\nmetadata: {name: x}\nspec: {jobTemplate: {spec: {activeDeadlineSeconds: soon, "
                   "template: {spec: {containers: [{resources: {limits: {nvidia.com/gpu: [1]}}}]}}}}}\n"),
    ("terraform-plan", '{"format_version": "1", "planned_values": {"root_module": {"resources": 5, "child_modules": 5}}}'),
    ("cloudformation", '{"Globals": 5, "Resources": {"A": {"Type": "AWS::Serverless::Function", '
                       '"Properties": {"Events": {"x": {"Type": 5}}, "Timeout": [1]}}}}'),
    ("terraform", 'resource "aws_instance" { instance_type = "g5.xlarge" }'),
])
def test_a_setting_of_an_odd_type_gives_a_result_or_an_error_naming_the_file(fmt, content):
    try:
        derive([Source(fmt, content, "odd.file")], FAMILIES)
    except SourceFileError as exc:
        assert exc.source == "odd.file"


def test_unknown_resource_types_are_listed_not_refused():
    template = ('{"Resources": {"Bucket": {"Type": "AWS::S3::Bucket"}, "Fn": {"Type": "AWS::Lambda::Function", '
                '"Properties": {"Timeout": 60}}, "Thing": {"Type": "Custom::Thing"}}}')
    d = derive([Source("cloudformation", template, "t.json")], FAMILIES)
    assert [(u.resource, u.type) for u in d.unsupported] == [("Bucket", "AWS::S3::Bucket"), ("Thing", "Custom::Thing")]
    assert d.profile_fields()["workload"]["max_duration_minutes"] == 1


def test_the_instance_family_table_loads_with_the_knowledge_base(graph_copy):
    kb = load_knowledge_base(graph_copy)
    assert kb.instance_families["g5"]["accelerator"] == "gpu"
    assert all(row["source"].startswith(SOURCE_HOSTS) for row in kb.instance_families.values())
    (graph_copy / "instance_families.toml").unlink()
    assert load_knowledge_base(graph_copy).instance_families == {}


@pytest.mark.parametrize("row, field", [
    ('family = "g5"\naccelerator = "gpu"\nnote = "x"\nsource = "https://example.com/gpus"', "families[0].source"),
    ('family = "G5!"\naccelerator = "gpu"\nnote = "x"\nsource = "seed"', "families[0].family"),
    ('family = "g5"\naccelerator = "fpga"\nnote = "x"\nsource = "seed"', "families[0].accelerator"),
    ('family = "g5"\naccelerator = "gpu"\nsource = "seed"', "families[0].note"),
])
def test_a_bad_instance_family_row_names_the_file_and_the_field(graph_copy, row, field):
    (graph_copy / "instance_families.toml").write_text(f"[[families]]\n{row}\n")
    with pytest.raises(KnowledgeBaseError) as caught:
        load_knowledge_base(graph_copy)
    assert (caught.value.file, caught.value.field) == ("instance_families.toml", field)


def test_a_family_listed_twice_is_refused(graph_copy):
    row = '[[families]]\nfamily = "g5"\naccelerator = "gpu"\nnote = "x"\nsource = "seed"\n'
    (graph_copy / "instance_families.toml").write_text(row + row)
    with pytest.raises(KnowledgeBaseError, match="listed twice") as caught:
        load_knowledge_base(graph_copy)
    assert caught.value.file == "instance_families.toml"
