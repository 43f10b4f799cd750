"""What the requirements form shows: defaults, labels and error messages keyed by form field name."""
from __future__ import annotations

import re
from collections.abc import Mapping

from werkzeug.datastructures import MultiDict

from advisor.profile import DEFAULT_WEIGHTS

from .messages import field_messages

__all__ = ["DEFAULTS", "LABELS", "WEIGHT_FIELDS", "WEIGHT_NAMES", "changed_values", "form_errors", "field_id",
           "form_value", "form_values", "profile_values"]

# What a first-time visitor sees filled in: a small team without dedicated
# operations staff, the most common case the advisor is asked about.
DEFAULTS = {
    "security_hours_per_month": "20",
    "patching_staff": "0",
    "customisation": "low",
    "isolation": "standard",
    "workload.os": "linux",
    "workload.arch": "",
    "workload.invocation": "",
    "workload.on_ec2": "containers",
    "workload.lambda_package": "zip",
    "overlay": "",
    "calibration": "",
}
# Choices whose blank answer ("any", "nobody else", "the advisor's figures") is what an absent field means too.
_BLANK_CHOICES = ("workload.arch", "workload.invocation", "overlay", "calibration")
# Choices an absent field leaves at their default, which the form shows chosen.
_DEFAULT_CHOICES = ("workload.on_ec2", "workload.lambda_package")

LABELS = {
    "name": "Application name",
    "security_hours_per_month": "Security hours a month",
    "patching_staff": "Patching staff",
    "customisation": "Customisation needed",
    "isolation": "Isolation needed",
    "workload.max_duration_minutes": "Longest single run",
    "workload.memory_gb": "Memory",
    "workload.vcpu": "vCPUs",
    "workload.ephemeral_storage_gb": "Local scratch space",
    "workload.gpu": "Needs a GPU",
    "workload.privileged": "Needs privileged containers or host access",
    "workload.always_on": "Runs as an always-on process",
    "workload.os": "Operating system",
    "workload.arch": "Processor architecture",
    "workload.invocation": "How runs start",
    "workload.daemonsets": "Needs an agent on every node (DaemonSets)",
    "workload.on_ec2": "How the application would run on plain EC2 instances",
    "workload.lambda_package": "How Lambda functions would be packaged",
    "calibration": "Whose effort figures to use",
    "services": "Services to compare",
    "overlay": "Who else runs part of your platform?",
}
# Scoring weights are set through the API; the form carries a saved report's own (hidden) so a re-run keeps them.
WEIGHT_FIELDS = tuple(f"weights.{part}" for part in DEFAULT_WEIGHTS.as_dict())
WEIGHT_NAMES = {name: name.split(".", 1)[1] for name in WEIGHT_FIELDS}

# Plainer words for marshmallow's generic messages, per field; any other
# message (ranges, lengths) is shown as the schema words it.
_PLAINER = {
    "security_hours_per_month": {
        "Missing data for required field.": "Enter how many hours a month the team can spend on security, for example 20.",
        "Not a valid number.": "Enter the hours as a number, for example 20 or 7.5.",
    },
    "patching_staff": {
        "Missing data for required field.": "Enter how many people can patch, for example 0 or 2.",
        "Not a valid integer.": "Enter a whole number of people, for example 0 or 2.",
    },
    "customisation": {"Missing data for required field.": "Choose how much control the team needs."},
    "isolation": {"Missing data for required field.": "Choose the isolation the workload needs."},
}
_NUMBER = "Enter a number, or leave it blank if it does not matter."
# The schema's own rules (ranges, choices, lengths, ids), reworded per field; the first matching rule wins.
# A pattern's groups fill the {…} of its sentence; {field} prefixes match every field under them.
_RANGE = r"Must be greater than (?:or equal to )?(?P<low>[\d.]+) and less than or equal to (?P<high>[\d.]+)\."
_NOT_A_NUMBER = r"(Not a valid number|Special numeric values \(nan or infinity\) are not permitted)\."
_REWORDED = (
    ("security_hours_per_month", _RANGE, "Enter hours from {low} to {high} a month, for example 20."),
    ("security_hours_per_month", _NOT_A_NUMBER, "Enter the hours as a number, for example 20 or 7.5."),
    ("patching_staff", _RANGE, "Enter a number of people from {low} to {high}, for example 0 or 2."),
    ("workload.", _RANGE, "Enter a number above {low} and up to {high}, or leave it blank if it does not matter."),
    ("workload.", _NOT_A_NUMBER, _NUMBER),
    ("weights.", _RANGE, "Enter a weight from {low} to {high}, or leave it blank for the advisor’s own."),
    ("weights.", _NOT_A_NUMBER, "Enter the weight as a number, for example 0.35."),
    ("weights", r"at least one weight must be above zero", "Keep at least one scoring weight above zero."),
    ("name", r"Length must be between \d+ and (?P<high>\d+)\.", "Keep the name to {high} characters or fewer."),
    ("name", r"must not contain (?P<what>.+)", "Remove the {what} from the name."),
    ("overlay", r"unknown overlay '(?P<what>.*)'", "“{what}” is not an arrangement the advisor knows: choose one "
                                                   "of those listed."),
    ("overlay", r"not an overlay id", "Choose one of the arrangements listed."),
    ("calibration", r"unknown calibration '(?P<what>.*)'", "“{what}” is not a set of effort figures the advisor "
                                                           "knows: choose one of those listed."),
    ("calibration", r"not a calibration id", "Choose one of the effort figures listed."),
    ("services", r"unknown service '(?P<what>.*)'", "“{what}” is not a service the advisor knows: tick only "
                                                    "services from the list."),
    ("services", r"not a service id", "Tick only services from the list."),
    ("services", r"each service may be named once", "Tick each service once."),
    ("", r"Must be one of: .*", "Choose one of the answers listed."),
)


