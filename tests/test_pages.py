"""The requirements form through the test client: questions, validation, CSRF and the redirect to the report."""
import html as html_lib
import json
import re

import pytest

from form_helpers import VALID_FORM, Elements, assert_no_inline_code, submit_form
from web.profile_form import LABELS, field_id

HTML = {"Accept": "text/html"}


def saved_count(client) -> int:
    return client.get("/api/v1/assessments").get_json()["total"]


def test_the_form_labels_every_question_and_explains_it(client):
    response = client.get("/")
    assert response.status_code == 200 and response.mimetype == "text/html"
    page = Elements(response.get_data(as_text=True))
    labelled = {a["for"] for a in page.all("label")}
    for name in LABELS:
        _, attrs = page.by_id(field_id(name))
        assert attrs["name"] == name
        assert field_id(name) in labelled, f"{name} has no label"
        page.by_id(f"{field_id(name)}-hint")  # every question has its help text...
        grouped = attrs.get("type") == "radio" or name == "services"  # the group's fieldset carries the hint
        described = attrs.get("aria-describedby", "").split() if not grouped else \
            [d for a in page.all("fieldset") for d in a.get("aria-describedby", "").split()]
        assert f"{field_id(name)}-hint" in described, f"...tied to it: {name}"
    text = " ".join(page.text)
    assert "No kernel shared with any other workload" in text  # what strong isolation means
    assert "Developers who only update their own code’s libraries do not count" in text  # who patches
    assert "custom kernels" in text  # what the high customisation level covers
    assert [a for a in page.all("input") if a.get("name") == "csrf_token"]


def test_the_form_groups_questions_in_fieldsets_with_legends(client):
    html = client.get("/").get_data(as_text=True)
    assert html.count("<fieldset") == html.count("<legend>") + html.count("<legend ") >= 6
    assert "Workload limits <span class=\"optional\">(optional)</span>" in html


def test_the_form_starts_with_sensible_defaults(client):
    page = Elements(client.get("/").get_data(as_text=True))
    assert page.by_id("f-security_hours_per_month")[1]["value"] == "20"
    assert page.by_id("f-patching_staff")[1]["value"] == "0"
    checked = {a["name"]: a["value"] for a in page.all("input") if a.get("type") == "radio" and "checked" in a}
    assert checked == {"customisation": "low", "isolation": "standard", "workload.os": "linux",
                       "workload.arch": "", "workload.invocation": "", "overlay": "", "workload.on_ec2": "containers",
                       "workload.lambda_package": "zip", "calibration": ""}  # any, either, nobody else, defaults
    assert page.by_id("f-workload-memory_gb")[1]["value"] == ""
    ticked = [a["value"] for a in page.all("input") if a.get("name") == "services" and "checked" in a]
    assert sorted(ticked) == ["ec2", "ecs", "fargate", "lambda"]


def test_pages_carry_no_inline_script_or_style(client):
    assert_no_inline_code(client.get("/").get_data(as_text=True))
    assert_no_inline_code(submit_form(client, {**VALID_FORM, "patching_staff": "x"}).get_data(as_text=True))


def test_a_valid_submission_redirects_303_to_a_report_of_the_first_ranked_service(client, profile):
    response = submit_form(client, VALID_FORM)
    assert response.status_code == 303
    assert response.headers["Location"].startswith("/reports/")
    report = client.get(response.headers["Location"], headers=HTML)
    assert report.status_code == 200
    expected = client.post("/api/v1/recommendations", json={**profile, "name": "Payments API"}).get_json()
    first = expected["ranking"][0]["name"]
    assert f"<strong>{first}</strong> ranks first" in report.get_data(as_text=True).replace("&amp;", "&")
    assert saved_count(client) == 1


