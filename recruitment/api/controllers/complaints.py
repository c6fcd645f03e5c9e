"""Complaints over HTTP: staff's queue (`/complaints`) and what growers see of complaints about
them once staff share one (`/shared-complaints`). Two paths, two shapes: a grower's answer
can't carry a field staff's answer has."""

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
from recruitment.domain.vocabulary import (
    ComplaintCategory,
    ComplaintChannel,
    ComplaintSeverity,
    ComplaintStatus,
)
from recruitment.schemas.common import PageOf
from recruitment.schemas.complaints import (
    ComplaintCreate,
    ComplaintRead,
    ComplaintRow,
    ComplaintUpdate,
    GrowerResponseCreate,
    RemedyCreate,
    SharedComplaintRead,
)
from recruitment.services import complaints

ComplaintId = Annotated[UUID, PathParameter(description="The complaint's id.")]


class ComplaintController(Controller):
    path = "/complaints"
    tags = ["complaints"]

    @post(
        "/",
        summary="Record a complaint from the hotline or in person (staff)",
        responses=problem_responses(*AUTHENTICATED, 404, 409),
    )
    async def create(
        self,
        request: Request[Any, Any, Any],
        transaction: Transaction,
        caller: CurrentCaller,
        data: JSONBody[ComplaintCreate],
        idempotency_key: IdempotencyKey = None,
    ) -> Response[ComplaintRead]:
        async def record() -> tuple[int, ComplaintRead, dict[str, str]]:
            created = await complaints.record_complaint(transaction, caller, data)
            headers = {"ETag": etag(created.version), "Location": f"/complaints/{created.id}"}
            return 201, created, headers

        return await idempotent(request, transaction, caller, idempotency_key, record)

    @get(
        "/",
        summary="The complaint queue, without the workers' words (staff)",
        responses=problem_responses(*AUTHENTICATED),
    )
    async def list_complaints(
        self,
        transaction: Transaction,
        caller: CurrentCaller,
        cursor: Cursor = None,
        limit: Limit = DEFAULT_LIMIT,
        grower_id: Annotated[UUID | None, QueryParameter()] = None,
        status: Annotated[ComplaintStatus | None, QueryParameter()] = None,
        category: Annotated[ComplaintCategory | None, QueryParameter()] = None,
        severity: Annotated[ComplaintSeverity | None, QueryParameter()] = None,
        channel: Annotated[ComplaintChannel | None, QueryParameter()] = None,
    ) -> PageOf[ComplaintRow]:
        page = await complaints.list_complaints(
            transaction, caller, grower_id=grower_id, status=status, category=category,
            severity=severity, channel=channel, cursor=cursor, limit=limit,
        )  # fmt: skip
        return PageOf[ComplaintRow](items=page.items, next_cursor=page.next_cursor)

    @get(
        "/{complaint_id:uuid}",
        summary="One complaint, whole; the read is written to the audit trail (staff)",
        responses=problem_responses(*AUTHENTICATED, 404),
    )
    async def read(
        self, transaction: Transaction, caller: CurrentCaller, complaint_id: ComplaintId
    ) -> Response[ComplaintRead]:
        return with_etag(await complaints.read_complaint(transaction, caller, complaint_id))

    @patch(
        "/{complaint_id:uuid}",
        summary="Investigate: status, investigator, notes, what the grower is told (staff)",
        responses=problem_responses(*AUTHENTICATED, 404, 409, 412, 428),
    )
    async def update(
        self,
        transaction: Transaction,
        caller: CurrentCaller,
        complaint_id: ComplaintId,
        data: JSONBody[ComplaintUpdate],
        if_match: IfMatch = None,
    ) -> Response[ComplaintRead]:
        changed = await complaints.update_complaint(
            transaction, caller, complaint_id, expected_version(if_match), data
        )
        return with_etag(changed)

    @post(
        "/{complaint_id:uuid}/remedies",
        summary="Record a remedy; a reimbursement is recorded on the case's ledger (staff)",
        responses=problem_responses(*AUTHENTICATED, 404, 409),
    )
    async def record_remedy(
        self,
        request: Request[Any, Any, Any],
        transaction: Transaction,
        caller: CurrentCaller,
        complaint_id: ComplaintId,
        data: JSONBody[RemedyCreate],
        idempotency_key: IdempotencyKey = None,
    ) -> Response[ComplaintRead]:
        async def record() -> tuple[int, ComplaintRead, dict[str, str]]:
            remedied = await complaints.record_remedy(transaction, caller, complaint_id, data)
            return 201, remedied, {"ETag": etag(remedied.version)}

        return await idempotent(request, transaction, caller, idempotency_key, record)


class SharedComplaintController(Controller):
    path = "/shared-complaints"
    tags = ["complaints"]

    @get(
        "/",
        summary="Complaints staff shared with the grower: summary and required action",
        responses=problem_responses(*AUTHENTICATED),
    )
    async def list_shared(
        self,
        transaction: Transaction,
        caller: CurrentCaller,
        cursor: Cursor = None,
        limit: Limit = DEFAULT_LIMIT,
    ) -> PageOf[SharedComplaintRead]:
        page = await complaints.list_shared(transaction, caller, cursor=cursor, limit=limit)
        return PageOf[SharedComplaintRead](items=page.items, next_cursor=page.next_cursor)

    @get(
        "/{complaint_id:uuid}",
        summary="One shared complaint",
        responses=problem_responses(*AUTHENTICATED, 404),
    )
    async def read(
        self, transaction: Transaction, caller: CurrentCaller, complaint_id: ComplaintId
    ) -> Response[SharedComplaintRead]:
        return with_etag(await complaints.read_shared(transaction, caller, complaint_id))

    @post(
        "/{complaint_id:uuid}/responses",
        summary="The grower's response to what staff shared",
        responses=problem_responses(*AUTHENTICATED, 404, 409),
    )
    async def respond(
        self,
        request: Request[Any, Any, Any],
        transaction: Transaction,
        caller: CurrentCaller,
        complaint_id: ComplaintId,
        data: JSONBody[GrowerResponseCreate],
        idempotency_key: IdempotencyKey = None,
    ) -> Response[SharedComplaintRead]:
        async def answer() -> tuple[int, SharedComplaintRead, dict[str, str]]:
            return 201, await complaints.respond(transaction, caller, complaint_id, data), {}

        return await idempotent(request, transaction, caller, idempotency_key, answer)
