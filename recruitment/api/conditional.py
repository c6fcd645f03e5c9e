"""ETag / If-Match for optimistic concurrency, and Idempotency-Key for creating requests."""

from collections.abc import Awaitable, Callable
from typing import Annotated, Any, Protocol, TypeVar

from litestar import Request, Response
from litestar.params import HeaderParameter
from pydantic import BaseModel
from sqlmodel.ext.asyncio.session import AsyncSession

from recruitment.errors import InvalidInput
from recruitment.services import idempotency
from recruitment.services.caller import Caller

IfMatch = Annotated[
    str | None,
    HeaderParameter(
        name="If-Match",
        required=False,
        description="The ETag you last read; a stale one is refused with 412.",
    ),
]
IdempotencyKey = Annotated[
    str | None,
    HeaderParameter(
        name="Idempotency-Key",
        required=False,
        max_length=idempotency.MAX_KEY_LENGTH,
        description="A key of yours, unique per request: a retry with it creates nothing twice.",
    ),
]


def etag(version: int) -> str:
    return f'"{version}"'


class Versioned(Protocol):
    @property
    def version(self) -> int: ...


Record = TypeVar("Record", bound=Versioned)


def with_etag(record: Record) -> Response[Record]:
    """A record as read or just changed, with the ETag an update must send back."""
    return Response(record, headers={"ETag": etag(record.version)})


def expected_version(if_match: str | None) -> int | None:
    if if_match is None:
        return None
    value = if_match.strip().removeprefix("W/").strip('"')
    if not value.isdigit():
        raise InvalidInput.of_field(
            "If-Match", "If-Match must be an ETag this service gave out.", source="header"
        )
    return int(value)


async def idempotent(
    request: Request[Any, Any, Any],
    transaction: AsyncSession,
    caller: Caller,
    key: str | None,
    create: Callable[[], Awaitable[tuple[int, BaseModel, dict[str, str]]]],
) -> Response[Any]:
    """Run `create` once per Idempotency-Key; a retry gets the first response back."""
    if key is None or caller.api_key_id is None:
        status, body, headers = await create()
        return Response(body, status_code=status, headers=headers)
    fingerprint = idempotency.fingerprint(request.method, request.url.path, await request.body())
    stored = await idempotency.claim(transaction, caller.api_key_id, key, fingerprint)
    if stored is None:
        status, model, headers = await create()
        stored = idempotency.StoredResponse(status, model.model_dump(mode="json"), headers)
        await idempotency.remember(transaction, caller.api_key_id, key, fingerprint, stored)
        return Response(model, status_code=status, headers=headers)
    return Response(
        stored.body,
        status_code=stored.status_code,
        headers={**stored.headers, "Idempotent-Replayed": "true"},
    )
