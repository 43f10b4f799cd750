"""The form in a real headless Chromium against a real gunicorn server: keyboard, no JavaScript, printing."""
from __future__ import annotations

import io
import json
import os
import re
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from playwright.sync_api import expect, sync_playwright
from pypdf import PdfReader

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
ROOT = Path(__file__).resolve().parents[1]

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="Debian's chromium is not installed "
                                                     "(bash scripts/test.sh installs it as root)"),
]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """gunicorn with the project's settings on a free loopback port, its own instance folder and database."""
    instance = tmp_path_factory.mktemp("instance")
    port = _free_port()
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "ADVISOR_GRAPH_DATA", "SECRET_KEY")}
    env.update(ADVISOR_BIND=f"127.0.0.1:{port}", WEB_CONCURRENCY="2", ADVISOR_INSTANCE_PATH=str(instance))
    log = open(instance / "gunicorn.log", "wb")
    process = subprocess.Popen([sys.executable, "-m", "gunicorn", "-c", "gunicorn.conf.py"], cwd=ROOT, env=env,
                               stdout=log, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while True:
        try:
            with urllib.request.urlopen(base + "/healthz", timeout=2) as response:
                if response.status == 200:
                    break
        except OSError:
            pass
        if process.poll() is not None or time.monotonic() > deadline:
            process.kill()
            log.close()
            pytest.fail("the server did not start:\n" + (instance / "gunicorn.log").read_text()[-3000:])
        time.sleep(0.2)
    yield base
    process.terminate()
    process.wait(timeout=30)
    log.close()


@pytest.fixture(scope="module")
def browser():
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1100, "height": 900})
    yield context.new_page()
    context.close()


def first_ranked(base: str, profile: dict) -> str:
    request = urllib.request.Request(base + "/api/v1/recommendations", data=json.dumps(profile).encode(),
                                     headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=30) as response:
        return json.load(response)["ranking"][0]["name"]


def test_the_form_filled_in_with_the_keyboard_lands_on_a_report_that_prints(server, page):
    page.goto(server + "/")
    page.get_by_label("Application name").focus()
    page.keyboard.type("Checkout service")
    page.keyboard.press("Tab")
    expect(page.get_by_label("Security hours a month")).to_be_focused()
    page.keyboard.press("Control+A")
    page.keyboard.type("40")
    page.keyboard.press("Tab")
    expect(page.get_by_label("Patching staff")).to_be_focused()
    page.keyboard.press("Control+A")
    page.keyboard.type("2")
    page.keyboard.press("Tab")  # into who else runs part of the platform, on the checked "Nobody else"
    expect(page.get_by_role("radio", name="Nobody else")).to_be_focused()
    page.keyboard.press("Tab")  # into the customisation radios, on the checked one
    page.keyboard.press("ArrowDown")
    expect(page.get_by_role("radio", name="Medium")).to_be_checked()
    page.get_by_label("Longest single run").fill("60")
    page.get_by_label("Longest single run").press("Enter")

    page.wait_for_url(re.compile(r"/reports/[0-9a-f]{32}$"))
    expected = first_ranked(server, {"security_hours_per_month": 40, "patching_staff": 2, "customisation": "medium",
                                     "isolation": "standard", "workload": {"max_duration_minutes": 60}})
    expect(page.get_by_role("heading", level=1)).to_have_text("Checkout service")
    expect(page.locator(".verdict strong")).to_have_text(expected)
    expect(page.locator("#matrix table")).to_be_visible()

    pdf = page.pdf(format="A4")
    assert pdf.startswith(b"%PDF-")
    reader = PdfReader(io.BytesIO(pdf))
    text = "\n".join(p.extract_text() for p in reader.pages)
    assert "Checkout service" in text and expected in text
    assert "Saved reports" not in text  # the print stylesheet drops the navigation
    assert len(reader.pages) > 3


def test_picking_an_overlay_and_two_more_services_shows_the_platform_team_in_the_report(server, page):
    page.goto(server + "/")
    page.get_by_label("Application name").fill("Orders")
    page.get_by_role("radio", name="A central platform team runs the container hosts").check()
    page.get_by_role("checkbox", name="Amazon EKS (managed node groups)").check()
    page.get_by_role("checkbox", name="Amazon ECS Managed Instances").check()
    page.get_by_role("radio", name="Arm64").check()
    page.get_by_role("button", name="See the recommendation").click()

    page.wait_for_url(re.compile(r"/reports/[0-9a-f]{32}$"))
    expect(page.locator("#decision .parties")).to_contain_text("AWS, Platform team and the team share the work")
    matrix = page.locator("#matrix table")
    expect(matrix.locator("thead th")).to_have_count(1 + 6)
    expect(matrix.locator("td.owner--party").first).to_have_text("Platform team")
    expect(page.locator("#service-eks")).to_contain_text("What Platform team would take over on Amazon EKS")
    expect(page.get_by_role("img", name="Who owns each layer on Amazon ECS on EC2")).to_be_visible()
    expect(page.locator("#inputs")).to_contain_text("Arm64 (AWS Graviton)")


def test_a_bad_answer_brings_the_error_summary_into_focus_and_links_to_the_field(server, page):
    page.goto(server + "/")
    page.get_by_label("Security hours a month").fill("plenty")
    page.get_by_role("button", name="See the recommendation").click()
    summary = page.locator("#error-summary")
    expect(summary).to_be_focused()
    expect(summary).to_contain_text("Enter the hours as a number")
    field = page.get_by_label("Security hours a month")
    expect(field).to_have_value("plenty")
    expect(field).to_have_attribute("aria-invalid", "true")
    expect(field).to_have_accessible_description(re.compile("Enter the hours as a number"))
    summary.get_by_role("link").click()
    expect(field).to_be_focused()


