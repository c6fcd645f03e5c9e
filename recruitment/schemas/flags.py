from datetime import date, datetime
from typing import Any, Literal
from uuid import UUID

from pydantic import Field

from recruitment.domain.vocabulary import FlagSeverity, FlagStatus
from recruitment.schemas.common import Input, Output, Reason

FlagAction = Literal["acknowledge", "resolve", "dismiss"]


class FlagRead(Output):
    id: UUID
    recruitment_id: UUID
    grower_id: UUID
    worker_id: UUID
    code: str
    title: str = Field(description="The catalogue's title, in English; see /flags/catalogue.")
    severity: FlagSeverity
    subject: str
    evidence: dict[str, Any]
    source: str
    status: FlagStatus
    status_note: str | None
    status_changed_by: str
    status_changed_at: datetime
    created_at: datetime
    days_left: int | None = Field(
        default=None,
        description="For a live flag about something due (its evidence's `due_by`): the days "
        "from today until then, counted when read.",
    )


class FlagCount(Output):
    code: str
    severity: FlagSeverity
    count: int


class FlagPage(Output):
    items: list[FlagRead]
    next_cursor: str | None
    counts: list[FlagCount] = Field(description="Flags matching the filters, by code and severity.")


class FlagStatusChangeCreate(Input):
    action: FlagAction
    note: Reason | None = Field(
        default=None, description="Required to resolve (what was done) or dismiss (why)."
    )


class FlagStatusChangeRead(Output):
    id: UUID
    flag_id: UUID
    from_status: FlagStatus | None
    to_status: FlagStatus
    note: str | None
    changed_by: str
    created_at: datetime


class VerificationRunCreate(Input):
    as_of: date | None = Field(
        default=None, description="The date deadlines are judged on; today when omitted."
    )


class VerificationRunRead(Output):
    as_of: date
    cases: int
    opened: int
    updated: int
    reopened: int
    resolved: int
    findings_by_code: dict[str, int]
