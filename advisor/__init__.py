"""The advisor core: the responsibility graph, the ranking and its explanations.

Imports no web framework and no validation library: it takes the knowledge
base and plain values and returns plain values.

``CORE`` says whether the ranking modules run compiled (scripts/build_core.py) or from their sources.
"""
from .compiled import use_compiled

CORE = use_compiled(__path__)

from .errors import (
    AdvisorError, CannotRerunError, IdempotencyConflict, InvalidProfileError, KnowledgeBaseError, ProfileError,
    UnknownAssessmentError, UnknownOverlayError, UnknownServiceError,
)
from .knowledge import GraphDocuments, build_knowledge_base
from .model import KnowledgeBase
from .profile import DEFAULT_WEIGHTS, Profile, Weights, Workload, profile_as_dict
from .ranking import Recommendation, rank

__all__ = [
    "CORE", "AdvisorError", "KnowledgeBaseError", "ProfileError", "InvalidProfileError", "UnknownServiceError",
    "UnknownOverlayError", "UnknownAssessmentError", "IdempotencyConflict", "CannotRerunError", "GraphDocuments",
    "build_knowledge_base", "KnowledgeBase", "DEFAULT_WEIGHTS", "Profile", "Weights", "Workload", "profile_as_dict",
    "Recommendation", "rank",
]
