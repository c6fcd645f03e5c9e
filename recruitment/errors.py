"""Domain errors raised by services. They know nothing of HTTP; recruitment/api maps them."""

from collections.abc import Sequence
from dataclasses import dataclass


class DomainError(Exception):
    """Base of the errors a caller can act on."""

    def __init__(self, detail: str) -> None:
        super().__init__(detail)
        self.detail = detail


class NotFound(DomainError):
    """The record doesn't exist, or the caller may not know that it does."""


class Forbidden(DomainError):
    """The caller's role may not do this."""


class Unauthenticated(DomainError):
    """No credentials, or credentials that are unknown or revoked."""


class Conflict(DomainError):
    """The write contradicts a record that exists (a duplicate, a different person)."""


class PreconditionFailed(DomainError):
    """The caller's copy is stale (If-Match no longer matches)."""


class PreconditionRequired(DomainError):
    """An update came without If-Match: refusing it protects against lost updates."""


class UnsupportedMediaType(DomainError):
    """The body is not in a media type the operation reads."""


class MalformedBody(DomainError):
    """The body can't be read as the operation's media type (or would harm the reader)."""


class ServiceUnavailable(DomainError):
    """A dependency (the database, the PDF renderer) can't serve now; retrying later may work."""


@dataclass(frozen=True)
class FieldProblem:
    field: str  # dotted path, e.g. "terms.worksites.0.state"
    message: str
    source: str = "body"  # where the field was sent: body, query, path or header


class InvalidInput(DomainError):
    """Input that is well-formed but wrong: the problem lists every offending field."""

    def __init__(self, detail: str, problems: Sequence[FieldProblem] = ()) -> None:
        super().__init__(detail)
        self.problems = tuple(problems)

    @classmethod
    def of_field(cls, field: str, message: str, source: str = "body") -> "InvalidInput":
        return cls(message, [FieldProblem(field, message, source)])
