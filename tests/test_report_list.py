"""The list of saved reports: what each one chose and how firmly, a search by application name, pages."""
import html as html_lib
import re

import pytest

from form_helpers import Elements

HTML = {"Accept": "text/html"}
TEAM = {"security_hours_per_month": 20, "patching_staff": 0, "customisation": "low", "isolation": "standard"}


@pytest.fixture
def client(fixture_client):
    return fixture_client


def save(client, **fields) -> dict:
    response = client.post("/api/v1/assessments", json={**TEAM, **fields})
    assert response.status_code == 201
    return response.get_json()


def rows(html: str) -> list[list[str]]:
    body = html.split("<tbody>", 1)[1].split("</tbody>", 1)[0]
    return [[" ".join(html_lib.unescape(re.sub(r"<[^>]+>", " ", cell)).split())
             for cell in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, re.S)]
            for row in re.findall(r"<tr>(.*?)</tr>", body, re.S)]


def test_each_row_shows_first_place_how_firm_it_is_and_whether_the_team_fits(client):
    roomy = save(client, name="Payments API")
    tight = save(client, name="Batch jobs", security_hours_per_month=0, workload={"gpu": True})
    (tight_row, roomy_row) = rows(client.get("/reports", headers=HTML).get_data(as_text=True))
    for row, saved in ((roomy_row, roomy), (tight_row, tight)):
        recommendation = saved["recommendation"]
        first = next(r for r in recommendation["ranking"] if r["eligible"])
        assert row[0] == saved["recommendation"]["profile"]["name"]
        assert row[2] == first["name"]
        assert row[3] == recommendation["robustness"]["label"].capitalize()
        fits = not [w for w in recommendation["warnings"] if w["type"] == "capacity"]
        assert row[4] == ("Yes" if fits else "No")
    assert roomy_row[4] == "Yes" and tight_row[4] == "No"


def test_a_search_finds_applications_by_part_of_their_name_in_any_case_and_keeps_it_across_pages(client):
    for number in range(5):
        save(client, name=f"Payments API {number}")
    save(client, name="Orders")
    save(client, name="100% coverage_tool")
    html = client.get("/reports?name=payments&per_page=2", headers=HTML).get_data(as_text=True)
    assert [row[0] for row in rows(html)] == ["Payments API 4", "Payments API 3"]
    assert "5 saved reports for applications named like “payments”, newest first: page 1 of 3" in \
        html_lib.unescape(html)
    page = Elements(html)
    assert page.by_id("f-name")[1]["value"] == "payments"
    older = next(a["href"] for a in page.all("a") if a.get("rel") == "next")
    assert "name=payments" in older
    assert [row[0] for row in rows(client.get(html_lib.unescape(older), headers=HTML).get_data(as_text=True))] == \
        ["Payments API 2", "Payments API 1"]
    # the wildcards of SQL match only themselves
    assert [row[0] for row in rows(client.get("/reports?name=0%25+c", headers=HTML).get_data(as_text=True))] == \
        ["100% coverage_tool"]
    assert [row[0] for row in rows(client.get("/reports?name=_", headers=HTML).get_data(as_text=True))] == \
        ["100% coverage_tool"]
    api = client.get("/api/v1/assessments?name=PAYMENTS&per_page=2").get_json()
    assert api["total"] == 5 and "name=PAYMENTS" in api["links"]["next"]


def test_a_search_that_finds_nothing_says_so_and_offers_every_report(client):
    save(client, name="Orders")
    html = html_lib.unescape(client.get("/reports?name=payroll", headers=HTML).get_data(as_text=True))
    assert "No saved report for an application named like “payroll”." in html
    assert "<tbody>" not in html


def test_the_pages_are_numbered_and_a_page_past_the_end_says_where_the_reports_are(client):
    for number in range(7):
        save(client, name=f"App {number}")
    html = client.get("/reports?per_page=2&page=2", headers=HTML).get_data(as_text=True)
    pager = Elements(html.split('aria-label="Pages of reports">', 1)[1].split("</nav>", 1)[0])
    assert [" ".join(t.split()) for t in pager.text if t.strip()] == ["Newer", "1", "2", "3", "4", "Older"]
    assert [a for a in pager.all("a") if a.get("aria-current") == "page"][0]["href"].endswith("page=2")
    past = html_lib.unescape(client.get("/reports?per_page=2&page=9", headers=HTML).get_data(as_text=True))
    assert "There is no page 9: the 7 saved reports fill 4 pages." in past


@pytest.mark.parametrize("query, field", [("name=" + "x" * 201, "name"), ("page=0", "page")])
def test_a_bad_search_is_a_clear_error_naming_the_field(client, query, field):
    response = client.get(f"/api/v1/assessments?{query}")
    assert response.status_code == 422 and field in response.get_json()["errors"]
