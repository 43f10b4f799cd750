"""The form site: GET / shows the requirements form, POST / saves an assessment and sends the browser to its
report; GET /reports/<id>/edit shows the form filled with a saved report's answers; GET /compare compares two
services layer by layer."""
from __future__ import annotations

from flask import Blueprint, redirect, render_template, request, url_for

from advisor import ProfileError
from schemas.profile_form import profile_form_schema

from . import auth, metrics
from .compare_page import FIELDS as COMPARE_FIELDS
from .compare_page import LABELS as COMPARE_LABELS
from .compare_page import comparison_model, read_compare_form
from .extensions import advisor, documents, knowledge_base
from .profile_form import (DEFAULTS, LABELS, WEIGHT_FIELDS, WEIGHT_NAMES, changed_values, field_id, form_errors,
                           form_values, profile_values)

bp = Blueprint("pages", __name__)


def _render_form(values: dict, errors: dict[str, list[str]], status: int = 200, editing: dict | None = None):
    kb = knowledge_base()
    body = render_template("pages/form.html", values=values, errors=errors, labels=LABELS, field_id=field_id,
                           **documents().form_choices, kb_version=kb.version, editing=editing,
                           weights=[(WEIGHT_NAMES[name], name, values[name]) for name in WEIGHT_FIELDS
                                    if values.get(name)])
    return body, status


@bp.get("/")
def form():
    """The requirements form, filled in with sensible defaults: the default services ticked, nobody else."""
    return _render_form({**DEFAULTS, "services": list(knowledge_base().default_services)}, {})


@bp.get("/reports/<assessment_id>/edit")
def edit(assessment_id: str):
    """The form filled with a saved report's answers, with any answer the query names changed, to run again.

    Under /reports, so reading it needs what reading the report needs; sending it saves a new report.
    """
    assessment = advisor().get(assessment_id)
    values = profile_values(assessment.profile, list(knowledge_base().default_services))
    changed = {name: value for name, value in changed_values(request.args).items() if values.get(name) != value}
    values.update(changed)
    editing = {"id": assessment.id, "name": assessment.profile.get("name"),
               "changed": [LABELS.get(name) or f"the {WEIGHT_NAMES[name]} weight" for name in changed]}
    return _render_form(values, {}, editing=editing)


@bp.post("/")
def submit():
    """Save the assessment and redirect (303) to its report; re-show the form (422) beside any bad field."""
    data = profile_form_schema.load(request.form)
    try:
        assessment, created = advisor().save(data, created_by=auth.created_by())
        if created:
            metrics.assessment_saved()
    except ProfileError as exc:
        return _render_form(form_values(request.form), form_errors(exc.errors), 422)
    return redirect(url_for("reports.report", assessment_id=assessment.id), 303)


@bp.get("/compare")
def compare_page():
    """Compare two services (?from=<id>&to=<id>[&overlay=<id>]); a bad or unknown answer comes back beside its field.

    Without a query the page shows only the form. The comparison is the one GET /api/v1/compare answers.
    """
    kb = knowledge_base()
    values = {name: request.args.get(name, "") for name in COMPARE_FIELDS}
    args, errors, status = read_compare_form(kb, request.args) if any(n in request.args for n in COMPARE_FIELDS) \
        else (None, {}, 200)
    change = comparison_model(kb, advisor().compare(args["from_"], args["to"], args["overlay"])) if args else None
    choices = documents().form_choices
    return render_template("pages/compare.html", values=values, errors=errors, labels=COMPARE_LABELS,
                           field_id=field_id, services=choices["services"], overlays=choices["overlays"],
                           change=change, kb_version=kb.version), status
