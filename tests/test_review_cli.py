"""flask review: every --fail-on condition's exit codes, bad input, and the formats pipelines post."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from markdown_it import MarkdownIt

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fixtures" / "iac"
TEAM = {"security_hours_per_month": 40, "patching_staff": 1, "customisation": "low", "isolation": "standard"}
ALL = "not-first,over-capacity,fragile,blocked"


def team_file(tmp_path: Path, **fields) -> str:
    path = tmp_path / "team.json"
    path.write_text(json.dumps({**TEAM, **fields}))
    return str(path)


def review(runner, *args):
    return runner.invoke(args=["review", *map(str, args)])


# (fixture, team fields, the condition that holds); each row also checks the others named alone give 0
HOLDS = [
    # a team asking for high customisation is sent away from Fargate to a service that offers it
    ("fargate_windows.plan.json", {"security_hours_per_month": 200, "patching_staff": 5, "customisation": "high"},
     "not-first"),
    ("fargate_windows.plan.json", {"security_hours_per_month": 5, "patching_staff": 0}, "over-capacity"),
    # two eligible services given equal scores: first place holds by no margin at all (ECS and EC2 have no
    # limit the plan's functions come near, so the tie does not hang on one of Lambda's figures)
    ("lambda_api.plan.json", {"services": ["ecs", "ec2"], "weights": {
        "burden": 0, "patching": 0, "customisation": 0, "isolation": 1, "simplicity": 0}}, "fragile"),
    # Fargate runs no privileged containers
    ("fargate_windows.plan.json", {"workload": {"privileged": True}}, "blocked"),
]


@pytest.mark.parametrize("fixture, fields, condition", HOLDS, ids=[row[2] for row in HOLDS])
def test_a_condition_that_holds_exits_2_with_its_reason_on_stderr(runner, tmp_path, fixture, fields, condition):
    result = review(runner, FIXTURES / fixture, "--team", team_file(tmp_path, **fields), "--fail-on", condition)
    assert result.exit_code == 2, result.output
    assert f"review failed on {condition}:" in result.stderr
    assert result.stdout.startswith("Verdict: ")


@pytest.mark.parametrize("name", sorted(p.name for p in FIXTURES.iterdir()))
def test_each_fixture_is_reviewed_through_the_command_line(runner, tmp_path, name):
    result = review(runner, FIXTURES / name, "--team", team_file(tmp_path))
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("Verdict: ") and "Where the workload came from:" in result.stdout
    assert f"({FIXTURES / name}: " in result.stdout  # each value names the file it came from


def test_a_review_where_nothing_named_holds_exits_0(runner, tmp_path):
    # Fargate in use and first, well within 80 hours; Lambda ruled out for a Windows task, so first place is firm
    team = team_file(tmp_path, services=["fargate", "lambda"], security_hours_per_month=80)
    result = review(runner, FIXTURES / "fargate_windows.plan.json", "--team", team, "--fail-on", ALL)
    assert result.exit_code == 0, result.output
    assert result.stderr == ""


@pytest.mark.parametrize("fixture, fields, condition", HOLDS, ids=[row[2] for row in HOLDS])
def test_without_fail_on_a_review_always_exits_0(runner, tmp_path, fixture, fields, condition):
    result = review(runner, FIXTURES / fixture, "--team", team_file(tmp_path, **fields))
    assert result.exit_code == 0 and result.stderr == ""


def test_a_condition_not_named_does_not_fail_the_review(runner, tmp_path):
    team = team_file(tmp_path, security_hours_per_month=5, patching_staff=0, services=["fargate", "lambda"])
    result = review(runner, FIXTURES / "fargate_windows.plan.json", "--team", team,
                    "--fail-on", "not-first,fragile,blocked")
    assert result.exit_code == 0, result.output
    assert review(runner, FIXTURES / "fargate_windows.plan.json", "--team", team,
                  "--fail-on", "over-capacity").exit_code == 2


def test_several_conditions_holding_are_each_given(runner, tmp_path):
    team = team_file(tmp_path, security_hours_per_month=5, patching_staff=0, workload={"privileged": True})
    result = review(runner, FIXTURES / "fargate_windows.plan.json", "--team", team, "--fail-on", ALL)
    assert result.exit_code == 2
    assert "failed on blocked:" in result.stderr and "failed on not-first:" in result.stderr


@pytest.mark.parametrize("args, message", [
    (["--fail-on", "slow"], "slow is not one of not-first, over-capacity, fragile, blocked"),
    (["--format", "html"], "'html' is not one of"),
    (["--team", "/nonexistent/team.json"], "no such file"),
    (["--nonsense"], "No such option"),
])
def test_bad_options_exit_1(runner, tmp_path, args, message):
    team = [] if "--team" in args else ["--team", team_file(tmp_path)]
    result = review(runner, FIXTURES / "eks.plan.json", *team, *args)
    assert result.exit_code == 1, result.output
    assert message in result.output


def test_a_missing_team_option_exits_1(runner):
    result = review(runner, FIXTURES / "eks.plan.json")
    assert result.exit_code == 1 and "--team" in result.output


@pytest.mark.parametrize("content, message", [
    ("a: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
        f"{chr(98 + i)}: &{chr(98 + i)} [{', '.join([f'*{chr(97 + i)}'] * 9)}]\n" for i in range(9)),
     "laughs.yaml: expands to more than"),
    ("apiVersion: v1\nkind: Pod\nmetadata: {name: [\n", "laughs.yaml: is not valid YAML"),
])
def test_a_hostile_file_exits_1_naming_it(runner, tmp_path, content, message):
    path = tmp_path / "laughs.yaml"
    path.write_text("apiVersion: v1\nkind: List\n" + content if "&a" in content else content)
    result = review(runner, FIXTURES / "eks.plan.json", path, "--team", team_file(tmp_path), "--fail-on", ALL)
    assert result.exit_code == 1
    assert message in result.output


def test_invalid_utf8_and_unknown_files_exit_1_naming_them(runner, tmp_path):
    bad = tmp_path / "deploy.yaml"
    bad.write_bytes(b"apiVersion: v1\nkind: Pod\nmetadata: {name: caf\xe9}\n")
    result = review(runner, bad, "--team", team_file(tmp_path))
    assert result.exit_code == 1 and "deploy.yaml: is not valid UTF-8 text" in result.output
    notes = tmp_path / "notes.txt"
    notes.write_text("hello")
    result = review(runner, notes, "--team", team_file(tmp_path))
    assert result.exit_code == 1 and "notes.txt: not a format the review reads" in result.output


@pytest.mark.parametrize("team, field", [
    ({"security_hours_per_month": 20}, "patching_staff"),
    ({**TEAM, "patching_staff": -1}, "profile.patching_staff"),
])
def test_a_team_file_that_is_not_enough_exits_1_naming_the_field(runner, tmp_path, team, field):
    path = tmp_path / "team.json"
    path.write_text(json.dumps(team))
    result = review(runner, FIXTURES / "lambda_api.plan.json", "--team", path)
    assert result.exit_code == 1
    assert str(path) in result.output and field in result.output


def test_the_json_and_markdown_formats_are_the_apis(runner, client, tmp_path):
    fixture = FIXTURES / "k8s_agents_and_gpu.yaml"
    result = review(runner, fixture, "--team", team_file(tmp_path), "--format", "json")
    assert result.exit_code == 0
    as_cli = json.loads(result.stdout)
    as_api = client.post("/api/v1/reviews", json={"sources": [{"format": "kubernetes", "content": fixture.read_text(),
                                                                 "name": str(fixture)}], "profile": TEAM}).get_json()
    assert as_cli == as_api
    markdown = review(runner, fixture, "--team", team_file(tmp_path), "--format", "md").stdout
    tokens = MarkdownIt("commonmark").enable("table").parse(markdown)
    assert any(t.type == "table_open" for t in tokens)
    assert f"**Verdict:** {as_api['verdict']['summary']}" in [t.content for t in tokens if t.type == "inline"]


def _review_line(script: str) -> str:
    [line] = [line.strip() for line in script.splitlines() if "flask --app app review" in line]
    return line


def _ci_commands() -> list[tuple[str, str]]:
    """(name, the review command line) of each CI example under docs/ci."""
    github = yaml.safe_load((ROOT / "docs" / "ci" / "github-actions-review.yml").read_text())
    [run] = [step["run"] for step in github["jobs"]["review"]["steps"] if "flask --app app review" in step.get("run", "")]
    gitlab = yaml.safe_load((ROOT / "docs" / "ci" / "gitlab-ci-review.yml").read_text())
    [script] = [item for item in gitlab["design-review"]["script"] if "flask --app app review" in item]
    return [("github", _review_line(run)), ("gitlab", _review_line(script))]


@pytest.mark.slow
@pytest.mark.parametrize("name, line", _ci_commands(), ids=["github-actions", "gitlab-ci"])
def test_the_ci_examples_review_command_runs_on_fixture_files(tmp_path, name, line):
    """The line each CI example runs, as its shell runs it, on a plan and a synthesised CDK template."""
    workspace = tmp_path / "workspace"
    (workspace / ".advisor").mkdir(parents=True)
    (workspace / ".advisor" / "team.json").write_text((ROOT / "examples" / "iac" / "team.json").read_text())
    (workspace / "plan.json").write_text((ROOT / "examples" / "iac" / "lambda-api.plan.json").read_text())
    (workspace / "cdk.out").mkdir()
    (workspace / "cdk.out" / "AppStack.template.json").write_text((FIXTURES / "cdk_transcoder.template.json").read_text())
    env = {**os.environ, "GITHUB_WORKSPACE": str(workspace), "RUNNER_TEMP": str(workspace),
           "CI_PROJECT_DIR": str(workspace), "ADVISOR_INSTANCE_PATH": str(tmp_path / "instance"),
           "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}"}
    script = f"set +e\n{line}\nexit ${{status:-$?}}\n" if "status=$?" in line else f"{line}\n"
    done = subprocess.run(["bash", "-c", script], cwd=ROOT, env=env, capture_output=True, text=True, timeout=180)
    assert done.returncode in (0, 2), done.stderr
    assert (done.returncode == 2) == ("review failed on" in done.stderr)
    comment = (workspace / "review.md").read_text()
    tokens = MarkdownIt("commonmark").enable("table").parse(comment)
    assert tokens[0].type == "heading_open" and any(t.type == "table_open" for t in tokens)


@pytest.mark.slow
def test_the_readmes_one_command_review_runs_on_the_shipped_example(tmp_path):
    env = {**os.environ, "ADVISOR_INSTANCE_PATH": str(tmp_path / "instance")}
    shipped = subprocess.run([sys.executable, "-m", "flask", "--app", "app", "review",
                              "examples/iac/lambda-api.plan.json", "--team", "examples/iac/team.json"],
                             cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
    assert shipped.returncode == 0, shipped.stderr
    assert shipped.stdout.startswith("Verdict: AWS Lambda, in use today, ranks first")
    readme = (ROOT / "README.md").read_text()
    assert "flask --app app review examples/iac/lambda-api.plan.json --team examples/iac/team.json" in readme
    guide = (ROOT / "docs" / "design-review.md").read_text()
    assert "flask --app app review" in guide and "](ci/github-actions-review.yml)" in guide
