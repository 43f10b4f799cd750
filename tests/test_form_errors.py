"""Every answer the form can get wrong comes back in plain words beside its field, never as validator text."""
from __future__ import annotations

import re
from html import unescape

import pytest
from werkzeug.datastructures import MultiDict

from form_helpers import VALID_FORM, csrf_token

RAW = re.compile(r"^(Must be|Length must|Not a valid|Special numeric|Missing data|Unknown field|unknown |not an? |"
                 r"must not|each service|at least one weight)")

BAD_ANSWERS = [
    ("security_hours_per_month", "-1", "Enter hours from 0 to 100,000 a month, for example 20."),
    ("security_hours_per_month", "100001", "Enter hours from 0 to 100,000 a month, for example 20."),
    ("security_hours_per_month", "1e400", "Enter the hours as a number, for example 20 or 7.5."),
    ("patching_staff", "-1", "Enter a number of people from 0 to 10,000, for example 0 or 2."),
    ("patching_staff", "10001", "Enter a number of people from 0 to 10,000, for example 0 or 2."),
    ("customisation", "huge", "Choose one of the answers listed."),
    ("isolation", "total", "Choose one of the answers listed."),
    ("name", "a" * 201, "Keep the name to 200 characters or fewer."),
    ("name", "ab\u202ecd", "Remove the invisible formatting or text-direction characters"),
    ("name", "a\x07b", "Remove the control characters"),
    ("workload.memory_gb", "0", "Enter a number above 0 and up to 1,000,000, or leave it blank if it does not matter."),
    ("workload.vcpu", "2000000", "Enter a number above 0 and up to 1,000,000"),
    ("workload.max_duration_minutes", "-5", "Enter a number above 0 and up to 1,000,000"),
    ("workload.ephemeral_storage_gb", "1e999", "Enter a number, or leave it blank if it does not matter."),
    ("workload.os", "beos", "Choose one of the answers listed."),
    ("workload.arch", "sparc", "Choose one of the answers listed."),
    ("workload.invocation", "later", "Choose one of the answers listed."),
    ("workload.on_ec2", "vm", "Choose one of the answers listed."),
    ("workload.lambda_package", "jar", "Choose one of the answers listed."),
    ("overlay", "nobody_we_know", "“nobody_we_know” is not an arrangement the advisor knows"),
    ("overlay", "Not An Id!", "Choose one of the arrangements listed."),
    ("calibration", "nobody_we_know", "is not a set of effort figures the advisor knows"),
    ("services", "nothing_like_it", "“nothing_like_it” is not a service the advisor knows"),
    ("services", "Not An Id!", "Tick only services from the list."),
    ("weights.burden", "-1", "Enter a weight from 0 to 1,000, or leave it blank for the advisor’s own."),
    ("weights.patching", "heavy", "Enter the weight as a number, for example 0.35."),
]


def errors_beside_fields(html: str) -> list[str]:
    return [unescape(m) for m in re.findall(r'<span class="visually-hidden">Error: </span>([^<]*)</p>', html)]


def summary(html: str) -> str:
    return unescape(re.sub(r"<[^>]+>", " ", html.split('id="error-summary"', 1)[1].split("</div>", 1)[0]))


@pytest.mark.parametrize(("field", "value", "expected"), BAD_ANSWERS)
def test_each_bad_answer_is_worded_for_people(fixture_client, field, value, expected):
    data = MultiDict({**VALID_FORM, "csrf_token": csrf_token(fixture_client)})
    if field == "services":
        data.add("services", value)
    else:
        data[field] = value
    response = fixture_client.post("/", data=data, headers={"Accept": "text/html"})
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    shown = errors_beside_fields(html) if not field.startswith("weights.") else []
    messages = shown or [summary(html).strip()]
    assert any(expected in m for m in messages), messages
    for message in messages:
        assert not RAW.search(message.split(": ", 1)[-1].strip()), message


def test_a_weight_all_at_zero_and_a_service_ticked_twice_read_plainly(fixture_client):
    data = MultiDict({**VALID_FORM, "csrf_token": csrf_token(fixture_client)})
    for part in ("burden", "patching", "customisation", "isolation", "simplicity"):
        data[f"weights.{part}"] = "0"
    html = fixture_client.post("/", data=data, headers={"Accept": "text/html"}).get_data(as_text=True)
    assert "Keep at least one scoring weight above zero." in summary(html)
    data = MultiDict([*VALID_FORM.items(), ("csrf_token", csrf_token(fixture_client)),
                      ("services", "machines"), ("services", "machines")])
    html = fixture_client.post("/", data=data, headers={"Accept": "text/html"}).get_data(as_text=True)
    assert "Tick each service once." in errors_beside_fields(html)
