"""A text field that refuses control characters, shared by every schema that takes free text."""
import re

from marshmallow import ValidationError, fields

__all__ = ["PlainText"]

# C0 controls except tab, DEL and C1 controls, and the Unicode line and paragraph separators.
_CONTROLS = r"\x00-\x08\x0a-\x1f\x7f-\x9f\u2028\u2029"
_CONTROL = re.compile(f"[{_CONTROLS}\ud800-\udfff]")


class PlainText(fields.String):
    """A string without control characters or line breaks (a tab is allowed); lone surrogates are refused too."""

    def __init__(self, **kwargs):
        # Stated in the OpenAPI document as a pattern, so clients know before they send.
        kwargs["metadata"] = {"pattern": f"^[^{_CONTROLS}]*$", **kwargs.get("metadata", {})}
        super().__init__(**kwargs)

    def _deserialize(self, value, attr, data, **kwargs):
        value = super()._deserialize(value, attr, data, **kwargs)
        if _CONTROL.search(value):
            raise ValidationError("must not contain control characters or line breaks")
        return value
