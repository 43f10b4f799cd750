"""Load the knowledge base for the app and check it holds the levels the interfaces rely on."""
from __future__ import annotations

import logging
from pathlib import Path

import click
from flask import Flask
from flask.cli import ScriptInfo

from adapters.graph_files import load_knowledge_base
from advisor import KnowledgeBase, KnowledgeBaseError
from schemas.profile import PROFILE_EXAMPLE

from .profile_form import DEFAULTS

__all__ = ["load_for_app", "load_or_defer", "LEVELS_RELIED_ON"]

log = logging.getLogger("advisor.app")

# The levels the form fills in for a first-time visitor and the API document's example names.
LEVELS_RELIED_ON = {
    "customisation_levels": sorted({DEFAULTS["customisation"], PROFILE_EXAMPLE["customisation"]}),
    "isolation_levels": sorted({DEFAULTS["isolation"], PROFILE_EXAMPLE["isolation"]}),
}


def load_for_app(path: str | Path) -> KnowledgeBase:
    """Load a knowledge base; raises KnowledgeBaseError naming file and field, a missing relied-on level included."""
    kb = load_knowledge_base(path)
    declared = {"customisation_levels": kb.customisation_levels, "isolation_levels": kb.isolation_levels}
    for scale, needed in LEVELS_RELIED_ON.items():
        for level in needed:
            if level not in declared[scale]:
                raise KnowledgeBaseError("knowledge_base.toml", scale,
                                         f"no level {level!r}: the form's defaults and the API's example use it")
    return kb


def _loaded_by_flask_cli() -> bool:
    """True while the `flask` command line builds the app, so `flask kb check` can report a broken knowledge base."""
    ctx = click.get_current_context(silent=True)
    return ctx is not None and ctx.find_object(ScriptInfo) is not None


def load_or_defer(app: Flask) -> KnowledgeBase | None:
    """The app's knowledge base; a broken one stops the server, but the `flask` command line gets to report it.

    Under the command line the error is kept (``advisor.kb_error``) and every request is refused with it.
    """
    try:
        return load_for_app(app.config["GRAPH_DATA"])
    except KnowledgeBaseError as exc:
        if not _loaded_by_flask_cli():
            raise
        log.error("knowledge base invalid, every request will fail: %s", exc)
        app.extensions["advisor.kb_error"] = error = exc

        @app.before_request
        def _refuse():
            raise error

        return None
