from datetime import date

from sqlmodel import Field

from recruitment.models.base import Identified


class Debarment(Identified, table=True):
    """One entry of the OFLC's H-2A program debarment list (20 CFR 655.182): who is debarred,
    where, from when until when, and for what. Re-importing a list updates its entries in place
    (found by `entry_key`)."""

    __tablename__ = "debarments"

    entry_key: str = Field(
        max_length=400, unique=True, description="Normalised name, state and start date."
    )
    entity_name: str = Field(max_length=300)
    name_key: str = Field(max_length=300, index=True)
    entity_type: str | None = Field(default=None, max_length=100)
    location: str | None = Field(default=None, max_length=200)
    state: str | None = Field(default=None, max_length=2)
    starts_on: date
    ends_on: date | None = None
    violation: str | None = Field(default=None, max_length=2000)
    citation: str | None = Field(default=None, max_length=200)
    source_file: str = Field(max_length=300)
    line: int
