"""The flags queue: staff acknowledge, resolve and dismiss; growers read their own."""

from collections.abc import Mapping
from datetime import date, datetime
from typing import Any
from uuid import UUID

from sqlalchemy import ColumnElement, func, or_
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from recruitment import clock
from recruitment.domain.vocabulary import FlagSeverity, FlagStatus
from recruitment.errors import Conflict, InvalidInput, NotFound
from recruitment.models import Flag, FlagStatusChange
from recruitment.models.base import utc_now
from recruitment.schemas.flags import (
    FlagCount,
    FlagRead,
    FlagStatusChangeCreate,
    FlagStatusChangeRead,
)
from recruitment.services import audit, cases
from recruitment.services.caller import Caller
from recruitment.services.pagination import Page, paginate
from recruitment.verification import catalogue

LIVE_STATUSES = ("open", "acknowledged")
SHARED_CAUSE_SUBJECTS = ("job_order:", "intermediary:")
TARGET_STATUS: dict[str, FlagStatus] = {
    "acknowledge": "acknowledged",
    "resolve": "resolved",
    "dismiss": "dismissed",
}


def _days_left(evidence: Mapping[str, Any], status: str) -> int | None:
    """Days until what a live flag says is due; counted when read, since evidence never holds
    the evaluation date (a dismissed warning would otherwise reopen every morning)."""
    due_by = evidence.get("due_by")
    if status not in LIVE_STATUSES or not isinstance(due_by, str):
        return None
    return (date.fromisoformat(due_by) - clock.today()).days


def flag_read(flag: Flag | Mapping[str, Any]) -> FlagRead:
    """A flag as callers read it, from its model or its row (see `bulk.with_defaults`)."""
    values = flag if isinstance(flag, Mapping) else flag.model_dump()
    entry = catalogue().get(values["code"])
    return FlagRead.model_validate(
        {
            **values,
            "title": entry.texts["en"].title if entry else values["code"],
            "days_left": _days_left(values["evidence"], values["status"]),
        }
    )


async def open_flags(session: AsyncSession, recruitment_id: UUID) -> list[FlagRead]:
    rows = await session.exec(
        select(Flag)
        .where(Flag.recruitment_id == recruitment_id, col(Flag.status).in_(LIVE_STATUSES))
        .order_by(col(Flag.code), col(Flag.subject))
    )
    return [flag_read(flag) for flag in rows]


async def reevaluated(session: AsyncSession, recruitment_id: UUID) -> list[FlagRead]:
    """Re-evaluate the case a write touched; the flags now open on it, for the write's answer."""
    await cases.reevaluate(session, [recruitment_id])
    return await open_flags(session, recruitment_id)


async def list_flags(
    session: AsyncSession,
    caller: Caller,
    *,
    grower_id: UUID | None,
    worker_id: UUID | None,
    recruitment_id: UUID | None,
    code: str | None,
    severity: FlagSeverity | None,
    status: FlagStatus | None,
    raised_from: date | None,
    raised_until: date | None,
    cursor: str | None,
    limit: int,
    shared_cause: bool | None = None,
) -> tuple[Page[FlagRead], list[FlagCount]]:
    """`shared_cause=False` leaves out the flags that `flag_groups` shows grouped."""
    conditions = [caller.scope(col(Flag.grower_id))]
    if shared_cause is not None:
        conditions.append(has_shared_cause() if shared_cause else ~has_shared_cause())
    for column, value in {
        "grower_id": grower_id,
        "worker_id": worker_id,
        "recruitment_id": recruitment_id,
        "code": code,
        "severity": severity,
        "status": status,
    }.items():
        if value is not None:
            conditions.append(getattr(Flag, column) == value)
    if raised_from is not None:
        conditions.append(
            col(Flag.created_at) >= datetime.combine(raised_from, datetime.min.time())
        )
    if raised_until is not None:
        conditions.append(func.date(col(Flag.created_at)) <= raised_until)
    page = await paginate(
        session, select(Flag).where(*conditions), Flag, cursor=cursor, limit=limit
    )
    counts = await session.exec(
        select(Flag.code, Flag.severity, func.count())
        .where(*conditions)
        .group_by(col(Flag.code), col(Flag.severity))
        .order_by(col(Flag.code))
    )
    return (
        Page([flag_read(flag) for flag in page.items], page.next_cursor),
        [FlagCount(code=c, severity=s, count=n) for c, s, n in counts],
    )


def has_shared_cause() -> ColumnElement[bool]:
    """Flags about something many cases share (a job order's terms, a contractor): one cause,
    fixed once, however many workers it touches."""
    return or_(*(col(Flag.subject).startswith(prefix) for prefix in SHARED_CAUSE_SUBJECTS))


async def _find(session: AsyncSession, caller: Caller, flag_id: UUID) -> Flag:
    flag = (
        await session.exec(
            select(Flag).where(Flag.id == flag_id, caller.scope(col(Flag.grower_id)))
        )
    ).first()
    if flag is None:
        raise NotFound(f"No flag {flag_id}.")
    return flag


async def read_flag(session: AsyncSession, caller: Caller, flag_id: UUID) -> FlagRead:
    return flag_read(await _find(session, caller, flag_id))


async def change_status(
    session: AsyncSession, caller: Caller, flag_id: UUID, change: FlagStatusChangeCreate
) -> FlagRead:
    caller.require_staff("acknowledge, resolve or dismiss flags")
    flag = await _find(session, caller, flag_id)
    target = TARGET_STATUS[change.action]
    if change.action in ("resolve", "dismiss") and not change.note:
        raise InvalidInput.of_field(
            "note",
            "Say what was done to resolve it, or why it is dismissed: the note is the record.",
        )
    if flag.status == "resolved":
        raise Conflict("This flag is resolved; if the condition returns, a new flag opens.")
    if flag.status == target:
        raise Conflict(f"This flag is already {target}.")
    before = flag_read(flag)
    session.add(
        FlagStatusChange(
            flag_id=flag.id,
            from_status=flag.status,
            to_status=target,
            note=change.note,
            changed_by=caller.actor,
        )
    )
    flag.status = target
    flag.status_note = change.note
    flag.status_changed_by = caller.actor
    flag.status_changed_at = utc_now()
    flag.version += 1
    session.add(flag)
    await session.flush()
    after = flag_read(flag)
    await audit.record(
        session, caller, f"flag.{change.action}", "flag", flag.id,
        grower_id=flag.grower_id, before=before, after=after,
    )  # fmt: skip
    return after


async def history(
    session: AsyncSession, caller: Caller, flag_id: UUID
) -> list[FlagStatusChangeRead]:
    await _find(session, caller, flag_id)
    rows = await session.exec(
        select(FlagStatusChange)
        .where(FlagStatusChange.flag_id == flag_id)
        .order_by(col(FlagStatusChange.created_at), col(FlagStatusChange.id))
    )
    return [FlagStatusChangeRead.model_validate(row) for row in rows]
