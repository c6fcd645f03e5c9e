"""RFC 9457 problem documents: the one place where errors become HTTP responses."""

import logging
from http import HTTPStatus
from typing import Any

from litestar import Request, Response
from litestar.exceptions import HTTPException, ValidationException
from litestar.openapi.datastructures import ResponseSpec
from pydantic import BaseModel, Field
from sqlalchemy.exc import IntegrityError

from recruitment.api.request_ids import request_id_of
from recruitment.database import unavailable
from recruitment.errors import (
    Conflict,
    DomainError,
    FieldProblem,
    Forbidden,
    InvalidInput,
    MalformedBody,
    NotFound,
    PreconditionFailed,
    PreconditionRequired,
    ServiceUnavailable,
    Unauthenticated,
    UnsupportedMediaType,
)

PROBLEM_MEDIA_TYPE = "application/problem+json"
log = logging.getLogger(__name__)
# When the database is out of reach: a restart or a failover takes seconds.
TRY_AGAIN_SOON = {"Retry-After": "5"}

STATUS_OF: dict[type[DomainError], HTTPStatus] = {
    InvalidInput: HTTPStatus.UNPROCESSABLE_ENTITY,
    NotFound: HTTPStatus.NOT_FOUND,
    Forbidden: HTTPStatus.FORBIDDEN,
    Unauthenticated: HTTPStatus.UNAUTHORIZED,
    Conflict: HTTPStatus.CONFLICT,
    PreconditionFailed: HTTPStatus.PRECONDITION_FAILED,
    PreconditionRequired: HTTPStatus.PRECONDITION_REQUIRED,
    ServiceUnavailable: HTTPStatus.SERVICE_UNAVAILABLE,
    UnsupportedMediaType: HTTPStatus.UNSUPPORTED_MEDIA_TYPE,
    MalformedBody: HTTPStatus.BAD_REQUEST,
}


class FieldError(BaseModel):
    field: str = Field(description="Dotted path of the offending field, e.g. `terms.wage_offer`.")
    message: str
    source: str = Field(default="body", description="body, query, path or header")


class ProblemDocument(BaseModel):
    """An error, as RFC 9457 describes it."""

    type: str = "about:blank"
    title: str
    status: int
    detail: str
    instance: str | None = None
    request_id: str | None = None
    errors: list[FieldError] = Field(default_factory=list)


def problem(
    request: Request[Any, Any, Any],
    status: HTTPStatus,
    detail: str,
    errors: list[FieldError] | None = None,
    headers: dict[str, str] | None = None,
) -> Response[Any]:
    document = ProblemDocument(
        title=status.phrase,
        status=status.value,
        detail=detail,
        instance=request.url.path,
        request_id=request_id_of(request),
        errors=errors or [],
    )
    return Response(
        document, status_code=status.value, media_type=PROBLEM_MEDIA_TYPE, headers=headers
    )


def _domain_error(request: Request[Any, Any, Any], error: DomainError) -> Response[ProblemDocument]:
    status = next(code for kind, code in STATUS_OF.items() if isinstance(error, kind))
    problems: tuple[FieldProblem, ...] = getattr(error, "problems", ())
    headers = {"WWW-Authenticate": "Bearer"} if isinstance(error, Unauthenticated) else None
    return problem(
        request,
        status,
        error.detail,
        [FieldError(field=p.field, message=p.message, source=p.source) for p in problems],
        headers,
    )


def _source_of(item: dict[str, Any]) -> str:
    """Where Litestar found the field: its ParamType (query, path, header, cookie) for a
    parameter, nothing for the body."""
    source = item.get("source")
    return str(getattr(source, "value", source) or "body")


