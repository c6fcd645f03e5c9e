"""The facts of one case (one worker recruited for one job order), as the rules see them.

The service layer loads these from the database in bulk; the rules never touch the database.
Everything is frozen so that evaluating the same facts twice gives the same findings.
"""

from dataclasses import dataclass, field
from datetime import date, datetime
from uuid import UUID

from recruitment.domain.terms import JobOrderTerms
from recruitment.domain.vocabulary import (
    CaseStatus,
    Channel,
    ComplaintCategory,
    ComplaintStatus,
    CostCategory,
    CostPurpose,
    Currency,
    DeliveryMethod,
    IntermediaryKind,
    Language,
    PartyKind,
    PayeeKind,
    ReportedBy,
    VerificationStatus,
)


@dataclass(frozen=True)
class RegistryRecord:
    """A DOL farm labor contractor certificate, as the official registry lists it."""

    certificate_number: str
    holder_name: str
    valid_from: date | None
    valid_until: date | None
    authorized_to_house: bool
    authorized_to_transport: bool
    authorized_to_drive: bool


@dataclass(frozen=True)
class Intermediary:
    id: UUID
    kind: IntermediaryKind
    name: str
    verification: VerificationStatus
    # As the grower declared them; the registry record, when found, is authoritative.
    certificate_number: str | None = None
    certificate_valid_from: date | None = None
    certificate_valid_until: date | None = None
    authorized_to_house: bool = False
    authorized_to_transport: bool = False
    authorized_to_drive: bool = False
    registry_record: RegistryRecord | None = None
    region: str | None = None  # a US state's code for a US contractor


@dataclass(frozen=True)
class ChainLink:
    """One intermediary in the path from the worker to the grower."""

    intermediary: Intermediary
    engaged_by: PartyKind
    engaged_by_intermediary_id: UUID | None  # set when engaged_by == "intermediary"
    written_fee_ban: bool
    acted_on: date | None  # when it acted in this recruitment; None: the recruitment date
    houses_workers: bool = False
    transports_workers: bool = False
    drives_workers: bool = False


@dataclass(frozen=True)
class Cost:
    """Money the worker paid on the way to the job."""

    id: UUID
    category: CostCategory
    purpose: CostPurpose
    amount: int  # minor units
    currency: Currency
    paid_on: date
    payee_kind: PayeeKind
    payee_intermediary_id: UUID | None
    payee_name: str | None
    reported_by: ReportedBy


@dataclass(frozen=True)
class Reimbursement:
    """Money paid back to the worker, against the costs it lists."""

    id: UUID
    amount: int
    currency: Currency
    paid_on: date
    cost_ids: tuple[UUID, ...]


@dataclass(frozen=True)
class Milestones:
    recruited: date | None = None
    contract_disclosed: date | None = None
    visa_applied: date | None = None
    visa_issued: date | None = None
    arrived: date | None = None
    hired: date | None = None
    completed: date | None = None
    withdrawn: date | None = None
    departed_early: date | None = None


@dataclass(frozen=True)
class CrewAssignment:
    """The crew (and supervisor) the worker works in from a date on; None: in no crew."""

    crew: str | None
    supervisor: str | None
    from_date: date


@dataclass(frozen=True)
class Hire:
    id: UUID
    employer_of_record_kind: PartyKind
    employer_of_record_id: UUID  # a grower's id or an intermediary's id
    wages_paid_by_kind: PartyKind
    wages_paid_by_id: UUID
    start_date: date
    # Every crew assignment, oldest first (by the day it takes effect, then when recorded).
    crew_history: tuple[CrewAssignment, ...] = ()


@dataclass(frozen=True)
class Delivery:
    delivered_on: date
    method: DeliveryMethod


@dataclass(frozen=True)
class Contract:
    id: UUID
    language: Language
    job_order_version: int
    issued_at: datetime
    superseded: bool
    deliveries: tuple[Delivery, ...] = ()
    # The grower's texts printed untranslated (staff issued it anyway, with a reason).
    untranslated_fields: tuple[str, ...] = ()


@dataclass(frozen=True)
class JobOrder:
    id: UUID
    version: int
    terms: JobOrderTerms
    # OFLC's decision on the case, for a job order imported from its disclosure data.
    case_status: CaseStatus | None = None


@dataclass(frozen=True)
class Worker:
    id: UUID
    preferred_language: Language
    nationality: str  # ISO 3166-1 alpha-2
    # Other workers on record with the same CURP or passport number (found by the loader).
    workers_sharing_identity: tuple[UUID, ...] = ()


@dataclass(frozen=True)
class Complaint:
    """A complaint naming this case, as far as the rules need it (never the worker's words)."""

    id: UUID
    reference: str
    category: ComplaintCategory | None
    status: ComplaintStatus
    founded: bool | None
    received_on: date
    closed_on: date | None
    follow_up_days: int


@dataclass(frozen=True)
class SeasonHires:
    """The workers a grower hired for one season: on its job orders whose work starts in that
    calendar year (the job order's period start; without one, the hire's start date)."""

    year: int
    worker_ids: frozenset[UUID]
    first_start: date  # the earliest start date among those hires


@dataclass(frozen=True)
class Party:
    """A grower as the debarment list may name it."""

    names: tuple[str, ...]  # the legal name, then the trade name
    state: str | None


@dataclass(frozen=True)
class DebarmentEntry:
    """One entry of the OFLC's H-2A program debarment list (20 CFR 655.182)."""

    entity_name: str
    entity_type: str | None
    location: str | None
    state: str | None
    starts_on: date
    ends_on: date | None
    violation: str | None
    citation: str | None
    source_file: str
    line: int


@dataclass(frozen=True)
class CaseFacts:
    recruitment_id: UUID
    grower_id: UUID
    worker: Worker
    job_order: JobOrder
    channel: Channel
    channel_verification: VerificationStatus
    sne_folio: str | None = None
    sne_office_id: UUID | None = None
    chain: tuple[ChainLink, ...] = ()
    milestones: Milestones = field(default_factory=Milestones)
    costs: tuple[Cost, ...] = ()
    reimbursements: tuple[Reimbursement, ...] = ()
    hire: Hire | None = None
    contracts: tuple[Contract, ...] = ()
    # What an SNE office's referral list says against this claim (another office, person or
    # employer), one sentence each; empty when no list contradicts it.
    sne_referral_conflicts: tuple[str, ...] = ()
    complaints: tuple[Complaint, ...] = ()
    # The grower's names and state, and the entries of the H-2A debarment list that bear any
    # name of the grower or of an intermediary in the chain (the loader's pick; the rule
    # decides what matches).
    grower: Party | None = None
    debarments: tuple[DebarmentEntry, ...] = ()
    # The case's season (the year its job order's work starts; without a period start, the
    # year of the hire's start date), and the grower's hires in that season and the next. The
    # loader fills the seasons only for a hired case with a complaint: the only rule reading
    # them (POSSIBLE_RETALIATION, not re-hired) needs nothing else.
    season: int | None = None
    grower_seasons: tuple[SeasonHires, ...] = ()
