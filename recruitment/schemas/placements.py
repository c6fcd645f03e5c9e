from datetime import date, datetime
from uuid import UUID

from pydantic import Field

from recruitment.schemas.common import Output


class PlaceOfEmploymentRead(Output):
    business: str
    address: str
    city: str | None
    state: str
    postal_code: str | None
    begin: date | None
    end: date | None
    workers: int | None
    information: str | None


class ContractorPlacementFields(Output):
    id: UUID
    intermediary_id: UUID
    grower_id: UUID
    job_order_id: UUID
    case_number: str
    period_start: date | None
    period_end: date | None
    workers: int | None = Field(description="The most workers the case asks for at one place.")
    places: list[PlaceOfEmploymentRead]


class ContractorPlacementRead(ContractorPlacementFields):
    """An H-2A labor contractor placing workers at a grower under an OFLC case. The contractor
    is their employer: they are not the grower's direct hires."""

    contractor_name: str
    grower_legal_name: str
    created_at: datetime
    updated_at: datetime
