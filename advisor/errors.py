"""The one exception family of the advisor core; the web layer maps each to a status."""

__all__ = ["AdvisorError", "KnowledgeBaseError", "UnknownServiceError", "ProfileError", "SourceFileError"]


class AdvisorError(Exception):
    """Base class of every error the advisor core raises."""


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


class ProfileError(AdvisorError):
    """A profile the core cannot rank; carries field -> messages like a schema error."""

    def __init__(self, errors: dict[str, list[str]]):
        self.errors = errors
        super().__init__("; ".join(f"{k}: {' '.join(v)}" for k, v in errors.items()))


class SourceFileError(AdvisorError):
    """An infrastructure-code file that cannot be read: too large, too deep, malformed or not UTF-8.

    ``source`` is the file's name as given, ``index`` its place in the request (when it came in one).
    """

    def __init__(self, source: str, problem: str, index: int | None = None):
        self.source = source
        self.problem = problem
        self.index = index
        super().__init__(f"{source}: {problem}")
