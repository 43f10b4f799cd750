"""A recommendation's body, built from fragments serialized at load, is exactly what jsonify writes."""
import json

import pytest
from flask import jsonify

from web.extensions import advisor, knowledge_base
from web.recommendation_json import recommendation_response

PROFILES = [
    {},
    {"workload": {"max_duration_minutes": 60, "gpu": True, "os": "windows"}, "isolation": "dedicated"},
    {"services": ["lambda", "ec2"], "weights": {"burden": 0, "simplicity": 1e-06}, "name": "Zahlungs-API — ✓"},
    # a name that spells out the placeholder's escaped form must come back as the name, untouched
    {"name": "\\u0000ec2\\u0000team_owns \"\\u0000lambda\\u0000aws_owns\""},
]


@pytest.mark.parametrize("extra", PROFILES)
def test_a_recommendation_body_is_byte_for_byte_what_jsonify_writes(app, profile, extra):
    with app.test_request_context("/"):
        result = advisor().recommend({**profile, **extra})
        fast = recommendation_response(knowledge_base(), result)
        assert fast.get_data() == jsonify(result).get_data()
        assert fast.mimetype == "application/json"


def test_a_service_whose_owned_layers_differ_from_the_knowledge_base_is_still_written_in_full(app, profile):
    with app.test_request_context("/"):
        result = advisor().recommend(profile)
        result["ranking"][0]["team_owns"] = result["ranking"][0]["team_owns"][:1]
        body = recommendation_response(knowledge_base(), result).get_data()
        assert body == jsonify(result).get_data()
        assert len(json.loads(body)["ranking"][0]["team_owns"]) == 1


def test_indented_output_in_debug_mode_is_left_to_jsonify(app, profile):
    app.json.compact = None
    app.debug = True
    with app.test_request_context("/"):
        result = advisor().recommend(profile)
        assert recommendation_response(knowledge_base(), result).get_data() == jsonify(result).get_data()
        assert b'\n  "ranking"' in jsonify(result).get_data()
