"""Rendering a saved report safely: one render of a report and format at a time, and only whole renders kept.

gunicorn stops a worker that overruns its timeout by raising SystemExit in it, and WeasyPrint catches every
exception around SVG drawing, so an interrupted PDF can run on to the end with its diagrams missing. A
render is therefore given a deadline well inside the worker timeout (ADVISOR_RENDER_DEADLINE, by default
60 % of ADVISOR_TIMEOUT): one that ends after it, however it ended, is thrown away, never stored or served.
(The render is not interrupted at the deadline: an exception raised at an arbitrary point inside the renderer
is exactly what it swallows. gunicorn's timeout still ends a render that runs on.)

Concurrent requests for the same unrendered report wait on a lock file in the instance folder (per report
and format), and the one that gets it second finds the first one's stored rendering. The lock is per
machine; servers sharing a PostgreSQL database may each render a report once.
"""
from __future__ import annotations

import errno
import fcntl
import os
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from .problems import ApiProblem

__all__ = ["RenderTooSlow", "default_deadline", "one_at_a_time", "within_deadline"]


class RenderTooSlow(ApiProblem):
    def __init__(self, seconds: float):
        super().__init__(503, "Report not ready",
                         f"The report took longer than the {seconds:g} seconds a rendering may take, so it was not "
                         "kept. Try again in a minute; if it keeps happening, the server is overloaded.",
                         headers={"Retry-After": "60"})


def default_deadline(worker_timeout: float) -> float:
    """60 % of the worker timeout: room left to answer, and to store the bytes, before gunicorn steps in."""
    return round(max(worker_timeout, 1) * 0.6, 3)


def within_deadline(render: Callable[[], bytes], seconds: float) -> bytes:
    """render(), or RenderTooSlow when it ends (or would end) after `seconds`; its result is then discarded.

    The elapsed time is what decides: an interruption that the renderer swallowed still shows as a render
    that ended late.
    """
    started = time.monotonic()
    body = render()
    if time.monotonic() - started >= seconds:
        raise RenderTooSlow(seconds)
    return body


@contextmanager
def one_at_a_time(folder: str, name: str, wait: float) -> Iterator[None]:
    """Hold the lock file `name` in `folder`; waiting longer than `wait` seconds is RenderTooSlow."""
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
                    raise RenderTooSlow(wait) from None
                time.sleep(0.05)
        yield
    finally:
        os.close(fd)  # closing releases the lock
