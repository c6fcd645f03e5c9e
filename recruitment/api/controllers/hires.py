from typing import Annotated, Any
from uuid import UUID

from litestar import Controller, Request, Response, get, post
from litestar.params import JSONBody, PathParameter, QueryParameter

from recruitment.api.conditional import IdempotencyKey, idempotent
from recruitment.api.dependencies import CurrentCaller, Transaction
from recruitment.api.pagination import DEFAULT_LIMIT, Cursor, Limit
from recruitment.api.problems import AUTHENTICATED, problem_responses
from recruitment.schemas.common import PageOf
from recruitment.schemas.recruitments import HireCreate, HireRead
from recruitment.services import hires


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
            return 201, hire, {"Location": f"/hires/{hire.id}"}

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
        self,
        transaction: Transaction,
        caller: CurrentCaller,
        hire_id: Annotated[UUID, PathParameter()],
    ) -> HireRead:
        return await hires.read_hire(transaction, caller, hire_id)
