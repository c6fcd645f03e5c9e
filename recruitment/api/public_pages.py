"""The pages anyone may open without a key: a worker's contract link and the verification page.

Their errors are pages, not problem documents: whoever opens a mistyped link is a worker on a
phone, who should read what to do, in Spanish, Kreyòl and English (the link's language is
unknown). A malformed link and an unknown one get the same page.

They are rate limited per client address: a link and a verification code can't be guessed, but
a client that fetches pages too often, guessing or scraping, is answered 429 until its minute is
over. Litestar's limiter counts in a store kept in the process's memory, so each process of a
multi-process server counts on its own.
"""

from http import HTTPStatus
from typing import Any

from litestar import MediaType, Request, Response, Router
from litestar.exceptions import TooManyRequestsException, ValidationException
from litestar.middleware.rate_limit import RateLimitConfig
from litestar.openapi.datastructures import ResponseSpec
from litestar.types import ControllerRouterHandler

from recruitment.errors import InvalidInput, NotFound
from recruitment.rendering import render_link_problem
from recruitment.settings import Settings

STORE = "public_pages_rate_limit"
ERROR_PAGES = "error_pages"  # route option: errors are pages (set on every route here)
PRIVATE = {"Cache-Control": "no-store", "Referrer-Policy": "no-referrer"}


def _page(description: str) -> ResponseSpec:
    return ResponseSpec(
        data_container=str,
        media_type=MediaType.HTML,
        description=description,
        generate_examples=False,
    )


# For the OpenAPI document: what the pages answer when they can't show a contract.
NO_CONTRACT_PAGE = {404: _page("A page in es, ht and en: the link leads to no contract")}
TOO_MANY_PAGE = {429: _page("A page in es, ht and en: too many requests, wait (Retry-After)")}
# A worker's form sent back with what to fix, in the contract's language.
FORM_PROBLEM_PAGES = {
    413: _page("The form again: what was sent is too large"),
    422: _page("The form again, saying what to fix (a choice missing, a NUL, too long a text)"),
}


def public_pages(settings: Settings, *route_handlers: ControllerRouterHandler) -> Router:
    """The handlers, each client address (the socket's, as the server reports it) allowed
    `public_page_requests_per_minute` requests to all of them together."""
    limit = RateLimitConfig(
        rate_limit=("minute", settings.public_page_requests_per_minute), store=STORE
    )
    return Router(
        "/",
        route_handlers=list(route_handlers),
        opt={ERROR_PAGES: True},
        middleware=[limit.middleware],
        exception_handlers={
            NotFound: _no_contract_here,
            ValidationException: _no_contract_here,
            InvalidInput: _unreadable,
            TooManyRequestsException: _too_many_requests,
        },
    )


UNREADABLE_PAGE = {
    422: _page("A page in es, ht and en: the link or code holds a character no link holds")
}


def _no_contract_here(request: Request[Any, Any, Any], _: Exception) -> Response[str]:
    return Response(
        render_link_problem("not_found"),
        status_code=HTTPStatus.NOT_FOUND,
        media_type=MediaType.HTML,
        headers=PRIVATE,
    )


def _unreadable(request: Request[Any, Any, Any], error: InvalidInput) -> Response[str]:
    """A link or code with a character no link holds (a NUL): a page naming the part of it."""
    fields = ", ".join(problem.field for problem in error.problems) or "link"
    return Response(
        render_link_problem("unreadable", field=fields),
        status_code=HTTPStatus.UNPROCESSABLE_ENTITY,
        media_type=MediaType.HTML,
        headers=PRIVATE,
    )


def _too_many_requests(
    request: Request[Any, Any, Any], error: TooManyRequestsException
) -> Response[str]:
    # Litestar's rate limiter says in RateLimit-Reset when the client's window ends.
    headers = dict(error.headers or {})
    wait = max(1, int(headers.get("RateLimit-Reset", "60")))
    return Response(
        render_link_problem("too_many", wait),
        status_code=HTTPStatus.TOO_MANY_REQUESTS,
        media_type=MediaType.HTML,
        headers={**headers, **PRIVATE, "Retry-After": str(wait)},
    )
