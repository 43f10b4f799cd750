"""Distinct, valid profile bodies of about 500 bytes, the same for every run with the same seed."""
from __future__ import annotations

import json
import random

__all__ = ["profile_bodies", "profile_dicts", "BODY_BYTES"]

BODY_BYTES = 500
SERVICES = ["ec2", "ecs", "fargate", "lambda"]
CUSTOMISATION = ["none", "low", "medium", "high"]
ISOLATION = ["standard", "strong", "dedicated"]
WEIGHT_NAMES = ["burden", "patching", "customisation", "isolation", "simplicity"]


def _one(rng: random.Random, index: int) -> dict:
    workload = {
        "max_duration_minutes": rng.choice([0.5, 5, 14, 15, 30, 90, 600]) + rng.randint(0, 9) / 10,
        "memory_gb": rng.choice([0.5, 1, 2, 4, 8, 12, 64]),
        "vcpu": rng.choice([0.25, 1, 2, 4, 8]),
        "ephemeral_storage_gb": rng.choice([0.5, 10, 20, 100, 500]),
        "gpu": rng.random() < 0.1,
        "privileged": rng.random() < 0.1,
        "always_on": rng.random() < 0.3,
        "os": "windows" if rng.random() < 0.1 else "linux",
    }
    weights = {name: round(rng.uniform(0.05, 1.0), 3) for name in WEIGHT_NAMES}
    services = SERVICES[:]
    rng.shuffle(services)
    return {
        "security_hours_per_month": round(rng.uniform(0, 400), 2),
        "patching_staff": rng.randint(0, 6),
        "customisation": rng.choice(CUSTOMISATION),
        "isolation": rng.choice(ISOLATION),
        "workload": workload,
        "weights": weights,
        "services": services,
        "name": f"Portfolio application {index:06d}",
    }


def profile_dicts(count: int, seed: int = 6) -> list[dict]:
    """`count` distinct valid profiles, each padded through its name to about BODY_BYTES of JSON."""
    rng = random.Random(seed)
    seen: set[str] = set()
    out: list[dict] = []
    index = 0
    while len(out) < count:
        profile = _one(rng, index)
        index += 1
        size = len(json.dumps(profile, separators=(",", ":")))
        if size < BODY_BYTES:
            profile["name"] += " " + "x" * max(0, min(200 - len(profile["name"]) - 1, BODY_BYTES - size - 1))
        key = json.dumps(profile, sort_keys=True)
        if key not in seen:
            seen.add(key)
            out.append(profile)
    return out


def profile_bodies(count: int, seed: int = 6) -> list[str]:
    """The same profiles as compact JSON strings, one request body each."""
    return [json.dumps(p, separators=(",", ":")) for p in profile_dicts(count, seed)]
