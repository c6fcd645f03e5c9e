import re
from datetime import datetime
from typing import Annotated
from uuid import UUID

from pydantic import AfterValidator, Field, SecretStr

from recruitment.domain.vocabulary import Role
from recruitment.schemas.common import Input, Output

# Enough to catch a typo in a command line; whether the address works is the person's business.
_EMAIL_SHAPE = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
# NIST SP 800-63B: length is what makes a password strong; no composition rules, no maximum
# short enough to forbid a passphrase.
MIN_PASSWORD_LENGTH = 12
MAX_PASSWORD_LENGTH = 1024  # argon2 hashes any length; this only bounds the work per attempt


def _email_address(value: str) -> str:
    if not _EMAIL_SHAPE.match(value):
        raise ValueError("not an email address, e.g. name@example.org")
    return value.lower()


def _long_enough(password: SecretStr) -> SecretStr:
    length = len(password.get_secret_value())
    if length < MIN_PASSWORD_LENGTH:
        raise ValueError(
            f"a password needs at least {MIN_PASSWORD_LENGTH} characters; a few words make one"
        )
    if length > MAX_PASSWORD_LENGTH:
        raise ValueError(f"a password has at most {MAX_PASSWORD_LENGTH} characters")
    return password


Email = Annotated[str, Field(max_length=254), AfterValidator(_email_address)]
Password = Annotated[SecretStr, AfterValidator(_long_enough)]


class UserCreate(Input):
    email: Email
    password: Password
    role: Role
    grower_id: UUID | None = None


class UserRead(Output):
    id: UUID
    email: str
    role: Role
    grower_id: UUID | None
    created_at: datetime
    locked_until: datetime | None
    last_signed_in_at: datetime | None
