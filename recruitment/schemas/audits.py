from datetime import date, datetime
from typing import Self
from uuid import UUID

from pydantic import Field, model_validator

from recruitment.domain.terms import Money
from recruitment.domain.vocabulary import (
    AuditKind,
    AuditOutcome,
    Channel,
    CodeStandard,
    CorrectiveActionReview,
    CorrectiveActionStatus,
    CostCategory,
    FlagSeverity,
    Language,
    ProgramFindingCode,
    ProgramFindingStatus,
)
from recruitment.schemas.common import Input, Name, Output, Reason


class AuditCreate(Input):
    grower_id: UUID
    season: int = Field(ge=2000, le=2100, examples=[2025])
    kind: AuditKind = Field(
        default="regular", description="A re_entry audit is what lets a suspended grower back."
    )
    announced: bool
    starts_on: date
    ends_on: date
    auditors: list[Name] = Field(min_length=1, max_length=20)

    @model_validator(mode="after")
    def window_in_order(self) -> Self:
        if self.ends_on < self.starts_on:
            raise ValueError("ends_on can't be before starts_on")
        return self


class InterviewCoverage(Output):
    interviewed: int = Field(description="Workers on the roster interviewed in this audit.")
    roster: int = Field(
        description="Workers on the grower's roster during the audit's window: hired by then, "
        "and not gone before it began."
    )
    share: float | None
    target: float = Field(description="More than this share of the roster meets the target.")
    needed: int = Field(description="The fewest interviews that meet the target.")
    meets_target: bool


class AuditRead(Output):
    id: UUID
    grower_id: UUID
    season: int
    kind: AuditKind
    announced: bool
    starts_on: date
    ends_on: date
    auditors: list[str]
    outcome: AuditOutcome | None
    closed_on: date | None
    closing_note: str | None
    coverage: InterviewCoverage
    version: int
    created_at: datetime
    updated_at: datetime


class AuditClosing(Input):
    outcome: AuditOutcome
    closed_on: date
    note: Reason | None = None


class AreaAnswer(Input):
    compliant: bool
    note: Reason | None = None


class ReportedFee(Input):
    """Money the worker says they paid on the way to the job: it becomes a cost on their case."""

    amount: Money
    paid_on: date
    payee_name: Name | None = None
    category: CostCategory = Field(
        default="recruitment_fee", description="The ILO category of what was paid."
    )


class InterviewCreate(Input):
    worker_id: UUID
    interviewed_on: date
    language: Language
    interviewer: Name
    recruited_through: Channel = Field(description="How the worker says they were recruited.")
    fee_paid: ReportedFee | None = Field(
        default=None, description="What the worker says they paid to get the job, if anything."
    )
    answers: dict[CodeStandard, AreaAnswer] = Field(
        description="The checklist of the code's areas: compliant or not, with a note."
    )


class InterviewRead(Output):
    id: UUID
    audit_id: UUID
    worker_id: UUID
    recruitment_id: UUID
    interviewed_on: date
    language: Language
    interviewer: str
    recruited_through: Channel
    answers: dict[CodeStandard, AreaAnswer]
    cost_id: UUID | None = Field(description="The cost the reported fee became, if one was.")
    created_at: datetime


class FindingCreate(Input):
    standard: CodeStandard
    severity: FlagSeverity
    detail: Reason


class FindingRead(Output):
    id: UUID
    grower_id: UUID
    audit_id: UUID | None
    code: ProgramFindingCode
    subject: str
    standard: CodeStandard
    severity: FlagSeverity
    detail: str
    evidence: dict[str, object] | None
    source: str
    status: ProgramFindingStatus
    raised_on: date
    corrected_on: date | None
    correction_note: str | None
    created_at: datetime


class CorrectiveActionCreate(Input):
    finding_id: UUID
    description: Reason
    owner: Name = Field(description="Who at the grower answers for it.")
    due_on: date


class CorrectiveActionCompletion(Input):
    completed_on: date
    evidence: Reason = Field(description="What shows it was done: documents, photos, records.")


class CorrectiveActionVerification(Input):
    decision: CorrectiveActionReview
    note: Reason


class CorrectiveActionRead(Output):
    id: UUID
    grower_id: UUID
    finding_id: UUID | None
    complaint_id: UUID | None
    description: str
    owner: str
    due_on: date
    status: CorrectiveActionStatus
    completed_on: date | None
    evidence: str | None
    verified_by: str | None
    verified_at: datetime | None
    review_note: str | None
    overdue: bool = Field(description="Not completed and past its deadline, as of today.")
    version: int
    created_at: datetime
    updated_at: datetime
