"""Reports of an assessment made with an organisation overlay: three parties in every format; old shapes still read."""
import copy
import html as html_lib
import io
import re

import pytest
from pypdf import PdfReader

from form_helpers import Elements, assert_no_inline_code
from web.charts import stack_chart
from web.owners import actors_label, owner_label

HTML = {"Accept": "text/html"}
# The fixture knowledge base: its platform team takes the instance OS and the runtime on Cluster, the
# instance OS on Machines, and the team's half of the shared runtime on Tasks.
ALL_SERVICES = ["cluster", "functions", "machines", "tasks"]
DEFAULT_SERVICES = 3
LAYERS = 7


@pytest.fixture
def client(fixture_client):
    """Every report here is made on the fixture knowledge base."""
    return fixture_client


@pytest.fixture
def overlaid(client):
    body = {"security_hours_per_month": 30, "patching_staff": 1, "customisation": "low", "isolation": "standard",
            "overlay": "platform_team", "services": ALL_SERVICES, "name": "Orders"}
    response = client.post("/api/v1/assessments", json=body)
    assert response.status_code == 201
    return response.get_json()


def matrix_cells(html: str) -> list[tuple[str, str]]:
    table = html.split('<table class="matrix', 1)[1].split("</table>", 1)[0]
    return re.findall(r'<td class="owner owner--([a-z-]+)">([^<]*)</td>', table)


def test_the_report_of_an_overlay_assessment_shows_aws_the_party_and_the_team(client, overlaid):
    response = client.get(overlaid["links"]["report_html"], headers=HTML)
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    text = html_lib.unescape(html)
    assert "AWS, Platform team and the team share the work here." in text
    # the ranking names the hours the party takes from each service
    ranking = text.split('<table class="ranking', 1)[1].split("</table>", 1)[0]
    assert "Taken by Platform team" in ranking and "15 h, 2 layers" in ranking and "10 h, 1 layer" in ranking
    # each service lists what the party took over, with hours and the overlay's note
    assert "What Platform team would take over on Cluster, 15 hours a month the team does not carry" in text
    assert "The platform team patches the cluster's instances and runtime." in text
    # the matrix: the party's layers in their own style, named, with a legend
    cells = dict(((kind, label) for kind, label in matrix_cells(html)))
    assert cells["party"] == "Platform team" and cells["party-shared"] == "Platform team + AWS"
    assert '<span class="owner owner--party">Platform team</span>' in html
    # the stacked diagrams: a third band, below the team's heavy line and above AWS's dashed one
    assert "Platform team takes 2: Container and language runtime, Instance operating system." in text
    assert "Platform team · 10 h" in text
    # incidents: the party acts where it owns the layer the flaw hit
    kernel = text.split("A kernel flaw", 1)[1].split("</table>", 1)[0]
    cluster_row = kernel.split("Cluster</th>", 1)[1].split("</tr>", 1)[0]
    assert "AWS and Platform team act" in cluster_row and "Instance operating system (Platform team)" in cluster_row
    assert_no_inline_code(html)


def test_the_matrix_has_one_cell_per_layer_and_service(client, overlaid):
    html = client.get(overlaid["links"]["report_html"], headers=HTML).get_data(as_text=True)
    assert len(matrix_cells(html)) == LAYERS * len(ALL_SERVICES)
    assert html.count('class="chart chart--stack"') == len(ALL_SERVICES)


def test_the_markdown_record_of_an_overlay_assessment_lists_what_the_party_takes(client, overlaid):
    response = client.get(overlaid["links"]["report_markdown"])
    assert response.status_code == 200
    md = response.get_data(as_text=True)
    assert "AWS, Platform team and the team share the work." in md
    assert "* Who else runs part of the platform: A platform team runs the instances" in md
    cluster = md.split("### Cluster\n", 1)[1].split("###", 1)[0]
    assert ("* Good, because Platform team takes instance operating system (10 h), container and language runtime "
            "(5 h) off the team: 15 hours a month the team does not carry.") in cluster
    tasks = md.split("### Tasks\n", 1)[1].split("###", 1)[0]
    assert "container and language runtime (shared with AWS, 2.5 h)" in tasks
    assert "| Cluster | AWS and Platform team act | none | Instance operating system (Platform team) |" in md


@pytest.mark.slow
def test_the_pdf_of_an_overlay_assessment_names_the_party(client, overlaid):
    response = client.get(overlaid["links"]["report_pdf"])
    assert response.status_code == 200 and response.data.startswith(b"%PDF-")
    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(response.data)).pages)
    assert "Platform team" in text and "Responsibility matrix" in text


