from typing import Annotated, Any
from uuid import UUID

from litestar import Controller, Request, Response, get, post, put
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
from recruitment.schemas.job_orders import (
    JobOrderCreate,
    JobOrderRead,
    JobOrderTermsChange,
    JobOrderVersionRead,
)
from recruitment.services import job_orders

JobOrderId = Annotated[UUID, PathParameter(description="The job order's id.")]


class JobOrderController(Controller):
    path = "/job-orders"
    tags = ["job orders"]

    @post(
        "/",
        summary="Register a job order and its terms (version 1)",
        responses=problem_responses(*AUTHENTICATED, 404, 409),
    )
    async def create(
        self,
        request: Request[Any, Any, Any],
        transaction: Transaction,
        caller: CurrentCaller,
        data: JSONBody[JobOrderCreate],
        idempotency_key: IdempotencyKey = None,
    ) -> Response[JobOrderRead]:
        async def register() -> tuple[int, JobOrderRead, dict[str, str]]:
            created = await job_orders.create_job_order(transaction, caller, data)
            headers = {"ETag": etag(created.version), "Location": f"/job-orders/{created.id}"}
            return 201, created, headers

        return await idempotent(request, transaction, caller, idempotency_key, register)

    @get(
        "/",
        summary="Job orders, with their current terms",
        responses=problem_responses(*AUTHENTICATED),
    )
    async def list_job_orders(
        self,
        transaction: Transaction,
        caller: CurrentCaller,
        cursor: Cursor = None,
        limit: Limit = DEFAULT_LIMIT,
        grower_id: Annotated[UUID | None, QueryParameter()] = None,
    ) -> PageOf[JobOrderRead]:
        page = await job_orders.list_job_orders(
            transaction, caller, grower_id=grower_id, cursor=cursor, limit=limit
        )
        return PageOf[JobOrderRead](items=page.items, next_cursor=page.next_cursor)

    @get(
        "/{job_order_id:uuid}",
        summary="One job order",
        responses=problem_responses(*AUTHENTICATED, 404),
    )
    async def read(
        self, transaction: Transaction, caller: CurrentCaller, job_order_id: JobOrderId
    ) -> Response[JobOrderRead]:
        found = await job_orders.read_job_order(transaction, caller, job_order_id)
        return with_etag(found)

    @put(
        "/{job_order_id:uuid}/terms",
        summary="Change the terms: they become the next version; earlier versions stay readable",
        responses=problem_responses(*AUTHENTICATED, 404, 412, 428),
    )
    async def change_terms(
        self,
        transaction: Transaction,
        caller: CurrentCaller,
        job_order_id: JobOrderId,
        data: JSONBody[JobOrderTermsChange],
        if_match: IfMatch = None,
    ) -> Response[JobOrderRead]:
        changed = await job_orders.change_terms(
            transaction, caller, job_order_id, expected_version(if_match), data
        )
        return with_etag(changed)

    @get(
        "/{job_order_id:uuid}/versions",
        summary="Every version of the terms",
        responses=problem_responses(*AUTHENTICATED, 404),
    )
    async def versions(
        self, transaction: Transaction, caller: CurrentCaller, job_order_id: JobOrderId
    ) -> list[JobOrderVersionRead]:
        return await job_orders.list_versions(transaction, caller, job_order_id)

    @get(
        "/{job_order_id:uuid}/versions/{number:int}",
        summary="One version of the terms, as it was written",
        responses=problem_responses(*AUTHENTICATED, 404),
    )
    async def version(
        self,
        transaction: Transaction,
        caller: CurrentCaller,
        job_order_id: JobOrderId,
        number: Annotated[int, PathParameter(ge=1, le=1_000_000)],
    ) -> JobOrderVersionRead:
        return await job_orders.read_version(transaction, caller, job_order_id, number)
