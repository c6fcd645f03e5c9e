from datetime import datetime
from typing import Any
from uuid import UUID

from sqlalchemy import UniqueConstraint
from sqlmodel import Field

from recruitment.models.base import Identified, json_field, timestamp_field, utc_now


class JobOrder(Identified, table=True):
    """A grower's H-2A clearance order; its terms live in immutable versions."""

    __tablename__ = "job_orders"

    grower_id: UUID = Field(foreign_key="growers.id", index=True)
    current_version: int = Field(default=1)
    version: int = Field(default=1, description="Bumped on every change: the ETag.")
    updated_at: datetime = timestamp_field(default_factory=utc_now)


class JobOrderVersion(Identified, table=True):
    """One version of a job order's terms. Never updated: a contract cites it."""

    __tablename__ = "job_order_versions"
    __table_args__ = (UniqueConstraint("job_order_id", "number"),)

    job_order_id: UUID = Field(foreign_key="job_orders.id", index=True)
    number: int
    terms: Any = json_field()
    created_by: str = Field(max_length=100)