def test_a_report_saved_before_overlays_existed_still_renders(client, profile):
    """The snapshot and result shapes of earlier versions: no overlay, no party fields, no actors."""
    saved = client.post("/api/v1/assessments", json=profile).get_json()
    store = client.application.extensions["advisor.store"]
    result = copy.deepcopy(store.get(saved["id"]).result)
    result.pop("overlay")
    result["knowledge"].pop("overlay")
    for entry in result["ranking"]:
        entry.pop("party_owns"), entry.pop("party_hours_per_month")
    old, _ = store.add(saved["recommendation"]["profile"], result, saved["knowledge_base_version"])
    for suffix in ("", ".md", ".pdf"):
        assert client.get(f"/reports/{old.id}{suffix}", headers=HTML).status_code == 200
    html = client.get(f"/reports/{old.id}", headers=HTML).get_data(as_text=True)
    assert "Taken by" not in html and "share the work" not in html
    assert len(matrix_cells(html)) == LAYERS * DEFAULT_SERVICES


def test_an_owner_no_label_is_known_for_still_renders_in_words(client, profile):
    saved = client.post("/api/v1/assessments", json={**profile, "overlay": "platform_team", "services": ["cluster"]}
                        ).get_json()
    store = client.application.extensions["advisor.store"]
    result = copy.deepcopy(store.get(saved["id"]).result)
    result["knowledge"]["overlay"] = None
    result["overlay"] = None
    for entry in result["ranking"]:
        entry["party_owns"] = []
    matrix = result["knowledge"]["matrix"]
    matrix["guest_os"]["cluster"] = {"owner": "party:ops_guild", "source": "seed"}
    matrix["iam"]["cluster"] = {"owner": "managed_service_provider", "source": "seed"}
    result["knowledge"]["incidents"][0]["who_acts"]["cluster"] = {"acts": "vendor", "team_layers": []}
    old, _ = store.add(saved["recommendation"]["profile"], result, saved["knowledge_base_version"])
    for suffix in ("", ".md", ".pdf"):
        assert client.get(f"/reports/{old.id}{suffix}", headers=HTML).status_code == 200
    html = html_lib.unescape(client.get(f"/reports/{old.id}", headers=HTML).get_data(as_text=True))
    cells = matrix_cells(html)
    assert ("party", "Ops guild") in cells and ("other", "Managed service provider") in cells
    assert "Vendor acts" in html


@pytest.mark.parametrize("cell, label", [
    ({"owner": "aws"}, "AWS"),
    ({"owner": "customer"}, "Team"),
    ({"owner": "shared"}, "Shared"),
    ({"owner": "party:platform", "party": "platform", "party_name": "Platform team"}, "Platform team"),
    ({"owner": "shared", "party": "platform"}, "Central SRE + AWS"),
    ({"owner": "party:platform"}, "Central SRE"),
    ({"owner": "party:unnamed_group"}, "Unnamed group"),
    ({"owner": "outsourced"}, "Outsourced"),
    ({}, "Not recorded"),
])
def test_every_owner_value_has_a_label(cell, label):
    assert owner_label(cell, {"platform": "Central SRE"}) == label


@pytest.mark.parametrize("who, label", [
    ({"acts": "aws"}, "AWS acts"),
    ({"acts": "team"}, "The team acts"),
    ({"acts": "both"}, "AWS and the team act"),
    ({"acts": "party:platform"}, "Central SRE acts"),
    ({"acts": "both", "actors": ["team", "party:platform", "aws"]}, "AWS, Central SRE and the team act"),
    ({}, "Nobody acts"),
])
def test_who_acts_reads_as_a_sentence(who, label):
    assert actors_label(who, {"platform": "Central SRE"}) == label


def _stack_for(client, overlaid, service_id):
    store = client.application.extensions["advisor.store"]
    result = store.get(overlaid["id"]).result
    knowledge = result["knowledge"]
    entry = next(e for e in result["ranking"] if e["service"] == service_id)
    column = {layer_id: row[service_id] for layer_id, row in knowledge["matrix"].items()}
    service = next(s for s in knowledge["services"] if s["id"] == service_id)
    return stack_chart(service, knowledge["layers"], column,
                       {i["id"]: i["hours_per_month"] for i in entry["team_owns"]},
                       {i["id"]: i["hours_per_month"] for i in entry["party_owns"]}, {"platform": "Platform team"})


