"""Change a saved report's answers and run it again: the form comes back filled, each what-if is one change away."""
from __future__ import annotations

import re
from pathlib import Path
from html import unescape
from urllib.parse import parse_qsl, urlsplit

import pytest
from werkzeug.datastructures import MultiDict
from form_helpers import Elements
from test_calibrations import with_calibration

from web.extensions import advisor
from web.reports import _render_report

EVERY_FIELD = {
    "name": "Payments API",
    "security_hours_per_month": 12.5,
    "patching_staff": 1,
    "customisation": "medium",
    "isolation": "strong",
    "overlay": "platform_team",
    "calibration": "slow_change",
    "services": ["machines", "cluster", "functions"],
    "workload": {"max_duration_minutes": 30, "memory_gb": 4, "vcpu": 2, "ephemeral_storage_gb": 1,
                 "gpu": False, "privileged": False, "always_on": True, "daemonsets": False, "os": "linux",
                 "arch": "arm64", "invocation": "async", "on_ec2": "kubernetes", "lambda_package": "image"},
    "weights": {"burden": 0.5, "patching": 0.25, "customisation": 0.2, "isolation": 0.1, "simplicity": 0.1},
}


@pytest.fixture
def client(fixture_graph_copy, make_app, tmp_path):
    """The fixture knowledge base with one effort calibration, so every answer of the form can be given."""
    app = make_app(GRAPH_DATA=str(with_calibration(fixture_graph_copy)),
                   DATABASE_URL=f"sqlite:///{tmp_path / 'edit.sqlite3'}")
    return app.test_client()


def save(client, profile: dict) -> dict:
    response = client.post("/api/v1/assessments", json=profile)
    assert response.status_code == 201, response.get_json()
    return response.get_json()


def page(client, path: str) -> str:
    response = client.get(path, headers={"Accept": "text/html"})
    assert response.status_code == 200, path
    return response.get_data(as_text=True)


def link(html: str, text: str) -> str:
    found = re.search(r'<a href="([^"]+)">' + re.escape(text) + "</a>", html)
    assert found, f"no link {text!r}"
    return unescape(found.group(1))


def what_ifs(html: str) -> list[tuple[str, str]]:
    """Each what-if of the report as (its link, its sentence)."""
    lists = re.findall(r'<ul class="what-ifs">(.*?)</ul>', html, re.S)
    return [(unescape(href), unescape(text)) for block in lists
            for href, text in re.findall(r'<li><a href="([^"]+)">([^<]+)</a></li>', block)]


def submitted(html: str) -> list[tuple[str, str]]:
    """What a browser sends for the form as shown: text and hidden inputs, the ticked boxes and chosen radios."""
    form = html[html.index('<form method="post"'):]
    form = form[:form.index("</form>")]
    fields = []
    for tag, attrs in Elements(form).tags:
        if tag != "input" or "name" not in attrs:
            continue
        if attrs.get("type") in ("radio", "checkbox") and "checked" not in attrs:
            continue
        fields.append((attrs["name"], attrs.get("value") or ""))
    return fields


def stored(client, assessment_id: str):
    """The assessment as saved: its profile and its result."""
    with client.application.app_context():
        return advisor().get(assessment_id)


def send(client, fields: list[tuple[str, str]]) -> str:
    """Post the form; the id of the report it saved."""
    response = client.post("/", data=MultiDict(fields), headers={"Accept": "text/html"})
    assert response.status_code == 303, response.get_data(as_text=True)[:2000]
    return response.headers["Location"].rsplit("/", 1)[1]


def test_change_the_answers_opens_the_form_filled_with_every_answer_of_the_report(client):
    saved = save(client, EVERY_FIELD)
    form = page(client, link(page(client, saved["links"]["report_html"]), "Change the answers"))
    sent = dict(submitted(form))
    assert sent["name"] == "Payments API"
    assert sent["security_hours_per_month"] == "12.5" and sent["patching_staff"] == "1"
    assert (sent["customisation"], sent["isolation"]) == ("medium", "strong")
    assert (sent["overlay"], sent["calibration"]) == ("platform_team", "slow_change")
    assert (sent["workload.on_ec2"], sent["workload.lambda_package"]) == ("kubernetes", "image")
    assert (sent["workload.arch"], sent["workload.invocation"]) == ("arm64", "async")
    assert sent["workload.always_on"] == "yes" and "workload.gpu" not in sent
    assert sent["weights.burden"] == "0.5" and "weights.patching" not in sent  # only what differs from the default
    assert [v for k, v in submitted(form) if k == "services"] == ["functions", "machines", "cluster"]
    assert "The answers of the report “Payments API”" in form


