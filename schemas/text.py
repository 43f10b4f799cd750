"""A text field that refuses control characters, shared by every schema that takes free text."""
import re

from marshmallow import ValidationError, fields

__all__ = ["PlainText"]

_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029]")


class PlainText(fields.String):
    """A string without control characters; tabs and newlines are kept out too, except a tab."""

    @staticmethod
    def is_plain(value: str) -> bool:
        """True when the text holds no control character and no line break."""
        return not (_CONTROL.search(value) or "\n" in value)

    def _deserialize(self, value, attr, data, **kwargs):
        value = super()._deserialize(value, attr, data, **kwargs)
        if not self.is_plain(value):
            raise ValidationError("must not contain control characters or line breaks")
        return value
