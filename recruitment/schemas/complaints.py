"""Complaints over the API: what staff record and read, and the narrower view a grower gets."""

from datetime import date, datetime
from typing import Annotated, Literal, Self
from uuid import UUID

from pydantic import Field, model_validator

from recruitment.domain.terms import Money
from recruitment.domain.vocabulary import (
    ComplaintCategory,
    ComplaintSeverity,
    ComplaintStatus,
    Language,
    RemedyKind,
)
from recruitment.schemas.common import Input, Output
from recruitment.schemas.flags import FlagRead
from recruitment.schemas.recruitments import PositiveMoney
from recruitment.schemas.workers import Phone, WorkerSummary

Account = Annotated[str, Field(min_length=1, max_length=4000)]
Text = Annotated[str, Field(min_length=1, max_length=4000)]
PersonName = Annotated[str, Field(min_length=1, max_length=200)]
FollowUpDays = Annotated[
    int,
    Field(
        ge=1,
        le=365,
        description="Days after resolution when staff check that the worker suffered no "
        "retaliation.",
    ),
]
StaffChannel = Literal["hotline", "in_person"]


class ComplaintCreate(Input):
    """A complaint staff record: a hotline call, or one taken in person."""

    grower_id: UUID = Field(description="The grower the complaint is about.")
    recruitment_id: UUID | None = Field(
        default=None, description="The worker's case with this grower, where known."
    )
    channel: StaffChannel = "hotline"
    category: ComplaintCategory | None = Field(
        default=None, description="Left out when it is not clear yet; staff set it later."
    )
    severity: ComplaintSeverity | None = Field(
        default=None, description="Left out: the category's usual severity."
    )
    language: Language
    account: Account = Field(description="What the worker said. Never shown to the grower "
                             "without the worker's consent.")  # fmt: skip
    anonymous: bool = Field(
        default=False,
        description="The worker gave no name: no case, no call-back number.",
    )
    callback_phone: Phone | None = None
    crew: PersonName | None = None
    supervisor: PersonName | None = None
    investigator: PersonName | None = None
    received_at: datetime | None = Field(
        default=None, description="When the call came in; left out: now."
    )
    follow_up_days: FollowUpDays = 30
    consent_to_share_identity: bool = Field(
        default=False,
        description="The worker agreed that the grower may learn who complained and read "
        "their words.",
    )
    cost_ids: list[UUID] = Field(
        default_factory=list,
        max_length=50,
        description="Costs on the case's ledger the complaint is about (a fee paid, wages owed).",
    )

    @model_validator(mode="after")
    def anonymity_kept(self) -> Self:
        if self.anonymous and (self.recruitment_id or self.callback_phone or self.cost_ids):
            raise ValueError(
                "an anonymous complaint names no case, costs or call-back number; "
                "leave them out or record it with the worker's name"
            )
        if self.cost_ids and self.recruitment_id is None:
            raise ValueError("cost_ids name costs of a case: give recruitment_id too")
        return self


class ComplaintUpdate(Input):
    """A step of the investigation; fields left out stay as they are."""

    status: ComplaintStatus | None = None
    category: ComplaintCategory | None = None
    severity: ComplaintSeverity | None = None
    investigator: PersonName | None = None
    founded: bool | None = Field(
        default=None, description="Whether the investigation found the complaint true."
    )
    crew: PersonName | None = None
    supervisor: PersonName | None = None
    consent_to_share_identity: bool | None = None
    shared_summary: Text | None = Field(
        default=None,
        description="What the grower is told. Setting it shares the complaint with the grower.",
    )
    required_action: Text | None = Field(
        default=None, description="What the grower must do, as the grower will read it."
    )
    grower_response: Text | None = Field(
        default=None, description="The grower's response, as staff took it down."
    )
    follow_up_days: FollowUpDays | None = None
    follow_up_done_on: date | None = None
    follow_up_note: Text | None = None
    note: Text | None = Field(default=None, description="An investigator's note, added.")
    cost_ids: list[UUID] | None = Field(
        default=None, max_length=50, description="Replaces the costs the complaint is about."
    )


class RemedyCreate(Input):
    kind: RemedyKind
    description: Text
    amount: PositiveMoney | None = Field(
        default=None, description="For back pay and reimbursements: what was paid."
    )
    paid_on: date | None = None
    cost_ids: list[UUID] = Field(
        default_factory=list,
        max_length=50,
        description="For a reimbursement: the costs it repays (recorded on the case's ledger).",
    )

    @model_validator(mode="after")
    def money_where_money_is_paid(self) -> Self:
        paid = self.kind in ("back_pay", "reimbursement")
        if paid and (self.amount is None or self.paid_on is None):
            raise ValueError(f"a {self.kind} remedy needs amount and paid_on")
        if not paid and (self.amount is not None or self.cost_ids):
            raise ValueError(f"a {self.kind} remedy pays no money: leave out amount and cost_ids")
        if self.kind == "reimbursement" and not self.cost_ids:
            raise ValueError("a reimbursement names the costs it repays in cost_ids")
        return self


class RemedyRead(Output):
    id: UUID
    kind: RemedyKind
    description: str
    amount: Money | None
    paid_on: date | None
    reimbursement_id: UUID | None
    created_at: datetime


class NoteRead(Output):
    text: str
    written_by: str
    created_at: datetime


class ComplaintRow(Output):
    """A complaint in the staff queue: no words, no call-back number."""

    id: UUID
    reference: str
    grower_id: UUID
    recruitment_id: UUID | None
    channel: str
    category: ComplaintCategory | None
    severity: ComplaintSeverity
    status: ComplaintStatus
    investigator: str | None
    founded: bool | None
    received_at: datetime
    closed_at: datetime | None
    shared: bool
    version: int
    created_at: datetime


class ComplaintRead(ComplaintRow):
    """The whole complaint, for staff. Each read is written to the audit trail."""

    worker: WorkerSummary | None
    language: Language
    account: str
    anonymous: bool
    callback_phone: str | None
    crew: str | None
    supervisor: str | None
    consent_to_share_identity: bool
    consent_recorded_at: datetime | None
    shared_summary: str | None
    required_action: str | None
    shared_at: datetime | None
    grower_response: str | None
    grower_responded_at: datetime | None
    days_to_resolve: int | None
    follow_up_days: int
    follow_up_due_on: date | None = Field(description="Resolution date plus follow_up_days.")
    follow_up_done_on: date | None
    follow_up_note: str | None
    cost_ids: list[UUID]
    notes: list[NoteRead]
    remedies: list[RemedyRead]
    updated_at: datetime
    open_flags: list[FlagRead] = Field(
        default_factory=list, description="The flags open on the complaint's case."
    )


class SharedComplaintRead(Output):
    """A complaint as its grower sees it once staff share it: staff's summary and what the grower
    must do; the worker and their words only with the worker's recorded consent."""

    id: UUID
    reference: str
    grower_id: UUID
    category: ComplaintCategory | None
    severity: ComplaintSeverity
    status: ComplaintStatus
    received_on: date
    shared_summary: str
    required_action: str | None
    grower_response: str | None
    remedies: list[RemedyRead]
    worker: WorkerSummary | None = Field(description="Only with the worker's consent.")
    account: str | None = Field(description="The worker's words, only with their consent.")
    version: int


class GrowerResponseCreate(Input):
    response: Text


class CaseChoice(Output):
    """One of a grower's cases as the hotline form offers it: the worker's name and masked
    identity document, and the job order."""

    recruitment_id: UUID
    worker_name: str
    document_masked: str | None
    job_title: str | None
    case_number: str | None
    period_start: date | None
