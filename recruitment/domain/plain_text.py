"""Text that people send holds no NUL character.

PostgreSQL can't store a NUL in text: one that got through validation made the write fail as a
server error. It never belongs in a name, an address or a note, so a model refuses it in any of
its text fields, lists and mappings of text included, and the error names the field.
"""

from collections.abc import Mapping
from typing import Any

from pydantic import BaseModel, field_validator

NUL = "\x00"


def _holds_nul(value: object) -> bool:
    if isinstance(value, str):
        return NUL in value
    if isinstance(value, Mapping):
        return any(_holds_nul(key) or _holds_nul(item) for key, item in value.items())
    if isinstance(value, list | tuple | set | frozenset):
        return any(_holds_nul(item) for item in value)
    return False


class PlainText(BaseModel):
    """A model whose text refuses NUL characters (nested models check their own fields)."""

    @field_validator("*", mode="after")
    @classmethod
    def _no_nul(cls, value: Any) -> Any:
        if _holds_nul(value):
            raise ValueError("contains a NUL character, which no text here may hold")
        return value
