"""Saved reports: /reports lists them; /reports/<id> as a page, .pdf for filing, .md as a decision record."""
from __future__ import annotations

from flask import Blueprint, Response, current_app, render_template, request, url_for

from adapters.repository import Assessment

from .assessments import assessment_warnings, page_args_schema, store
from .markdown_report import render_markdown
from .pdf import html_to_pdf
from .problems import ApiProblem
from .report_model import chosen_service, date_text, num, report_model, source_label
from .validation import load_or_422

bp = Blueprint("reports", __name__, url_prefix="/reports")
bp.add_app_template_filter(num, "num")
bp.add_app_template_filter(source_label, "source_label")


def _assessment_or_404(assessment_id: str) -> Assessment:
    assessment = store().get(assessment_id) if len(assessment_id) <= 64 else None
    if assessment is None:
        raise ApiProblem(404, "Report not found", "No saved report has this address. Check the link, or make a new "
                                                  "assessment from the form.")
    return assessment


def _render_report(assessment: Assessment, for_pdf: bool = False) -> str:
    model = report_model(assessment.profile, assessment.result, created_at=assessment.created_at,
                         assessment_id=assessment.id, warnings=assessment_warnings(assessment))
    return render_template("reports/report.html", r=model, for_pdf=for_pdf)


@bp.get("")
def index():
    """Saved reports, newest first, a page at a time."""
    args = load_or_422(page_args_schema, request.args.to_dict())
    page, per_page = args["page"], args["per_page"]
    items, total = store().list(limit=per_page, offset=(page - 1) * per_page)
    rows = [{"id": a.id, "name": a.name, "date_text": date_text(a.created_at), "created_at": a.created_at,
             "chosen": chosen_service(a.result), "version": a.knowledge_base_version} for a in items]
    return render_template("reports/index.html", rows=rows, page=page, per_page=per_page, total=total)


@bp.get("/<assessment_id>")
def report(assessment_id: str):
    """The report of one saved assessment, as a printable page."""
    return _render_report(_assessment_or_404(assessment_id))


@bp.get("/<assessment_id>.pdf")
def report_pdf(assessment_id: str):
    """The same report as a PDF, made from the same HTML with the print stylesheet."""
    assessment = _assessment_or_404(assessment_id)
    pdf = html_to_pdf(_render_report(assessment, for_pdf=True), base_url=request.host_url,
                      static_folder=current_app.static_folder, static_url_path=current_app.static_url_path)
    return Response(pdf, mimetype="application/pdf",
                    headers={"Content-Disposition": f'inline; filename="advisor-report-{assessment.id}.pdf"'})


@bp.get("/<assessment_id>.md")
def report_markdown(assessment_id: str):
    """The report as a Markdown architecture decision record (MADR) for design reviews."""
    assessment = _assessment_or_404(assessment_id)
    text = render_markdown(assessment.profile, assessment.result, created_at=assessment.created_at,
                           assessment_id=assessment.id, warnings=assessment_warnings(assessment),
                           report_url=url_for("reports.report", assessment_id=assessment.id, _external=True))
    return Response(text, mimetype="text/markdown",
                    headers={"Content-Disposition": f'inline; filename="advisor-decision-{assessment.id}.md"'})
