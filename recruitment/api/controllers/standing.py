from typing import Annotated, Any
from uuid import UUID

from litestar import Controller, Request, Response, get, post
from litestar.params import JSONBody, PathParameter, QueryParameter
from pydantic import BaseModel

from recruitment.api.conditional import IdempotencyKey, idempotent
from recruitment.api.dependencies import BUYERS, CurrentCaller, Transaction
from recruitment.api.pagination import DEFAULT_LIMIT, Cursor, Limit
from recruitment.api.problems import AUTHENTICATED, problem_responses
from recruitment.schemas.buyers import (
    BuyerCreate,
    BuyerRead,
    GrowerStanding,
    RegisteredBuyer,
    StandingChangesPage,
    StandingDeliveryRead,
)
from recruitment.schemas.common import PageOf
from recruitment.services import buyers, standing

BuyerId = Annotated[UUID, PathParameter(description="The buyer's id.")]


class StandingController(Controller):
    """What participating buyers read: standing, never workers."""

    path = "/standing"
    tags = ["standing"]
    opt = BUYERS

    @get(
        "/",
        summary="Every grower's standing today (buyers and staff)",
        responses=problem_responses(*AUTHENTICATED),
    )
    async def current(
        self,
        transaction: Transaction,
        caller: CurrentCaller,
        cursor: Cursor = None,
        limit: Limit = DEFAULT_LIMIT,
        good_standing: Annotated[bool | None, QueryParameter()] = None,
    ) -> PageOf[GrowerStanding]:
        page = await standing.current_standing(
            transaction, caller, good_standing=good_standing, cursor=cursor, limit=limit
        )
        return PageOf[GrowerStanding](items=page.items, next_cursor=page.next_cursor)

    @get(
        "/changes",
        summary="Changes of standing since a cursor, oldest first (buyers and staff)",
        responses=problem_responses(*AUTHENTICATED),
    )
    async def changes(
        self,
        transaction: Transaction,
        caller: CurrentCaller,
        cursor: Cursor = None,
        limit: Limit = DEFAULT_LIMIT,
    ) -> StandingChangesPage:
        return await standing.changes_since(transaction, caller, cursor=cursor, limit=limit)


class BuyerController(Controller):
    path = "/buyers"
    tags = ["standing"]

    @post(
        "/",
        summary="Register a participating buyer and its webhook (staff); the secret is shown once",
        responses=problem_responses(*AUTHENTICATED, 409),
    )
    async def register(
        self,
        request: Request[Any, Any, Any],
        transaction: Transaction,
        caller: CurrentCaller,
        data: JSONBody[BuyerCreate],
        idempotency_key: IdempotencyKey = None,
    ) -> Response[RegisteredBuyer]:
        async def record() -> tuple[int, BaseModel, dict[str, str]]:
            buyer = await buyers.register_buyer(transaction, caller, data)
            return 201, buyer, {"Location": f"/buyers/{buyer.id}"}

        return await idempotent(request, transaction, caller, idempotency_key, record)

    @get("/", summary="Participating buyers (staff)", responses=problem_responses(*AUTHENTICATED))
    async def list_buyers(
        self,
        transaction: Transaction,
        caller: CurrentCaller,
        cursor: Cursor = None,
        limit: Limit = DEFAULT_LIMIT,
    ) -> PageOf[BuyerRead]:
        page = await buyers.list_buyers(transaction, caller, cursor=cursor, limit=limit)
        return PageOf[BuyerRead](items=page.items, next_cursor=page.next_cursor)

    @get(
        "/{buyer_id:uuid}/deliveries",
        summary="The buyer's webhook delivery log: each change sent, each attempt (staff)",
        responses=problem_responses(*AUTHENTICATED, 404),
    )
    async def deliveries(
        self,
        transaction: Transaction,
        caller: CurrentCaller,
        buyer_id: BuyerId,
        cursor: Cursor = None,
        limit: Limit = DEFAULT_LIMIT,
    ) -> PageOf[StandingDeliveryRead]:
        page = await buyers.list_deliveries(
            transaction, caller, buyer_id, cursor=cursor, limit=limit
        )
        return PageOf[StandingDeliveryRead](items=page.items, next_cursor=page.next_cursor)
