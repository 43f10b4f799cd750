"""The ceiling: a bare Flask app whose endpoint parses a JSON body and echoes it back.

/echo is the baseline every ratio is taken against. /echo-sized echoes the same
body padded to BENCH_ANSWER_BYTES (the size of a typical recommendation), to show
what moving that many bytes costs the framework and the server on their own.
"""
import os

from flask import Flask, jsonify, request

app = Flask(__name__)
# The same JSON provider settings as the advisor, so both pay the same encoding rules.
app.json.sort_keys = True
app.json.compact = True
PADDING = "x" * max(0, int(os.environ.get("BENCH_ANSWER_BYTES", 0)) - 540)


@app.post("/echo")
def echo():
    """Parse the JSON body and send it back."""
    return jsonify(request.get_json())


@app.post("/echo-sized")
def echo_sized():
    """Parse the JSON body and send it back with padding, as long as a recommendation."""
    return jsonify(echo=request.get_json(), padding=PADDING)


@app.get("/healthz")
def healthz():
    """Liveness, polled to time the start."""
    return jsonify(status="ok")
