from datetime import date, datetime
from typing import Annotated, Self
from uuid import UUID

import phonenumbers
from pydantic import AfterValidator, Field, ValidationInfo, field_validator, model_validator
from stdnum.exceptions import ValidationError as StdnumValidationError

from recruitment import clock
from recruitment.domain import curp
from recruitment.domain.vocabulary import Language
from recruitment.schemas.common import CountryCode, Input, Name, Output


def _valid_curp(value: str) -> str:
    try:
        return curp.validate(value)
    except StdnumValidationError as error:
        raise ValueError(
            f"not a valid CURP ({error}): 18 characters as on the worker's CURP document"
        ) from error


def _valid_phone(value: str) -> str:
    try:
        number = phonenumbers.parse(value, None)
    except phonenumbers.NumberParseException as error:
        raise ValueError(
            "a phone number in international form, with + and the country code, e.g. +52 ..."
        ) from error
    if not phonenumbers.is_valid_number(number):
        raise ValueError("not a valid phone number for its country code")
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


# H-2A workers are adults: the program's recruitment (and Mexico's, through the SNE) takes no one
# under 18. Nor does anyone past 80 come north for seasonal hand harvest: a birth date that old is
# a typing slip (1952 for 1992, 1800), and one that would misdate every age-based check.
YOUNGEST_WORKER_AGE = 18
OLDEST_WORKER_AGE = 80


def _years_before(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February in a year without one
        return day.replace(year=day.year - years, day=28)


def _plausible_birth_date(born: date) -> date:
    today = clock.today()
    if born > _years_before(today, YOUNGEST_WORKER_AGE):
        raise ValueError(
            f"a worker must be at least {YOUNGEST_WORKER_AGE} years old: born on or before "
            f"{_years_before(today, YOUNGEST_WORKER_AGE)}"
        )
    if born <= _years_before(today, OLDEST_WORKER_AGE + 1):
        raise ValueError(
            f"{born} would make the worker over {OLDEST_WORKER_AGE}: check the year of birth"
        )
    return born


BirthDate = Annotated[date, AfterValidator(_plausible_birth_date)]

Curp = Annotated[
    str, Field(max_length=30, examples=["BOXW310820HNERXN09"]), AfterValidator(_valid_curp)
]
PassportNumber = Annotated[str, Field(pattern=r"^[A-Za-z0-9]{5,20}$", examples=["G12345678"])]
Phone = Annotated[
    str, Field(max_length=30, examples=["+52 55 1234 5678"]), AfterValidator(_valid_phone)
]


def mask(identifier: str | None) -> str | None:
    """Keep the last characters only: enough to tell two people apart, not to impersonate one."""
    if identifier is None:
        return None
    visible = 3
    return "*" * (len(identifier) - visible) + identifier[-visible:]


class WorkerIdentity(Input):
    """Each check names the field to correct (a field checked against another one names the
    later one, as it is read after it)."""

    given_names: Name
    family_names: Name
    date_of_birth: BirthDate = Field(
        description=f"The worker is {YOUNGEST_WORKER_AGE} to {OLDEST_WORKER_AGE} years old."
    )
    nationality: CountryCode
    curp: Curp | None = Field(default=None, description="For Mexican nationals.")
    passport_country: CountryCode | None = None
    passport_number: PassportNumber | None = Field(default=None, validate_default=True)
    preferred_language: Language
    phone: Phone | None = None

    @field_validator("curp")
    @classmethod
    def curp_matches_the_worker(cls, value: str | None, info: ValidationInfo) -> str | None:
        if value is None:
            return value
        if info.data.get("nationality", "MX") != "MX":
            raise ValueError("a CURP is issued to Mexican nationals only (nationality MX)")
        born = info.data.get("date_of_birth")
        if born is not None and (encoded := curp.birth_date(value)) != born:
            raise ValueError(f"the CURP encodes the birth date {encoded}, not date_of_birth {born}")
        return value

    @field_validator("passport_number")
    @classmethod
    def curp_or_passport(cls, value: str | None, info: ValidationInfo) -> str | None:
        # A CURP that failed its own check is reported there, not as missing.
        if value is None and "curp" in info.data and info.data["curp"] is None:
            raise ValueError("a worker needs a CURP or a passport number")
        return value.upper() if value is not None else None

    @model_validator(mode="after")
    def passport_country_defaults_to_nationality(self) -> Self:
        if self.passport_number is not None and self.passport_country is None:
            self.passport_country = self.nationality
        return self


class WorkerUpdate(Input):
    """What a grower may correct; identity documents only staff."""

    given_names: Name | None = None
    family_names: Name | None = None
    preferred_language: Language | None = None
    phone: Phone | None = None


class WorkerSummary(Output):
    """A worker as lists show them: identity documents masked."""

    id: UUID
    given_names: str
    family_names: str
    nationality: str
    curp_masked: str | None
    passport_masked: str | None
    preferred_language: Language
    created_at: datetime


class WorkerRead(Output):
    id: UUID
    given_names: str
    family_names: str
    date_of_birth: date
    nationality: str
    curp: str | None
    passport_country: str | None
    passport_number: str | None
    preferred_language: Language
    phone: str | None
    version: int
    created_at: datetime
    updated_at: datetime

    def summary(self) -> WorkerSummary:
        return WorkerSummary(
            id=self.id,
            given_names=self.given_names,
            family_names=self.family_names,
            nationality=self.nationality,
            curp_masked=mask(self.curp),
            passport_masked=mask(self.passport_number),
            preferred_language=self.preferred_language,
            created_at=self.created_at,
        )
