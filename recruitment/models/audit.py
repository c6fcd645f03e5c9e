from typing import Any
from uuid import UUID

from sqlmodel import Field

from recruitment.models.base import Identified, json_field


class AuditEvent(Identified, table=True):
    """Every write: who, what, when, before and after. Append-only (a trigger refuses changes)."""

    __tablename__ = "audit_events"

    actor: str = Field(max_length=100, index=True, description="'key:<id>', 'user:<id>', 'cli'.")
    actor_role: str = Field(max_length=10)
    action: str = Field(max_length=60)
    subject_type: str = Field(max_length=40)
    subject_id: UUID = Field(index=True)
    grower_id: UUID | None = Field(default=None, index=True)
    before: Any = json_field(default=None, nullable=True)
    after: Any = json_field(default=None, nullable=True)
    request_id: str | None = Field(default=None, max_length=64)
