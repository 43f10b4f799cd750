"""The application service: every operation the API, the form, the reports and the command lines need.

Plain values in, plain values out, and only the core's own errors raised, so "a bad profile" or "an
unknown assessment" is decided here once and mapped to HTTP in one place (web/problems.py). The
service does not parse requests itself: it is given a ``parse_profile`` callable (the schema layer's,
bound to this knowledge base's vocabulary) that turns a profile as sent into a ``Profile`` or raises
``InvalidProfileError``.
"""
from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, timezone
from typing import Any, Protocol

from .answers import RecentAnswers
from .compare import compare
from .errors import (
    CannotRerunError, InvalidProfileError, ProfileError, UnknownAssessmentError, UnknownOverlayError,
)
from .model import KnowledgeBase
from .profile import Profile, profile_as_dict
from .ranking import rank
from .rerun import compare_results
from .snapshot import snapshot_for
from .staleness import staleness_warning

__all__ = ["Advisor", "AssessmentRepository", "ProfileParser", "not_an_object"]

ProfileParser = Callable[[Any], Profile]



def not_an_object() -> InvalidProfileError:
    """What a profile that is not a JSON object at all is told, in every interface."""
    return InvalidProfileError({"_schema": ["Not a JSON object."]}, "A profile must be a JSON object.")

_ASSESSMENT_ID = re.compile(r"[0-9a-f]{32}")


class AssessmentRepository(Protocol):
    """Where saved assessments live (adapters/repository.py's AssessmentStore)."""

    def add(self, profile: dict, result: dict, knowledge_base_version: str, *, idempotency_key: str | None = None,
            request_hash: str | None = None, created_by: str | None = None) -> tuple[Any, bool]: ...

    def get(self, assessment_id: str) -> Any | None: ...

    def list(self, limit: int, offset: int, **only) -> tuple[list, int]: ...


def _utc_today() -> date:
    return datetime.now(timezone.utc).date()


