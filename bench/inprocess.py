"""In-process figures, no HTTP: one ranking, a batch, the request path's parts, and cost against KB size.

Other work on the machine only ever adds time, so each figure is the best of a few
passes over the same distinct inputs (as timeit does), each pass a median per call.
"""
from __future__ import annotations

import gc
import io
import json
import math
import os
import statistics
import tempfile
import time
from contextlib import contextmanager, redirect_stdout

from flask import Flask, jsonify
from werkzeug.test import EnvironBuilder

from adapters.graph_files import DEFAULT_GRAPH_DATA, load_knowledge_base
from adapters.repository import AssessmentStore
from advisor import profile_as_dict, rank
from advisor.answers import RecentAnswers
from advisor.service import Advisor
from app import create_app
from schemas.profile import profile_parser, profile_schema
from web import assessments, jsonbody, jsonout
from web.jsonout import HtmlSafeJSONProvider

from .baseline_app import app as baseline_app
from .profiles import profile_bodies, profile_dicts
from .synthetic import synthetic_knowledge_base

__all__ = ["rank_one", "rank_batch", "request_path_parts", "answer_cache", "wsgi", "wsgi_split", "save_split", "scaling"]

SIZES = [(s, l) for s in (4, 50, 200) for l in (15, 30, 60)]


def _median_us(func, items, passes: int = 1) -> float:
    """Median wall time of func(item) over the items, in microseconds; the lowest of `passes` passes."""
    clock = time.perf_counter_ns
    best = math.inf
    for _ in range(passes):
        times = []
        for item in items:
            started = clock()
            func(item)
            times.append(clock() - started)
        best = min(best, statistics.median(times) / 1000)
    return best


def _profiles(count: int, seed: int = 6, services: bool = True):
    dicts = profile_dicts(count, seed)
    if not services:
        for d in dicts:
            d.pop("services", None)
    return [profile_schema.load(d) for d in dicts]


def rank_one(count: int, passes: int) -> dict:
    """Median time to rank one profile on the real knowledge base, over `count` distinct profiles.

    `median_us` is the ranking with its reasons; `with_robustness_us` adds the robustness of first
    place (margin, label and every what-if threshold), which every recommendation also carries, and
    `robustness_us` is the difference.
    """
    kb = load_knowledge_base()
    profiles = _profiles(count)
    for p in profiles[:200]:  # warm up
        rank(kb, p)
    gc.collect()
    plain = _median_us(lambda p: rank(kb, p, with_robustness=False), profiles, passes)
    full = _median_us(lambda p: rank(kb, p), profiles, passes)
    return {"profiles": count, "passes": passes, "median_us": round(plain, 2),
            "with_robustness_us": round(full, 2), "robustness_us": round(full - plain, 2),
            "per_second_without_robustness": round(1e6 / plain), "per_second_with_robustness": round(1e6 / full)}


def rank_batch(count: int, passes: int) -> dict:
    """Total time to rank `count` distinct profiles one after another; the best of `passes` batches."""
    kb = load_knowledge_base()
    profiles = _profiles(count, seed=7)
    gc.collect()
    seconds = math.inf
    for _ in range(passes):
        started = time.perf_counter()
        for p in profiles:
            rank(kb, p, with_robustness=False)
        seconds = min(seconds, time.perf_counter() - started)
    return {"profiles": count, "passes": passes, "seconds": round(seconds, 4),
            "seconds_per_10000": round(seconds * 10_000 / count, 4)}


def _json_app() -> Flask:
    """An app with the advisor's JSON provider, for timing its response encoding without a server."""
    app = Flask("bench")
    app.json = HtmlSafeJSONProvider(app)
    return app


def request_path_parts(count: int, passes: int) -> dict:
    """Median microseconds of each step POST /api/v1/recommendations takes, outside the web server."""
    kb = load_knowledge_base()
    dicts = profile_dicts(count, seed=8)
    bodies = [json.dumps(d) for d in dicts]
    profiles = [profile_schema.load(d) for d in dicts]
    recommendations = [rank(kb, p) for p in profiles]
    results = []
    for rec, p in zip(recommendations, profiles):
        result = rec.as_dict()
        result["profile"] = profile_as_dict(p)
        results.append(result)
    gc.collect()
    with _json_app().app_context():
        encode_us = _median_us(lambda r: jsonify(r), results, passes)
        size = round(statistics.mean(len(jsonify(r).get_data()) for r in results[:50]))
    return {
        "json_parse_us": round(_median_us(_strict_loads, bodies, passes), 2),
        "schema_load_us": round(_median_us(profile_schema.load, dicts, passes), 2),
        "rank_us": round(_median_us(lambda p: rank(kb, p), profiles, passes), 2),
        "as_dict_us": round(_median_us(lambda r: r.as_dict(), recommendations, passes), 2),
        "json_encode_us": round(encode_us, 2),
        "response_bytes": size,
    }


