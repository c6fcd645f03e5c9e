from datetime import datetime
from typing import Any, Literal
from uuid import UUID

from pydantic import Field

from recruitment.domain.vocabulary import Language
from recruitment.schemas.common import Input, Output, Reason

JobStatus = Literal["queued", "running", "succeeded", "failed"]


class JobOrderContractsRequest(Input):
    language: Language | None = Field(
        default=None, description="Every contract in this language; each worker's own if omitted."
    )
    override_reason: Reason | None = Field(
        default=None,
        description="Staff only: issue the contracts although the job order's terms have open "
        "findings, for this reason (shown on each contract's verification page).",
    )


class JobRead(Output):
    id: UUID
    kind: str
    grower_id: UUID | None
    subject_id: UUID | None
    parameters: dict[str, Any] | None
    requested_by: str
    status: JobStatus
    total: int
    done: int
    skipped: int
    failed: int
    errors: list[dict[str, Any]] | None
    result: dict[str, Any] | None = None
    attempts: int
    created_at: datetime
    started_at: datetime | None
    finished_at: datetime | None
