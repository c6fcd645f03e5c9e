from typing import Annotated, Any
from uuid import UUID

from litestar import Controller, Request, Response, get, post
from litestar.datastructures import State
from litestar.params import JSONBody, PathParameter, QueryParameter
from pydantic import BaseModel

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
from recruitment.domain.vocabulary import CorrectiveActionStatus, ProgramFindingStatus
from recruitment.schemas.audits import (
    AuditClosing,
    AuditCreate,
    AuditRead,
    CorrectiveActionCompletion,
    CorrectiveActionCreate,
    CorrectiveActionRead,
    CorrectiveActionVerification,
    FindingCreate,
    FindingRead,
    InterviewCreate,
    InterviewRead,
)
from recruitment.schemas.common import PageOf
from recruitment.services import audits, corrective_actions

AuditId = Annotated[UUID, PathParameter(description="The audit's id.")]
ActionId = Annotated[UUID, PathParameter(description="The corrective action's id.")]
FindingId = Annotated[UUID, PathParameter(description="The finding's id.")]


def _created(record: BaseModel, location: str) -> tuple[int, BaseModel, dict[str, str]]:
    headers = {"Location": location}
    if version := getattr(record, "version", None):
        headers["ETag"] = etag(version)
    return 201, record, headers


class AuditController(Controller):
    path = "/audits"
    tags = ["audits"]

    @post(
        "/",
        summary="Schedule an audit of a grower for a season (staff)",
        responses=problem_responses(*AUTHENTICATED, 404),
    )
    async def create(
        self,
        request: Request[Any, Any, Any],
        state: State,
        transaction: Transaction,
        caller: CurrentCaller,
        data: JSONBody[AuditCreate],
        idempotency_key: IdempotencyKey = None,
    ) -> Response[AuditRead]:
        async def schedule() -> tuple[int, BaseModel, dict[str, str]]:
            audit = await audits.create_audit(
                transaction, caller, data, state.interview_coverage_target
            )
            return _created(audit, f"/audits/{audit.id}")

        return await idempotent(request, transaction, caller, idempotency_key, schedule)

    @get(
        "/",
        summary="Audits, with their interview coverage: all for staff, its own for a grower",
        responses=problem_responses(*AUTHENTICATED),
    )
    async def list_audits(
        self,
        transaction: Transaction,
        caller: CurrentCaller,
        cursor: Cursor = None,
        limit: Limit = DEFAULT_LIMIT,
        grower_id: Annotated[UUID | None, QueryParameter()] = None,
        season: Annotated[int | None, QueryParameter(ge=2000, le=2100)] = None,
    ) -> PageOf[AuditRead]:
        page = await audits.list_audits(
            transaction, caller, grower_id=grower_id, season=season, cursor=cursor, limit=limit
        )
        return PageOf[AuditRead](items=page.items, next_cursor=page.next_cursor)

    @get(
        "/{audit_id:uuid}",
        summary="One audit and its interview coverage",
        responses=problem_responses(*AUTHENTICATED, 404),
    )
    async def read(
        self, transaction: Transaction, caller: CurrentCaller, audit_id: AuditId
    ) -> Response[AuditRead]:
        return with_etag(await audits.read_audit(transaction, caller, audit_id))

    @post(
        "/{audit_id:uuid}/interviews",
        summary="Record a worker interview (staff); a fee or a non-SNE channel feeds the case",
        responses=problem_responses(*AUTHENTICATED, 404, 409),
    )
    async def interview(
        self,
        request: Request[Any, Any, Any],
        transaction: Transaction,
        caller: CurrentCaller,
        audit_id: AuditId,
        data: JSONBody[InterviewCreate],
        idempotency_key: IdempotencyKey = None,
    ) -> Response[InterviewRead]:
        async def record() -> tuple[int, BaseModel, dict[str, str]]:
            interview = await audits.record_interview(transaction, caller, audit_id, data)
            return 201, interview, {}

        return await idempotent(request, transaction, caller, idempotency_key, record)

    @get(
        "/{audit_id:uuid}/interviews",
        summary="The audit's interviews (staff only: what a worker said stays with the program)",
        responses=problem_responses(*AUTHENTICATED, 404),
    )
    async def interviews(
        self, transaction: Transaction, caller: CurrentCaller, audit_id: AuditId
    ) -> list[InterviewRead]:
        return await audits.list_interviews(transaction, caller, audit_id)

    @post(
        "/{audit_id:uuid}/findings",
        summary="Record a finding against a standard of the code (staff)",
        responses=problem_responses(*AUTHENTICATED, 404, 409),
    )
    async def finding(
        self,
        request: Request[Any, Any, Any],
        transaction: Transaction,
        caller: CurrentCaller,
        audit_id: AuditId,
        data: JSONBody[FindingCreate],
        idempotency_key: IdempotencyKey = None,
    ) -> Response[FindingRead]:
        async def record() -> tuple[int, BaseModel, dict[str, str]]:
            finding = await audits.record_finding(transaction, caller, audit_id, data)
            return _created(finding, f"/findings/{finding.id}")

        return await idempotent(request, transaction, caller, idempotency_key, record)

    @post(
        "/{audit_id:uuid}/closing",
        summary="Close the audit with its outcome (staff); coverage under target is a finding",
        responses=problem_responses(*AUTHENTICATED, 404, 409),
        status_code=200,
    )
    async def close(
        self,
        transaction: Transaction,
        caller: CurrentCaller,
        audit_id: AuditId,
        data: JSONBody[AuditClosing],
    ) -> Response[AuditRead]:
        return with_etag(await audits.close_audit(transaction, caller, audit_id, data))


