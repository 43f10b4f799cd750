"""The repository's nginx configuration in front of real gunicorn: six slow clients no longer block /healthz.

Without nginx the same six clients take both sync workers, and /healthz waits (the test shows that too,
so it proves its slow clients are slow enough to matter).
"""
import http.client
import json
import socket
import time

import pytest

from gunicorn_server import GunicornServer, free_port
from nginx_server import NginxServer, nginx_binary

pytestmark = [pytest.mark.slow,
              pytest.mark.skipif(nginx_binary() is None, reason="nginx is not installed (bash scripts/test.sh installs it)")]

PROFILE = {"security_hours_per_month": 20, "patching_staff": 0, "customisation": "low", "isolation": "standard"}


def healthz_seconds(port: int, timeout: float = 3.0) -> float | None:
    """Seconds /healthz took on this port, or None when it did not answer within the timeout."""
    started = time.monotonic()
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        conn.request("GET", "/healthz")
        ok = conn.getresponse().status == 200
    except OSError:
        return None
    finally:
        conn.close()
    return time.monotonic() - started if ok else None


def slow_clients(port: int) -> list[socket.socket]:
    """Three send a body at one byte a time, three never finish their headers."""
    socks = []
    for i in range(6):
        s = socket.create_connection(("127.0.0.1", port), timeout=5)
        if i % 2:
            s.sendall(b"POST /api/v1/recommendations HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                      b"Content-Length: 100\r\n\r\n{")
        else:
            s.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\nX-Slow: ")
        socks.append(s)
    return socks


@pytest.fixture
def stack(tmp_path):
    gunicorn = GunicornServer(tmp_path / "gunicorn", workers=2, env={"ADVISOR_PROXY_COUNT": "1"}).start()
    nginx = NginxServer(tmp_path / "nginx", free_port(), gunicorn.port).start()
    yield gunicorn, nginx
    nginx.stop()
    gunicorn.stop()


def test_six_slow_clients_do_not_block_healthz_behind_nginx(stack):
    gunicorn, nginx = stack
    socks = slow_clients(gunicorn.port)  # straight at gunicorn: both workers are taken
    try:
        time.sleep(0.5)
        assert healthz_seconds(gunicorn.port, timeout=2) is None
    finally:
        for s in socks:
            s.close()
    time.sleep(0.5)
    socks = slow_clients(nginx.port)
    try:
        time.sleep(0.5)
        for _ in range(5):
            took = healthz_seconds(nginx.port)
            assert took is not None and took < 1.0, took
        for s in socks:  # one byte a second, still not done
            s.sendall(b" ")
        took = healthz_seconds(nginx.port)
        assert took is not None and took < 1.0
    finally:
        for s in socks:
            s.close()


def test_through_nginx_bodies_are_limited_and_the_client_s_forwarded_headers_replaced(stack):
    gunicorn, nginx = stack
    conn = http.client.HTTPConnection("127.0.0.1", nginx.port, timeout=10)
    body = json.dumps(PROFILE)
    conn.request("POST", "/api/v1/assessments", body=body, headers={
        "Content-Type": "application/json", "X-Forwarded-For": "203.0.113.9", "X-Forwarded-User": "mallory"})
    made = conn.getresponse()
    saved = json.loads(made.read())
    assert made.status == 201 and saved["created_by"] is None
    conn.request("POST", "/api/v1/recommendations", body=b"{" + b" " * (6 * 1024 * 1024) + b"}",
                 headers={"Content-Type": "application/json"})
    too_big = conn.getresponse()
    too_big.read()
    assert too_big.status == 413
    conn.close()
    logged = [json.loads(line) for line in gunicorn.logs().splitlines() if line.startswith("{")]
    request_lines = [line for line in logged if line.get("path") == "/api/v1/assessments"]
    assert request_lines and request_lines[-1]["remote_addr"] == "127.0.0.1"