def test_the_form_and_the_api_store_the_same_profile(client, profile):
    location = submit_form(client, {**VALID_FORM, "workload.max_duration_minutes": " 60 ", "workload.gpu": "yes"}
                           ).headers["Location"]
    saved = client.get(f"/api/v1/assessments/{location.rsplit('/', 1)[1]}").get_json()
    assert saved["recommendation"]["profile"]["workload"] == {
        "max_duration_minutes": 60.0, "gpu": True, "privileged": False, "always_on": False, "os": "linux",
        "daemonsets": False, "on_ec2": "containers", "lambda_package": "zip"}
    assert saved["name"] == "Payments API"


def test_ticking_a_gpu_rules_out_the_services_without_one(client):
    location = submit_form(client, {**VALID_FORM, "workload.gpu": "yes"}).headers["Location"]
    html = client.get(location, headers=HTML).get_data(as_text=True)
    assert "offers no GPU" in html and "becomes eligible if the workload runs without a GPU" in html


@pytest.mark.parametrize("field, value, message", [
    ("patching_staff", "1.5", "Enter a whole number of people"),
    ("patching_staff", "-1", "Enter a number of people from 0 to 10,000"),
    ("security_hours_per_month", "lots", "Enter the hours as a number"),
    ("security_hours_per_month", "", "Enter how many hours a month"),
    ("workload.memory_gb", "-3", "Enter a number above 0 and up to 1,000,000"),
    ("workload.vcpu", "two", "Enter a number, or leave it blank"),
    ("name", "x" * 201, "Keep the name to 200 characters or fewer."),
])
def test_a_bad_answer_re_renders_the_form_with_the_message_beside_the_field(client, field, value, message):
    response = submit_form(client, {**VALID_FORM, field: value})
    assert response.status_code == 422 and response.mimetype == "text/html"
    html = response.get_data(as_text=True)
    page = Elements(html)
    fid = field_id(field)
    _, error = page.by_id(f"{fid}-error")
    _, attrs = page.by_id(fid)
    assert attrs["aria-invalid"] == "true"
    assert f"{fid}-error" in attrs["aria-describedby"].split()
    error_text = html.split(f'id="{fid}-error"', 1)[1].split("</p>", 1)[0]
    assert message in error_text
    assert attrs["value"] == value  # what was typed is kept
    assert page.by_id("error-summary")[1]["role"] == "alert"
    assert [a for a in page.all("a") if a.get("href") == f"#{fid}"], "the summary links to the field"
    assert "<title>Error:" in html
    assert saved_count(client) == 0


def test_every_answer_is_kept_when_the_form_comes_back(client):
    answers = {**VALID_FORM, "patching_staff": "many", "isolation": "strong", "customisation": "high",
               "workload.memory_gb": "12", "workload.privileged": "yes", "workload.os": "windows"}
    page = Elements(submit_form(client, answers).get_data(as_text=True))
    checked = {a["name"]: a["value"] for a in page.all("input") if a.get("type") in ("radio", "checkbox")
               and "checked" in a}
    assert checked == {"customisation": "high", "isolation": "strong", "workload.os": "windows",
                       "workload.privileged": "yes", "workload.arch": "", "workload.invocation": "", "overlay": "",
                       "calibration": "", "workload.on_ec2": "containers", "workload.lambda_package": "zip"}
    assert page.by_id("f-workload-memory_gb")[1]["value"] == "12"
    assert page.by_id("f-name")[1]["value"] == "Payments API"


def test_a_choice_the_form_never_offered_is_refused_beside_its_question(client):
    response = submit_form(client, {**VALID_FORM, "isolation": "bulletproof"})
    assert response.status_code == 422
    _, first_radio = Elements(response.get_data(as_text=True)).by_id("f-isolation")
    assert first_radio["aria-invalid"] == "true" and "f-isolation-error" in first_radio["aria-describedby"]


def test_csrf_protection_is_on_by_default(tmp_path, monkeypatch):
    from app import create_app
    monkeypatch.setenv("ADVISOR_INSTANCE_PATH", str(tmp_path))
    app = create_app({"DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}"})
    assert app.config["WTF_CSRF_ENABLED"] is True
    app.extensions["advisor.store"].dispose()


