"""Intermediaries: declared by growers, verified by staff."""

from typing import Any
from uuid import UUID

from sqlalchemy import ColumnElement, bindparam, exists, or_, true
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from recruitment.domain.vocabulary import IntermediaryKind, VerificationStatus
from recruitment.errors import Forbidden, NotFound
from recruitment.models import (
    ChainLink,
    ContractorPlacement,
    Intermediary,
    IntermediaryVerification,
    Recruitment,
)
from recruitment.schemas.intermediaries import (
    IntermediaryCreate,
    IntermediaryRead,
    IntermediaryUpdate,
    IntermediaryVerificationCreate,
    IntermediaryVerificationRead,
)
from recruitment.services import audit, cases
from recruitment.services.caller import Caller
from recruitment.services.pagination import Page, paginate
from recruitment.services.versioning import check_version, mark_changed


def visible_to(caller: Caller) -> ColumnElement[bool]:
    """Staff see every intermediary; a grower those it declared, the public SNE offices, the
    verified ones, any in its own recruitment chains, and the contractors placing workers on
    its farm."""
    return true() if caller.is_staff else _visible_to_grower(caller.grower_id)


def _visible_to_grower(grower_id: Any) -> ColumnElement[bool]:
    """`grower_id`: a value, or a parameter of a statement built once."""
    in_own_chain = exists().where(
        col(ChainLink.intermediary_id) == col(Intermediary.id),
        col(ChainLink.recruitment_id) == col(Recruitment.id),
        col(Recruitment.grower_id) == grower_id,
    )
    places_workers_here = exists().where(
        col(ContractorPlacement.intermediary_id) == col(Intermediary.id),
        col(ContractorPlacement.grower_id) == grower_id,
    )
    return or_(
        col(Intermediary.declared_by_grower_id) == grower_id,
        col(Intermediary.kind) == "sne_office",
        col(Intermediary.verification_status) == "verified",
        in_own_chain,
        places_workers_here,
    )


# What every new case with an SNE office or a chain reads, built once (see cases._GROWER_PARTIES).
_ANY_INTERMEDIARY = select(Intermediary).where(cases.among_bound(col(Intermediary.id), "ids"))
_GROWERS_INTERMEDIARY = _ANY_INTERMEDIARY.where(_visible_to_grower(bindparam("grower_id")))


async def declare(
    session: AsyncSession, caller: Caller, data: IntermediaryCreate
) -> IntermediaryRead:
    intermediary = Intermediary(
        **data.model_dump(), declared_by_grower_id=None if caller.is_staff else caller.grower_id
    )
    session.add(intermediary)
    await session.flush()
    created = IntermediaryRead.model_validate(intermediary)
    await audit.record(
        session, caller, "intermediary.declare", "intermediary", intermediary.id,
        grower_id=intermediary.declared_by_grower_id, after=created,
    )  # fmt: skip
    return created


async def find_intermediaries(
    session: AsyncSession, caller: Caller, ids: set[UUID]
) -> dict[UUID, Intermediary]:
    """The intermediaries the caller may refer to; an id it may not see is not found."""
    if not ids:
        return {}
    query = _ANY_INTERMEDIARY if caller.is_staff else _GROWERS_INTERMEDIARY
    rows = await session.exec(query, params={"ids": list(ids), "grower_id": caller.grower_id})
    found = {row.id: row for row in rows}
    missing = ids - found.keys()
    if missing:
        raise NotFound(f"No intermediary {sorted(map(str, missing))[0]}.")
    return found


async def find_intermediary(
    session: AsyncSession, caller: Caller, intermediary_id: UUID, *, for_update: bool = False
) -> Intermediary:
    query = select(Intermediary).where(Intermediary.id == intermediary_id, visible_to(caller))
    if for_update:
        query = query.with_for_update()
    intermediary = (await session.exec(query)).first()
    if intermediary is None:
        raise NotFound(f"No intermediary {intermediary_id}.")
    return intermediary