def test_the_stack_marks_where_the_team_gives_way_to_the_party_and_the_party_to_aws(client, overlaid):
    chart = _stack_for(client, overlaid, "cluster")
    rows = sorted(chart.rects + chart.striped, key=lambda r: r.y)
    edges = {"#1f5fa8": "team", "#5b3a8c": "party", "#9a5b00": "aws"}
    owners = [edges[r.stroke] for r in rows]
    assert owners.count("party") == 2  # runtime, instance OS
    heavy = [line.y1 for line in chart.lines if line.width == 3]
    dashed = [line.y1 for line in chart.lines if line.dash]
    # a heavy line on top of each row where the team's layers give way, a dashed one where the party's give way to AWS's
    assert heavy == [rows[i].y - 1 for i in range(1, len(rows)) if owners[i - 1] == "team" and owners[i] != "team"]
    assert dashed == [rows[i].y - 1 for i in range(1, len(rows)) if owners[i - 1] == "party" and owners[i] == "aws"]
    assert heavy and dashed
    labels = [t.text for t in chart.texts if t.anchor == "end"]
    # beside a long layer name the party's name is cut short (the caption and the matrix give it whole)
    assert "Platform team · 10 h" in labels and any(label.endswith("… · 5 h") for label in labels)
    tasks = _stack_for(client, overlaid, "tasks")
    shared = [t.text for t in tasks.texts if t.anchor == "end"]
    assert any(label.startswith("Platform") and label.endswith(" · 2.5 h") for label in shared)
    assert "Platform team takes" in tasks.desc


def test_every_stack_puts_each_layer_in_the_same_row(client, overlaid):
    rows = {service_id: [(t.text, t.y) for t in _stack_for(client, overlaid, service_id).texts if t.anchor == "start"]
            for service_id in ALL_SERVICES}
    assert len({tuple(r) for r in rows.values()}) == 1


def test_no_two_labels_of_a_stack_row_overlap_in_dejavu_sans(client, overlaid):
    font_module = pytest.importorskip("PIL.ImageFont")
    try:
        regular = font_module.truetype("DejaVuSans.ttf", 105)
        bold = font_module.truetype("DejaVuSans-Bold.ttf", 105)
    except OSError:
        pytest.skip("DejaVu fonts are not installed")
    for service_id in ALL_SERVICES:
        chart = _stack_for(client, overlaid, service_id)
        for name, owner in zip(chart.texts[::2], chart.texts[1::2]):
            name_end = name.x + regular.getlength(name.text) * name.size / 105
            owner_start = owner.x - bold.getlength(owner.text) * owner.size / 105
            assert name_end + 4 < owner_start, (name.text, owner.text)


def test_a_long_party_name_is_shortened_in_the_diagram_but_whole_in_its_description():
    layers = [{"id": "os", "name": "Instance operating system", "position": 0}]
    party = "The Central Infrastructure and Reliability Engineering Guild of the Whole Group"
    column = {"os": {"owner": "party:guild", "party": "guild", "party_name": party}}
    chart = stack_chart({"id": "x", "name": "X"}, layers, column, {}, {"os": 16})
    label = chart.texts[1].text
    assert label.endswith("… · 16 h") and label.startswith("The Central")
    assert party in chart.desc


def test_a_report_page_has_one_legend_entry_per_kind_of_owner(client, overlaid):
    page = Elements(client.get(overlaid["links"]["report_html"], headers=HTML).get_data(as_text=True))
    legend = [a["class"] for t, a in page.tags if t == "span" and "owner" in a.get("class", "")]
    assert {"owner owner--customer", "owner owner--shared", "owner owner--party", "owner owner--party-shared",
            "owner owner--aws"} <= set(legend)


def test_with_two_organisation_parties_every_format_names_everyone_as_one_english_list(fixture_graph_copy, make_app,
                                                                                       tmp_path):
    overlay = fixture_graph_copy / "overlays" / "platform_team.toml"
    overlay.write_text(overlay.read_text(encoding="utf-8") + '''
[[parties]]
id = "security"
name = "Security office"
description = "Runs the shared scheduler."

[[reassign]]
party = "security"
service = "machines"
layers = ["orchestration"]
note = "The security office runs the shared scheduler."
''', encoding="utf-8")
    app = make_app(GRAPH_DATA=str(fixture_graph_copy), DATABASE_URL=f"sqlite:///{tmp_path / 'two.sqlite3'}")
    client = app.test_client()
    body = {"security_hours_per_month": 30, "patching_staff": 1, "customisation": "low", "isolation": "standard",
            "overlay": "platform_team", "services": ALL_SERVICES, "name": "Orders"}
    saved = client.post("/api/v1/assessments", json=body).get_json()
    everyone = "AWS, Platform team, Security office and the team share the work"
    html = html_lib.unescape(client.get(saved["links"]["report_html"], headers=HTML).get_data(as_text=True))
    assert everyone + " here." in " ".join(html.split())
    assert everyone + "." in client.get(saved["links"]["report_markdown"]).get_data(as_text=True)
    compare = client.get("/compare?from=machines&to=cluster&overlay=platform_team", headers=HTML)
    assert everyone + " here." in " ".join(html_lib.unescape(compare.get_data(as_text=True)).split())
    assert "Security office and the team share" not in html.replace(everyone, "")
