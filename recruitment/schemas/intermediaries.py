from datetime import date, datetime
from typing import Annotated
from uuid import UUID

from pydantic import Field, ValidationInfo, field_validator

from recruitment.domain.vocabulary import IntermediaryKind, VerificationDecision, VerificationStatus
from recruitment.schemas.common import CountryCode, Input, Name, Output, Reason

CertificateNumber = Annotated[
    str, Field(min_length=3, max_length=40, examples=["C-03-007962-B-22-R"])
]


class IntermediaryFields(Input):
    certificate_number: CertificateNumber | None = None
    certificate_valid_from: date | None = None
    certificate_valid_until: date | None = None
    authorized_to_house: bool = False
    authorized_to_transport: bool = False
    authorized_to_drive: bool = False

    @field_validator("certificate_valid_until")
    @classmethod
    def certificate_period_in_order(cls, end: date | None, info: ValidationInfo) -> date | None:
        start = info.data.get("certificate_valid_from")
        if start and end and end < start:
            raise ValueError(
                f"certificate_valid_until {end} is before certificate_valid_from {start}"
            )
        return end


class IntermediaryCreate(IntermediaryFields):
    kind: IntermediaryKind
    name: Name
    country: CountryCode
    region: Name | None = None


class IntermediaryUpdate(IntermediaryFields):
    name: Name | None = None
    country: CountryCode | None = None
    region: Name | None = None


class IntermediaryRead(Output):
    id: UUID
    kind: IntermediaryKind
    name: str
    country: str
    region: str | None
    address: str | None = Field(default=None, description="Street and city, when known.")
    certificate_number: str | None
    certificate_valid_from: date | None
    certificate_valid_until: date | None
    authorized_to_house: bool
    authorized_to_transport: bool
    authorized_to_drive: bool
    declared_by_grower_id: UUID | None
    verification_status: VerificationStatus
    source: str | None = Field(
        default=None, description="Where it came from, e.g. 'dol_disclosure:H-300-...'."
    )
    version: int
    created_at: datetime
    updated_at: datetime


class IntermediaryVerificationCreate(Input):
    status: VerificationDecision
    note: Reason = Field(description="The evidence: what was checked, where, and what it showed.")


class IntermediaryVerificationRead(Output):
    id: UUID
    intermediary_id: UUID
    status: VerificationDecision
    note: str
    verified_by: str
    created_at: datetime
