"""gunicorn settings for the advisor: `gunicorn -c gunicorn.conf.py`. Each can be overridden from the environment.

Logging: the application writes one JSON line per request on stdout (see
web/requestlog.py), so gunicorn's own access log is off; gunicorn's messages
(start, stop, worker timeouts, refused requests) are JSON lines on stdout too.

Requests gunicorn refuses before the application sees them (a request line
over 8,190 bytes: 414; headers over the limits: 431; malformed HTTP: 400) are
answered with the same problem document and headers as the application's,
rendered by web/problems.py. gunicorn has no setting or server hook for these
bodies (Worker.handle_error writes them through gunicorn.util.write_error), so
that one function is replaced here; a worker class of our own would have to
copy handle_error's whole mapping of exceptions to statuses instead.
"""
import gc
import glob
import multiprocessing
import os
import sys
import tempfile
import uuid

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

# Metrics (web/metrics.py): each worker writes its figures to this folder and /metrics adds them up. It must be
# set before the app (and prometheus_client) is loaded; ADVISOR_METRICS_DIR names a folder of your own,
# otherwise a fresh one is made. Figures count from this start: the folder is emptied on_starting.
_own_metrics_dir = not os.environ.get("ADVISOR_METRICS_DIR")
os.environ["PROMETHEUS_MULTIPROC_DIR"] = os.environ.get("ADVISOR_METRICS_DIR") or tempfile.mkdtemp(prefix="advisor-metrics-")

from gunicorn import util  # noqa: E402

from web.problems import problem_json  # noqa: E402
from web.security import SECURITY_HEADERS  # noqa: E402

wsgi_app = "app:app"
proc_name = "advisor"
bind = os.environ.get("ADVISOR_BIND", "127.0.0.1:8000").split(",")

# Ranking is CPU-bound and short: synchronous workers, two per core plus one, so a worker waiting on the
# database never leaves a core idle. Behind a load balancer or proxy, which holds the slow clients.
workers = int(os.environ.get("WEB_CONCURRENCY", multiprocessing.cpu_count() * 2 + 1))
# ADVISOR_THREADS > 1 switches to threaded workers, which keep connections alive between requests.
threads = int(os.environ.get("ADVISOR_THREADS", 1))
worker_class = "gthread" if threads > 1 else "sync"
# A request taking longer than this is stuck: its worker is killed and replaced.
timeout = int(os.environ.get("ADVISOR_TIMEOUT", 30))
# On SIGTERM, workers finish the requests in hand within this time before they are stopped.
graceful_timeout = int(os.environ.get("ADVISOR_GRACEFUL_TIMEOUT", 20))
keepalive = 5
# gunicorn takes the scheme from X-Forwarded-Proto (and more) only from these addresses. The application reads
# the proxies' headers itself (ADVISOR_PROXY_COUNT, werkzeug's ProxyFix), so without a proxy nobody is trusted,
# not even loopback; with one, the proxy's address (FORWARDED_ALLOW_IPS, loopback by default) is.
forwarded_allow_ips = (os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1,::1")
                       if int(os.environ.get("ADVISOR_PROXY_COUNT") or 0) else "")
# gunicorn's upper limits; anything beyond is refused before it reaches the application.
limit_request_line = 8190
limit_request_fields = 100
limit_request_field_size = 8190
# Replace each worker after this many requests, so no slow leak ever builds up.
max_requests = 10000
max_requests_jitter = 1000
# The knowledge base is loaded and checked once, in the master, and shared copy-on-write by the workers; a
# broken knowledge base stops the start instead of every worker. The database engine is not shared: the
# master opens none after creating the schema, and each worker opens its own on first use.
preload_app = True
if os.path.isdir("/dev/shm"):
    worker_tmp_dir = "/dev/shm"  # heartbeat files off the disk, as containers' overlay disks can stall

# gunicorn's control socket defaults to one path per user ($HOME/.gunicorn/gunicorn.ctl), which a second instance
# on the machine would take over; it is off unless a path of this instance's own is given.
if os.environ.get("ADVISOR_CONTROL_SOCKET"):
    control_socket = os.environ["ADVISOR_CONTROL_SOCKET"]
control_socket_disable = not os.environ.get("ADVISOR_CONTROL_SOCKET")

accesslog = None
loglevel = os.environ.get("ADVISOR_LOG_LEVEL", "info")
logconfig_dict = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"json": {"()": "web.requestlog.JsonFormatter"}},
    "handlers": {"stdout": {"class": "logging.StreamHandler", "formatter": "json", "stream": "ext://sys.stdout"}},
    "root": {"level": "WARNING", "handlers": ["stdout"]},
    "loggers": {
        "gunicorn.error": {"level": loglevel.upper(), "handlers": ["stdout"], "propagate": False},
        "gunicorn.access": {"level": "CRITICAL", "handlers": [], "propagate": False},
    },
}

_DETAILS = {
    400: "The request is not valid HTTP: {mesg}.",
    414: f"The request line (method, path and query) is longer than the {limit_request_line:,} bytes allowed.",
    431: f"The request headers are too large: at most {limit_request_fields} headers of "
         f"{limit_request_field_size:,} bytes each are allowed.",
    500: "The server could not answer this request.",
}


def _write_problem(sock, status_int, reason, mesg):
    """gunicorn's own error answers as RFC 9457 problem documents, with the application's headers."""
    detail = _DETAILS.get(status_int, "{mesg}").format(mesg=str(mesg)[:200].rstrip(".") or reason)
    body = problem_json(status_int, reason, detail).encode()
    headers = {"Content-Type": "application/problem+json", "Content-Length": str(len(body)), "Connection": "close",
               "Cache-Control": "no-store", "X-Request-ID": uuid.uuid4().hex, **SECURITY_HEADERS}
    head = f"HTTP/1.1 {status_int} {reason}\r\n" + "".join(f"{k}: {v}\r\n" for k, v in headers.items()) + "\r\n"
    util.write_nonblock(sock, head.encode("latin-1") + body)


util.write_error = _write_problem


def on_starting(server):
    """Start the figures from zero (files a previous run left in the metrics folder are removed), and say
    whether the ranking runs compiled (scripts/build_core.py) or from its sources."""
    for path in glob.glob(os.path.join(os.environ["PROMETHEUS_MULTIPROC_DIR"], "*.db")):
        os.remove(path)
    import advisor
    if advisor.CORE == "compiled":
        server.log.info("ranking core: compiled")
    else:
        server.log.warning("ranking core: interpreted (same answers, slower); "
                           "python scripts/build_core.py compiles it")


def on_exit(server):
    """Remove the metrics folder this start made for itself."""
    if _own_metrics_dir:
        import shutil
        shutil.rmtree(os.environ["PROMETHEUS_MULTIPROC_DIR"], ignore_errors=True)


def child_exit(server, worker):
    """A worker that stopped keeps its counts in the sums; its live-only figures are dropped."""
    from prometheus_client import multiprocess
    multiprocess.mark_process_dead(worker.pid)


def pre_fork(server, worker):
    """Put what the preloaded app built (knowledge base, schemas, modules) beyond the garbage collector.

    Workers then never walk those objects in a full collection, and never copy their
    shared pages by touching them there.
    """
    gc.freeze()