async def read_intermediary(
    session: AsyncSession, caller: Caller, intermediary_id: UUID
) -> IntermediaryRead:
    return IntermediaryRead.model_validate(
        await find_intermediary(session, caller, intermediary_id)
    )


async def list_intermediaries(
    session: AsyncSession,
    caller: Caller,
    *,
    kind: IntermediaryKind | None,
    verification_status: VerificationStatus | None,
    certificate_number: str | None,
    cursor: str | None,
    limit: int,
) -> Page[IntermediaryRead]:
    query = select(Intermediary).where(visible_to(caller))
    if kind is not None:
        query = query.where(Intermediary.kind == kind)
    if verification_status is not None:
        query = query.where(Intermediary.verification_status == verification_status)
    if certificate_number is not None:
        query = query.where(Intermediary.certificate_number == certificate_number)
    page = await paginate(session, query, Intermediary, cursor=cursor, limit=limit)
    return Page([IntermediaryRead.model_validate(i) for i in page.items], page.next_cursor)


async def update(
    session: AsyncSession,
    caller: Caller,
    intermediary_id: UUID,
    expected_version: int | None,
    changes: IntermediaryUpdate,
) -> IntermediaryRead:
    """The declaring grower corrects its declaration, which staff must then verify again."""
    intermediary = await find_intermediary(session, caller, intermediary_id, for_update=True)
    if not caller.is_staff and intermediary.declared_by_grower_id != caller.grower_id:
        raise Forbidden("Only the grower that declared this intermediary, or staff, may change it.")
    check_version(intermediary.version, expected_version)
    values = changes.model_dump(exclude_unset=True)
    before = IntermediaryRead.model_validate(intermediary)
    if not values:
        return before
    for key, value in values.items():
        setattr(intermediary, key, value)
    if not caller.is_staff:
        intermediary.verification_status = "unverified"
    mark_changed(intermediary)
    session.add(intermediary)
    await session.flush()
    after = IntermediaryRead.model_validate(intermediary)
    await audit.record(
        session, caller, "intermediary.update", "intermediary", intermediary.id,
        grower_id=intermediary.declared_by_grower_id, before=before, after=after,
    )  # fmt: skip
    await cases.reevaluate(session, await cases.cases_with_intermediary(session, intermediary.id))
    return after


async def verify(
    session: AsyncSession,
    caller: Caller,
    intermediary_id: UUID,
    decision: IntermediaryVerificationCreate,
) -> IntermediaryVerificationRead:
    caller.require_staff("verify intermediaries")
    intermediary = await find_intermediary(session, caller, intermediary_id, for_update=True)
    before = IntermediaryRead.model_validate(intermediary)
    record = IntermediaryVerification(
        intermediary_id=intermediary.id,
        status=decision.status,
        note=decision.note,
        verified_by=caller.actor,
    )
    intermediary.verification_status = decision.status
    mark_changed(intermediary)
    session.add_all([record, intermediary])
    await session.flush()
    await audit.record(
        session, caller, "intermediary.verify", "intermediary", intermediary.id,
        grower_id=intermediary.declared_by_grower_id, before=before,
        after=IntermediaryRead.model_validate(intermediary),
    )  # fmt: skip
    await cases.reevaluate(session, await cases.cases_with_intermediary(session, intermediary.id))
    return IntermediaryVerificationRead.model_validate(record)


async def list_verifications(
    session: AsyncSession, caller: Caller, intermediary_id: UUID
) -> list[IntermediaryVerificationRead]:
    await find_intermediary(session, caller, intermediary_id)
    rows = await session.exec(
        select(IntermediaryVerification)
        .where(IntermediaryVerification.intermediary_id == intermediary_id)
        .order_by(col(IntermediaryVerification.created_at), col(IntermediaryVerification.id))
    )
    return [IntermediaryVerificationRead.model_validate(row) for row in rows]
