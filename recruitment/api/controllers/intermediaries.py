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
from recruitment.domain.vocabulary import IntermediaryKind, VerificationStatus
from recruitment.schemas.common import PageOf
from recruitment.schemas.intermediaries import (
    IntermediaryCreate,
    IntermediaryRead,
    IntermediaryUpdate,
    IntermediaryVerificationCreate,
    IntermediaryVerificationRead,
)
from recruitment.services import intermediaries

IntermediaryId = Annotated[UUID, PathParameter(description="The intermediary's id.")]


class IntermediaryController(Controller):
    path = "/intermediaries"
    tags = ["intermediaries"]

    @post(
        "/",
        summary="Declare an intermediary (an SNE office, a contractor, a recruiter)",
        responses=problem_responses(*AUTHENTICATED, 409),
    )
    async def declare(
        self,
        request: Request[Any, Any, Any],
        transaction: Transaction,
        caller: CurrentCaller,
        data: JSONBody[IntermediaryCreate],
        idempotency_key: IdempotencyKey = None,
    ) -> Response[IntermediaryRead]:
        async def record() -> tuple[int, IntermediaryRead, dict[str, str]]:
            created = await intermediaries.declare(transaction, caller, data)
            headers = {"ETag": etag(created.version), "Location": f"/intermediaries/{created.id}"}
            return 201, created, headers

        return await idempotent(request, transaction, caller, idempotency_key, record)

    @get(
        "/",
        summary="Intermediaries the caller may see",
        responses=problem_responses(*AUTHENTICATED),
    )
    async def list_intermediaries(
        self,
        transaction: Transaction,
        caller: CurrentCaller,
        cursor: Cursor = None,
        limit: Limit = DEFAULT_LIMIT,
        kind: Annotated[IntermediaryKind | None, QueryParameter()] = None,
        verification_status: Annotated[VerificationStatus | None, QueryParameter()] = None,
        certificate_number: Annotated[str | None, QueryParameter(max_length=40)] = None,
    ) -> PageOf[IntermediaryRead]:
        page = await intermediaries.list_intermediaries(
            transaction,
            caller,
            kind=kind,
            verification_status=verification_status,
            certificate_number=certificate_number,
            cursor=cursor,
            limit=limit,
        )
        return PageOf[IntermediaryRead](items=page.items, next_cursor=page.next_cursor)

    @get(
        "/{intermediary_id:uuid}",
        summary="One intermediary",
        responses=problem_responses(*AUTHENTICATED, 404),
    )
    async def read(
        self, transaction: Transaction, caller: CurrentCaller, intermediary_id: IntermediaryId
    ) -> Response[IntermediaryRead]:
        found = await intermediaries.read_intermediary(transaction, caller, intermediary_id)
        return with_etag(found)

    @patch(
        "/{intermediary_id:uuid}",
        summary="Correct a declaration (the declaring grower, or staff); staff verify it again",
        responses=problem_responses(*AUTHENTICATED, 404, 412, 428),
    )
    async def update(
        self,
        transaction: Transaction,
        caller: CurrentCaller,
        intermediary_id: IntermediaryId,
        data: JSONBody[IntermediaryUpdate],
        if_match: IfMatch = None,
    ) -> Response[IntermediaryRead]:
        changed = await intermediaries.update(
            transaction, caller, intermediary_id, expected_version(if_match), data
        )
        return with_etag(changed)

    @post(
        "/{intermediary_id:uuid}/verifications",
        summary="Verify or reject an intermediary, with the evidence (staff)",
        responses=problem_responses(*AUTHENTICATED, 404, 409),
    )
    async def verify(
        self,
        request: Request[Any, Any, Any],
        transaction: Transaction,
        caller: CurrentCaller,
        intermediary_id: IntermediaryId,
        data: JSONBody[IntermediaryVerificationCreate],
        idempotency_key: IdempotencyKey = None,
    ) -> Response[IntermediaryVerificationRead]:
        async def decide() -> tuple[int, IntermediaryVerificationRead, dict[str, str]]:
            return 201, await intermediaries.verify(transaction, caller, intermediary_id, data), {}

        return await idempotent(request, transaction, caller, idempotency_key, decide)

    @get(
        "/{intermediary_id:uuid}/verifications",
        summary="The history of staff's decisions on an intermediary",
        responses=problem_responses(*AUTHENTICATED, 404),
    )
    async def verifications(
        self, transaction: Transaction, caller: CurrentCaller, intermediary_id: IntermediaryId
    ) -> list[IntermediaryVerificationRead]:
        return await intermediaries.list_verifications(transaction, caller, intermediary_id)
