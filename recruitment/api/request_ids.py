"""A request id for every request: echoed in X-Request-ID, in problem documents and in the audit."""

import re
import uuid
from typing import Any

from litestar import Request
from litestar.enums import ScopeType
from litestar.types import ASGIApp, Receive, Scope, Send

HEADER = "x-request-id"
_ACCEPTABLE = re.compile(r"^[A-Za-z0-9._-]{1,64}$")


def request_id_from_scope(scope: Scope) -> str | None:
    value = scope.get("state", {}).get("request_id")
    return str(value) if value else None


def request_id_of(request: Request[Any, Any, Any]) -> str | None:
    return request_id_from_scope(request.scope)


def request_id_middleware(app: ASGIApp) -> ASGIApp:
    async def middleware(scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == ScopeType.HTTP:
            offered = dict(scope["headers"]).get(HEADER.encode(), b"").decode("latin-1")
            request_id = offered if _ACCEPTABLE.match(offered) else uuid.uuid4().hex
            scope.setdefault("state", {})["request_id"] = request_id

            async def send_with_id(message: Any) -> None:
                if message["type"] == "http.response.start":
                    message["headers"] = [
                        *message.get("headers", []),
                        (b"x-request-id", request_id.encode()),
                    ]
                await send(message)

            await app(scope, receive, send_with_id)
            return
        await app(scope, receive, send)

    return middleware
