"""The one-page decision that opens every report, and the evidence after it: reasons filled in, sources named,
the hours caveat beside every figure of hours. On the fixture knowledge base."""
from __future__ import annotations

import html as html_lib
import re

import pytest

from web.report_model import robustness_summary

HTML = {"Accept": "text/html"}


def words(fragment: str) -> str:
    return " ".join(html_lib.unescape(re.sub(r"<[^>]+>", " ", fragment)).split())


def section(html: str, section_id: str) -> str:
    start = html.index(f'id="{section_id}"')
    return html[start:html.index("</section>", start)]


@pytest.fixture
def report(fixture_client, profile):
    saved = fixture_client.post("/api/v1/assessments", json={**profile, "name": "Ledger"}).get_json()
    page = fixture_client.get(saved["links"]["report_html"], headers=HTML).get_data(as_text=True)
    return saved, page


def test_the_decision_comes_before_any_evidence(report):
    _, page = report
    decision = page.index('id="decision"')
    assert decision < page.index('id="recommendation"') < page.index('id="services"') < page.index('id="matrix"')
    # nothing but the title, the date and any warning stands before it
    assert "<table" not in page[:decision] and "<svg" not in page[:decision]


def test_the_decision_names_first_place_how_firm_it_is_and_three_reasons(report):
    saved, page = report
    first = next(e for e in saved["recommendation"]["ranking"] if e["eligible"])
    decision = section(page, "decision")
    assert f"{first['name']} ranks first, with {first['score']:.1f} points out of 100" in words(decision)
    firmness = saved["recommendation"]["robustness"]["label"]
    assert f"firmness-label--{firmness}" in decision
    reasons = re.findall(r"<li>(.*?)</li>", decision.split('class="decision-reasons"', 1)[1].split("</ol>", 1)[0],
                         re.S)
    assert len(reasons) == 3 and all(words(r) in first["reasons"] for r in reasons)


def test_the_decision_sets_platform_and_application_hours_against_capacity_and_staff(report, profile):
    saved, page = report
    first = next(e for e in saved["recommendation"]["ranking"] if e["eligible"])
    hours = words(page.split('class="hours-split"', 1)[1].split("</dd>", 1)[0])
    assert (f"{first['burden_hours_per_month']:g} hours a month of security work "
            f"({first['platform_hours_per_month']:g} on the platform, {first['application_hours_per_month']:g} on "
            f"the application’s own code, configuration and data), against the "
            f"{profile['security_hours_per_month']:g} hours the team has") in hours
    assert f"{first['patching_staff_needed']:g} patching staff needed, against the {profile['patching_staff']:g}" in hours
    assert "Hours are planning assumptions" in hours


def test_the_decision_says_in_one_line_what_the_team_owns(report):
    saved, page = report
    first = next(e for e in saved["recommendation"]["ranking"] if e["eligible"])
    owns = words(page.split('class="team-owns">', 1)[1].split("</dd>", 1)[0])
    assert owns.startswith(f"The team owns or shares {len(first['team_owns'])} of ")
    assert owns.endswith(f"AWS owns the other {len(first['aws_owns'])}.")
    for item in first["team_owns"]:
        assert item["name"].lower() in owns.lower()


def test_the_decision_names_the_incidents_the_team_would_still_act_on(fixture_client, profile):
    # A library flaw lands on the application's own code, which the team keeps on every service.
    saved = fixture_client.post("/api/v1/assessments", json={**profile, "name": "Ledger"}).get_json()
    page = fixture_client.get(saved["links"]["report_html"], headers=HTML).get_data(as_text=True)
    risks = words(page.split('class="decision-risks"', 1)[1].split("</ul>", 1)[0])
    assert "the team acts on" in risks
    assert "knowledge base" not in words(section(page, "decision")).lower()


def test_the_changes_that_would_change_the_answer_open_the_form_with_that_change(report, fixture_client):
    saved, page = report
    thresholds = saved["recommendation"]["robustness"]["thresholds"]
    changes = page.split('class="decision-changes"', 1)[1].split("</ul>", 1)[0]
    links = re.findall(r'<a href="([^"]+)">([^<]+)</a>', changes)
    assert 1 <= len(links) <= 2
    assert [html_lib.unescape(text) for _, text in links] == [t["sentence"] for t in thresholds[:len(links)]]
    href = html_lib.unescape(links[0][0])
    assert href.startswith(f"/reports/{saved['id']}/edit?")
    form = fixture_client.get(href, headers=HTML)
    assert form.status_code == 200 and "Ledger" in form.get_data(as_text=True)


def test_with_no_eligible_service_the_decision_says_nothing_fits(client, profile):
    body = {**profile, "name": "Ledger", "services": ["lambda", "fargate"],
            "workload": {"gpu": True, "os": "windows", "max_duration_minutes": 60}}
    saved = client.post("/api/v1/assessments", json=body).get_json()
    page = client.get(saved["links"]["report_html"], headers=HTML).get_data(as_text=True)
    assert "No service fits" in words(section(page, "decision"))
    assert 'class="decision-facts"' not in page


def test_every_why_cell_is_filled_or_left_out_of_its_row(report):
    _, page = report
    for table in re.findall(r'<table class="owns[^"]*">(.*?)</table>', page, re.S):
        body = table.split("<tbody>", 1)[1].split("</tbody>", 1)[0]
        for cell in re.findall(r"<td[^>]*>(.*?)</td>", body, re.S):
            assert words(cell), table[:200]


def test_the_seed_article_is_cited_by_its_title_wherever_it_is_a_source(report):
    _, page = report
    text = words(page)
    assert "seed" not in text.lower()
    assert "“How does the AWS Shared Responsibility Model work?” (2022)" in text


def test_every_figure_of_hours_carries_the_assumption_caveat_beside_it(report):
    _, page = report
    caveat = "Hours are planning assumptions for one typical workload, not AWS figures."
    team_tables = re.findall(r"<caption>What the team would own on .*?</caption>", page, re.S)
    assert team_tables and all(caveat in words(c) for c in team_tables)
    hours_chart = page.split('id="chart-hours"', 1)[0].rsplit("<figcaption>", 1)[1]
    assert caveat in words(hours_chart)
    ranking = page.split('<table class="ranking', 1)[1].split("</table>", 1)[1][:400]
    assert caveat in words(ranking)
    stacks = page.split('class="stacks"', 1)[1].split("<figure", 1)[0]
    assert caveat in words(stacks)


@pytest.mark.parametrize("leader, other, why", [
    ({"meets_needs": True, "fits_capacity": False}, {"meets_needs": False, "fits_capacity": False},
     ": A meets the application’s needs and B does not."),
    ({"meets_needs": True, "fits_capacity": True}, {"meets_needs": True, "fits_capacity": False},
     ": the team can carry A and not B."),
    ({"meets_needs": True, "fits_capacity": True}, {"meets_needs": True, "fits_capacity": True}, "."),
])
def test_a_first_place_that_scores_less_than_the_runner_up_says_why_it_is_first(leader, other, why):
    result = {"ranking": [{"service": "a", "name": "A", "eligible": True, **leader},
                          {"service": "b", "name": "B", "eligible": True, **other}],
              "robustness": {"label": "robust", "first": "a", "runner_up": "b", "margin": -8.7, "thresholds": []}}
    headline = robustness_summary(result)["headline"]
    assert headline == "A ranks above the runner-up, B, although it scores 8.7 points fewer" + why
