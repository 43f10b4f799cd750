"""The compiled core (scripts/build_core.py) gives the same answers as the sources, and is used only when current.

mypyc stores a figure annotated ``float`` as a machine float, so a careless annotation would turn a team's 20
hours into 20.0 in the answer. The comparison below ranks a wide mix of profiles both ways, whole numbers and
fractions, every service, overlay, calibration and workload choice, and compares the JSON byte for byte.
"""
from __future__ import annotations

import json
import os
import random
import shutil
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import pytest

import advisor
from adapters.graph_files import DEFAULT_GRAPH_DATA, load_knowledge_base
from advisor import Profile, Weights
from advisor.compiled import MANIFEST, sources_digest, use_compiled
from schemas.profile import profile_parser

ROOT = Path(__file__).resolve().parent.parent
FIXTURE_GRAPH_DATA = ROOT / "tests" / "fixtures" / "graph_data"

_IN_SOURCES = """
import json, sys
from tests.test_compiled_core import answers
json.dump(answers(sys.argv[1], int(sys.argv[2])), sys.stdout)
"""


def _profile(rng: random.Random, kb, index: int) -> dict:
    whole = rng.random() < 0.5
    figure = (lambda low, high: rng.randint(low, high)) if whole else \
        (lambda low, high: round(rng.uniform(low, high), rng.choice([1, 2, 3])))
    workload = {key: value for key, value in {
        "max_duration_minutes": figure(1, 120) if rng.random() < 0.6 else None,
        "memory_gb": figure(1, 140) if rng.random() < 0.5 else None,
        "vcpu": figure(1, 20) if rng.random() < 0.4 else None,
        "ephemeral_storage_gb": figure(1, 250) if rng.random() < 0.3 else None,
        "gpu": rng.random() < 0.15, "privileged": rng.random() < 0.15, "always_on": rng.random() < 0.3,
        "os": rng.choice(["linux", "linux", "windows"]), "arch": rng.choice(["x86_64", "arm64"]),
        "invocation": rng.choice(["sync", "async"]), "on_ec2": rng.choice(["application", "containers", "kubernetes"]),
        "lambda_package": rng.choice(["zip", "image"]),
    }.items() if value is not None}
    profile = {
        "security_hours_per_month": figure(0, 200),
        "patching_staff": rng.randint(0, 4),
        "customisation": rng.choice(list(kb.customisation_levels)),
        "isolation": rng.choice(list(kb.isolation_levels)),
        "workload": workload,
        "services": rng.sample(list(kb.services), rng.randint(1, len(kb.services))),
    }
    if rng.random() < 0.5:
        profile["weights"] = {part: rng.choice([0, 1, 2, 0.5, 0.35, round(rng.random(), 3)])
                              for part in ("burden", "patching", "customisation", "isolation", "simplicity")}
        if not any(profile["weights"].values()):
            profile["weights"]["burden"] = 1
    if kb.overlays and rng.random() < 0.3:
        profile["overlay"] = rng.choice(list(kb.overlays))
    if kb.calibrations and rng.random() < 0.3:
        profile["calibration"] = rng.choice(list(kb.calibrations))
    return profile


def _as_written(profile: Profile, body: dict) -> Profile:
    """The profile with its figures as the body wrote them (the schema reads every figure as a float; the core's
    callers may pass whole numbers)."""
    workload = {k: v for k, v in body["workload"].items() if k in _FIGURES}
    weights = Weights(**body["weights"]) if "weights" in body else profile.weights
    return replace(profile, security_hours_per_month=body["security_hours_per_month"], weights=weights,
                   workload=replace(profile.workload, **workload))


_FIGURES = ("max_duration_minutes", "memory_gb", "vcpu", "ephemeral_storage_gb")


