"""Who may read and write saved assessments: named tokens with scopes, the browser's sign-in, a trusted proxy's
user header; per-client lists and idempotency keys; and the service left open when none is configured."""
import re

import pytest

from conftest import FIXTURE_GRAPH_DATA
from form_helpers import VALID_FORM

KB = str(FIXTURE_GRAPH_DATA)

ALICE = "alice-token-0123456789"
BOB = "bob-token-0123456789ab"
AUDIT = "audit-token-0123456789"
READER = "reader-token-012345678"
TOKENS = f"alice:read+write:{ALICE}, bob:read+write:{BOB}, audit:read+list_all:{AUDIT}, reader:read:{READER}"


def bearer(token):
    return {"Authorization": f"Bearer {token}"}


@pytest.fixture
def app(make_app, tmp_path):
    return make_app(GRAPH_DATA=KB, DATABASE_URL=f"sqlite:///{tmp_path / 'a.sqlite3'}", API_TOKENS=TOKENS)


@pytest.fixture
def client(app):
    return app.test_client()


def save(client, profile, token, **headers):
    response = client.post("/api/v1/assessments", json=profile, headers={**bearer(token), **headers})
    assert response.status_code in (200, 201), response.get_json()
    return response


def stored(app) -> int:
    return app.extensions["advisor.store"].count()


READS = ["/api/v1/assessments", "/api/v1/assessments/{id}", "/reports", "/reports/{id}", "/reports/{id}.pdf",
         "/reports/{id}.md", "/reports/{id}/edit", "/metrics"]


@pytest.mark.parametrize("path", READS)
def test_without_a_token_no_saved_assessment_or_list_can_be_read(client, profile, path):
    """F1: lists, the API, report pages and downloads answer 401 (programs) or send browsers to sign in."""
    report_id = save(client, {**profile, "name": "Confidential Merger Project"}, ALICE).get_json()["id"]
    url = path.format(id=report_id)
    refused = client.get(url, headers={"Accept": "application/json"})
    assert refused.status_code == 401, (url, refused.status_code)
    assert refused.mimetype == "application/problem+json"
    assert refused.headers["WWW-Authenticate"].startswith("Bearer realm=")
    body = refused.get_data(as_text=True)
    assert "Confidential Merger Project" not in body and report_id not in body.replace(url, "")
    assert client.get(url, headers=bearer("not-a-token-at-all-123")).status_code == 401


def test_a_browser_without_a_session_is_sent_to_sign_in_and_comes_back(client, profile):
    report_id = save(client, profile, ALICE).get_json()["id"]
    page = client.get(f"/reports/{report_id}", headers={"Accept": "text/html"})
    assert page.status_code == 303 and page.headers["Location"] == f"/signin?next=%2Freports%2F{report_id}"
    form = client.get(page.headers["Location"]).get_data(as_text=True)
    token = re.search(r'name="csrf_token" value="([^"]+)"', form).group(1)
    wrong = client.post("/signin", data={"csrf_token": token, "token": "wrong-token-0123456789",
                                         "next": f"/reports/{report_id}"})
    assert wrong.status_code == 401 and "not one this server accepts" in wrong.get_data(as_text=True)
    signed = client.post("/signin", data={"csrf_token": token, "token": BOB, "next": f"/reports/{report_id}"})
    assert signed.status_code == 303 and signed.headers["Location"] == f"/reports/{report_id}"
    shown = client.get(f"/reports/{report_id}", headers={"Accept": "text/html"})
    assert shown.status_code == 200 and "Sign out bob" in shown.get_data(as_text=True)
    token = re.search(r'name="csrf_token" value="([^"]+)"', client.get("/").get_data(as_text=True)).group(1)
    assert client.post("/signout", data={"csrf_token": token}).status_code == 303
    assert client.get(f"/reports/{report_id}.md").status_code == 401


@pytest.mark.parametrize("target", ["//evil.example/x", "https://evil.example/", "/\\evil.example"])
def test_sign_in_never_sends_the_browser_to_another_site(client, target):
    form = client.get("/signin").get_data(as_text=True)
    token = re.search(r'name="csrf_token" value="([^"]+)"', form).group(1)
    signed = client.post("/signin", data={"csrf_token": token, "token": ALICE, "next": target})
    assert signed.status_code == 303 and signed.headers["Location"] == "/"


def test_the_form_saves_nothing_without_a_sign_in_and_saves_as_the_signed_in_user(app, client):
    """F3: the form is a write like any other."""
    form = client.get("/signin").get_data(as_text=True)
    token = re.search(r'name="csrf_token" value="([^"]+)"', form).group(1)
    refused = client.post("/", data={**VALID_FORM, "csrf_token": token}, headers={"Accept": "application/json"})
    assert refused.status_code == 401 and stored(app) == 0
    assert client.get("/", headers={"Accept": "text/html"}).status_code == 303
    client.post("/signin", data={"csrf_token": token, "token": ALICE, "next": "/"})
    token = re.search(r'name="csrf_token" value="([^"]+)"', client.get("/").get_data(as_text=True)).group(1)
    saved = client.post("/", data={**VALID_FORM, "csrf_token": token})
    assert saved.status_code == 303 and stored(app) == 1
    report_id = saved.headers["Location"].rsplit("/", 1)[1]
    assert app.extensions["advisor.store"].get(report_id).created_by == "alice"


