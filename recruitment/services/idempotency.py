"""Idempotency-Key on creating requests: a retried request creates nothing twice.

Concurrent requests with one key are serialised by a transaction-scoped advisory lock, so the
second one waits for the first to commit and then replays its response.
"""

import hashlib
from dataclasses import dataclass
from typing import Any
from uuid import UUID

from sqlalchemy import func
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from recruitment.errors import Conflict
from recruitment.models import IdempotencyRecord

MAX_KEY_LENGTH = 200


@dataclass(frozen=True)
class StoredResponse:
    status_code: int
    body: Any
    headers: dict[str, str]


def fingerprint(method: str, path: str, body: bytes) -> str:
    return hashlib.sha256(b"\0".join([method.encode(), path.encode(), body])).hexdigest()


async def claim(
    session: AsyncSession, api_key_id: UUID, key: str, request_fingerprint: str
) -> StoredResponse | None:
    """Wait for any request holding this key, then return its response if it already ran."""
    await session.exec(
        select(func.pg_advisory_xact_lock(func.hashtextextended(f"{api_key_id}:{key}", 0)))
    )
    record = (
        await session.exec(
            select(IdempotencyRecord).where(
                col(IdempotencyRecord.api_key_id) == api_key_id, col(IdempotencyRecord.key) == key
            )
        )
    ).first()
    if record is None:
        return None
    if record.request_fingerprint != request_fingerprint:
        raise Conflict(
            "This Idempotency-Key was used for a different request; use a new key for new data."
        )
    return StoredResponse(record.status_code, record.response_body, record.response_headers)


async def remember(
    session: AsyncSession,
    api_key_id: UUID,
    key: str,
    request_fingerprint: str,
    response: StoredResponse,
) -> None:
    session.add(
        IdempotencyRecord(
            api_key_id=api_key_id,
            key=key,
            request_fingerprint=request_fingerprint,
            status_code=response.status_code,
            response_body=response.body,
            response_headers=response.headers,
        )
    )
    await session.flush()
