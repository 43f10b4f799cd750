"""How firm first place is, in the report, its PDF and the Markdown decision record; older reports still render."""
import html as html_lib
import io
import json
import re

import pytest
from markdown_it import MarkdownIt
from pypdf import PdfReader

from advisor.robustness import CLOSE_MARGIN, ROBUST_MARGIN

HTML = {"Accept": "text/html"}
CUT_OFFS = (f"A first place is robust when it leads the runner-up by {ROBUST_MARGIN:g} points or more, close when it "
            f"leads by {CLOSE_MARGIN:g} to under {ROBUST_MARGIN:g}, and fragile when it leads by under {CLOSE_MARGIN:g}")
# On the fixture knowledge base. Close: Functions leads Tasks by 4 points; what-ifs on the application's needs
# and the workload's limits.
CLOSE_PROFILE = {"security_hours_per_month": 5, "patching_staff": 1, "customisation": "low", "isolation": "standard",
                 "services": ["machines", "cluster", "tasks", "functions"], "name": "Orders <b>API</b>"}
CLOSE_HEADLINE = "Close. Functions leads the runner-up, Tasks, by 4 points."


@pytest.fixture
def app(fixture_app):
    return fixture_app


@pytest.fixture
def client(fixture_client):
    return fixture_client


def save(client, body) -> dict:
    response = client.post("/api/v1/assessments", data=json.dumps(body), content_type="application/json")
    assert response.status_code == 201, response.data
    return response.get_json()


def robustness_section(html: str) -> str:
    return html.split('id="robustness"', 1)[1].split(">", 1)[1].split("</section>", 1)[0]


def words(text: str) -> str:
    return " ".join(html_lib.unescape(re.sub(r"<[^>]+>", " ", text)).split())


@pytest.fixture
def close(client):
    return save(client, CLOSE_PROFILE)


def test_the_report_says_how_firm_first_place_is_and_what_would_change_it(client, close):
    robustness = close["recommendation"]["robustness"]
    assert robustness["label"] == "close" and robustness["margin"] == 4.0
    html = client.get(close["links"]["report_html"], headers=HTML).get_data(as_text=True)
    section = robustness_section(html)
    text = words(section)
    assert text.startswith(f"How firm first place is {CLOSE_HEADLINE}")
    assert CUT_OFFS in text
    groups = re.findall(r"<h4>([^<]+)</h4>", section)
    assert groups == ["What the application needs", "Workload limits"]
    assert "What the application needs With medium customisation needed, Cluster would rank first." in text
    assert "Workload limits With a run of 11 minutes, Tasks would rank first." in text
    for threshold in robustness["thresholds"]:
        assert html_lib.escape(threshold["sentence"]) in section
    # the verdict says it in a line, with a way down to the details
    verdict = words(html.split('<p class="firmness">', 1)[1].split("</p>", 1)[0])
    assert verdict.startswith(CLOSE_HEADLINE.replace("Close.", "Close ."))
    assert 'href="#robustness"' in html


def test_workload_thresholds_are_grouped_as_workload_limits(client, profile):
    saved = save(client, {**profile, "workload": {"max_duration_minutes": 60}})
    assert saved["recommendation"]["robustness"]["label"] == "robust"
    html = client.get(saved["links"]["report_html"], headers=HTML).get_data(as_text=True)
    text = words(robustness_section(html))
    assert "How firm first place is Robust. Tasks leads the runner-up, Machines, by 38.2 points." in text
    assert "Workload limits With a run of 10 minutes, Functions would rank first." in text


def test_the_markdown_record_says_how_firm_the_choice_is(client, close):
    md = client.get(close["links"]["report_markdown"]).get_data(as_text=True)
    firm = md.split("### How Firm the Choice Is\n", 1)[1].split("\n## ", 1)[0]
    assert firm.startswith("\n**Close.** " + CLOSE_HEADLINE.removeprefix("Close. ") + " A first place is robust when")
    assert "What the application needs:\n\n* With medium customisation needed, Cluster would rank first." in firm
    assert "Workload limits:\n\n* With a run of 11 minutes, Tasks would rank first." in firm
    rendered = MarkdownIt("commonmark").enable("table").render(md)
    section = rendered.split("How Firm the Choice Is</h3>", 1)[1].split("<h2>", 1)[0]
    assert "<strong>Close.</strong>" in section and CUT_OFFS in words(section)
    items = [words(li) for li in re.findall(r"<li>(.*?)</li>", section)]
    assert items == [t["sentence"] for t in close["recommendation"]["robustness"]["thresholds"]]
    # what the user typed stays escaped: the name is text, not markup
    assert "<b>API</b>" not in rendered and "Orders &lt;b&gt;API&lt;/b&gt;" in rendered


def test_the_pdf_carries_the_label_and_the_what_ifs(client, close):
    response = client.get(close["links"]["report_pdf"])
    assert response.status_code == 200
    text = " ".join("\n".join(p.extract_text() for p in PdfReader(io.BytesIO(response.data)).pages).split())
    assert "How firm first place is" in text
    assert CLOSE_HEADLINE in text
    assert "With a run of 11 minutes, Tasks would rank first." in text
    assert "Compare Functions" not in text  # the link to the compare page is for the screen only


def test_a_report_saved_before_robustness_existed_still_renders(app, client, profile):
    saved = save(client, {**profile, "name": "Legacy"})
    store = app.extensions["advisor.store"]
    original = store.get(saved["id"])
    old_result = {k: v for k, v in original.result.items() if k != "robustness"}
    old, _ = store.add(original.profile, old_result, original.knowledge_base_version)
    html = client.get(f"/reports/{old.id}", headers=HTML)
    assert html.status_code == 200
    page = html.get_data(as_text=True)
    assert 'id="robustness"' not in page and 'class="firmness"' not in page
    assert "ranks first" in page
    assert "/compare?from=" in page  # the runner-up is still one link away, from the ranking
    assert client.get(f"/reports/{old.id}.pdf").status_code == 200
    md = client.get(f"/reports/{old.id}.md")
    assert md.status_code == 200 and "How Firm the Choice Is" not in md.get_data(as_text=True)
    assert "## Decision Outcome" in md.get_data(as_text=True)


def test_a_lone_eligible_service_is_robust_and_says_why(client, profile):
    saved = save(client, {**profile, "workload": {"gpu": True}, "services": ["machines", "functions", "tasks"]})
    html = client.get(saved["links"]["report_html"], headers=HTML).get_data(as_text=True)
    text = words(robustness_section(html))
    assert "Robust. Machines is the only eligible service, so no other comes near it on points." in text


def test_without_what_ifs_the_report_and_the_record_say_no_single_change_would_do(app, client, profile):
    saved = save(client, profile)
    store = app.extensions["advisor.store"]
    original = store.get(saved["id"])
    result = {**original.result, "robustness": {**original.result["robustness"], "thresholds": []}}
    steady, _ = store.add(original.profile, result, original.knowledge_base_version)
    sentence = "No change to a single answer, within the values it can take, would put another service first."
    html = client.get(f"/reports/{steady.id}", headers=HTML).get_data(as_text=True)
    assert sentence in words(robustness_section(html)) and "<h4>" not in robustness_section(html)
    assert sentence in client.get(f"/reports/{steady.id}.md").get_data(as_text=True)
