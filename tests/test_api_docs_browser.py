"""The API reference in a real headless Chromium: Swagger UI renders the document and sends a real request."""
from __future__ import annotations

import json

from playwright.sync_api import expect

from test_browser import browser, page, pytestmark, server  # noqa: F401  (the shared server and browser)


def test_the_reference_lists_every_endpoint_and_try_it_out_gets_a_real_ranking(server, page):
    errors = []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    page.goto(server + "/api/docs")
    expect(page.get_by_role("link", name="API", exact=True)).to_have_attribute("aria-current", "page")
    operation = page.locator(".opblock-post", has_text="/api/v1/recommendations").first
    expect(operation).to_be_visible(timeout=15_000)
    with page.expect_response(lambda r: r.url.endswith("/api/v1/openapi.json")) as document:
        page.reload()
    paths = json.loads(document.value.body())["paths"]
    expect(page.locator(".opblock")).to_have_count(sum(len(p) for p in paths.values()), timeout=15_000)

    operation = page.locator(".opblock-post", has_text="/api/v1/recommendations").first
    operation.locator(".opblock-summary").first.click()
    operation.get_by_role("button", name="Try it out").click()
    with page.expect_response(lambda r: r.url.endswith("/api/v1/recommendations") and r.request.method == "POST") \
            as sent:
        operation.get_by_role("button", name="Execute").click()
    assert sent.value.status == 200
    ranked = sent.value.json()["ranking"]
    expect(operation.locator(".live-responses-table tr.response .response-col_status").first).to_have_text("200")
    expect(operation.locator(".live-responses-table")).to_contain_text(ranked[0]["name"])
    assert not [e for e in errors if "Content Security Policy" in e or "Refused" in e], errors
