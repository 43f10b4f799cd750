"""The PDF as a reviewer holds it: few pages, none nearly empty, the decision alone on page 1, the running head
on every page. Page counts are of the real AWS facts (the bound is about them); the layout is measured with
poppler's pdftotext, as a reader sees where text sits on each page."""
from __future__ import annotations

import io
import re
import shutil
import subprocess
from datetime import datetime
from xml.etree import ElementTree

import pytest
from pypdf import PdfReader

from app import create_app

pytestmark = pytest.mark.slow

# The form's defaults: a small team with 20 hours a month and nobody to patch operating systems.
DEFAULT_FORM = {"name": "Payments API", "security_hours_per_month": 20, "patching_staff": 0, "customisation": "low",
                "isolation": "standard"}
EIGHT_SERVICES = ["ec2", "ecs", "ecs_managed_instances", "eks", "eks_fargate", "fargate", "lambda",
                  "lambda_managed_instances"]
MAX_PAGES = {4: 8, 8: 14}
# A long name, a capacity warning, an organisation overlay and a ruled-out service: page 1 still holds the decision.
CROWDED = {"name": "Customer onboarding and identity verification platform for the retail banking division, "
                   "regulated by two supervisors, with the long name its architects gave it in full",
           "security_hours_per_month": 1, "patching_staff": 0, "customisation": "high", "isolation": "dedicated",
           "overlay": "platform_team", "workload": {"max_duration_minutes": 60, "memory_gb": 16}}
# Where the running head and the page number sit (A4 in points, page margins 14 mm top and 13 mm bottom).
HEAD_BOTTOM, FOOT_TOP = 40.0, 805.0


@pytest.fixture(scope="module")
def reports(tmp_path_factory):
    """The default report with the default four services, with all eight, and a crowded one: (saved, PDF bytes)."""
    app = create_app({"TESTING": True, "SECRET_KEY": "test-only-key",
                      "DATABASE_URL": f"sqlite:///{tmp_path_factory.mktemp('pdf') / 'test.sqlite3'}"})
    client = app.test_client()
    out = {}
    for count, body in ((4, DEFAULT_FORM), (8, {**DEFAULT_FORM, "services": EIGHT_SERVICES}), ("crowded", CROWDED)):
        saved = client.post("/api/v1/assessments", json=body).get_json()
        response = client.get(saved["links"]["report_pdf"])
        assert response.status_code == 200
        out[count] = (saved, response.data)
    yield out
    app.extensions["advisor.store"].dispose()


X = "{http://www.w3.org/1999/xhtml}"


def page_lines(pdf: bytes, tmp_path) -> list[list[tuple[float, float, str]]]:
    """Per page, every line of text as pdftotext places it: (top, bottom, words)."""
    if shutil.which("pdftotext") is None:
        pytest.skip("poppler-utils is not installed (bash scripts/test.sh installs it as root)")
    path = tmp_path / "report.pdf"
    path.write_bytes(pdf)
    xhtml = subprocess.run(["pdftotext", "-bbox-layout", str(path), "-"], capture_output=True, check=True).stdout
    root = ElementTree.fromstring(re.sub(rb"<!DOCTYPE[^>]*>", b"", xhtml))
    return [[(float(line.get("yMin")), float(line.get("yMax")), " ".join(w.text or "" for w in line.iter(f"{X}word")))
             for line in page.iter(f"{X}line")] for page in root.iter(f"{X}page")]


@pytest.mark.parametrize("count", [4, 8])
def test_the_report_stays_within_its_page_bound(reports, count):
    _, pdf = reports[count]
    assert len(PdfReader(io.BytesIO(pdf)).pages) <= MAX_PAGES[count]


@pytest.mark.parametrize("count", [4, 8, "crowded"])
def test_no_page_but_the_last_holds_less_than_a_fifth_of_a_page(reports, count, tmp_path):
    _, pdf = reports[count]
    pages = page_lines(pdf, tmp_path)
    for number, lines in enumerate(pages[:-1], 1):
        body = [(top, bottom) for top, bottom, _ in lines if top > HEAD_BOTTOM and bottom < FOOT_TOP]
        filled = max(b for _, b in body) - min(t for t, _ in body)
        assert filled >= (FOOT_TOP - HEAD_BOTTOM) / 5, f"page {number} of {len(pages)} holds {filled:.0f} pt"


@pytest.mark.parametrize("count", [4, 8])
def test_every_page_opens_with_the_running_head(reports, count, tmp_path):
    saved, pdf = reports[count]
    day = datetime.fromisoformat(saved["created_at"]).strftime("%-d %B %Y")
    head = f"Payments API · Report {saved['id']} · {day}"
    pages = page_lines(pdf, tmp_path)
    for number, lines in enumerate(pages, 1):
        above = [text for _, bottom, text in lines if bottom <= HEAD_BOTTOM]
        assert above == [head], (number, above)
        assert [text for top, _, text in lines if top >= FOOT_TOP] == [f"Page {number} of {len(pages)}"]


def test_page_one_holds_the_decision_and_nothing_of_the_evidence(reports):
    saved, pdf = reports[4]
    pages = PdfReader(io.BytesIO(pdf)).pages
    first = " ".join(pages[0].extract_text().split())
    chosen = next(e for e in saved["recommendation"]["ranking"] if e["eligible"])
    assert f"{chosen['name']} ranks first" in first
    for heading in ("The decision", "Why", "The team’s hours", "What the team owns", "Risks the team still carries",
                    "What would change the answer"):
        assert heading in first
    assert "The ranking" not in first and "Responsibility matrix" not in first
    assert "The ranking" in " ".join(pages[1].extract_text().split())


def test_the_charts_carry_their_labels_as_text(reports, tmp_path):
    saved, pdf = reports[4]
    lines = [text for page in page_lines(pdf, tmp_path) for _, _, text in page]
    ranking = saved["recommendation"]["ranking"]
    for entry in ranking:
        assert f"{entry['rank']}. {entry['name']}" in lines
        assert any(line.startswith(f"{entry['burden_hours_per_month']:g} h") for line in lines), entry["name"]
    assert f"the team has {DEFAULT_FORM['security_hours_per_month']} h" in lines
    team_layers = [item for entry in ranking for item in entry["team_owns"] if item["hours_per_month"]]
    stack_owners = [line for line in lines if re.fullmatch(r"(Team|Shared) · [\d.]+ h", line)]
    assert len(stack_owners) == len(team_layers) > 0
