"""Small helpers that keep the product's sentences and figures clean: one full stop, English lists, rounding."""
from __future__ import annotations

import math

__all__ = ["as_sentence", "join_words", "lower_first", "number", "possessive", "plural", "rounded"]


def as_sentence(text: str, *, end: bool = True) -> str:
    """The text with a capital first letter and, when ``end``, exactly one closing full stop.

    With ``end=False`` a closing full stop is taken off, for text another sentence goes on from.
    """
    text = " ".join(text.split())
    if text and text[0].islower():
        text = text[0].upper() + text[1:]
    while text.endswith(".."):
        text = text[:-1]
    stripped = text.removesuffix(".")
    if not end:
        return stripped
    return text if text.endswith(("!", "?")) else f"{stripped}."


def join_words(words: list[str], conjunction: str = "and") -> str:
    """Words joined as English: "a", "a and b", "a, b and c"."""
    words = list(words)
    if not words:
        return ""
    if len(words) == 1:
        return words[0]
    return f"{', '.join(words[:-1])} {conjunction} {words[-1]}"


def lower_first(text: str) -> str:
    """'Server hardware' → 'server hardware' mid-sentence; acronyms ('IAM roles', 'GPU ...') stay as they are."""
    return text if text[1:2].isupper() else text[:1].lower() + text[1:]


def plural(count: int, noun: str) -> str:
    """'1 hard limit', '3 hard limits'."""
    return f"{count} {noun}{'s' if count != 1 else ''}"


def possessive(name: str) -> str:
    """A name owning something: "Amazon EC2's", "Amazon ECS's", but "AWS Lambda Managed Instances'"."""
    return f"{name}'" if name.endswith("s") else f"{name}'s"


def number(value: float) -> str:
    """A figure as a person writes it: 1,234.5 without trailing zeros."""
    return f"{value:,.2f}".rstrip("0").rstrip(".")


_SCALES = (1.0, 10.0, 100.0, 1_000.0, 10_000.0, 100_000.0, 1_000_000.0)


def rounded(value: float, digits: int) -> float:
    """``round(value, digits)`` for a float and 0 to 6 digits: the same float every time, in a fraction of the time.

    round() rounds the exact decimal value of the float, half to even, and returns the float nearest that
    decimal. Scaled by 10**digits, the product is correctly rounded, so it falls on the same side of every
    half-way point as the exact product does, or exactly on one; only then, or for a figure too large for
    the shortcut, is round() itself asked. Dividing the rounded whole number by 10**digits is correctly
    rounded too, so it gives the float nearest the decimal, as round() does; a zero keeps the value's sign.
    """
    scale = _SCALES[digits]
    scaled = value * scale
    if not -1e15 < scaled < 1e15:
        return round(value, digits)
    whole = math.floor(scaled)
    part = scaled - whole
    if part == 0.5:
        return round(value, digits)
    if part > 0.5:
        whole += 1
    if whole == 0:
        return math.copysign(0.0, value)
    return whole / scale
