"""Three teams use the site in a real headless Chromium against a real gunicorn server: each fills the form, reads
the one-page decision at the top of its report, changes its answers, and follows a change that would put another
service first."""
from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from test_browser import browser, first_ranked, page, pytestmark, server  # noqa: F401 - shared fixtures

TEAMS = [
    pytest.param({"name": "Payments API", "hours": "60", "staff": "2", "customisation": "Medium",
                  "isolation": "Dedicated", "workload": {"Longest single run": "5", "Memory": "4"}},
                 {"security_hours_per_month": 60, "patching_staff": 2, "customisation": "medium",
                  "isolation": "dedicated", "workload": {"max_duration_minutes": 5, "memory_gb": 4}}, id="payments"),
    pytest.param({"name": "Nightly ledger export", "hours": "12", "staff": "0", "customisation": "Low",
                  "isolation": "Standard", "workload": {"Longest single run": "45", "Memory": "8"}},
                 {"security_hours_per_month": 12, "patching_staff": 0, "customisation": "low",
                  "isolation": "standard", "workload": {"max_duration_minutes": 45, "memory_gb": 8}}, id="ledger"),
    pytest.param({"name": "Image thumbnailer", "hours": "25", "staff": "0", "customisation": "None",
                  "isolation": "Strong", "workload": {"Longest single run": "1", "Memory": "2"}},
                 {"security_hours_per_month": 25, "patching_staff": 0, "customisation": "none",
                  "isolation": "strong", "workload": {"max_duration_minutes": 1, "memory_gb": 2}}, id="thumbnails"),
]


def fill_the_form(page, team: dict) -> None:
    page.get_by_label("Application name").fill(team["name"])
    page.get_by_label("Security hours a month").fill(team["hours"])
    page.get_by_label("Patching staff").fill(team["staff"])
    page.locator("#f-customisation" if team["customisation"] == "None"
                 else f"#f-customisation-{team['customisation'].lower()}").check()
    page.locator("#f-isolation" if team["isolation"] == "Standard"
                 else f"#f-isolation-{team['isolation'].lower()}").check()
    for label, value in team["workload"].items():
        page.get_by_label(label).fill(value)
    page.get_by_role("button", name="See the recommendation").click()


@pytest.mark.parametrize("team, profile", TEAMS)
def test_a_team_reads_its_decision_first_changes_its_answers_and_follows_a_what_if(server, page, team, profile):
    page.goto(server + "/")
    fill_the_form(page, team)
    page.wait_for_url(re.compile(r"/reports/[0-9a-f]{32}$"))
    report_url = page.url

    # What the team sees first, without scrolling, is the decision: first place, how firm, why, hours and risks.
    expected = first_ranked(server, profile)
    expect(page.get_by_role("heading", level=1)).to_have_text(team["name"])
    decision = page.locator("#decision")
    expect(decision.locator(".verdict strong")).to_have_text(expected)
    viewport = page.viewport_size["height"]
    verdict = decision.locator(".verdict").bounding_box()
    assert verdict["y"] + verdict["height"] < viewport  # on screen as the page opens
    # only the title, the date, any warning and the links to other formats stand above it
    assert page.locator("article.report > section").first.get_attribute("id") == "decision"
    for heading in ("Why", "The team’s hours", "What the team owns", "Risks the team still carries",
                    "What would change the answer"):
        expect(decision.get_by_text(heading, exact=True)).to_be_visible()
    expect(decision.locator(".decision-reasons li")).to_have_count(3)
    assert page.locator("#recommendation").bounding_box()["y"] > decision.bounding_box()["y"]

    # Change the answers: the form comes back filled with this report's answers.
    page.get_by_role("link", name="Change the answers").click()
    page.wait_for_url(report_url + "/edit")
    expect(page.get_by_label("Application name")).to_have_value(team["name"])
    expect(page.get_by_label("Security hours a month")).to_have_value(team["hours"])
    expect(page.get_by_label("Longest single run")).to_have_value(team["workload"]["Longest single run"])

    # A change that would put another service first opens the form with it made; sending it makes a new report.
    page.goto(report_url)
    change = page.locator("#decision .decision-changes a").first
    sentence = change.inner_text()
    other = re.search(r", (.+) would rank first\.$", sentence).group(1)
    change.click()
    page.wait_for_url(re.compile(re.escape(report_url) + r"/edit\?"))
    expect(page.locator("#editing")).to_contain_text("changed")
    expect(page.get_by_label("Application name")).to_have_value(team["name"])
    page.get_by_role("button", name="See the recommendation").click()
    page.wait_for_url(re.compile(r"/reports/[0-9a-f]{32}$"))
    assert page.url != report_url
    expect(page.locator("#decision .verdict strong")).to_have_text(other)