def test_the_form_works_without_javascript(server, browser):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(server + "/")
    page.get_by_label("Application name").fill("No script app")
    page.get_by_label("Needs a GPU").check()
    page.get_by_role("button", name="See the recommendation").click()
    page.wait_for_url(re.compile(r"/reports/[0-9a-f]{32}$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("No script app")
    expect(page.locator("#recommendation")).to_contain_text("offers no GPU")
    context.close()


def test_printing_hides_the_navigation(server, page):
    profile = {"security_hours_per_month": 20, "patching_staff": 0, "customisation": "low", "isolation": "standard"}
    request = urllib.request.Request(server + "/api/v1/assessments", data=json.dumps(profile).encode(),
                                     headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=30) as response:
        page.goto(server + json.load(response)["links"]["report_html"])
    expect(page.locator(".site-header")).to_be_visible()
    page.emulate_media(media="print")
    expect(page.locator(".site-header")).to_be_hidden()
    expect(page.locator(".formats")).to_be_hidden()


def tab_to(page, target, limit: int = 12) -> None:
    """Press Tab until the target has the focus, as a keyboard user would."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if target.evaluate("element => element === document.activeElement"):
            return
    expect(target).to_be_focused()


def test_the_compare_page_is_reached_and_used_with_the_keyboard(server, page):
    page.goto(server + "/")
    link = page.get_by_role("navigation", name="Main").get_by_role("link", name="Compare services")
    tab_to(page, link)
    page.keyboard.press("Enter")
    page.wait_for_url(server + "/compare")
    expect(link).to_have_attribute("aria-current", "page")

    tab_to(page, page.get_by_label("Move from"))
    page.keyboard.type("Amazon ECS on")  # the select's type-ahead, as at any keyboard
    expect(page.get_by_label("Move from")).to_have_value("ecs")
    page.keyboard.press("Tab")
    expect(page.get_by_label("Move to")).to_be_focused()
    page.keyboard.type("AWS Fargate")
    expect(page.get_by_label("Move to")).to_have_value("fargate")
    tab_to(page, page.get_by_role("button", name="Compare"))
    page.keyboard.press("Enter")

    page.wait_for_url(re.compile(r"/compare\?from=ecs&to=fargate&overlay=$"))
    with urllib.request.urlopen(server + "/api/v1/compare?from=ecs&to=fargate", timeout=30) as response:
        expected = json.load(response)
    expect(page.locator("#comparison-summary")).to_have_text(expected["summary"])
    handed = page.get_by_role("table", name=re.compile(r"layers?, \d+ team hours a month"))
    expect(handed.locator("tbody tr")).to_have_count(len(expected["handed_to_aws"]))
    expect(page.get_by_role("link", name="Compare the other way: from AWS Fargate (Amazon ECS) to Amazon ECS on EC2")
           ).to_be_visible()


def test_change_the_answers_and_a_what_if_link_open_the_form_ready_to_run_again(server, page):
    page.goto(server + "/")
    page.get_by_label("Application name").fill("Ledger")
    page.get_by_label("Memory").fill("4")
    page.get_by_role("radio", name="On its own Kubernetes cluster").check()
    page.get_by_role("button", name="See the recommendation").click()
    page.wait_for_url(re.compile(r"/reports/[0-9a-f]{32}$"))
    report_url = page.url

    page.get_by_role("link", name="Change the answers").click()
    page.wait_for_url(report_url + "/edit")
    expect(page.get_by_label("Application name")).to_have_value("Ledger")
    expect(page.get_by_label("Memory")).to_have_value("4")
    expect(page.get_by_role("radio", name="On its own Kubernetes cluster")).to_be_checked()
    expect(page.get_by_role("checkbox", name="Amazon EC2")).to_be_checked()

    page.goto(report_url)
    what_if = page.locator("ul.what-ifs a").first
    sentence = what_if.inner_text()
    expected = re.search(r"would rank first", sentence) and sentence.rsplit(", ", 1)[1].removesuffix(
        " would rank first.")
    what_if.click()
    page.wait_for_url(re.compile(re.escape(report_url) + r"/edit\?"))
    expect(page.locator("#editing")).to_contain_text("changed")
    expect(page.get_by_label("Application name")).to_have_value("Ledger")
    page.get_by_role("button", name="See the recommendation").click()
    page.wait_for_url(re.compile(r"/reports/[0-9a-f]{32}$"))
    assert page.url != report_url
    expect(page.locator(".verdict strong")).to_have_text(expected)

    page.emulate_media(media="print")
    expect(page.get_by_role("link", name="How firm first place is")).to_be_hidden()
    expect(page.locator(".compare-link")).to_be_hidden()


def test_the_compare_page_s_sources_line_up_with_their_rows(server, page):
    page.goto(server + "/compare?from=ec2&to=lambda")
    rows = page.locator("table.moved tbody tr")
    assert rows.count() > 2
    for i in range(rows.count()):
        row = rows.nth(i).bounding_box()
        for cell in (rows.nth(i).locator("th"), rows.nth(i).locator("td.src")):
            box = cell.bounding_box()
            assert abs(box["y"] - row["y"]) < 1 and abs(box["height"] - row["height"]) < 1, (i, box, row)
