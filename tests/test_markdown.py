"""Escaping in the Markdown decision record: whatever is typed renders as exactly that text."""
import html
import re

import pytest
from hypothesis import assume, given, settings, strategies as st
from markdown_it import MarkdownIt

from form_helpers import HOSTILE_NAMES
from web.markdown_report import escape_markdown, escape_prose

md = MarkdownIt("commonmark").enable("table")
typed = st.text(alphabet=st.characters(exclude_categories=("Cs", "Cc")), min_size=1, max_size=40)


def one_line(text: str) -> str:
    return " ".join(text.split())


def render_inline(line: str) -> str:
    return md.render(line)


@settings(max_examples=300, deadline=None)
@given(typed)
def test_an_escaped_name_renders_as_itself_in_a_heading_and_a_list(text):
    text = one_line(text)
    assume(text)
    heading = re.fullmatch(r"<h1>(.*)</h1>\n", render_inline(f"# For {escape_markdown(text)}"), re.S)
    assert heading and html.unescape(heading.group(1)) == f"For {text}"
    item = re.fullmatch(r"<ul>\n<li>(.*)</li>\n</ul>\n", render_inline(f"* {escape_markdown(text)}"), re.S)
    assert item and html.unescape(item.group(1)) == text


@settings(max_examples=300, deadline=None)
@given(typed)
def test_escaped_prose_stays_inside_its_table_cell_and_list_item(text):
    text = one_line(text)
    assume(text)
    table = render_inline(f"| A | B |\n| --- | --- |\n| {escape_prose(text)} | x |\n")
    cells = re.findall(r"<td>(.*?)</td>", table, re.S)
    assert len(cells) == 2 and html.unescape(cells[0]) == text
    item = re.fullmatch(r"<ul>\n<li>(.*)</li>\n</ul>\n", render_inline(f"* {escape_prose(text)}"), re.S)
    assert item and html.unescape(item.group(1)) == text


def test_the_hostile_names_escape_every_metacharacter():
    for name in HOSTILE_NAMES:
        escaped = escape_markdown(name)
        assert not re.search(r"(?<!\\)[<>\[\]()#|]", escaped), escaped


def test_the_record_can_be_made_from_a_plain_api_answer(client, profile):
    """Without a knowledge snapshot (a POST /api/v1/recommendations answer) the record has every MADR part."""
    from web.markdown_report import render_markdown
    answer = client.post("/api/v1/recommendations", json={**profile, "name": "Batch jobs"}).get_json()
    text = render_markdown(answer["profile"], answer)
    assert text.startswith("# Choose the compute platform for Batch jobs\n")
    for heading in ("## Context and Problem Statement", "## Decision Drivers", "## Considered Options",
                    "## Decision Outcome", "## Pros and Cons of the Options"):
        assert f"\n{heading}\n" in text
    assert f'Chosen option: "{answer["ranking"][0]["name"]}"' in text
    assert "What happens when" not in text and "- Date: not saved" in text


@pytest.mark.parametrize("text", ["0)", "1. first", "12) twelve", "- dash", "# hash", "> quote"])
def test_prose_that_starts_like_a_block_shows_literally_in_a_cell_and_a_list_item(text):
    table = render_inline(f"| A | B |\n| --- | --- |\n| {escape_prose(text)} | x |\n")
    assert html.unescape(re.findall(r"<td>(.*?)</td>", table, re.S)[0]) == text
    item = re.fullmatch(r"<ul>\n<li>(.*)</li>\n</ul>\n", render_inline(f"* {escape_prose(text)}"), re.S)
    assert item and html.unescape(item.group(1)) == text
