"""The findings of the attack run, replayed against the real gunicorn: private reads, renders keyed by the public
URL, links that ignore the client's headers, bounded chunked bodies, per-client idempotency and private files."""
import json
import os
import re
import signal
import stat
import threading
import time
from pathlib import Path

import pytest

from adapters.repository import AssessmentStore
from gunicorn_server import GunicornServer

pytestmark = pytest.mark.slow

ALICE = "alice-token-0123456789"
BOB = "bob-token-0123456789ab"
PROFILE = {"security_hours_per_month": 20, "patching_staff": 1, "customisation": "low", "isolation": "standard",
           "services": ["ec2", "ecs", "fargate", "lambda"]}


def auth(token):
    return {"Authorization": f"Bearer {token}"}


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    instance = tmp_path_factory.mktemp("guarded") / "instance"
    srv = GunicornServer(instance, workers=2, env={
        "ADVISOR_INSTANCE_PATH": str(instance / "data"),  # made by the service itself
        "ADVISOR_API_TOKENS": f"alice:read+write:{ALICE},bob:read+write:{BOB}",
        "ADVISOR_PUBLIC_URL": "https://advisor.example.org", "ADVISOR_MAX_BODY_BYTES": "4000"}).start()
    yield srv
    srv.stop()


def save(server, token, **headers):
    status, _, body = server.request("POST", "/api/v1/assessments", dict(PROFILE, name="Confidential Merger Project"),
                                     {**auth(token), **headers})
    assert status in (200, 201), body
    return json.loads(body)


def test_saved_assessments_and_their_lists_are_not_readable_without_a_token(server):
    """F1 and F3 on the live server."""
    report_id = save(server, ALICE)["id"]
    for path in ("/api/v1/assessments", "/reports", f"/api/v1/assessments/{report_id}", f"/reports/{report_id}",
                 f"/reports/{report_id}.pdf", f"/reports/{report_id}.md"):
        status, headers, body = server.request("GET", path)
        assert status == 401 and b"Confidential" not in body, path
        assert headers["Content-Type"] == "application/problem+json"
    status, _, _ = server.request("POST", "/", "name=x&security_hours_per_month=20",
                                  {"Content-Type": "application/x-www-form-urlencoded", "Accept": "application/json"})
    assert status == 401
    status, _, body = server.request("GET", "/api/v1/assessments", headers=auth(BOB))
    assert status == 200 and report_id not in body.decode()
    status, _, body = server.request("GET", f"/reports/{report_id}.md", headers=auth(BOB))
    assert status == 200 and b"Confidential Merger Project" in body


def test_host_headers_neither_reach_links_nor_force_renders(server):
    """F2 and F7: one rendering per report whatever Host says; links start with the public URL."""
    report_id = save(server, ALICE)["id"]
    store = AssessmentStore(f"sqlite:///{server.instance / 'data' / 'advisor.sqlite3'}")
    try:
        before = store.render_count()
        status, _, first = server.request("GET", f"/reports/{report_id}.pdf",
                                          headers={**auth(ALICE), "Host": "localhost:1000"}, timeout=60)
        assert status == 200 and store.render_count() == before + 1
        for port in range(1001, 1006):
            started = time.monotonic()
            status, _, again = server.request("GET", f"/reports/{report_id}.pdf",
                                              headers={**auth(ALICE), "Host": f"localhost:{port}"})
            assert status == 200 and again == first and time.monotonic() - started < 1.0
        _, _, record = server.request("GET", f"/reports/{report_id}.md", headers={
            **auth(ALICE), "Host": "evil.example", "X-Forwarded-Host": "evil.example", "X-Forwarded-Proto": "http"})
        assert f"<https://advisor.example.org/reports/{report_id}>".encode() in record and b"evil" not in record
        assert store.render_count() == before + 2
    finally:
        store.dispose()


def test_idempotency_keys_do_not_cross_clients(server):
    """F8 on the live server."""
    first = save(server, ALICE, **{"Idempotency-Key": "shared-key"})
    other = save(server, BOB, **{"Idempotency-Key": "shared-key"})
    assert other["id"] != first["id"] and other["created_by"] == "bob"


def test_a_chunked_body_over_the_limit_is_a_413_not_cut_short(server):
    """F6: valid JSON, then padding past the 4,000-byte limit, sent chunked."""
    body = json.dumps(PROFILE).encode() + b" " * 6000
    head = (b"POST /api/v1/recommendations HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
            b"Authorization: Bearer " + ALICE.encode() + b"\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n")
    answer = server.raw(head + f"{len(body):x}\r\n".encode() + body + b"\r\n0\r\n\r\n")
    assert answer.startswith(b"HTTP/1.1 413"), answer[:200]
    small = json.dumps(PROFILE).encode()
    answer = server.raw(head + f"{len(small):x}\r\n".encode() + small + b"\r\n0\r\n\r\n")
    assert answer.startswith(b"HTTP/1.1 200"), answer[:200]


