"""Program audits of a grower: interviews with its workers, findings per code standard, and the
corrective actions that answer them. Not to be confused with AuditEvent, the trail of writes."""

from datetime import date, datetime
from typing import Any
from uuid import UUID

from sqlalchemy import CheckConstraint, Index, UniqueConstraint, text
from sqlmodel import Field

from recruitment.models.base import Identified, json_field, timestamp_field, utc_now


class ProgramAudit(Identified, table=True):
    """One audit of one grower in one season, announced or not, by the program's auditors."""

    __tablename__ = "program_audits"
    __table_args__ = (
        CheckConstraint("kind IN ('regular', 're_entry')", name="kind"),
        CheckConstraint("outcome IS NULL OR outcome IN ('passed', 'failed')", name="outcome"),
        CheckConstraint("starts_on <= ends_on", name="window"),
        CheckConstraint(
            "interview_coverage_target > 0 AND interview_coverage_target < 1", name="target"
        ),
    )

    grower_id: UUID = Field(foreign_key="growers.id", index=True)
    season: int
    kind: str = Field(max_length=10)
    announced: bool
    starts_on: date
    ends_on: date
    auditors: Any = json_field()
    interview_coverage_target: float = Field(
        description="The share of the roster that must be interviewed, more than which passes."
    )
    outcome: str | None = Field(default=None, max_length=10)
    closed_on: date | None = None
    closing_note: str | None = Field(default=None, max_length=4000)
    version: int = Field(default=1)
    updated_at: datetime = timestamp_field(default_factory=utc_now)


class AuditInterview(Identified, table=True):
    """What one worker told an auditor. Staff only: a grower never reads what a worker said."""

    __tablename__ = "audit_interviews"
    __table_args__ = (UniqueConstraint("audit_id", "worker_id"),)

    audit_id: UUID = Field(foreign_key="program_audits.id", index=True)
    grower_id: UUID = Field(foreign_key="growers.id", index=True)
    worker_id: UUID = Field(foreign_key="workers.id", index=True)
    recruitment_id: UUID = Field(foreign_key="recruitments.id", index=True)
    interviewed_on: date
    language: str = Field(max_length=5)
    interviewer: str = Field(max_length=200)
    recruited_through: str = Field(max_length=20)
    answers: Any = json_field()
    cost_id: UUID | None = Field(default=None, foreign_key="costs.id")
    recorded_by: str = Field(max_length=100)


class ProgramFinding(Identified, table=True):
    """A finding about a grower against a standard of the code: an auditor's, or one the program's
    rules raise (interview coverage under target, a corrective action past its deadline)."""

    __tablename__ = "program_findings"
    __table_args__ = (
        CheckConstraint("status IN ('open', 'corrected')", name="status"),
        CheckConstraint("severity IN ('critical', 'violation', 'warning')", name="severity"),
        # One live finding of a rule per subject; corrected ones are history.
        Index(
            "uq_program_findings_live_rule_finding",
            "grower_id",
            "code",
            "subject",
            unique=True,
            postgresql_where=text("status = 'open' AND code <> 'CODE_STANDARD_VIOLATED'"),
        ),
    )

    grower_id: UUID = Field(foreign_key="growers.id", index=True)
    audit_id: UUID | None = Field(default=None, foreign_key="program_audits.id", index=True)
    code: str = Field(max_length=40, index=True)
    subject: str = Field(max_length=80)
    standard: str = Field(max_length=40)
    severity: str = Field(max_length=10)
    detail: str = Field(max_length=4000)
    evidence: Any = json_field(default=None, nullable=True)
    source: str = Field(max_length=300)
    status: str = Field(default="open", max_length=10, index=True)
    raised_on: date
    corrected_on: date | None = None
    correction_note: str | None = Field(default=None, max_length=4000)
    recorded_by: str = Field(max_length=100)


class CorrectiveAction(Identified, table=True):
    """One action of a grower's corrective action plan: what, who, by when, the evidence that it
    was done, and staff's verification. It answers a finding, or (once complaints exist) a
    founded complaint: `complaint_id` is that hook."""

    __tablename__ = "corrective_actions"
    __table_args__ = (
        CheckConstraint("status IN ('open', 'completed', 'verified')", name="status"),
        CheckConstraint(
            "(finding_id IS NULL) <> (complaint_id IS NULL)", name="answers_one_source"
        ),
    )

    grower_id: UUID = Field(foreign_key="growers.id", index=True)
    finding_id: UUID | None = Field(default=None, foreign_key="program_findings.id", index=True)
    complaint_id: UUID | None = Field(default=None, index=True)
    description: str = Field(max_length=4000)
    owner: str = Field(max_length=200)
    due_on: date
    status: str = Field(default="open", max_length=10, index=True)
    completed_on: date | None = None
    evidence: str | None = Field(default=None, max_length=4000)
    verified_by: str | None = Field(default=None, max_length=100)
    verified_at: datetime | None = timestamp_field(default=None)
    review_note: str | None = Field(default=None, max_length=4000)
    version: int = Field(default=1)
    updated_at: datetime = timestamp_field(default_factory=utc_now)
