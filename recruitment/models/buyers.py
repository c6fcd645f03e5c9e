"""Participating buyers: the brands and retailers bound to buy only from growers in good standing,
and the signed webhooks that tell them of each change of a grower's standing."""

from datetime import datetime
from typing import Any
from uuid import UUID

from sqlalchemy import CheckConstraint, UniqueConstraint
from sqlmodel import Field

from recruitment.models.base import Identified, json_field, timestamp_field


class Buyer(Identified, table=True):
    __tablename__ = "buyers"

    name: str = Field(max_length=200, unique=True)
    webhook_url: str | None = Field(default=None, max_length=2000)
    # Kept as is, not as a digest: every webhook body is signed with it (HMAC-SHA256).
    webhook_secret: str = Field(max_length=100)
    active: bool = True


class StandingDelivery(Identified, table=True):
    """One change of standing sent to one buyer's webhook: every attempt is logged, and a change
    is delivered at most once per buyer once a receiver has accepted it."""

    __tablename__ = "standing_deliveries"
    __table_args__ = (
        UniqueConstraint("buyer_id", "status_change_id"),
        CheckConstraint("status IN ('pending', 'delivered', 'failed')", name="status"),
    )

    buyer_id: UUID = Field(foreign_key="buyers.id", index=True)
    status_change_id: UUID = Field(foreign_key="grower_status_changes.id", index=True)
    status: str = Field(default="pending", max_length=10, index=True)
    attempts: int = 0
    attempt_log: Any = json_field(default_factory=list)
    delivered_at: datetime | None = timestamp_field(default=None)
