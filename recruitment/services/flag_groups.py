"""Flags that share a cause, worked as one: a job order's terms or a contractor can raise the same
finding on a hundred cases, and staff fix the cause once.

Each group is one code about one subject (`job_order:…`, `intermediary:…`). Acting on a group
changes every flag in it that can take the change, each one audited as if changed alone.
"""

from dataclasses import dataclass
from uuid import UUID

from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from recruitment.domain.vocabulary import FlagSeverity, FlagStatus
from recruitment.errors import InvalidInput, NotFound
from recruitment.models import Flag, Worker
from recruitment.schemas.flags import FlagRead, FlagStatusChangeCreate
from recruitment.services import flags
from recruitment.services.caller import Caller

# More groups than this on one screen is no longer a queue a person can read.
MAX_GROUPS = 200


@dataclass(frozen=True)
class FlagGroup:
    code: str
    severity: str
    subject: str
    flags: list[FlagRead]

    @property
    def key(self) -> str:
        """What a form posts to name the group."""
        return f"{self.code}|{self.subject}"


async def flag_groups(
    session: AsyncSession,
    caller: Caller,
    *,
    grower_id: UUID | None,
    code: str | None,
    severity: FlagSeverity | None,
    status: FlagStatus | None,
) -> list[FlagGroup]:
    """The shared-cause flags the caller may see, grouped, most cases first."""
    query = select(Flag).where(caller.scope(col(Flag.grower_id)), flags.has_shared_cause())
    for column, value in {
        "grower_id": grower_id,
        "code": code,
        "severity": severity,
        "status": status,
    }.items():
        if value is not None:
            query = query.where(getattr(Flag, column) == value)
    grouped: dict[tuple[str, str], list[FlagRead]] = {}
    for flag in await session.exec(query.order_by(col(Flag.created_at), col(Flag.id))):
        grouped.setdefault((flag.code, flag.subject), []).append(flags.flag_read(flag))
    groups = [
        FlagGroup(code=code, severity=members[0].severity, subject=subject, flags=members)
        for (code, subject), members in grouped.items()
    ]
    groups.sort(key=lambda group: (-len(group.flags), group.code, group.subject))
    return groups[:MAX_GROUPS]


async def worker_names(session: AsyncSession, worker_ids: set[UUID]) -> dict[UUID, str]:
    """The names of workers whose flags the caller already may see (the flags were scoped)."""
    if not worker_ids:
        return {}
    rows = await session.exec(
        select(Worker.id, Worker.given_names, Worker.family_names).where(
            col(Worker.id).in_(worker_ids)
        )
    )
    return {worker_id: f"{given} {family}" for worker_id, given, family in rows}


async def change_group_status(
    session: AsyncSession,
    caller: Caller,
    code: str,
    subject: str,
    change: FlagStatusChangeCreate,
) -> list[FlagRead]:
    """Apply one decision to every live flag of the group that does not have that status yet."""
    caller.require_staff("acknowledge, resolve or dismiss flags")
    if not subject.startswith(flags.SHARED_CAUSE_SUBJECTS):
        raise InvalidInput.of_field("group", "Only flags with a shared cause are grouped.")
    target = flags.TARGET_STATUS[change.action]
    members = list(
        await session.exec(
            select(Flag.id)
            .where(
                caller.scope(col(Flag.grower_id)),
                Flag.code == code,
                Flag.subject == subject,
                col(Flag.status).in_(flags.LIVE_STATUSES),
                Flag.status != target,
            )
            .order_by(col(Flag.created_at), col(Flag.id))
        )
    )
    if not members:
        raise NotFound("No flag of this group can take that decision.")
    return [await flags.change_status(session, caller, flag_id, change) for flag_id in members]
