"""The targets each figure is held to, and the table printed at the end of a run."""
from __future__ import annotations

__all__ = ["TARGETS", "evaluate_targets", "render"]

# (key, what, unit, comparison, bound, where the figure is in the results)
TARGETS = [
    ("recommendations_throughput", "recommendations throughput", "× baseline", ">=", 0.50,
     ("http", "recommendations", "throughput_ratio")),
    ("recommendations_p99", "recommendations p99 latency", "× baseline", "<=", 2.5,
     ("http", "recommendations", "p99_ratio")),
    ("rank_with_robustness", "rank one profile with robustness", "µs", "<=", 100.0,
     ("in_process", "rank_one", "with_robustness_us")),
    ("batch_10000", "rank 10,000 profiles", "s", "<=", 0.5, ("in_process", "batch", "seconds_per_10000")),
    ("assessments_throughput", "assessments throughput (SQLite)", "× baseline", ">=", 0.25,
     ("http", "assessments", "throughput_ratio")),
    ("scaling", "cost exponent in services × layers", "", "<=", 1.1, ("in_process", "scaling", "worst_exponent")),
    ("report_html", "HTML report, worker time per request (warm)", "ms", "<=", 10.0,
     ("http", "report_html", "worker_ms_per_request")),
    ("report_pdf", "PDF report, worker time per request (warm)", "ms", "<=", 500.0,
     ("http", "report_pdf", "worker_ms_per_request")),
    ("cold_pdf", "PDF report, first render (the default services)", "ms", "<=", 500.0,
     ("http", "report_pdf", "cold_ms")),
    ("cold_pdf_every_service", "PDF report, first render (every service)", "ms", "<=", 1500.0,
     ("cold_pdf_every_service", "cold_ms")),
    ("startup", "start to first answer", "s", "<=", 1.5, ("startup", "median_s")),
]

# The parts of one recommendation request inside the WSGI app (bench.inprocess.wsgi_split), in the table's order.
SPLIT_KEYS = ("before_hooks_us", "body_us", "validation_us", "ranking_us", "encoding_us", "after_hooks_us", "rest_us")
# The parts of one save (bench.inprocess.save_split), in the table's order; store_cpu is shown beside the store.
SAVE_KEYS = ("validation_us", "ranking_us", "snapshot_us", "store_us", "answer_us", "rest_us")


def _get(results: dict, path: tuple):
    node = results
    for key in path:
        if not isinstance(node, dict) or key not in node:
            return None
        node = node[key]
    return node


def evaluate_targets(results: dict) -> list[dict]:
    """Each target with its figure and pass or miss; rows whose route is missing say so instead."""
    scaling = results["in_process"]["scaling"]
    scaling["worst_exponent"] = max(scaling["rank_exponent"], scaling["response_exponent"])
    out = []
    for key, what, unit, op, bound, path in TARGETS:
        row = _get(results, path[:2]) if path[0] == "http" else None
        value = _get(results, path)
        entry = {"key": key, "figure": what, "unit": unit, "target": f"{op} {bound:g}", "value": value}
        if row is not None and row.get("cold_ms") is not None and path[-1] != "cold_ms":
            entry["cold_ms"] = row["cold_ms"]  # printed beside the warm figure
        if row is not None and not row.get("available", True):
            entry.update(value=None, passed=None, status=row["status"])
        elif value is None:
            entry.update(passed=None, status="not measured")
        else:
            entry["passed"] = bool(value >= bound if op == ">=" else value <= bound)
        out.append(entry)
    return out


def _fmt(value, digits: int = 1) -> str:
    if value is None:
        return "–"
    if isinstance(value, float) and abs(value) >= 1000:
        return f"{value:,.0f}"
    return f"{value:,.{digits}f}"


