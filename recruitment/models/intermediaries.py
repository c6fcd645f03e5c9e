from datetime import date, datetime
from uuid import UUID

from sqlalchemy import CheckConstraint
from sqlmodel import Field

from recruitment.models.base import Identified, timestamp_field, utc_now


class Intermediary(Identified, table=True):
    """Anyone between the worker and the grower: an SNE office, a contractor, a recruiter."""

    __tablename__ = "intermediaries"
    __table_args__ = (
        CheckConstraint(
            "kind IN ('sne_office', 'farm_labor_contractor', 'h2a_labor_contractor', "
            "'foreign_recruiter', 'agent')",
            name="kind",
        ),
        CheckConstraint(
            "verification_status IN ('unverified', 'verified', 'rejected', 'expired')",
            name="verification_status",
        ),
        CheckConstraint(
            "certificate_valid_until IS NULL OR certificate_valid_from IS NULL "
            "OR certificate_valid_until >= certificate_valid_from",
            name="certificate_period",
        ),
    )

    kind: str = Field(max_length=30, index=True)
    name: str = Field(max_length=200)
    country: str = Field(max_length=2)
    region: str | None = Field(default=None, max_length=100)
    address: str | None = Field(
        default=None,
        max_length=300,
        description="Street and city, when known (from DOL data): where holders of one name in "
        "one state are told apart in the registry.",
    )
    certificate_number: str | None = Field(default=None, max_length=40, index=True)
    certificate_valid_from: date | None = None
    certificate_valid_until: date | None = None
    authorized_to_house: bool = False
    authorized_to_transport: bool = False
    authorized_to_drive: bool = False
    declared_by_grower_id: UUID | None = Field(default=None, foreign_key="growers.id", index=True)
    verification_status: str = Field(default="unverified", max_length=12)
    source: str | None = Field(
        default=None, max_length=80, description="Where it came from, when not entered by hand."
    )
    version: int = Field(default=1)
    updated_at: datetime = timestamp_field(default_factory=utc_now)


class IntermediaryVerification(Identified, table=True):
    """Staff's decision on an intermediary, with the evidence. Kept as history."""

    __tablename__ = "intermediary_verifications"

    intermediary_id: UUID = Field(foreign_key="intermediaries.id", index=True)
    status: str = Field(max_length=12)
    note: str = Field(max_length=4000)
    verified_by: str = Field(max_length=100)


class RegistryLink(Identified, table=True):
    """The registry certificate an intermediary was linked to, and why: by its certificate
    number, or (the disclosure data has none) by its normalised name and state, and address
    where the name is shared. Staff confirm or reject the match with a verification."""

    __tablename__ = "registry_links"
    __table_args__ = (
        CheckConstraint(
            "basis IN ('certificate_number', 'name_and_state', 'name_state_and_address')",
            name="basis",
        ),
    )

    intermediary_id: UUID = Field(foreign_key="intermediaries.id", unique=True)
    certificate_number: str = Field(max_length=40, index=True)
    basis: str = Field(max_length=30)
    score: float
    evidence: str = Field(max_length=1000)
    updated_at: datetime = timestamp_field(default_factory=utc_now)
