"""Compile the ranking core with mypyc into build/core/, which the advisor loads in place of those modules' sources.

    python scripts/build_core.py [--optional] [--force]

Does nothing when build/core/ already matches the sources. The build is made in a scratch folder and
moved into place whole, so a running service never sees half of one. With --optional, a machine that
cannot compile (no C compiler or Python headers) gets a warning and keeps running the core from its
sources, which give the same answers more slowly.
"""
from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import sysconfig
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
os.environ["ADVISOR_COMPILED"] = "0"  # computing the digest must not load the build being replaced
sys.path.insert(0, str(ROOT))

from advisor.compiled import (  # noqa: E402
    BUILD_DIR, COMPILED_MODULES, MANIFEST, PACKAGE_DIR, read_manifest, sources_digest,
)


def build(force: bool = False) -> Path:
    """Compile the modules unless build/core already matches the sources; return the build folder."""
    digest = sources_digest()
    if not force and read_manifest().get("sources") == digest:
        print(f"compiled core up to date in {BUILD_DIR.relative_to(ROOT)}")
        return BUILD_DIR
    BUILD_DIR.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="core-", dir=BUILD_DIR.parent) as scratch:
        work = Path(scratch)
        shutil.copytree(PACKAGE_DIR, work / "advisor", ignore=shutil.ignore_patterns("__pycache__", "*.so"))
        modules = [f"advisor/{name}.py" for name in COMPILED_MODULES]
        done = subprocess.run([sys.executable, "-m", "mypyc", *modules], cwd=work, capture_output=True, text=True)
        if done.returncode:
            print(done.stdout[-4000:], done.stderr[-4000:], sep="\n", file=sys.stderr)
            done.check_returncode()
        out = work / "out"
        (out / "advisor").mkdir(parents=True)
        suffix = sysconfig.get_config_var("EXT_SUFFIX")
        for name in COMPILED_MODULES:
            shutil.move(work / "advisor" / f"{name}{suffix}", out / "advisor" / f"{name}{suffix}")
        libraries = sorted(p.name.removesuffix(suffix) for p in work.glob(f"*__mypyc{suffix}"))
        for name in libraries:
            shutil.move(work / f"{name}{suffix}", out / f"{name}{suffix}")
        (out / MANIFEST).write_text(json.dumps({"sources": digest, "modules": list(COMPILED_MODULES),
                                                "libraries": libraries}, indent=2) + "\n")
        old = BUILD_DIR.with_name(BUILD_DIR.name + ".old")
        shutil.rmtree(old, ignore_errors=True)
        if BUILD_DIR.exists():
            BUILD_DIR.rename(old)
        out.rename(BUILD_DIR)
        shutil.rmtree(old, ignore_errors=True)
    print(f"compiled {', '.join(COMPILED_MODULES)} into {BUILD_DIR.relative_to(ROOT)}")
    return BUILD_DIR


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--optional", action="store_true",
                        help="warn and carry on from the sources when this machine cannot compile")
    parser.add_argument("--force", action="store_true", help="compile even when the build matches the sources")
    args = parser.parse_args()
    try:
        build(args.force)
    except (subprocess.CalledProcessError, OSError) as error:
        if not args.optional:
            raise
        current = read_manifest().get("sources") == sources_digest()
        print(f"warning: the core could not be compiled ({error}); "
              + ("the earlier build of these sources stays in use" if current else
                 "it runs from its sources, with the same answers, more slowly"), file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
