"""Start an app under gunicorn on 127.0.0.1, time its first answer, read its workers' memory, stop it."""
from __future__ import annotations

import http.client
import os
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

__all__ = ["Server", "free_port", "start_server", "worker_peak_rss_kib"]

ROOT = Path(__file__).resolve().parent.parent
CONFIG = Path(__file__).resolve().parent / "gunicorn_bench.py"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class Server:
    """A running gunicorn master that this process started."""

    name: str
    port: int
    process: subprocess.Popen
    start_to_first_answer_s: float
    log_path: Path
    extra: dict = field(default_factory=dict)

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def worker_pids(self) -> list[int]:
        return _children(self.process.pid)

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


def start_server(name: str, wsgi_app: str, port: int, env: dict[str, str], log_path: Path,
                 timeout: float = 60.0) -> Server:
    """Start gunicorn with the benchmark settings and poll /healthz until it answers 200."""
    full_env = {**os.environ, **env, "BENCH_APP": wsgi_app, "BENCH_BIND": f"127.0.0.1:{port}"}
    full_env.pop("WEB_CONCURRENCY", None)
    log = open(log_path, "ab")
    started = time.perf_counter()
    process = subprocess.Popen([sys.executable, "-m", "gunicorn", "-c", str(CONFIG)], cwd=ROOT, env=full_env,
                               stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    log.close()
    deadline = started + timeout
    while True:
        if process.poll() is not None:
            raise RuntimeError(f"{name}: gunicorn exited with {process.returncode}; see {log_path}")
        if _healthy(port):
            elapsed = time.perf_counter() - started
            return Server(name, port, process, elapsed, log_path)
        if time.perf_counter() > deadline:
            process.kill()
            process.wait()
            raise RuntimeError(f"{name}: no answer on /healthz within {timeout:.0f} s; see {log_path}")
        time.sleep(0.005)


def _healthy(port: int) -> bool:
    try:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
        conn.request("GET", "/healthz")
        ok = conn.getresponse().status == 200
        conn.close()
        return ok
    except OSError:
        return False


def _children(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        # the command name is in parentheses and may hold spaces: the parent pid is the second field after it
        if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
            found.append(int(entry.name))
    return sorted(found)


def worker_peak_rss_kib(pid: int) -> int | None:
    """VmHWM, the peak resident set of a process, in KiB; None if it has gone."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    except OSError:
        return None
    return None
