"""Links and the render cache follow the configured public URL, never request headers; renders are kept only
whole; private files."""
import os
import signal
import stat
import threading
import time

import pytest

from conftest import FIXTURE_GRAPH_DATA
from web import render_guard
from web.public_url import default_public_url, parse_public_url


def saved(client, profile) -> str:
    return client.post("/api/v1/assessments", json=profile).get_json()["id"]


def renders(app) -> int:
    return app.extensions["advisor.store"].render_count()


def test_another_host_header_never_renders_a_pdf_again(make_app, tmp_path, profile):
    """F2: the cache key does not come from Host, so varying it (or its port) costs no render."""
    app = make_app(GRAPH_DATA=str(FIXTURE_GRAPH_DATA), DATABASE_URL=f"sqlite:///{tmp_path / 'r.sqlite3'}", PUBLIC_URL="https://advisor.example.org")
    client = app.test_client()
    report_id = saved(client, profile)
    with client.get(f"/reports/{report_id}.pdf", headers={"Host": "localhost:1000"}) as first:  # sent, as a server would
        assert first.status_code == 200 and renders(app) == 1
        pdf = first.data
    for host in ("localhost:1001", "evil.example", "127.0.0.1:8000"):
        started = time.monotonic()
        again = client.get(f"/reports/{report_id}.pdf", headers={"Host": host})
        assert again.data == pdf and renders(app) == 1
        assert time.monotonic() - started < 0.5
    assert b"evil.example" not in pdf and b"localhost" not in pdf


def test_links_in_decision_records_use_the_public_url_whatever_the_headers_say(make_app, tmp_path, profile):
    """F7: Host and X-Forwarded-* from the client never reach a stored link."""
    app = make_app(GRAPH_DATA=str(FIXTURE_GRAPH_DATA), DATABASE_URL=f"sqlite:///{tmp_path / 'l.sqlite3'}", PUBLIC_URL="https://advisor.example.org/tools/")
    client = app.test_client()
    report_id = saved(client, profile)
    text = client.get(f"/reports/{report_id}.md", headers={
        "Host": "evil.example", "X-Forwarded-Host": "evil.example", "X-Forwarded-Proto": "http"}).get_data(as_text=True)
    assert f"- Full report: <https://advisor.example.org/tools/reports/{report_id}>" in text
    assert "evil.example" not in text


def test_without_a_public_url_links_use_the_address_the_service_listens_on(make_app, tmp_path, profile):
    client = make_app(GRAPH_DATA=str(FIXTURE_GRAPH_DATA), DATABASE_URL=f"sqlite:///{tmp_path / 'd.sqlite3'}").test_client()
    report_id = saved(client, profile)
    text = client.get(f"/reports/{report_id}.md", headers={"Host": "evil.example"}).get_data(as_text=True)
    assert f"<http://127.0.0.1:8000/reports/{report_id}>" in text and "evil.example" not in text
    assert default_public_url("0.0.0.0:8080") == "http://localhost:8080"


@pytest.mark.parametrize("bad", ["advisor.example.org", "ftp://advisor.example.org", "https://a.example/?q=1",
                                 "https://user@a.example", "https://a.example:99999", "javascript:alert(1)"])
def test_a_public_url_that_is_not_an_http_address_stops_the_start(bad):
    with pytest.raises(ValueError, match="ADVISOR_PUBLIC_URL"):
        parse_public_url(bad)


def test_the_session_cookie_is_secure_when_the_public_url_is_https(make_app, tmp_path):
    https = make_app(GRAPH_DATA=str(FIXTURE_GRAPH_DATA), DATABASE_URL=f"sqlite:///{tmp_path / 's.sqlite3'}", PUBLIC_URL="https://advisor.example.org")
    cookie = https.test_client().get("/").headers["Set-Cookie"]
    assert "Secure" in cookie and "HttpOnly" in cookie
    plain = make_app(GRAPH_DATA=str(FIXTURE_GRAPH_DATA), DATABASE_URL=f"sqlite:///{tmp_path / 't.sqlite3'}", PUBLIC_URL="http://localhost:8000")
    assert "Secure" not in plain.test_client().get("/").headers["Set-Cookie"]


def test_the_instance_folder_and_database_are_private(make_app, tmp_path, profile):
    """F9: 0700 for the folder, 0600 for the database and its write-ahead log, like the secret key."""
    instance = tmp_path / "instance"
    import os
    os.environ["ADVISOR_INSTANCE_PATH"] = str(instance)
    try:
        app = make_app(GRAPH_DATA=str(FIXTURE_GRAPH_DATA), DATABASE_URL=f"sqlite:///{instance / 'advisor.sqlite3'}", SECRET_KEY=None)
    finally:
        del os.environ["ADVISOR_INSTANCE_PATH"]
    saved(app.test_client(), profile)
    assert stat.S_IMODE(instance.stat().st_mode) == 0o700
    for name in ("advisor.sqlite3", "advisor.sqlite3-wal", "secret_key"):
        assert stat.S_IMODE((instance / name).stat().st_mode) == 0o600, name


def _stop_like_gunicorn(signum, frame):
    """gunicorn's sync worker's SIGABRT handler: the worker timeout."""
    raise SystemExit(1)


@pytest.fixture
def gunicorn_abort_handler():
    previous = signal.signal(signal.SIGABRT, _stop_like_gunicorn)
    yield
    signal.signal(signal.SIGABRT, previous)


def test_a_render_the_worker_timeout_interrupts_is_never_kept_even_if_the_renderer_swallows_it(gunicorn_abort_handler):
    """F5: WeasyPrint catches every exception while drawing SVG and finishes the PDF without the diagram."""
    def swallowing():
        try:
            os.kill(os.getpid(), signal.SIGABRT)  # the worker timeout strikes mid-drawing
            time.sleep(0.1)
        except BaseException:  # noqa: BLE001 - what the renderer does
            pass
        return b"%PDF with diagrams missing"
    with pytest.raises(SystemExit):
        render_guard.whole_render(swallowing)
    assert render_guard.whole_render(lambda: b"whole") == b"whole"


def test_one_report_renders_once_at_a_time(tmp_path):
    order = []

    def render(name):
        with render_guard.one_at_a_time(str(tmp_path), "r.pdf", wait=5):
            order.append(f"{name} in")
            time.sleep(0.2)
            order.append(f"{name} out")
    threads = [threading.Thread(target=render, args=(n,)) for n in ("a", "b")]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert order in (["a in", "a out", "b in", "b out"], ["b in", "b out", "a in", "a out"])
    with render_guard.one_at_a_time(str(tmp_path), "r.pdf", wait=1):
        with pytest.raises(render_guard.RenderBusy):
            with render_guard.one_at_a_time(str(tmp_path), "r.pdf", wait=0.1):
                pass
