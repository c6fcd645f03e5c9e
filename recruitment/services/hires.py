"""Direct hires: the growers' main call records the worker, the recruitment and the hire at once."""

from dataclasses import replace
from uuid import UUID

from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from recruitment.errors import Conflict, InvalidInput, NotFound
from recruitment.models import Hire, Recruitment
from recruitment.schemas.recruitments import (
    HireCreate,
    HireParty,
    HireRead,
    HireUpdate,
    Milestones,
    RecruitmentCreate,
    RecruitmentUpdate,
)
from recruitment.services import audit, flags, intermediaries, recruitments, workers
from recruitment.services.caller import Caller
from recruitment.services.job_orders import find_job_order, growers_job_order
from recruitment.services.pagination import Page, paginate
from recruitment.services.versioning import check_version, mark_changed


def _read(hire: Hire) -> HireRead:
    return HireRead.model_validate(
        {
            **hire.model_dump(),
            "direct_hire": hire.employer_of_record_kind == "grower"
            and hire.wages_paid_by_kind == "grower",
        }
    )


async def _party(
    session: AsyncSession, caller: Caller, field: str, party: HireParty, grower_id: UUID
) -> UUID:
    if party.kind == "grower":
        if party.id not in (None, grower_id):
            raise InvalidInput.of_field(
                f"{field}.id", "A grower party must be the hiring grower; name no other."
            )
        return grower_id
    if party.id is None:
        raise InvalidInput.of_field(f"{field}.id", "Name the intermediary by its id.")
    await intermediaries.find_intermediaries(session, caller, {party.id})
    return party.id


def _new_hire(recruitment: Recruitment, data: HireCreate, employer: UUID, payer: UUID) -> Hire:
    return Hire(
        recruitment_id=recruitment.id,
        grower_id=recruitment.grower_id,
        worker_id=recruitment.worker_id,
        job_order_id=recruitment.job_order_id,
        employer_of_record_kind=data.employer_of_record.kind,
        employer_of_record_id=employer,
        wages_paid_by_kind=data.wages_paid_by.kind,
        wages_paid_by_id=payer,
        start_date=data.start_date,
    )


async def register_hire(session: AsyncSession, caller: Caller, data: HireCreate) -> HireRead:
    """A worker recruited and hired in one call. A case that is new (the usual call) is evaluated
    on the facts the call holds and written in one INSERT per table; a hire on a recruitment
    already on record updates it and re-evaluates it from the database."""
    job_order = await find_job_order(session, caller, data.job_order_id)
    grower_id = growers_job_order(job_order)
    employer = await _party(
        session, caller, "employer_of_record", data.employer_of_record, grower_id
    )
    payer = await _party(session, caller, "wages_paid_by", data.wages_paid_by, grower_id)
    milestones = data.milestones.model_copy(
        update={"hired": data.milestones.hired or data.start_date}
    )
    worker, worker_is_new = await workers.match_or_new(session, caller, data.worker)
    recruitment = (
        None
        if worker_is_new
        else (
            await session.exec(
                select(Recruitment).where(
                    Recruitment.worker_id == worker.id, Recruitment.job_order_id == job_order.id
                )
            )
        ).first()
    )
    if recruitment is None:
        prepared = await recruitments.prepare_case(
            session,
            caller,
            RecruitmentCreate(
                job_order_id=job_order.id,
                worker_id=worker.id,
                channel=data.channel,
                sne_folio=data.sne_folio,
                sne_office_id=data.sne_office_id,
                chain=data.chain,
                milestones=milestones,
            ),
            job_order,
            (worker, worker_is_new),
        )
        hire = _new_hire(prepared.case.recruitment, data, employer, payer)
        created = _read(hire)
        open_now = await recruitments.write_new_case(
            session,
            caller,
            replace(prepared, case=replace(prepared.case, hire=hire)),
            [audit.Event("hire.register", "hire", hire.id, hire.grower_id, after=created)],
        )
        return created.model_copy(update={"open_flags": open_now})
    return await _hire_recorded_recruitment(
        session, caller, data, recruitment, milestones, employer, payer
    )


