"""Which build of the ranking core runs: the modules compiled by ``scripts/build_core.py``, or their sources.

mypyc compiles the modules every recommendation runs through from these very sources into C extensions that
give the same answers two to three times faster. A compiled build is used only when it was made from
exactly the sources on disk, by this Python: an edit that was not rebuilt runs from its source, never from
a stale build. ``ADVISOR_COMPILED=0`` keeps to the sources.
"""
from __future__ import annotations

import hashlib
import importlib.util
import json
import os
import sys
import sysconfig
from pathlib import Path

__all__ = ["COMPILED_MODULES", "BUILD_DIR", "PACKAGE_DIR", "read_manifest", "sources_digest", "use_compiled"]

# The modules every recommendation runs through; the rest of the core is load-time, I/O or rarer work.
COMPILED_MODULES = ("profile", "model", "text", "scoring", "capacity", "whatif", "robustness", "ranking")
PACKAGE_DIR = Path(__file__).resolve().parent
BUILD_DIR = PACKAGE_DIR.parent / "build" / "core"
MANIFEST = "manifest.json"


def sources_digest(package_dir: Path = PACKAGE_DIR) -> str:
    """A digest of every module of the core package and of the Python that would load a build of them.

    All modules count, not only the compiled ones: a compiled module relies on the classes it imports.
    """
    digest = hashlib.sha256(f"{sys.implementation.cache_tag} {sysconfig.get_config_var('EXT_SUFFIX')}".encode())
    for path in sorted(package_dir.glob("*.py")):
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


def read_manifest(build_dir: Path = BUILD_DIR) -> dict:
    """What a build recorded of itself (its sources' digest, its libraries); empty where there is none to read."""
    try:
        manifest = json.loads((build_dir / MANIFEST).read_text())
    except (OSError, ValueError):
        return {}
    return manifest if isinstance(manifest, dict) else {}


def use_compiled(package_path: list[str], build_dir: Path = BUILD_DIR, package_dir: Path = PACKAGE_DIR) -> str:
    """Put a matching compiled build ahead of the sources on the package's path.

    Returns "compiled" when it did, else "interpreted" (no build, a build of other sources or of another
    Python, or ADVISOR_COMPILED=0).
    """
    if os.environ.get("ADVISOR_COMPILED", "1") == "0":
        return "interpreted"
    manifest = read_manifest(build_dir)
    if manifest.get("sources") != sources_digest(package_dir):
        return "interpreted"
    try:
        for name in manifest["libraries"]:  # the shared part of the build, which each module's stub imports by name
            if name not in sys.modules:
                spec = importlib.util.spec_from_file_location(
                    name, build_dir / f"{name}{sysconfig.get_config_var('EXT_SUFFIX')}")
                if spec is None or spec.loader is None:
                    return "interpreted"
                module = importlib.util.module_from_spec(spec)
                spec.loader.exec_module(module)
                sys.modules[name] = module
    except (ImportError, OSError, KeyError, TypeError):
        return "interpreted"
    package_path.insert(0, str(build_dir / "advisor"))
    return "compiled"
