"""The HTTP half: the advisor and the baseline under gunicorn, loaded in interleaved pairs of runs."""
from __future__ import annotations

import http.client
import json
import statistics
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from .load import run_load

__all__ = ["Target", "create_assessments", "probe", "cold_first_gets", "cold_pdf_every_service", "prewarm",
           "interleaved", "summarise", "NOT_AVAILABLE"]

NOT_AVAILABLE = "route not available"


@dataclass(frozen=True)
class Target:
    """One endpoint to load: how to call it and which file of bodies or paths to cycle through."""

    key: str
    label: str
    url: str  # the server's base URL
    method: str
    path: str  # the POST path; for GET rows, a sample path to probe
    lines_file: Path
    min_seconds: float = 0  # slow endpoints need longer runs for a few answers to complete
    connections: int | None = None  # fewer for endpoints so slow that queued requests would time out


def request(base_url: str, method: str, path: str, body: str | None = None) -> tuple[int, bytes]:
    port = int(base_url.rsplit(":", 1)[1])
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    headers = {"Content-Type": "application/json"} if body is not None else {}
    conn.request(method, path, body=body.encode() if body is not None else None, headers=headers)
    response = conn.getresponse()
    data = response.read()
    conn.close()
    return response.status, data


def create_assessments(base_url: str, bodies: list[str]) -> list[str]:
    """Save one assessment per body through the API; their ids, for the report rows."""
    ids = []
    for body in bodies:
        status, data = request(base_url, "POST", "/api/v1/assessments", body)
        if status != 201:
            raise RuntimeError(f"POST /api/v1/assessments answered {status}: {data[:300]!r}")
        ids.append(json.loads(data)["id"])
    return ids


def probe(target: Target, body: str | None) -> str | None:
    """None when the endpoint answers a sample request with success; else why the row cannot run."""
    status, data = request(target.url, target.method, target.path, body)
    if status == 404:
        return NOT_AVAILABLE
    if not 200 <= status < 300:
        return f"{target.method} {target.path} answered {status}: {data[:200]!r}"
    return None


def cold_first_gets(base_url: str, paths: list[str]) -> dict:
    """The first GET of each path, one at a time on an otherwise idle server: a report rendered for the first time."""
    times = []
    for path in paths:
        started = time.perf_counter()
        status, data = request(base_url, "GET", path)
        times.append(1000 * (time.perf_counter() - started))
        if status != 200:
            raise RuntimeError(f"GET {path} answered {status}: {data[:200]!r}")
    return {"cold_ms": round(statistics.median(times), 3), "cold_runs_ms": [round(t, 3) for t in times]}


def cold_pdf_every_service(base_url: str, bodies: list[str]) -> dict:
    """The first PDF of fresh reports that rank every service the knowledge base holds (the longest report)."""
    status, data = request(base_url, "GET", "/api/v1/services")
    if status != 200:
        raise RuntimeError(f"GET /api/v1/services answered {status}: {data[:200]!r}")
    every = [service["id"] for service in json.loads(data)["services"]]
    ids = create_assessments(base_url, [json.dumps({**json.loads(body), "services": every}) for body in bodies])
    return {"services": len(every), **cold_first_gets(base_url, [f"/reports/{i}.pdf" for i in ids])}


def prewarm(base_url: str, paths: list[str], connections: int) -> None:
    """GET every path once, so the load runs measure stored renderings (the warm figure)."""
    with ThreadPoolExecutor(connections) as pool:
        for status, data in pool.map(lambda path: request(base_url, "GET", path), paths):
            if status != 200:
                raise RuntimeError(f"prewarm answered {status}: {data[:200]!r}")


def interleaved(tool: str, baseline: Target, rows: list[Target], rounds: int, seconds: float, connections: int,
                progress=print) -> dict[str, list[dict]]:
    """Per round and per row, one baseline run and one target run back to back, the order flipping each round."""
    pairs: dict[str, list[dict]] = {row.key: [] for row in rows}
    for number in range(rounds):
        for row in rows:
            runs = {}
            order = ("baseline", row.key) if number % 2 == 0 else (row.key, "baseline")
            # both runs of a pair get the same length and concurrency
            length, width = max(seconds, row.min_seconds), row.connections or connections
            for which in order:
                target = baseline if which == "baseline" else row
                runs[which] = run_load(tool, target.url, target.method, target.path, target.lines_file, length, width)
            b, t = runs["baseline"], runs[row.key]
            pairs[row.key].append({"round": number + 1, "connections": width, "seconds": length,
                                   "baseline": b.as_dict(), "target": t.as_dict()})
            progress(f"  round {number + 1}/{rounds} {row.label}: {t.requests_per_second:.0f} req/s vs baseline "
                     f"{b.requests_per_second:.0f} ({_ratio(t.requests_per_second, b.requests_per_second):.2f})")
    return pairs


def _ratio(a: float, b: float) -> float:
    return a / b if b else float("nan")


def summarise(pairs: list[dict], workers: int) -> dict:
    """Medians over rounds of each figure, and the median of the per-round ratios to the baseline."""
    def med(side: str, key: str) -> float:
        return statistics.median(p[side][key] for p in pairs)

    def ratio(key: str) -> float:
        return statistics.median(_ratio(p["target"][key], p["baseline"][key]) for p in pairs)

    rps = med("target", "requests_per_second")
    if not rps:
        return {"available": False, "status": "no answer within the run", "rounds": pairs}
    return {
        "available": True,
        "requests_per_second": round(rps, 1), "p50_ms": round(med("target", "p50_ms"), 3),
        "p99_ms": round(med("target", "p99_ms"), 3),
        # Little's law with every worker busy: the worker time one request costs
        "worker_ms_per_request": round(1000 * workers / rps, 3),
        "throughput_ratio": _significant(ratio("requests_per_second")), "p50_ratio": _significant(ratio("p50_ms")),
        "p99_ratio": _significant(ratio("p99_ms")),
        "errors": sum(p["target"]["errors"] for p in pairs), "bad_status": sum(p["target"]["bad_status"] for p in pairs),
        "bytes_per_response": pairs[-1]["target"]["bytes_per_response"],
        "rounds": pairs,
    }


def baseline_summary(all_pairs: dict[str, list[dict]], workers: int, connections: int) -> dict:
    """The baseline's own figures: medians over every baseline run of the session at the usual concurrency."""
    runs = [p["baseline"] for pairs in all_pairs.values() for p in pairs if p["connections"] == connections]
    rps = statistics.median(r["requests_per_second"] for r in runs)
    return {
        "available": True, "runs": len(runs), "requests_per_second": round(rps, 1),
        "p50_ms": round(statistics.median(r["p50_ms"] for r in runs), 3),
        "p99_ms": round(statistics.median(r["p99_ms"] for r in runs), 3),
        "worker_ms_per_request": round(1000 * workers / rps, 3),
        "errors": sum(r["errors"] for r in runs), "bad_status": sum(r["bad_status"] for r in runs),
        "bytes_per_response": runs[-1]["bytes_per_response"],
    }


def _significant(value: float, digits: int = 3) -> float:
    """Rounded to significant digits, so a tiny ratio (a PDF against the echo) never reads as zero."""
    return float(f"{value:.{digits}g}")
