"""A saved report is rendered once per format and served from the store after that."""
import pytest
from sqlalchemy import text

from adapters.repository import report_renders

FORMATS = [("", "text/html; charset=utf-8"), (".pdf", "application/pdf"), (".md", "text/markdown; charset=utf-8")]


def saved_report(app, profile) -> str:
    return app.test_client().post("/api/v1/assessments", json=profile).get_json()["id"]


def renders(app) -> int:
    return app.extensions["advisor.store"].render_count()


@pytest.mark.parametrize("suffix, content_type", FORMATS)
def test_a_second_request_serves_the_same_bytes_without_rendering_again(make_app, database_url, profile, suffix,
                                                                        content_type):
    app = make_app(DATABASE_URL=database_url)
    client = app.test_client()
    report_id = saved_report(app, profile)
    first = client.get(f"/reports/{report_id}{suffix}")
    assert first.status_code == 200 and renders(app) == 1
    second = client.get(f"/reports/{report_id}{suffix}")
    assert second.status_code == 200 and renders(app) == 1
    assert second.data == first.data
    for response in (first, second):
        assert response.headers["Content-Type"] == content_type
        assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert second.headers.get("Content-Disposition") == first.headers.get("Content-Disposition")


def test_a_head_request_answers_with_the_stored_rendering_s_headers(make_app, database_url, profile):
    app = make_app(DATABASE_URL=database_url)
    client = app.test_client()
    report_id = saved_report(app, profile)
    body = client.get(f"/reports/{report_id}.md").data
    head = client.head(f"/reports/{report_id}.md")
    assert head.status_code == 200 and head.data == b""
    assert int(head.headers["Content-Length"]) == len(body) and head.mimetype == "text/markdown"
    assert renders(app) == 1


def test_a_new_render_key_renders_again_and_replaces_the_old_rendering(make_app, tmp_path, profile):
    database_url = f"sqlite:///{tmp_path / 'keys.sqlite3'}"
    old = make_app(DATABASE_URL=database_url, REPORT_RENDER_KEY="look-1")
    report_id = saved_report(old, profile)
    old.test_client().get(f"/reports/{report_id}")
    old.test_client().get(f"/reports/{report_id}.md")
    new = make_app(DATABASE_URL=database_url, REPORT_RENDER_KEY="look-2")
    assert new.test_client().get(f"/reports/{report_id}").status_code == 200
    assert renders(new) == 2  # the page under its new look (the old one gone), the Markdown under the old
    with new.extensions["advisor.store"].engine.connect() as conn:
        keys = {row.format: row.render_key for row in conn.execute(report_renders.select())}
    assert keys["md"] != keys["html"]
    new.test_client().get(f"/reports/{report_id}")
    assert renders(new) == 2


def test_the_render_key_is_the_same_for_two_starts_of_the_same_code(make_app, tmp_path):
    first = make_app(DATABASE_URL=f"sqlite:///{tmp_path / 'a.sqlite3'}")
    second = make_app(DATABASE_URL=f"sqlite:///{tmp_path / 'b.sqlite3'}")
    key = first.extensions["advisor.render_key"]
    assert len(key) == 64 and key == second.extensions["advisor.render_key"]


@pytest.mark.parametrize("suffix", ["", ".pdf", ".md"])
def test_an_unknown_report_is_still_a_404_and_stores_nothing(make_app, database_url, suffix):
    app = make_app(DATABASE_URL=database_url)
    assert app.test_client().get(f"/reports/{'0' * 32}{suffix}").status_code == 404
    assert renders(app) == 0


def test_a_report_cached_while_fresh_warns_once_its_knowledge_is_too_old(make_app, database_url, profile):
    fresh = make_app(DATABASE_URL=database_url, TODAY="2026-12-01")
    report_id = saved_report(fresh, profile)
    for suffix in ("", ".md"):
        assert "may be out of date" not in fresh.test_client().get(f"/reports/{report_id}{suffix}").get_data(as_text=True)
    later = make_app(DATABASE_URL=database_url, TODAY="2027-08-01")
    for suffix in ("", ".md"):
        assert "may be out of date" in later.test_client().get(f"/reports/{report_id}{suffix}").get_data(as_text=True)
    # and back in the fresh app the cached fresh rendering is still the one served
    assert "may be out of date" not in fresh.test_client().get(f"/reports/{report_id}").get_data(as_text=True)


def test_storing_the_same_rendering_twice_keeps_the_first_without_an_error(make_app, database_url, profile):
    app = make_app(DATABASE_URL=database_url)
    store = app.extensions["advisor.store"]
    report_id = saved_report(app, profile)
    assert store.put_render(report_id, "md", "k" * 64, b"first") == b"first"
    assert store.put_render(report_id, "md", "k" * 64, b"second") == b"first"
    assert store.get_render(report_id, "md", "k" * 64) == b"first" and store.render_count() == 1


def test_a_report_is_still_served_when_its_rendering_cannot_be_stored(make_app, tmp_path, profile, caplog):
    app = make_app(DATABASE_URL=f"sqlite:///{tmp_path / 'full.sqlite3'}")
    report_id = saved_report(app, profile)
    with app.extensions["advisor.store"].engine.begin() as conn:
        conn.execute(text("CREATE TRIGGER refuse BEFORE INSERT ON report_renders "
                          "BEGIN SELECT RAISE(ABORT, 'disk full'); END"))
    response = app.test_client().get(f"/reports/{report_id}.md")
    assert response.status_code == 200 and report_id in response.get_data(as_text=True)
    assert renders(app) == 0
    assert "could not store the md rendering" in caplog.text
