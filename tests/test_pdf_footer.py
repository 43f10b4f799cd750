"""The PDF's running head: whichever page is read alone, it says which application, report and day it is from."""
from __future__ import annotations

import io
from datetime import datetime

import pytest
from pypdf import PdfReader


@pytest.mark.slow
@pytest.mark.parametrize("name", ["Payments API (regulated)", "<b>Ledger</b> & co"])
def test_every_page_of_the_pdf_carries_the_application_the_report_id_and_the_date(fixture_client, profile, name):
    saved = fixture_client.post("/api/v1/assessments", json={**profile, "name": name}).get_json()
    day = datetime.fromisoformat(saved["created_at"]).strftime("%-d %B %Y")
    pages = PdfReader(io.BytesIO(fixture_client.get(saved["links"]["report_pdf"]).data)).pages
    assert len(pages) > 2
    for number, page in enumerate(pages, 1):
        text = " ".join(page.extract_text().split())
        assert f"{name} · Report {saved['id']} · {day}" in text, (number, text[-300:])
        assert f"Page {number} of {len(pages)}" in text


def test_the_page_itself_carries_no_running_footer(fixture_client, profile):
    saved = fixture_client.post("/api/v1/assessments", json={**profile, "name": "Ledger"}).get_json()
    html = fixture_client.get(saved["links"]["report_html"], headers={"Accept": "text/html"}).get_data(as_text=True)
    assert 'class="running-head"' not in html