def render(results: dict) -> str:
    """Markdown tables: HTTP rows, in-process figures, scaling, targets; readable in a terminal too."""
    m = results["machine"]
    s = results["settings"]
    lines = [
        f"Machine: {m['nproc']} CPUs, {m['cpu_model']}, Python {m['python']}; load average "
        f"{m['loadavg_at_start']:.2f} at start, {m.get('loadavg_at_end', 0):.2f} at end.",
        f"Mode {results['mode']}: {s['load_tool']}, {s['connections']} connections, gunicorn {s['workers']} sync workers, "
        f"{s['rounds']} interleaved round(s) of {s['seconds']:g} s runs; ratios are medians of per-round ratios.",
        "",
        "| HTTP | req/s | p50 ms | p99 ms | worker ms/req | req/s ÷ baseline | p99 ÷ baseline | first render ms |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    labels = {"baseline": "baseline: POST /echo (bare Flask)",
              "baseline_sized": "bare Flask echo padded to a recommendation's size",
              "recommendations": "POST /api/v1/recommendations",
              "assessments": "POST /api/v1/assessments (SQLite)",
              "assessments_postgresql": "POST /api/v1/assessments (PostgreSQL)", "report_html": "GET /reports/<id>",
              "report_pdf": "GET /reports/<id>.pdf"}
    notes = []
    for key, label in labels.items():
        row = results["http"].get(key, {"available": False, "status": "not run"})
        if not row.get("available"):
            lines.append(f"| {label} | {row['status']} | | | | | | |")
            continue
        first = row.get("rounds", [{}])[0]
        if first.get("connections", s["connections"]) != s["connections"]:
            label += " *"
            notes.append(f"\\* {first['connections']} connections and {first['seconds']:g} s per run, for it and its "
                         "paired baseline run: at the usual concurrency queued requests would time out.")
        ratios = ("1.00", "1.00") if key == "baseline" else (_fmt(row["throughput_ratio"], 2), _fmt(row["p99_ratio"], 2))
        rps = row["requests_per_second"]
        lines.append(f"| {label} | {_fmt(rps, 0 if rps >= 100 else 1)} | {_fmt(row['p50_ms'], 2)} | "
                     f"{_fmt(row['p99_ms'], 2)} | {_fmt(row['worker_ms_per_request'], 3)} | {ratios[0]} | {ratios[1]} | "
                     f"{_fmt(row.get('cold_ms'), 1)} |")
    if any("cold_ms" in row for row in results["http"].values()):
        notes.append("Report rows: req/s, latencies and worker time are warm (every id was rendered and stored "
                     "before the load runs); first render ms is the median first GET of fresh reports (cold).")
    lines += ["", *notes] if notes else []
    ip = results["in_process"]
    parts = ip["request_path"]
    split = ip["wsgi_split"]
    saves = ip["save_split"]
    mem = results["memory"]
    kib = [k for k in mem["advisor_workers_peak_rss_kib"] if k]
    base_kib = [k for k in mem["baseline_workers_peak_rss_kib"] if k]
    lines += [
        "",
        "| In process and start-up | Figure |",
        "| --- | ---: |",
        f"| rank one profile (median of {ip['rank_one']['profiles']:,} distinct; best of {ip['rank_one']['passes']} passes) | "
        f"{_fmt(ip['rank_one']['median_us'])} µs |",
        f"| rank one profile with the robustness of first place (median per profile) | "
        f"{_fmt(ip['rank_one']['with_robustness_us'])} µs |",
        f"| robustness of first place, on top of ranking (median per profile) | "
        f"{_fmt(ip['rank_one']['robustness_us'])} µs |",
        f"| recommendations per second in process, without / with robustness | "
        f"{ip['rank_one']['per_second_without_robustness']:,} / {ip['rank_one']['per_second_with_robustness']:,} |",
        f"| rank {ip['batch']['profiles']:,} distinct profiles (best of {ip['batch']['passes']}) | {_fmt(ip['batch']['seconds'], 3)} s "
        f"({_fmt(ip['batch']['seconds_per_10000'], 3)} s per 10,000) |",
        f"| request path, median µs: JSON parse / profile validation (marshmallow) / rank / as_dict / JSON encode "
        f"({parts['response_bytes']:,} bytes) | {parts['json_parse_us']:.1f} / {parts['schema_load_us']:.1f} / "
        f"{parts['rank_us']:.1f} / {parts['as_dict_us']:.1f} / {parts['json_encode_us']:.1f} |",
        f"| recommend in the service (schema, ranking, answer), median µs: distinct profiles / profiles sent again "
        f"(cache of {ip['answer_cache']['size']} recent answers) | {ip['answer_cache']['distinct_us']:.1f} / "
        f"{ip['answer_cache']['repeated_us']:.1f} |",
        f"| one request through the WSGI app, no server: baseline / recommendations (ratio) | "
        f"{ip['wsgi']['baseline_us']:.0f} / {ip['wsgi']['recommendations_us']:.0f} µs ({ip['wsgi']['ratio']:.2f}×) |",
        f"| the same request in its parts, median µs: before-request hooks / body read and parsed / profile "
        f"validation / ranking / JSON encoding / after-request hooks (access log, metrics, headers) / the rest "
        f"(request context, routing, answer dict, response) | "
        f"{' / '.join(f'{split[part]:.0f}' for part in SPLIT_KEYS)} of {split['total_us']:.0f} µs |",
        f"| one save through the WSGI app (SQLite on this disk), median µs: profile validation / ranking / knowledge "
        f"snapshot / store (JSON text, write lock, insert, durable commit) / answer (dict and JSON) / the rest | "
        f"{' / '.join(f'{saves[part]:.0f}' for part in SAVE_KEYS)} of {saves['total_us']:.0f} µs "
        f"(the store's processor time {saves['store_cpu_us']:.0f} µs) |",
        f"| start to first answer (median of {len(results['startup']['advisor_s'])}; baseline "
        f"{results['startup']['baseline_s']:.2f} s) | {results['startup']['median_s']:.2f} s |",
        f"| peak RSS per worker (VmHWM; baseline {', '.join(f'{k / 1024:.1f}' for k in base_kib)} MiB) | "
        f"{', '.join(f'{k / 1024:.1f}' for k in kib)} MiB |",
        "",
        "| Services × layers | rank µs | µs per service×layer | rank + JSON µs | µs per service×layer |",
        "| --- | ---: | ---: | ---: | ---: |",
    ]
    sc = ip["scaling"]
    for r in sc["sizes"]:
        lines.append(f"| {r['services']} × {r['layers']} | {_fmt(r['rank_us'])} | {r['rank_us_per_service_layer']:.3f} | "
                     f"{_fmt(r['response_us'])} | {r['response_us_per_service_layer']:.3f} |")
    lines += [f"| log-log slope (1 = linear) | {sc['rank_exponent']:.2f} | | {sc['response_exponent']:.2f} | |", "",
              "| Target | Figure | Target | Result |", "| --- | ---: | ---: | --- |"]
    for t in results["targets"]:
        if t["passed"] is None:
            lines.append(f"| {t['figure']} | – | {t['target']} {t['unit']} | {t['status']} |")
        else:
            cold = f" (first render {_fmt(t['cold_ms'], 1)} ms)" if "cold_ms" in t else ""
            lines.append(f"| {t['figure']} | {_fmt(t['value'], 2)} {t['unit']}{cold} | {t['target']} {t['unit']} | "
                         f"{'pass' if t['passed'] else 'MISS'} |")
    return "\n".join(lines)
