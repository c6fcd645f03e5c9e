"""Errors as pages: the console answers a person, never with a problem document."""

import logging
from http import HTTPStatus
from typing import Any
from urllib.parse import quote

from litestar import Request, Response
from litestar.exceptions import (
    HTTPException,
    NotFoundException,
    PermissionDeniedException,
    ValidationException,
)
from litestar.response import Redirect

from recruitment.api.problems import STATUS_OF, TRY_AGAIN_SOON
from recruitment.api.request_ids import request_id_of
from recruitment.console.auth import NotSignedIn
from recruitment.console.pages import page
from recruitment.database import unavailable
from recruitment.errors import DomainError, NotFound

log = logging.getLogger(__name__)

SIGN_IN = "/console/sign-in"


def _error_page(
    request: Request[Any, Any, Any],
    status: HTTPStatus,
    message_key: str,
    detail: str | None = None,
    headers: dict[str, str] | None = None,
) -> Response[Any]:
    response = page(
        request,
        "error.html",
        status,
        status_code=status.value,
        message_key=message_key,
        detail=detail,
        request_id=request_id_of(request),
    )
    response.headers.update(headers or {})
    return response


def _not_signed_in(request: Request[Any, Any, Any], _: NotSignedIn) -> Response[Any]:
    target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
    return Redirect(path=f"{SIGN_IN}?next={quote(target, safe='')}", status_code=303)


def _domain_error(request: Request[Any, Any, Any], error: DomainError) -> Response[Any]:
    status = next(code for kind, code in STATUS_OF.items() if isinstance(error, kind))
    if isinstance(error, NotFound):
        # Whether the record does not exist or belongs to another grower, the page says the same.
        return _error_page(request, status, "errors.not_found")
    return _error_page(request, status, "errors.refused", error.detail)


def _refused_form(request: Request[Any, Any, Any], _: PermissionDeniedException) -> Response[Any]:
    # Litestar's CSRF middleware refuses a form without a valid token with this exception.
    return _error_page(request, HTTPStatus.FORBIDDEN, "errors.form_refused")


def _not_a_page(request: Request[Any, Any, Any], _: NotFoundException) -> Response[Any]:
    return _error_page(request, HTTPStatus.NOT_FOUND, "errors.not_found")


def _bad_request(request: Request[Any, Any, Any], _: ValidationException) -> Response[Any]:
    return _error_page(request, HTTPStatus.BAD_REQUEST, "errors.bad_request")


def _http_error(request: Request[Any, Any, Any], error: HTTPException) -> Response[Any]:
    status = HTTPStatus(error.status_code)
    return _error_page(request, status, "errors.unexpected", status.phrase)


def _unexpected(request: Request[Any, Any, Any], error: Exception) -> Response[Any]:
    if unavailable(error):
        log.warning(
            "database unavailable request_id=%s type=%s",
            request_id_of(request),
            type(error).__name__,
        )
        return _error_page(
            request,
            HTTPStatus.SERVICE_UNAVAILABLE,
            "errors.unavailable",
            headers=TRY_AGAIN_SOON,
        )
    log.error(
        "unexpected console error request_id=%s type=%s",
        request_id_of(request),
        type(error).__name__,
        exc_info=error,
    )
    return _error_page(request, HTTPStatus.INTERNAL_SERVER_ERROR, "errors.unexpected")


EXCEPTION_HANDLERS: dict[Any, Any] = {
    NotSignedIn: _not_signed_in,
    DomainError: _domain_error,
    PermissionDeniedException: _refused_form,
    NotFoundException: _not_a_page,
    ValidationException: _bad_request,
    HTTPException: _http_error,
    Exception: _unexpected,
}
