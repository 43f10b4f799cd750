"""The benchmark's smoke mode runs end to end and reports every figure the full run reports."""
import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
HTTP_ROWS = ["baseline", "baseline_sized", "recommendations", "assessments", "assessments_postgresql", "report_html",
             "report_pdf"]
REPORT_ROWS = {"report_html", "report_pdf"}
COLD_PDF = {"cold_pdf", "cold_pdf_every_service"}


@pytest.fixture(scope="module")
def smoke_results(tmp_path_factory):
    out = tmp_path_factory.mktemp("bench") / "latest.json"
    done = subprocess.run([sys.executable, "-m", "bench", "--smoke", "--out", str(out)], cwd=ROOT,
                          capture_output=True, text=True, timeout=240)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    return json.loads(out.read_text()), done.stdout


def positive(value) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool) and value > 0


@pytest.mark.slow
@pytest.mark.bench
def test_every_http_row_has_throughput_latency_and_a_ratio_or_says_its_route_is_missing(smoke_results):
    http = smoke_results[0]["http"]
    assert set(http) == set(HTTP_ROWS)
    for key in HTTP_ROWS:
        row = http[key]
        if key in REPORT_ROWS and not row["available"]:
            assert row["status"] == "route not available"
            continue
        if key == "assessments_postgresql" and not row["available"]:
            assert row["status"] == "PostgreSQL not installed"
            continue
        assert row["available"], key
        for figure in ("requests_per_second", "p50_ms", "p99_ms", "worker_ms_per_request"):
            assert positive(row[figure]), (key, figure)
        assert row["errors"] == 0 and row["bad_status"] == 0, key
        if key != "baseline":
            assert positive(row["throughput_ratio"]) and positive(row["p99_ratio"]), key
        if key in REPORT_ROWS:  # the first render of fresh reports, beside the warm load figures
            assert positive(row["cold_ms"]) and all(positive(t) for t in row["cold_runs_ms"]), key
    assert http["recommendations"]["available"] and http["assessments"]["available"]


@pytest.mark.slow
@pytest.mark.bench
def test_in_process_start_up_and_memory_figures_are_all_measured(smoke_results):
    results = smoke_results[0]
    ip = results["in_process"]
    assert positive(ip["rank_one"]["median_us"]) and positive(ip["rank_one"]["robustness_us"])
    assert positive(ip["batch"]["seconds"]) and positive(ip["batch"]["seconds_per_10000"])
    assert all(positive(v) for v in ip["request_path"].values())
    assert all(positive(v) for v in ip["answer_cache"].values())
    assert all(positive(v) for v in ip["wsgi"].values())
    assert all(positive(v) for k, v in ip["wsgi_split"].items() if k != "rest_us")
    assert all(positive(v) for k, v in ip["save_split"].items() if k != "rest_us")
    sizes = {(r["services"], r["layers"]) for r in ip["scaling"]["sizes"]}
    assert sizes == {(s, l) for s in (4, 50, 200) for l in (15, 30, 60)}
    for row in ip["scaling"]["sizes"]:
        assert positive(row["rank_us"]) and positive(row["rank_us_per_service_layer"]) and positive(row["response_us"])
    assert positive(ip["scaling"]["rank_exponent"])
    assert positive(results["startup"]["median_s"]) and positive(results["startup"]["baseline_s"])
    workers = results["memory"]["advisor_workers_peak_rss_kib"]
    assert len(workers) == 2 and all(positive(k) for k in workers)
    if results["http"]["report_pdf"]["available"]:  # the longest report's first PDF, every service ranked
        every = results["cold_pdf_every_service"]
        assert every["services"] >= 4 and positive(every["cold_ms"]) and all(positive(t) for t in every["cold_runs_ms"])


@pytest.mark.slow
@pytest.mark.bench
def test_every_target_is_judged_and_printed(smoke_results):
    results, stdout = smoke_results
    keys = [t["key"] for t in results["targets"]]
    assert keys == ["recommendations_throughput", "recommendations_p99", "rank_with_robustness", "batch_10000",
                    "assessments_throughput", "scaling", "report_html", "report_pdf", "cold_pdf",
                    "cold_pdf_every_service", "startup"]
    for target in results["targets"]:
        if target["passed"] is None:
            assert target["key"] in REPORT_ROWS | COLD_PDF and target["status"] in ("route not available",
                                                                                   "not measured")
        else:
            assert positive(target["value"]) and isinstance(target["passed"], bool)
            if target["key"] in REPORT_ROWS:
                line = next(line for line in stdout.splitlines() if line.startswith(f"| {target['figure']} |"))
                assert positive(target["cold_ms"]) and "first render" in line
        assert target["figure"] in stdout
    assert results["table"] in stdout
