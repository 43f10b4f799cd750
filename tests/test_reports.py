"""Reports of saved assessments: the page, the PDF and the Markdown decision record, and that they never change."""
import html as html_lib
import io
import json
import re
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from markdown_it import MarkdownIt
from pypdf import PdfReader

from form_helpers import HOSTILE_NAMES, Elements, assert_no_inline_code

HTML = {"Accept": "text/html"}
MADR_HEADINGS = ["## Context and Problem Statement", "## Decision Drivers", "## Considered Options",
                 "## Decision Outcome", "### Consequences", "## Pros and Cons of the Options"]


def save(client, body) -> dict:
    response = client.post("/api/v1/assessments", data=json.dumps(body), content_type="application/json")
    assert response.status_code == 201, response.data
    return response.get_json()


def pdf_text(data: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


@pytest.fixture
def saved(client, profile):
    return save(client, {**profile, "name": "Payments API", "workload": {"max_duration_minutes": 60}})


@pytest.fixture
def fixture_report(fixture_client, profile):
    """A saved report on the fixture knowledge base: a 60-minute run rules Functions (10-minute limit) out."""
    saved = save(fixture_client, {**profile, "name": "Payments API", "workload": {"max_duration_minutes": 60}})
    response = fixture_client.get(saved["links"]["report_html"], headers=HTML)
    assert response.status_code == 200 and response.mimetype == "text/html"
    html = response.get_data(as_text=True)
    return saved, html, html_lib.unescape(html)


def test_the_report_names_the_best_fit_and_has_every_section(fixture_report):
    saved, html, text = fixture_report
    first = saved["recommendation"]["ranking"][0]
    assert f"<strong>{first['name']}</strong> ranks first" in text
    for section in ("recommendation", "services", "matrix", "incidents", "inputs"):
        assert f'id="{section}"' in html


def test_scores_and_hours_are_charts_and_each_service_has_a_stacked_diagram(fixture_report):
    saved, html, _ = fixture_report
    ranking = saved["recommendation"]["ranking"]
    assert 'id="chart-score"' in html and 'id="chart-hours"' in html
    for entry in ranking:
        assert f'id="stack-{entry["service"]}"' in html
    assert html.count("<svg") == 2 + 2 * len(ranking)


def test_a_blocker_reads_in_plain_words_with_what_would_lift_it(fixture_report):
    saved, _, text = fixture_report
    functions = next(r for r in saved["recommendation"]["ranking"] if r["service"] == "functions")
    assert functions["blockers"][0]["sentence"] == "A run of 60 minutes exceeds Functions' 10-minute maximum"
    assert functions["blockers"][0]["sentence"] in text and "runs fit in 10 minutes" in text


def test_the_report_says_what_the_team_and_aws_would_own_against_the_teams_hours(fixture_report):
    saved, _, text = fixture_report
    first = saved["recommendation"]["ranking"][0]
    assert f"What the team would own on {first['name']}" in text and f"What AWS would own on {first['name']}" in text
    # Machines leave the team 28 hours a month
    assert "more than the 20 hours the team has" in text
    # the seed article is cited by its title and year, never as "the seed article"
    assert "“How does the AWS Shared Responsibility Model work?” (2022)" in text and "seed article" not in text


def test_the_matrix_has_a_row_per_layer_and_an_owner_per_service(fixture_report):
    saved, html, _ = fixture_report
    matrix = html.split('class="matrix"', 1)[1].split("</table>", 1)[0]
    assert matrix.count("<tr>") == 1 + 7
    assert matrix.count('class="owner owner--') == 7 * len(saved["recommendation"]["ranking"])


def test_the_incidents_say_who_must_act(fixture_report):
    _, _, text = fixture_report
    assert "A kernel flaw" in text and "A library flaw" in text
    assert "The team acts" in text and "AWS acts" in text


def test_the_inputs_the_date_and_the_knowledge_base_version_are_shown(fixture_report):
    saved, html, text = fixture_report
    assert "Longest single run" in text and "60 minutes" in text
    assert saved["knowledge_base_version"] in text
    assert re.search(r'<time datetime="\d{4}-\d\d-\d\dT', html)
    assert saved["id"] in text


def test_the_report_carries_no_inline_script_or_style(client, saved):
    assert_no_inline_code(client.get(saved["links"]["report_html"]).get_data(as_text=True))


def test_the_charts_are_accessible_images(client, saved):
    page = Elements(client.get(saved["links"]["report_html"]).get_data(as_text=True))
    for svg in page.all("svg"):
        assert svg["role"] == "img"
        title, desc = svg["aria-labelledby"].split()
        page.by_id(title), page.by_id(desc)


def test_the_report_is_marked_up_for_print(client, saved):
    html = client.get(saved["links"]["report_html"]).get_data(as_text=True)
    assert re.search(r'<link rel="stylesheet" href="/static/css/print.css" media="print">', html)
    with client.get("/static/css/print.css") as response:
        assert response.status_code == 200
    assert html.count('class="decision"') == 1 and html.count('class="major"') == 5


@pytest.mark.parametrize("suffix", ["", ".pdf", ".md"])
def test_an_unknown_report_is_a_404_page(client, suffix):
    response = client.get(f"/reports/{'0' * 32}{suffix}", headers=HTML)
    assert response.status_code == 404 and response.mimetype == "text/html"
    assert "No saved report has this address" in response.get_data(as_text=True)


def test_the_markdown_is_a_madr_record_choosing_the_first_eligible_service(client, saved):
    response = client.get(saved["links"]["report_markdown"])
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "text/markdown; charset=utf-8"
    assert response.headers["Content-Disposition"] == \
        f'attachment; filename="0001-payments-api-compute-platform-{saved["created_at"][:10]}.md"'
    md = response.get_data(as_text=True)
    assert md.startswith("# Choose the compute platform for Payments API\n")
    assert "\n- Status: proposed\n" in md and f"\n- Date: {saved['created_at'][:10]}\n" in md
    positions = [md.index(h + "\n") for h in MADR_HEADINGS]
    assert positions == sorted(positions)
    first = saved["recommendation"]["ranking"][0]
    outcome = md.split("## Decision Outcome", 1)[1].split("## Pros and Cons", 1)[0]
    assert f'Chosen option: "{first["name"]}"' in outcome
    drivers = md.split("## Decision Drivers", 1)[1].split("## Considered Options", 1)[0]
    assert "* Security hours a month: 20" in drivers and "* Longest single run: 60 minutes" in drivers
    options = md.split("## Considered Options", 1)[1].split("## Decision Outcome", 1)[0]
    assert options.count("\n* ") == 4
    assert "* Bad, because it is ruled out: A run of 60 minutes exceeds AWS Lambda's 15-minute maximum." in md
    assert "Good, because AWS owns" in md and "Bad, because the team owns" in md


def test_a_need_met_only_in_part_keeps_the_service_name_as_written_in_the_record(fixture_client, profile):
    record = save(fixture_client, {**profile, "isolation": "strong",
                                   "services": ["functions", "tasks", "machines", "cluster"]})
    md = fixture_client.get(record["links"]["report_markdown"]).get_data(as_text=True)
    assert "* Bad, because Cluster gives strong isolation only with extra work." in md
    assert "because cluster gives" not in md


def test_a_record_never_calls_an_option_best_when_options_that_score_more_rank_below_it(fixture_client, profile):
    """Needs come before points: Machines gives dedicated isolation outright, Cluster only with extra work."""
    record = save(fixture_client, {**profile, "isolation": "dedicated", "security_hours_per_month": 20,
                                   "services": ["functions", "tasks", "machines", "cluster"]})
    ranking = [e for e in record["recommendation"]["ranking"] if e["eligible"]]
    assert [e["service"] for e in ranking] == ["machines", "cluster"] and ranking[1]["score"] > ranking[0]["score"]
    md = fixture_client.get(record["links"]["report_markdown"]).get_data(as_text=True)
    outcome = " ".join(md.split("## Decision Outcome", 1)[1].split("## Pros and Cons", 1)[0].split())
    assert (f'Chosen option: "Machines", because it ranks first of the eligible options, with '
            f'{ranking[0]["score"]:.1f} points out of 100 (options that score more rank below it for the reasons '
            "that follow)") in outcome
    assert "comes out best" not in outcome
    assert "**Robust.**" in outcome and "meets more of the team's needs than the runner-up, on any margin" in outcome


def test_when_every_service_is_ruled_out_the_record_chooses_none(client, profile):
    record = save(client, {**profile, "workload": {"gpu": True, "os": "windows", "max_duration_minutes": 60},
                           "services": ["lambda", "fargate"]})
    md = client.get(record["links"]["report_markdown"]).get_data(as_text=True)
    assert "No option is chosen" in md and "Chosen option" not in md
    lambda_blockers = {e["service"]: len(e["blockers"]) for e in record["recommendation"]["ranking"]}["lambda"]
    assert lambda_blockers == 3  # GPU, Windows, 60 minutes
    assert "* AWS Lambda (ruled out by 3 hard limits)" in md
    assert re.search(r"### AWS Lambda\n\nRank \d, ruled out by 3 hard limits\.", md)
    html = client.get(record["links"]["report_html"]).get_data(as_text=True)
    assert "No service fits" in html
    warning = "Warning: no recommendation. No service can run this workload as described"
    assert warning in " ".join(html_lib.unescape(re.sub(r"<[^>]+>", " ", html)).split())
    assert "Warning: no recommendation.** No service can run this workload as described" in md
    assert re.search(r"Ruled out by \d hard limits?, as every service here is: none is recommended\.", html)
    assert "Ranks first" not in html


@pytest.mark.slow
def test_the_pdf_is_a_real_pdf_naming_the_first_ranked_service(client, saved):
    response = client.get(saved["links"]["report_pdf"])
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    assert response.headers["Content-Disposition"] == f'inline; filename="advisor-report-{saved["id"]}.pdf"'
    assert response.data.startswith(b"%PDF-")
    reader = PdfReader(io.BytesIO(response.data))
    width, height = float(reader.pages[0].mediabox.width), float(reader.pages[0].mediabox.height)
    assert (round(width), round(height)) == (595, 842)  # A4 in points
    text = pdf_text(response.data)
    assert saved["recommendation"]["ranking"][0]["name"] in text
    assert "Responsibility matrix" in text and "What happens when" in text
    # The print stylesheet was applied: no navigation, and the sources are spelled out in a numbered list.
    assert "Saved reports" not in text and "Download as PDF" not in text
    assert "docs.aws.amazon.com/" in text.split("Sources", 1)[1]


class _Recorder(BaseHTTPRequestHandler):
    hits: list = []

    def do_GET(self):
        self.hits.append(self.path)
        self.send_response(200)
        self.send_header("Content-Type", "text/css")
        self.end_headers()
        self.wfile.write(b"body { color: red }")

    def log_message(self, *args):
        pass


@pytest.mark.slow
def test_the_pdf_renderer_reads_nothing_from_the_network(app):
    """Only the app's static files are read: a stylesheet or image elsewhere is never fetched."""
    from web.pdf import html_to_pdf
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Recorder)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        elsewhere = f"http://127.0.0.1:{server.server_address[1]}"
        html = (f'<link rel="stylesheet" href="{elsewhere}/evil.css"><img src="{elsewhere}/pixel.png">'
                '<link rel="stylesheet" href="/static/css/print.css"><p>Hello</p>')
        pdf = html_to_pdf(html, base_url="http://localhost/", static_folder=app.static_folder,
                          static_url_path=app.static_url_path)
    finally:
        server.shutdown()
        server.server_close()
    assert pdf.startswith(b"%PDF-") and "Hello" in pdf_text(pdf)
    assert _Recorder.hits == []


