from datetime import date, datetime
from typing import Any
from uuid import UUID

from sqlalchemy import CheckConstraint
from sqlmodel import Field

from recruitment.models.base import Identified, json_field, timestamp_field, utc_now


class Grower(Identified, table=True):
    __tablename__ = "growers"
    __table_args__ = (
        CheckConstraint(
            "program_status IN ('participating', 'suspended', 're_entry_audit', 'withdrawn')",
            name="program_status",
        ),
    )

    legal_name: str = Field(max_length=200)
    trade_name: str | None = Field(default=None, max_length=200)
    fein: str | None = Field(
        default=None,
        max_length=10,
        unique=True,
        description="Normalised as NN-NNNNNNN; unknown for a grower imported from DOL data.",
    )
    street: str = Field(max_length=200)
    city: str = Field(max_length=100)
    state: str = Field(max_length=2)
    postal_code: str = Field(max_length=10)
    program_status: str = Field(default="participating", max_length=20)
    program_status_since: date
    source: str | None = Field(
        default=None, max_length=80, description="Where it came from, when not entered by hand."
    )
    version: int = Field(default=1)
    updated_at: datetime = timestamp_field(default_factory=utc_now)


class GrowerStatusChange(Identified, table=True):
    """Each change of a grower's program status, with its date and reason: never overwritten."""

    __tablename__ = "grower_status_changes"

    grower_id: UUID = Field(foreign_key="growers.id", index=True)
    from_status: str = Field(max_length=20)
    to_status: str = Field(max_length=20)
    effective_on: date
    reason: str = Field(max_length=2000)
    changed_by: str = Field(max_length=100)
    grounds: Any = json_field(
        default=None, nullable=True, description="The flags, findings and audit it rests on."
    )
    audit_id: UUID | None = Field(default=None, foreign_key="program_audits.id")