def test_the_database_and_instance_folder_are_private(server):
    """F9: after saves through gunicorn, the database, its log and the folder are the owner's alone."""
    save(server, ALICE)
    data = server.instance / "data"
    assert stat.S_IMODE(data.stat().st_mode) == 0o700
    for name in ("advisor.sqlite3", "advisor.sqlite3-wal", "secret_key"):
        assert stat.S_IMODE((data / name).stat().st_mode) == 0o600, name


def _form_post_as_if_https(srv):
    """A form post with its CSRF token, claiming https in X-Forwarded-Proto, without a Referer."""
    _, headers, page = srv.request("GET", "/")
    cookie = headers["Set-Cookie"].split(";")[0]
    token = re.search(rb'name="csrf_token" value="([^"]+)"', page).group(1).decode()
    form = (f"csrf_token={token}&security_hours_per_month=20&patching_staff=0&customisation=low&isolation=standard"
            "&workload.os=linux")
    return srv.request("POST", "/", form, {"Content-Type": "application/x-www-form-urlencoded", "Cookie": cookie,
                                           "X-Forwarded-Proto": "https", "Accept": "text/html"})


def test_without_a_proxy_count_gunicorn_trusts_no_forwarded_headers(tmp_path):
    """F7: X-Forwarded-Proto from loopback is not believed when no proxy is configured (the form's CSRF check
    would otherwise demand an https Referer), and is when one is."""
    plain = GunicornServer(tmp_path / "plain", workers=1).start()
    try:
        status, headers, _ = _form_post_as_if_https(plain)
        assert status == 303 and headers["Location"].startswith("/reports/")
    finally:
        plain.stop()
    proxied = GunicornServer(tmp_path / "proxied", workers=1, env={"ADVISOR_PROXY_COUNT": "1"}).start()
    try:
        status, _, body = _form_post_as_if_https(proxied)
        assert status == 400  # believed https: the form check now wants an https Referer
    finally:
        proxied.stop()


def _workers(srv) -> list[int]:
    master = srv.process.pid
    return [int(pid) for pid in Path(f"/proc/{master}/task/{master}/children").read_text().split()]


def test_a_render_cut_off_by_the_worker_timeout_is_never_stored(tmp_path):
    """F5: a PDF render that outlasts the worker timeout is refused, never kept half-drawn.

    An eight-service PDF takes about as long as the shortest timeout (one second), so the worker is held
    still for two and a half seconds in the middle of its render, as a slow or starved machine would hold it;
    gunicorn then stops it for the timeout.
    """
    srv = GunicornServer(tmp_path / "short", workers=1, env={"ADVISOR_TIMEOUT": "1"}).start()
    try:
        every = dict(PROFILE, services=["ec2", "ecs", "ecs_managed_instances", "eks", "eks_fargate", "fargate",
                                        "lambda", "lambda_managed_instances"])
        status, _, body = srv.request("POST", "/api/v1/assessments", every)
        report_id = json.loads(body)["id"]
        for _ in range(2):
            worker = _workers(srv)[0]
            answer = {}

            def get_pdf():
                try:
                    answer["status"], _, answer["body"] = srv.request("GET", f"/reports/{report_id}.pdf", timeout=30)
                except ConnectionError:
                    answer["status"], answer["body"] = None, b""  # the worker was stopped mid-answer

            thread = threading.Thread(target=get_pdf)
            thread.start()
            time.sleep(0.3)  # the render has begun (loading WeasyPrint alone takes longer)
            os.kill(worker, signal.SIGSTOP)
            time.sleep(2.5)
            try:
                os.kill(worker, signal.SIGCONT)
            except ProcessLookupError:
                pass  # already killed for the timeout
            thread.join(timeout=40)
            assert answer["status"] in (None, 503, 500), answer["status"]
            assert not answer["body"].startswith(b"%PDF")
            deadline = time.monotonic() + 10
            while _workers(srv) in ([], [worker]) and time.monotonic() < deadline:
                time.sleep(0.05)  # gunicorn starts a new worker in its place
        store = AssessmentStore(f"sqlite:///{srv.instance / 'advisor.sqlite3'}")
        try:
            assert store.render_count() == 0
        finally:
            store.dispose()
    finally:
        srv.stop()
