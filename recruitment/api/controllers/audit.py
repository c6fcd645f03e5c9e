from datetime import datetime
from typing import Annotated, Any
from uuid import UUID

from litestar import get
from litestar.params import QueryParameter

from recruitment.api.dependencies import CurrentCaller, Transaction
from recruitment.api.pagination import DEFAULT_LIMIT, Cursor, Limit
from recruitment.api.problems import AUTHENTICATED, problem_responses
from recruitment.schemas.common import Output, PageOf
from recruitment.services import audit


class AuditEventRead(Output):
    id: UUID
    actor: str
    actor_role: str
    action: str
    subject_type: str
    subject_id: UUID
    grower_id: UUID | None
    before: dict[str, Any] | None
    after: dict[str, Any] | None
    request_id: str | None
    created_at: datetime


@get(
    "/audit",
    tags=["audit"],
    summary="The audit trail of every write (staff)",
    responses=problem_responses(*AUTHENTICATED),
)
async def list_audit_events(
    transaction: Transaction,
    caller: CurrentCaller,
    subject_id: Annotated[UUID | None, QueryParameter(name="subject_id")] = None,
    actor: Annotated[str | None, QueryParameter(name="actor", max_length=100)] = None,
    since: Annotated[datetime | None, QueryParameter(name="since")] = None,
    cursor: Cursor = None,
    limit: Limit = DEFAULT_LIMIT,
) -> PageOf[AuditEventRead]:
    page = await audit.list_events(
        transaction,
        caller,
        subject_id=subject_id,
        actor=actor,
        since=since,
        cursor=cursor,
        limit=limit,
    )
    return PageOf[AuditEventRead](
        items=[AuditEventRead.model_validate(event) for event in page.items],
        next_cursor=page.next_cursor,
    )
