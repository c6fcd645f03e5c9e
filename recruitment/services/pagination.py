"""Cursor pagination in a stable order: creation time, then id."""

import base64
import binascii
import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Generic, Protocol, TypeVar
from uuid import UUID

from sqlalchemy import Select, and_, or_
from sqlmodel.ext.asyncio.session import AsyncSession

from recruitment.errors import InvalidInput

DEFAULT_PAGE_SIZE = 50
MAX_PAGE_SIZE = 200


class Paginated(Protocol):
    id: UUID
    created_at: datetime


Item = TypeVar("Item")


@dataclass(frozen=True)
class Page(Generic[Item]):
    items: Sequence[Item]
    next_cursor: str | None


def encode_cursor(row: Paginated) -> str:
    position = json.dumps([row.created_at.isoformat(), str(row.id)])
    return base64.urlsafe_b64encode(position.encode()).decode().rstrip("=")


def decode_cursor(cursor: str) -> tuple[datetime, UUID]:
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        created_at, row_id = json.loads(base64.urlsafe_b64decode(padded))
        return datetime.fromisoformat(created_at), UUID(row_id)
    except (ValueError, TypeError, binascii.Error) as error:
        raise InvalidInput.of_field(
            "cursor",
            "The cursor is not one this service gave out; start from the first page.",
            source="query",
        ) from error


async def paginate(
    session: AsyncSession,
    query: Select[Any],
    table: Any,
    *,
    cursor: str | None,
    limit: int,
) -> Page[Any]:
    if cursor is not None:
        created_at, row_id = decode_cursor(cursor)
        query = query.where(
            or_(
                table.created_at > created_at,
                and_(table.created_at == created_at, table.id > row_id),
            )
        )
    query = query.order_by(table.created_at, table.id).limit(limit + 1)
    rows = list((await session.exec(query)).all())  # type: ignore[call-overload]
    more = len(rows) > limit
    rows = rows[:limit]
    return Page(rows, encode_cursor(rows[-1]) if more and rows else None)
