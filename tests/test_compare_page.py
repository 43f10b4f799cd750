"""The compare page on the form site: two services side by side, the same comparison the API answers."""
import html as html_lib
import re

import pytest

from form_helpers import Elements, assert_no_inline_code
from web.report_model import source_label

HTML = {"Accept": "text/html"}


@pytest.fixture
def client(fixture_client):
    """The pages are checked on the fixture knowledge base: its four services stand for EC2, ECS, Fargate and Lambda."""
    return fixture_client


@pytest.fixture
def kb(fixture_kb):
    return fixture_kb


def page_text(html: str) -> str:
    """The page's words, tags dropped and spaces collapsed."""
    return " ".join(html_lib.unescape(re.sub(r"<[^>]+>", " ", html)).split())


def table_rows(html: str, table_id: str) -> list[str]:
    """The row headings (layer or incident names) of one table of the page."""
    table = html.split(f'id="{table_id}"', 1)[1].split("</table>", 1)[0]
    return [html_lib.unescape(name) for name in re.findall(r'<th scope="row">([^<]+)</th>', table)]


def compare_page(client, query: str):
    return client.get(f"/compare{query}", headers=HTML)


def test_the_empty_page_offers_every_service_in_two_labelled_selects(client, kb):
    response = compare_page(client, "")
    assert response.status_code == 200 and response.mimetype == "text/html"
    html = response.get_data(as_text=True)
    page = Elements(html)
    labelled = {a["for"] for a in page.all("label")}
    for name in ("from", "to", "overlay"):
        tag, attrs = page.by_id(f"f-{name}")
        assert tag == "select" and attrs["name"] == name and f"f-{name}" in labelled
        assert f"f-{name}-hint" in attrs["aria-describedby"].split()
    form = page.all("form")[0]
    assert form["method"] == "get" and form["action"] == "/compare"  # works without JavaScript
    options = [a.get("value") for a in page.all("option")]
    assert options.count("") == 3  # "Choose a service" twice, "Nobody else" once
    for service in kb.services:
        assert options.count(service) == 2
    assert 'id="comparison"' not in html
    assert '<a href="/compare" aria-current="page">Compare services</a>' in html
    assert_no_inline_code(html)


def test_the_comparison_shows_what_the_api_answers(client):
    expected = client.get("/api/v1/compare?from=cluster&to=tasks").get_json()
    response = compare_page(client, "?from=cluster&to=tasks")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    text = page_text(html)
    assert f"<title>{expected['from_name']} to {expected['to_name']}: Compare two services" in html
    assert expected["summary"] in text
    assert table_rows(html, "handed-to-aws") == [layer["name"] for layer in expected["handed_to_aws"]]
    assert "No layer: the team takes nothing back from AWS." in text
    burden = f"{expected['from_burden_hours_per_month']:g} on {expected['from_name']}, " \
             f"{expected['to_burden_hours_per_month']:g} on {expected['to_name']}: " \
             f"{-expected['burden_change_hours_per_month']:g} fewer"
    assert burden in text
    assert f"{-expected['patching_staff_change']:g} fewer people" in text
    assert table_rows(html, "incident-changes") == [i["name"] for i in expected["incidents"]]
    for layer in expected["unchanged_team_layers"]:
        assert f"{layer['name']}: {layer['hours_per_month']:g} hours a month" in text
    handed = html.split('id="handed-to-aws"', 1)[1].split("</table>", 1)[0]
    for layer, row in zip(expected["handed_to_aws"], handed.split("<tr")[2:]):  # each move cites both sources
        assert source_label(layer["from_source"]) in page_text(row) and source_label(layer["to_source"]) in page_text(row)
    assert_no_inline_code(html)


def test_the_choices_stay_selected_and_the_other_direction_is_one_link_away(client):
    html = compare_page(client, "?from=cluster&to=tasks").get_data(as_text=True)
    selected = [a["value"] for a in Elements(html).all("option") if "selected" in a]
    assert selected == ["cluster", "tasks", ""]
    assert '<a href="/compare?from=tasks&amp;to=cluster">' in html