def test_lists_show_the_caller_s_own_unless_it_may_see_all_and_any_reader_opens_a_shared_link(client, profile):
    mine = save(client, {**profile, "name": "Alice's"}, ALICE).get_json()["id"]
    theirs = save(client, {**profile, "name": "Bob's"}, BOB).get_json()["id"]
    alice = client.get("/api/v1/assessments", headers=bearer(ALICE)).get_json()
    assert [i["id"] for i in alice["items"]] == [mine] and alice["total"] == 1
    page = client.get("/reports", headers=bearer(BOB)).get_data(as_text=True)
    assert theirs in page and mine not in page and "Alice&#39;s" not in page
    everyone = client.get("/api/v1/assessments", headers=bearer(AUDIT)).get_json()
    assert {i["id"] for i in everyone["items"]} == {mine, theirs}
    for token in (BOB, READER, AUDIT):  # a report link is shareable with anyone who may read
        assert client.get(f"/reports/{mine}.md", headers=bearer(token)).status_code == 200
        assert client.get(f"/api/v1/assessments/{mine}", headers=bearer(token)).get_json()["created_by"] == "alice"


def test_a_token_without_the_write_scope_cannot_save(app, client, profile):
    refused = client.post("/api/v1/assessments", json=profile, headers=bearer(READER))
    assert refused.status_code == 403 and "reader may not make or change assessments" in refused.get_json()["detail"]
    assert stored(app) == 0


def test_idempotency_keys_belong_to_the_client_that_sent_them(app, client, profile):
    """F8: another client's equal key and body make its own assessment, never replay the first client's."""
    first = save(client, profile, ALICE, **{"Idempotency-Key": "order-1"})
    again = save(client, profile, ALICE, **{"Idempotency-Key": "order-1"})
    other = save(client, profile, BOB, **{"Idempotency-Key": "order-1"})
    assert first.status_code == 201 and again.status_code == 200
    assert again.get_json()["id"] == first.get_json()["id"]
    assert other.status_code == 201 and other.get_json()["id"] != first.get_json()["id"]
    assert other.get_json()["created_by"] == "bob" and stored(app) == 2


def test_with_nothing_configured_everything_stays_open(make_app, tmp_path, profile):
    client = make_app(GRAPH_DATA=KB, DATABASE_URL=f"sqlite:///{tmp_path / 'open.sqlite3'}").test_client()
    report_id = client.post("/api/v1/assessments", json=profile).get_json()["id"]
    for path in READS:
        assert client.get(path.format(id=report_id)).status_code == 200, path
    assert client.get("/").status_code == 200 and client.get("/signin").status_code == 303
    assert client.get(f"/api/v1/assessments/{report_id}").get_json()["created_by"] is None


@pytest.fixture
def proxied(make_app, tmp_path):
    return make_app(GRAPH_DATA=KB, DATABASE_URL=f"sqlite:///{tmp_path / 'p.sqlite3'}", PROXY_COUNT=1,
                    TRUSTED_USER_HEADER="X-Forwarded-User", LIST_ALL_USERS="carol").test_client()


def test_behind_an_authenticating_proxy_the_user_header_names_the_caller(proxied, profile):
    assert proxied.get("/api/v1/assessments").status_code == 401
    assert proxied.post("/api/v1/assessments", json=profile).status_code == 401
    made = proxied.post("/api/v1/assessments", json=profile, headers={"X-Forwarded-User": "dave@example.org"})
    assert made.status_code == 201 and made.get_json()["created_by"] == "dave@example.org"
    assert proxied.get("/api/v1/assessments", headers={"X-Forwarded-User": "erin"}).get_json()["total"] == 0
    assert proxied.get("/api/v1/assessments", headers={"X-Forwarded-User": "carol"}).get_json()["total"] == 1
    bad = proxied.get("/api/v1/assessments", headers={"X-Forwarded-User": "x\u202ey"})
    assert bad.status_code == 400


def test_a_trusted_user_header_without_a_proxy_in_front_is_refused_at_start(make_app, tmp_path):
    with pytest.raises(ValueError, match="ADVISOR_PROXY_COUNT"):
        make_app(GRAPH_DATA=KB, DATABASE_URL=f"sqlite:///{tmp_path / 'x.sqlite3'}", TRUSTED_USER_HEADER="X-Forwarded-User")


@pytest.mark.parametrize("entry, message", [
    ("ci:read+delete:abcdefghijklmnop1234", "unknown scope 'delete'"),
    ("ci:read:abcdefghijklmnop1234, ci:write:abcdefghijklmnop5678", "more than one token"),
])
def test_token_settings_that_cannot_be_right_stop_the_start(make_app, tmp_path, entry, message):
    with pytest.raises(ValueError, match=message):
        make_app(GRAPH_DATA=KB, DATABASE_URL=f"sqlite:///{tmp_path / 'x.sqlite3'}", API_TOKENS=entry)


@pytest.mark.parametrize("name, code", [("Payroll\u202egpj.exe", "U+202E"), ("Pay\u200bments", "U+200B"),
                                        ("\u2066Payments\u2069", "U+2066"), ("\ufeffPayments", "U+FEFF")])
def test_names_with_text_direction_or_invisible_characters_are_refused_naming_name(make_app, tmp_path, profile,
                                                                                   name, code):
    """A report's name cannot be spoofed: what is shown is what was typed."""
    client = make_app(GRAPH_DATA=KB, DATABASE_URL=f"sqlite:///{tmp_path / 'n.sqlite3'}").test_client()
    refused = client.post("/api/v1/assessments", json={**profile, "name": name})
    assert refused.status_code == 422 and code in refused.get_json()["errors"]["name"][0]
    assert client.application.extensions["advisor.store"].count() == 0
    family = client.post("/api/v1/assessments", json={**profile, "name": "Café \U0001F468\u200d\U0001F469 می\u200cخواهم"})
    assert family.status_code == 201
