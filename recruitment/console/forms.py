"""HTML forms in and out: posted fields to the services' input models, and their errors back to
the fields, worded as the API words them."""

from collections.abc import AsyncIterator, Mapping
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError
from sqlmodel.ext.asyncio.session import AsyncSession

from recruitment.errors import InvalidInput
from recruitment.schemas.common import readable_message

Model = TypeVar("Model", bound=BaseModel)


@dataclass
class FormErrors:
    """Messages by dotted field name (`worker.curp`), as in the API's `errors[].field`."""

    fields: dict[str, list[str]] = field(default_factory=dict)
    general: list[str] = field(default_factory=list)

    def add(self, name: str, message: str) -> None:
        self.fields.setdefault(name, []).append(message)

    def __bool__(self) -> bool:
        return bool(self.fields or self.general)

    @classmethod
    def of_validation(cls, error: ValidationError) -> "FormErrors":
        errors = cls()
        for problem in error.errors(include_url=False):
            name = ".".join(str(part) for part in problem["loc"])
            if name:
                errors.add(name, readable_message(problem))
            else:  # a rule about the whole form, such as which fields go together
                errors.general.append(readable_message(problem))
        return errors

    @classmethod
    def of_invalid_input(cls, error: InvalidInput) -> "FormErrors":
        errors = cls()
        for problem in error.problems:
            errors.add(problem.field, problem.message)
        if not error.problems:
            errors.general.append(error.detail)
        return errors

    @classmethod
    def of_message(cls, message: str) -> "FormErrors":
        return cls(general=[message])


def posted_values(form: Mapping[str, Any]) -> dict[str, str]:
    """The fields a person filled in, as typed (to show the form again), less the CSRF token."""
    return {
        name: str(value).strip()
        for name, value in form.items()
        if not name.startswith("_") and str(value).strip()
    }


def nested(values: Mapping[str, str]) -> dict[str, Any]:
    """`{"worker.curp": "X"}` becomes `{"worker": {"curp": "X"}}`, and `{"cost_ids.0": "A"}`
    becomes `{"cost_ids": ["A"]}`: the shape the API receives. Fields left blank are left out,
    as an API client leaves out what it doesn't know."""
    payload: dict[str, Any] = {}
    for name, value in values.items():
        *parents, last = name.split(".")
        listed = bool(parents) and last.isdigit()
        if listed:
            *parents, last = parents
        branch = payload
        for parent in parents:
            branch = branch.setdefault(parent, {})
        if listed:
            branch.setdefault(last, []).append(value)
        else:
            branch[last] = value
    return payload


def parse(model: type[Model], values: Mapping[str, str]) -> Model:
    """Validate posted values with the same model the API validates its JSON with."""
    return model.model_validate(nested(values))


@asynccontextmanager
async def all_or_nothing(session: AsyncSession) -> AsyncIterator[None]:
    """Run a write that may be refused. A refusal is answered with the form again, so the request
    ends normally and its transaction commits: the savepoint makes sure that whatever the refused
    write had done before it was refused is undone first."""
    async with session.begin_nested():
        yield
