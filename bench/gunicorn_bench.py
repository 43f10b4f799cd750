"""gunicorn settings for the benchmark: the production file, with the few changes a fair measurement needs.

BENCH_APP and BENCH_BIND name the app and the address; the same settings serve
the advisor and the baseline, so only the application differs between them.
"""
import os
import runpy
from pathlib import Path

_production = runpy.run_path(str(Path(__file__).resolve().parent.parent / "gunicorn.conf.py"))
globals().update({k: v for k, v in _production.items() if not k.startswith("_") and k not in ("os", "multiprocessing")})

wsgi_app = os.environ["BENCH_APP"]
bind = os.environ["BENCH_BIND"]
workers = 2  # sync workers, one per core: threaded workers would let one worker take every connection
worker_class = "sync"
accesslog = None  # writing a log line per request would dominate a bare echo endpoint
max_requests = 0  # no recycling mid-run: peak memory must be that of the workers that carried the load
max_requests_jitter = 0