@pytest.mark.parametrize("token", [None, "forged-token"])
def test_a_form_post_without_a_valid_csrf_token_is_refused_and_saves_nothing(make_app, tmp_path, token):
    client = make_app(DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}", WTF_CSRF_ENABLED=True).test_client()
    data = dict(VALID_FORM) if token is None else {**VALID_FORM, "csrf_token": token}
    response = client.post("/", data=data, headers=HTML)
    assert response.status_code == 400 and response.mimetype == "text/html"
    assert "Open the form again" in response.get_data(as_text=True)
    assert saved_count(client) == 0


def test_a_csrf_token_from_another_session_is_refused(make_app, tmp_path):
    app = make_app(DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}", WTF_CSRF_ENABLED=True)
    from form_helpers import csrf_token
    stolen = csrf_token(app.test_client())
    response = app.test_client().post("/", data={**VALID_FORM, "csrf_token": stolen}, headers=HTML)
    assert response.status_code == 400


def test_the_json_api_needs_no_csrf_token(make_app, tmp_path, profile):
    client = make_app(DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}", WTF_CSRF_ENABLED=True).test_client()
    assert client.post("/api/v1/recommendations", data=json.dumps(profile),
                       content_type="application/json").status_code == 200
    assert client.post("/api/v1/assessments", data=json.dumps(profile),
                       content_type="application/json").status_code == 201


def test_the_report_index_lists_saved_reports_newest_first(client):
    for name in ("first app", "second app"):
        submit_form(client, {**VALID_FORM, "name": name})
    html = client.get("/reports", headers=HTML).get_data(as_text=True)
    assert html.index("second app") < html.index("first app")
    assert "2 saved reports" in html


def test_the_report_index_is_empty_before_any_report(client):
    html = client.get("/reports", headers=HTML).get_data(as_text=True)
    assert "No reports yet" in html


def ticked(page: Elements, name: str) -> list[str]:
    return [a["value"] for a in page.all("input") if a.get("name") == name and "checked" in a]


def test_the_form_offers_every_service_and_overlay_of_the_knowledge_base(client):
    page = Elements(client.get("/").get_data(as_text=True))
    services = [s["id"] for s in client.get("/api/v1/services").get_json()["services"]]
    offered = [a["value"] for a in page.all("input") if a.get("name") == "services"]
    assert sorted(offered) == sorted(services) and len(offered) == 8
    assert offered[:4] == ["ec2", "ecs", "fargate", "lambda"]  # the default set first
    assert [a["value"] for a in page.all("input") if a.get("name") == "overlay"] == ["", "platform_team"]
    text = " ".join(" ".join(page.text).split())
    assert "A central platform team runs the container hosts" in text
    assert "Platform team takes over, on Amazon ECS on EC2: instance operating system, container runtime and agent, " \
           "capacity and scaling; on Amazon EKS (managed node groups):" in text
    assert "If you untick every box, the advisor compares those four." in text
    assert "AWS Graviton processors" in text and "runs no DaemonSets" in text


def test_no_element_id_is_used_twice_so_every_hint_reaches_its_field(client):
    for response in (client.get("/"), submit_form(client, {**VALID_FORM, "patching_staff": "x"})):
        ids = [a["id"] for _, a in Elements(response.get_data(as_text=True)).tags if "id" in a]
        assert len(ids) == len(set(ids)), sorted(i for i in ids if ids.count(i) > 1)


