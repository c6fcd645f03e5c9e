from datetime import date, datetime
from typing import Annotated, Self
from uuid import UUID

from pydantic import Field, model_validator

from recruitment.domain.terms import Money
from recruitment.domain.vocabulary import (
    Channel,
    CostCategory,
    CostPurpose,
    Currency,
    PartyKind,
    PayeeKind,
    ReportedBy,
    VerificationDecision,
    VerificationStatus,
)
from recruitment.schemas.common import Input, Name, Output, Reason
from recruitment.schemas.flags import FlagRead
from recruitment.schemas.workers import WorkerIdentity, WorkerSummary

OPEN_FLAGS_DESCRIPTION = "On a write's answer: the flags open on the case after re-evaluation."

SneFolio = Annotated[str, Field(min_length=1, max_length=60)]


class Milestones(Input):
    """Dated milestones; each can't be dated before the one it follows."""

    recruited: date | None = None
    contract_disclosed: date | None = None
    visa_applied: date | None = None
    visa_issued: date | None = None
    arrived: date | None = None
    hired: date | None = None
    completed: date | None = None
    withdrawn: date | None = None
    departed_early: date | None = None


class ChainLinkInput(Input):
    intermediary_id: UUID
    engaged_by: PartyKind = Field(description="Who engaged this intermediary.")
    engaged_by_intermediary_id: UUID | None = Field(
        default=None, description="Set when engaged_by is 'intermediary'."
    )
    written_fee_ban: bool = Field(
        description="A written agreement forbids it to take any fee from workers."
    )
    acted_on: date | None = None
    houses_workers: bool = False
    transports_workers: bool = False
    drives_workers: bool = False

    @model_validator(mode="after")
    def engager_named(self) -> Self:
        if (self.engaged_by == "intermediary") != (self.engaged_by_intermediary_id is not None):
            raise ValueError(
                "engaged_by_intermediary_id is required when engaged_by is 'intermediary', "
                "and only then"
            )
        return self


class ChannelFacts(Input):
    channel: Channel
    sne_folio: SneFolio | None = None
    sne_office_id: UUID | None = None

    @model_validator(mode="after")
    def sne_details_only_for_sne(self) -> Self:
        if self.channel != "sne" and (self.sne_folio or self.sne_office_id):
            raise ValueError("sne_folio and sne_office_id belong to the 'sne' channel only")
        return self


class RecruitmentCreate(ChannelFacts):
    job_order_id: UUID
    worker_id: UUID | None = None
    worker: WorkerIdentity | None = Field(
        default=None, description="The worker, matched by CURP or passport, or created."
    )
    chain: list[ChainLinkInput] = Field(default_factory=list, max_length=20)
    milestones: Milestones = Field(default_factory=Milestones)

    @model_validator(mode="after")
    def one_worker(self) -> Self:
        if (self.worker_id is None) == (self.worker is None):
            raise ValueError("give either worker_id or worker")
        return self


class RecruitmentUpdate(Input):
    """Only what is sent changes. A change to the channel facts sends it back to unverified."""

    channel: Channel | None = None
    sne_folio: SneFolio | None = None
    sne_office_id: UUID | None = None
    chain: list[ChainLinkInput] | None = Field(default=None, max_length=20)
    milestones: Milestones | None = None


class ChainLinkRead(Output):
    position: int
    intermediary_id: UUID
    intermediary_name: str
    intermediary_kind: str
    engaged_by: PartyKind
    engaged_by_intermediary_id: UUID | None
    written_fee_ban: bool
    acted_on: date | None
    houses_workers: bool
    transports_workers: bool
    drives_workers: bool


class RecruitmentRead(Output):
    id: UUID
    grower_id: UUID
    job_order_id: UUID
    worker: WorkerSummary
    channel: Channel
    sne_folio: str | None
    sne_office_id: UUID | None
    channel_verification: VerificationStatus
    chain: list[ChainLinkRead]
    milestones: Milestones
    version: int
    created_at: datetime
    updated_at: datetime
    open_flags: list[FlagRead] = Field(default_factory=list, description=OPEN_FLAGS_DESCRIPTION)


