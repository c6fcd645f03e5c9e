"""Dates in what people send are written as dates.

pydantic reads a number, or a string of digits, given for a date as a Unix timestamp: `0` becomes
1970-01-01 and `"86400"` 1970-01-02. No one means that in a payment's or a visa's date, so such a
value is refused with a message saying how to write it.
"""

import re
from datetime import date
from typing import Any, get_args

from pydantic import BaseModel, ValidationInfo, field_validator

_NUMBER = re.compile(r"\s*[+-]?\d+(\.\d*)?\s*")


def _is_a_date(annotation: Any) -> bool:
    # datetime is a date too; `date | None` and the like are looked into.
    if isinstance(annotation, type):
        return issubclass(annotation, date)
    return any(_is_a_date(argument) for argument in get_args(annotation))


class WrittenDates(BaseModel):
    """A model whose date fields refuse numbers."""

    @field_validator("*", mode="before")
    @classmethod
    def _not_a_number(cls, value: Any, info: ValidationInfo) -> Any:
        number = (isinstance(value, int | float) and not isinstance(value, bool)) or (
            isinstance(value, str) and _NUMBER.fullmatch(value) is not None
        )
        if number and info.field_name and _is_a_date(cls.model_fields[info.field_name].annotation):
            raise ValueError(f"{value!r} is a number; write the date as YYYY-MM-DD")
        return value