def test_the_form_and_the_api_store_the_same_profile_with_services_overlay_and_new_workload_fields(client, profile):
    answers = {**VALID_FORM, "services": ["ecs", "eks", "lambda"], "overlay": "platform_team",
               "workload.arch": "arm64", "workload.invocation": "async", "workload.daemonsets": "yes"}
    location = submit_form(client, answers).headers["Location"]
    from_form = client.get(f"/api/v1/assessments/{location.rsplit('/', 1)[1]}").get_json()["recommendation"]
    body = {**profile, "name": "Payments API", "services": ["ecs", "eks", "lambda"], "overlay": "platform_team",
            "workload": {"os": "linux", "arch": "arm64", "invocation": "async", "daemonsets": True}}
    from_api = client.post("/api/v1/assessments", json=body).get_json()["recommendation"]
    assert from_form["profile"] == from_api["profile"]
    assert from_form["overlay"]["id"] == "platform_team"
    assert [e["service"] for e in from_form["ranking"]] == [e["service"] for e in from_api["ranking"]]
    report = client.get(location, headers=HTML).get_data(as_text=True)
    assert "Platform team" in report and "Arm64 (AWS Graviton)" in report


def test_leaving_every_service_unticked_compares_the_default_four(client):
    location = submit_form(client, {**VALID_FORM, "overlay": ""}).headers["Location"]
    saved = client.get(f"/api/v1/assessments/{location.rsplit('/', 1)[1]}").get_json()["recommendation"]
    assert "services" not in saved["profile"] and "overlay" not in saved["profile"]
    assert sorted(e["service"] for e in saved["ranking"]) == ["ec2", "ecs", "fargate", "lambda"]


def test_a_re_rendered_form_keeps_the_ticked_services_the_overlay_and_the_new_workload_answers(client):
    answers = {**VALID_FORM, "security_hours_per_month": "lots", "services": ["eks", "lambda_managed_instances"],
               "overlay": "platform_team", "workload.arch": "x86_64", "workload.invocation": "sync",
               "workload.daemonsets": "yes"}
    response = submit_form(client, answers)
    assert response.status_code == 422
    page = Elements(response.get_data(as_text=True))
    assert ticked(page, "services") == ["eks", "lambda_managed_instances"]
    assert ticked(page, "overlay") == ["platform_team"]
    assert ticked(page, "workload.arch") == ["x86_64"] and ticked(page, "workload.invocation") == ["sync"]
    assert ticked(page, "workload.daemonsets") == ["yes"]
    assert saved_count(client) == 0


@pytest.mark.parametrize("field, value, message", [
    ("services", ["ecs", "mainframe"], "“mainframe” is not a service the advisor knows"),
    ("services", ["ecs", "ecs"], "Tick each service once."),
    ("services", ["ECS!"], "Tick only services from the list."),
    ("overlay", "skunkworks", "“skunkworks” is not an arrangement the advisor knows"),
    ("workload.arch", "sparc", "Choose one of the answers listed."),
    ("workload.invocation", "carrier_pigeon", "Choose one of the answers listed."),
])
def test_a_service_overlay_or_choice_the_form_never_offered_is_refused_beside_its_question(client, field, value,
                                                                                          message):
    response = submit_form(client, {**VALID_FORM, field: value})
    assert response.status_code == 422 and response.mimetype == "text/html"
    html = response.get_data(as_text=True)
    fid = field_id(field)
    assert message in html_lib.unescape(html.split(f'id="{fid}-error"', 1)[1].split("</p>", 1)[0])
    _, first = Elements(html).by_id(fid)
    assert first["aria-invalid"] == "true" and f"{fid}-error" in first["aria-describedby"].split()
    assert saved_count(client) == 0


@pytest.mark.parametrize("path", ["/", "/reports", "/compare?from=machines&to=tasks"])
def test_the_pages_speak_of_aws_facts_never_of_a_knowledge_base(fixture_client, profile, path):
    fixture_client.post("/api/v1/assessments", json={**profile, "name": "Ledger"})
    page = fixture_client.get(path, headers=HTML)
    assert page.status_code == 200
    text = " ".join(re.sub(r"<[^>]+>", " ", page.get_data(as_text=True)).split()).lower()
    assert "knowledge base" not in text and "aws facts" in text
