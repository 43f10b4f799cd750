"""A broken knowledge base fails on load with the file and the field at fault."""
import pytest

from adapters.graph_files import load_knowledge_base
from advisor import KnowledgeBaseError


def edit(path, old, new, count=1):
    text = path.read_text()
    assert old in text, f"fixture text not found: {old!r}"
    path.write_text(text.replace(old, new, count))


def load_error(folder) -> KnowledgeBaseError:
    with pytest.raises(KnowledgeBaseError) as info:
        load_knowledge_base(folder)
    return info.value


def test_unknown_layer_in_a_service_names_the_file_and_field(graph_copy):
    edit(graph_copy / "services" / "ecs.toml", "[ownership.logging]", "[ownership.logs]")
    err = load_error(graph_copy)
    assert (err.file, err.field) == ("services/ecs.toml", "ownership.logs")
    assert "unknown layer 'logs'" in err.message


def test_missing_owner_is_refused(graph_copy):
    edit(graph_copy / "services" / "lambda.toml", '[ownership.iam]\nowner = "customer"\n', "[ownership.iam]\n")
    err = load_error(graph_copy)
    assert (err.file, err.field) == ("services/lambda.toml", "ownership.iam.owner")
    assert "required" in err.message.lower()


def test_unknown_owner_is_refused(graph_copy):
    edit(graph_copy / "services" / "lambda.toml", '[ownership.iam]\nowner = "customer"', '[ownership.iam]\nowner = "somebody"')
    err = load_error(graph_copy)
    assert (err.file, err.field) == ("services/lambda.toml", "ownership.iam.owner")
    assert "aws, customer, shared" in err.message


def test_a_cycle_in_the_stack_is_refused(graph_copy):
    edit(graph_copy / "layers.toml", 'runs_on = []\nhours_per_month = 160', 'runs_on = ["application_code"]\nhours_per_month = 160')
    err = load_error(graph_copy)
    assert err.file == "layers.toml"
    assert err.field.startswith("layers[") and err.field.endswith("].runs_on")
    assert "cycle" in err.message


def test_unknown_layer_beneath_a_layer_is_refused(graph_copy):
    edit(graph_copy / "layers.toml", 'runs_on = ["facilities"]', 'runs_on = ["basement"]')
    err = load_error(graph_copy)
    assert (err.file, err.field) == ("layers.toml", "layers[1].runs_on")
    assert "basement" in err.message


def test_a_service_that_skips_a_layer_is_refused(graph_copy):
    edit(graph_copy / "services" / "ec2.toml",
         '[ownership.capacity]\nowner = "customer"\nsource = "seed"\nnote = "The team sizes and scales its instances, for example with Auto Scaling groups."\n', "")
    err = load_error(graph_copy)
    assert (err.file, err.field) == ("services/ec2.toml", "ownership.capacity")
    assert "skips" in err.message


def test_aws_owning_a_layer_above_a_team_layer_breaks_the_closure_rule(graph_copy):
    edit(graph_copy / "services" / "ec2.toml",
         '[ownership.container_runtime]\nowner = "customer"', '[ownership.container_runtime]\nowner = "aws"')
    err = load_error(graph_copy)
    assert (err.file, err.field) == ("services/ec2.toml", "ownership.container_runtime.owner")
    assert "guest_os" in err.message


def test_an_effort_estimate_not_labelled_as_an_assumption_is_refused(graph_copy):
    edit(graph_copy / "layers.toml", 'hours_basis = "assumption: a share', 'hours_basis = "a share')
    err = load_error(graph_copy)
    assert (err.file, err.field) == ("layers.toml", "layers[0].hours_basis")


def test_a_fact_without_an_aws_source_is_refused(graph_copy):
    edit(graph_copy / "services" / "fargate.toml",
         'source = "https://docs.aws.amazon.com/AmazonECS/latest/developerguide/task-maintenance.html"',
         'source = "https://example.com/blog"')
    err = load_error(graph_copy)
    assert (err.file, err.field) == ("services/fargate.toml", "ownership.guest_os.source")


def test_a_shared_layer_needs_the_teams_share(graph_copy):
    edit(graph_copy / "services" / "lambda.toml", "team_share = 0.25\n", "")
    err = load_error(graph_copy)
    assert (err.file, err.field) == ("services/lambda.toml", "ownership.language_runtime.team_share")


def test_a_syntax_error_names_the_file(graph_copy):
    (graph_copy / "services" / "ecs.toml").write_text("id = \n")
    err = load_error(graph_copy)
    assert (err.file, err.field) == ("services/ecs.toml", "(syntax)")


def test_an_unknown_key_is_refused(graph_copy):
    edit(graph_copy / "services" / "ecs.toml", 'default = true', 'default = true\ncolour = "blue"')
    err = load_error(graph_copy)
    assert (err.file, err.field) == ("services/ecs.toml", "colour")


def test_two_services_with_one_id_are_refused(graph_copy):
    (graph_copy / "services" / "zz_copy.toml").write_text((graph_copy / "services" / "ecs.toml").read_text())
    err = load_error(graph_copy)
    assert (err.file, err.field) == ("services/zz_copy.toml", "id")


def test_an_unknown_incident_on_a_layer_is_refused(graph_copy):
    edit(graph_copy / "layers.toml", 'incidents = ["log4shell"]', 'incidents = ["heartbleed"]')
    err = load_error(graph_copy)
    assert err.file == "layers.toml" and "heartbleed" in err.message


def test_a_bad_limit_names_its_position(graph_copy):
    edit(graph_copy / "services" / "lambda.toml", 'field = "max_duration_minutes"', 'field = "duration"')
    err = load_error(graph_copy)
    assert (err.file, err.field) == ("services/lambda.toml", "limits[0].field")
