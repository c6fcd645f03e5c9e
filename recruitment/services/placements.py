"""Contractor placements: which H-2A labor contractor supplies workers to which grower, as the
OFLC disclosure data shows (Form 790A, Addendum B). The workers placed so are the contractor's
employees, not the grower's direct hires."""

from typing import Any
from uuid import UUID

from sqlalchemy import Select
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from recruitment.models import ContractorPlacement, Grower, Intermediary
from recruitment.schemas.placements import ContractorPlacementRead
from recruitment.services import growers, intermediaries
from recruitment.services.caller import Caller
from recruitment.services.pagination import Page, paginate


async def list_for_grower(
    session: AsyncSession, caller: Caller, grower_id: UUID, *, cursor: str | None, limit: int
) -> Page[ContractorPlacementRead]:
    """The contractors placing workers at a grower: for staff, and for the grower itself."""
    await growers.find_grower(session, caller, grower_id)
    query = select(ContractorPlacement).where(ContractorPlacement.grower_id == grower_id)
    return await _page(session, query, cursor, limit)


async def list_for_intermediary(
    session: AsyncSession, caller: Caller, intermediary_id: UUID, *, cursor: str | None, limit: int
) -> Page[ContractorPlacementRead]:
    """Where a contractor places workers: everywhere for staff, at itself for a grower."""
    await intermediaries.find_intermediary(session, caller, intermediary_id)
    query = select(ContractorPlacement).where(
        ContractorPlacement.intermediary_id == intermediary_id,
        caller.scope(col(ContractorPlacement.grower_id)),
    )
    return await _page(session, query, cursor, limit)


async def _page(
    session: AsyncSession, query: Select[Any], cursor: str | None, limit: int
) -> Page[ContractorPlacementRead]:
    page = await paginate(session, query, ContractorPlacement, cursor=cursor, limit=limit)
    placements: list[ContractorPlacement] = list(page.items)
    contractors = dict(
        (
            await session.exec(
                select(Intermediary.id, Intermediary.name).where(
                    col(Intermediary.id).in_({p.intermediary_id for p in placements})
                )
            )
        ).all()
    )
    names = dict(
        (
            await session.exec(
                select(Grower.id, Grower.legal_name).where(
                    col(Grower.id).in_({p.grower_id for p in placements})
                )
            )
        ).all()
    )
    return Page(
        [
            ContractorPlacementRead.model_validate(
                {
                    **placement.model_dump(),
                    "contractor_name": contractors[placement.intermediary_id],
                    "grower_legal_name": names[placement.grower_id],
                }
            )
            for placement in placements
        ],
        page.next_cursor,
    )