class FindingController(Controller):
    path = "/findings"
    tags = ["audits"]

    @get(
        "/",
        summary="Findings about growers: from audits, and from the program's rules",
        responses=problem_responses(*AUTHENTICATED),
    )
    async def list_findings(
        self,
        transaction: Transaction,
        caller: CurrentCaller,
        cursor: Cursor = None,
        limit: Limit = DEFAULT_LIMIT,
        grower_id: Annotated[UUID | None, QueryParameter()] = None,
        audit_id: Annotated[UUID | None, QueryParameter()] = None,
        status: Annotated[ProgramFindingStatus | None, QueryParameter()] = None,
    ) -> PageOf[FindingRead]:
        page = await audits.list_findings(
            transaction, caller, grower_id=grower_id, audit_id=audit_id, status=status,
            cursor=cursor, limit=limit,
        )  # fmt: skip
        return PageOf[FindingRead](items=page.items, next_cursor=page.next_cursor)

    @get(
        "/{finding_id:uuid}",
        summary="One finding",
        responses=problem_responses(*AUTHENTICATED, 404),
    )
    async def read(
        self, transaction: Transaction, caller: CurrentCaller, finding_id: FindingId
    ) -> FindingRead:
        return FindingRead.model_validate(
            await audits.find_finding(transaction, caller, finding_id)
        )


class CorrectiveActionController(Controller):
    path = "/corrective-actions"
    tags = ["audits"]

    @post(
        "/",
        summary="Plan a corrective action answering an open finding (the grower, or staff)",
        responses=problem_responses(*AUTHENTICATED, 404, 409),
    )
    async def plan(
        self,
        request: Request[Any, Any, Any],
        transaction: Transaction,
        caller: CurrentCaller,
        data: JSONBody[CorrectiveActionCreate],
        idempotency_key: IdempotencyKey = None,
    ) -> Response[CorrectiveActionRead]:
        async def record() -> tuple[int, BaseModel, dict[str, str]]:
            action = await corrective_actions.plan_action(transaction, caller, data)
            return _created(action, f"/corrective-actions/{action.id}")

        return await idempotent(request, transaction, caller, idempotency_key, record)

    @get(
        "/",
        summary="Corrective action plans: every action, with whether it is overdue",
        responses=problem_responses(*AUTHENTICATED),
    )
    async def list_actions(
        self,
        transaction: Transaction,
        caller: CurrentCaller,
        cursor: Cursor = None,
        limit: Limit = DEFAULT_LIMIT,
        grower_id: Annotated[UUID | None, QueryParameter()] = None,
        finding_id: Annotated[UUID | None, QueryParameter()] = None,
        status: Annotated[CorrectiveActionStatus | None, QueryParameter()] = None,
    ) -> PageOf[CorrectiveActionRead]:
        page = await corrective_actions.list_actions(
            transaction, caller, grower_id=grower_id, finding_id=finding_id, status=status,
            cursor=cursor, limit=limit,
        )  # fmt: skip
        return PageOf[CorrectiveActionRead](items=page.items, next_cursor=page.next_cursor)

    @get(
        "/{action_id:uuid}",
        summary="One corrective action",
        responses=problem_responses(*AUTHENTICATED, 404),
    )
    async def read(
        self, transaction: Transaction, caller: CurrentCaller, action_id: ActionId
    ) -> Response[CorrectiveActionRead]:
        return with_etag(await corrective_actions.read_action(transaction, caller, action_id))

    @post(
        "/{action_id:uuid}/completion",
        summary="Report an action done, with the evidence (the grower, or staff)",
        responses=problem_responses(*AUTHENTICATED, 404, 409, 412, 428),
        status_code=200,
    )
    async def complete(
        self,
        transaction: Transaction,
        caller: CurrentCaller,
        action_id: ActionId,
        data: JSONBody[CorrectiveActionCompletion],
        if_match: IfMatch = None,
    ) -> Response[CorrectiveActionRead]:
        return with_etag(
            await corrective_actions.complete(
                transaction, caller, action_id, expected_version(if_match), data
            )
        )

    @post(
        "/{action_id:uuid}/verification",
        summary="Verify the evidence of a completed action, or send it back (staff)",
        responses=problem_responses(*AUTHENTICATED, 404, 409, 412, 428),
        status_code=200,
    )
    async def verify(
        self,
        transaction: Transaction,
        caller: CurrentCaller,
        action_id: ActionId,
        data: JSONBody[CorrectiveActionVerification],
        if_match: IfMatch = None,
    ) -> Response[CorrectiveActionRead]:
        return with_etag(
            await corrective_actions.verify(
                transaction, caller, action_id, expected_version(if_match), data
            )
        )