def field_id(form_name: str) -> str:
    """The HTML id of a form field: dots become dashes."""
    return "f-" + form_name.replace(".", "-")


def form_values(form: MultiDict) -> dict:
    """The answers as posted, to fill the form in again: every ticked service, blank choices as blank."""
    values = {name: "" for name in _BLANK_CHOICES}
    values.update({name: DEFAULTS[name] for name in _DEFAULT_CHOICES})
    values.update(form.to_dict())
    values["services"] = form.getlist("services")
    return values


def form_value(value) -> str:
    """One saved answer as the form shows it: 20 rather than 20.0, a ticked box as "yes", nothing as blank."""
    if value is True:
        return "yes"
    if value is None or value is False:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def profile_values(profile: Mapping, default_services: list[str]) -> dict:
    """A saved profile as the form's values: every answer, the services it ticked (the default set when it
    named none), and the weights it changed from the advisor's own."""
    values = {name: "" for name in _BLANK_CHOICES}
    values.update({name: DEFAULTS[name] for name in _DEFAULT_CHOICES})
    defaults = DEFAULT_WEIGHTS.as_dict()
    for key, value in profile.items():
        if key in ("workload", "weights"):
            values.update({f"{key}.{k}": form_value(v) for k, v in value.items()
                           if key == "workload" or v != defaults.get(k)})
        elif key != "services":
            values[key] = form_value(value)
    values["services"] = list(profile.get("services") or default_services)
    return values


def changed_values(args: Mapping) -> dict:
    """The answers a link changes (?security_hours_per_month=71): only the form's own fields, services aside."""
    return {name: str(value) for name, value in args.items()
            if (name in LABELS and name != "services") or name in WEIGHT_FIELDS}


def form_errors(messages: dict | list) -> dict[str, list[str]]:
    """marshmallow's messages as {form field name: [plain messages]}; whole-form messages under "_form".

    A message about one item of the services list ("services.2") is shown beside the services question.
    """
    errors: dict[str, list[str]] = {}
    for field, texts in field_messages(messages).items():
        name = "_form" if field == "(body)" else "services" if field.startswith("services.") else field
        errors.setdefault(name, []).extend(_plainer(name, text) for text in texts)
    return errors


def _plainer(field: str, text: str) -> str:
    if text in _PLAINER.get(field, {}):
        return _PLAINER[field][text]
    for prefix, pattern, sentence in _REWORDED:
        matched = re.fullmatch(pattern, text) if field.startswith(prefix) else None
        if matched:
            return sentence.format(**{k: _number_text(v) for k, v in matched.groupdict().items()})
    return text


def _number_text(value: str) -> str:
    """100000 as 100,000; anything that is not a number as it is."""
    try:
        number = float(value)
    except ValueError:
        return value
    return f"{number:,.0f}" if number.is_integer() else f"{number:,g}"
