"""Growers with their program status and the flags waiting on them (staff)."""

from dataclasses import dataclass
from typing import Any

from litestar import Controller, Request, Response, get
from sqlmodel.ext.asyncio.session import AsyncSession

from recruitment.api.dependencies import CurrentCaller, Transaction
from recruitment.console.auth import require_staff
from recruitment.console.controllers import Cursor
from recruitment.console.pages import page
from recruitment.domain.vocabulary import FlagStatus
from recruitment.schemas.growers import GrowerRead
from recruitment.services import flags, growers
from recruitment.services.caller import Caller

GROWERS_PAGE_SIZE = 25


@dataclass(frozen=True)
class GrowerStanding:
    grower: GrowerRead
    open_flags: int
    acknowledged_flags: int


async def _flags_in(
    session: AsyncSession, caller: Caller, grower: GrowerRead, status: FlagStatus
) -> int:
    _, counts = await flags.list_flags(
        session, caller, grower_id=grower.id, worker_id=None, recruitment_id=None, code=None,
        severity=None, status=status, raised_from=None, raised_until=None, cursor=None, limit=1,
    )  # fmt: skip
    return sum(count.count for count in counts)


class GrowersController(Controller):
    path = "/growers"
    guards = [require_staff]

    @get("/")
    async def growers_list(
        self,
        request: Request[Any, Any, Any],
        transaction: Transaction,
        caller: CurrentCaller,
        cursor: Cursor = None,
    ) -> Response[Any]:
        listed = await growers.list_growers(
            transaction, caller, program_status=None, state=None, cursor=cursor,
            limit=GROWERS_PAGE_SIZE,
        )  # fmt: skip
        # Two counting queries per grower on the page: the flags service has no count by grower.
        standings = [
            GrowerStanding(
                grower,
                await _flags_in(transaction, caller, grower, "open"),
                await _flags_in(transaction, caller, grower, "acknowledged"),
            )
            for grower in listed.items
        ]
        return page(
            request, "growers/list.html", standings=standings, next_cursor=listed.next_cursor
        )
