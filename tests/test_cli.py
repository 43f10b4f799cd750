"""`flask advise PROFILE.json`: the recommendation as text, Markdown or JSON; bad files get a message, not a traceback.

Several files or a folder: one report per profile in an output folder, a progress bar only on a terminal.
"""
import json
import os
import pty
import subprocess
import sys
from pathlib import Path

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
    assert f"Recommended: {expected[0]['name']}." in lines


def test_text_says_how_firm_the_first_place_is_and_what_would_change_it(runner, client, profile_file):
    result = runner.invoke(args=["advise", str(profile_file)])
    robustness = api_answer(client, profile_file)["robustness"]
    text = " ".join(result.output.split())  # undo the terminal wrapping
    assert f"How firm: {robustness['label'].capitalize()}." in text
    assert robustness["thresholds"]
    for threshold in robustness["thresholds"]:
        assert threshold["sentence"] in text


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


def test_an_empty_folder_gets_a_message_and_a_non_zero_exit(runner, tmp_path):
    output = tmp_path / "advice"
    result = runner.invoke(args=["advise", str(tmp_path), "--output", str(output)])
    assert result.exit_code == 1
    assert f"Error: {tmp_path}: a folder without profile files (*.json)." in result.output
    assert list(output.iterdir()) == []


def test_an_unknown_format_is_a_usage_error(runner, profile_file):
    result = runner.invoke(args=["advise", str(profile_file), "--format", "xml"])
    assert result.exit_code == 2 and "'xml' is not one of 'text', 'md', 'json'" in result.output


@pytest.fixture
def overlay_file(tmp_path, profile):
    path = tmp_path / "orders.json"
    path.write_text(json.dumps({**profile, "name": "Orders", "overlay": "platform_team",
                                "services": ["cluster", "machines", "functions"]}))
    return path


def test_text_with_an_overlay_says_what_the_internal_party_takes_on_each_service(fixture_runner, overlay_file):
    result = fixture_runner.invoke(args=["advise", str(overlay_file)])
    assert result.exit_code == 0, result.output
    assert "AWS, Platform team and the team share the work." in " ".join(result.output.split())
    ranked = {line.split(":")[0].split(". ", 1)[1]: line for line in result.output.splitlines() if line[:2] in
              ("1.", "2.", "3.")}
    # the fixture's platform team takes the instance OS (10 h) and the runtime (5 h) on Cluster, the OS on Machines
    assert ranked["Cluster"].endswith("; Platform team takes 15 hours off the team")
    assert ranked["Machines"].endswith("; Platform team takes 10 hours off the team")
    assert "Platform team" not in ranked["Functions"]


def test_md_with_an_overlay_has_the_party_act_in_the_incidents_it_owns(fixture_runner, overlay_file):
    result = fixture_runner.invoke(args=["advise", str(overlay_file), "--format", "md"])
    assert result.exit_code == 0, result.output
    assert "| Cluster | AWS and Platform team act | none | Instance operating system (Platform team) |" \
        in result.output
    assert "Platform team takes instance operating system (10 h), container and language runtime (5 h)" \
        in result.output


@pytest.mark.parametrize("today, stale", [("2026-12-01", False), ("2027-08-01", True)])
def test_text_and_md_warn_when_the_knowledge_base_is_too_old(make_app, tmp_path, profile_file, today, stale):
    runner = make_app(DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}", TODAY=today).test_cli_runner()
    text = runner.invoke(args=["advise", str(profile_file)]).output
    md = runner.invoke(args=["advise", str(profile_file), "--format", "md"]).output
    assert any(line.startswith("Warning: The AWS facts behind this answer were last checked")
               for line in text.splitlines()) is stale
    assert ("> **Warning: the AWS facts behind this record may be out of date.**" in md) is stale


@pytest.fixture
def portfolio(tmp_path, profile):
    """A folder of profiles: two good ones, a bad profile, a file that is not JSON, and a note that is no profile."""
    folder = tmp_path / "portfolio"
    folder.mkdir()
    (folder / "payments.json").write_text(json.dumps({**profile, "name": "Payments API"}))
    (folder / "orders.json").write_text(json.dumps({**profile, "name": "Orders", "patching_staff": 2}))
    (folder / "broken.json").write_text("{")
    (folder / "invalid.json").write_text(json.dumps({**profile, "patching_staff": -1}))
    (folder / "README.txt").write_text("not a profile")
    return folder


