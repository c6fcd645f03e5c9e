from datetime import datetime
from uuid import UUID

from sqlalchemy import CheckConstraint, LargeBinary
from sqlmodel import Field, SQLModel

from recruitment.models.base import Identified, timestamp_field


class User(Identified, table=True):
    """A person who signs in to the console: program staff, or someone acting for one grower.

    Only an argon2 hash of the password is kept. Repeated failed sign-ins lock the account for a
    while (`locked_until`), which slows down password guessing without a permanent lockout.
    """

    __tablename__ = "users"
    __table_args__ = (
        CheckConstraint("role IN ('admin', 'staff', 'grower')", name="role"),
        CheckConstraint("(role = 'grower') = (grower_id IS NOT NULL)", name="grower_scope"),
    )

    email: str = Field(max_length=254, unique=True, description="Stored in lower case.")
    password_hash: str = Field(max_length=200)
    role: str = Field(max_length=10)
    grower_id: UUID | None = Field(default=None, foreign_key="growers.id", index=True)
    failed_attempts: int = Field(default=0, description="Failed sign-ins since the last success.")
    locked_until: datetime | None = timestamp_field(default=None)
    last_signed_in_at: datetime | None = timestamp_field(default=None)


class ConsoleStoreEntry(SQLModel, table=True):
    """One value of the console's server-side store (its sessions and its CSRF secret).

    In PostgreSQL rather than in memory so that every process serving the console shares them.
    """

    __tablename__ = "console_store"

    key: str = Field(primary_key=True, max_length=200)
    value: bytes = Field(sa_type=LargeBinary)
    expires_at: datetime | None = timestamp_field(default=None, index=True)
