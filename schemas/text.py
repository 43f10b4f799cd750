"""A text field that refuses control characters and invisible formatting, shared by every schema that takes
free text."""
import re
import unicodedata

from marshmallow import ValidationError, fields

__all__ = ["PlainText"]

# C0 controls except tab, DEL and C1 controls, and the Unicode line and paragraph separators.
_CONTROLS = r"\x00-\x08\x0a-\x1f\x7f-\x9f\u2028\u2029"
_CONTROL = re.compile(f"[{_CONTROLS}\ud800-\udfff]")


def _format_characters() -> str:
    """Unicode's invisible formatting characters (category Cf) in the Basic Multilingual Plane, as a character
    class: text-direction overrides and isolates (U+202E turns "gpj.exe" round), zero-width spaces, the byte
    order mark, soft hyphens. Zero-width joiner and non-joiner stay allowed: Persian, Indic scripts and emoji
    need them."""
    allowed = {0x200C, 0x200D}
    points = [c for c in range(0x10000) if unicodedata.category(chr(c)) == "Cf" and c not in allowed]
    ranges, start = [], None
    for i, c in enumerate(points):
        start = c if start is None else start
        if i + 1 == len(points) or points[i + 1] != c + 1:
            ranges.append(f"\\u{start:04x}" + (f"-\\u{c:04x}" if c != start else ""))
            start = None
    return "".join(ranges)


_FORMATS = _format_characters()
_FORMAT = re.compile(f"[{_FORMATS}]")


class PlainText(fields.String):
    """A string without control characters or line breaks (a tab is allowed); lone surrogates are refused too."""

    def __init__(self, **kwargs):
        # Stated in the OpenAPI document as a pattern, so clients know before they send.
        kwargs["metadata"] = {"pattern": f"^[^{_CONTROLS}{_FORMATS}]*$", **kwargs.get("metadata", {})}
        super().__init__(**kwargs)

    def _deserialize(self, value, attr, data, **kwargs):
        value = super()._deserialize(value, attr, data, **kwargs)
        if _CONTROL.search(value):
            raise ValidationError("must not contain control characters or line breaks")
        hidden = _FORMAT.search(value)
        if hidden:
            raise ValidationError(f"must not contain invisible formatting or text-direction characters "
                                  f"(U+{ord(hidden.group()):04X} {unicodedata.name(hidden.group(), 'format character')})")
        return value
