"""Who is asking: the identity every service checks its rules against."""

from dataclasses import dataclass
from uuid import UUID

from sqlalchemy import ColumnElement, true
from sqlalchemy.orm import Mapped

from recruitment.domain.vocabulary import KeyRole
from recruitment.errors import Forbidden


@dataclass(frozen=True)
class Caller:
    actor: str  # 'key:<id>', 'user:<id>' or 'cli', as written in the audit trail
    role: KeyRole
    grower_id: UUID | None = None
    buyer_id: UUID | None = None
    api_key_id: UUID | None = None
    request_id: str | None = None

    @property
    def is_staff(self) -> bool:
        return self.role in ("staff", "admin")

    def require_staff(self, action: str) -> None:
        if not self.is_staff:
            raise Forbidden(f"Only program staff may {action}.")

    def require_buyer_or_staff(self, action: str) -> None:
        if not (self.is_staff or self.role == "buyer"):
            raise Forbidden(f"Only program staff and participating buyers may {action}.")

    def require_admin(self, action: str) -> None:
        if self.role != "admin":
            raise Forbidden(f"Only an administrator may {action}.")

    def scope(self, grower_column: Mapped[UUID] | Mapped[UUID | None]) -> ColumnElement[bool]:
        """The filter that confines a query to what this caller may see."""
        if self.is_staff:
            return true()
        return grower_column == self.grower_id

    def may_see_grower(self, grower_id: UUID) -> bool:
        return self.is_staff or grower_id == self.grower_id


COMMAND_LINE = Caller(actor="cli", role="admin")
