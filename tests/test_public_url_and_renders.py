"""Links and the render cache follow the configured public URL, never request headers; renders are kept only
whole; private files."""
import stat
import threading
import time

import pytest

from web import render_guard
from web.public_url import default_public_url, parse_public_url


def saved(client, profile) -> str:
    return client.post("/api/v1/assessments", json=profile).get_json()["id"]


def renders(app) -> int:
    return app.extensions["advisor.store"].render_count()


def test_another_host_header_never_renders_a_pdf_again(make_app, tmp_path, profile):
    """F2: the cache key does not come from Host, so varying it (or its port) costs no render."""
    app = make_app(DATABASE_URL=f"sqlite:///{tmp_path / 'r.sqlite3'}", PUBLIC_URL="https://advisor.example.org")
    client = app.test_client()
    report_id = saved(client, profile)
    first = client.get(f"/reports/{report_id}.pdf", headers={"Host": "localhost:1000"})
    assert first.status_code == 200 and renders(app) == 1
    for host in ("localhost:1001", "evil.example", "127.0.0.1:8000"):
        started = time.monotonic()
        again = client.get(f"/reports/{report_id}.pdf", headers={"Host": host})
        assert again.data == first.data and renders(app) == 1
        assert time.monotonic() - started < 0.5
    assert b"evil.example" not in first.data and b"localhost" not in first.data


def test_links_in_decision_records_use_the_public_url_whatever_the_headers_say(make_app, tmp_path, profile):
    """F7: Host and X-Forwarded-* from the client never reach a stored link."""
    app = make_app(DATABASE_URL=f"sqlite:///{tmp_path / 'l.sqlite3'}", PUBLIC_URL="https://advisor.example.org/tools/")
    client = app.test_client()
    report_id = saved(client, profile)
    text = client.get(f"/reports/{report_id}.md", headers={
        "Host": "evil.example", "X-Forwarded-Host": "evil.example", "X-Forwarded-Proto": "http"}).get_data(as_text=True)
    assert f"* Full report: <https://advisor.example.org/tools/reports/{report_id}>" in text
    assert "evil.example" not in text


def test_without_a_public_url_links_use_the_address_the_service_listens_on(make_app, tmp_path, profile):
    client = make_app(DATABASE_URL=f"sqlite:///{tmp_path / 'd.sqlite3'}").test_client()
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
    https = make_app(DATABASE_URL=f"sqlite:///{tmp_path / 's.sqlite3'}", PUBLIC_URL="https://advisor.example.org")
    cookie = https.test_client().get("/").headers["Set-Cookie"]
    assert "Secure" in cookie and "HttpOnly" in cookie
    plain = make_app(DATABASE_URL=f"sqlite:///{tmp_path / 't.sqlite3'}", PUBLIC_URL="http://localhost:8000")
    assert "Secure" not in plain.test_client().get("/").headers["Set-Cookie"]


def test_the_instance_folder_and_database_are_private(make_app, tmp_path, profile):
    """F9: 0700 for the folder, 0600 for the database and its write-ahead log, like the secret key."""
    instance = tmp_path / "instance"
    import os
    os.environ["ADVISOR_INSTANCE_PATH"] = str(instance)
    try:
        app = make_app(DATABASE_URL=f"sqlite:///{instance / 'advisor.sqlite3'}", SECRET_KEY=None)
    finally:
        del os.environ["ADVISOR_INSTANCE_PATH"]
    saved(app.test_client(), profile)
    assert stat.S_IMODE(instance.stat().st_mode) == 0o700
    for name in ("advisor.sqlite3", "advisor.sqlite3-wal", "secret_key"):
        assert stat.S_IMODE((instance / name).stat().st_mode) == 0o600, name


def test_a_render_past_its_deadline_is_never_stored_or_served(make_app, tmp_path, profile):
    """F5: a render that ends after its deadline answers 503 and leaves nothing behind."""
    app = make_app(DATABASE_URL=f"sqlite:///{tmp_path / 'x.sqlite3'}", RENDER_DEADLINE=0.01)
    client = app.test_client()
    report_id = saved(client, {**profile, "services": ["ec2", "ecs", "fargate", "lambda", "eks"]})
    late = client.get(f"/reports/{report_id}.pdf")
    assert late.status_code == 503 and late.mimetype == "application/problem+json"
    assert late.headers["Retry-After"] == "60" and renders(app) == 0
    app.config["RENDER_DEADLINE"] = 60
    whole = client.get(f"/reports/{report_id}.pdf")
    assert whole.status_code == 200 and renders(app) == 1


def test_an_interruption_the_renderer_swallows_still_discards_the_render():
    """WeasyPrint catches every exception while drawing SVG; the render must not be kept all the same."""
    def swallowing():
        try:
            time.sleep(0.5)
        except BaseException:  # noqa: BLE001 - the renderer's behaviour this guards against
            pass
        return b"%PDF with diagrams missing"
    with pytest.raises(render_guard.RenderTooSlow):
        render_guard.within_deadline(swallowing, 0.1)
    assert render_guard.within_deadline(lambda: b"whole", 5) == b"whole"


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
        with pytest.raises(render_guard.RenderTooSlow):
            with render_guard.one_at_a_time(str(tmp_path), "r.pdf", wait=0.1):
                pass
