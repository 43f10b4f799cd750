"""Profile files for the command lines: read one JSON object, or say which file is wrong and why."""
from __future__ import annotations

from pathlib import Path

import click

from .jsonbody import loads_strict

__all__ = ["ProfileFileError", "read_profile_file"]


class ProfileFileError(click.ClickException):
    """A profile file that cannot be read or is not a valid profile; exits with status 1."""

    def __init__(self, path: Path, problem: str):
        super().__init__(f"{path}: {problem}")


def read_profile_file(path: Path) -> dict:
    """The JSON object a profile file holds; anything else raises ProfileFileError naming the file and why."""
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise ProfileFileError(path, "no such file.") from None
    except IsADirectoryError:
        raise ProfileFileError(path, "a folder, not a profile file; give the path of one JSON profile.") from None
    except OSError as exc:
        raise ProfileFileError(path, f"cannot be read ({exc.strerror or exc}).") from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ProfileFileError(path, f"not UTF-8 text (byte {exc.start}).") from None
    try:
        data = loads_strict(text)
    except ValueError as exc:
        raise ProfileFileError(path, f"{exc}.") from None
    if not isinstance(data, dict):
        raise ProfileFileError(path, "not a profile: the file must hold one JSON object.")
    return data
