"""Reading untrusted files safely: size, UTF-8, nesting depth and YAML alias expansion are checked first.

Every failure is a SourceFileError naming the file and saying what is wrong, in words a reviewer can act on.
"""
from __future__ import annotations

import json

import yaml

from ..errors import SourceFileError

__all__ = ["MAX_SOURCE_BYTES", "MAX_DEPTH", "MAX_NODES", "decode", "load_json", "check_yaml", "walk_depth"]

MAX_SOURCE_BYTES = 5_000_000  # a large Terraform plan is a few MB; 5 MB leaves room
MAX_DEPTH = 64  # deeper than any real template, plan or manifest
MAX_NODES = 1_000_000  # values in one file, counting each YAML alias as the whole value it repeats


def decode(name: str, content: str | bytes) -> str:
    """The file's text; too large or not UTF-8 is an error naming the file."""
    if isinstance(content, str):
        try:
            raw = content.encode("utf-8")
        except UnicodeEncodeError as exc:
            raise SourceFileError(name, f"is not valid UTF-8 text (character {exc.start} is a lone surrogate).") from None
    else:
        raw = content
    if len(raw) > MAX_SOURCE_BYTES:
        raise SourceFileError(name, f"is {len(raw):,} bytes; files of at most {MAX_SOURCE_BYTES:,} bytes are read.")
    if isinstance(content, str):
        return content.removeprefix("\ufeff")
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise SourceFileError(name, f"is not valid UTF-8 text (byte {exc.start}).") from None


def load_json(name: str, text: str):
    """Parse JSON; malformed or too deeply nested JSON is an error naming the file and the place."""
    try:
        data = json.loads(text)
    except RecursionError:
        raise SourceFileError(name, f"is nested more than {MAX_DEPTH} levels deep.") from None
    except json.JSONDecodeError as exc:
        raise SourceFileError(name, f"is not valid JSON: {exc.msg} at line {exc.lineno}, column {exc.colno}.") from None
    walk_depth(name, data)
    return data


def walk_depth(name: str, data) -> None:
    """Refuse data nested deeper than MAX_DEPTH (checked without recursion)."""
    stack = [(data, 1)]
    while stack:
        value, depth = stack.pop()
        if depth > MAX_DEPTH:
            raise SourceFileError(name, f"is nested more than {MAX_DEPTH} levels deep.")
        if isinstance(value, dict):
            stack.extend((v, depth + 1) for v in value.values())
        elif isinstance(value, list):
            stack.extend((v, depth + 1) for v in value)


def check_yaml(name: str, text: str) -> None:
    """Walk the YAML event stream before building anything: depth, size and alias expansion within bounds.

    PyYAML's parser is iterative, so a 100,000-level nesting or a billion-laughs document is
    refused here, in linear time, before the (recursive) composer or any loader sees it.
    """
    sizes: dict[str, int] = {}
    stack: list[list] = [[None, 0]]  # [anchor, expanded size] of each open collection; the bottom is the stream
    try:
        for event in yaml.parse(text, Loader=yaml.SafeLoader):
            if isinstance(event, (yaml.MappingStartEvent, yaml.SequenceStartEvent)):
                stack.append([event.anchor, 1])
                if len(stack) - 1 > MAX_DEPTH:
                    raise SourceFileError(name, f"is nested more than {MAX_DEPTH} levels deep.")
            elif isinstance(event, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
                anchor, size = stack.pop()
                if anchor:
                    sizes[anchor] = size
                stack[-1][1] += size
            elif isinstance(event, yaml.ScalarEvent):
                if event.anchor:
                    sizes[event.anchor] = 1
                stack[-1][1] += 1
            elif isinstance(event, yaml.AliasEvent):
                stack[-1][1] += sizes.get(event.anchor, 1)
            else:
                continue
            if stack[0][1] + sum(frame[1] for frame in stack[1:]) > MAX_NODES:
                raise SourceFileError(name, f"expands to more than {MAX_NODES:,} values (YAML aliases repeating "
                                            "aliases, a so-called billion laughs); it is not read.")
    except yaml.MarkedYAMLError as exc:
        raise SourceFileError(name, f"is not valid YAML: {yaml_problem(exc)}") from None
    except yaml.YAMLError as exc:
        raise SourceFileError(name, f"is not valid YAML: {exc}.") from None


def yaml_problem(exc: yaml.MarkedYAMLError) -> str:
    """A YAML error in one line: the problem and where."""
    mark = exc.problem_mark or exc.context_mark
    where = f" at line {mark.line + 1}, column {mark.column + 1}" if mark else ""
    return f"{exc.problem or exc.context or 'malformed'}{where}."
