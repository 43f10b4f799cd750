"""Fields that take JSON values as JSON Schema reads them, so the OpenAPI document and the checks agree.

marshmallow is lenient by default: a number field takes the string "20", a
boolean takes 1 or "yes", a strict integer refuses 3.0. The document says
`number`, `boolean` and `integer`, so the API takes exactly those.
"""
from marshmallow import fields

__all__ = ["Number", "WholeNumber", "StrictBoolean"]


class Number(fields.Float):
    """A JSON number: an integer or a decimal, never a string or a boolean."""

    def _deserialize(self, value, attr, data, **kwargs):
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise self.make_error("invalid")
        return super()._deserialize(value, attr, data, **kwargs)


class WholeNumber(fields.Integer):
    """A JSON integer: 3 or 3.0, never 3.5, "3" or true."""

    def __init__(self, **kwargs):
        super().__init__(strict=True, **kwargs)

    def _deserialize(self, value, attr, data, **kwargs):
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        return super()._deserialize(value, attr, data, **kwargs)


class StrictBoolean(fields.Boolean):
    """true or false, never 1, 0 or "yes"."""

    def _deserialize(self, value, attr, data, **kwargs):
        if value is True or value is False:
            return value
        raise self.make_error("invalid", input=value)
