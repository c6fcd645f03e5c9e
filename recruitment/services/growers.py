"""Growers: the participating employers, and their program status."""

from uuid import UUID

from sqlalchemy.exc import IntegrityError
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from recruitment.domain.standing import ReEntryAudit, check_transition
from recruitment.domain.vocabulary import ProgramStatus
from recruitment.errors import Conflict, FieldProblem, InvalidInput, NotFound
from recruitment.models import Flag, Grower, GrowerStatusChange, ProgramAudit, ProgramFinding
from recruitment.models.base import utc_now
from recruitment.schemas.growers import (
    GrowerCreate,
    GrowerRead,
    GrowerUpdate,
    ProgramStatusChange,
    ProgramStatusChangeRead,
    StandingGrounds,
)
from recruitment.services import audit, standing
from recruitment.services.caller import Caller
from recruitment.services.pagination import Page, paginate
from recruitment.services.versioning import check_version, mark_changed


async def _fein_is_free(session: AsyncSession, fein: str, grower_id: UUID | None = None) -> None:
    query = select(Grower.id).where(Grower.fein == fein)
    if grower_id is not None:
        query = query.where(Grower.id != grower_id)
    if (await session.exec(query)).first() is not None:
        raise Conflict(f"A grower with FEIN {fein} is already registered.")


async def _flush_unique(session: AsyncSession, fein: str | None) -> None:
    # The check above can race with a concurrent insert: the unique index has the last word.
    try:
        await session.flush()
    except IntegrityError as error:
        raise Conflict(f"A grower with FEIN {fein} is already registered.") from error


async def create_grower(session: AsyncSession, caller: Caller, data: GrowerCreate) -> GrowerRead:
    caller.require_staff("register growers")
    await _fein_is_free(session, data.fein)
    grower = Grower(**data.model_dump(), program_status_since=utc_now().date())
    session.add(grower)
    await _flush_unique(session, data.fein)
    created = GrowerRead.model_validate(grower)
    await audit.record(
        session, caller, "grower.create", "grower", grower.id, grower_id=grower.id, after=created
    )
    return created


async def find_grower(
    session: AsyncSession, caller: Caller, grower_id: UUID, *, for_update: bool = False
) -> Grower:
    query = select(Grower).where(Grower.id == grower_id, caller.scope(col(Grower.id)))
    if for_update:
        query = query.with_for_update()
    grower = (await session.exec(query)).first()
    if grower is None:
        raise NotFound(f"No grower {grower_id}.")
    return grower


async def read_grower(session: AsyncSession, caller: Caller, grower_id: UUID) -> GrowerRead:
    return GrowerRead.model_validate(await find_grower(session, caller, grower_id))


async def list_growers(
    session: AsyncSession,
    caller: Caller,
    *,
    program_status: ProgramStatus | None,
    state: str | None,
    cursor: str | None,
    limit: int,
) -> Page[GrowerRead]:
    query = select(Grower).where(caller.scope(col(Grower.id)))
    if program_status is not None:
        query = query.where(Grower.program_status == program_status)
    if state is not None:
        query = query.where(Grower.state == state)
    page = await paginate(session, query, Grower, cursor=cursor, limit=limit)
    return Page([GrowerRead.model_validate(row) for row in page.items], page.next_cursor)


async def update_grower(
    session: AsyncSession,
    caller: Caller,
    grower_id: UUID,
    expected_version: int | None,
    changes: GrowerUpdate,
) -> GrowerRead:
    """Staff and the grower itself correct the grower's details; the FEIN only staff."""
    grower = await find_grower(session, caller, grower_id, for_update=True)
    check_version(grower.version, expected_version)
    values = changes.model_dump(exclude_unset=True)
    cleared = [key for key, value in values.items() if value is None and key != "trade_name"]
    if cleared:
        raise InvalidInput(
            "Only trade_name can be cleared.",
            [
                FieldProblem(key, f"{key} can't be empty; leave it out to keep it.")
                for key in cleared
            ],
        )
    if "fein" in values and values["fein"] != grower.fein:
        caller.require_staff("change a grower's FEIN")
        await _fein_is_free(session, values["fein"], grower.id)
    before = GrowerRead.model_validate(grower)
    for key, value in values.items():
        setattr(grower, key, value)
    if not values:
        return before
    mark_changed(grower)
    session.add(grower)
    await _flush_unique(session, grower.fein)
    after = GrowerRead.model_validate(grower)
    await audit.record(
        session, caller, "grower.update", "grower", grower.id,
        grower_id=grower.id, before=before, after=after,
    )  # fmt: skip
    return after


