"""Direct hires: the growers' main call records the worker, the recruitment and the hire at once."""

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import replace
from datetime import date
from uuid import UUID

from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from recruitment import clock
from recruitment.errors import Conflict, InvalidInput, NotFound
from recruitment.models import CrewAssignment, Hire, Recruitment
from recruitment.schemas.recruitments import (
    CrewAssignmentRead,
    HireCreate,
    HireParty,
    HireRead,
    HireUpdate,
    Milestones,
    RecruitmentCreate,
    RecruitmentUpdate,
)
from recruitment.services import audit, cases, flags, intermediaries, recruitments, workers
from recruitment.services.caller import Caller
from recruitment.services.job_orders import find_job_order_with_terms, growers_job_order
from recruitment.services.pagination import Page, paginate
from recruitment.services.versioning import check_version, mark_changed


def _read(hire: Hire, assignments: Sequence[CrewAssignment] = ()) -> HireRead:
    """The hire with its crew history (`assignments`, oldest first); the last one is current."""
    latest = assignments[-1] if assignments else None
    return HireRead.model_validate(
        {
            **hire.model_dump(),
            "direct_hire": hire.employer_of_record_kind == "grower"
            and hire.wages_paid_by_kind == "grower",
            "crew": latest.crew if latest else None,
            "supervisor": latest.supervisor if latest else None,
            "crew_history": [
                CrewAssignmentRead(
                    crew=a.crew,
                    supervisor=a.supervisor,
                    from_date=a.from_date,
                    recorded_by=a.recorded_by,
                    recorded_at=a.created_at,
                )
                for a in assignments
            ],
        }
    )


async def crew_histories(
    session: AsyncSession, hire_ids: Sequence[UUID]
) -> dict[UUID, list[CrewAssignment]]:
    """Each hire's crew assignments, oldest first (by the day they take effect, then by when
    they were recorded), in one query."""
    histories: dict[UUID, list[CrewAssignment]] = defaultdict(list)
    if not hire_ids:
        return histories
    for assignment in await session.exec(
        select(CrewAssignment)
        .where(col(CrewAssignment.hire_id).in_(hire_ids))
        .order_by(col(CrewAssignment.from_date), col(CrewAssignment.created_at))
    ):
        histories[assignment.hire_id].append(assignment)
    return histories


async def _read_with_history(session: AsyncSession, hire: Hire) -> HireRead:
    return _read(hire, (await crew_histories(session, [hire.id]))[hire.id])


def _crew_assignment(
    caller: Caller, hire: Hire, crew: str | None, supervisor: str | None, from_date: date
) -> CrewAssignment:
    return CrewAssignment(
        hire_id=hire.id,
        crew=crew,
        supervisor=supervisor,
        from_date=from_date,
        recorded_by=caller.actor,
    )


def _first_crew(caller: Caller, hire: Hire, data: HireCreate) -> list[CrewAssignment]:
    """The crew a hire starts in, when the grower names one (or its supervisor)."""
    if data.crew is None and data.supervisor is None:
        return []
    return [_crew_assignment(caller, hire, data.crew, data.supervisor, data.start_date)]


async def _reevaluate_complainants(session: AsyncSession, hire: Hire) -> None:
    """Whether the grower re-hired its complainants of last season turns on each hire."""
    complainants = set(await cases.complainants_cases_of_grower(session, hire.grower_id))
    if complainants - {hire.recruitment_id}:
        await cases.reevaluate(session, complainants - {hire.recruitment_id})


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
    job_order, terms = await find_job_order_with_terms(session, caller, data.job_order_id)
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
            terms,
            (worker, worker_is_new),
        )
        hire = _new_hire(prepared.case.recruitment, data, employer, payer)
        crews = _first_crew(caller, hire, data)
        created = _read(hire, crews)
        open_now = await recruitments.write_new_case(
            session,
            caller,
            replace(prepared, case=replace(prepared.case, hire=hire, crews=tuple(crews))),
            [audit.Event("hire.register", "hire", hire.id, hire.grower_id, after=created)],
        )
        await _reevaluate_complainants(session, hire)
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
    crews = _first_crew(caller, hire, data)
    session.add_all(crews)
    await session.flush()
    created = _read(hire, crews)
    await audit.record(
        session, caller, "hire.register", "hire", hire.id,
        grower_id=hire.grower_id, after=created,
    )  # fmt: skip
    await _reevaluate_complainants(session, hire)
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
    return await _read_with_history(session, await _find_hire(session, caller, hire_id))


async def correct_hire(
    session: AsyncSession,
    caller: Caller,
    hire_id: UUID,
    expected_version: int | None,
    changes: HireUpdate,
) -> HireRead:
    """Correct who employs and pays the worker, or when the work started, or move the worker to
    another crew (a new dated assignment; the earlier ones stay); the case is re-evaluated, so
    NOT_DIRECT_HIRE and POSSIBLE_RETALIATION follow the new facts."""
    hire = await _find_hire(session, caller, hire_id, for_update=True)
    check_version(hire.version, expected_version)
    history = (await crew_histories(session, [hire.id]))[hire.id]
    before = _read(hire, history)
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
    assignment = _crew_change(session, caller, hire, history, changes)
    if assignment is not None:
        history = [*history, assignment]
    mark_changed(hire)
    session.add(hire)
    await session.flush()
    corrected = _read(hire, history)
    await audit.record(
        session, caller, "hire.correct", "hire", hire.id,
        grower_id=hire.grower_id, before=before, after=corrected,
    )  # fmt: skip
    return corrected.model_copy(
        update={"open_flags": await flags.reevaluated(session, hire.recruitment_id)}
    )


def _crew_change(
    session: AsyncSession,
    caller: Caller,
    hire: Hire,
    history: Sequence[CrewAssignment],
    changes: HireUpdate,
) -> CrewAssignment | None:
    """The new assignment that `changes` asks for, or None when crew and supervisor stay."""
    sent = changes.model_fields_set
    if not sent & {"crew", "supervisor", "crew_from"}:
        return None
    latest = history[-1] if history else None
    crew = changes.crew if "crew" in sent else (latest.crew if latest else None)
    supervisor = (
        changes.supervisor if "supervisor" in sent else (latest.supervisor if latest else None)
    )
    if latest is not None and (latest.crew, latest.supervisor) == (crew, supervisor):
        return None
    if latest is None and crew is None and supervisor is None:
        return None
    from_date = changes.crew_from or clock.today()
    if from_date < hire.start_date:
        raise InvalidInput.of_field(
            "crew_from", f"The hire starts on {hire.start_date}; a crew can't be assigned before."
        )
    if latest is not None and from_date < latest.from_date:
        raise InvalidInput.of_field(
            "crew_from",
            f"The current crew assignment runs from {latest.from_date}; a change can't take "
            "effect before it (the history is kept, not rewritten).",
        )
    assignment = _crew_assignment(caller, hire, crew, supervisor, from_date)
    session.add(assignment)
    return assignment


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
    histories = await crew_histories(session, [h.id for h in page.items])
    return Page([_read(h, histories[h.id]) for h in page.items], page.next_cursor)
