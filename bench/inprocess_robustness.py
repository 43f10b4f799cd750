"""Recommendations per second in process, with and without the robustness of the first place.

    python bench/inprocess_robustness.py [--seconds 2] [--profiles 200]

Three levels, each timed with robustness on and off over the same seeded mix of profiles:
the core (``rank``), the core plus the JSON the API sends, and the API itself through
Flask's test client (schema, ranking, JSON; no network). ``measure()`` returns the figures
for other benchmarks to reuse.
"""
from __future__ import annotations

import argparse
import functools
import json
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from adapters.graph_files import load_knowledge_base  # noqa: E402
from advisor import rank  # noqa: E402
from schemas.profile import profile_schema  # noqa: E402

__all__ = ["sample_profiles", "measure"]


def sample_profiles(count: int, seed: int = 4) -> list[dict]:
    """A seeded mix of valid profile bodies: capacities, needs, workload limits and weights."""
    rng = random.Random(seed)
    bodies = []
    for _ in range(count):
        body = {"security_hours_per_month": rng.choice([0, 5, 20, 40, 66, 90, 200]),
                "patching_staff": rng.choice([0, 0, 1, 2, 3]),
                "customisation": rng.choice(["none", "low", "medium", "high"]),
                "isolation": rng.choice(["standard", "standard", "strong", "dedicated"])}
        workload = {}
        if rng.random() < 0.5:
            workload["max_duration_minutes"] = rng.choice([1, 10, 15, 60, 600])
        if rng.random() < 0.4:
            workload["memory_gb"] = rng.choice([0.5, 4, 12, 64, 200])
        if rng.random() < 0.3:
            workload["vcpu"] = rng.choice([0.25, 2, 8, 32])
        for flag in ("gpu", "privileged", "always_on"):
            if rng.random() < 0.15:
                workload[flag] = True
        if rng.random() < 0.1:
            workload["os"] = "windows"
        if workload:
            body["workload"] = workload
        if rng.random() < 0.3:
            body["weights"] = {"burden": rng.choice([0.1, 0.35, 0.6]), "customisation": rng.choice([0, 0.2, 0.5])}
        bodies.append(body)
    return bodies


def _rate(work, items: list, seconds: float) -> float:
    """Items per CPU second of this process, looping over the list until `seconds` have passed.

    CPU time rather than wall time, so that other processes on a shared machine do not count.
    """
    done, start = 0, time.process_time()
    while True:
        for item in items:
            work(item)
        done += len(items)
        elapsed = time.process_time() - start
        if elapsed >= seconds:
            return done / elapsed


def measure(seconds: float = 2.0, count: int = 200, rounds: int = 3) -> dict[str, dict[str, float]]:
    """Recommendations per CPU second per level, with and without robustness: the best of `rounds`.

    The two variants alternate round by round, so that a busy spell on the machine hits both.
    """
    import web.api

    kb = load_knowledge_base()
    bodies = sample_profiles(count)
    profiles = [profile_schema.load(body) for body in bodies]
    apps = {flag: _api_client(flag) for flag in (False, True)}
    figures: dict[str, dict[str, float]] = {}

    def keep(level: str, key: str, rate: float) -> None:
        figures.setdefault(level, {})[key] = max(rate, figures.get(level, {}).get(key, 0.0))

    original = web.api.rank
    try:
        for _ in range(rounds):
            for with_robustness in (False, True):
                key = "with" if with_robustness else "without"
                ranker = functools.partial(rank, with_robustness=with_robustness)
                keep("core rank()", key, _rate(lambda p: ranker(kb, p), profiles, seconds))
                keep("core rank() + JSON", key, _rate(
                    lambda p: json.dumps(ranker(kb, p).as_dict(), sort_keys=True), profiles, seconds))
                keep("POST /api/v1/recommendations (test client)", key,
                     _rate(apps[with_robustness], bodies, seconds))
    finally:
        web.api.rank = original
    return figures


def _api_client(with_robustness: bool):
    """A function posting one profile to the API in process; robustness switched off if asked."""
    import web.api
    from app import create_app

    app = create_app({"TESTING": True, "SECRET_KEY": "bench", "DATABASE_URL": "sqlite://"})
    client = app.test_client()
    ranker = functools.partial(rank, with_robustness=with_robustness)

    def post(body: dict) -> None:
        web.api.rank = ranker  # the endpoint always adds robustness; the bench may switch it off
        response = client.post("/api/v1/recommendations", data=json.dumps(body), content_type="application/json")
        assert response.status_code == 200, response.data

    return post


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=2.0, help="time per measurement")
    parser.add_argument("--profiles", type=int, default=200, help="profiles in the seeded mix")
    parser.add_argument("--rounds", type=int, default=3, help="alternating rounds; the best of each is kept")
    args = parser.parse_args()
    figures = measure(args.seconds, args.profiles, args.rounds)
    print(f"{'level':<46} {'without':>10} {'with':>10} {'cost':>8}")
    for level, rates in figures.items():
        cost = 1 - rates["with"] / rates["without"]
        print(f"{level:<46} {rates['without']:>10,.0f} {rates['with']:>10,.0f} {cost:>7.0%}")
    print("recommendations per CPU second, one process, one thread; best of the rounds")


if __name__ == "__main__":
    main()
