"""A request id for every request: echoed in X-Request-ID, in problem documents and in the audit."""

import re
import uuid
from typing import Any

from litestar import Request
from litestar.datastructures import MutableScopeHeaders
from litestar.enums import ScopeType
from litestar.types import ASGIApp, Message, Receive, Scope, Send

HEADER = "x-request-id"
_ACCEPTABLE = re.compile(r"^[A-Za-z0-9._-]{1,64}$")


def request_id_from_scope(scope: Scope) -> str | None:
    value = scope.get("state", {}).get("request_id")
    return str(value) if value else None


def request_id_of(request: Request[Any, Any, Any]) -> str | None:
    return request_id_from_scope(request.scope)


def _assign(scope: Scope) -> str:
    offered = dict(scope["headers"]).get(HEADER.encode(), b"").decode("latin-1")
    request_id = offered if _ACCEPTABLE.match(offered) else uuid.uuid4().hex
    scope.setdefault("state", {})["request_id"] = request_id
    return request_id


def request_id_middleware(app: ASGIApp) -> ASGIApp:
    """Gives the request its id before the handler runs (problem documents, audit events)."""

    async def middleware(scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == ScopeType.HTTP:
            _assign(scope)
        await app(scope, receive, send)

    return middleware


async def send_request_id(message: Message, scope: Scope) -> None:
    """Puts the id on every answer (a before_send hook): the router's own 404 and 405, for a
    path or a method no route has, never pass through the middleware."""
    if message["type"] == "http.response.start":
        request_id = request_id_from_scope(scope) or _assign(scope)
        MutableScopeHeaders.from_message(message)[HEADER] = request_id
