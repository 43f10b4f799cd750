"""The requirements form as posted, read into the profile dict that ProfileSchema validates.

The form sends flat text fields (the workload ones named ``workload.<field>``)
and one ``services`` field per ticked service. This schema only reshapes
them: blanks are left out (an "any" choice and "nobody else" are blank),
numbers that look like numbers become numbers, ticked boxes become true, the
ticked services a list (none ticked: left out, so the default set is
ranked). Every rule about what a valid profile is stays in ProfileSchema,
the one the API uses, so the form and the API can never disagree.
"""
from __future__ import annotations

import re

from marshmallow import EXCLUDE, Schema, fields, post_load, pre_load

__all__ = ["ProfileFormSchema", "profile_form_schema", "NUMBER_FIELDS", "INTEGER_FIELDS", "FLAG_FIELDS",
           "CHOICE_FIELDS", "LIST_FIELDS"]

NUMBER_FIELDS = ("security_hours_per_month", "workload.max_duration_minutes", "workload.memory_gb",
                 "workload.vcpu", "workload.ephemeral_storage_gb", "weights.burden", "weights.patching",
                 "weights.customisation", "weights.isolation", "weights.simplicity")
INTEGER_FIELDS = ("patching_staff",)
FLAG_FIELDS = ("workload.gpu", "workload.privileged", "workload.always_on", "workload.daemonsets")
CHOICE_FIELDS = ("customisation", "isolation", "workload.os", "workload.arch", "workload.invocation",
                 "workload.on_ec2", "workload.lambda_package", "overlay", "calibration")
LIST_FIELDS = ("services",)

_DECIMAL = re.compile(r"[+-]?(\d{1,30}(\.\d*)?|\.\d+)([eE][+-]?\d{1,4})?")
_INTEGER = re.compile(r"[+-]?\d{1,12}")


def _text(description: str, name: str | None = None) -> fields.String:
    return fields.String(data_key=name, metadata={"description": description})


class ProfileFormSchema(Schema):
    """The requirements form (application/x-www-form-urlencoded); ProfileSchema then validates the result."""

    class Meta:
        unknown = EXCLUDE  # the CSRF token and the submit button

    name = _text("A label for the application.")
    security_hours_per_month = _text("Hours a month the team can spend on security work.")
    patching_staff = _text("People who can patch operating systems and runtimes (a whole number).")
    customisation = _text("none, low, medium or high.")
    isolation = _text("standard, strong or dedicated.")
    max_duration_minutes = _text("Longest single run, in minutes.", "workload.max_duration_minutes")
    memory_gb = _text("Memory one run or task needs, in GB.", "workload.memory_gb")
    vcpu = _text("vCPUs one run or task needs.", "workload.vcpu")
    ephemeral_storage_gb = _text("Local scratch space one run needs, in GB.", "workload.ephemeral_storage_gb")
    gpu = _text("Present when the workload needs a GPU.", "workload.gpu")
    privileged = _text("Present when it needs privileged containers or host access.", "workload.privileged")
    always_on = _text("Present when it runs as a process that never stops.", "workload.always_on")
    os = _text("linux or windows.", "workload.os")
    arch = _text("x86_64 or arm64; blank for any.", "workload.arch")
    invocation = _text("sync or async; blank for any.", "workload.invocation")
    daemonsets = _text("Present when it needs an agent on every node (DaemonSets).", "workload.daemonsets")
    on_ec2 = _text("application, containers or kubernetes.", "workload.on_ec2")
    lambda_package = _text("zip or image.", "workload.lambda_package")
    calibration = _text("An effort calibration's id; blank for the advisor's own figures.")
    services = fields.List(fields.String(),
                           metadata={"description": "One per ticked service id; none for the default set."})
    overlay = _text("An organisation overlay's id; blank when nobody else runs part of the platform.")
    # A saved report's scoring weights, carried when its answers are changed and sent again.
    weight_burden = _text("Weight of the team's hours; blank for the advisor's own.", "weights.burden")
    weight_patching = _text("Weight of patching staff; blank for the advisor's own.", "weights.patching")
    weight_customisation = _text("Weight of customisation; blank for the advisor's own.", "weights.customisation")
    weight_isolation = _text("Weight of isolation; blank for the advisor's own.", "weights.isolation")
    weight_simplicity = _text("Weight of simplicity; blank for the advisor's own.", "weights.simplicity")

    @pre_load
    def _repeated_fields_as_lists(self, data, **kwargs):
        """A posted form (a MultiDict) gives each field's first value; the ticked services are all of them."""
        if hasattr(data, "getlist"):
            flat = data.to_dict()
            for name in LIST_FIELDS:
                if name in data:
                    flat[name] = data.getlist(name)
            return flat
        return data

    @post_load
    def _to_profile_dict(self, data: dict, **kwargs) -> dict:
        by_form_name = {self.fields[key].data_key or key: value for key, value in data.items()}
        profile: dict = {}
        for form_name, raw in by_form_name.items():
            value = _convert(form_name, raw)
            if value is None:
                continue
            group, _, field = form_name.rpartition(".")
            (profile.setdefault(group, {}) if group else profile)[field] = value
        return profile


def _convert(form_name: str, raw: str):
    """The typed value of one field, or None when it was left blank or unticked."""
    if form_name in LIST_FIELDS:
        items = [item.strip() for item in raw if item.strip()]
        return items or None
    text = raw.strip()
    if form_name in FLAG_FIELDS:
        return True if text else None
    if not text:
        return None
    # Anything that does not look like a number is passed on as typed, so the
    # profile schema's own message ("Not a valid number.") names the field.
    if form_name in NUMBER_FIELDS and _DECIMAL.fullmatch(text):
        return float(text)
    if form_name in INTEGER_FIELDS and _INTEGER.fullmatch(text):
        return int(text)
    return text


profile_form_schema = ProfileFormSchema()
