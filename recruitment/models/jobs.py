from datetime import datetime
from typing import Any
from uuid import UUID

from sqlalchemy import CheckConstraint, LargeBinary
from sqlmodel import Field

from recruitment.models.base import Identified, json_field, timestamp_field


class Job(Identified, table=True):
    """Season-wide work done in the background, and how far it got.

    The queue itself (procrastinate) decides who runs it; this row is what callers read.
    """

    __tablename__ = "jobs"
    __table_args__ = (
        CheckConstraint("status IN ('queued', 'running', 'succeeded', 'failed')", name="status"),
    )

    kind: str = Field(max_length=40)
    grower_id: UUID | None = Field(default=None, foreign_key="growers.id", index=True)
    subject_id: UUID | None = Field(default=None)
    parameters: Any = json_field(default=None, nullable=True)
    requested_by: str = Field(max_length=100)
    status: str = Field(default="queued", max_length=10)
    total: int = 0
    done: int = 0
    skipped: int = 0
    failed: int = 0
    errors: Any = json_field(default=None, nullable=True)
    result: Any = json_field(default=None, nullable=True)
    payload: bytes | None = Field(
        default=None, sa_type=LargeBinary, description="The file a job imports."
    )
    attempts: int = 0
    started_at: datetime | None = timestamp_field(default=None)
    finished_at: datetime | None = timestamp_field(default=None)
