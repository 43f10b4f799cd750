"""The real server for the tests: gunicorn with the project's gunicorn.conf.py, on 127.0.0.1 only.

It runs in a process group of its own, so a test can SIGKILL the master and
every worker at once, as a crash or an out-of-memory kill would.
"""
from __future__ import annotations

import http.client
import json
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PORTS = range(18400, 18500)


def free_port() -> int:
    """A free port on 127.0.0.1, from the range these tests may use."""
    for port in PORTS:
        with socket.socket() as s:
            s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            try:
                s.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    raise RuntimeError(f"no free port in {PORTS.start}-{PORTS.stop - 1}")


class GunicornServer:
    """Start, stop and kill gunicorn serving the advisor."""

    def __init__(self, instance: Path, *, workers: int = 2, env: dict | None = None, port: int | None = None):
        self.instance = Path(instance)
        self.instance.mkdir(parents=True, exist_ok=True)
        self.port = port or free_port()
        self.workers = workers
        self.extra_env = env or {}
        self.process: subprocess.Popen | None = None
        self.log_path = self.instance / f"gunicorn-{self.port}.log"

    def start(self, timeout: float = 30) -> "GunicornServer":
        env = {**os.environ, "ADVISOR_INSTANCE_PATH": str(self.instance), "ADVISOR_BIND": f"127.0.0.1:{self.port}",
               "WEB_CONCURRENCY": str(self.workers), **self.extra_env}
        self.log = open(self.log_path, "ab")
        self.process = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "-c", str(ROOT / "gunicorn.conf.py")], cwd=ROOT, env=env,
            stdout=self.log, stderr=subprocess.STDOUT, start_new_session=True)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"gunicorn exited with {self.process.returncode}:\n{self.logs()[-3000:]}")
            # Only once this gunicorn has bound the port: another test run on the machine may have taken it
            # in the meantime, and its server would answer /healthz instead (gunicorn retries the bind).
            if f"Listening at: http://127.0.0.1:{self.port} ({self.process.pid})" not in self.logs():
                time.sleep(0.1)
                continue
            try:
                if self.request("GET", "/healthz")[0] == 200:
                    return self
            except OSError:
                time.sleep(0.1)
        raise RuntimeError(f"gunicorn did not answer within {timeout} s:\n{self.logs()[-3000:]}")

    def request(self, method: str, path: str, body: bytes | str | dict | None = None, headers: dict | None = None,
                timeout: float = 10) -> tuple[int, dict, bytes]:
        """One request on a fresh connection: (status, headers, body)."""
        headers = dict(headers or {})
        if isinstance(body, dict):
            body = json.dumps(body)
            headers.setdefault("Content-Type", "application/json")
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=timeout)
        try:
            conn.request(method, path, body=body, headers=headers)
            response = conn.getresponse()
            return response.status, dict(response.getheaders()), response.read()
        finally:
            conn.close()

    def raw(self, data: bytes, timeout: float = 10) -> bytes:
        """Send bytes as they are and read the whole answer (the server closes the connection)."""
        with socket.create_connection(("127.0.0.1", self.port), timeout=timeout) as sock:
            sock.sendall(data)
            chunks = []
            while chunk := sock.recv(65536):
                chunks.append(chunk)
        return b"".join(chunks)

    def kill(self) -> None:
        """SIGKILL the master and every worker at once."""
        os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=10)
        self._wait_for_group_to_go()

    def stop(self) -> None:
        """A graceful stop, as a deploy would do it."""
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(timeout=10)
            self._wait_for_group_to_go()
        if getattr(self, "log", None):
            self.log.close()

    def _wait_for_group_to_go(self, timeout: float = 10) -> None:
        # Workers are orphaned when the master dies and may linger as zombies, so wait for the port to close.
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=0.5).close()
            except OSError:
                return
            time.sleep(0.05)

    def logs(self) -> str:
        return self.log_path.read_text(errors="replace") if self.log_path.exists() else ""
