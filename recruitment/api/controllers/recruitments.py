from datetime import date
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
from recruitment.domain.vocabulary import Channel, VerificationStatus
from recruitment.schemas.common import PageOf
from recruitment.schemas.recruitments import (
    ChannelVerificationCreate,
    ChannelVerificationRead,
    CostCreate,
    CostRead,
    RecruitmentCreate,
    RecruitmentRead,
    RecruitmentUpdate,
    ReimbursementCreate,
    ReimbursementRead,
)
from recruitment.services import costs, recruitments

RecruitmentId = Annotated[UUID, PathParameter(description="The recruitment's id.")]


class RecruitmentController(Controller):
    path = "/recruitments"
    tags = ["recruitments"]

    @post(
        "/",
        summary="Record how a worker was recruited for a job order",
        responses=problem_responses(*AUTHENTICATED, 404, 409),
    )
    async def create(
        self,
        request: Request[Any, Any, Any],
        transaction: Transaction,
        caller: CurrentCaller,
        data: JSONBody[RecruitmentCreate],
        idempotency_key: IdempotencyKey = None,
    ) -> Response[RecruitmentRead]:
        async def record() -> tuple[int, RecruitmentRead, dict[str, str]]:
            created = await recruitments.create_recruitment(transaction, caller, data)
            headers = {"ETag": etag(created.version), "Location": f"/recruitments/{created.id}"}
            return 201, created, headers

        return await idempotent(request, transaction, caller, idempotency_key, record)

    @get("/", summary="Recruitments, filtered", responses=problem_responses(*AUTHENTICATED))
    async def list_recruitments(
        self,
        transaction: Transaction,
        caller: CurrentCaller,
        cursor: Cursor = None,
        limit: Limit = DEFAULT_LIMIT,
        grower_id: Annotated[UUID | None, QueryParameter()] = None,
        job_order_id: Annotated[UUID | None, QueryParameter()] = None,
        worker_id: Annotated[UUID | None, QueryParameter()] = None,
        channel: Annotated[Channel | None, QueryParameter()] = None,
        channel_verification: Annotated[VerificationStatus | None, QueryParameter()] = None,
        recruited_from: Annotated[date | None, QueryParameter()] = None,
        recruited_until: Annotated[date | None, QueryParameter()] = None,
    ) -> PageOf[RecruitmentRead]:
        page = await recruitments.list_recruitments(
            transaction,
            caller,
            grower_id=grower_id,
            job_order_id=job_order_id,
            worker_id=worker_id,
            channel=channel,
            channel_verification=channel_verification,
            recruited_from=recruited_from,
            recruited_until=recruited_until,
            cursor=cursor,
            limit=limit,
        )
        return PageOf[RecruitmentRead](items=page.items, next_cursor=page.next_cursor)

    @get(
        "/{recruitment_id:uuid}",
        summary="One recruitment",
        responses=problem_responses(*AUTHENTICATED, 404),
    )
    async def read(
        self, transaction: Transaction, caller: CurrentCaller, recruitment_id: RecruitmentId
    ) -> Response[RecruitmentRead]:
        found = await recruitments.read_recruitment(transaction, caller, recruitment_id)
        return with_etag(found)

    @patch(
        "/{recruitment_id:uuid}",
        summary="Change the channel facts, the chain or the milestones",
        responses=problem_responses(*AUTHENTICATED, 404, 412, 428),
    )
    async def update(
        self,
        transaction: Transaction,
        caller: CurrentCaller,
        recruitment_id: RecruitmentId,
        data: JSONBody[RecruitmentUpdate],
        if_match: IfMatch = None,
    ) -> Response[RecruitmentRead]:
        changed = await recruitments.update_recruitment(
            transaction, caller, recruitment_id, expected_version(if_match), data
        )
        return with_etag(changed)

    @post(
        "/{recruitment_id:uuid}/channel-verification",
        summary="Verify or reject an SNE claim, with the evidence (staff)",
        responses=problem_responses(*AUTHENTICATED, 404, 409),
    )
    async def verify_channel(
        self,
        request: Request[Any, Any, Any],
        transaction: Transaction,
        caller: CurrentCaller,
        recruitment_id: RecruitmentId,
        data: JSONBody[ChannelVerificationCreate],
        idempotency_key: IdempotencyKey = None,
    ) -> Response[ChannelVerificationRead]:
        async def decide() -> tuple[int, ChannelVerificationRead, dict[str, str]]:
            decided = await recruitments.verify_channel(transaction, caller, recruitment_id, data)
            return 201, decided, {}

        return await idempotent(request, transaction, caller, idempotency_key, decide)

    @get(
        "/{recruitment_id:uuid}/channel-verifications",
        summary="The history of staff's checks of the channel",
        responses=problem_responses(*AUTHENTICATED, 404),
    )
    async def channel_verifications(
        self, transaction: Transaction, caller: CurrentCaller, recruitment_id: RecruitmentId
    ) -> list[ChannelVerificationRead]:
        return await recruitments.list_channel_verifications(transaction, caller, recruitment_id)

    @post(
        "/{recruitment_id:uuid}/costs",
        summary="Record a cost the worker paid (a correction names the cost it replaces)",
        responses=problem_responses(*AUTHENTICATED, 404, 409),
    )
    async def record_cost(
        self,
        request: Request[Any, Any, Any],
        transaction: Transaction,
        caller: CurrentCaller,
        recruitment_id: RecruitmentId,
        data: JSONBody[CostCreate],
        idempotency_key: IdempotencyKey = None,
    ) -> Response[CostRead]:
        async def record() -> tuple[int, CostRead, dict[str, str]]:
            return 201, await costs.record_cost(transaction, caller, recruitment_id, data), {}

        return await idempotent(request, transaction, caller, idempotency_key, record)

    @get(
        "/{recruitment_id:uuid}/costs",
        summary="The costs the worker paid",
        responses=problem_responses(*AUTHENTICATED, 404),
    )
    async def list_costs(
        self,
        transaction: Transaction,
        caller: CurrentCaller,
        recruitment_id: RecruitmentId,
        include_superseded: Annotated[bool, QueryParameter()] = False,
    ) -> list[CostRead]:
        return await costs.list_costs(
            transaction, caller, recruitment_id, include_superseded=include_superseded
        )

    @post(
        "/{recruitment_id:uuid}/reimbursements",
        summary="Record money paid back to the worker against named costs",
        responses=problem_responses(*AUTHENTICATED, 404, 409),
    )
    async def record_reimbursement(
        self,
        request: Request[Any, Any, Any],
        transaction: Transaction,
        caller: CurrentCaller,
        recruitment_id: RecruitmentId,
        data: JSONBody[ReimbursementCreate],
        idempotency_key: IdempotencyKey = None,
    ) -> Response[ReimbursementRead]:
        async def record() -> tuple[int, ReimbursementRead, dict[str, str]]:
            paid = await costs.record_reimbursement(transaction, caller, recruitment_id, data)
            return 201, paid, {}

        return await idempotent(request, transaction, caller, idempotency_key, record)

    @get(
        "/{recruitment_id:uuid}/reimbursements",
        summary="Money paid back to the worker",
        responses=problem_responses(*AUTHENTICATED, 404),
    )
    async def list_reimbursements(
        self, transaction: Transaction, caller: CurrentCaller, recruitment_id: RecruitmentId
    ) -> list[ReimbursementRead]:
        return await costs.list_reimbursements(transaction, caller, recruitment_id)
