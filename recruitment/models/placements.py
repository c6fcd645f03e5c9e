from datetime import date, datetime
from typing import Any
from uuid import UUID

from sqlalchemy import UniqueConstraint
from sqlmodel import Field

from recruitment.models.base import Identified, json_field, timestamp_field, utc_now


class ContractorPlacement(Identified, table=True):
    """An H-2A labor contractor supplying workers to a fixed-site grower under one OFLC case
    (Form 790A, Addendum B): the contractor employs those workers, not the grower."""

    __tablename__ = "contractor_placements"
    __table_args__ = (UniqueConstraint("case_number", "grower_id"),)

    intermediary_id: UUID = Field(foreign_key="intermediaries.id", index=True)
    grower_id: UUID = Field(foreign_key="growers.id", index=True)
    job_order_id: UUID = Field(foreign_key="job_orders.id", index=True)
    case_number: str = Field(max_length=40)
    period_start: date | None = None
    period_end: date | None = None
    workers: int | None = Field(default=None, description="The most workers asked for at once.")
    places: Any = json_field(description="The places of employment at this grower, as filed.")
    updated_at: datetime = timestamp_field(default_factory=utc_now)
