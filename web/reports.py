"""Saved reports: /reports lists them; /reports/<id> as a page, .pdf for filing, .md as a decision record.

A saved report renders only from its stored assessment and knowledge snapshot, so each format is rendered
once and the bytes are stored (the report_renders table) and served from then on. The key of a rendering
is a digest of what shapes it, taken at start-up (templates, stylesheets and the rendering code), plus the
staleness warning as of today and the configured public URL; nothing a request sends changes it. A render
the worker timeout interrupted is never kept, and one report and format renders once at a time
(web/render_guard.py).
"""
from __future__ import annotations

import hashlib
import json
import logging
import time
from collections.abc import Callable
from pathlib import Path

from flask import Blueprint, Flask, Response, current_app, render_template, request, url_for

from adapters.repository import Assessment
from advisor.text import join_words
from schemas.assessment import page_args_schema

from . import auth, metrics, public_url, render_guard
from .extensions import advisor, store
from .charts import svg_data_uri
from .markdown_report import record_filename, render_markdown
from .pdf import html_to_pdf, resume_owed_collection
from .report_model import chosen_service, fits_capacity, date_text, num, report_model, source_label
from .validation import load_or_422

bp = Blueprint("reports", __name__, url_prefix="/reports")
bp.before_app_request(resume_owed_collection)
bp.add_app_template_filter(num, "num")
bp.add_app_template_filter(source_label, "source_label")
bp.add_app_template_filter(svg_data_uri, "svg_data_uri")
bp.add_app_template_filter(join_words, "words")  # "a", "a and b", "a, b and c"
log = logging.getLogger("advisor.reports")

# What templates/base.html links for the screen and for print, in the same order.
PDF_STYLESHEETS = ("css/site.css", "css/print.css")
_RENDERING_MODULES = ("report_model.py", "charts.py", "owners.py", "markdown_report.py", "pdf.py", "reports.py",
                      "profile_form.py")


def render_digest(app: Flask) -> str:
    """A digest of everything that shapes a report's bytes: a deploy that changes any of it renders anew."""
    templates, static, web = Path(app.root_path, app.template_folder), Path(app.static_folder), Path(__file__).parent
    files = [*sorted(p for p in (templates / "reports").rglob("*") if p.is_file()), templates / "base.html",
             *sorted(p for p in (static / "css").rglob("*") if p.is_file()), *(web / m for m in _RENDERING_MODULES)]
    digest = hashlib.sha256()
    for path in files:
        digest.update(f"{path.relative_to(path.parents[1])}\0{path.stat().st_size}\0".encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


def _render_key(fmt: str, warnings: list[dict]) -> str:
    """The app's render digest with today's warnings and the public URL (links in PDFs and records use it)."""
    varying = json.dumps([current_app.extensions["advisor.render_key"], fmt, public_url.base(), warnings],
                         sort_keys=True)
    return hashlib.sha256(varying.encode()).hexdigest()


def _cached(assessment: Assessment, fmt: str, render: Callable[[list[dict]], str | bytes]) -> bytes:
    """The stored rendering of this report, or a fresh one, stored for next time; storing never fails a reply."""
    warnings = advisor().assessment_warnings(assessment)
    key = _render_key(fmt, warnings)
    body = store().get_render(assessment.id, fmt, key)
    if body is not None:
        return body
    wait = current_app.config["RENDER_WAIT"]
    with render_guard.one_at_a_time(current_app.instance_path, f"{assessment.id}.{fmt}", wait=wait):
        body = store().get_render(assessment.id, fmt, key)  # rendered by another worker while this one waited
        if body is not None:
            return body
        started = time.monotonic()
        outcome = "failed"
        try:
            body = render_guard.whole_render(lambda: _as_bytes(render(warnings)))
            outcome = "stored"
        except SystemExit:
            outcome = "interrupted"
            raise
        finally:
            metrics.render_observed(fmt, time.monotonic() - started, outcome)
        return _store(assessment, fmt, key, body)


def _as_bytes(body: str | bytes) -> bytes:
    return body.encode() if isinstance(body, str) else body


def _store(assessment: Assessment, fmt: str, key: str, body: bytes) -> bytes:
    try:
        return store().put_render(assessment.id, fmt, key, body)
    except Exception:  # noqa: BLE001 - a full disk or a lost connection costs a re-render next time, not this reply
        log.warning("could not store the %s rendering of report %s", fmt, assessment.id, exc_info=True)
        return body


def _render_report(assessment: Assessment, warnings: list[dict], for_pdf: bool = False) -> str:
    model = report_model(assessment.profile, assessment.result, created_at=assessment.created_at,
                         assessment_id=assessment.id, warnings=warnings)
    return render_template("reports/report.html", r=model, for_pdf=for_pdf)


@bp.get("")
def index():
    """Saved reports, newest first, a page at a time."""
    args = load_or_422(page_args_schema, request.args.to_dict())
    page, per_page, name = args["page"], args["per_page"], args["name"] or ""
    items, total = advisor().page(page, per_page, created_by=auth.list_owner(), name=name or None)
    rows = [list_row(a) for a in items]
    pages = max(1, -(-total // per_page))
    return render_template("reports/index.html", rows=rows, page=page, pages=pages, per_page=per_page, total=total,
                           name=name)


def list_row(assessment: Assessment) -> dict:
    """What the list of saved reports shows of one: its first place, how firm that is and whether the team fits."""
    result = assessment.result
    robustness = result.get("robustness") or {}
    return {"id": assessment.id, "name": assessment.name, "date_text": date_text(assessment.created_at),
            "created_at": assessment.created_at, "chosen": chosen_service(result),
            "firmness": str(robustness.get("label", "")).capitalize(),
            "fits": fits_capacity(result),
            "version": assessment.knowledge_base_version}


@bp.get("/<assessment_id>")
def report(assessment_id: str):
    """The report of one saved assessment, as a printable page."""
    assessment = advisor().get(assessment_id)
    return Response(_cached(assessment, "html", lambda warnings: _render_report(assessment, warnings)),
                    mimetype="text/html")


@bp.get("/<assessment_id>.pdf")
def report_pdf(assessment_id: str):
    """The same report as a PDF, made from the same HTML with the print stylesheet."""
    assessment = advisor().get(assessment_id)
    pdf = _cached(assessment, "pdf", lambda warnings: html_to_pdf(
        _render_report(assessment, warnings, for_pdf=True), base_url=public_url.origin() + "/",
        static_folder=current_app.static_folder, static_url_path=request.script_root + current_app.static_url_path,
        stylesheets=PDF_STYLESHEETS))
    return Response(pdf, mimetype="application/pdf",
                    headers={"Content-Disposition": f'inline; filename="advisor-report-{assessment.id}.pdf"'})


@bp.get("/<assessment_id>.md")
def report_markdown(assessment_id: str):
    """The report as a Markdown architecture decision record (MADR), downloaded under the name a team commits."""
    assessment = advisor().get(assessment_id)
    text = _cached(assessment, "md", lambda warnings: render_markdown(
        assessment.profile, assessment.result, created_at=assessment.created_at, assessment_id=assessment.id,
        warnings=warnings, report_url=public_url.link(url_for("reports.report", assessment_id=assessment.id)),
        pdf_url=public_url.link(url_for("reports.report_pdf", assessment_id=assessment.id)),
        deciders=assessment.created_by))
    filename = record_filename(assessment.profile.get("name"), assessment.created_at)
    return Response(text, mimetype="text/markdown",
                    headers={"Content-Disposition": f'attachment; filename="{filename}"'})
