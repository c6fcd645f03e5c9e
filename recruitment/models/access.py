from datetime import datetime
from typing import Any
from uuid import UUID

from sqlalchemy import CheckConstraint, LargeBinary, UniqueConstraint
from sqlmodel import Field

from recruitment.models.base import Identified, json_field, timestamp_field


class ApiKey(Identified, table=True):
    """An API key, stored only as its SHA-256 digest; the key itself is shown once at creation."""

    __tablename__ = "api_keys"
    __table_args__ = (
        CheckConstraint("role IN ('admin', 'staff', 'grower', 'buyer')", name="role"),
        CheckConstraint("(role = 'grower') = (grower_id IS NOT NULL)", name="grower_scope"),
        CheckConstraint("(role = 'buyer') = (buyer_id IS NOT NULL)", name="buyer_scope"),
    )

    digest: bytes = Field(sa_type=LargeBinary, unique=True)
    prefix: str = Field(max_length=12, description="The first characters, to recognise a key.")
    role: str = Field(max_length=10)
    grower_id: UUID | None = Field(default=None, foreign_key="growers.id", index=True)
    buyer_id: UUID | None = Field(default=None, foreign_key="buyers.id", index=True)
    label: str | None = Field(default=None, max_length=200)
    revoked_at: datetime | None = timestamp_field(default=None)


class IdempotencyRecord(Identified, table=True):
    """The first response to a creating POST, replayed when the same key comes again."""

    __tablename__ = "idempotency_records"

    api_key_id: UUID = Field(foreign_key="api_keys.id")
    key: str = Field(max_length=200)
    request_fingerprint: str = Field(max_length=64)
    status_code: int
    response_body: Any = json_field()
    response_headers: Any = json_field()

    # One record per caller and key: keys of different callers never collide.
    __table_args__ = (UniqueConstraint("api_key_id", "key"),)
