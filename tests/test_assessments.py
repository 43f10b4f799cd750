"""Saved assessments through the API, against SQLite and a real PostgreSQL server."""
import json
import multiprocessing

import pytest

from app import create_app


@pytest.fixture
def store_client(database_url, make_app):
    return make_app(DATABASE_URL=database_url).test_client()


def create(client, body, **headers):
    return client.post("/api/v1/assessments", data=json.dumps(body), content_type="application/json", headers=headers)


def test_creating_an_assessment_answers_201_with_location_and_links(store_client, profile):
    response = create(store_client, {**profile, "name": "Payments API"})
    assert response.status_code == 201
    body = response.get_json()
    assert response.headers["Location"] == f"/api/v1/assessments/{body['id']}"
    assert len(body["id"]) == 32 and int(body["id"], 16) >= 0  # 128 random bits, hex
    assert body["name"] == "Payments API"
    assert body["recommendation"]["ranking"][0]["rank"] == 1
    assert body["links"]["report_pdf"] == f"/reports/{body['id']}.pdf"
    again = store_client.get(response.headers["Location"])
    assert again.status_code == 200 and again.get_json() == body


def test_ids_differ_for_identical_inputs(store_client, profile):
    ids = {create(store_client, profile).get_json()["id"] for _ in range(5)}
    assert len(ids) == 5


def test_an_unknown_assessment_is_a_404_problem(store_client):
    response = store_client.get("/api/v1/assessments/" + "0" * 32)
    assert response.status_code == 404 and response.mimetype == "application/problem+json"


def test_invalid_input_stores_nothing(store_client, profile):
    assert create(store_client, {**profile, "patching_staff": -1}).status_code == 422
    assert store_client.post("/api/v1/assessments", data="{", content_type="application/json").status_code == 400
    assert store_client.get("/api/v1/assessments").get_json()["total"] == 0


def test_the_list_is_newest_first_and_paginated(store_client, profile):
    ids = [create(store_client, {**profile, "name": f"app {i}"}).get_json()["id"] for i in range(5)]
    page1 = store_client.get("/api/v1/assessments?per_page=2").get_json()
    assert page1["total"] == 5
    assert [i["id"] for i in page1["items"]] == ids[::-1][:2]
    page3 = store_client.get("/api/v1/assessments?page=3&per_page=2").get_json()
    assert [i["id"] for i in page3["items"]] == [ids[0]]
    assert "next" not in page3["links"]


def test_bad_paging_arguments_are_a_422(store_client):
    assert store_client.get("/api/v1/assessments?page=0").status_code == 422
    assert store_client.get("/api/v1/assessments?per_page=abc").status_code == 422


def test_a_saved_assessment_keeps_the_knowledge_base_version_it_was_made_with(database_url, graph_copy, profile, make_app):
    old = make_app(DATABASE_URL=database_url)
    saved = create(old.test_client(), profile).get_json()
    layers = graph_copy / "layers.toml"
    layers.write_text(layers.read_text().replace("hours_per_month = 10\n", "hours_per_month = 50\n", 1))
    new = make_app(DATABASE_URL=database_url, GRAPH_DATA=str(graph_copy))
    reread = new.test_client().get(f"/api/v1/assessments/{saved['id']}").get_json()
    assert reread == saved
    assert reread["knowledge_base_version"] != new.extensions["advisor.kb"].version


def _writer(database_url: str, count: int, queue) -> None:
    app = create_app({"TESTING": True, "SECRET_KEY": "k", "DATABASE_URL": database_url})
    client = app.test_client()
    body = {"security_hours_per_month": 20, "patching_staff": 0, "customisation": "low", "isolation": "standard"}
    ids = []
    for i in range(count):
        response = create(client, {**body, "name": f"writer {i}"})
        assert response.status_code == 201, response.data
        ids.append(response.get_json()["id"])
    app.extensions["advisor.store"].dispose()
    queue.put(ids)


@pytest.mark.slow
def test_concurrent_writes_from_several_processes_all_land(database_url, profile, make_app):
    make_app(DATABASE_URL=database_url)  # creates the schema once
    ctx = multiprocessing.get_context("spawn")
    queue = ctx.Queue()
    workers = [ctx.Process(target=_writer, args=(database_url, 15, queue)) for _ in range(4)]
    for w in workers:
        w.start()
    ids = [i for _ in workers for i in queue.get(timeout=120)]
    for w in workers:
        w.join(timeout=60)
        assert w.exitcode == 0
    client = make_app(DATABASE_URL=database_url).test_client()
    assert client.get("/api/v1/assessments").get_json()["total"] == 60
    assert len(set(ids)) == 60
    for assessment_id in ids[::7]:
        assert client.get(f"/api/v1/assessments/{assessment_id}").status_code == 200


def test_a_retry_with_the_same_idempotency_key_returns_the_original(store_client, profile):
    first = create(store_client, profile, **{"Idempotency-Key": "retry-1"})
    second = create(store_client, profile, **{"Idempotency-Key": "retry-1"})
    assert first.status_code == 201 and second.status_code == 200
    assert second.get_json()["id"] == first.get_json()["id"]
    assert store_client.get("/api/v1/assessments").get_json()["total"] == 1


def test_the_same_idempotency_key_with_another_body_is_a_422(store_client, profile):
    create(store_client, profile, **{"Idempotency-Key": "retry-2"})
    response = create(store_client, {**profile, "patching_staff": 3}, **{"Idempotency-Key": "retry-2"})
    assert response.status_code == 422 and response.mimetype == "application/problem+json"
    assert store_client.get("/api/v1/assessments").get_json()["total"] == 1


def test_the_list_finds_names_containing_a_text_in_any_case_with_sql_wildcards_taken_literally(store_client, profile):
    for name in ("Payments API", "payments worker", "Orders", "50% off_sale", "Ünïcode Payments"):
        assert create(store_client, {**profile, "name": name}).status_code == 201

    def found(text):
        items = store_client.get("/api/v1/assessments", query_string={"name": text}).get_json()["items"]
        return sorted(item["name"] for item in items)

    assert found("PAYMENTS") == ["Payments API", "payments worker", "Ünïcode Payments"]
    assert found("%") == ["50% off_sale"] and found("_") == ["50% off_sale"]
    assert found("nothing like it") == []
