"""Signed-cookie sessions still round-trip, and still follow the secret key, with the serializer made once."""
from flask import session


def add_session_routes(app):
    @app.get("/test-session/set/<value>")
    def set_value(value):
        session["value"] = value
        return "set"

    @app.get("/test-session/get")
    def get_value():
        return session.get("value", "nothing")


def test_a_session_value_set_in_one_request_is_read_in_the_next(app):
    add_session_routes(app)
    client = app.test_client()
    client.get("/test-session/set/blue")
    assert client.get("/test-session/get").text == "blue"


def test_a_new_secret_key_drops_old_sessions_unless_the_old_key_is_a_fallback(app):
    add_session_routes(app)
    client = app.test_client()
    client.get("/test-session/set/blue")
    app.config["SECRET_KEY"] = "a-new-key"
    assert client.get("/test-session/get").text == "nothing"
    app.config["SECRET_KEY_FALLBACKS"] = ["test-only-key"]
    assert client.get("/test-session/get").text == "blue"
