"""What a request must look like before any handler reads it.

- No NUL character in a path or query parameter: PostgreSQL text can't hold one, and the
  database's refusal would surface as a 500. (Bodies are checked field by field by the schemas,
  which can name the field: `recruitment.domain.plain_text`.)
- A body only in the media type the operation takes: JSON sent as `text/plain` or
  `application/xml` is refused with 415 rather than read as if it were JSON.
- JSON nested no deeper than `MAX_JSON_DEPTH`, checked on the raw bytes before they are decoded:
  a 2 KB body of a thousand brackets would otherwise exhaust the decoder's recursion.

Each refusal is a domain error, so that the problem document (or, on the public pages, the page)
names the parameter or the body.
"""

import re
from itertools import accumulate
from typing import Any

from litestar import Litestar
from litestar.connection import ASGIConnection
from litestar.enums import RequestEncodingType
from litestar.handlers.base import BaseRouteHandler
from litestar.handlers.http_handlers import HTTPRouteHandler

from recruitment.api.problems import problem_responses
from recruitment.api.public_pages import ERROR_PAGES, UNREADABLE_PAGE
from recruitment.errors import FieldProblem, InvalidInput, MalformedBody, UnsupportedMediaType

# Our deepest body (a job order's terms: piece rates' money in a list in the terms) is 5 deep.
MAX_JSON_DEPTH = 32
NUL = "\x00"
_JSON_STRING = re.compile(rb'"(?:[^"\\]|\\.)*"', re.DOTALL)
_JSON_SUFFIX = re.compile(r"application/[\w.+-]+\+json")
_OPENING, _CLOSING = b"[{", b"]}"
_NOT_A_BRACKET = bytes(byte for byte in range(256) if byte not in _OPENING + _CLOSING)

# The media types each kind of body may come in.
ACCEPTED_MEDIA_TYPES: dict[RequestEncodingType, tuple[str, ...]] = {
    RequestEncodingType.JSON: ("application/json",),
    RequestEncodingType.MULTI_PART: ("multipart/form-data",),
    RequestEncodingType.URL_ENCODED: (
        "application/x-www-form-urlencoded",
        "multipart/form-data",
    ),
}


def json_depth(body: bytes) -> int:
    """How deep the body's arrays and objects nest; brackets inside strings don't count.

    Only bodies with more brackets than the limit need the count at all.
    """
    if body.count(b"[") + body.count(b"{") <= MAX_JSON_DEPTH:
        return 0
    brackets = _JSON_STRING.sub(b"", body).translate(None, _NOT_A_BRACKET)
    steps = (1 if byte in _OPENING else -1 for byte in brackets)
    return max(accumulate(steps), default=0)


def _body_encoding(handler: BaseRouteHandler) -> RequestEncodingType | None:
    if not isinstance(handler, HTTPRouteHandler):
        return None
    data = handler.parsed_fn_signature.parameters.get("data")
    if data is None:
        return None
    media_type = getattr(data.kwarg_definition, "media_type", None)
    return RequestEncodingType(media_type) if media_type else RequestEncodingType.JSON


def _media_type_accepted(content_type: str, encoding: RequestEncodingType) -> bool:
    media_type = content_type.split(";", 1)[0].strip().lower()
    if encoding is RequestEncodingType.JSON and re.fullmatch(
        r"application/[\w.+-]+\+json", media_type
    ):
        return True
    return media_type in ACCEPTED_MEDIA_TYPES.get(encoding, (media_type,))


def _refuse_nul_in_parameters(connection: ASGIConnection[Any, Any, Any, Any]) -> None:
    problems = [
        FieldProblem(name, "contains a NUL character, which no value here may hold", "path")
        for name, value in connection.path_params.items()
        if isinstance(value, str) and NUL in value
    ] + [
        FieldProblem(name, "contains a NUL character, which no value here may hold", "query")
        for name, values in connection.query_params.dict().items()
        if NUL in name or any(NUL in value for value in values)
    ]
    if problems:
        names = ", ".join(problem.field for problem in problems)
        raise InvalidInput(f"A NUL character is not allowed in: {names}.", problems)


async def check_request_shape(
    connection: ASGIConnection[Any, Any, Any, Any], handler: BaseRouteHandler
) -> None:
    """A guard on every route: parameters free of NUL, a body of the right type and depth."""
    _refuse_nul_in_parameters(connection)
    encoding = _body_encoding(handler)
    headers = connection.headers
    sends_a_body = headers.get("content-length", "0") != "0" or "transfer-encoding" in headers
    if encoding is None or not sends_a_body:
        return
    content_type = headers.get("content-type", "")
    if not _media_type_accepted(content_type, encoding):
        expected = " or ".join(ACCEPTED_MEDIA_TYPES[encoding])
        raise UnsupportedMediaType(
            f"This operation takes {expected}, not {content_type or 'a body of no type'}."
        )
    if encoding is not RequestEncodingType.JSON:
        return
    body: bytes = await connection.body()  # type: ignore[attr-defined]
    if json_depth(body) > MAX_JSON_DEPTH:
        raise MalformedBody(
            f"The JSON body nests deeper than {MAX_JSON_DEPTH} levels; no request here needs "
            "more than a few."
        )


def document_refusals(app: Litestar) -> None:
    """Add what `check_request_shape` may answer to each operation's documented responses:
    422 for a parameter (a page on the public pages), 400 and 415 for a body. Done once, on the
    built app, so that no route has to repeat it."""
    for route in app.routes:
        for handler in getattr(route, "route_handlers", ()):
            if not isinstance(handler, HTTPRouteHandler):
                continue
            refusals = dict(
                UNREADABLE_PAGE if handler.opt.get(ERROR_PAGES) else problem_responses(422)
            )
            if _body_encoding(handler) is not None:
                refusals |= problem_responses(400, 415)
            handler.responses = {**refusals, **(handler.responses or {})}
