"""Drive the requirements form the way a browser does: read the page's CSRF token, post the fields."""
from __future__ import annotations

import re
from html.parser import HTMLParser

VALID_FORM = {
    "name": "Payments API",
    "security_hours_per_month": "20",
    "patching_staff": "0",
    "customisation": "low",
    "isolation": "standard",
    "workload.os": "linux",
}

HOSTILE_NAMES = [
    "<script>alert(1)</script>",
    "[click](javascript:alert(1))",
    "# Heading",
    "| a | b |",
    "<img src=x onerror=alert(1)>",
]


def csrf_token(client) -> str:
    page = client.get("/").get_data(as_text=True)
    return re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)


def submit_form(client, fields: dict, with_token: bool = True):
    data = dict(fields)
    if with_token:
        data["csrf_token"] = csrf_token(client)
    return client.post("/", data=data, headers={"Accept": "text/html"})


class Elements(HTMLParser):
    """Every start tag of a page with its attributes, and the text of the page."""

    def __init__(self, html: str):
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict]] = []
        self.text: list[str] = []
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))

    def handle_data(self, data):
        self.text.append(data)

    def by_id(self, element_id: str) -> tuple[str, dict]:
        return next((t, a) for t, a in self.tags if a.get("id") == element_id)

    def all(self, tag: str) -> list[dict]:
        return [a for t, a in self.tags if t == tag]


def assert_no_inline_code(html: str) -> None:
    """Nothing a strict Content-Security-Policy would block: no inline script, handlers, javascript: URLs or styles."""
    page = Elements(html)
    assert not page.all("script")
    for tag, attrs in page.tags:
        assert not [a for a in attrs if a.startswith("on")], (tag, attrs)
        assert "style" not in attrs, (tag, attrs)
        for value in attrs.values():
            assert not (value or "").strip().lower().startswith("javascript:"), (tag, attrs)
    assert not page.all("style")