@dataclass(frozen=True)
class Advisor:
    """The advisor's operations on one knowledge base and one assessment store.

    ``today`` gives the date staleness is judged on (tests pin it); ``max_age_days`` is how old the
    knowledge an answer rests on may be before the answer warns.
    """

    kb: KnowledgeBase
    store: AssessmentRepository
    parse_profile: ProfileParser
    today: Callable[[], date] = field(default=_utc_today)
    max_age_days: int = 180
    answers: RecentAnswers = field(default_factory=RecentAnswers, compare=False, repr=False)

    def profile(self, data: Any) -> Profile:
        """The profile as sent, checked against the shape and this knowledge base's vocabulary."""
        if not isinstance(data, Mapping):
            raise not_an_object()
        profile = self.parse_profile(data)
        errors = {}
        if profile.customisation not in self.kb.customisation_levels:
            errors["customisation"] = [f"Must be one of: {', '.join(self.kb.customisation_levels)}."]
        if profile.isolation not in self.kb.isolation_levels:
            errors["isolation"] = [f"Must be one of: {', '.join(self.kb.isolation_levels)}."]
        if errors:
            raise InvalidProfileError(errors)
        return profile

    def warnings(self, reviewed_on: date | None = None) -> list[dict]:
        """What every answer carries: a staleness warning when the knowledge it rests on is older than allowed.

        reviewed_on is the review date of that knowledge; the current knowledge base's when left out.
        """
        warning = staleness_warning(reviewed_on or self.kb.reviewed_on, self.today(), self.max_age_days)
        return [warning] if warning else []

    def recommend(self, data: Any, *, with_knowledge: bool = False) -> dict:
        """Rank a profile; the shape every recommendation has, with the knowledge snapshot reports need on request."""
        profile = self.profile(data)
        as_sent = profile_as_dict(profile)
        result = self.answers.rank(self.kb, profile, as_sent).as_dict()
        result["profile"] = as_sent
        result["warnings"] = result["warnings"] + self.warnings()
        if with_knowledge:
            result["knowledge"] = self._snapshot(result, profile)
        return result

    def batch(self, profiles: Iterable[Any]) -> Iterator[dict | ProfileError]:
        """One outcome per profile, in order: its recommendation, or the ProfileError that refused it."""
        for data in profiles:
            try:
                yield self.recommend(data)
            except ProfileError as exc:
                yield exc

    def save(self, data: Any, idempotency_key: str | None = None, created_by: str | None = None) -> tuple[Any, bool]:
        """Rank a profile and store it with its knowledge snapshot; returns the assessment and whether it is new.

        created_by names the client saving it (None where the service is open to all). A retry with an
        idempotency key this client already used for the same profile returns the first assessment; used
        for another profile, it raises IdempotencyConflict and nothing is stored. Keys never cross clients.
        """
        profile = self.profile(data)
        as_sent = profile_as_dict(profile)
        result = self.answers.rank(self.kb, profile, as_sent).as_dict()
        result["knowledge"] = self._snapshot(result, profile)
        request_hash = hashlib.sha256(json.dumps(data, sort_keys=True).encode()).hexdigest() if idempotency_key else None
        return self.store.add(as_sent, result, self.kb.version,
                              idempotency_key=idempotency_key, request_hash=request_hash, created_by=created_by)

    def get(self, assessment_id: str) -> Any:
        """The saved assessment with this id, exactly as saved."""
        assessment = self.store.get(assessment_id) if _ASSESSMENT_ID.fullmatch(assessment_id) else None
        if assessment is None:
            raise UnknownAssessmentError(assessment_id)
        return assessment

    def page(self, page: int, per_page: int, created_by: str | None = None, name: str | None = None,
             ) -> tuple[list, int]:
        """One page of saved assessments, newest first, and how many there are; only created_by's when given, and
        only applications whose name contains ``name`` when given."""
        only = {"created_by": created_by} if created_by is not None else {}
        return self.store.list(limit=per_page, offset=(page - 1) * per_page, name_contains=name, **only)

    def assessment_warnings(self, assessment: Any) -> list[dict]:
        """The warnings a saved assessment carries today: those its ranking gave (capacity, limits), and
        staleness judged by the knowledge it was made with."""
        reviewed = (assessment.result.get("knowledge") or {}).get("reviewed_on")
        own = [w for w in assessment.result.get("warnings", []) if w.get("type", "knowledge") != "knowledge"]
        return own + self.warnings(date.fromisoformat(reviewed) if reviewed else None)

    def rerun(self, assessment_id: str) -> dict:
        """Rank a saved profile again on the current knowledge base and say what changed; nothing is stored."""
        assessment = self.get(assessment_id)
        try:
            profile = self.profile(assessment.profile)
            recommendation = rank(self.kb, profile).as_dict()
        except ProfileError as exc:
            raise CannotRerunError(exc.errors) from None
        recommendation["knowledge"] = self._snapshot(recommendation, profile)
        body = compare_results(assessment.result, recommendation)
        body["knowledge_base_version"]["old"] = assessment.knowledge_base_version
        del recommendation["knowledge"]
        recommendation["profile"] = profile_as_dict(profile)
        recommendation["warnings"] = recommendation["warnings"] + self.warnings()
        body.update(assessment_id=assessment.id, recommendation=recommendation, warnings=recommendation["warnings"])
        return body

    def compare(self, from_id: str, to_id: str, overlay: str | None = None) -> dict:
        """What moves between the team and AWS going from one service to another (see advisor.compare)."""
        if overlay is not None and overlay not in self.kb.overlays:
            raise UnknownOverlayError(overlay)
        return compare(self.kb, from_id, to_id, overlay)

    def _snapshot(self, result: dict, profile: Profile) -> dict:
        services = tuple(entry["service"] for entry in result["ranking"])
        return snapshot_for(self.kb, services, profile_as_dict(profile))
