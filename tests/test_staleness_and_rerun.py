"""Knowledge ages: answers warn past the configured age, and a saved assessment can be rerun to see what changed."""
import shutil
from datetime import timedelta

import pytest

from adapters.graph_files import load_knowledge_base
from conftest import BASE_PROFILE, FIXTURE_GRAPH_DATA
from schemas.rerun import RerunResultSchema

# Everything here runs on the fixture knowledge base: its layers code (3 h) and iam (2 h), Tasks sharing the
# runtime (5 h) with AWS, Functions leaving the team code and iam only.
_REVIEWED = load_knowledge_base(FIXTURE_GRAPH_DATA).reviewed_on
REVIEWED = _REVIEWED.isoformat()


def days_after(days: int) -> str:
    return (_REVIEWED + timedelta(days=days)).isoformat()


@pytest.fixture
def profile():
    """A team whose first place fits its capacity, so the only warning an answer may carry is about age."""
    return {**BASE_PROFILE, "security_hours_per_month": 40}


@pytest.fixture
def db(tmp_path):
    return f"sqlite:///{tmp_path / 'advisor.sqlite3'}"


def client_for(make_app, db, **config):
    return make_app(**{"GRAPH_DATA": str(FIXTURE_GRAPH_DATA), "DATABASE_URL": db, **config}).test_client()


def edit(path, old, new):
    text = path.read_text()
    assert old in text, old
    path.write_text(text.replace(old, new, 1))


@pytest.mark.parametrize("today, max_age, stale", [
    (days_after(0), 180, False),
    (days_after(180), 180, False),  # exactly 180 days old
    (days_after(181), 180, True),
    (days_after(11), 10, True),
])
def test_a_recommendation_warns_only_past_the_configured_age(make_app, db, profile, today, max_age, stale):
    client = client_for(make_app, db, TODAY=today, KB_MAX_AGE_DAYS=max_age)
    warnings = client.post("/api/v1/recommendations", json=profile).get_json()["warnings"]
    if not stale:
        assert warnings == []
        return
    (warning,) = warnings
    assert warning["code"] == "stale_knowledge_base" and warning["reviewed_on"] == REVIEWED
    assert warning["age_days"] > max_age == warning["max_age_days"]
    assert f"more than the {max_age} days allowed" in warning["message"]


def test_the_maximum_age_comes_from_the_environment(monkeypatch, make_app, db):
    monkeypatch.setenv("ADVISOR_KB_MAX_AGE_DAYS", "30")
    assert make_app(DATABASE_URL=db).config["KB_MAX_AGE_DAYS"] == 30


def test_a_saved_assessment_warns_once_the_knowledge_it_used_grows_old(make_app, db, profile):
    created = client_for(make_app, db, TODAY=days_after(3)).post("/api/v1/assessments", json=profile).get_json()
    assert created["warnings"] == []
    later = client_for(make_app, db, TODAY=days_after(246))
    body = later.get(f"/api/v1/assessments/{created['id']}").get_json()
    assert [w["code"] for w in body["warnings"]] == ["stale_knowledge_base"]
    assert body["recommendation"]["warnings"] == body["warnings"]

    def without_warnings(assessment):
        recommendation = {k: v for k, v in assessment["recommendation"].items() if k != "warnings"}
        return {**{k: v for k, v in assessment.items() if k != "warnings"}, "recommendation": recommendation}

    assert without_warnings(body) == without_warnings(created)


def test_rerun_on_an_unchanged_knowledge_base_finds_no_difference(make_app, db, profile):
    client = client_for(make_app, db)
    created = client.post("/api/v1/assessments", json={**profile, "services": ["cluster", "tasks", "functions"]}).get_json()
    response = client.post(f"/api/v1/assessments/{created['id']}/rerun")
    assert response.status_code == 200
    body = response.get_json()
    assert RerunResultSchema().validate(body) == {}
    assert body["changed"] is False and body["ranking_changes"] == [] and body["ownership_changes"] == []
    assert body["knowledge_base_version"]["old"] == body["knowledge_base_version"]["new"]
    assert body["recommendation"]["ranking"] == created["recommendation"]["ranking"]
    assert body["links"]["assessment"] == f"/api/v1/assessments/{created['id']}"


