from datetime import date, datetime
from uuid import UUID

from pydantic import Field

from recruitment.domain.vocabulary import ProgramStatus, UsState
from recruitment.schemas.common import Fein, Input, Name, Output, Reason


class GrowerCreate(Input):
    legal_name: Name
    trade_name: Name | None = None
    fein: Fein
    street: Name
    city: Name
    state: UsState
    postal_code: str = Field(pattern=r"^\d{5}(-\d{4})?$", examples=["33935"])


class GrowerUpdate(Input):
    """Every field optional: only those sent change."""

    legal_name: Name | None = None
    trade_name: Name | None = None
    fein: Fein | None = None
    street: Name | None = None
    city: Name | None = None
    state: UsState | None = None
    postal_code: str | None = Field(default=None, pattern=r"^\d{5}(-\d{4})?$")


class GrowerRead(Output):
    id: UUID
    legal_name: str
    trade_name: str | None
    fein: str | None = Field(
        description="Null for a grower imported from DOL data until staff add it."
    )
    street: str
    city: str
    state: str
    postal_code: str
    program_status: ProgramStatus
    program_status_since: date
    source: str | None = Field(
        default=None, description="Where the grower came from, e.g. 'dol_disclosure:H-300-...'."
    )
    version: int
    created_at: datetime
    updated_at: datetime


class StandingGrounds(Input):
    """What a decision on a grower's standing rests on: its flags, its findings, an audit."""

    flag_ids: list[UUID] = Field(default_factory=list, max_length=200)
    finding_ids: list[UUID] = Field(default_factory=list, max_length=200)
    audit_id: UUID | None = Field(
        default=None, description="Required to reinstate: the passed re-entry audit."
    )


class ProgramStatusChange(Input):
    to_status: ProgramStatus
    effective_on: date
    reason: Reason = Field(description="The written decision: why, in words a buyer would read.")
    grounds: StandingGrounds = Field(default_factory=StandingGrounds)


class ProgramStatusChangeRead(Output):
    id: UUID
    grower_id: UUID
    from_status: ProgramStatus
    to_status: ProgramStatus
    effective_on: date
    reason: str
    changed_by: str
    grounds: StandingGrounds | None
    created_at: datetime
