from datetime import date, datetime
from typing import Any
from uuid import UUID

from sqlalchemy import CheckConstraint, Index, text
from sqlmodel import Field

from recruitment.models.base import Identified, json_field, timestamp_field, utc_now
from recruitment.models.recruitments import held_to_its_case


class Flag(Identified, table=True):
    """A rule's finding about one case as staff work it: open, acknowledged, resolved, dismissed."""

    __tablename__ = "flags"
    __table_args__ = (
        CheckConstraint(
            "status IN ('open', 'acknowledged', 'resolved', 'dismissed')", name="status"
        ),
        CheckConstraint("severity IN ('critical', 'violation', 'warning')", name="severity"),
        # One live flag per finding: resolved ones are history.
        Index(
            "uq_flags_live_finding",
            "recruitment_id",
            "code",
            "subject",
            unique=True,
            postgresql_where=text("status <> 'resolved'"),
        ),
        held_to_its_case(),
    )

    recruitment_id: UUID = Field(index=True)
    grower_id: UUID = Field(index=True)
    worker_id: UUID = Field(index=True)
    code: str = Field(max_length=40, index=True)
    severity: str = Field(max_length=10)
    subject: str = Field(max_length=80)
    evidence: Any = json_field()
    source: str = Field(max_length=300)
    fingerprint: str = Field(max_length=64)
    status: str = Field(default="open", max_length=12, index=True)
    status_note: str | None = Field(default=None, max_length=4000)
    status_changed_by: str = Field(default="system", max_length=100)
    status_changed_at: datetime = timestamp_field(default_factory=utc_now)
    version: int = Field(default=1)


class FlagStatusChange(Identified, table=True):
    """Every change of a flag's status, by staff or by re-evaluation, with its note."""

    __tablename__ = "flag_status_changes"

    flag_id: UUID = Field(foreign_key="flags.id", index=True)
    from_status: str | None = Field(default=None, max_length=12)
    to_status: str = Field(max_length=12)
    note: str | None = Field(default=None, max_length=4000)
    changed_by: str = Field(max_length=100)


class ReferenceImport(Identified, table=True):
    """One load of published rates (AEWRs, the meal charge maximum) with its source and dates.

    A load is a version of its table: loading the same file with the same source and dates again
    finds this record and changes nothing; a new load supersedes the rates it covers.
    """

    __tablename__ = "reference_imports"
    __table_args__ = (
        CheckConstraint("kind IN ('wage_rates', 'meal_charge_maximums')", name="kind"),
        Index("uq_reference_imports_kind_sha256", "kind", "sha256", unique=True),
    )

    kind: str = Field(max_length=30)
    sha256: str = Field(max_length=64, description="Of the file and the stated source and dates.")
    file_name: str = Field(max_length=300)
    source: str = Field(max_length=300)
    effective_from: date
    effective_until: date
    rows: int
    imported_by: str = Field(max_length=100)


class WageFloorRate(Identified, table=True):
    """A published Adverse Effect Wage Rate for a state, and for an occupation (SOC code) and skill
    level where the table has them (the 2025 rule); empty occupation and level: all of them."""

    __tablename__ = "wage_floor_rates"
    __table_args__ = (
        # One rate in force per state, occupation, level and start; superseded rates are history.
        Index(
            "uq_wage_floor_rates_current",
            "state",
            "soc_code",
            "skill_level",
            "effective_from",
            unique=True,
            postgresql_where=text("superseded_at IS NULL"),
        ),
    )

    state: str = Field(max_length=2)
    soc_code: str = Field(default="", max_length=7)
    skill_level: str = Field(default="", max_length=20)
    year: int
    effective_from: date
    effective_until: date
    hourly_cents: int
    basis: str | None = Field(default=None, max_length=60)
    note: str | None = Field(default=None, max_length=500)
    source: str = Field(max_length=300)
    import_id: UUID = Field(foreign_key="reference_imports.id", index=True)
    superseded_at: datetime | None = timestamp_field(default=None)


class MealChargeMaximum(Identified, table=True):
    """The most an H-2A employer may charge a worker per day for three meals (20 CFR 655.173),
    as OFLC publishes it each year."""

    __tablename__ = "meal_charge_maximums"
    __table_args__ = (
        Index(
            "uq_meal_charge_maximums_current",
            "effective_from",
            unique=True,
            postgresql_where=text("superseded_at IS NULL"),
        ),
    )

    effective_from: date
    effective_until: date
    daily_cents: int
    source: str = Field(max_length=300)
    import_id: UUID = Field(foreign_key="reference_imports.id", index=True)
    superseded_at: datetime | None = timestamp_field(default=None)


class RegistryCertificate(Identified, table=True):
    """A DOL farm labor contractor certificate of registration as the official registry lists it."""

    __tablename__ = "registry_certificates"

    certificate_number: str = Field(max_length=40, unique=True)
    holder_name: str = Field(max_length=200)
    address: str | None = Field(default=None, max_length=300)
    city: str | None = Field(default=None, max_length=100)
    state: str | None = Field(default=None, max_length=2)
    valid_from: date | None = None
    valid_until: date | None = None
    authorized_to_house: bool = False
    authorized_to_transport: bool = False
    authorized_to_drive: bool = False
    source_file: str = Field(max_length=300)


class SneReferral(Identified, table=True):
    """One line of a referral list an SNE office sent: who it referred, to whom, when."""

    __tablename__ = "sne_referrals"
    __table_args__ = (Index("uq_sne_referrals_office_folio", "office", "folio", unique=True),)

    office: str = Field(max_length=200)
    folio: str = Field(max_length=60, index=True)
    curp: str | None = Field(default=None, max_length=18, index=True)
    passport_number: str | None = Field(default=None, max_length=20)
    worker_name: str = Field(max_length=300)
    referred_on: date | None = None
    employer: str = Field(max_length=200)
    source_file: str = Field(max_length=300)


class SneReferralOutcome(Identified, table=True):
    """What matching a referral list said of one recruitment's SNE claim."""

    __tablename__ = "sne_referral_outcomes"

    recruitment_id: UUID = Field(foreign_key="recruitments.id", index=True, unique=True)
    referral_id: UUID = Field(foreign_key="sne_referrals.id")
    matched: bool
    conflicts: Any = json_field(default=None, nullable=True)