def answers(graph_data: str, count: int) -> list[str]:
    """The answers, as canonical JSON, to `count` generated profiles on one knowledge base: half of them read by
    the profile schema, half with their figures as written."""
    kb = load_knowledge_base(Path(graph_data))
    parse = profile_parser(kb)
    rng = random.Random(20261202)
    out = []
    for index in range(count):
        body = _profile(rng, kb, index)
        profile = parse(body)
        if index % 2:
            profile = _as_written(profile, body)
        out.append(json.dumps(advisor.rank(kb, profile).as_dict(), sort_keys=True))
    return out


@pytest.mark.slow
@pytest.mark.parametrize("graph_data", [DEFAULT_GRAPH_DATA, FIXTURE_GRAPH_DATA], ids=["catalog", "fixture"])
def test_the_compiled_core_answers_exactly_as_the_sources_do(graph_data):
    if advisor.CORE != "compiled":
        pytest.skip("the core is not compiled here (python scripts/build_core.py)")
    count = 1500
    env = {**os.environ, "ADVISOR_COMPILED": "0"}
    run = subprocess.run([sys.executable, "-c", _IN_SOURCES, str(graph_data), str(count)], cwd=ROOT, env=env,
                         capture_output=True, text=True, check=True)
    expected = json.loads(run.stdout)
    got = answers(str(graph_data), count)
    differing = [i for i, (a, b) in enumerate(zip(expected, got)) if a != b]
    assert not differing, f"{len(differing)} answers differ, the first:\n{expected[differing[0]]}\n{got[differing[0]]}"


def test_the_test_run_uses_the_compiled_core_when_it_is_required():
    """CI builds the core and sets ADVISOR_REQUIRE_COMPILED, so its tests run what the service runs."""
    if os.environ.get("ADVISOR_REQUIRE_COMPILED") != "1":
        pytest.skip("only when the compiled core is required")
    assert advisor.CORE == "compiled"
    assert advisor.ranking.__file__.endswith(".so")


def _package(tmp_path: Path) -> Path:
    package = tmp_path / "advisor"
    shutil.copytree(ROOT / "advisor", package, ignore=shutil.ignore_patterns("__pycache__"))
    return package


def test_a_build_of_other_sources_is_not_used(tmp_path):
    package = _package(tmp_path)
    build = tmp_path / "build"
    (build / "advisor").mkdir(parents=True)
    (build / MANIFEST).write_text(json.dumps({"sources": sources_digest(package), "libraries": []}))
    path: list[str] = [str(package)]
    assert use_compiled(path, build, package) == "compiled"
    assert path[0] == str(build / "advisor")

    (package / "scoring.py").write_text((package / "scoring.py").read_text() + "\n# edited since the build\n")
    path = [str(package)]
    assert use_compiled(path, build, package) == "interpreted"
    assert path == [str(package)]


def test_no_build_a_broken_manifest_or_the_switch_off_keep_to_the_sources(tmp_path, monkeypatch):
    package = _package(tmp_path)
    build = tmp_path / "build"
    assert use_compiled([str(package)], build, package) == "interpreted"
    build.mkdir()
    (build / MANIFEST).write_text("{not json")
    assert use_compiled([str(package)], build, package) == "interpreted"
    (build / MANIFEST).write_text(json.dumps({"sources": sources_digest(package), "libraries": ["missing__mypyc"]}))
    assert use_compiled([str(package)], build, package) == "interpreted"
    (build / MANIFEST).write_text(json.dumps({"sources": sources_digest(package), "libraries": []}))
    monkeypatch.setenv("ADVISOR_COMPILED", "0")
    assert use_compiled([str(package)], build, package) == "interpreted"


def test_a_workload_lists_every_one_of_its_fields_as_asked():
    """The ranking reads a workload through asked() (a compiled class has no __dict__): a new field must be in it."""
    from dataclasses import fields

    from advisor import Workload
    workload = Workload(max_duration_minutes=20, gpu=True, os="windows", lambda_package="image")
    assert list(workload.asked()) == [f.name for f in fields(Workload)]
    assert all(value == getattr(workload, name) for name, value in workload.asked().items())
