"""Rendering a saved report safely: only whole renders are kept, and one report and format renders at a time.

gunicorn stops a worker that overruns its timeout (ADVISOR_TIMEOUT) with SIGABRT, whose handler raises
SystemExit; WeasyPrint catches every exception while drawing SVG, so an interrupted PDF could run on to the
end with its diagrams missing and be stored for good. A render is therefore watched for that signal: one
it reached is never stored or served, whatever the renderer made of it, and the worker goes on stopping.
(A render cannot be cut short safely at a deadline of its own: an exception raised at an arbitrary point
inside the renderer is exactly what it swallows. A render that completes, however slowly, is whole, and is
kept, so a loaded server never renders the same report over and over.)

Concurrent requests for the same unrendered report wait on a lock file in the instance folder (per report
and format), up to ADVISOR_RENDER_WAIT seconds (60 % of the worker timeout by default; then 503 with
Retry-After), and the one that gets it second finds the first one's stored rendering. The lock is per
machine; servers sharing a PostgreSQL database may each render a report once.
"""
from __future__ import annotations

import errno
import fcntl
import os
import signal
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from .problems import ApiProblem

__all__ = ["RenderBusy", "default_wait", "one_at_a_time", "whole_render"]


class RenderBusy(ApiProblem):
    def __init__(self, seconds: float):
        super().__init__(503, "Report not ready",
                         f"The report is still being made for another request after {seconds:g} seconds. Try "
                         "again in a minute; if it keeps happening, the server is overloaded.",
                         headers={"Retry-After": "60"})


def default_wait(worker_timeout: float) -> float:
    """60 % of the worker timeout: room left to answer before gunicorn steps in."""
    return round(max(worker_timeout, 1) * 0.6, 3)


@contextmanager
def _watching_for_abort() -> Iterator[dict]:
    """Note a SIGABRT (gunicorn's worker timeout) while the block runs; the handler in place still runs."""
    state = {"aborted": False}
    previous = signal.getsignal(signal.SIGABRT) if threading.current_thread() is threading.main_thread() else None
    if not callable(previous):  # not a gunicorn sync worker: nothing stops the render part-way
        yield state
        return

    def noted(signum, frame):
        state["aborted"] = True
        previous(signum, frame)

    signal.signal(signal.SIGABRT, noted)
    try:
        yield state
    finally:
        signal.signal(signal.SIGABRT, previous)


def whole_render(render: Callable[[], bytes]) -> bytes:
    """render(), unless the worker was told to stop while it ran: then SystemExit, and nothing to keep."""
    with _watching_for_abort() as state:
        body = render()
    if state["aborted"]:  # the renderer swallowed the stop and finished something that may lack parts
        raise SystemExit(1)
    return body


@contextmanager
def one_at_a_time(folder: str, name: str, wait: float) -> Iterator[None]:
    """Hold the lock file `name` in `folder`; waiting longer than `wait` seconds is RenderBusy."""
    lock_dir = Path(folder, "render-locks")
    lock_dir.mkdir(mode=0o700, exist_ok=True)
    fd = os.open(lock_dir / name, os.O_RDWR | os.O_CREAT, 0o600)
    try:
        deadline = time.monotonic() + wait
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except OSError as exc:
                if exc.errno not in (errno.EAGAIN, errno.EACCES):
                    raise
                if time.monotonic() >= deadline:
                    raise RenderBusy(wait) from None
                time.sleep(0.05)
        yield
    finally:
        os.close(fd)  # closing releases the lock
