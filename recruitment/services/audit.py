"""The audit trail: one event per write, in the same transaction as the write."""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from uuid import UUID

from pydantic import BaseModel
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from recruitment.models import AuditEvent
from recruitment.services import bulk
from recruitment.services.caller import Caller
from recruitment.services.pagination import Page, paginate


def snapshot(model: BaseModel | None) -> dict[str, Any] | None:
    return None if model is None else model.model_dump(mode="json")


async def record(
    session: AsyncSession,
    caller: Caller,
    action: str,
    subject_type: str,
    subject_id: UUID,
    *,
    grower_id: UUID | None,
    before: BaseModel | None = None,
    after: BaseModel | None = None,
) -> None:
    session.add(
        AuditEvent(
            actor=caller.actor,
            actor_role=caller.role,
            action=action,
            subject_type=subject_type,
            subject_id=subject_id,
            grower_id=grower_id,
            before=snapshot(before),
            after=snapshot(after),
            request_id=caller.request_id,
        )
    )


@dataclass(frozen=True)
class Event:
    """One write, for `record_many`."""

    action: str
    subject_type: str
    subject_id: UUID
    grower_id: UUID | None
    before: BaseModel | None = None
    after: BaseModel | None = None


async def record_many(
    session: AsyncSession, caller: Caller, events: Sequence[Event], *, batch: int = 1000
) -> None:
    """The events of a bulk write (an import), inserted many rows at a time."""
    connection = await session.connection()
    for start in range(0, len(events), batch):
        await connection.execute(
            bulk.insert_into(AuditEvent),
            [
                {
                    "actor": caller.actor,
                    "actor_role": caller.role,
                    "action": event.action,
                    "subject_type": event.subject_type,
                    "subject_id": event.subject_id,
                    "grower_id": event.grower_id,
                    "before": snapshot(event.before),
                    "after": snapshot(event.after),
                    "request_id": caller.request_id,
                }
                for event in events[start : start + batch]
            ],
        )


async def list_events(
    session: AsyncSession,
    caller: Caller,
    *,
    subject_id: UUID | None,
    actor: str | None,
    since: datetime | None,
    cursor: str | None,
    limit: int,
) -> Page[AuditEvent]:
    caller.require_staff("read the audit trail")
    query = select(AuditEvent)
    if subject_id is not None:
        query = query.where(AuditEvent.subject_id == subject_id)
    if actor is not None:
        query = query.where(AuditEvent.actor == actor)
    if since is not None:
        query = query.where(col(AuditEvent.created_at) >= since)
    return await paginate(session, query, AuditEvent, cursor=cursor, limit=limit)
