"""Read graph_data/ from disk, check each file against its schema, and build the knowledge base."""
from __future__ import annotations

import dataclasses
import hashlib
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
        raw = path.read_bytes()
        digest.update(relative.encode() + b"\0" + raw + b"\0")
        files[relative] = raw.decode("utf-8", errors="replace")
        try:
            data = tomllib.loads(raw.decode("utf-8"))
        except (UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
            raise KnowledgeBaseError(relative, "(syntax)", str(exc)) from None
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
