from datetime import date, datetime
from typing import Annotated, Self
from uuid import UUID

import phonenumbers
from pydantic import AfterValidator, Field, model_validator
from stdnum.exceptions import ValidationError as StdnumValidationError
from stdnum.mx import curp as stdnum_curp

from recruitment.domain.vocabulary import Language
from recruitment.schemas.common import CountryCode, Input, Name, Output


def _valid_curp(value: str) -> str:
    try:
        return str(stdnum_curp.validate(value))
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
    given_names: Name
    family_names: Name
    date_of_birth: date
    nationality: CountryCode
    curp: Curp | None = Field(default=None, description="For Mexican nationals.")
    passport_country: CountryCode | None = None
    passport_number: PassportNumber | None = None
    preferred_language: Language
    phone: Phone | None = None

    @model_validator(mode="after")
    def identified(self) -> Self:
        if self.curp is None and self.passport_number is None:
            raise ValueError("a worker needs a CURP or a passport number")
        if self.curp is not None and self.nationality != "MX":
            raise ValueError("a CURP is issued to Mexican nationals only (nationality MX)")
        if self.curp is not None and stdnum_curp.get_birth_date(self.curp) != self.date_of_birth:
            raise ValueError(
                f"the CURP encodes the birth date {stdnum_curp.get_birth_date(self.curp)}, "
                f"not date_of_birth {self.date_of_birth}"
            )
        if self.passport_number is not None:
            self.passport_number = self.passport_number.upper()
            if self.passport_country is None:
                self.passport_country = self.nationality
        if self.date_of_birth >= date.today():  # noqa: DTZ011 - a calendar date, no clock involved
            raise ValueError("date_of_birth must be in the past")
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
