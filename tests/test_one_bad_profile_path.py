"""A bad profile is refused the same way, with the same field messages, by the API, the form, the batch and the CLI.

One application service decides what a bad profile is; each interface only shows its messages.
"""
import html
import json
import re
import shutil

import pytest

from form_helpers import VALID_FORM, submit_form
from web.profile_form import form_errors

# A level the knowledge base does not declare and a negative head count: both refused by the profile's rules.
BAD = {"security_hours_per_month": 20, "patching_staff": -1, "customisation": "extreme", "isolation": "standard"}
EXPECTED = {
    "customisation": ["Must be one of: none, low, medium, high."],
    "patching_staff": ["Must be greater than or equal to 0 and less than or equal to 10000."],
}


def form_messages(page: str) -> dict[str, list[str]]:
    found = re.findall(r'<p class="error-message" id="f-([a-z_-]+)-error"><span class="visually-hidden">Error: </span>'
                       r'([^<]*)</p>', page)
    return {name.replace("-", "."): [html.unescape(text)] for name, text in found}


def cli_messages(output: str) -> dict[str, list[str]]:
    return {m.group(1): [m.group(2)] for m in re.finditer(r"^  ([a-z_.]+): (.*)$", output, re.MULTILINE)}


def test_the_api_refuses_it_with_a_422_naming_each_field(fixture_client):
    response = fixture_client.post("/api/v1/recommendations", json=BAD)
    assert response.status_code == 422
    assert response.mimetype == "application/problem+json"
    assert response.json["errors"] == EXPECTED
    assert response.json["detail"] == "2 fields are invalid: customisation, patching_staff."


def test_saving_it_through_the_api_stores_nothing(fixture_client):
    assert fixture_client.post("/api/v1/assessments", json=BAD).status_code == 422
    assert fixture_client.get("/api/v1/assessments").json["total"] == 0


def test_the_batch_answers_the_same_problem_in_its_place(fixture_client, profile):
    response = fixture_client.post("/api/v1/recommendations/batch", json={"profiles": [profile, BAD]})
    assert response.status_code == 200
    good, bad = response.json["results"]
    assert good["ranking"]
    assert bad["status"] == 422 and bad["errors"] == EXPECTED
    assert bad["instance"] == "/api/v1/recommendations/batch#/profiles/1"


def test_the_form_shows_the_same_messages_beside_the_fields_worded_for_people(fixture_client):
    fields = {**VALID_FORM, "patching_staff": "-1", "customisation": "extreme"}
    response = submit_form(fixture_client, fields)
    assert response.status_code == 422
    assert form_messages(response.get_data(as_text=True)) == form_errors(EXPECTED)
    assert form_errors(EXPECTED) == {"customisation": ["Choose one of the answers listed."],
                                     "patching_staff": ["Enter a number of people from 0 to 10,000, for example 0 or 2."]}


def test_the_cli_names_the_file_and_the_same_messages(fixture_runner, tmp_path):
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(BAD))
    result = fixture_runner.invoke(args=["advise", str(path)])
    assert result.exit_code == 1
    assert f"{path}: not a valid profile; 2 fields are wrong:" in result.output
    assert cli_messages(result.output) == EXPECTED


def test_a_profile_that_is_not_an_object_gets_one_message_in_the_batch(fixture_client, profile):
    response = fixture_client.post("/api/v1/recommendations/batch", json={"profiles": [[1, 2]]})
    problem = response.json["results"][0]
    assert problem["status"] == 422 and problem["detail"] == "A profile must be a JSON object."


@pytest.fixture
def without_level_none(fixture_graph_copy, make_app, tmp_path):
    """The app on a knowledge base that declares no customisation level "none"."""
    meta = fixture_graph_copy / "knowledge_base.toml"
    text = meta.read_text()
    start = text.index('[[customisation_levels]]\nid = "none"')
    end = text.index("[[customisation_levels]]", start + 1)
    meta.write_text(text[:start] + text[end:])
    return make_app(GRAPH_DATA=str(fixture_graph_copy), DATABASE_URL=f"sqlite:///{tmp_path / 'levels.sqlite3'}")


def test_the_api_document_offers_the_levels_the_knowledge_base_declares(without_level_none):
    spec = without_level_none.test_client().get("/api/v1/openapi.json").get_json()
    profile = spec["components"]["schemas"]["Profile"]["properties"]
    assert profile["customisation"]["enum"] == ["low", "medium", "high"]
    assert profile["isolation"]["enum"] == ["standard", "strong", "dedicated"]


@pytest.mark.parametrize("path", ["/api/v1/recommendations", "/api/v1/assessments"])
def test_a_level_the_knowledge_base_does_not_declare_is_a_422_not_a_500(without_level_none, profile, path):
    response = without_level_none.test_client().post(path, json={**profile, "customisation": "none"})
    assert response.status_code == 422
    assert response.json["errors"] == {"customisation": ["Must be one of: low, medium, high."]}


def test_kb_check_names_file_and_field_when_a_level_the_form_relies_on_is_missing(fixture_graph_copy, fixture_runner):
    meta = fixture_graph_copy / "knowledge_base.toml"
    text = meta.read_text()
    start = text.index('[[isolation_levels]]\nid = "standard"')
    end = text.index("[[isolation_levels]]", start + 1)
    meta.write_text(text[:start] + text[end:])
    for service in (fixture_graph_copy / "services").glob("*.toml"):
        service.write_text(re.sub(r"\[isolation\.standard\]\n(.+\n)+\n", "", service.read_text()))
    result = fixture_runner.invoke(args=["kb", "check", "--path", str(fixture_graph_copy)])
    assert result.exit_code == 1
    assert "knowledge_base.toml: isolation_levels: no level 'standard'" in result.output


def test_kb_check_passes_on_the_fixture(fixture_runner, fixture_graph_copy):
    shutil.rmtree(fixture_graph_copy / "overlays")
    result = fixture_runner.invoke(args=["kb", "check", "--path", str(fixture_graph_copy)])
    assert result.exit_code == 0, result.output
