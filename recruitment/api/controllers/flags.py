from datetime import date
from typing import Annotated, Any
from uuid import UUID

from litestar import Controller, get, post
from litestar.params import JSONBody, PathParameter, QueryParameter

from recruitment import clock
from recruitment.api.dependencies import NO_KEY, PUBLIC, CurrentCaller, Transaction
from recruitment.api.pagination import DEFAULT_LIMIT, Cursor, Limit
from recruitment.api.problems import AUTHENTICATED, problem_responses
from recruitment.domain.vocabulary import FlagSeverity, FlagStatus
from recruitment.schemas.flags import (
    FlagPage,
    FlagRead,
    FlagStatusChangeCreate,
    FlagStatusChangeRead,
    VerificationRunCreate,
    VerificationRunRead,
)
from recruitment.services import corrective_actions, flags, reverification
from recruitment.verification import FlagCode, catalogue_document

FlagId = Annotated[UUID, PathParameter(description="The flag's id.")]


class FlagController(Controller):
    path = "/flags"
    tags = ["flags"]

    @get(
        "/catalogue",
        summary="Every flag code: severity, legal source, title and explanation in es, ht, en",
        opt=PUBLIC,
        security=NO_KEY,
    )
    async def catalogue(self) -> list[dict[str, Any]]:
        return catalogue_document()

    @get(
        "/",
        summary="The flags queue, filtered, with counts by code and severity",
        responses=problem_responses(*AUTHENTICATED),
    )
    async def list_flags(
        self,
        transaction: Transaction,
        caller: CurrentCaller,
        cursor: Cursor = None,
        limit: Limit = DEFAULT_LIMIT,
        grower_id: Annotated[UUID | None, QueryParameter()] = None,
        worker_id: Annotated[UUID | None, QueryParameter()] = None,
        recruitment_id: Annotated[UUID | None, QueryParameter()] = None,
        code: Annotated[FlagCode | None, QueryParameter()] = None,
        severity: Annotated[FlagSeverity | None, QueryParameter()] = None,
        status: Annotated[FlagStatus | None, QueryParameter()] = None,
        raised_from: Annotated[date | None, QueryParameter()] = None,
        raised_until: Annotated[date | None, QueryParameter()] = None,
    ) -> FlagPage:
        page, counts = await flags.list_flags(
            transaction,
            caller,
            grower_id=grower_id,
            worker_id=worker_id,
            recruitment_id=recruitment_id,
            code=code,
            severity=severity,
            status=status,
            raised_from=raised_from,
            raised_until=raised_until,
            cursor=cursor,
            limit=limit,
        )
        return FlagPage(items=list(page.items), next_cursor=page.next_cursor, counts=counts)

    @get(
        "/{flag_id:uuid}",
        summary="One flag, with its evidence",
        responses=problem_responses(*AUTHENTICATED, 404),
    )
    async def read(
        self, transaction: Transaction, caller: CurrentCaller, flag_id: FlagId
    ) -> FlagRead:
        return await flags.read_flag(transaction, caller, flag_id)

    @post(
        "/{flag_id:uuid}/status-changes",
        summary="Acknowledge, resolve (with a note) or dismiss (with a reason) a flag (staff)",
        responses=problem_responses(*AUTHENTICATED, 404, 409),
        status_code=200,
    )
    async def change_status(
        self,
        transaction: Transaction,
        caller: CurrentCaller,
        flag_id: FlagId,
        data: JSONBody[FlagStatusChangeCreate],
    ) -> FlagRead:
        return await flags.change_status(transaction, caller, flag_id, data)

    @get(
        "/{flag_id:uuid}/status-changes",
        summary="Who changed a flag's status, when, and why",
        responses=problem_responses(*AUTHENTICATED, 404),
    )
    async def history(
        self, transaction: Transaction, caller: CurrentCaller, flag_id: FlagId
    ) -> list[FlagStatusChangeRead]:
        return await flags.history(transaction, caller, flag_id)


@post(
    "/verification/runs",
    tags=["flags"],
    summary="Re-evaluate every case now, for rules that turn on time (staff)",
    responses=problem_responses(*AUTHENTICATED),
    status_code=200,
)
async def run_verification(
    transaction: Transaction, caller: CurrentCaller, data: JSONBody[VerificationRunCreate]
) -> VerificationRunRead:
    caller.require_staff("re-verify every case")
    as_of = data.as_of or clock.today()
    summary = await reverification.reevaluate_program(transaction, as_of=as_of)
    overdue = await corrective_actions.reevaluate_deadlines(transaction, as_of)
    return VerificationRunRead(
        as_of=as_of,
        cases=summary.cases,
        opened=summary.opened,
        updated=summary.updated,
        reopened=summary.reopened,
        resolved=summary.resolved,
        findings_by_code=dict(summary.by_code)
        | ({corrective_actions.OVERDUE: overdue} if overdue else {}),
    )
