"""How answers are written as JSON: sorted keys, no spaces, HTML-safe, the same bytes every time."""
import json

from web.jsonout import encode


def test_keys_are_sorted_with_no_spaces_and_html_characters_escaped():
    assert encode({"b": "<a href='x'>&</a>", "a": [1, 2.5]}) == \
        b'{"a":[1,2.5],"b":"\\u003ca href=\'x\'\\u003e\\u0026\\u003c/a\\u003e"}'


def test_text_outside_ascii_reads_back_as_the_same_characters():
    name = "Café 決済 🚀 ünïcödé"
    assert json.loads(encode({"name": name})) == {"name": name}


def test_an_integer_beyond_64_bits_is_still_written():
    assert json.loads(encode({"n": 2 ** 70})) == {"n": 2 ** 70}


def test_an_answer_is_the_same_bytes_as_its_batch_entry(fixture_client):
    profile = {"security_hours_per_month": 20, "patching_staff": 0, "customisation": "low",
               "isolation": "standard", "name": "Pay <ments> & Café"}
    single = fixture_client.post("/api/v1/recommendations", json=profile)
    batch = fixture_client.post("/api/v1/recommendations/batch", json={"profiles": [profile]})
    assert single.status_code == batch.status_code == 200
    assert batch.data.startswith(b'{"results":[' + single.data.rstrip(b"\n") + b"]")
