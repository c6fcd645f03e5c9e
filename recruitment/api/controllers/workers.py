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
from recruitment.schemas.recruitments import Ledger
from recruitment.schemas.workers import WorkerIdentity, WorkerRead, WorkerSummary, WorkerUpdate
from recruitment.services import costs, workers

WorkerId = Annotated[UUID, PathParameter(description="The worker's id.")]


class WorkerController(Controller):
    path = "/workers"
    tags = ["workers"]

    @post(
        "/",
        summary="Register a worker outside any recruitment (staff); growers do it with a hire",
        responses=problem_responses(*AUTHENTICATED, 409),
    )
    async def register(
        self,
        request: Request[Any, Any, Any],
        transaction: Transaction,
        caller: CurrentCaller,
        data: JSONBody[WorkerIdentity],
        idempotency_key: IdempotencyKey = None,
    ) -> Response[WorkerRead]:
        async def record() -> tuple[int, WorkerRead, dict[str, str]]:
            worker = await workers.register_worker(transaction, caller, data)
            return 201, worker, {"ETag": etag(worker.version), "Location": f"/workers/{worker.id}"}

        return await idempotent(request, transaction, caller, idempotency_key, record)

    @get(
        "/",
        summary="Workers, identity documents masked: staff all, a grower those it recruits",
        responses=problem_responses(*AUTHENTICATED),
    )
    async def list_workers(
        self,
        transaction: Transaction,
        caller: CurrentCaller,
        cursor: Cursor = None,
        limit: Limit = DEFAULT_LIMIT,
        nationality: Annotated[str | None, QueryParameter(min_length=2, max_length=2)] = None,
    ) -> PageOf[WorkerSummary]:
        page = await workers.list_workers(
            transaction, caller, nationality=nationality, cursor=cursor, limit=limit
        )
        return PageOf[WorkerSummary](items=page.items, next_cursor=page.next_cursor)

    @get(
        "/{worker_id:uuid}", summary="One worker", responses=problem_responses(*AUTHENTICATED, 404)
    )
    async def read(
        self, transaction: Transaction, caller: CurrentCaller, worker_id: WorkerId
    ) -> Response[WorkerRead]:
        found = await workers.read_worker(transaction, caller, worker_id)
        return with_etag(found)

    @patch(
        "/{worker_id:uuid}",
        summary="Correct a worker's names, language or phone",
        responses=problem_responses(*AUTHENTICATED, 404, 412, 428),
    )
    async def update(
        self,
        transaction: Transaction,
        caller: CurrentCaller,
        worker_id: WorkerId,
        data: JSONBody[WorkerUpdate],
        if_match: IfMatch = None,
    ) -> Response[WorkerRead]:
        changed = await workers.update_worker(
            transaction, caller, worker_id, expected_version(if_match), data
        )
        return with_etag(changed)

    @get(
        "/{worker_id:uuid}/ledger",
        summary="Per currency: what the worker paid, what came back, what is still owed",
        responses=problem_responses(*AUTHENTICATED, 404),
    )
    async def ledger(
        self, transaction: Transaction, caller: CurrentCaller, worker_id: WorkerId
    ) -> Ledger:
        return await costs.ledger(transaction, caller, worker_id)
