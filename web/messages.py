"""marshmallow-style nested field messages, flattened for people to read."""
from __future__ import annotations

__all__ = ["field_paths", "field_messages"]


def field_paths(messages, prefix: str = "") -> list[str]:
    """Dotted paths of every field named in nested messages."""
    if not isinstance(messages, dict):
        return [prefix or "(body)"]
    paths = []
    for key, value in messages.items():
        path = prefix if key == "_schema" else f"{prefix}.{key}" if prefix else str(key)
        paths.extend(field_paths(value, path))
    return paths


def field_messages(messages, prefix: str = "") -> dict[str, list[str]]:
    """Nested messages flattened to {dotted field path: [messages]}."""
    if not isinstance(messages, dict):
        return {prefix or "(body)": [str(m) for m in messages]}
    flat: dict[str, list[str]] = {}
    for key, value in messages.items():
        path = prefix if key == "_schema" else f"{prefix}.{key}" if prefix else str(key)
        for field, texts in field_messages(value, path).items():
            flat.setdefault(field, []).extend(texts)
    return flat
