"""The key that signs sessions and CSRF tokens: SECRET_KEY from the environment, else one kept in the instance folder."""
from __future__ import annotations

import os
import secrets
from pathlib import Path

__all__ = ["secret_key"]


def secret_key(instance_path: str) -> str:
    """SECRET_KEY from the environment, else a random key made once and kept (0600) in the instance folder."""
    if os.environ.get("SECRET_KEY"):
        return os.environ["SECRET_KEY"]
    path = Path(instance_path) / "secret_key"
    try:
        return path.read_text().strip()
    except FileNotFoundError:
        pass
    key = secrets.token_hex(32)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:  # another worker made it first
        return path.read_text().strip()
    with os.fdopen(fd, "w") as handle:
        handle.write(key)
    return key