@pytest.mark.slow
def test_the_pdf_renderer_applies_the_stylesheets_it_is_given_from_the_static_folder_only(app):
    from web.pdf import html_to_pdf
    where = {"base_url": "http://localhost/", "static_folder": app.static_folder,
             "static_url_path": app.static_url_path}
    html = '<p class="site-header">Navigation</p><p>Hello</p>'
    assert "Navigation" in pdf_text(html_to_pdf(html, **where))
    on_paper = pdf_text(html_to_pdf(html, stylesheets=("css/site.css", "css/print.css"), **where))
    assert "Hello" in on_paper and "Navigation" not in on_paper
    with pytest.raises(ValueError):
        html_to_pdf(html, stylesheets=("../app.py",), **where)


@pytest.mark.parametrize("name", HOSTILE_NAMES)
def test_a_hostile_name_is_shown_as_text_in_the_page_and_the_markdown(client, profile, name):
    record = save(client, {**profile, "name": name})
    html = client.get(record["links"]["report_html"]).get_data(as_text=True)
    assert name not in html or not any(c in name for c in "<>")
    assert html_lib.escape(name, quote=False) in html
    assert_no_inline_code(html)

    md = client.get(record["links"]["report_markdown"]).get_data(as_text=True)
    rendered = MarkdownIt("commonmark").enable("table").render(md)
    title = re.match(r"<h1>(.*?)</h1>", rendered).group(1)
    assert html_lib.unescape(title) == f"Choose the compute platform for {name}"
    assert "<script" not in rendered and "<img" not in rendered and "<a " not in rendered.split("</h1>")[0]
    assert 'href="javascript' not in rendered
    assert rendered.count("<h1>") == 1
    context = rendered.split("Context and Problem Statement</h2>", 1)[1].split("</p>", 1)[0]
    assert f"Where should {html_lib.escape(name, quote=False)} run on AWS" in context


