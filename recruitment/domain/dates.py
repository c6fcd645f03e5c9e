"""Dates in what people send are written as dates.

pydantic reads a number, or a string of digits, given for a date as a Unix timestamp: `0` becomes
1970-01-01 and `"86400"` 1970-01-02. No one means that in a payment's or a visa's date, so such a
value is refused with a message saying how to write it.
"""

import functools
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


@functools.cache
def _date_fields(model: type[BaseModel]) -> frozenset[str]:
    """The fields of a model that hold a date. Looked up once per model: the check runs on every
    field of every model validated, a roster's nine a row."""
    return frozenset(
        name for name, field in model.model_fields.items() if _is_a_date(field.annotation)
    )


class WrittenDates(BaseModel):
    """A model whose date fields refuse numbers."""

    @field_validator("*", mode="before")
    @classmethod
    def _not_a_number(cls, value: Any, info: ValidationInfo) -> Any:
        if info.field_name not in _date_fields(cls):
            return value
        if (isinstance(value, int | float) and not isinstance(value, bool)) or (
            isinstance(value, str) and _NUMBER.fullmatch(value) is not None
        ):
            raise ValueError(f"{value!r} is a number; write the date as YYYY-MM-DD")
        return value
