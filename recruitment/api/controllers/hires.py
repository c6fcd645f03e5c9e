from typing import Annotated, Any
from uuid import UUID

from litestar import Controller, Request, Response, get, patch, post
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
from recruitment.schemas.common import PageOf
from recruitment.schemas.recruitments import HireCreate, HireRead, HireUpdate
from recruitment.services import hires

HireId = Annotated[UUID, PathParameter(description="The hire's id.")]


class HireController(Controller):
    path = "/hires"
    tags = ["hires"]

    @post(
        "/",
        summary="Register a direct hire: the worker, the recruitment facts and the hire at once",
        responses=problem_responses(*AUTHENTICATED, 404, 409),
    )
    async def register(
        self,
        request: Request[Any, Any, Any],
        transaction: Transaction,
        caller: CurrentCaller,
        data: JSONBody[HireCreate],
        idempotency_key: IdempotencyKey = None,
    ) -> Response[HireRead]:
        async def record() -> tuple[int, HireRead, dict[str, str]]:
            hire = await hires.register_hire(transaction, caller, data)
            return 201, hire, {"ETag": etag(hire.version), "Location": f"/hires/{hire.id}"}

        return await idempotent(request, transaction, caller, idempotency_key, record)

    @get("/", summary="Hires, filtered", responses=problem_responses(*AUTHENTICATED))
    async def list_hires(
        self,
        transaction: Transaction,
        caller: CurrentCaller,
        cursor: Cursor = None,
        limit: Limit = DEFAULT_LIMIT,
        grower_id: Annotated[UUID | None, QueryParameter()] = None,
        job_order_id: Annotated[UUID | None, QueryParameter()] = None,
        worker_id: Annotated[UUID | None, QueryParameter()] = None,
    ) -> PageOf[HireRead]:
        page = await hires.list_hires(
            transaction,
            caller,
            grower_id=grower_id,
            job_order_id=job_order_id,
            worker_id=worker_id,
            cursor=cursor,
            limit=limit,
        )
        return PageOf[HireRead](items=page.items, next_cursor=page.next_cursor)

    @get("/{hire_id:uuid}", summary="One hire", responses=problem_responses(*AUTHENTICATED, 404))
    async def read(
        self, transaction: Transaction, caller: CurrentCaller, hire_id: HireId
    ) -> Response[HireRead]:
        return with_etag(await hires.read_hire(transaction, caller, hire_id))

    @patch(
        "/{hire_id:uuid}",
        summary="Correct the hire's parties (employer of record, payer of wages) or start date",
        responses=problem_responses(*AUTHENTICATED, 404, 412, 428),
    )
    async def correct(
        self,
        transaction: Transaction,
        caller: CurrentCaller,
        hire_id: HireId,
        data: JSONBody[HireUpdate],
        if_match: IfMatch = None,
    ) -> Response[HireRead]:
        corrected = await hires.correct_hire(
            transaction, caller, hire_id, expected_version(if_match), data
        )
        return with_etag(corrected)