class ChannelVerificationCreate(Input):
    decision: VerificationDecision
    evidence: Reason = Field(
        description="What was checked: the SNE referral document, the office, who confirmed it."
    )
    sne_office_id: UUID | None = None
    sne_folio: SneFolio | None = None


class ChannelVerificationRead(Output):
    id: UUID
    recruitment_id: UUID
    decision: VerificationDecision
    evidence: str
    sne_office_id: UUID | None
    sne_folio: str | None
    verified_by: str
    created_at: datetime
    open_flags: list[FlagRead] = Field(default_factory=list, description=OPEN_FLAGS_DESCRIPTION)


class CostCreate(Input):
    category: CostCategory
    purpose: CostPurpose = Field(
        default="other", description="Decides the reimbursement deadline (20 CFR 655.122(h))."
    )
    amount: Money
    paid_on: date
    payee_kind: PayeeKind
    payee_intermediary_id: UUID | None = None
    payee_name: Name | None = None
    reported_by: ReportedBy
    note: Reason | None = None
    corrects_cost_id: UUID | None = Field(
        default=None, description="The cost this one corrects; that one is then superseded."
    )

    @model_validator(mode="after")
    def payee_named(self) -> Self:
        if (self.payee_kind == "intermediary") != (self.payee_intermediary_id is not None):
            raise ValueError(
                "payee_intermediary_id is required when payee_kind is 'intermediary', and only then"
            )
        if self.amount.amount == 0:
            raise ValueError("a cost's amount must be more than zero")
        return self


class CostRead(Output):
    id: UUID
    recruitment_id: UUID
    worker_id: UUID
    category: CostCategory
    purpose: CostPurpose
    amount: Money
    paid_on: date
    payee_kind: PayeeKind
    payee_intermediary_id: UUID | None
    payee_name: str | None
    reported_by: ReportedBy
    note: str | None
    recorded_by: str
    corrects_cost_id: UUID | None
    superseded_at: datetime | None
    created_at: datetime
    open_flags: list[FlagRead] = Field(default_factory=list, description=OPEN_FLAGS_DESCRIPTION)


class ReimbursementCreate(Input):
    amount: Money
    paid_on: date
    cost_ids: list[UUID] = Field(min_length=1, max_length=100)


class ReimbursementRead(Output):
    id: UUID
    recruitment_id: UUID
    worker_id: UUID
    amount: Money
    paid_on: date
    cost_ids: list[UUID]
    created_at: datetime
    open_flags: list[FlagRead] = Field(default_factory=list, description=OPEN_FLAGS_DESCRIPTION)


class LedgerLine(Output):
    currency: Currency
    paid: int
    reimbursed: int
    owed: int


class Ledger(Output):
    worker_id: UUID
    lines: list[LedgerLine] = Field(description="Per currency, in minor units.")


class HireParty(Input):
    kind: PartyKind
    id: UUID | None = Field(
        default=None, description="The intermediary's id; for 'grower', the hiring grower."
    )


class HireCreate(ChannelFacts):
    """The growers' main call: worker, recruitment facts and the hire, in one transaction."""

    job_order_id: UUID
    worker: WorkerIdentity
    chain: list[ChainLinkInput] = Field(default_factory=list, max_length=20)
    milestones: Milestones = Field(default_factory=Milestones)
    employer_of_record: HireParty = Field(default_factory=lambda: HireParty(kind="grower"))
    wages_paid_by: HireParty = Field(default_factory=lambda: HireParty(kind="grower"))
    start_date: date


class HireUpdate(Input):
    """A correction of the hire's parties or start date; only what is sent changes."""

    employer_of_record: HireParty | None = None
    wages_paid_by: HireParty | None = None
    start_date: date | None = Field(
        default=None,
        description="Moves the recruitment's `hired` milestone too when that was the start date.",
    )


class HireRead(Output):
    id: UUID
    recruitment_id: UUID
    grower_id: UUID
    worker_id: UUID
    job_order_id: UUID
    employer_of_record_kind: PartyKind
    employer_of_record_id: UUID
    wages_paid_by_kind: PartyKind
    wages_paid_by_id: UUID
    start_date: date
    direct_hire: bool
    version: int
    created_at: datetime
    open_flags: list[FlagRead] = Field(default_factory=list, description=OPEN_FLAGS_DESCRIPTION)