def test_rerun_after_the_knowledge_base_changes_shows_what_moved_and_keeps_the_original(make_app, db,
                                                                                      fixture_graph_copy, profile):
    old = client_for(make_app, db)
    created = old.post("/api/v1/assessments", json=profile).get_json()
    # the application's code now takes 60 hours, past the team's 40 on every service; Tasks' runtime is the team's
    edit(fixture_graph_copy / "layers.toml", "hours_per_month = 3\n", "hours_per_month = 60\n")
    edit(fixture_graph_copy / "services" / "tasks.toml",
         'owner = "shared"\nteam_share = 0.5\nteam_share_basis = "assumption: fixture share"\n', 'owner = "customer"\n')
    new = client_for(make_app, db, GRAPH_DATA=str(fixture_graph_copy))
    body = new.post(f"/api/v1/assessments/{created['id']}/rerun").get_json()
    assert body["changed"] is True
    versions = body["knowledge_base_version"]
    assert versions["old"] == created["knowledge_base_version"] != versions["new"]
    changed_scores = {c["service"]: c for c in body["ranking_changes"]}
    assert set(changed_scores) == {"machines", "tasks", "functions"}
    assert all(c["old"]["score"] != c["new"]["score"] for c in changed_scores.values())
    tasks = next(c for c in body["ownership_changes"] if c["service"] == "tasks")
    assert {"layer": "runtime", "owner": {"old": "shared", "new": "customer"},
            "team_hours_per_month": {"old": 2.5, "new": 5.0}} in tasks["layers"]
    code = next(l for l in tasks["layers"] if l["layer"] == "code")
    assert code["team_hours_per_month"] == {"old": 3.0, "new": 60.0} and code["owner"]["old"] == code["owner"]["new"]
    assert tasks["burden_hours_per_month"] == {"old": 7.5, "new": 67.0}
    assert tasks["team_gains"] == [] and tasks["team_loses"] == []
    assert new.get(f"/api/v1/assessments/{created['id']}").get_json()["recommendation"] == created["recommendation"]


def test_rerun_reports_layers_the_team_gains_or_loses(make_app, db, fixture_graph_copy, profile):
    created = client_for(make_app, db).post("/api/v1/assessments", json=profile).get_json()
    edit(fixture_graph_copy / "services" / "functions.toml", '[ownership.iam]\nowner = "customer"',
         '[ownership.iam]\nowner = "aws"')
    rerun = client_for(make_app, db, GRAPH_DATA=str(fixture_graph_copy)).post(f"/api/v1/assessments/{created['id']}/rerun")
    functions = next(c for c in rerun.get_json()["ownership_changes"] if c["service"] == "functions")
    assert functions["team_loses"] == ["iam"] and functions["team_gains"] == []


def test_rerun_of_an_unknown_assessment_is_a_404(make_app, db):
    response = client_for(make_app, db).post("/api/v1/assessments/" + "0" * 32 + "/rerun")
    assert response.status_code == 404 and response.mimetype == "application/problem+json"


def test_rerun_when_the_overlay_is_gone_is_a_409_naming_it(make_app, db, fixture_graph_copy, profile):
    created = client_for(make_app, db).post("/api/v1/assessments", json={**profile, "overlay": "platform_team"}).get_json()
    shutil.rmtree(fixture_graph_copy / "overlays")
    response = client_for(make_app, db, GRAPH_DATA=str(fixture_graph_copy)).post(f"/api/v1/assessments/{created['id']}/rerun")
    assert response.status_code == 409 and set(response.get_json()["errors"]) == {"overlay"}


def test_rerun_stores_nothing(make_app, db, profile):
    client = client_for(make_app, db)
    created = client.post("/api/v1/assessments", json=profile).get_json()
    client.post(f"/api/v1/assessments/{created['id']}/rerun")
    assert client.get("/api/v1/assessments").get_json()["total"] == 1


@pytest.mark.parametrize("today, stale", [(days_after(180), False), (days_after(181), True)])
def test_a_report_warns_in_the_page_and_the_record_only_once_its_knowledge_is_too_old(make_app, db, profile, today,
                                                                                   stale):
    created = client_for(make_app, db, TODAY=days_after(3)).post("/api/v1/assessments", json=profile).get_json()
    later = client_for(make_app, db, TODAY=today)
    page = later.get(created["links"]["report_html"], headers={"Accept": "text/html"}).get_data(as_text=True)
    record = later.get(created["links"]["report_markdown"]).get_data(as_text=True)
    sentence = f"documentation on {REVIEWED}, 181 days ago, more than the 180 days allowed"
    assert ("may be out of date" in page, sentence in page) == (stale, stale)
    assert ("may be out of date" in record, sentence in record) == (stale, stale)
    if stale:  # prominent: at the top of the page and straight under the record's title
        assert page.index('class="notice notice--warning"') < page.index('id="recommendation"')
        assert record.index("> **Warning: the AWS facts") < record.index("## Context and Problem Statement")