def listed_limits(html: str, list_id: str) -> list[str]:
    """Each item's words before its source."""
    items = html.split(f'id="{list_id}"', 1)[1].split("</ul>", 1)[0]
    return [html_lib.unescape(label) for label in re.findall(r"<li>([^<]+?) <span", items)]


def test_the_limits_isolation_and_customisation_differences_are_spelled_out(client):
    expected = client.get("/api/v1/compare?from=cluster&to=functions").get_json()
    html = compare_page(client, "?from=cluster&to=functions").get_data(as_text=True)
    text = page_text(html)
    assert "Medium to Low: 1 level less control beneath the code." in text
    assert listed_limits(html, "limits-added") == [limit["label"] for limit in expected["limits"]["added"]]
    assert listed_limits(html, "limits-removed") == [limit["label"] for limit in expected["limits"]["removed"]]
    assert table_rows(html, "isolation-changes") == ["Strong", "Dedicated"]
    assert "Strong possible with extra effort supported" in text
    assert "Dedicated possible with extra effort not offered" in text


def test_a_limit_that_holds_only_for_some_workloads_reads_as_its_label_says(fixture_graph_copy, make_app):
    """The label names the condition; the page does not say it a second time."""
    tasks = fixture_graph_copy / "services" / "tasks.toml"
    tasks.write_text(tasks.read_text() + '''
[[limits]]
field = "vcpu"
kind = "max"
value = 4
when = { os = "windows" }
label = "4-vCPU maximum for Windows tasks"
source = "seed"
unblock = "each Windows task needs at most 4 vCPU"
''')
    client = make_app(GRAPH_DATA=str(fixture_graph_copy)).test_client()
    html = compare_page(client, "?from=cluster&to=tasks").get_data(as_text=True)
    assert "4-vCPU maximum for Windows tasks" in listed_limits(html, "limits-added")
    assert "Windows tasks (" not in page_text(html)


def test_a_list_of_limits_is_left_out_when_it_would_be_empty(client):
    html = compare_page(client, "?from=functions&to=machines").get_data(as_text=True)
    expected = client.get("/api/v1/compare?from=functions&to=machines").get_json()
    assert expected["limits"]["added"] == [] and "limits-added" not in html


def test_swapping_the_services_swaps_handed_and_taken_back(client):
    forward = compare_page(client, "?from=machines&to=functions").get_data(as_text=True)
    backward = compare_page(client, "?from=functions&to=machines").get_data(as_text=True)
    assert table_rows(forward, "handed-to-aws") == table_rows(backward, "taken-back")
    assert "taken-back" not in forward and "handed-to-aws" not in backward
    assert table_rows(forward, "incident-changes") == table_rows(backward, "incident-changes")
    assert "fewer" in page_text(forward).split("Patching staff needed", 1)[1][:40]
    assert "more" in page_text(backward).split("Patching staff needed", 1)[1][:40]


def test_an_overlay_shows_its_party_as_the_owner_handing_layers_over(client):
    response = compare_page(client, "?from=cluster&to=functions&overlay=platform_team")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    text = page_text(html)
    assert "AWS, Platform team and the team share the work here." in text
    handed = html.split('id="handed-to-aws"', 1)[1].split("</table>", 1)[0]
    row = handed.split("Instance operating system", 1)[1].split("</tr>", 1)[0]
    assert page_text(row).startswith("Platform team ")  # who holds it on ECS under the overlay
    incidents = html.split('id="incident-changes"', 1)[1].split("</table>", 1)[0]
    assert "Platform team" in incidents
    assert [a["value"] for a in Elements(html).all("option") if "selected" in a] == ["cluster", "functions", "platform_team"]
    assert "/api/v1/compare?from=cluster&amp;to=functions&amp;overlay=platform_team" in html


