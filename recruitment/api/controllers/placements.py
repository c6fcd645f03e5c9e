from typing import Annotated
from uuid import UUID

from litestar import get
from litestar.params import PathParameter

from recruitment.api.dependencies import CurrentCaller, Transaction
from recruitment.api.pagination import DEFAULT_LIMIT, Cursor, Limit
from recruitment.api.problems import AUTHENTICATED, problem_responses
from recruitment.schemas.common import PageOf
from recruitment.schemas.placements import ContractorPlacementRead
from recruitment.services import placements


@get(
    "/growers/{grower_id:uuid}/placements",
    tags=["growers"],
    summary="H-2A labor contractors placing workers at this grower: not its direct hires",
    responses=problem_responses(*AUTHENTICATED, 404),
)
async def grower_placements(
    transaction: Transaction,
    caller: CurrentCaller,
    grower_id: Annotated[UUID, PathParameter(description="The grower's id.")],
    cursor: Cursor = None,
    limit: Limit = DEFAULT_LIMIT,
) -> PageOf[ContractorPlacementRead]:
    page = await placements.list_for_grower(
        transaction, caller, grower_id, cursor=cursor, limit=limit
    )
    return PageOf[ContractorPlacementRead](items=page.items, next_cursor=page.next_cursor)


@get(
    "/intermediaries/{intermediary_id:uuid}/placements",
    tags=["intermediaries"],
    summary="The growers an H-2A labor contractor places workers at (a grower: only itself)",
    responses=problem_responses(*AUTHENTICATED, 404),
)
async def intermediary_placements(
    transaction: Transaction,
    caller: CurrentCaller,
    intermediary_id: Annotated[UUID, PathParameter(description="The intermediary's id.")],
    cursor: Cursor = None,
    limit: Limit = DEFAULT_LIMIT,
) -> PageOf[ContractorPlacementRead]:
    page = await placements.list_for_intermediary(
        transaction, caller, intermediary_id, cursor=cursor, limit=limit
    )
    return PageOf[ContractorPlacementRead](items=page.items, next_cursor=page.next_cursor)
