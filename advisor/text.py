"""Small helpers that keep the product's sentences clean: one full stop, English lists."""
from __future__ import annotations

__all__ = ["as_sentence", "join_words", "number", "possessive"]


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


def possessive(name: str) -> str:
    """A name owning something: "Amazon EC2's", "Amazon ECS's", but "AWS Lambda Managed Instances'"."""
    return f"{name}'" if name.endswith("s") else f"{name}'s"


def number(value: float) -> str:
    """A figure as a person writes it: 1,234.5 without trailing zeros."""
    return f"{value:,.2f}".rstrip("0").rstrip(".")