@pytest.mark.slow
def test_a_hostile_name_is_plain_text_in_the_pdf(client, profile):
    name = "<script>alert(1)</script> <img src=x onerror=alert(1)> [x](javascript:1)"
    record = save(client, {**profile, "name": name})
    text = pdf_text(client.get(record["links"]["report_pdf"]).data)
    assert name in text.replace("\n", " ")


def test_the_report_never_changes_after_the_knowledge_base_changes(make_app, tmp_path, graph_copy, profile):
    database = f"sqlite:///{tmp_path / 'shared.sqlite3'}"
    before = make_app(DATABASE_URL=database).test_client()
    record = save(before, {**profile, "name": "Payments API"})
    formats = ("report_html", "report_markdown")
    originals = {f: before.get(record["links"][f], headers=HTML).get_data(as_text=True) for f in formats}

    layers = graph_copy / "layers.toml"
    layers.write_text(layers.read_text().replace('name = "Application code"', 'name = "Application code (revised)"')
                      .replace("hours_per_month = 10\n", "hours_per_month = 50\n", 1))
    incidents = graph_copy / "incidents.toml"
    incidents.write_text(incidents.read_text().replace("AWS patched its hypervisors", "AWS rebuilt its hypervisors"))
    after = make_app(DATABASE_URL=database, GRAPH_DATA=str(graph_copy)).test_client()
    live_layers = after.get("/api/v1/layers").get_json()["layers"]
    assert "Application code (revised)" in [layer["name"] for layer in live_layers]

    for f in formats:
        assert after.get(record["links"][f], headers=HTML).get_data(as_text=True) == originals[f]
    assert "revised" not in originals["report_html"] and "AWS patched its hypervisors" in originals["report_html"]


