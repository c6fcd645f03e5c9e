from datetime import date, datetime
from uuid import UUID

from sqlalchemy import CheckConstraint, UniqueConstraint
from sqlmodel import Field

from recruitment.models.base import Identified, timestamp_field, utc_now


class Complaint(Identified, table=True):
    """What a worker told the program about a grower, and its investigation to a remedy.

    The worker's words (`account`) and identity stay with staff; a grower sees the complaint only
    once staff share it (`shared_at`), as the summary and required action staff wrote, and the
    worker's identity and words only with the worker's recorded consent.
    """

    __tablename__ = "complaints"
    __table_args__ = (
        CheckConstraint(
            "status IN ('received', 'investigating', 'grower_responded', 'resolved', "
            "'closed_unfounded', 'referred')",
            name="status",
        ),
        CheckConstraint("channel IN ('hotline', 'worker_page', 'in_person')", name="channel"),
        CheckConstraint("severity IN ('urgent', 'serious', 'minor')", name="severity"),
        # An anonymous complaint names no worker and can't be called back.
        CheckConstraint(
            "NOT anonymous OR (worker_id IS NULL AND callback_phone IS NULL)", name="anonymous"
        ),
        CheckConstraint("follow_up_days BETWEEN 1 AND 365", name="follow_up_days"),
    )

    reference: str = Field(max_length=12, unique=True)
    grower_id: UUID = Field(foreign_key="growers.id", index=True)
    recruitment_id: UUID | None = Field(default=None, foreign_key="recruitments.id", index=True)
    worker_id: UUID | None = Field(default=None, foreign_key="workers.id", index=True)
    channel: str = Field(max_length=12, index=True)
    category: str | None = Field(default=None, max_length=30, index=True)
    severity: str = Field(max_length=10)
    status: str = Field(default="received", max_length=20, index=True)
    language: str = Field(max_length=2)
    account: str = Field(max_length=4000)
    anonymous: bool = False
    callback_phone: str | None = Field(default=None, max_length=40)
    crew: str | None = Field(default=None, max_length=200)
    supervisor: str | None = Field(default=None, max_length=200)
    investigator: str | None = Field(default=None, max_length=200)
    founded: bool | None = None
    consent_to_share_identity: bool = False
    consent_recorded_by: str | None = Field(default=None, max_length=100)
    consent_recorded_at: datetime | None = timestamp_field(default=None)
    shared_summary: str | None = Field(default=None, max_length=4000)
    required_action: str | None = Field(default=None, max_length=4000)
    shared_at: datetime | None = timestamp_field(default=None)
    grower_response: str | None = Field(default=None, max_length=4000)
    grower_responded_at: datetime | None = timestamp_field(default=None)
    received_at: datetime = timestamp_field(default_factory=utc_now, index=True)
    closed_at: datetime | None = timestamp_field(default=None)
    follow_up_days: int = Field(default=30)
    follow_up_done_on: date | None = None
    follow_up_note: str | None = Field(default=None, max_length=4000)
    recorded_by: str = Field(max_length=100)
    version: int = Field(default=1)
    updated_at: datetime = timestamp_field(default_factory=utc_now)


class ComplaintNote(Identified, table=True):
    """An investigator's note; notes are added, never edited."""

    __tablename__ = "complaint_notes"

    complaint_id: UUID = Field(foreign_key="complaints.id", index=True)
    text: str = Field(max_length=4000)
    written_by: str = Field(max_length=100)


class ComplaintCost(Identified, table=True):
    """A cost on the case's ledger that the complaint is about (a fee paid, wages owed)."""

    __tablename__ = "complaint_costs"
    __table_args__ = (UniqueConstraint("complaint_id", "cost_id"),)

    complaint_id: UUID = Field(foreign_key="complaints.id", index=True)
    cost_id: UUID = Field(foreign_key="costs.id", index=True)


class ComplaintRemedy(Identified, table=True):
    """What was done for the worker: money paid (back pay, a reimbursement on the ledger) or a
    change at the grower (discipline, policy)."""

    __tablename__ = "complaint_remedies"
    __table_args__ = (
        CheckConstraint(
            "kind IN ('back_pay', 'reimbursement', 'discipline', 'policy_change')", name="kind"
        ),
        CheckConstraint(
            "(kind IN ('back_pay', 'reimbursement')) = "
            "(amount IS NOT NULL AND currency IS NOT NULL)",
            name="money",
        ),
        CheckConstraint("amount IS NULL OR amount > 0", name="positive_amount"),
    )

    complaint_id: UUID = Field(foreign_key="complaints.id", index=True)
    kind: str = Field(max_length=20)
    description: str = Field(max_length=2000)
    amount: int | None = None
    currency: str | None = Field(default=None, max_length=3)
    paid_on: date | None = None
    reimbursement_id: UUID | None = Field(default=None, foreign_key="reimbursements.id")
    recorded_by: str = Field(max_length=100)
