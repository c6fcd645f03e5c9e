from datetime import date, datetime

from sqlalchemy import CheckConstraint, UniqueConstraint
from sqlmodel import Field

from recruitment.models.base import Identified, timestamp_field, utc_now


class Worker(Identified, table=True):
    """One person across growers and seasons: matched by CURP or passport, never duplicated."""

    __tablename__ = "workers"
    __table_args__ = (
        UniqueConstraint("passport_country", "passport_number"),
        CheckConstraint("curp IS NOT NULL OR passport_number IS NOT NULL", name="identified"),
        CheckConstraint("preferred_language IN ('es', 'ht', 'en')", name="preferred_language"),
    )

    given_names: str = Field(max_length=200)
    family_names: str = Field(max_length=200)
    date_of_birth: date
    nationality: str = Field(max_length=2)
    curp: str | None = Field(default=None, max_length=18, unique=True)
    passport_country: str | None = Field(default=None, max_length=2)
    passport_number: str | None = Field(default=None, max_length=20)
    preferred_language: str = Field(max_length=2)
    phone: str | None = Field(default=None, max_length=20)
    version: int = Field(default=1)
    updated_at: datetime = timestamp_field(default_factory=utc_now)
