from datetime import date, datetime
from typing import Any
from uuid import UUID

from sqlalchemy import CheckConstraint, LargeBinary
from sqlmodel import Field

from recruitment.models.base import Identified, json_field, timestamp_field


class Contract(Identified, table=True):
    """One rendering of one job-order version for one worker in one language. Never changed,
    except to note that a later one superseded it and when the worker confirmed receipt."""

    __tablename__ = "contracts"
    __table_args__ = (CheckConstraint("language IN ('es', 'ht', 'en')", name="language"),)

    recruitment_id: UUID = Field(foreign_key="recruitments.id", index=True)
    grower_id: UUID = Field(foreign_key="growers.id", index=True)
    worker_id: UUID = Field(foreign_key="workers.id", index=True)
    job_order_id: UUID = Field(foreign_key="job_orders.id", index=True)
    job_order_version: int
    language: str = Field(max_length=2)
    document: Any = json_field(description="What was rendered, for the worker's page.")
    untranslated_fields: list[str] = json_field(
        default_factory=list,
        description="The terms it states in English for want of a translation (from `document`).",
    )
    pdf: bytes = Field(sa_type=LargeBinary)
    sha256: str = Field(max_length=64)
    verification_code: str = Field(max_length=16, unique=True)
    token_digest: bytes = Field(sa_type=LargeBinary, unique=True)
    issued_at: datetime = timestamp_field()
    issued_by: str = Field(max_length=100)
    superseded_at: datetime | None = timestamp_field(default=None)
    superseded_by_id: UUID | None = Field(default=None, foreign_key="contracts.id")
    receipt_confirmed_at: datetime | None = timestamp_field(default=None)
    terms_override_reason: str | None = Field(
        default=None,
        max_length=2000,
        description="Why staff issued it although its terms had open findings (listed beside).",
    )
    terms_findings_overridden: list[str] | None = json_field(
        default=None, description="The findings on the terms that staff overrode."
    )


class ContractDelivery(Identified, table=True):
    """How and when a contract reached the worker."""

    __tablename__ = "contract_deliveries"
    __table_args__ = (
        CheckConstraint(
            "method IN ('in_person', 'whatsapp', 'sms', 'email', 'paper')", name="method"
        ),
    )

    contract_id: UUID = Field(foreign_key="contracts.id", index=True)
    method: str = Field(max_length=12)
    delivered_on: date
    note: str | None = Field(default=None, max_length=2000)
    recorded_by: str = Field(max_length=100)


class ContractAudio(Identified, table=True):
    """Page 1 of a contract, spoken in its language (es, ht), made by a background job once the
    contract is issued: for workers who don't read."""

    __tablename__ = "contract_audio"

    contract_id: UUID = Field(foreign_key="contracts.id", unique=True)
    media_type: str = Field(max_length=40)
    audio: bytes = Field(sa_type=LargeBinary)
    seconds: float
