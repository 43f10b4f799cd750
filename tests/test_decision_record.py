"""The Markdown decision record a team commits: MADR's structure, clean titles, public links, a file name to keep."""
from __future__ import annotations

import html
import re
from datetime import datetime, timezone

from hypothesis import assume, given, settings, strategies as st
from markdown_it import MarkdownIt

from conftest import FIXTURE_GRAPH_DATA
from form_helpers import HOSTILE_NAMES
from web.markdown_report import escape_name, record_filename

md = MarkdownIt("commonmark").enable("table")
PUBLIC = "https://advisor.example.org/tools"
ALICE = "alice-token-0123456789"
PROFILE = {"name": "Payments API (regulated)", "security_hours_per_month": 20, "patching_staff": 0,
           "customisation": "low", "isolation": "strong", "workload": {"max_duration_minutes": 60}}
MADR_SECTIONS = ["Context and Problem Statement", "Decision Drivers", "Considered Options", "Decision Outcome",
                 "Pros and Cons of the Options", "More Information", "Links"]


def blocks(text: str) -> list[tuple[str, str, list[str]]]:
    """The record as (heading tag, heading text, the items of the list that follows it), in order."""
    tokens = md.parse(text)
    found: list[tuple[str, str, list[str]]] = []
    for i, token in enumerate(tokens):
        if token.type == "heading_open":
            found.append((token.tag, tokens[i + 1].content, []))
        elif token.type == "list_item_open" and found and token.level == 1:
            found[-1][2].append(tokens[i + 2].content)
    return found


def links(text: str) -> list[str]:
    return [child.attrs["href"] for token in md.parse(text) if token.type == "inline"
            for child in token.children or () if child.type == "link_open"]


def record(make_app, tmp_path, **config):
    app = make_app(GRAPH_DATA=str(FIXTURE_GRAPH_DATA), DATABASE_URL=f"sqlite:///{tmp_path / 'r.sqlite3'}", **config)
    client = app.test_client()
    auth = {"Authorization": f"Bearer {ALICE}"} if config.get("API_TOKENS") else {}
    saved = client.post("/api/v1/assessments", json=PROFILE, headers=auth).get_json()
    response = client.get(saved["links"]["report_markdown"], headers=auth)
    assert response.status_code == 200
    return saved, response


def test_the_record_renders_into_madr_s_structure_with_front_matter_adr_tools_and_log4brains_read(make_app,
                                                                                                   tmp_path):
    saved, response = record(make_app, tmp_path, PUBLIC_URL=PUBLIC + "/", API_TOKENS=f"alice:read+write:{ALICE}")
    text = response.get_data(as_text=True)
    assert text.startswith("# Choose the compute platform for Payments API (regulated)\n\n- Status: proposed\n")
    parts = blocks(text)
    tag, title, front = parts[0]
    assert (tag, title) == ("h1", "Choose the compute platform for Payments API (regulated)")
    assert front[:3] == ["Status: proposed", f"Date: {saved['created_at'][:10]}", "Deciders: alice"]
    assert [t for tag, t, _ in parts if tag == "h2"] == MADR_SECTIONS
    sections = {t: items for tag, t, items in parts if tag == "h2"}
    assert len(sections["Considered Options"]) == len(saved["recommendation"]["ranking"])
    chosen = saved["recommendation"]["ranking"][0]["name"]
    assert f'Chosen option: "{chosen}"' in text


def test_decision_drivers_are_the_needs_and_constraints_not_the_application_s_name(make_app, tmp_path):
    _, response = record(make_app, tmp_path)
    items = next(items for _, title, items in blocks(response.get_data(as_text=True)) if title == "Decision Drivers")
    drivers = dict(item.split(": ", 1) for item in items)
    assert drivers["Security hours a month"] == "20" and drivers["Isolation needed"] == "Strong"
    assert drivers["Longest single run"] == "60 minutes"
    assert "Application name" not in drivers and not any("Payments" in v for v in drivers.values())


def test_every_link_to_the_service_starts_with_the_public_url(make_app, tmp_path):
    saved, response = record(make_app, tmp_path, PUBLIC_URL=PUBLIC + "/")
    text = response.get_data(as_text=True)
    own = [href for href in links(text) if "amazon.com" not in href]
    assert own == [f"{PUBLIC}/reports/{saved['id']}", f"{PUBLIC}/reports/{saved['id']}.pdf"]
    assert "127.0.0.1" not in text and "localhost" not in text


def test_the_record_downloads_as_an_attachment_named_from_the_application_and_date(make_app, tmp_path):
    saved, response = record(make_app, tmp_path)
    assert response.headers["Content-Disposition"] == (
        f'attachment; filename="0001-payments-api-regulated-compute-platform-{saved["created_at"][:10]}.md"')


def test_file_names_are_plain_whatever_the_application_is_called():
    day = datetime(2026, 12, 1, 9, 30, tzinfo=timezone.utc)
    assert record_filename("Payments API", day) == "0001-payments-api-compute-platform-2026-12-01.md"
    assert record_filename("Zahlungs-API für Käufer", day) == \
        "0001-zahlungs-api-fur-kaufer-compute-platform-2026-12-01.md"
    assert record_filename(None, day) == "0001-application-compute-platform-2026-12-01.md"
    assert record_filename("会计", None) == "0001-application-compute-platform.md"
    for name in [*HOSTILE_NAMES, '../../etc/passwd"; x', "a" * 300]:
        assert re.fullmatch(r"0001-[a-z0-9-]{1,60}-compute-platform-2026-12-01\.md", record_filename(name, day))


typed = st.text(alphabet=st.characters(exclude_categories=("Cs", "Cc")), min_size=1, max_size=40)


@settings(max_examples=300, deadline=None)
@given(typed)
def test_a_name_mid_line_renders_as_itself_and_never_as_markup(text):
    text = " ".join(text.split())
    assume(text)
    for line, expected, tag in ((f"# For {escape_name(text)}", f"For {text}", "h1"),
                                (f"Where should {escape_name(text)} run?", f"Where should {text} run?", "p")):
        inner = re.fullmatch(rf"<{tag}>(.*)</{tag}>\n", md.render(line), re.S)
        assert inner and "<" not in inner.group(1), line
        assert html.unescape(inner.group(1)) == expected
