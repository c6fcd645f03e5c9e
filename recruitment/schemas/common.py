from collections.abc import Mapping, Sequence
from typing import Annotated, Any, Generic, TypeVar

import phonenumbers
from pydantic import AfterValidator, BaseModel, ConfigDict, Field
from stdnum.exceptions import ValidationError as StdnumValidationError
from stdnum.us import ein

from recruitment.domain.dates import WrittenDates
from recruitment.domain.plain_text import PlainText

Item = TypeVar("Item")


def readable_message(problem: Mapping[str, Any]) -> str:
    """A pydantic error's message as a person should read it: without the `Value error, ` that
    pydantic puts before the words of our own validators."""
    return str(problem["msg"]).removeprefix("Value error, ")


class Input(WrittenDates, PlainText):
    """Input refuses unknown fields, so a misspelt field is an error, not silently dropped, a
    number given for a date (WrittenDates), and NUL characters in text (PlainText)."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class Output(BaseModel):
    model_config = ConfigDict(from_attributes=True)


class PageOf(Output, Generic[Item]):
    items: Sequence[Item]
    next_cursor: str | None = Field(
        description="Pass as `cursor` for the next page; null at the end."
    )


def _valid_fein(value: str) -> str:
    try:
        return str(ein.format(ein.validate(value)))
    except StdnumValidationError as error:
        raise ValueError(
            f"not a valid FEIN ({error}); expected nine digits as NN-NNNNNNN"
        ) from error


Fein = Annotated[
    str,
    Field(max_length=20, examples=["59-1234567"]),
    AfterValidator(_valid_fein),
]
Name = Annotated[str, Field(min_length=1, max_length=200)]


def _known_country(value: str) -> str:
    code = value.upper()
    # phonenumbers ships the ISO 3166-1 regions it knows; no second country list to maintain.
    if code not in phonenumbers.SUPPORTED_REGIONS:
        raise ValueError(f"{value!r} is not an ISO 3166-1 alpha-2 country code, e.g. MX, GT, HT")
    return code


CountryCode = Annotated[
    str, Field(min_length=2, max_length=2, examples=["MX"]), AfterValidator(_known_country)
]
Reason = Annotated[str, Field(min_length=1, max_length=2000)]
