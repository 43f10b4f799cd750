"""Real nginx (Debian's package) in front of a test gunicorn, with the repository's ops/nginx/advisor.conf.

Only the listening port and the upstream address are changed; the paths nginx writes to (pid, logs,
temporary bodies) go to the test's folder.
"""
from __future__ import annotations

import os
import re
import shutil
import signal
import socket
import subprocess
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CONFIG = ROOT / "ops" / "nginx" / "advisor.conf"


def nginx_binary() -> str | None:
    return shutil.which("nginx") or ("/usr/sbin/nginx" if os.access("/usr/sbin/nginx", os.X_OK) else None)


class NginxServer:
    def __init__(self, folder: Path, port: int, upstream_port: int):
        self.folder, self.port, self.upstream_port = Path(folder), port, upstream_port
        self.process: subprocess.Popen | None = None

    def start(self, timeout: float = 10) -> "NginxServer":
        self.folder.mkdir(parents=True, exist_ok=True)
        site = CONFIG.read_text()
        site, listens = re.subn(r"^(\s*)listen 80;", rf"\1listen 127.0.0.1:{self.port};", site, flags=re.M)
        site, upstreams = re.subn(r"server 127\.0\.0\.1:8000;", f"server 127.0.0.1:{self.upstream_port};", site)
        assert listens == 1 and upstreams == 1, "ops/nginx/advisor.conf no longer has the expected listen/upstream"
        (self.folder / "advisor.conf").write_text(site)
        f = self.folder
        user = "user root;\n" if os.geteuid() == 0 else ""  # the test's folder is private to its owner
        (f / "nginx.conf").write_text(
            f"{user}worker_processes 1;\nerror_log {f}/error.log warn;\npid {f}/nginx.pid;\n"
            "events { worker_connections 256; }\n"
            f"http {{\n  access_log off;\n  client_body_temp_path {f}/body;\n  proxy_temp_path {f}/proxy;\n"
            f"  fastcgi_temp_path {f}/fcgi;\n  uwsgi_temp_path {f}/uwsgi;\n  scgi_temp_path {f}/scgi;\n"
            f"  include {f}/advisor.conf;\n}}\n")
        with open(f / "stderr.log", "wb") as log:
            self.process = subprocess.Popen([nginx_binary(), "-p", str(f), "-c", str(f / "nginx.conf"),
                                             "-g", "daemon off;"], stdout=subprocess.DEVNULL, stderr=log,
                                            start_new_session=True)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"nginx exited: {(f / 'stderr.log').read_text(errors='replace')}")
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=0.5).close()
                return self
            except OSError:
                time.sleep(0.1)
        raise RuntimeError("nginx did not start listening")

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGQUIT)
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(timeout=10)