@pytest.mark.parametrize("fmt, extension", [("text", "txt"), ("md", "md"), ("json", "json")])
def test_a_folder_gets_a_report_per_good_profile_and_a_message_per_bad_one(runner, client, portfolio, tmp_path,
                                                                           fmt, extension):
    output = tmp_path / "advice"
    result = runner.invoke(args=["advise", str(portfolio), "--format", fmt, "--output", str(output)])
    assert result.exit_code == 1
    assert sorted(p.name for p in output.iterdir()) == [f"orders.{extension}", f"payments.{extension}"]
    assert f"Error: {portfolio / 'broken.json'}: not valid JSON" in result.output
    assert f"Error: {portfolio / 'invalid.json'}: not a valid profile; 1 field is wrong:\n  patching_staff:" \
        in result.output
    assert "README" not in result.output
    assert f"Wrote 2 reports to {output}/:\n  {output / f'orders.{extension}'}\n  {output / f'payments.{extension}'}" \
        in result.output
    assert "2 failed; 2 of 4 profile files advised." in result.output
    report = (output / f"payments.{extension}").read_text()
    single = runner.invoke(args=["advise", str(portfolio / "payments.json"), "--format", fmt]).output
    if fmt == "md":  # the same record, but for the date it was made
        report, single = (text.replace(text.split("- Date: ", 1)[1][:10], "") for text in (report, single))
    assert report == single


def test_a_folder_of_good_profiles_exits_zero_and_json_matches_the_batch_endpoint(runner, client, portfolio, tmp_path):
    for bad in ("broken.json", "invalid.json"):
        (portfolio / bad).unlink()
    output = tmp_path / "out"
    result = runner.invoke(args=["advise", str(portfolio), "--format", "json", "--output", str(output)])
    assert result.exit_code == 0, result.output
    assert "Error" not in result.output
    batch = client.post("/api/v1/recommendations/batch", json={"profiles": [
        json.loads((portfolio / name).read_text()) for name in ("orders.json", "payments.json")]}).get_json()
    written = [json.loads((output / name).read_text()) for name in ("orders.json", "payments.json")]
    assert written == batch["results"]


def test_several_files_go_to_the_default_advice_folder_and_shared_names_are_kept_apart(runner, tmp_path, profile,
                                                                                      monkeypatch):
    for folder in ("a", "b"):
        (tmp_path / folder).mkdir()
        (tmp_path / folder / "api.json").write_text(json.dumps({**profile, "name": f"API {folder}"}))
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(args=["advise", "a/api.json", "b/api.json", "a/api.json", "--format", "md"])
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in (tmp_path / "advice").iterdir()) == ["api-2.md", "api.md"]
    assert (tmp_path / "advice" / "api.md").read_text().startswith("# Choose the compute platform for API a")
    assert (tmp_path / "advice" / "api-2.md").read_text().startswith("# Choose the compute platform for API b")


def test_a_report_never_overwrites_a_profile(runner, portfolio):
    (portfolio / "broken.json").unlink()
    (portfolio / "invalid.json").unlink()
    before = (portfolio / "orders.json").read_text()
    result = runner.invoke(args=["advise", str(portfolio), "--format", "json", "--output", str(portfolio)])
    assert result.exit_code == 1
    assert "its report would overwrite the profile" in result.output
    assert (portfolio / "orders.json").read_text() == before


def test_a_missing_file_among_several_does_not_stop_the_others(runner, portfolio, tmp_path):
    output = tmp_path / "advice"
    result = runner.invoke(args=["advise", str(tmp_path / "nowhere.json"), str(portfolio / "orders.json"),
                                 "--output", str(output)])
    assert result.exit_code == 1
    assert f"Error: {tmp_path / 'nowhere.json'}: no such file." in result.output
    assert (output / "orders.txt").exists()


def _run_advise(args, cwd, stderr):
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{cwd / 'cli.sqlite3'}"}
    return subprocess.run([sys.executable, "-m", "flask", "--app", "app", "advise", *args],
                          cwd=Path(__file__).resolve().parents[1], env=env, stdin=subprocess.DEVNULL,
                          stdout=subprocess.PIPE, stderr=stderr, timeout=120)


@pytest.mark.slow  # starts the real `flask` command in a new process
def test_the_progress_bar_shows_on_a_terminal_and_not_in_a_pipe(portfolio, tmp_path):
    (portfolio / "broken.json").unlink()
    (portfolio / "invalid.json").unlink()
    args = [str(portfolio), "--output", str(tmp_path / "advice")]
    piped = _run_advise(args, tmp_path, subprocess.PIPE)
    assert piped.returncode == 0
    assert piped.stderr == b""  # no bar, no label: scripts get clean output
    assert b"Advising" not in piped.stdout and b"%" not in piped.stdout

    terminal, child = pty.openpty()
    try:
        shown = _run_advise(args, tmp_path, child)
        os.close(child)
        screen = b""
        while True:
            try:
                chunk = os.read(terminal, 4096)
            except OSError:  # the terminal closed: everything has been read
                break
            if not chunk:
                break
            screen += chunk
    finally:
        os.close(terminal)
    assert shown.returncode == 0
    assert b"Advising  [####################################]  100%" in screen
    assert shown.stdout == piped.stdout  # the bar never reaches stdout
