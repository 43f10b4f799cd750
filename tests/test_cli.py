"""`flask advise PROFILE.json`: the recommendation as text, Markdown or JSON; bad files get a message, not a traceback."""
import json

import pytest


@pytest.fixture
def profile_file(tmp_path, profile):
    path = tmp_path / "payments.json"
    path.write_text(json.dumps({**profile, "name": "Payments API", "workload": {"max_duration_minutes": 60}}))
    return path


def api_answer(client, path):
    return client.post("/api/v1/recommendations", data=path.read_text(), content_type="application/json").get_json()


def test_text_lists_the_ranking_with_reasons_and_blockers(runner, client, profile_file):
    result = runner.invoke(args=["advise", str(profile_file)])
    assert result.exit_code == 0, result.output
    expected = api_answer(client, profile_file)["ranking"]
    lines = result.output.splitlines()
    assert lines[0].startswith("Payments API: 20 security hours a month, 0 patching staff")
    ranked = [line for line in lines if line[:2] in ("1.", "2.", "3.", "4.")]
    assert [line.split(":")[0] for line in ranked] == [f"{e['rank']}. {e['name']}" for e in expected]
    assert "! Blocked: A run of 60 minutes exceeds AWS Lambda's 15-minute maximum." in result.output
    assert "Ranks first with" in result.output
    assert lines[-1] == f"Recommended: {expected[0]['name']}."


def test_md_prints_the_decision_record(runner, client, profile_file):
    result = runner.invoke(args=["advise", str(profile_file), "--format", "md"])
    assert result.exit_code == 0, result.output
    first = api_answer(client, profile_file)["ranking"][0]["name"]
    assert result.output.startswith("# Choose the compute platform for Payments API\n")
    assert f'Chosen option: "{first}"' in result.output.split("## Decision Outcome", 1)[1]
    assert "### What happens when…" in result.output


def test_json_prints_exactly_what_the_api_answers(runner, client, profile_file):
    result = runner.invoke(args=["advise", str(profile_file), "--format", "json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.output) == api_answer(client, profile_file)


@pytest.mark.parametrize("content, message", [
    (None, "no such file"),
    ("{", "not valid JSON: Expecting property name enclosed in double quotes at line 1, column 2"),
    ('{"a": 1, "a": 2}', "duplicate key 'a'"),
    ("[1, 2]", "the file must hold one JSON object"),
    (b"\xff\xfe{}", "not UTF-8 text"),
    ('{"security_hours_per_month": -1, "patching_staff": 1.5, "customisation": "low", "isolation": "standard"}',
     "not a valid profile; 2 fields are wrong:\n  patching_staff: Not a valid integer.\n"
     "  security_hours_per_month: Must be greater than or equal to 0"),
    ('{"security_hours_per_month": 1, "patching_staff": 1, "customisation": "low", "isolation": "standard", '
     '"services": ["mainframe"]}', "services: unknown service 'mainframe'"),
    ('{"security_hours_per_month": 1, "patching_staff": 1, "customisation": "low", "isolation": "standard", '
     '"colour": "blue"}', "colour: Unknown field."),
])
def test_a_bad_file_gets_a_message_naming_the_file_and_a_non_zero_exit(runner, tmp_path, content, message):
    path = tmp_path / "profile.json"
    if isinstance(content, bytes):
        path.write_bytes(content)
    elif content is not None:
        path.write_text(content)
    result = runner.invoke(args=["advise", str(path)])
    assert result.exit_code == 1
    assert f"Error: {path}: " in result.output and message in result.output
    assert "Traceback" not in result.output
    assert isinstance(result.exception, SystemExit)  # a clean exit, not an escaped exception


def test_a_folder_is_refused_with_a_message(runner, tmp_path):
    result = runner.invoke(args=["advise", str(tmp_path)])
    assert result.exit_code == 1 and "a folder, not a profile file" in result.output


def test_an_unknown_format_is_a_usage_error(runner, profile_file):
    result = runner.invoke(args=["advise", str(profile_file), "--format", "xml"])
    assert result.exit_code == 2 and "'xml' is not one of 'text', 'md', 'json'" in result.output


@pytest.fixture
def overlay_file(tmp_path, profile):
    path = tmp_path / "orders.json"
    path.write_text(json.dumps({**profile, "name": "Orders", "overlay": "platform_team",
                                "services": ["ecs", "eks", "lambda"]}))
    return path


def test_text_with_an_overlay_says_what_the_internal_party_takes_on_each_service(runner, overlay_file):
    result = runner.invoke(args=["advise", str(overlay_file)])
    assert result.exit_code == 0, result.output
    assert "Three parties: AWS, Platform team and the team." in " ".join(result.output.split())
    ranked = {line.split(":")[0].split(". ", 1)[1]: line for line in result.output.splitlines() if line[:2] in
              ("1.", "2.", "3.")}
    assert ranked["Amazon ECS on EC2"].endswith("; Platform team takes 22 hours off the team")
    assert ranked["Amazon EKS (managed node groups)"].endswith("; Platform team takes 19 hours off the team")
    assert "Platform team" not in ranked["AWS Lambda"]


def test_md_with_an_overlay_has_the_party_act_in_the_incidents_it_owns(runner, overlay_file):
    result = runner.invoke(args=["advise", str(overlay_file), "--format", "md"])
    assert result.exit_code == 0, result.output
    assert "| Amazon ECS on EC2 | Platform team acts | none | Container runtime and agent (Platform team) |" \
        in result.output
    assert "Platform team takes instance operating system and its patching (16 h)" in result.output


@pytest.mark.parametrize("today, stale", [("2026-12-01", False), ("2027-08-01", True)])
def test_text_and_md_warn_when_the_knowledge_base_is_too_old(make_app, tmp_path, profile_file, today, stale):
    runner = make_app(DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}", TODAY=today).test_cli_runner()
    text = runner.invoke(args=["advise", str(profile_file)]).output
    md = runner.invoke(args=["advise", str(profile_file), "--format", "md"]).output
    assert text.splitlines()[2].startswith("Warning: The knowledge base was last reviewed on") is stale
    assert ("> **Warning: the knowledge base behind this record may be out of date.**" in md) is stale
