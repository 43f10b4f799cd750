"""What create_app keeps on the application for the blueprints: the advisor service, its knowledge base and store."""
from __future__ import annotations

from datetime import date, datetime, timezone

from flask import Flask, current_app

from adapters.repository import AssessmentStore
from advisor import KnowledgeBase
from advisor.answers import RecentAnswers
from advisor.service import Advisor
from schemas.profile import profile_parser

from .knowledge_documents import KnowledgeDocuments

__all__ = ["init_app", "advisor", "documents", "knowledge_base", "store", "today"]


def init_app(app: Flask, kb: KnowledgeBase | None, store: AssessmentStore) -> None:
    """Keep the knowledge base, the store and the advisor service built on them.

    kb is None only when the command line builds the app on a broken knowledge base to report it.
    """
    app.extensions["advisor.store"] = store
    if kb is None:
        return
    app.extensions["advisor.kb"] = kb
    app.extensions["advisor.documents"] = KnowledgeDocuments.build(kb, app.json)
    app.extensions["advisor.service"] = Advisor(kb, store, profile_parser(kb), today=lambda: _today(app),
                                                max_age_days=app.config["KB_MAX_AGE_DAYS"],
                                                answers=RecentAnswers(app.config["ANSWER_CACHE_SIZE"]))


def _today(app: Flask) -> date:
    return app.config.get("TODAY") or datetime.now(timezone.utc).date()


def advisor() -> Advisor:
    """The advisor service of the running app."""
    return current_app.extensions["advisor.service"]


def documents() -> KnowledgeDocuments:
    """What the API and the form show of the knowledge base, built when it loaded."""
    return current_app.extensions["advisor.documents"]


def knowledge_base() -> KnowledgeBase:
    """The knowledge base the running app loaded."""
    return current_app.extensions["advisor.kb"]


def store() -> AssessmentStore:
    """The running app's assessment store (reports keep their renderings there too)."""
    return current_app.extensions["advisor.store"]


def today() -> date:
    """Today's date (UTC), or the date the configuration pins as TODAY."""
    return _today(current_app)