def test_the_article_the_model_starts_from_is_named_by_its_title_on_the_real_facts(client, saved):
    text = html_lib.unescape(client.get(saved["links"]["report_html"], headers=HTML).get_data(as_text=True))
    assert "seed" not in re.sub(r"<[^>]+>", " ", text).lower()
    assert "“How does the AWS Shared Responsibility Model work?” (2022)" in text


@pytest.mark.slow
def test_a_pdf_render_leaves_the_garbage_collector_as_it_found_it(app, monkeypatch):
    """Collection pauses during a render only: after it, ended or failed, memory in cycles is freed again."""
    import gc

    import weasyprint

    from web.pdf import html_to_pdf
    where = {"base_url": "http://localhost/", "static_folder": app.static_folder,
             "static_url_path": app.static_url_path}
    assert gc.isenabled()
    assert html_to_pdf("<p>Hello</p>", **where).startswith(b"%PDF-")
    assert gc.isenabled()
    gc.disable()
    try:
        html_to_pdf("<p>Hello</p>", **where)
        assert not gc.isenabled()
    finally:
        gc.enable()

    def fails(self, **options):
        assert not gc.isenabled()
        raise RuntimeError("render failed")
    monkeypatch.setattr(weasyprint.HTML, "write_pdf", fails)
    with pytest.raises(RuntimeError):
        html_to_pdf("<p>Hello</p>", **where)
    assert gc.isenabled()


@pytest.mark.slow
def test_the_garbage_of_a_pdf_request_is_collected_after_the_pdf_is_sent(client, profile, monkeypatch):
    """The reader does not wait for the render's garbage to be freed: that runs when the server closes the response.

    Had the server never closed it, the thread's next request ends the pause first.
    """
    import gc

    import weasyprint

    collections, rendered = [], []
    render = weasyprint.HTML.write_pdf

    def noting_the_end(self, **options):
        pdf = render(self, **options)
        rendered.append(len(collections))
        return pdf
    monkeypatch.setattr(weasyprint.HTML, "write_pdf", noting_the_end)

    def noted(phase, info):
        if phase == "start":
            collections.append(info["generation"])
    links = [client.post("/api/v1/assessments", json=dict(profile, name=f"Team {n}")).get_json()["links"]
             for n in range(2)]
    gc.callbacks.append(noted)
    try:
        response = client.get(links[0]["report_pdf"])
        assert response.status_code == 200 and response.data.startswith(b"%PDF-")
        assert not gc.isenabled() and len(collections) == rendered[-1]  # none after the render, in the request
        response.close()
        assert gc.isenabled() and collections[rendered[-1]:] == [2]

        client.get(links[1]["report_pdf"])  # never closed
        assert not gc.isenabled() and len(collections) == rendered[-1]
        assert client.get("/api/v1/services").status_code == 200
        assert gc.isenabled() and collections[rendered[-1]] == 2

        with client.get(links[1]["report_pdf"]) as cached:  # already made: nothing rendered, nothing paused
            assert cached.data.startswith(b"%PDF-") and gc.isenabled()
        assert len(rendered) == 2
    finally:
        gc.callbacks.remove(noted)
        gc.enable()
