"""Per-client rate limits on the public contract pages.

A worker's link and a verification code can't be guessed, but the pages need no key: a client
that fetches them too often, guessing or scraping, is answered 429 until its minute is over.
Litestar's limiter counts in a store kept in the process's memory, so each process of a
multi-process server counts on its own.
"""

from litestar import Router
from litestar.middleware.rate_limit import RateLimitConfig
from litestar.types import ControllerRouterHandler

from recruitment.settings import Settings

STORE = "public_pages_rate_limit"


def rate_limited(settings: Settings, *route_handlers: ControllerRouterHandler) -> Router:
    """The handlers, each client address (the socket's, as the server reports it) allowed
    `public_page_requests_per_minute` requests to all of them together."""
    limit = RateLimitConfig(
        rate_limit=("minute", settings.public_page_requests_per_minute), store=STORE
    )
    return Router("/", route_handlers=list(route_handlers), middleware=[limit.middleware])
