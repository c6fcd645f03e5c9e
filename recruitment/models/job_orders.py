from datetime import datetime
from typing import Any
from uuid import UUID

from sqlalchemy import CheckConstraint, ColumnElement, UniqueConstraint, and_
from sqlmodel import Field, col

from recruitment.models.base import Identified, json_field, timestamp_field, utc_now


class JobOrder(Identified, table=True):
    """An H-2A clearance order; its terms live in immutable versions.

    A grower files it, or an H-2A labor contractor (an intermediary) does: the contractor then
    places the workers at growers (see ContractorPlacement), who are not their direct employers.
    """

    __tablename__ = "job_orders"
    __table_args__ = (
        CheckConstraint(
            "(grower_id IS NULL) <> (filed_by_intermediary_id IS NULL)", name="one_filer"
        ),
        CheckConstraint(
            "case_status IN ('certified', 'partial', 'denied', 'withdrawn', 'expired')",
            name="case_status",
        ),
    )

    grower_id: UUID | None = Field(default=None, foreign_key="growers.id", index=True)
    filed_by_intermediary_id: UUID | None = Field(
        default=None, foreign_key="intermediaries.id", index=True
    )
    source: str | None = Field(
        default=None,
        max_length=80,
        unique=True,
        description="Where it came from, e.g. 'dol_disclosure:H-300-21291-649944'; one job "
        "order per source.",
    )
    case_status: str | None = Field(
        default=None,
        max_length=12,
        description="OFLC's decision on the case, when imported from its disclosure data; "
        "none for a job order entered here.",
    )
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


def is_current_version() -> ColumnElement[bool]:
    """The join of a job order with its current version: the terms in force."""
    return and_(
        col(JobOrderVersion.job_order_id) == col(JobOrder.id),
        col(JobOrderVersion.number) == col(JobOrder.current_version),
    )
