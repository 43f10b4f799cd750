"""The list of saved reports: first place, how firm it is and the date of each; search by name; pages; and, with
access control on, only what the caller may see. On the fixture knowledge base."""
from __future__ import annotations

import html as html_lib
import re

import pytest

from conftest import FIXTURE_GRAPH_DATA

HTML = {"Accept": "text/html"}
ALICE = "alice-token-0123456789"
BOB = "bob-token-0123456789ab"
AUDIT = "audit-token-0123456789"
TOKENS = f"alice:read+write:{ALICE}, bob:read+write:{BOB}, audit:read+list_all:{AUDIT}"


def save(client, profile, name, headers=None) -> dict:
    response = client.post("/api/v1/assessments", json={**profile, "name": name}, headers=headers or {})
    assert response.status_code == 201, response.get_json()
    return response.get_json()


def listed(client, query: str = "", headers=None) -> list[dict]:
    page = client.get(f"/reports{query}", headers={**HTML, **(headers or {})})
    assert page.status_code == 200
    body = page.get_data(as_text=True)
    rows = re.findall(r'<tr>\s*<th scope="row"><a href="/reports/(\w+)">(.*?)</a></th>(.*?)</tr>', body, re.S)
    return [{"id": i, "name": html_lib.unescape(n), "cells": [" ".join(html_lib.unescape(re.sub(r"<[^>]+>", " ", c))
                                                                    .split()) for c in re.findall(r"<td>(.*?)</td>",
                                                                                                   rest, re.S)]}
            for i, n, rest in rows]


def test_each_report_shows_its_first_place_how_firm_it_is_and_its_date(fixture_client, profile):
    saved = save(fixture_client, profile, "Ledger")
    (row,) = listed(fixture_client)
    first = next(e for e in saved["recommendation"]["ranking"] if e["eligible"])
    made, first_place, firmness = row["cells"]
    assert row["name"] == "Ledger" and first_place.startswith(first["name"])
    assert firmness == saved["recommendation"]["robustness"]["label"].capitalize()
    assert re.fullmatch(r"\d{1,2} \w+ \d{4}, \d\d:\d\d UTC", made)


def test_search_keeps_the_names_holding_the_words_in_any_case(fixture_client, profile):
    for name in ("Payments API", "payments worker", "Ledger", "100% uptime"):
        save(fixture_client, profile, name)
    assert [r["name"] for r in listed(fixture_client, "?q=PAYMENTS")] == ["payments worker", "Payments API"]
    # % and _ are characters to find, not wildcards
    assert [r["name"] for r in listed(fixture_client, "?q=%25")] == ["100% uptime"]
    assert listed(fixture_client, "?q=_") == []
    page = fixture_client.get("/reports?q=nothing+like+this", headers=HTML).get_data(as_text=True)
    assert "No saved report’s application name contains “nothing like this”" in html_lib.unescape(page)


def test_pages_run_newest_first_and_keep_the_search(fixture_client, profile):
    for number in range(5):
        save(fixture_client, profile, f"Service {number}")
    save(fixture_client, profile, "Other")
    first = fixture_client.get("/reports?q=service&per_page=2", headers=HTML).get_data(as_text=True)
    assert "page 1 of 3" in first and [r["name"] for r in listed(fixture_client, "?q=service&per_page=2")] == [
        "Service 4", "Service 3"]
    older = html_lib.unescape(re.search(r'<a href="([^"]+)" rel="next">Older</a>', first).group(1))
    assert "q=service" in older and "page=2" in older
    assert [r["name"] for r in listed(fixture_client, older.removeprefix("/reports"))] == ["Service 2", "Service 1"]
    last = fixture_client.get("/reports?q=service&per_page=2&page=3", headers=HTML).get_data(as_text=True)
    assert 'rel="next"' not in last and 'rel="prev"' in last


@pytest.mark.parametrize("query, field", [("?page=0", "page"), ("?per_page=1000", "per_page"), ("?q=" + "x" * 201, "q")])
def test_a_bad_list_query_names_the_field(fixture_client, query, field):
    response = fixture_client.get(f"/reports{query}")
    assert response.status_code == 422 and field in response.get_data(as_text=True)


def test_with_access_control_each_caller_lists_only_what_it_may_see(make_app, tmp_path, profile):
    app = make_app(GRAPH_DATA=str(FIXTURE_GRAPH_DATA), DATABASE_URL=f"sqlite:///{tmp_path / 'a.sqlite3'}",
                   API_TOKENS=TOKENS)
    client = app.test_client()
    alice = save(client, profile, "Payments API", {"Authorization": f"Bearer {ALICE}"})
    bob = save(client, profile, "Payments worker", {"Authorization": f"Bearer {BOB}"})
    as_alice = listed(client, "?q=payments", {"Authorization": f"Bearer {ALICE}"})
    assert [r["id"] for r in as_alice] == [alice["id"]]
    as_audit = listed(client, "?q=payments", {"Authorization": f"Bearer {AUDIT}"})
    assert {r["id"] for r in as_audit} == {alice["id"], bob["id"]}
    assert client.get("/reports", headers={"Accept": "application/json"}).status_code == 401