def test_sending_the_filled_form_unchanged_saves_a_new_report_with_the_same_answers(client):
    saved = save(client, EVERY_FIELD)
    form = page(client, f"/reports/{saved['id']}/edit")
    new_id = send(client, submitted(form))
    assert new_id != saved["id"]
    old, new = stored(client, saved["id"]), stored(client, new_id)
    assert sorted(new.profile.pop("services")) == sorted(old.profile.pop("services"))
    assert new.profile == old.profile
    assert new.result["ranking"] == old.result["ranking"]


def test_each_what_if_opens_the_form_with_that_one_change_and_running_it_puts_the_named_service_first(client):
    saved = save(client, {"name": "Orders", "security_hours_per_month": 20, "patching_staff": 0,
                          "customisation": "low", "isolation": "standard",
                          "workload": {"on_ec2": "kubernetes", "memory_gb": 4}})
    report = page(client, saved["links"]["report_html"])
    links = what_ifs(report)
    thresholds = saved["recommendation"]["robustness"]["thresholds"]
    assert len(links) == len(thresholds) >= 2
    original = dict(submitted(page(client, f"/reports/{saved['id']}/edit")))
    for (href, sentence), threshold in zip(links, thresholds):
        assert sentence == threshold["sentence"]
        assert urlsplit(href).path == f"/reports/{saved['id']}/edit"
        (field, value), = parse_qsl(urlsplit(href).query, keep_blank_values=True)
        assert field == threshold["input"]
        form = page(client, href)
        sent = submitted(form)
        changed = {k for k in {*original, *dict(sent)} - {"csrf_token"}  # signed with the time: it may differ
                   if original.get(k) != dict(sent).get(k)}
        assert changed == {field}, sentence
        assert "changed" in form
        new_id = send(client, sent)
        new = stored(client, new_id)
        assert new.result["ranking"][0]["service"] == threshold["first"], sentence
        old = stored(client, saved["id"]).profile  # which named no services: the form ticks the default set
        assert {k for k in {*new.profile, *old} - {"services"} if new.profile.get(k) != old.get(k)} == \
            {field.split(".")[0]}


def test_a_changed_answer_that_is_not_valid_comes_back_beside_its_field_and_saves_nothing(client):
    saved = save(client, EVERY_FIELD)
    form = page(client, f"/reports/{saved['id']}/edit?security_hours_per_month=plenty&nonsense=1")
    before = client.get("/api/v1/assessments").get_json()["total"]
    response = client.post("/", data=MultiDict(submitted(form)), headers={"Accept": "text/html"})
    assert response.status_code == 422
    assert "Enter the hours as a number" in response.get_data(as_text=True)
    assert 'name="weights.burden" value="0.5"' in response.get_data(as_text=True)  # kept for the next try
    assert client.get("/api/v1/assessments").get_json()["total"] == before


def test_changing_the_answers_of_a_report_that_does_not_exist_is_a_404_page(client):
    response = client.get("/reports/" + "0" * 32 + "/edit", headers={"Accept": "text/html"})
    assert response.status_code == 404
    assert "text/html" in response.content_type


def test_the_report_keeps_its_compare_link_and_printing_hides_what_only_works_on_screen(client):
    saved = save(client, {"security_hours_per_month": 20, "patching_staff": 0, "customisation": "low",
                          "isolation": "standard"})
    report = page(client, saved["links"]["report_html"])
    assert re.search(r'<p class="compare-link screen-only"><a href="/compare\?from=', report)
    assert '<a class="screen-only" href="#robustness">How firm first place is</a>' in report
    print_css = Path(client.application.static_folder, "css", "print.css").read_text()
    hidden = re.search(r"([^{}]*)\{\s*display: none !important;", print_css).group(1)
    assert ".screen-only" in hidden and ".formats" in hidden


def test_the_pdf_keeps_the_what_ifs_as_text_without_links_to_the_form(client):
    saved = save(client, {"security_hours_per_month": 20, "patching_staff": 0, "customisation": "low",
                          "isolation": "standard", "workload": {"memory_gb": 4}})
    with client.application.test_request_context():
        html = _render_report(advisor().get(saved["id"]), [], for_pdf=True)
    sentences = [t["sentence"] for t in saved["recommendation"]["robustness"]["thresholds"]]
    assert sentences and all(f"<li>{sentence}</li>" in unescape(html) for sentence in sentences)
    assert "/edit" not in html and "How firm first place is</a>" not in html