def answer_cache(count: int, passes: int, size: int = 256) -> dict:
    """Median µs of the advisor service's recommend (schema, ranking, answer dict) for distinct profiles, and for
    profiles sent again while the cache of recent answers holds them (the distinct figure is the headline)."""
    kb = load_knowledge_base()
    distinct = profile_dicts(count, seed=9)
    repeated = profile_dicts(min(size, count), seed=10)
    cold = Advisor(kb, None, profile_parser(kb), answers=RecentAnswers(0))
    warm = Advisor(kb, None, profile_parser(kb), answers=RecentAnswers(size))
    for d in repeated * 2:  # a profile is kept the second time it is ranked
        warm.recommend(d)
    warm.answers.hits = warm.answers.misses = 0
    gc.collect()
    distinct_us = _median_us(cold.recommend, distinct, passes)
    repeated_us = _median_us(warm.recommend, repeated * max(1, count // len(repeated)), passes)
    return {"size": size, "distinct_us": round(distinct_us, 2), "repeated_us": round(repeated_us, 2),
            "hit_ratio": round(warm.answers.hits / max(1, warm.answers.hits + warm.answers.misses), 3)}


def _strict_loads(text: str):
    """json.loads with the hooks the advisor's request reader uses (no NaN, no duplicate keys)."""
    return json.loads(text, object_pairs_hook=jsonbody._no_duplicates, parse_float=jsonbody._finite_float,
                      parse_int=jsonbody._bounded_int, parse_constant=jsonbody._no_constants)


def wsgi(count: int, chunk: int = 100) -> dict:
    """Median µs per request through each app's WSGI callable, no server: baseline and advisor in alternate chunks."""
    with tempfile.TemporaryDirectory(prefix="advisor-bench-") as tmp:
        advisor = create_app({"SECRET_KEY": "benchmark-only", "DATABASE_URL": f"sqlite:///{tmp}/wsgi.sqlite3",
                              "GRAPH_DATA": str(DEFAULT_GRAPH_DATA)})
        try:
            bodies = [b.encode() for b in profile_bodies(max(count, chunk))]
            apps = {"baseline": (baseline_app, "/echo"), "recommendations": (advisor, "/api/v1/recommendations")}
            times: dict[str, list[float]] = {key: [] for key in apps}
            for start in range(0, max(count, chunk), chunk):
                for key, (app, path) in apps.items():
                    times[key].append(_wsgi_chunk(app, path, bodies[start:start + chunk]))
        finally:
            advisor.extensions["advisor.store"].dispose()
    out = {f"{key}_us": round(statistics.median(values), 1) for key, values in times.items()}
    out["ratio"] = round(statistics.median(r / b for r, b in zip(times["recommendations"], times["baseline"])), 3)
    return out


# The parts of a recommendation request timed where they run inside the app (their sum falls short of the whole by
# "the rest": the request context, routing, the answer dict, the response object and the WSGI call).
SPLIT_PARTS = ("before_hooks", "body", "validation", "ranking", "encoding", "after_hooks")


def wsgi_split(count: int) -> dict:
    """Median µs of each part of POST /api/v1/recommendations as it runs inside the WSGI app, among the rest of
    the request: a part costs more here than on its own (request_path_parts), as the request's other work evicts
    it from the processor's caches."""
    return _split("/api/v1/recommendations", count, 200, SPLIT_PARTS, lambda app: (
        ("before_hooks", app, "preprocess_request"), ("body", jsonbody, "read_body"), ("body", jsonbody, "_parse"),
        ("validation", Advisor, "profile"), ("ranking", RecentAnswers, "rank"), ("encoding", jsonout, "encode"),
        ("after_hooks", app, "process_response")))


# The parts of a save (POST /api/v1/assessments) timed where they run inside the app; "store" is the JSON text, the
# write lock, the insert and the durable commit, and store_cpu the processor time of the same (the rest is waiting).
SAVE_PARTS = ("validation", "ranking", "snapshot", "store", "store_cpu", "answer")


def save_split(count: int) -> dict:
    """Median µs of each part of one save as it runs inside the WSGI app, on a SQLite database on this disk."""
    return _split("/api/v1/assessments", count, 100, SAVE_PARTS, lambda app: (
        ("validation", Advisor, "profile"), ("ranking", RecentAnswers, "rank"), ("snapshot", Advisor, "_snapshot"),
        ("store", AssessmentStore, "add"), ("answer", assessments, "assessment_json"), ("answer", jsonout, "encode")),
        cpu_targets=(("store_cpu", AssessmentStore, "add"),))


def _split(path: str, count: int, warm_up: int, parts: tuple[str, ...], targets_of, cpu_targets=()) -> dict:
    """Median µs of each part of one POST to path inside a fresh app (targets_of(app): the (part, owner,
    attribute) wall-clock timings; cpu_targets: processor-time ones, left out of "the rest"), the rest and the
    whole."""
    with tempfile.TemporaryDirectory(prefix="advisor-bench-") as tmp:
        app = create_app({"SECRET_KEY": "benchmark-only", "DATABASE_URL": f"sqlite:///{tmp}/split.sqlite3",
                          "GRAPH_DATA": str(DEFAULT_GRAPH_DATA)})
        try:
            bodies = [b.encode() for b in profile_bodies(count + warm_up)]
            _wsgi_chunk(app, path, bodies[:warm_up])
            spent = dict.fromkeys(parts, 0)
            rows = []
            with _timed(spent, targets_of(app)), _timed(spent, cpu_targets, clock=time.thread_time_ns):
                for body in bodies[warm_up:]:
                    for part in spent:
                        spent[part] = 0
                    total = _wsgi_chunk(app, path, [body])
                    rows.append((total, {part: ns / 1000 for part, ns in spent.items()}))
        finally:
            app.extensions["advisor.store"].dispose()
    cpu = {part for part, _, _ in cpu_targets}
    out = {f"{part}_us": round(statistics.median(r[1][part] for r in rows), 1) for part in parts}
    out["rest_us"] = round(statistics.median(total - sum(v for k, v in measured.items() if k not in cpu)
                                             for total, measured in rows), 1)
    out["total_us"] = round(statistics.median(total for total, _ in rows), 1)
    return out


@contextmanager
def _timed(spent: dict[str, int], targets, clock=time.perf_counter_ns):
    """Wrap each (part, owner, attribute) so that its calls add their nanoseconds on clock to spent[part]; undone
    on exit."""
    undo = []
    for part, owner, name in targets:
        original = getattr(owner, name) if isinstance(owner, Flask) else owner.__dict__[name]

        def timed(*args, _original=original, _part=part, **kwargs):
            started = clock()
            try:
                return _original(*args, **kwargs)
            finally:
                spent[_part] += clock() - started

        undo.append((owner, name, original))
        setattr(owner, name, timed)
    try:
        yield
    finally:
        for owner, name, original in reversed(undo):
            if isinstance(owner, Flask):
                delattr(owner, name)  # the app's own method shows through again
            else:
                setattr(owner, name, original)


def _wsgi_chunk(app, path: str, bodies: list[bytes]) -> float:
    """Mean µs per request over the chunk. The access log is written as in production, to the null device rather
    than among the benchmark's output."""
    environ = EnvironBuilder(path=path, method="POST", data=b"{}", content_type="application/json").get_environ()
    with open(os.devnull, "w") as null, redirect_stdout(null):
        started = time.perf_counter_ns()
        for body in bodies:
            env = dict(environ, CONTENT_LENGTH=str(len(body)))
            env["wsgi.input"] = io.BytesIO(body)
            status = []
            response = app(env, lambda s, h, e=None: status.append(s))
            b"".join(response)
            response.close()
            if not status[0].startswith("20"):
                raise RuntimeError(f"{path} answered {status[0]} in process")
        return (time.perf_counter_ns() - started) / len(bodies) / 1000


def scaling(calls: int, budget_s: float, passes: int) -> dict:
    """Rank cost on synthetic knowledge bases of 4, 50 and 200 services by 15, 30 and 60 layers."""
    rows = []
    for services, layers in SIZES:
        started = time.perf_counter()
        kb = synthetic_knowledge_base(services, layers)
        build_s = time.perf_counter() - started
        # fewer calls on the big ones, never fewer than 5
        n = max(5, min(calls, int(calls * 4 / services)))
        profiles = _profiles(n, seed=services * 1000 + layers, services=False)
        rank(kb, profiles[0])
        gc.collect()
        rank_us = _median_us(lambda p: rank(kb, p), profiles, passes)
        deadline = time.perf_counter() + budget_s
        with _json_app().app_context():
            response_us = _median_us(lambda p: _respond(kb, p),
                                     [p for p in profiles if time.perf_counter() < deadline] or profiles[:5], passes)
        work = services * layers
        rows.append({"services": services, "layers": layers, "calls": n, "build_s": round(build_s, 3),
                     "rank_us": round(rank_us, 1), "rank_us_per_service_layer": round(rank_us / work, 4),
                     "response_us": round(response_us, 1),
                     "response_us_per_service_layer": round(response_us / work, 4)})
    return {"sizes": rows, "rank_exponent": _exponent(rows, "rank_us"),
            "response_exponent": _exponent(rows, "response_us")}


def _respond(kb, profile):
    result = rank(kb, profile).as_dict()
    result["profile"] = profile_as_dict(profile)
    return jsonify(result)


def _exponent(rows: list[dict], key: str) -> float:
    """Least-squares slope of log(time) on log(services × layers): 1 is linear, above 1 worse than linear."""
    xs = [math.log(r["services"] * r["layers"]) for r in rows]
    ys = [math.log(r[key]) for r in rows]
    mx, my = statistics.mean(xs), statistics.mean(ys)
    return round(sum((x - mx) * (y - my) for x, y in zip(xs, ys)) / sum((x - mx) ** 2 for x in xs), 3)
