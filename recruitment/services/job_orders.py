"""Job orders: the employment terms, versioned. A version is never changed once written."""

from uuid import UUID

from sqlalchemy import bindparam
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from recruitment.domain.terms import JobOrderTerms
from recruitment.errors import InvalidInput, NotFound
from recruitment.models import JobOrder, JobOrderVersion, is_current_version
from recruitment.schemas.job_orders import (
    JobOrderCreate,
    JobOrderRead,
    JobOrderTermsChange,
    JobOrderVersionRead,
)
from recruitment.services import audit, cases
from recruitment.services.caller import Caller
from recruitment.services.growers import find_grower
from recruitment.services.pagination import Page, paginate
from recruitment.services.versioning import check_version, mark_changed


def acting_grower(caller: Caller, named: UUID | None) -> UUID:
    """The grower a write is for: a grower's own, or the one staff name."""
    if caller.is_staff:
        if named is None:
            raise InvalidInput.of_field("grower_id", "Staff must name the grower (grower_id).")
        return named
    assert caller.grower_id is not None
    if named is not None and named != caller.grower_id:
        raise NotFound(f"No grower {named}.")
    return caller.grower_id


def growers_job_order(job_order: JobOrder, field: str = "job_order_id") -> UUID:
    """The grower of a job order that workers are recruited and hired for. One that an H-2A
    labor contractor filed (imported from DOL data) has none: the workers it places are not a
    grower's direct hires, and this service records recruitments only for growers' own."""
    if job_order.grower_id is None:
        raise InvalidInput.of_field(
            field,
            f"Job order {job_order.id} was filed by an H-2A labor contractor, not a grower: "
            "record recruitments and hires for the grower's own job order.",
        )
    return job_order.grower_id


def _read(job_order: JobOrder, current: JobOrderVersion) -> JobOrderRead:
    return JobOrderRead(
        id=job_order.id,
        grower_id=job_order.grower_id,
        filed_by_intermediary_id=job_order.filed_by_intermediary_id,
        source=job_order.source,
        case_status=job_order.case_status,
        current_version=job_order.current_version,
        terms=JobOrderTerms.model_validate(current.terms),
        version=job_order.version,
        created_at=job_order.created_at,
        updated_at=job_order.updated_at,
    )


async def create_job_order(
    session: AsyncSession, caller: Caller, data: JobOrderCreate
) -> JobOrderRead:
    grower = await find_grower(session, caller, acting_grower(caller, data.grower_id))
    job_order = JobOrder(grower_id=grower.id)
    session.add(job_order)
    await session.flush()
    first = JobOrderVersion(
        job_order_id=job_order.id,
        number=1,
        terms=data.terms.model_dump(mode="json"),
        created_by=caller.actor,
    )
    session.add(first)
    await session.flush()
    created = _read(job_order, first)
    await audit.record(
        session, caller, "job_order.create", "job_order", job_order.id,
        grower_id=grower.id, after=created,
    )  # fmt: skip
    return created


async def find_job_order(
    session: AsyncSession, caller: Caller, job_order_id: UUID, *, for_update: bool = False
) -> JobOrder:
    query = select(JobOrder).where(
        JobOrder.id == job_order_id, caller.scope(col(JobOrder.grower_id))
    )
    if for_update:
        query = query.with_for_update()
    job_order = (await session.exec(query)).first()
    if job_order is None:
        raise NotFound(f"No job order {job_order_id}.")
    return job_order


async def find_job_order_with_terms(
    session: AsyncSession, caller: Caller, job_order_id: UUID
) -> tuple[JobOrder, tuple[int, JobOrderTerms]]:
    """The job order and its current version's number and terms, in one query: what a new case
    on it is evaluated against."""
    query = _ANY_JOB_ORDER_WITH_TERMS if caller.is_staff else _GROWERS_JOB_ORDER_WITH_TERMS
    found = (
        await session.exec(
            query, params={"job_order_id": job_order_id, "grower_id": caller.grower_id}
        )
    ).first()
    if found is None:
        raise NotFound(f"No job order {job_order_id}.")
    job_order, version_id, number, terms = found
    return job_order, (number, cases.validated_terms(version_id, terms))


