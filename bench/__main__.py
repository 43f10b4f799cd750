"""Run the benchmark: `python -m bench` (minutes) or `python -m bench --smoke` (seconds).

Prints every figure and the table docs/benchmark.md carries; ``--out FILE`` also writes them as JSON.
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
from datetime import datetime, timezone
from pathlib import Path

import advisor

from . import inprocess
from .http_rows import (
    NOT_AVAILABLE, Target, baseline_summary, cold_first_gets, cold_pdf_every_service, create_assessments, interleaved,
    prewarm, probe, summarise,
)
from .load import load_tool, run_load
from .postgres import start_postgres
from .profiles import profile_bodies
from .report import evaluate_targets, render
from .servers import free_port, start_server, worker_peak_rss_kib

WORKERS = 2
MODES = {
    # seconds per load run, rounds, in-process profile counts, start-ups timed, assessments for report rows
    "full": {"seconds": 10, "rounds": 5, "rank_one": 5000, "batch": 10_000, "parts": 2000, "wsgi": 4000,
             "scaling_calls": 400, "scaling_budget_s": 0.5, "passes": 5, "starts": 3, "assessments": 200, "warmup_s": 2,
             "cold": 5, "pdf_ids": 20, "saves": 1000},
    "smoke": {"seconds": 2, "rounds": 1, "rank_one": 300, "batch": 1000, "parts": 100, "wsgi": 400,
              "scaling_calls": 20, "scaling_budget_s": 0.1, "passes": 2, "starts": 1, "assessments": 10, "warmup_s": 0,
              "cold": 2, "pdf_ids": 3, "saves": 50},
}


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument("--smoke", action="store_true", help="seconds instead of minutes: every figure, low precision")
    parser.add_argument("--seconds", type=float, help="length of each load run")
    parser.add_argument("--rounds", type=int, help="interleaved rounds of baseline and target runs")
    parser.add_argument("--connections", type=int, default=8, help="concurrent connections of each load run")
    parser.add_argument("--load", choices=["auto", "wrk", "python"], default="auto", help="load generator")
    parser.add_argument("--port-base", type=int, default=int(os.environ.get("BENCH_PORT_BASE", 0)),
                        help="listen on this port and the next (default: any free ports)")
    parser.add_argument("--out", type=Path, default=None,
                        help="also write every figure as JSON to this file (nothing is written otherwise)")
    return parser.parse_args(argv)


def machine() -> dict:
    """What the figures were measured on."""
    model = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                  if line.startswith("model name")), platform.processor() or "unknown")
    try:
        done = subprocess.run(["wrk", "-v"], capture_output=True, text=True)
        wrk = (done.stdout + done.stderr).split("\n")[0].strip()
    except OSError:
        wrk = None
    try:
        root = Path(__file__).resolve().parent.parent
        commit = subprocess.run(["git", "describe", "--always", "--dirty"], cwd=root, capture_output=True,
                                text=True).stdout.strip() or None
    except OSError:
        commit = None
    return {"nproc": os.cpu_count(), "cpu_model": model, "python": platform.python_version(),
            "platform": platform.platform(), "wrk": wrk, "commit": commit, "loadavg_at_start": os.getloadavg()[0],
            "core": advisor.CORE}


def main(argv: list[str] | None = None) -> int:
    args = parse_args(sys.argv[1:] if argv is None else argv)
    mode = "smoke" if args.smoke else "full"
    cfg = dict(MODES[mode])
    if args.seconds:
        cfg["seconds"] = args.seconds
    if args.rounds:
        cfg["rounds"] = args.rounds
    tool = load_tool(args.load)
    results: dict = {"mode": mode, "started_at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
                     "machine": machine(),
                     "settings": {"load_tool": tool, "connections": args.connections, "workers": WORKERS,
                                  "worker_class": "sync", **cfg}}
    say = lambda text: print(text, flush=True)  # noqa: E731
    say(f"bench ({mode}): {tool}, {args.connections} connections, {cfg['rounds']} round(s) of {cfg['seconds']:g} s runs, "
        f"{advisor.CORE} core")
    if advisor.CORE != "compiled":
        say("note: the ranking runs from its sources, as on a machine that cannot compile it; "
            "python scripts/build_core.py builds what the service runs")

    say("in process: ranking on the loaded knowledge base")
    results["in_process"] = {
        "rank_one": inprocess.rank_one(cfg["rank_one"], cfg["passes"]),
        "batch": inprocess.rank_batch(cfg["batch"], min(3, cfg["passes"])),
        "request_path": inprocess.request_path_parts(cfg["parts"], cfg["passes"]),
        "answer_cache": inprocess.answer_cache(cfg["parts"], cfg["passes"]),
        "wsgi": inprocess.wsgi(cfg["wsgi"]),
        "wsgi_split": inprocess.wsgi_split(cfg["wsgi"]),
        "save_split": inprocess.save_split(cfg["saves"]),
    }
    say("in process: synthetic knowledge bases")
    results["in_process"]["scaling"] = inprocess.scaling(cfg["scaling_calls"], cfg["scaling_budget_s"], cfg["passes"])

    with tempfile.TemporaryDirectory(prefix="advisor-bench-") as tmp:
        answer_bytes = results["in_process"]["request_path"]["response_bytes"]
        results.update(_http(args, cfg, tool, Path(tmp), say, answer_bytes))
    results["machine"]["loadavg_at_end"] = os.getloadavg()[0]
    results["targets"] = evaluate_targets(results)
    results["table"] = render(results)

    say("")
    say(results["table"])
    if args.out is not None:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(json.dumps(results, indent=2) + "\n")
        say(f"\nresults: {args.out}")
    return 0


def _http(args, cfg: dict, tool: str, tmp: Path, say, answer_bytes: int) -> dict:
    bodies = profile_bodies(5000)
    bodies_file = tmp / "profiles.jsonl"
    bodies_file.write_text("\n".join(bodies) + "\n")
    ports = (args.port_base, args.port_base + 1) if args.port_base else (free_port(), free_port())
    env = {"ADVISOR_INSTANCE_PATH": str(tmp / "instance"), "SECRET_KEY": "benchmark-only"}
    log = tmp / "gunicorn.log"

    say("start to first answer")
    starts = []
    for _ in range(cfg["starts"] - 1):
        server = start_server("advisor", "app:app", ports[1], env, log)
        starts.append(server.start_to_first_answer_s)
        server.stop()
    baseline = start_server("baseline", "bench.baseline_app:app", ports[0],
                            {**env, "BENCH_ANSWER_BYTES": str(answer_bytes)}, log)
    advisor = start_server("advisor", "app:app", ports[1], env, log)
    starts.append(advisor.start_to_first_answer_s)
    out: dict = {"startup": {"advisor_s": [round(s, 3) for s in starts], "median_s": round(statistics.median(starts), 3),
                             "baseline_s": round(baseline.start_to_first_answer_s, 3)}}
    postgres = on_postgres = None
    try:
        say("PostgreSQL for the saves row")
        postgres = start_postgres()
        if postgres is not None:
            on_postgres = start_server("advisor on PostgreSQL", "app:app", free_port(),
                                       {**env, "DATABASE_URL": postgres[1]}, log)
        out["http"] = _load_rows(args, cfg, tool, tmp, bodies, bodies_file, baseline.base_url, advisor.base_url, say,
                                 on_postgres.base_url if on_postgres is not None else None)
        out["memory"] = {
            "advisor_workers_peak_rss_kib": [worker_peak_rss_kib(p) for p in advisor.worker_pids()],
            "baseline_workers_peak_rss_kib": [worker_peak_rss_kib(p) for p in baseline.worker_pids()],
        }
        if out["http"]["report_pdf"].get("available", True):  # after the memory reading, which it would move
            say(f"  GET /reports/<id>.pdf of every service: first render of {cfg['cold']} fresh reports")
            out["cold_pdf_every_service"] = cold_pdf_every_service(advisor.base_url,
                                                                   bodies[cfg["cold"]:2 * cfg["cold"]])
    except Exception:
        say(f"gunicorn log: {log}\n" + log.read_text()[-3000:])
        raise
    finally:
        advisor.stop()
        baseline.stop()
        if on_postgres is not None:
            on_postgres.stop()
        if postgres is not None:
            postgres[0].stop()
    return out


def _load_rows(args, cfg, tool, tmp, bodies, bodies_file, baseline_url, advisor_url, say, postgres_url) -> dict:
    base = Target("baseline", "baseline echo", baseline_url, "POST", "/echo", bodies_file)
    rows = [
        Target("baseline_sized", "baseline echo, recommendation-sized answer", baseline_url, "POST", "/echo-sized",
               bodies_file),
        Target("recommendations", "POST /api/v1/recommendations", advisor_url, "POST", "/api/v1/recommendations",
               bodies_file),
        Target("assessments", "POST /api/v1/assessments", advisor_url, "POST", "/api/v1/assessments", bodies_file),
    ]
    if postgres_url is not None:
        rows.append(Target("assessments_postgresql", "POST /api/v1/assessments on PostgreSQL", postgres_url, "POST",
                           "/api/v1/assessments", bodies_file))
    ids = create_assessments(advisor_url, bodies[-cfg["assessments"]:])
    # Reports for the cold figures: fresh ones, each asked for once per format.
    cold_ids = create_assessments(advisor_url, bodies[:cfg["cold"]])
    report_paths: dict[str, list[str]] = {}
    # A rendering is stored after the first GET, so the load runs cycle through ids that were each asked for
    # once before (warm). The first render of a PDF is slow, so fewer distinct ids are warmed for its row.
    for key, label, suffix, min_seconds, connections, count in (
            ("report_html", "GET /reports/<id>", "", 0, None, len(ids)),
            ("report_pdf", "GET /reports/<id>.pdf", ".pdf", 0, None, cfg["pdf_ids"])):
        paths = tmp / f"{key}.txt"
        report_paths[key] = [f"/reports/{i}{suffix}" for i in ids[:count]]
        paths.write_text("\n".join(report_paths[key]) + "\n")
        rows.append(Target(key, label, advisor_url, "GET", f"/reports/{ids[0]}{suffix}", paths, min_seconds,
                           connections))

    http: dict = {}
    runnable = []
    for row in [base, *rows]:
        why = probe(row, bodies[0] if row.method == "POST" else None)
        if why is None:
            runnable.append(row)
        elif why == NOT_AVAILABLE:
            say(f"  {row.label}: {NOT_AVAILABLE} (404)")
            http[row.key] = {"available": False, "status": NOT_AVAILABLE}
        else:
            raise RuntimeError(why)
    rows = [r for r in runnable if r is not base]
    cold: dict[str, dict] = {}
    for row in rows:
        if row.key in report_paths:
            say(f"  {row.label}: first render of {len(cold_ids)} fresh reports, then every load-run id once")
            suffix = ".pdf" if row.key == "report_pdf" else ""
            cold[row.key] = cold_first_gets(advisor_url, [f"/reports/{i}{suffix}" for i in cold_ids])
            prewarm(advisor_url, report_paths[row.key], WORKERS)
    if cfg["warmup_s"]:
        say("warming up")
        for row in [base, *rows]:
            run_load(tool, row.url, row.method, row.path, row.lines_file, cfg["warmup_s"], args.connections)
    say(f"load: {cfg['rounds']} round(s), baseline and target back to back")
    pairs = interleaved(tool, base, rows, cfg["rounds"], cfg["seconds"], args.connections, progress=say)
    http["baseline"] = baseline_summary(pairs, WORKERS, args.connections)
    for row in rows:
        http[row.key] = {"label": row.label, **summarise(pairs[row.key], WORKERS), **cold.get(row.key, {})}
    for row in rows:
        if http[row.key].get("bad_status"):
            raise RuntimeError(f"{row.label}: {http[row.key]['bad_status']} responses were errors")
    if postgres_url is None:
        http["assessments_postgresql"] = {"available": False, "status": "PostgreSQL not installed"}
    order = ["baseline", "baseline_sized", "recommendations", "assessments", "assessments_postgresql", "report_html",
             "report_pdf"]
    return {key: http[key] for key in order}


if __name__ == "__main__":
    sys.exit(main())
