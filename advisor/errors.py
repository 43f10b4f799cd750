"""The one exception family of the advisor core; the web layer maps each to a status."""

__all__ = ["AdvisorError", "KnowledgeBaseError", "UnknownServiceError", "UnknownOverlayError", "ProfileError",
           "InvalidProfileError", "UnknownAssessmentError", "IdempotencyConflict", "CannotRerunError",
           "SourceFileError"]


class AdvisorError(Exception):
    """Base class of every error the advisor core raises."""


def _messages_text(errors: dict) -> str:
    return "; ".join(f"{k}: {' '.join(v) if isinstance(v, list) else _messages_text(v) if isinstance(v, dict) else v}"
                     for k, v in errors.items())


class KnowledgeBaseError(AdvisorError):
    """The knowledge base is invalid; names the file and the field at fault."""

    def __init__(self, file: str, field: str, message: str):
        self.file = file
        self.field = field
        self.message = message
        super().__init__(f"{file}: {field}: {message}")


class UnknownServiceError(AdvisorError):
    """A service id that the knowledge base does not hold."""

    def __init__(self, service_id: str):
        self.service_id = service_id
        super().__init__(f"unknown service {service_id!r}")


class UnknownOverlayError(AdvisorError):
    """An organisation overlay id that the knowledge base does not hold."""

    def __init__(self, overlay_id: str):
        self.overlay_id = overlay_id
        super().__init__(f"unknown overlay {overlay_id!r}")


class ProfileError(AdvisorError):
    """A profile the core cannot rank; carries field -> messages like a schema error."""

    def __init__(self, errors: dict):
        self.errors = errors
        super().__init__(_messages_text(errors))


class InvalidProfileError(ProfileError):
    """A profile that does not have the profile's shape (a missing field, a bad value, a level the knowledge base
    does not declare); ``errors`` holds the field messages, nested as the profile is.

    ``detail`` replaces the sentence listing the fields at fault, for a profile that is not an object at all.
    """

    def __init__(self, errors: dict, detail: str | None = None):
        super().__init__(errors)
        self.detail = detail


class UnknownAssessmentError(AdvisorError):
    """No saved assessment has this id."""

    def __init__(self, assessment_id: str):
        self.assessment_id = assessment_id
        super().__init__("no assessment has this id")


class IdempotencyConflict(AdvisorError):
    """An idempotency key used before with a different request; ``existing`` is the assessment it belongs to."""

    def __init__(self, existing):
        super().__init__("idempotency key reused with a different request")
        self.existing = existing


class CannotRerunError(AdvisorError):
    """A saved profile the current knowledge base cannot rank (it names what the knowledge base no longer holds)."""

    def __init__(self, errors: dict):
        self.errors = errors
        super().__init__(_messages_text(errors))


class SourceFileError(AdvisorError):
    """An infrastructure-code file that cannot be read: too large, too deep, malformed or not UTF-8.

    ``source`` is the file's name as given, ``index`` its place in the request (when it came in one).
    """

    def __init__(self, source: str, problem: str, index: int | None = None):
        self.source = source
        self.problem = problem
        self.index = index
        super().__init__(f"{source}: {problem}")
