"""Profile files for the command lines: read one JSON object, or say which file is wrong and why."""
from __future__ import annotations

import os
import stat
from pathlib import Path

import click

from .jsonbody import loads_strict

__all__ = ["MAX_PROFILE_BYTES", "ProfileFileError", "file_kind", "read_profile_file", "shown"]

# A profile is a few kilobytes; the API takes bodies up to 1 MB, and so does the command line.
MAX_PROFILE_BYTES = 1_000_000


def shown(path) -> str:
    """A file name as it is safe to print: control and invisible formatting characters as \\x.. escapes, so a
    name cannot move the cursor, recolour the terminal or reorder the text around it."""
    return "".join(c if c.isprintable() else f"\\x{ord(c):02x}" if ord(c) < 0x100 else f"\\u{ord(c):04x}"
                   for c in str(path))


class ProfileFileError(click.ClickException):
    """A profile file that cannot be read or is not a valid profile; exits with status 1."""

    def __init__(self, path: Path, problem: str):
        super().__init__(f"{shown(path)}: {problem}")


def file_kind(mode: int) -> str:
    """What a file that is not a regular one is, in words."""
    if stat.S_ISDIR(mode):
        return "a folder"
    if stat.S_ISFIFO(mode):
        return "a named pipe (FIFO)"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "not a regular file"


def _read_bytes(path: Path) -> bytes:
    """The file's bytes; only a regular file of at most MAX_PROFILE_BYTES, opened without blocking on a FIFO."""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
    except FileNotFoundError:
        raise ProfileFileError(path, "a link to nothing." if path.is_symlink() else "no such file.") from None
    except OSError as exc:
        raise ProfileFileError(path, f"cannot be read ({exc.strerror or exc}).") from None
    with os.fdopen(fd, "rb") as handle:
        mode = os.fstat(fd).st_mode
        if stat.S_ISDIR(mode):
            raise ProfileFileError(path, "a folder, not a profile file; give the path of one JSON profile.")
        if not stat.S_ISREG(mode):
            raise ProfileFileError(path, f"{file_kind(mode)}, not a profile file; give the path of a JSON file.")
        try:
            raw = handle.read(MAX_PROFILE_BYTES + 1)
        except OSError as exc:
            raise ProfileFileError(path, f"cannot be read ({exc.strerror or exc}).") from None
    if len(raw) > MAX_PROFILE_BYTES:
        raise ProfileFileError(path, f"larger than the {MAX_PROFILE_BYTES:,} bytes a profile may be.")
    return raw


def read_profile_file(path: Path) -> dict:
    """The JSON object a profile file holds; anything else raises ProfileFileError naming the file and why."""
    raw = _read_bytes(path)
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