# What every new case reads first, built once (see cases._GROWER_PARTIES).
_ANY_JOB_ORDER_WITH_TERMS = (
    select(JobOrder, JobOrderVersion.id, JobOrderVersion.number, JobOrderVersion.terms)
    .join(JobOrderVersion, is_current_version())
    .where(JobOrder.id == bindparam("job_order_id"))
)
_GROWERS_JOB_ORDER_WITH_TERMS = _ANY_JOB_ORDER_WITH_TERMS.where(
    JobOrder.grower_id == bindparam("grower_id")
)


async def _version(session: AsyncSession, job_order_id: UUID, number: int) -> JobOrderVersion:
    version = (
        await session.exec(
            select(JobOrderVersion).where(
                JobOrderVersion.job_order_id == job_order_id, JobOrderVersion.number == number
            )
        )
    ).first()
    if version is None:
        raise NotFound(f"Job order {job_order_id} has no version {number}.")
    return version


async def read_job_order(session: AsyncSession, caller: Caller, job_order_id: UUID) -> JobOrderRead:
    job_order = await find_job_order(session, caller, job_order_id)
    return _read(job_order, await _version(session, job_order.id, job_order.current_version))


async def list_job_orders(
    session: AsyncSession,
    caller: Caller,
    *,
    grower_id: UUID | None,
    cursor: str | None,
    limit: int,
) -> Page[JobOrderRead]:
    query = select(JobOrder).where(caller.scope(col(JobOrder.grower_id)))
    if grower_id is not None:
        query = query.where(JobOrder.grower_id == grower_id)
    page = await paginate(session, query, JobOrder, cursor=cursor, limit=limit)
    current_versions = (
        select(JobOrderVersion)
        .join(JobOrder, is_current_version())
        .where(col(JobOrder.id).in_([j.id for j in page.items]))
    )
    versions = {v.job_order_id: v for v in await session.exec(current_versions)}
    return Page([_read(j, versions[j.id]) for j in page.items], page.next_cursor)


async def change_terms(
    session: AsyncSession,
    caller: Caller,
    job_order_id: UUID,
    expected_version: int | None,
    change: JobOrderTermsChange,
) -> JobOrderRead:
    """New terms become the next version; every earlier version stays as it was."""
    job_order = await find_job_order(session, caller, job_order_id, for_update=True)
    check_version(job_order.version, expected_version)
    current = await _version(session, job_order.id, job_order.current_version)
    before = _read(job_order, current)
    if JobOrderTerms.model_validate(current.terms) == change.terms:
        return before
    following = JobOrderVersion(
        job_order_id=job_order.id,
        number=job_order.current_version + 1,
        terms=change.terms.model_dump(mode="json"),
        created_by=caller.actor,
    )
    job_order.current_version = following.number
    mark_changed(job_order)
    session.add_all([following, job_order])
    await session.flush()
    after = _read(job_order, following)
    await audit.record(
        session, caller, "job_order.terms", "job_order", job_order.id,
        grower_id=job_order.grower_id, before=before, after=after,
    )  # fmt: skip
    await cases.reevaluate(session, await cases.cases_of_job_order(session, job_order.id))
    return after


async def list_versions(
    session: AsyncSession, caller: Caller, job_order_id: UUID
) -> list[JobOrderVersionRead]:
    await find_job_order(session, caller, job_order_id)
    rows = await session.exec(
        select(JobOrderVersion)
        .where(JobOrderVersion.job_order_id == job_order_id)
        .order_by(col(JobOrderVersion.number))
    )
    return [JobOrderVersionRead.model_validate(row) for row in rows]


async def read_version(
    session: AsyncSession, caller: Caller, job_order_id: UUID, number: int
) -> JobOrderVersionRead:
    await find_job_order(session, caller, job_order_id)
    return JobOrderVersionRead.model_validate(await _version(session, job_order_id, number))
