"""The ceiling: a bare Flask app whose one endpoint parses a JSON body and echoes it back."""
from flask import Flask, jsonify, request

app = Flask(__name__)
# The same JSON provider settings as the advisor, so both pay the same encoding rules.
app.json.sort_keys = True
app.json.compact = True


@app.post("/echo")
def echo():
    """Parse the JSON body and send it back."""
    return jsonify(request.get_json())


@app.get("/healthz")
def healthz():
    """Liveness, polled to time the start."""
    return jsonify(status="ok")
