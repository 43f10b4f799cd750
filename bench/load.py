"""Drive one endpoint for a bounded time at fixed concurrency from a second process: wrk, else Python."""
from __future__ import annotations

import json
import shutil
import subprocess
import sys
from dataclasses import asdict, dataclass
from pathlib import Path

__all__ = ["LoadResult", "run_load", "load_tool"]

LUA = Path(__file__).resolve().parent / "wrk" / "cycle.lua"
WRK = "/usr/bin/wrk"


@dataclass(frozen=True)
class LoadResult:
    """One load run: throughput, latency percentiles and failures."""

    tool: str
    requests: int
    seconds: float
    requests_per_second: float
    p50_ms: float
    p90_ms: float
    p99_ms: float
    max_ms: float
    errors: int
    bad_status: int
    bytes_per_response: int  # headers included

    def as_dict(self) -> dict:
        return asdict(self)


def load_tool(prefer: str = "auto") -> str:
    """wrk when installed (Debian's /usr/bin/wrk, or wrk on PATH), else the Python load generator."""
    if prefer == "python":
        return "python"
    if Path(WRK).exists() or shutil.which("wrk"):
        return "wrk"
    if prefer == "wrk":
        raise RuntimeError("wrk is not installed (apt-get install wrk)")
    return "python"


def run_load(tool: str, base_url: str, method: str, target: str, lines_file: Path, seconds: float,
             connections: int) -> LoadResult:
    """POST the bodies in `lines_file` to `target`, or GET the paths in it, cycling through them."""
    if tool == "wrk":
        return _wrk(base_url, method, target, lines_file, seconds, connections)
    return _python(base_url, method, target, lines_file, seconds, connections)


def _wrk(base_url, method, target, lines_file, seconds, connections) -> LoadResult:
    wrk = WRK if Path(WRK).exists() else shutil.which("wrk")
    script_args = ["post", target, str(lines_file)] if method == "POST" else ["get", str(lines_file)]
    command = [wrk, "-t1", f"-c{connections}", f"-d{max(1, round(seconds))}s", "--timeout", "30s",
               "-s", str(LUA), base_url, "--", *script_args]
    done = subprocess.run(command, capture_output=True, text=True, timeout=seconds + 60)
    line = next((l for l in done.stdout.splitlines() if l.startswith("BENCH_JSON ")), None)
    if done.returncode != 0 or line is None:
        raise RuntimeError(f"wrk failed ({done.returncode}): {done.stderr.strip() or done.stdout.strip()}")
    raw = json.loads(line.removeprefix("BENCH_JSON "))
    elapsed = raw["duration_us"] / 1e6
    lat = raw["latency_us"]
    errors = raw["errors"]
    return LoadResult(
        tool="wrk", requests=raw["requests"], seconds=round(elapsed, 3),
        requests_per_second=round(raw["requests"] / elapsed, 1),
        p50_ms=lat["p50"] / 1000, p90_ms=lat["p90"] / 1000, p99_ms=lat["p99"] / 1000, max_ms=lat["max"] / 1000,
        errors=errors["connect"] + errors["read"] + errors["write"] + errors["timeout"], bad_status=errors["status"],
        bytes_per_response=raw["bytes"] // max(1, raw["requests"]),
    )


def _python(base_url, method, target, lines_file, seconds, connections) -> LoadResult:
    command = [sys.executable, "-m", "bench.pyload", base_url, method, target, str(lines_file), str(seconds),
               str(connections)]
    done = subprocess.run(command, capture_output=True, text=True, timeout=seconds + 60,
                          cwd=Path(__file__).resolve().parent.parent)
    if done.returncode != 0:
        raise RuntimeError(f"Python load generator failed: {done.stderr.strip()}")
    return LoadResult(tool="python", **json.loads(done.stdout))
