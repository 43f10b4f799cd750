"""In-process figures, no HTTP: one ranking, a batch, the request path's parts, and cost against KB size."""
from __future__ import annotations

import gc
import json
import math
import statistics
import time

from flask import Flask

from adapters.graph_files import load_knowledge_base
from advisor import profile_as_dict, rank
from schemas.profile import profile_schema

from .profiles import profile_dicts
from .synthetic import synthetic_knowledge_base

__all__ = ["rank_one", "rank_batch", "request_path_parts", "scaling"]

SIZES = [(s, l) for s in (4, 50, 200) for l in (15, 30, 60)]


def _median_us(func, items) -> float:
    """Median wall time of func(item) over the items, in microseconds."""
    times = []
    clock = time.perf_counter_ns
    for item in items:
        started = clock()
        func(item)
        times.append(clock() - started)
    return statistics.median(times) / 1000


def _profiles(count: int, seed: int = 6, services: bool = True):
    dicts = profile_dicts(count, seed)
    if not services:
        for d in dicts:
            d.pop("services", None)
    return [profile_schema.load(d) for d in dicts]


def rank_one(count: int) -> dict:
    """Median time to rank one profile on the real knowledge base, over `count` distinct profiles."""
    kb = load_knowledge_base()
    profiles = _profiles(count)
    for p in profiles[:200]:  # warm up
        rank(kb, p)
    gc.collect()
    return {"profiles": count, "median_us": round(_median_us(lambda p: rank(kb, p), profiles), 2)}


def rank_batch(count: int) -> dict:
    """Total time to rank `count` distinct profiles one after another."""
    kb = load_knowledge_base()
    profiles = _profiles(count, seed=7)
    gc.collect()
    started = time.perf_counter()
    for p in profiles:
        rank(kb, p)
    seconds = time.perf_counter() - started
    return {"profiles": count, "seconds": round(seconds, 4), "seconds_per_10000": round(seconds * 10_000 / count, 4)}


def _json_provider():
    app = Flask("bench")
    app.json.sort_keys = True  # as the advisor sets them
    app.json.compact = True
    return app.json


def request_path_parts(count: int) -> dict:
    """Median microseconds of each step POST /api/v1/recommendations takes, outside the web server."""
    kb = load_knowledge_base()
    dicts = profile_dicts(count, seed=8)
    bodies = [json.dumps(d) for d in dicts]
    provider = _json_provider()
    profiles = [profile_schema.load(d) for d in dicts]
    recommendations = [rank(kb, p) for p in profiles]
    results = []
    for rec, p in zip(recommendations, profiles):
        result = rec.as_dict()
        result["profile"] = profile_as_dict(p)
        results.append(result)
    gc.collect()
    return {
        "json_parse_us": round(_median_us(json.loads, bodies), 2),
        "schema_load_us": round(_median_us(profile_schema.load, dicts), 2),
        "rank_us": round(_median_us(lambda p: rank(kb, p), profiles), 2),
        "as_dict_us": round(_median_us(lambda r: r.as_dict(), recommendations), 2),
        "json_encode_us": round(_median_us(provider.dumps, results), 2),
        "response_bytes": round(statistics.mean(len(provider.dumps(r)) for r in results[:50])),
    }


def scaling(calls: int, budget_s: float) -> dict:
    """Rank cost on synthetic knowledge bases of 4, 50 and 200 services by 15, 30 and 60 layers."""
    provider = _json_provider()
    rows = []
    for services, layers in SIZES:
        started = time.perf_counter()
        kb = synthetic_knowledge_base(services, layers)
        build_s = time.perf_counter() - started
        # fewer calls on the big ones, within the time budget, never fewer than 5
        n = max(5, min(calls, int(calls * 4 / services)))
        profiles = _profiles(n, seed=services * 1000 + layers, services=False)
        rank(kb, profiles[0])
        gc.collect()
        rank_us = _median_us(lambda p: rank(kb, p), profiles)
        deadline = time.perf_counter() + budget_s
        response_us = _median_us(lambda p: provider.dumps(rank(kb, p).as_dict()),
                                 [p for p in profiles if time.perf_counter() < deadline] or profiles[:5])
        work = services * layers
        rows.append({"services": services, "layers": layers, "calls": n, "build_s": round(build_s, 3),
                     "rank_us": round(rank_us, 1), "rank_us_per_service_layer": round(rank_us / work, 4),
                     "response_us": round(response_us, 1),
                     "response_us_per_service_layer": round(response_us / work, 4)})
    return {"sizes": rows, "rank_exponent": _exponent(rows, "rank_us"),
            "response_exponent": _exponent(rows, "response_us")}


def _exponent(rows: list[dict], key: str) -> float:
    """Least-squares slope of log(time) on log(services × layers): 1 is linear, above 1 worse than linear."""
    xs = [math.log(r["services"] * r["layers"]) for r in rows]
    ys = [math.log(r[key]) for r in rows]
    mx, my = statistics.mean(xs), statistics.mean(ys)
    return round(sum((x - mx) * (y - my) for x, y in zip(xs, ys)) / sum((x - mx) ** 2 for x in xs), 3)
