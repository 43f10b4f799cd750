"""Read graph_data/ from disk, check each file against its schema, and build the knowledge base."""
from __future__ import annotations

import dataclasses
import hashlib
import math
import re
import tomllib
from pathlib import Path

from marshmallow import Schema, ValidationError

from advisor import GraphDocuments, KnowledgeBase, KnowledgeBaseError, build_knowledge_base
from schemas.graph_data import (
    CalibrationFileSchema, IncidentsFileSchema, InstanceFamiliesFileSchema, LayersFileSchema, MetaFileSchema,
    OverlayFileSchema, ServiceFileSchema,
)

__all__ = ["load_knowledge_base", "DEFAULT_GRAPH_DATA"]

DEFAULT_GRAPH_DATA = Path(__file__).resolve().parent.parent / "graph_data"

# Limits that keep a hostile file from costing minutes or gigabytes before it is refused. The largest
# real file is under 10 KB; the TOML parser's cost grows with the square of a dotted key's length, so keys
# are checked for their number of parts before parsing.
MAX_FILE_BYTES = 256 * 1024
MAX_KEY_PARTS = 16
MAX_NESTING = 32
MAX_NUMBER = 1e9  # hours, staff, limits: far beyond any real figure, and sums of them stay finite
_KEY_LINE = re.compile(r"""^\s*(\[\[?)?\s*((?:[A-Za-z0-9_-]+|"[^"\n]*"|'[^'\n]*')(?:\s*\.\s*(?:[A-Za-z0-9_-]+|"[^"\n]*"|'[^'\n]*'))*)""",
                       re.M)


def _too_many_key_parts(text: str) -> int | None:
    """The line of the first key (or table header) with more than MAX_KEY_PARTS dotted parts, or None."""
    for match in _KEY_LINE.finditer(text):
        key = re.sub(r'"[^"\n]*"|\'[^\'\n]*\'', "q", match.group(2))
        if key.count(".") >= MAX_KEY_PARTS:
            return text.count("\n", 0, match.start()) + 1
    return None


def _check_values(value, field: str = "", depth: int = 0) -> tuple[str, str] | None:
    """The field and problem of the first value nested too deeply or a number out of bounds, or None."""
    if depth > MAX_NESTING:
        return field or "(file)", f"nested more than {MAX_NESTING} levels deep"
    if isinstance(value, dict):
        items = ((f"{field}.{k}" if field else str(k), v) for k, v in value.items())
    elif isinstance(value, list):
        items = ((f"{field}[{i}]", v) for i, v in enumerate(value))
    else:
        if isinstance(value, (int, float)) and not isinstance(value, bool) and (
                not math.isfinite(value) or abs(value) > MAX_NUMBER):
            return field, f"the number {value!r} is out of bounds: at most {MAX_NUMBER:,.0f} either way"
        return None
    for name, item in items:
        problem = _check_values(item, name, depth + 1)
        if problem:
            return problem
    return None


def load_knowledge_base(directory: str | Path = DEFAULT_GRAPH_DATA) -> KnowledgeBase:
    """Load and validate a knowledge-base folder; raises KnowledgeBaseError naming file and field."""
    root = Path(directory)
    if not root.is_dir():
        raise KnowledgeBaseError(str(root), "(folder)", "the knowledge-base folder does not exist")
    digest = hashlib.sha256()
    files: dict[str, str] = {}

    def read(relative: str, schema: Schema) -> dict:
        path = root / relative
        if not path.is_file():
            raise KnowledgeBaseError(relative, "(file)", "missing file")
        if path.stat().st_size > MAX_FILE_BYTES:
            raise KnowledgeBaseError(relative, "(file)", f"larger than the {MAX_FILE_BYTES // 1024} KB a "
                                                         "knowledge-base file may be")
        with path.open("rb") as handle:
            raw = handle.read(MAX_FILE_BYTES + 1)
        if len(raw) > MAX_FILE_BYTES:
            raise KnowledgeBaseError(relative, "(file)", f"larger than the {MAX_FILE_BYTES // 1024} KB a "
                                                         "knowledge-base file may be")
        digest.update(relative.encode() + b"\0" + raw + b"\0")
        files[relative] = raw.decode("utf-8", errors="replace")
        try:
            text = raw.decode("utf-8")
            line = _too_many_key_parts(text)
            if line is not None:
                raise KnowledgeBaseError(relative, "(syntax)", f"line {line}: a key of more than {MAX_KEY_PARTS} "
                                                               "dotted parts")
            data = tomllib.loads(text)
        except (UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
            raise KnowledgeBaseError(relative, "(syntax)", str(exc)) from None
        except RecursionError:
            raise KnowledgeBaseError(relative, "(syntax)", f"nested more than {MAX_NESTING} levels deep") from None
        problem = _check_values(data)
        if problem:
            raise KnowledgeBaseError(relative, *problem)
        try:
            return schema.load(data)
        except ValidationError as exc:
            field, message = _first_error(exc.messages)
            raise KnowledgeBaseError(relative, field, message) from None

    meta = read("knowledge_base.toml", MetaFileSchema())
    layers = read("layers.toml", LayersFileSchema())["layers"]
    incidents = read("incidents.toml", IncidentsFileSchema())["incidents"]
    service_paths = sorted((root / "services").glob("*.toml"))
    services = [(f"services/{p.name}", read(f"services/{p.name}", ServiceFileSchema())) for p in service_paths]
    # Organisation overlays are optional: a knowledge base without overlays/ simply has none.
    overlay_paths = sorted((root / "overlays").glob("*.toml"))
    overlays = [(f"overlays/{p.name}", read(f"overlays/{p.name}", OverlayFileSchema())) for p in overlay_paths]
    # So are calibrations: an organisation's own effort figures, chosen per profile.
    calibration_paths = sorted((root / "calibrations").glob("*.toml"))
    calibrations = [(f"calibrations/{p.name}", read(f"calibrations/{p.name}", CalibrationFileSchema()))
                    for p in calibration_paths]
    # Optional too: without it, no instance type is taken to bring a GPU.
    families = (read("instance_families.toml", InstanceFamiliesFileSchema())["families"]
                if (root / "instance_families.toml").is_file() else [])
    docs = GraphDocuments(meta=("knowledge_base.toml", meta), layers=("layers.toml", layers),
                          incidents=("incidents.toml", incidents), services=services,
                          digest=digest.hexdigest(), files=files, overlays=overlays, calibrations=calibrations)
    kb = build_knowledge_base(docs)
    return dataclasses.replace(kb, instance_families={row["family"]: row for row in families})


def _first_error(messages, prefix: str = "") -> tuple[str, str]:
    """Flatten marshmallow's nested messages to the first dotted field path and its message."""
    if isinstance(messages, list):
        return prefix or "(file)", "; ".join(str(m) for m in messages)
    key = sorted(messages, key=str)[0]
    value = messages[key]
    if key == "_schema":
        key = ""
    if isinstance(key, int):
        path = f"{prefix}[{key}]"
    elif isinstance(value, dict) and set(value) <= {"key", "value"}:
        # marshmallow's Dict field nests key/value errors below the key
        return _first_error(value.get("value", value.get("key")), f"{prefix}.{key}" if prefix else str(key))
    else:
        path = f"{prefix}.{key}" if prefix and key else (key or prefix)
    return _first_error(value, path)