def _validation_error(
    request: Request[Any, Any, Any], error: ValidationException
) -> Response[ProblemDocument]:
    extra = error.extra if isinstance(error.extra, list) else []
    errors = [
        FieldError(
            field=str(item.get("key") or "body"),
            message=str(item.get("message", "invalid")),
            source=_source_of(item),
        )
        for item in extra
        if isinstance(item, dict)
    ]
    if not errors:
        # Litestar reports a body that isn't JSON at all without field details.
        return problem(request, HTTPStatus.BAD_REQUEST, _plain(error.detail))
    names = ", ".join(e.field for e in errors)
    return problem(
        request, HTTPStatus.UNPROCESSABLE_ENTITY, f"Some fields are not valid: {names}.", errors
    )


def _plain(detail: str) -> str:
    return detail if detail.endswith(".") else detail + "."


def _http_error(request: Request[Any, Any, Any], error: HTTPException) -> Response[ProblemDocument]:
    status = HTTPStatus(error.status_code)
    detail = error.detail if error.detail and error.detail != status.phrase else status.description
    if status == HTTPStatus.REQUEST_ENTITY_TOO_LARGE:
        detail = "The request body is larger than this service accepts (1 MiB)."
    return problem(request, status, _plain(detail), headers=error.headers)


def _undecodable_form(
    request: Request[Any, Any, Any], error: UnicodeDecodeError
) -> Response[ProblemDocument]:
    """Litestar decodes a multipart part sent without a file name as UTF-8 text before any
    handler runs, and lets a failure escape: the client sent bytes where text belongs."""
    return problem(
        request,
        HTTPStatus.BAD_REQUEST,
        "A form field that is not a file holds bytes that are not UTF-8 text: send a file part "
        "(with a file name) or UTF-8 text.",
    )


def _integrity_error(
    request: Request[Any, Any, Any], error: IntegrityError
) -> Response[ProblemDocument]:
    # Services turn the constraint errors they expect into Conflict; reaching here means a race
    # that only the database saw. The constraint name is safe to show, the row values are not.
    constraint = getattr(getattr(error.orig, "__cause__", None), "constraint_name", None)
    log.warning("integrity error request_id=%s constraint=%s", request_id_of(request), constraint)
    return problem(
        request,
        HTTPStatus.CONFLICT,
        "The write conflicts with a record saved at the same time; read it again and retry.",
    )


def _database_unavailable(
    request: Request[Any, Any, Any], error: Exception
) -> Response[ProblemDocument]:
    log.error(
        "database unavailable request_id=%s error=%s", request_id_of(request), type(error).__name__
    )
    return problem(
        request,
        HTTPStatus.SERVICE_UNAVAILABLE,
        # A connection lost during the commit leaves the client unsure whether it was saved.
        "The database can't be reached right now. Retry in a moment, with the same "
        "Idempotency-Key if you sent one: a retry never makes anything twice.",
        headers=TRY_AGAIN_SOON,
    )


def _server_error(request: Request[Any, Any, Any], error: Exception) -> Response[ProblemDocument]:
    """What no other handler expects: the database out of reach (503), or a bug (500)."""
    if unavailable(error):
        return _database_unavailable(request, error)
    log.error(
        "unexpected error request_id=%s type=%s",
        request_id_of(request),
        type(error).__name__,
        exc_info=error,
    )
    return problem(
        request,
        HTTPStatus.INTERNAL_SERVER_ERROR,
        "Something went wrong on our side and nothing was saved. Quote the request id when you "
        "report it.",
    )


EXCEPTION_HANDLERS: dict[Any, Any] = {
    DomainError: _domain_error,
    ValidationException: _validation_error,
    HTTPException: _http_error,
    IntegrityError: _integrity_error,
    UnicodeDecodeError: _undecodable_form,
    Exception: _server_error,
}


def problem_responses(*statuses: int) -> dict[int, ResponseSpec]:
    """OpenAPI entries for the errors a route can answer, with their real media type."""
    return {
        status: ResponseSpec(
            data_container=ProblemDocument,
            media_type=PROBLEM_MEDIA_TYPE,
            description=HTTPStatus(status).phrase,
            generate_examples=False,
        )
        for status in statuses
    }


AUTHENTICATED = (400, 401, 403, 422)