@pytest.mark.parametrize("query, status, field, message", [
    ("?from=cluster&to=mainframe", 404, "to", "The knowledge base has no service 'mainframe'."),
    ("?from=mainframe&to=cluster", 404, "from", "The knowledge base has no service 'mainframe'."),
    ("?from=cluster&to=tasks&overlay=guild", 404, "overlay", "The knowledge base has no organisation overlay 'guild'."),
    ("?from=cluster", 400, "to", "Choose the service it would move to."),
    ("?from=&to=tasks", 400, "from", "Choose the service the workload runs on now."),
    ("?from=cluster&from=machines&to=tasks", 400, "from", "Choose one, not several."),
    ("?from=" + "e" * 65 + "&to=tasks", 400, "from", "Choose the service the workload runs on now."),
])
def test_a_bad_or_unknown_choice_comes_back_beside_its_field(client, query, status, field, message):
    response = compare_page(client, query)
    assert response.status_code == status and response.mimetype == "text/html"
    html = response.get_data(as_text=True)
    page = Elements(html)
    _, attrs = page.by_id(f"f-{field}")
    assert attrs["aria-invalid"] == "true"
    assert f"f-{field}-error" in attrs["aria-describedby"].split()
    error = html.split(f'id="f-{field}-error"', 1)[1].split("</p>", 1)[0]
    assert message in html_lib.unescape(error)
    assert page.by_id("error-summary")[1]["role"] == "alert"
    assert [a for a in page.all("a") if a.get("href") == f"#f-{field}"], "the summary links to the field"
    assert "<title>Error:" in html and 'id="comparison"' not in html
    assert_no_inline_code(html)


def test_both_fields_are_named_when_both_are_wrong(client):
    response = compare_page(client, "?from=mainframe&to=")
    assert response.status_code == 400
    page = Elements(response.get_data(as_text=True))
    assert page.by_id("f-from")[1]["aria-invalid"] == page.by_id("f-to")[1]["aria-invalid"] == "true"


def test_a_hostile_id_is_shown_as_text(client):
    response = compare_page(client, "?from=<script>alert(1)</script>&to=tasks")
    assert response.status_code == 404
    html = response.get_data(as_text=True)
    assert "<script>" not in html
    assert "no service &#39;&lt;script&gt;alert(1)&lt;/script&gt;&#39;" in html
    assert_no_inline_code(html)


def test_other_query_parameters_change_nothing(client):
    plain = compare_page(client, "?from=cluster&to=tasks").get_data(as_text=True)
    tagged = compare_page(client, "?from=cluster&to=tasks&utm_source=mail")
    assert tagged.status_code == 200 and tagged.get_data(as_text=True) == plain
    assert compare_page(client, "?utm_source=mail").status_code == 200  # only the empty form


def test_every_page_links_to_the_compare_page_in_its_navigation(client):
    for path in ("/", "/reports", "/compare"):
        nav = client.get(path, headers=HTML).get_data(as_text=True).split('<nav aria-label="Main">', 1)[1]
        assert 'href="/compare"' in nav.split("</nav>", 1)[0]


def test_a_report_links_to_the_comparison_with_the_runner_up(client, profile):
    saved = client.post("/api/v1/assessments", json={**profile, "overlay": "platform_team"}).get_json()
    ranking = saved["recommendation"]["ranking"]
    html = client.get(saved["links"]["report_html"], headers=HTML).get_data(as_text=True)
    href = f"/compare?from={ranking[0]['service']}&amp;to={ranking[1]['service']}&amp;overlay=platform_team"
    link = html.split(f'<a href="{href}">', 1)[1].split("</a>", 1)[0]
    assert html_lib.unescape(link) == f"Compare {ranking[0]['name']} with the runner-up, {ranking[1]['name']}"
    followed = client.get(html_lib.unescape(href), headers=HTML)
    assert followed.status_code == 200
    assert f"From {ranking[0]['name']} to {ranking[1]['name']}" in html_lib.unescape(followed.get_data(as_text=True))
