from typing import Annotated, Any
from uuid import UUID

from litestar import Controller, Request, Response, get, patch, post
from litestar.background_tasks import BackgroundTask
from litestar.datastructures import State
from litestar.params import JSONBody, PathParameter, QueryParameter

from recruitment.api.conditional import (
    IdempotencyKey,
    IfMatch,
    etag,
    expected_version,
    idempotent,
    with_etag,
)
from recruitment.api.dependencies import CurrentCaller, Transaction
from recruitment.api.pagination import DEFAULT_LIMIT, Cursor, Limit
from recruitment.api.problems import AUTHENTICATED, problem_responses
from recruitment.domain.vocabulary import ProgramStatus, UsState
from recruitment.queue import defer_deliveries
from recruitment.schemas.common import PageOf
from recruitment.schemas.growers import (
    GrowerCreate,
    GrowerRead,
    GrowerUpdate,
    ProgramStatusChange,
    ProgramStatusChangeRead,
)
from recruitment.services import growers, standing

GrowerId = Annotated[UUID, PathParameter(description="The grower's id.")]


class GrowerController(Controller):
    path = "/growers"
    tags = ["growers"]

    @post(
        "/",
        summary="Register a participating grower (staff)",
        responses=problem_responses(*AUTHENTICATED, 409),
    )
    async def create(
        self,
        request: Request[Any, Any, Any],
        transaction: Transaction,
        caller: CurrentCaller,
        data: JSONBody[GrowerCreate],
        idempotency_key: IdempotencyKey = None,
    ) -> Response[GrowerRead]:
        async def register() -> tuple[int, GrowerRead, dict[str, str]]:
            grower = await growers.create_grower(transaction, caller, data)
            return 201, grower, {"ETag": etag(grower.version), "Location": f"/growers/{grower.id}"}

        return await idempotent(request, transaction, caller, idempotency_key, register)

    @get(
        "/",
        summary="Growers: all for staff, itself for a grower",
        responses=problem_responses(*AUTHENTICATED),
    )
    async def list_growers(
        self,
        transaction: Transaction,
        caller: CurrentCaller,
        cursor: Cursor = None,
        limit: Limit = DEFAULT_LIMIT,
        program_status: Annotated[ProgramStatus | None, QueryParameter()] = None,
        us_state: Annotated[UsState | None, QueryParameter(name="state")] = None,
    ) -> PageOf[GrowerRead]:
        page = await growers.list_growers(
            transaction,
            caller,
            program_status=program_status,
            state=us_state,
            cursor=cursor,
            limit=limit,
        )
        return PageOf[GrowerRead](items=page.items, next_cursor=page.next_cursor)

    @get(
        "/{grower_id:uuid}", summary="One grower", responses=problem_responses(*AUTHENTICATED, 404)
    )
    async def read(
        self, transaction: Transaction, caller: CurrentCaller, grower_id: GrowerId
    ) -> Response[GrowerRead]:
        return with_etag(await growers.read_grower(transaction, caller, grower_id))

    @patch(
        "/{grower_id:uuid}",
        summary="Correct a grower's details (staff, or the grower itself)",
        responses=problem_responses(*AUTHENTICATED, 404, 409, 412, 428),
    )
    async def update(
        self,
        transaction: Transaction,
        caller: CurrentCaller,
        grower_id: GrowerId,
        data: JSONBody[GrowerUpdate],
        if_match: IfMatch = None,
    ) -> Response[GrowerRead]:
        grower = await growers.update_grower(
            transaction, caller, grower_id, expected_version(if_match), data
        )
        return with_etag(grower)

    @post(
        "/{grower_id:uuid}/program-status",
        summary="Suspend, reinstate or withdraw a grower (staff), with the date, reason and "
        "grounds; reinstating needs a passed re-entry audit. Buyers' webhooks are told.",
        responses=problem_responses(*AUTHENTICATED, 404, 409),
    )
    async def change_status(
        self,
        request: Request[Any, Any, Any],
        state: State,
        transaction: Transaction,
        caller: CurrentCaller,
        grower_id: GrowerId,
        data: JSONBody[ProgramStatusChange],
        idempotency_key: IdempotencyKey = None,
    ) -> Response[ProgramStatusChangeRead]:
        async def record_change() -> tuple[int, ProgramStatusChangeRead, dict[str, str]]:
            return (
                201,
                await growers.change_program_status(transaction, caller, grower_id, data),
                {},
            )

        response = await idempotent(request, transaction, caller, idempotency_key, record_change)
        content = response.content
        recorded = UUID(str(content["id"] if isinstance(content, dict) else content.id))
        # Queued once the response is out, after the commit: the worker finds the rows.
        response.background = BackgroundTask(
            defer_deliveries,
            state.queue,
            await standing.pending_deliveries(transaction, recorded),
        )
        return response

    @get(
        "/{grower_id:uuid}/program-status",
        summary="The history of a grower's program status",
        responses=problem_responses(*AUTHENTICATED, 404),
    )
    async def status_history(
        self, transaction: Transaction, caller: CurrentCaller, grower_id: GrowerId
    ) -> list[ProgramStatusChangeRead]:
        return await growers.list_status_changes(transaction, caller, grower_id)
