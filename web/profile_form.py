"""What the requirements form shows: defaults, labels and error messages keyed by form field name."""
from __future__ import annotations

from werkzeug.datastructures import MultiDict

from .messages import field_messages

__all__ = ["DEFAULTS", "LABELS", "form_errors", "field_id", "form_values"]

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
    "workload.daemonsets": "Needs Kubernetes DaemonSets",
    "workload.on_ec2": "How the application would run on plain EC2 instances",
    "workload.lambda_package": "How Lambda functions would be packaged",
    "calibration": "Whose effort figures to use",
    "services": "Services to compare",
    "overlay": "Who else runs part of your platform?",
}

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
    if field.startswith("workload.") and text == "Not a valid number.":
        return _NUMBER
    return _PLAINER.get(field, {}).get(text, text)