async def change_program_status(
    session: AsyncSession,
    caller: Caller,
    grower_id: UUID,
    change: ProgramStatusChange,
) -> ProgramStatusChangeRead:
    caller.require_staff("change a grower's program status")
    grower = await find_grower(session, caller, grower_id, for_update=True)
    if change.to_status == grower.program_status:
        raise Conflict(f"The grower is already {grower.program_status}.")
    if change.effective_on < grower.program_status_since:
        raise InvalidInput.of_field(
            "effective_on",
            f"effective_on {change.effective_on} is before the current status began on "
            f"{grower.program_status_since}.",
        )
    re_entry = await _check_grounds(session, grower.id, change.grounds)
    check_transition(grower.program_status, change.to_status, grower.program_status_since, re_entry)
    before = GrowerRead.model_validate(grower)
    row = GrowerStatusChange(
        grower_id=grower.id,
        from_status=grower.program_status,
        to_status=change.to_status,
        effective_on=change.effective_on,
        reason=change.reason,
        changed_by=caller.actor,
        grounds=change.grounds.model_dump(mode="json"),
        audit_id=change.grounds.audit_id,
    )
    grower.program_status = change.to_status
    grower.program_status_since = change.effective_on
    mark_changed(grower)
    session.add_all([grower, row])
    await session.flush()
    await audit.record(
        session, caller, "grower.program_status", "grower", grower.id,
        grower_id=grower.id, before=before, after=GrowerRead.model_validate(grower),
    )  # fmt: skip
    await standing.record_deliveries(session, row.id)
    return ProgramStatusChangeRead.model_validate(row)


async def _check_grounds(
    session: AsyncSession, grower_id: UUID, grounds: StandingGrounds
) -> ReEntryAudit | None:
    """Every record named in the grounds is this grower's; the audit named, as the rules see it."""
    for field, table, ids in (
        ("grounds.flag_ids", Flag, grounds.flag_ids),
        ("grounds.finding_ids", ProgramFinding, grounds.finding_ids),
    ):
        wanted = set(ids)
        found = set(
            await session.exec(
                select(table.id).where(col(table.id).in_(wanted), table.grower_id == grower_id)
            )
        )
        if missing := wanted - found:
            raise InvalidInput.of_field(
                field, f"Not records of this grower: {', '.join(sorted(map(str, missing)))}."
            )
    if grounds.audit_id is None:
        return None
    audit_row = (
        await session.exec(
            select(ProgramAudit).where(
                ProgramAudit.id == grounds.audit_id, ProgramAudit.grower_id == grower_id
            )
        )
    ).first()
    if audit_row is None:
        raise InvalidInput.of_field("grounds.audit_id", "Not an audit of this grower.")
    return ReEntryAudit(audit_row.kind, audit_row.outcome, audit_row.closed_on)


async def list_status_changes(
    session: AsyncSession, caller: Caller, grower_id: UUID
) -> list[ProgramStatusChangeRead]:
    await find_grower(session, caller, grower_id)
    rows = await session.exec(
        select(GrowerStatusChange)
        .where(GrowerStatusChange.grower_id == grower_id)
        .order_by(col(GrowerStatusChange.created_at), col(GrowerStatusChange.id))
    )
    return [ProgramStatusChangeRead.model_validate(row) for row in rows]