async def _hire_recorded_recruitment(
    session: AsyncSession,
    caller: Caller,
    data: HireCreate,
    recruitment: Recruitment,
    milestones: Milestones,
    employer: UUID,
    payer: UUID,
) -> HireRead:
    recorded = await recruitments.render(session, recruitment)
    if (recorded.channel, recorded.sne_folio, recorded.sne_office_id) != (
        data.channel,
        data.sne_folio,
        data.sne_office_id,
    ):
        raise Conflict(
            f"Recruitment {recruitment.id} records other channel facts; correct them with "
            "PATCH /recruitments/{id} first."
        )
    await recruitments.update_recruitment(
        session,
        caller,
        recruitment.id,
        recruitment.version,
        RecruitmentUpdate(milestones=milestones.model_copy()),
    )
    if (await session.exec(select(Hire.id).where(Hire.recruitment_id == recruitment.id))).first():
        raise Conflict("This worker is already hired on this job order.")
    hire = _new_hire(recruitment, data, employer, payer)
    session.add(hire)
    await session.flush()
    created = _read(hire)
    await audit.record(
        session, caller, "hire.register", "hire", hire.id,
        grower_id=hire.grower_id, after=created,
    )  # fmt: skip
    return created.model_copy(
        update={"open_flags": await flags.reevaluated(session, recruitment.id)}
    )


async def _find_hire(
    session: AsyncSession, caller: Caller, hire_id: UUID, *, for_update: bool = False
) -> Hire:
    query = select(Hire).where(Hire.id == hire_id, caller.scope(col(Hire.grower_id)))
    if for_update:
        query = query.with_for_update()
    hire = (await session.exec(query)).first()
    if hire is None:
        raise NotFound(f"No hire {hire_id}.")
    return hire


async def read_hire(session: AsyncSession, caller: Caller, hire_id: UUID) -> HireRead:
    return _read(await _find_hire(session, caller, hire_id))


async def correct_hire(
    session: AsyncSession,
    caller: Caller,
    hire_id: UUID,
    expected_version: int | None,
    changes: HireUpdate,
) -> HireRead:
    """Correct who employs and pays the worker, or when the work started; the case is
    re-evaluated, so NOT_DIRECT_HIRE follows the corrected facts."""
    hire = await _find_hire(session, caller, hire_id, for_update=True)
    check_version(hire.version, expected_version)
    before = _read(hire)
    sent = changes.model_fields_set
    if not sent:
        return before
    if changes.employer_of_record is not None:
        hire.employer_of_record_kind = changes.employer_of_record.kind
        hire.employer_of_record_id = await _party(
            session, caller, "employer_of_record", changes.employer_of_record, hire.grower_id
        )
    if changes.wages_paid_by is not None:
        hire.wages_paid_by_kind = changes.wages_paid_by.kind
        hire.wages_paid_by_id = await _party(
            session, caller, "wages_paid_by", changes.wages_paid_by, hire.grower_id
        )
    if changes.start_date is not None and changes.start_date != hire.start_date:
        await recruitments.move_hired_milestone(
            session, caller, hire.recruitment_id, hire.start_date, changes.start_date
        )
        hire.start_date = changes.start_date
    mark_changed(hire)
    session.add(hire)
    await session.flush()
    corrected = _read(hire)
    await audit.record(
        session, caller, "hire.correct", "hire", hire.id,
        grower_id=hire.grower_id, before=before, after=corrected,
    )  # fmt: skip
    return corrected.model_copy(
        update={"open_flags": await flags.reevaluated(session, hire.recruitment_id)}
    )


async def list_hires(
    session: AsyncSession,
    caller: Caller,
    *,
    grower_id: UUID | None,
    job_order_id: UUID | None,
    worker_id: UUID | None,
    cursor: str | None,
    limit: int,
) -> Page[HireRead]:
    query = select(Hire).where(caller.scope(col(Hire.grower_id)))
    for column, value in {
        "grower_id": grower_id,
        "job_order_id": job_order_id,
        "worker_id": worker_id,
    }.items():
        if value is not None:
            query = query.where(getattr(Hire, column) == value)
    page = await paginate(session, query, Hire, cursor=cursor, limit=limit)
    return Page([_read(h) for h in page.items], page.next_cursor)
