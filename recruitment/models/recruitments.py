from datetime import date, datetime
from uuid import UUID

from sqlalchemy import CheckConstraint, ForeignKeyConstraint, Index, UniqueConstraint, text
from sqlmodel import Field

from recruitment.models.base import Identified, timestamp_field, utc_now


def held_to_its_case() -> ForeignKeyConstraint:
    """A record of a case carries the case's grower and worker, which decide who may read it: one
    key holds all three to the case's own, with one check where three keys made three on every
    record written (an import writes a season's at once)."""
    return ForeignKeyConstraint(
        ["recruitment_id", "grower_id", "worker_id"],
        ["recruitments.id", "recruitments.grower_id", "recruitments.worker_id"],
    )


class Recruitment(Identified, table=True):
    """One worker recruited for one job order: the case that the rules examine."""

    __tablename__ = "recruitments"
    __table_args__ = (
        # Also the index of a worker's cases: a second one on worker_id alone cost every case
        # written one more index entry and served no query.
        UniqueConstraint("worker_id", "job_order_id"),
        # What the one foreign key of a case's records refers to (see `held_to_its_case`).
        UniqueConstraint("id", "grower_id", "worker_id"),
        CheckConstraint(
            "channel IN ('sne', 'private_recruiter', 'grower_direct', 'other')", name="channel"
        ),
        CheckConstraint(
            "channel_verification IN ('unverified', 'verified', 'rejected', 'expired')",
            name="channel_verification",
        ),
    )

    grower_id: UUID = Field(foreign_key="growers.id", index=True)
    worker_id: UUID = Field(foreign_key="workers.id")
    job_order_id: UUID = Field(foreign_key="job_orders.id", index=True)
    channel: str = Field(max_length=20, index=True)
    sne_folio: str | None = Field(default=None, max_length=60)
    sne_office_id: UUID | None = Field(default=None, foreign_key="intermediaries.id")
    channel_verification: str = Field(default="unverified", max_length=12)
    recruited_on: date | None = None
    contract_disclosed_on: date | None = None
    visa_applied_on: date | None = None
    visa_issued_on: date | None = None
    arrived_on: date | None = None
    hired_on: date | None = None
    completed_on: date | None = None
    withdrawn_on: date | None = None
    departed_early_on: date | None = None
    version: int = Field(default=1)
    updated_at: datetime = timestamp_field(default_factory=utc_now)


class ChainLink(Identified, table=True):
    """One intermediary in a recruitment's chain. A changed chain replaces its links, which stay."""

    __tablename__ = "chain_links"
    __table_args__ = (
        CheckConstraint("engaged_by IN ('grower', 'intermediary')", name="engaged_by"),
        CheckConstraint(
            "(engaged_by = 'intermediary') = (engaged_by_intermediary_id IS NOT NULL)",
            name="engager",
        ),
        # An intermediary stands once in a chain (the rules refuse a chain that repeats one).
        Index(
            "uq_chain_links_current_member",
            "recruitment_id",
            "intermediary_id",
            unique=True,
            postgresql_where=text("replaced_at IS NULL"),
        ),
    )

    recruitment_id: UUID = Field(foreign_key="recruitments.id", index=True)
    position: int
    intermediary_id: UUID = Field(foreign_key="intermediaries.id", index=True)
    engaged_by: str = Field(max_length=12)
    engaged_by_intermediary_id: UUID | None = Field(default=None, foreign_key="intermediaries.id")
    written_fee_ban: bool
    acted_on: date | None = None
    houses_workers: bool = False
    transports_workers: bool = False
    drives_workers: bool = False
    replaced_at: datetime | None = timestamp_field(default=None)


class ChannelVerification(Identified, table=True):
    """Staff's check that a recruitment really came through the SNE. Kept as history."""

    __tablename__ = "channel_verifications"

    recruitment_id: UUID = Field(foreign_key="recruitments.id", index=True)
    decision: str = Field(max_length=12)
    evidence: str = Field(max_length=4000)
    sne_office_id: UUID | None = Field(default=None, foreign_key="intermediaries.id")
    sne_folio: str | None = Field(default=None, max_length=60)
    verified_by: str = Field(max_length=100)


class Cost(Identified, table=True):
    """Money the worker paid on the way to the job. Corrected by a new cost, never edited."""

    __tablename__ = "costs"
    __table_args__ = (
        CheckConstraint("amount > 0", name="positive_amount"),
        held_to_its_case(),
    )

    recruitment_id: UUID = Field(index=True)
    grower_id: UUID = Field(index=True)
    worker_id: UUID = Field(index=True)
    category: str = Field(max_length=30)
    purpose: str = Field(max_length=30)
    amount: int
    currency: str = Field(max_length=3)
    paid_on: date
    payee_kind: str = Field(max_length=20)
    payee_intermediary_id: UUID | None = Field(default=None, foreign_key="intermediaries.id")
    payee_name: str | None = Field(default=None, max_length=200)
    reported_by: str = Field(max_length=20)
    note: str | None = Field(default=None, max_length=2000)
    recorded_by: str = Field(max_length=100)
    recorded_by_staff: bool
    corrects_cost_id: UUID | None = Field(default=None, foreign_key="costs.id")
    superseded_at: datetime | None = timestamp_field(default=None)


class Reimbursement(Identified, table=True):
    """Money paid back to the worker against the costs it names."""

    __tablename__ = "reimbursements"
    __table_args__ = (
        CheckConstraint("amount > 0", name="positive_amount"),
        held_to_its_case(),
    )

    recruitment_id: UUID = Field(index=True)
    grower_id: UUID = Field(index=True)
    worker_id: UUID = Field(index=True)
    amount: int
    currency: str = Field(max_length=3)
    paid_on: date
    recorded_by: str = Field(max_length=100)


class ReimbursedCost(Identified, table=True):
    __tablename__ = "reimbursed_costs"
    __table_args__ = (UniqueConstraint("reimbursement_id", "cost_id"),)

    reimbursement_id: UUID = Field(foreign_key="reimbursements.id", index=True)
    cost_id: UUID = Field(foreign_key="costs.id", index=True)


class Hire(Identified, table=True):
    """The employment. A direct hire has the grower as employer of record and payer of wages."""

    __tablename__ = "hires"
    __table_args__ = (
        CheckConstraint("employer_of_record_kind IN ('grower', 'intermediary')", name="employer"),
        CheckConstraint("wages_paid_by_kind IN ('grower', 'intermediary')", name="payer"),
        held_to_its_case(),
    )

    recruitment_id: UUID = Field(unique=True)
    grower_id: UUID = Field(index=True)
    worker_id: UUID = Field(index=True)
    job_order_id: UUID = Field(foreign_key="job_orders.id", index=True)
    employer_of_record_kind: str = Field(max_length=12)
    employer_of_record_id: UUID
    wages_paid_by_kind: str = Field(max_length=12)
    wages_paid_by_id: UUID
    start_date: date
    version: int = Field(default=1)
    updated_at: datetime = timestamp_field(default_factory=utc_now)


class CrewAssignment(Identified, table=True):
    """The crew (and its supervisor) a hired worker works in from a date on. A change is a new
    assignment, never an edit, so that the history of moves stays: a complainant moved off a
    crew is one of the signals of POSSIBLE_RETALIATION. `created_at` is when it was recorded."""

    __tablename__ = "crew_assignments"

    hire_id: UUID = Field(foreign_key="hires.id", index=True)
    crew: str | None = Field(default=None, max_length=200)
    supervisor: str | None = Field(default=None, max_length=200)
    from_date: date
    recorded_by: str = Field(max_length=100)
