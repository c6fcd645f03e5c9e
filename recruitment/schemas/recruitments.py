from datetime import date, datetime
from typing import Annotated
from uuid import UUID

from pydantic import Field, ValidationInfo, field_validator, model_validator

from recruitment.domain.terms import Money, StrictInt
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
CrewName = Annotated[str, Field(min_length=1, max_length=200)]


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
        default=None, description="Set when engaged_by is 'intermediary'.", validate_default=True
    )
    written_fee_ban: bool = Field(
        description="A written agreement forbids it to take any fee from workers."
    )
    acted_on: date | None = None
    houses_workers: bool = False
    transports_workers: bool = False
    drives_workers: bool = False

    @field_validator("engaged_by_intermediary_id")
    @classmethod
    def engager_named(cls, value: UUID | None, info: ValidationInfo) -> UUID | None:
        engaged_by = info.data.get("engaged_by")
        if engaged_by is not None and (engaged_by == "intermediary") != (value is not None):
            raise ValueError(
                "engaged_by_intermediary_id is required when engaged_by is 'intermediary', "
                "and only then"
            )
        return value


class ChannelFacts(Input):
    channel: Channel
    sne_folio: SneFolio | None = None
    sne_office_id: UUID | None = None

    @field_validator("sne_folio", "sne_office_id")
    @classmethod
    def sne_details_only_for_sne(cls, value: object, info: ValidationInfo) -> object:
        if value is not None and info.data.get("channel", "sne") != "sne":
            raise ValueError(f"{info.field_name} belongs to the 'sne' channel only")
        return value


class RecruitmentCreate(ChannelFacts):
    job_order_id: UUID
    worker_id: UUID | None = None
    worker: WorkerIdentity | None = Field(
        default=None,
        description="The worker, matched by CURP or passport, or created.",
        validate_default=True,
    )
    chain: list[ChainLinkInput] = Field(default_factory=list, max_length=20)
    milestones: Milestones = Field(default_factory=Milestones)

    @field_validator("worker")
    @classmethod
    def one_worker(
        cls, value: WorkerIdentity | None, info: ValidationInfo
    ) -> WorkerIdentity | None:
        if "worker_id" in info.data and (info.data["worker_id"] is None) == (value is None):
            raise ValueError("give either worker_id or worker")
        return value


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


class PositiveMoney(Money):
    """Money actually paid: more than zero."""

    amount: StrictInt = Field(gt=0, le=10**12, description="Minor units: 1550 USD is $15.50.")

    @model_validator(mode="before")
    @classmethod
    def from_money(cls, value: object) -> object:
        """Callers in Python may hand in any Money; it is checked as the same fields."""
        return value.model_dump() if isinstance(value, Money) else value


class CostCreate(Input):
    category: CostCategory
    purpose: CostPurpose = Field(
        default="other", description="Decides the reimbursement deadline (20 CFR 655.122(h))."
    )
    amount: PositiveMoney
    paid_on: date
    payee_kind: PayeeKind
    payee_intermediary_id: UUID | None = Field(default=None, validate_default=True)
    payee_name: Name | None = None
    reported_by: ReportedBy
    note: Reason | None = None
    corrects_cost_id: UUID | None = Field(
        default=None, description="The cost this one corrects; that one is then superseded."
    )

    @field_validator("payee_intermediary_id")
    @classmethod
    def payee_named(cls, value: UUID | None, info: ValidationInfo) -> UUID | None:
        payee_kind = info.data.get("payee_kind")
        if payee_kind is not None and (payee_kind == "intermediary") != (value is not None):
            raise ValueError(
                "payee_intermediary_id is required when payee_kind is 'intermediary', and only then"
            )
        return value


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
    amount: PositiveMoney
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
    paid: int = Field(description="Costs paid by today (their latest corrections).")
    reimbursed: int = Field(description="Money paid back by today.")
    owed: int = Field(description="What is still owed, cost by cost, as the flags count it.")
    overpaid: int = Field(
        default=0, description="Money paid back beyond the costs it repaid (after a correction)."
    )


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
    crew: CrewName | None = Field(
        default=None, description="The crew the worker starts in, from the start date."
    )
    supervisor: CrewName | None = Field(default=None, description="The crew's supervisor.")


class HireUpdate(Input):
    """A correction of the hire's parties or start date, or a move to another crew; only what is
    sent changes."""

    employer_of_record: HireParty | None = None
    wages_paid_by: HireParty | None = None
    start_date: date | None = Field(
        default=None,
        description="Moves the recruitment's `hired` milestone too when that was the start date.",
    )
    crew: CrewName | None = Field(
        default=None,
        description="The crew the worker works in from `crew_from`; null takes the worker off "
        "every crew. A new dated assignment: the earlier ones stay in `crew_history`.",
    )
    supervisor: CrewName | None = Field(
        default=None, description="The supervisor from `crew_from`; left out: unchanged."
    )
    crew_from: date | None = Field(
        default=None,
        description="The day the crew or supervisor change takes effect; left out: today. Not "
        "before the hire's start date nor before the latest assignment.",
    )


class CrewAssignmentRead(Output):
    crew: str | None
    supervisor: str | None
    from_date: date
    recorded_by: str
    recorded_at: datetime


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
    crew: str | None = Field(default=None, description="The latest crew assignment's crew.")
    supervisor: str | None = Field(default=None, description="The latest assignment's supervisor.")
    crew_history: list[CrewAssignmentRead] = Field(
        default_factory=list, description="Every crew assignment, oldest first."
    )
    version: int
    created_at: datetime
    open_flags: list[FlagRead] = Field(default_factory=list, description=OPEN_FLAGS_DESCRIPTION)
