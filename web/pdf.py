"""HTML to PDF with WeasyPrint, reading stylesheets from the app's static folder and never the network.

WeasyPrint is imported when the first PDF is asked for, so the service
starts (and serves everything else) on machines without Pango.
"""
from __future__ import annotations

import functools
import gc
import mimetypes
import os
import threading
from collections.abc import Callable
from urllib.parse import unquote, urlsplit

from flask import after_this_request, has_request_context
from werkzeug.security import safe_join

from .problems import ApiProblem

__all__ = ["html_to_pdf", "resume_owed_collection"]


def html_to_pdf(html: str, *, base_url: str, static_folder: str, static_url_path: str,
                stylesheets: tuple[str, ...] = ()) -> bytes:
    """Render HTML as PDF; URLs under base_url + static_url_path are read from static_folder, all others refused.

    stylesheets (paths in static_folder) apply as if the HTML linked them, parsed once per process rather than
    once per PDF. Garbage collection is paused for the render (see below).
    """
    try:
        from weasyprint import HTML
        from weasyprint.urls import URLFetcher, URLFetcherResponse
    except (ImportError, OSError):  # OSError: the Pango or HarfBuzz system libraries are missing
        raise ApiProblem(503, "PDF not available",
                         "This server cannot make PDFs (WeasyPrint or its system libraries are missing). "
                         "Open the report page and print it from the browser instead.") from None

    prefix = base_url.rstrip("/") + static_url_path.rstrip("/") + "/"

    class StaticFilesOnly(URLFetcher):
        def fetch(self, url, headers=None):
            if url.startswith("data:"):  # the report's own charts, drawn as images
                return super().fetch(url, headers)
            if not url.startswith(prefix):
                raise ValueError(f"only the app's static files are read, not {url[:100]}")
            path = _static_path(static_folder, unquote(urlsplit(url[len(prefix):]).path))
            with open(path, "rb") as handle:
                body = handle.read()
            mimetype = mimetypes.guess_type(path)[0] or "application/octet-stream"
            return URLFetcherResponse(url, body, {"Content-Type": mimetype})

    paths = [_static_path(static_folder, name) for name in stylesheets]
    sheets = [_parsed_stylesheet(path, os.stat(path).st_mtime_ns) for path in paths]
    resume = _pause_collector()
    try:
        pdf = HTML(string=html, base_url=base_url, url_fetcher=StaticFilesOnly()).write_pdf(stylesheets=sheets)
    except BaseException:
        resume(collect=False)
        raise
    _resume_after_response(resume)
    return pdf


# Cyclic garbage collection and PDF renders.
#
# A render keeps hundreds of thousands of layout objects alive at once (computed styles, boxes, text layouts),
# and the collector's full passes, which walk all of them, took 13-30% of a render; so the collector is off
# while WeasyPrint works, and reference counting frees memory as usual. What the render leaves in cycles,
# several hundred thousand objects, takes the first collection after it about a tenth of a second to free.
# In a request that collection runs once the PDF has been sent (when the server closes the response), so the
# reader does not wait for it; outside a request it runs when the collector next would. Renders on several
# threads share one pause: the collector comes back when the last of them ends, and stays off if it was off.

_pauses = 0
_pauses_lock = threading.Lock()
_collector_was_on = False
_owed = threading.local()  # per thread, .resumes: the pauses waiting for its responses to be sent


def _pause_collector() -> Callable[..., None]:
    """Pause collection; the callable returned ends this pause (once, however often it is called)."""
    global _pauses, _collector_was_on
    with _pauses_lock:
        if _pauses == 0:
            _collector_was_on = gc.isenabled()
            gc.disable()
        _pauses += 1
    ended = False

    def resume(collect: bool = False) -> None:
        global _pauses
        nonlocal ended
        with _pauses_lock:
            if ended:
                return
            ended = True
            _pauses -= 1
            back_on = _pauses == 0 and _collector_was_on
            if back_on:
                gc.enable()
        if back_on and collect:
            gc.collect()
    return resume


def _resume_after_response(resume: Callable[..., None]) -> None:
    """End the pause once the response is sent, or when this thread starts its next request, whichever is first."""
    if not has_request_context():
        resume()
        return
    _owed.__dict__.setdefault("resumes", []).append(resume)

    @after_this_request
    def when_sent(response):
        response.call_on_close(lambda: resume(collect=True))
        return response


def resume_owed_collection() -> None:
    """Before a request: end pauses this thread's earlier responses left, had the server not closed them."""
    for resume in _owed.__dict__.pop("resumes", ()):
        resume(collect=True)


def _static_path(static_folder: str, name: str) -> str:
    """The file name names in the static folder; a name that leads outside it is refused."""
    path = safe_join(static_folder, name)
    if path is None:
        raise ValueError("path outside the static folder")
    return path


@functools.lru_cache(maxsize=16)
def _parsed_stylesheet(path: str, mtime_ns: int):
    """The stylesheet at path, parsed once for each time its file changes (mtime_ns)."""
    from weasyprint import CSS
    return CSS(filename=path)
