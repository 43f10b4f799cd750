"""gunicorn settings for the advisor; each can be overridden from the environment."""
import gc
import multiprocessing
import os

wsgi_app = "app:app"
bind = os.environ.get("ADVISOR_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("WEB_CONCURRENCY", multiprocessing.cpu_count() * 2 + 1))
worker_class = "sync"
timeout = int(os.environ.get("ADVISOR_TIMEOUT", 30))
graceful_timeout = 20
keepalive = 5
# Requests beyond these get 400/414/431 from gunicorn before the app sees them.
limit_request_line = 8190
limit_request_fields = 100
limit_request_field_size = 8190
# Recycle workers now and then so a slow leak never builds up.
max_requests = 10000
max_requests_jitter = 1000
accesslog = "-"
errorlog = "-"
loglevel = os.environ.get("ADVISOR_LOG_LEVEL", "info")
preload_app = True


def pre_fork(server, worker):
    """Put what the preloaded app built (knowledge base, schemas, modules) beyond the garbage collector.

    Workers then never walk those objects in a full collection, and never copy their
    shared pages by touching them there.
    """
    gc.freeze()
